import { error } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';
import { translator } from '$lib/i18n';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const res = await attempt(apiFor(event).GET('/api/v1/portal/releases'));
  if (!res.ok) error(res.problem.status === 0 ? 503 : 502, { message: res.problem.detail ?? 'API error' });
  const t = translator(event.locals.lang);
  return {
    releases: res.data.items,
    today: new Date().toISOString().slice(0, 10),
    meta: { title: t('releases.title'), description: t('releases.lead') },
  };
};
