import { error } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';
import { renderMarkdown } from '$lib/server/markdown';
import { localised, RELEASE_SLUG } from '$lib/releases';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const slug = event.params.slug;
  if (!RELEASE_SLUG.test(slug)) error(404, { message: 'Not Found' });
  const res = await attempt(apiFor(event).GET('/api/v1/portal/releases/{slug}', { params: { path: { slug } } }));
  if (!res.ok) {
    if (res.problem.status === 404) error(404, { message: 'Not Found' });
    error(res.problem.status === 0 ? 503 : 502, { message: res.problem.detail ?? 'API error' });
  }
  const r = res.data;
  const lang = event.locals.lang;
  return {
    release: r,
    highlightsHtml: renderMarkdown(localised(lang, r.highlightsEn, r.highlightsZh)),
    changelogHtml: renderMarkdown(r.changelog),
    today: new Date().toISOString().slice(0, 10),
    canEdit: !!event.locals.user?.roles.includes('admin'),
    meta: { title: r.name, description: localised(lang, r.taglineEn, r.taglineZh) || r.name },
  };
};
