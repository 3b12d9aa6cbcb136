import { error } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';
import { isSigStatus } from '$lib/sigs';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 30;

export const load: PageServerLoad = async (event) => {
  const params = event.url.searchParams;
  const q = (params.get('q') ?? '').trim().slice(0, 100);
  const rawStatus = params.get('status') ?? 'active';
  // 'all' (or anything unknown) lists every status; the default is the active SIGs.
  const status = isSigStatus(rawStatus) ? rawStatus : 'all';
  const cursor = params.get('cursor') ?? undefined;
  const rawBugs = params.get('bugs');
  const bugs = rawBugs === 'yes' || rawBugs === 'no' ? rawBugs : 'any';
  const page = await attempt(
    apiFor(event).GET('/api/v1/sigs', {
      params: {
        query: {
          limit: PAGE_SIZE,
          ...(status === 'all' ? {} : { status }),
          ...(q ? { q } : {}),
          ...(bugs === 'any' ? {} : { hasOpenBugs: bugs === 'yes' }),
          ...(cursor ? { cursor } : {}),
        },
      },
    }),
  );
  if (!page.ok) error(page.problem.status === 0 ? 503 : 502, { message: page.problem.detail ?? 'API error' });
  return { sigs: page.data, q, status, bugs, paged: cursor !== undefined };
};
