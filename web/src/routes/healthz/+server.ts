import type { RequestHandler } from './$types';

/** Liveness of the web server alone (container healthchecks); it does not call the API. */
export const GET: RequestHandler = () =>
  new Response('ok\n', { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
