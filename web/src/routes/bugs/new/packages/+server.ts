import { json, type RequestHandler } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';

/** Package names for the component type-ahead of the filing form. */
export const GET: RequestHandler = async (event) => {
  const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, 100);
  if (q.length < 2) return json([]);
  const result = await attempt(apiFor(event).GET('/api/v1/packages', { params: { query: { q, limit: 20 } } }));
  return json(result.ok ? result.data.items.map((pkg) => pkg.name) : [], {
    headers: { 'cache-control': 'private, max-age=60' },
  });
};
