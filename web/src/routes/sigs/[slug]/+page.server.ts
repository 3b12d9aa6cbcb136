import { fail } from '@sveltejs/kit';
import { apiFor, attempt, failStatus, localProblem } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import { renderMarkdown } from '$lib/server/markdown';
import { loadSig } from './load-sig';
import type { Actions, PageServerLoad } from './$types';

const FIRST_PACKAGES = 10;
const TRIAGE_SHOWN = 15;

export const load: PageServerLoad = async (event) => {
  const sig = await loadSig(event);
  const api = apiFor(event);
  const [packages, triage, watch, failingBuilds] = await Promise.all([
    attempt(
      api.GET('/api/v1/sigs/{slug}/packages', {
        params: { path: { slug: sig.slug }, query: { limit: FIRST_PACKAGES } },
      }),
    ),
    attempt(
      api.GET('/api/v1/sigs/{slug}/triage', { params: { path: { slug: sig.slug }, query: { limit: TRIAGE_SHOWN } } }),
    ),
    attempt(api.GET('/api/v1/sigs/{slug}/bug-watch', { params: { path: { slug: sig.slug } } })),
    attempt(api.GET('/api/v1/sigs/{slug}/failing-builds', { params: { path: { slug: sig.slug } } })),
  ]);
  return {
    sig,
    descriptionHtml: renderMarkdown(sig.description),
    packages: packages.ok ? packages.data.items : [],
    // null: the queue could not be loaded; the rest of the page still shows.
    triage: triage.ok ? triage.data : null,
    watch: watch.ok ? watch.data : null,
    // null: build results could not be loaded (the section says so)
    failingBuilds: failingBuilds.ok ? failingBuilds.data.items : null,
  };
};

/** The id of the viewer's pending request or invite, as the API reported it when the page loaded. */
function idFrom(form: FormData): number | null {
  const id = Number(field(form, 'id'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

export const actions: Actions = {
  watch: async (event) => {
    requireUser(event.locals, event.url);
    const on = field(await event.request.formData(), 'on') === '1';
    const params = { params: { path: { slug: event.params.slug } } };
    const api = apiFor(event);
    const result = await attempt(
      on ? api.PUT('/api/v1/sigs/{slug}/bug-watch', params) : api.DELETE('/api/v1/sigs/{slug}/bug-watch', params),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'watch', problem: result.problem });
    return { form: 'watch', done: on ? ('sigs.watch.started' as const) : ('sigs.watch.stopped' as const) };
  },

  join: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const message = field(form, 'message');
    const result = await attempt(
      apiFor(event).POST('/api/v1/sigs/{slug}/join-requests', {
        params: { path: { slug: event.params.slug } },
        body: message ? { message } : {},
      }),
    );
    if (!result.ok)
      return fail(failStatus(result.problem), { form: 'join', values: { message }, problem: result.problem });
    return { form: 'join', done: 'sigs.join.sent' as const };
  },

  withdraw: async (event) => {
    requireUser(event.locals, event.url);
    const id = idFrom(await event.request.formData());
    if (id === null) return fail(400, { form: 'withdraw', problem: localProblem(400, 'not_found') });
    const result = await attempt(
      apiFor(event).POST('/api/v1/sigs/{slug}/join-requests/{id}/withdraw', {
        params: { path: { slug: event.params.slug, id } },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'withdraw', problem: result.problem });
    return { form: 'withdraw', done: 'sigs.join.withdrawn' as const };
  },

  renew: async (event) => {
    requireUser(event.locals, event.url);
    const result = await attempt(
      apiFor(event).POST('/api/v1/sigs/{slug}/renew', { params: { path: { slug: event.params.slug } } }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'renew', problem: result.problem });
    return { form: 'renew', done: 'sigs.renewed' as const };
  },

  leave: async (event) => {
    requireUser(event.locals, event.url);
    const result = await attempt(
      apiFor(event).POST('/api/v1/sigs/{slug}/leave', { params: { path: { slug: event.params.slug } } }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'leave', problem: result.problem });
    return { form: 'leave', done: 'sigs.left' as const };
  },

  accept: async (event) => {
    requireUser(event.locals, event.url);
    const id = idFrom(await event.request.formData());
    if (id === null) return fail(400, { form: 'invite', problem: localProblem(400, 'not_found') });
    const result = await attempt(
      apiFor(event).POST('/api/v1/sigs/{slug}/invites/{id}/accept', {
        params: { path: { slug: event.params.slug, id } },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'invite', problem: result.problem });
    return { form: 'invite', done: 'sigs.invite.accepted' as const };
  },

  decline: async (event) => {
    requireUser(event.locals, event.url);
    const id = idFrom(await event.request.formData());
    if (id === null) return fail(400, { form: 'invite', problem: localProblem(400, 'not_found') });
    const result = await attempt(
      apiFor(event).POST('/api/v1/sigs/{slug}/invites/{id}/decline', {
        params: { path: { slug: event.params.slug, id } },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'invite', problem: result.problem });
    return { form: 'invite', done: 'sigs.invite.declined' as const };
  },

  activate: async (event) => {
    requireUser(event.locals, event.url);
    const result = await attempt(
      apiFor(event).POST('/api/v1/sigs/{slug}/activate', { params: { path: { slug: event.params.slug } } }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'govern', problem: result.problem });
    return { form: 'govern', done: 'sigs.govern.activated' as const };
  },

  archive: async (event) => {
    requireUser(event.locals, event.url);
    const result = await attempt(
      apiFor(event).POST('/api/v1/sigs/{slug}/archive', { params: { path: { slug: event.params.slug } } }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'govern', problem: result.problem });
    return { form: 'govern', done: 'sigs.govern.archived' as const };
  },
};
