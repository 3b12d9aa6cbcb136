import { loadCatalogue, translator } from '$lib/i18n';
import type { LayoutLoad } from './$types';

/** t() cannot cross the server/browser boundary as data, so each side builds it from lang. */
export const load: LayoutLoad = async ({ data }) => {
  await loadCatalogue(data.lang);
  return { ...data, t: translator(data.lang) };
};
