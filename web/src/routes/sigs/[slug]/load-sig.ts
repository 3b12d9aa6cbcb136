import { error } from '@sveltejs/kit';
import type { SigDetail } from '$lib/api/types';
import { apiFor, attempt } from '$lib/server/api';

interface SigEvent {
  params: { slug: string };
  request: Request;
  locals: App.Locals;
  getClientAddress?: () => string;
}

/** The SIG of the route, or the error page: 404 for an unknown slug, 503/502 when the API fails. */
export async function loadSig(event: SigEvent): Promise<SigDetail> {
  const slug = event.params.slug;
  if (!/^[a-z][a-z0-9-]{0,63}$/.test(slug)) error(404, { message: 'Not found' });
  const result = await attempt(apiFor(event).GET('/api/v1/sigs/{slug}', { params: { path: { slug } } }));
  if (result.ok) return result.data;
  if (result.problem.status === 404) error(404, { message: 'Not found' });
  error(result.problem.status === 0 ? 503 : 502, { message: result.problem.detail ?? 'API error' });
}
