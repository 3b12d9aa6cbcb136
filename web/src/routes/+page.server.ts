import { apiFor, attempt } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** The live numbers; the page still renders (without them) if the API cannot answer. */
export const load: PageServerLoad = async (event) => {
  const stats = await attempt(apiFor(event).GET('/api/v1/portal/stats'));
  return { stats: stats.ok ? stats.data : null };
};
