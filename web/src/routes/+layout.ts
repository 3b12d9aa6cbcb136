import { translator } from '$lib/i18n';
import type { LayoutLoad } from './$types';

/** t() cannot cross the server/browser boundary as data, so each side builds it from lang. */
export const load: LayoutLoad = ({ data }) => {
  return { ...data, t: translator(data.lang) };
};
