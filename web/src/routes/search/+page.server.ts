import { error } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const SEARCH_TYPES = ['all', 'bugs', 'packages', 'sigs', 'proposals', 'releases', 'pages'] as const;
type SearchType = (typeof SEARCH_TYPES)[number];

export const load: PageServerLoad = async (event) => {
  const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, 200);
  const raw = event.url.searchParams.get('type') ?? 'all';
  const type: SearchType = (SEARCH_TYPES as readonly string[]).includes(raw) ? (raw as SearchType) : 'all';
  if (!q) return { q, type, result: null };
  const res = await attempt(apiFor(event).GET('/api/v1/search', { params: { query: { q, type } } }));
  if (!res.ok) {
    if (res.problem.status === 400) return { q, type, result: null };
    error(res.problem.status === 0 ? 503 : 502, { message: res.problem.detail ?? 'API error' });
  }
  return { q, type, result: res.data };
};
