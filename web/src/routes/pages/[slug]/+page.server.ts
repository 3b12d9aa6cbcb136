import { error } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';
import { renderMarkdown } from '$lib/server/markdown';
import { localised, POST_SLUG } from '$lib/releases';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const slug = event.params.slug;
  if (!POST_SLUG.test(slug) || slug.length > 100) error(404, { message: 'Not Found' });
  const res = await attempt(
    apiFor(event).GET('/api/v1/portal/posts/{kind}/{slug}', { params: { path: { kind: 'page', slug } } }),
  );
  if (!res.ok) {
    if (res.problem.status === 404) error(404, { message: 'Not Found' });
    error(res.problem.status === 0 ? 503 : 502, { message: res.problem.detail ?? 'API error' });
  }
  const page = res.data;
  const lang = event.locals.lang;
  const title = localised(lang, page.titleEn, page.titleZh);
  return {
    page,
    title,
    bodyHtml: renderMarkdown(localised(lang, page.bodyEn, page.bodyZh)),
    canEdit: !!event.locals.user?.roles.includes('admin'),
    meta: { title, description: localised(lang, page.summaryEn, page.summaryZh) || title },
  };
};
