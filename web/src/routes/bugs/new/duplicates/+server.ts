import { json, type RequestHandler } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';

/** Possible duplicates of the summary being typed, for the live hints of the filing form. */
export const GET: RequestHandler = async (event) => {
  const product = (event.url.searchParams.get('product') ?? '').trim().slice(0, 64);
  const summary = (event.url.searchParams.get('summary') ?? '').trim().slice(0, 255);
  if (!product || summary.length < 3) return json([]);
  const result = await attempt(
    apiFor(event).GET('/api/v1/bugs/duplicates', { params: { query: { product, summary } } }),
  );
  return json(result.ok ? result.data : [], { headers: { 'cache-control': 'private, no-store' } });
};
