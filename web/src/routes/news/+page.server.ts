import { error } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';
import { translator } from '$lib/i18n';
import type { PageServerLoad } from './$types';

const PER_PAGE = 20;

export const load: PageServerLoad = async (event) => {
  const raw = Number(event.url.searchParams.get('page') ?? '1');
  const page = Number.isInteger(raw) && raw > 0 && raw < 1000 ? raw : 1;
  const res = await attempt(
    apiFor(event).GET('/api/v1/portal/posts', {
      params: { query: { kind: 'news', limit: PER_PAGE, offset: (page - 1) * PER_PAGE } },
    }),
  );
  if (!res.ok) error(res.problem.status === 0 ? 503 : 502, { message: res.problem.detail ?? 'API error' });
  const t = translator(event.locals.lang);
  return {
    posts: res.data.items,
    page,
    more: res.data.total > page * PER_PAGE,
    canWrite: !!event.locals.user?.roles.includes('admin'),
    meta: { title: t('news.title'), description: t('news.lead') },
  };
};
