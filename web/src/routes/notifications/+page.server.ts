import { error, fail } from '@sveltejs/kit';
import { apiFor, attempt, failStatus, localProblem } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 20;

export const load: PageServerLoad = async (event) => {
  requireUser(event.locals, event.url);
  const cursor = event.url.searchParams.get('cursor') ?? undefined;
  const page = await attempt(
    apiFor(event).GET('/api/v1/notifications', {
      params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
    }),
  );
  if (!page.ok) error(page.problem.status === 0 ? 503 : 502, { message: page.problem.detail ?? 'API error' });
  return { page: page.data, paged: cursor !== undefined };
};

export const actions: Actions = {
  read: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const id = field(form, 'id');
    if (!/^[\w-]{1,64}$/.test(id)) {
      return fail(400, { problem: localProblem(400, 'not_found') });
    }
    const result = await attempt(apiFor(event).POST('/api/v1/notifications/{id}/read', { params: { path: { id } } }));
    if (!result.ok) return fail(failStatus(result.problem), { problem: result.problem });
    return { done: true };
  },

  readAll: async (event) => {
    requireUser(event.locals, event.url);
    const result = await attempt(apiFor(event).POST('/api/v1/notifications/read-all'));
    if (!result.ok) return fail(failStatus(result.problem), { problem: result.problem });
    return { done: true };
  },
};
