import { error } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 30;

export const load: PageServerLoad = async (event) => {
  const params = event.url.searchParams;
  const q = (params.get('q') ?? '').trim().slice(0, 100);
  const sig = (params.get('sig') ?? '').trim().toLowerCase().slice(0, 48);
  const cursor = params.get('cursor') ?? undefined;
  const page = await attempt(
    apiFor(event).GET('/api/v1/packages', {
      params: {
        query: {
          limit: PAGE_SIZE,
          ...(q ? { q } : {}),
          ...(sig ? { sig } : {}),
          ...(cursor ? { cursor } : {}),
        },
      },
    }),
  );
  if (!page.ok) error(page.problem.status === 0 ? 503 : 502, { message: page.problem.detail ?? 'API error' });
  return { packages: page.data, q, sig, paged: cursor !== undefined };
};
