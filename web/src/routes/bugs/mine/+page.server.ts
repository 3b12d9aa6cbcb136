import { error } from '@sveltejs/kit';
import { isMyBugRole } from '$lib/bugs';
import { apiFor, attempt } from '$lib/server/api';
import { requireUser } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
  requireUser(event.locals, event.url);
  const params = event.url.searchParams;
  const roleParam = params.get('role');
  const role = isMyBugRole(roleParam) ? roleParam : 'reported';
  const closed = params.get('closed') === '1';
  const cursor = params.get('cursor') ?? undefined;
  const page = await attempt(
    apiFor(event).GET('/api/v1/me/bugs', {
      params: { query: { role, closed, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
    }),
  );
  if (!page.ok) error(page.problem.status === 0 ? 503 : 502, { message: page.problem.detail ?? 'API error' });
  return { role, closed, bugs: page.data, paged: cursor !== undefined };
};
