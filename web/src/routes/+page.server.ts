import { apiFor, attempt } from '$lib/server/api';
import { translator } from '$lib/i18n';
import type { PageServerLoad } from './$types';

const NEWS_SHOWN = 3;
const RELEASES_SHOWN = 4;

/** Live numbers, releases and news; each part may fail alone and the page still renders without it. */
export const load: PageServerLoad = async (event) => {
  const api = apiFor(event);
  const [stats, releases, news] = await Promise.all([
    attempt(api.GET('/api/v1/portal/stats')),
    attempt(api.GET('/api/v1/portal/releases')),
    attempt(api.GET('/api/v1/portal/posts', { params: { query: { kind: 'news', limit: NEWS_SHOWN } } })),
  ]);
  const all = releases.ok ? releases.data.items : [];
  const t = translator(event.locals.lang);
  return {
    stats: stats.ok ? stats.data : null,
    current: all.find((r) => r.family === 'opencloudos' && r.isLatest) ?? null,
    // newest release dates first, whatever the family
    releases: [...all].sort((a, b) => (b.releasedOn ?? '').localeCompare(a.releasedOn ?? '')).slice(0, RELEASES_SHOWN),
    news: news.ok ? news.data.items : [],
    meta: { title: `${t('app.name')} · ${t('home.title')}`, description: t('home.lead') },
  };
};
