import type { MessageKey, Translate } from '$lib/i18n';

export const COMPANY_SIZES = ['1-49', '50-249', '250-999', '1000+'] as const;
export type CompanySize = (typeof COMPANY_SIZES)[number];
export const TIMELINES = ['3m', '6m', '12m', 'later'] as const;
export type Timeline = (typeof TIMELINES)[number];
export const NEEDS = ['assessment', 'tooling', 'training', 'onsite', 'compatibility', 'support'] as const;
export type Need = (typeof NEEDS)[number];
export const STATUSES = ['submitted', 'in_review', 'accepted', 'declined', 'withdrawn'] as const;
export type ApplicationStatus = (typeof STATUSES)[number];

export const sizeLabel = (t: Translate, s: string): string => t(`programme.size.${s}` as MessageKey);
export const timelineLabel = (t: Translate, s: string): string => t(`programme.timeline.${s}` as MessageKey);
export const needLabel = (t: Translate, s: string): string => t(`programme.need.${s}` as MessageKey);
export const statusLabel = (t: Translate, s: string): string => t(`programme.status.${s}` as MessageKey);

/** The badge colour class of a status, as the SIG and bug pages use them. */
export function statusBadge(s: string): string {
  if (s === 'accepted') return 'ok';
  if (s === 'declined' || s === 'withdrawn') return 'warn';
  return '';
}
