import type { paths } from './api/schema';
import type { Lang, MessageKey } from './i18n';

type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : never;

export type ReleaseSummary = JsonOf<paths['/api/v1/portal/releases']['get']['responses'][200]>['items'][number];
export type ReleasePage = JsonOf<paths['/api/v1/portal/releases/{slug}']['get']['responses'][200]>;
export type PostList = JsonOf<paths['/api/v1/portal/posts']['get']['responses'][200]>;
export type PostSummary = PostList['items'][number];
export type Post = JsonOf<paths['/api/v1/portal/posts/{kind}/{slug}']['get']['responses'][200]>;

export const RELEASE_SLUG = /^(stream-)?\d{1,3}(\.\d{1,3})?$/;
export const POST_SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The text in the reader's language, else the other one (an admin may have written only one). */
export function localised(lang: Lang, en: string, zh: string): string {
  return (lang === 'zh-CN' ? zh || en : en || zh) ?? '';
}

export type Phase = 'full' | 'maintenance' | 'eol' | 'rolling';

/** Where a release is in its lifecycle on `today` (YYYY-MM-DD compares as text). */
export function phase(r: Pick<ReleaseSummary, 'family' | 'fullSupportUntil' | 'eolOn'>, today: string): Phase {
  if (r.family === 'stream' && !r.eolOn) return 'rolling';
  if (r.eolOn && r.eolOn < today) return 'eol';
  if (r.fullSupportUntil && r.fullSupportUntil < today) return 'maintenance';
  return 'full';
}

export const phaseKey = (p: Phase): MessageKey => `releases.phase.${p}`;

/** `/download`'s own name for a release. */
export const downloadQuery = (r: Pick<ReleaseSummary, 'family' | 'version'>): string =>
  `release=${encodeURIComponent(`${r.family}-${r.version}`)}`;

/** A calendar date (YYYY-MM-DD) in the reader's language, without moving it through time zones. */
export function formatDay(lang: Lang, day: string | null | undefined): string {
  if (!day) return '—';
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return day;
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}
