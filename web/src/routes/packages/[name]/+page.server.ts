import { error, fail } from '@sveltejs/kit';
import { apiFor, attempt, failStatus, localProblem } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/;

export const load: PageServerLoad = async (event) => {
  const name = event.params.name;
  if (!PACKAGE_NAME.test(name)) error(404, { message: 'Not found' });
  const api = apiFor(event);
  const [pkg, transfers, builds] = await Promise.all([
    attempt(api.GET('/api/v1/packages/{name}', { params: { path: { name } } })),
    attempt(api.GET('/api/v1/packages/{name}/transfers', { params: { path: { name }, query: { limit: 50 } } })),
    attempt(api.GET('/api/v1/packages/{name}/builds', { params: { path: { name }, query: { limit: 30 } } })),
  ]);
  if (!pkg.ok) {
    if (pkg.problem.status === 404) error(404, { message: 'Not found' });
    error(pkg.problem.status === 0 ? 503 : 502, { message: pkg.problem.detail ?? 'API error' });
  }
  // the detail carries the history too; the paged list is preferred when it answers
  return {
    pkg: pkg.data,
    transfers: transfers.ok ? transfers.data.items : pkg.data.transfers,
    // null: the build results could not be loaded; the rest of the page still shows
    builds: builds.ok ? builds.data : null,
  };
};

function idFrom(form: FormData): number | null {
  const id = Number(field(form, 'id'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

const DECISIONS = {
  approve: 'packages.transfer.approved',
  reject: 'packages.transfer.rejected',
  cancel: 'packages.transfer.cancelled',
} as const;

async function decide(event: RequestEvent, decision: keyof typeof DECISIONS) {
  requireUser(event.locals, event.url);
  const id = idFrom(await event.request.formData());
  if (id === null) return fail(400, { form: 'transfers', problem: localProblem(400, 'not_found') });
  const path = { name: event.params.name, id };
  const api = apiFor(event);
  const call =
    decision === 'approve'
      ? api.POST('/api/v1/packages/{name}/transfers/{id}/approve', { params: { path } })
      : decision === 'reject'
        ? api.POST('/api/v1/packages/{name}/transfers/{id}/reject', { params: { path } })
        : api.POST('/api/v1/packages/{name}/transfers/{id}/cancel', { params: { path } });
  const result = await attempt(call);
  if (!result.ok) return fail(failStatus(result.problem), { form: 'transfers', problem: result.problem });
  return { form: 'transfers', done: DECISIONS[decision] };
}

export const actions: Actions = {
  approve: (event) => decide(event, 'approve'),
  reject: (event) => decide(event, 'reject'),
  cancel: (event) => decide(event, 'cancel'),

  request: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const values = { toSig: field(form, 'toSig'), reason: field(form, 'reason') };
    const result = await attempt(
      apiFor(event).POST('/api/v1/packages/{name}/transfers', {
        params: { path: { name: event.params.name } },
        body: { toSig: values.toSig, ...(values.reason ? { reason: values.reason } : {}) },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'request', values, problem: result.problem });
    return { form: 'request', done: 'packages.request.sent' as const };
  },
};
