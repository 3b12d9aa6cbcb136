import type { Translate } from '$lib/i18n';

export type OrgStatus = 'applied' | 'nominated' | 'member' | 'declined' | 'withdrawn';

export function orgStatusLabel(t: Translate, status: OrgStatus): string {
  return t(`council.status.${status}`);
}

export function orgStatusBadge(status: OrgStatus): string {
  return status === 'member' ? 'ok' : status === 'declined' || status === 'withdrawn' ? '' : 'warn';
}
