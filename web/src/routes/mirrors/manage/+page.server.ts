import { fail } from '@sveltejs/kit';
import { apiFor, attempt, failStatus, localProblem } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event.locals, event.url);
  const api = apiFor(event);
  const isAdmin = user.roles.includes('admin');
  const [mine, all] = await Promise.all([
    attempt(api.GET('/api/v1/mirrors/mine')),
    isAdmin ? attempt(api.GET('/api/v1/admin/mirrors', { params: { query: {} } })) : Promise.resolve(null),
  ]);
  return {
    mine: mine.ok ? mine.data.items : [],
    others: all?.ok ? all.data.items : [],
    isAdmin,
    registered: event.url.searchParams.get('registered') === '1',
  };
};

async function decide(event: Parameters<Actions[string]>[0], action: 'approve' | 'disable' | 'enable') {
  requireUser(event.locals, event.url);
  const form = await event.request.formData();
  const id = Number(field(form, 'id'));
  if (!Number.isInteger(id) || id < 1) return fail(400, { problem: localProblem(400, 'validation_failed') });
  const api = apiFor(event);
  const params = { path: { id } };
  const result = await attempt(
    action === 'approve'
      ? api.POST('/api/v1/mirrors/{id}/approve', { params })
      : action === 'enable'
        ? api.POST('/api/v1/mirrors/{id}/enable', { params })
        : api.POST('/api/v1/mirrors/{id}/disable', { params, body: { reason: field(form, 'reason') || undefined } }),
  );
  if (!result.ok) return fail(failStatus(result.problem), { problem: result.problem });
  return { done: action, name: result.data.name };
}

export const actions: Actions = {
  approve: (event) => decide(event, 'approve'),
  disable: (event) => decide(event, 'disable'),
  enable: (event) => decide(event, 'enable'),
};
