import { error, fail } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

function idOf(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) error(404, 'Not found');
  return id;
}

export const load: PageServerLoad = async (event) => {
  requireUser(event.locals, event.url);
  const id = idOf(event.params.id);
  const res = await attempt(apiFor(event).GET('/api/v1/programme/applications/{id}', { params: { path: { id } } }));
  if (!res.ok) {
    if (res.problem.status === 404) error(404, { message: 'Not found' });
    error(res.problem.status === 0 ? 503 : 502, { message: res.problem.detail ?? 'API error' });
  }
  return { application: res.data, sent: event.url.searchParams.has('sent') };
};

const DECISIONS = ['in_review', 'accepted', 'declined'] as const;

export const actions: Actions = {
  note: async (event) => {
    requireUser(event.locals, event.url);
    const id = idOf(event.params.id);
    const form = await event.request.formData();
    const body = field(form, 'body');
    const internal = field(form, 'internal') === '1';
    const res = await attempt(
      apiFor(event).POST('/api/v1/programme/applications/{id}/notes', {
        params: { path: { id } },
        body: { body, internal },
      }),
    );
    if (!res.ok) return fail(failStatus(res.problem), { form: 'note', values: { body }, problem: res.problem });
    return { form: 'note', done: 'programme.detail.sent' as const };
  },

  decide: async (event) => {
    requireUser(event.locals, event.url);
    const id = idOf(event.params.id);
    const form = await event.request.formData();
    const status = field(form, 'status');
    const message = field(form, 'message');
    const res = await attempt(
      apiFor(event).POST('/api/v1/programme/applications/{id}/decision', {
        params: { path: { id } },
        body: {
          status: (DECISIONS as readonly string[]).includes(status)
            ? (status as (typeof DECISIONS)[number])
            : 'in_review',
          ...(message ? { message } : {}),
        },
      }),
    );
    if (!res.ok) return fail(failStatus(res.problem), { form: 'decide', values: { message }, problem: res.problem });
    return { form: 'decide', done: 'programme.detail.decided' as const };
  },

  withdraw: async (event) => {
    requireUser(event.locals, event.url);
    const id = idOf(event.params.id);
    const res = await attempt(
      apiFor(event).POST('/api/v1/programme/applications/{id}/withdraw', { params: { path: { id } } }),
    );
    if (!res.ok) return fail(failStatus(res.problem), { form: 'withdraw', problem: res.problem });
    return { form: 'withdraw', done: 'programme.detail.withdrawn' as const };
  },
};
