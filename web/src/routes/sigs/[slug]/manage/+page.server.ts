import { error, fail } from '@sveltejs/kit';
import type { SigRole } from '$lib/api/types';
import { apiFor, attempt, failStatus, localProblem } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import { isSigRole } from '$lib/sigs';
import { loadSig } from '../load-sig';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event.locals, event.url);
  const sig = await loadSig(event);
  if (!sig.viewer?.canDecide) error(403, { message: 'Only the SIG’s leads and maintainers may manage it.' });
  const api = apiFor(event);
  const path = { slug: sig.slug };
  const [requests, invites] = await Promise.all([
    attempt(
      api.GET('/api/v1/sigs/{slug}/join-requests', { params: { path, query: { status: 'pending', limit: 100 } } }),
    ),
    attempt(api.GET('/api/v1/sigs/{slug}/invites', { params: { path, query: { status: 'pending', limit: 100 } } })),
  ]);
  if (!requests.ok || !invites.ok) {
    const problem = !requests.ok ? requests.problem : !invites.ok ? invites.problem : null;
    error(problem?.status === 0 ? 503 : 502, { message: problem?.detail ?? 'API error' });
  }
  return { sig, requests: requests.data.items, invites: invites.data.items };
};

function idFrom(form: FormData): number | null {
  const id = Number(field(form, 'id'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

function roleFrom(form: FormData): SigRole | null {
  const role = field(form, 'role');
  return isSigRole(role) ? role : null;
}

export const actions: Actions = {
  approve: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const id = idFrom(form);
    const username = field(form, 'username');
    if (id === null) return fail(400, { form: 'requests', problem: localProblem(400, 'not_found') });
    const result = await attempt(
      apiFor(event).POST('/api/v1/sigs/{slug}/join-requests/{id}/approve', {
        params: { path: { slug: event.params.slug, id } },
        body: {},
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'requests', problem: result.problem });
    return { form: 'requests', done: 'sigs.manage.approved' as const, username };
  },

  decline: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const id = idFrom(form);
    if (id === null) return fail(400, { form: 'requests', problem: localProblem(400, 'not_found') });
    const result = await attempt(
      apiFor(event).POST('/api/v1/sigs/{slug}/join-requests/{id}/decline', {
        params: { path: { slug: event.params.slug, id } },
        body: {},
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'requests', problem: result.problem });
    return { form: 'requests', done: 'sigs.manage.declined' as const, username: '' };
  },

  invite: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const values = { username: field(form, 'username'), role: field(form, 'role') };
    const role = roleFrom(form) ?? 'member';
    const result = await attempt(
      apiFor(event).POST('/api/v1/sigs/{slug}/invites', {
        params: { path: { slug: event.params.slug } },
        body: { username: values.username, role },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'invite', values, problem: result.problem });
    return { form: 'invite', done: 'sigs.manage.invited' as const, username: values.username };
  },

  revokeInvite: async (event) => {
    requireUser(event.locals, event.url);
    const id = idFrom(await event.request.formData());
    if (id === null) return fail(400, { form: 'invites', problem: localProblem(400, 'not_found') });
    const result = await attempt(
      apiFor(event).DELETE('/api/v1/sigs/{slug}/invites/{id}', { params: { path: { slug: event.params.slug, id } } }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'invites', problem: result.problem });
    return { form: 'invites', done: 'sigs.manage.inviteCancelled' as const, username: '' };
  },

  changeRole: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const username = field(form, 'username');
    const role = roleFrom(form);
    if (!username || role === null) return fail(400, { form: 'members', problem: localProblem(400, 'not_found') });
    const result = await attempt(
      apiFor(event).PATCH('/api/v1/sigs/{slug}/members/{username}', {
        params: { path: { slug: event.params.slug, username } },
        body: { role },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'members', problem: result.problem });
    return { form: 'members', done: 'sigs.manage.roleChanged' as const, username };
  },

  defaultAssignee: async (event) => {
    requireUser(event.locals, event.url);
    const username = field(await event.request.formData(), 'username').trim();
    const result = await attempt(
      apiFor(event).PATCH('/api/v1/sigs/{slug}', {
        params: { path: { slug: event.params.slug } },
        body: { bugDefaultAssignee: username || null },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'assignee', problem: result.problem });
    return {
      form: 'assignee',
      done: username ? ('bugadmin.sigAssignee.saved' as const) : ('bugadmin.sigAssignee.cleared' as const),
      username,
    };
  },

  remove: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const username = field(form, 'username');
    if (!username) return fail(400, { form: 'members', problem: localProblem(400, 'not_found') });
    const result = await attempt(
      apiFor(event).DELETE('/api/v1/sigs/{slug}/members/{username}', {
        params: { path: { slug: event.params.slug, username } },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'members', problem: result.problem });
    return { form: 'members', done: 'sigs.manage.removed' as const, username };
  },
};
