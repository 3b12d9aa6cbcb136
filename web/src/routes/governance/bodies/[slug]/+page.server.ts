import { error } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';
import { renderMarkdown } from '$lib/server/markdown';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const slug = event.params.slug;
  if (!/^[a-z][a-z0-9-]{1,31}$/.test(slug)) error(404, { message: 'Not found' });
  const api = apiFor(event);
  const [body, proposals] = await Promise.all([
    attempt(api.GET('/api/v1/governance/bodies/{slug}', { params: { path: { slug } } })),
    attempt(api.GET('/api/v1/governance/proposals', { params: { query: { body: slug, limit: 50 } } })),
  ]);
  if (!body.ok) {
    if (body.problem.status === 404) error(404, { message: 'Not found' });
    error(body.problem.status === 0 ? 503 : 502, { message: body.problem.detail ?? 'API error' });
  }
  return {
    body: body.data,
    descriptionHtml: renderMarkdown(body.data.description),
    proposals: proposals.ok ? proposals.data.items : null,
  };
};
