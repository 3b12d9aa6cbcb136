import type { SigRole, SigStatus } from '$lib/api/types';
import { isMessageKey, type Lang, type Translate } from '$lib/i18n';

export const SIG_ROLES: readonly SigRole[] = ['lead', 'maintainer', 'committer', 'member'];
export const SIG_STATUSES: readonly SigStatus[] = ['active', 'proposed', 'archived'];

export function isSigRole(value: unknown): value is SigRole {
  return typeof value === 'string' && (SIG_ROLES as readonly string[]).includes(value);
}

export function isSigStatus(value: unknown): value is SigStatus {
  return typeof value === 'string' && (SIG_STATUSES as readonly string[]).includes(value);
}

/** A SIG's name in the reader's language, falling back to the other one when it is empty. */
export function sigName(lang: Lang, sig: { nameZh: string; nameEn: string }): string {
  return (lang === 'zh-CN' ? sig.nameZh || sig.nameEn : sig.nameEn || sig.nameZh) || '';
}

export function roleLabel(t: Translate, role: SigRole): string {
  return t(`sigs.role.${role}`);
}

export function statusLabel(t: Translate, status: SigStatus): string {
  return t(`sigs.status.${status}`);
}

/** Badge colour class for a SIG status. */
export function statusBadge(status: SigStatus): string {
  return status === 'active' ? 'ok' : 'warn';
}

/**
 * The description as plain paragraphs (split on blank lines, rendered as escaped text). A real,
 * sanitising Markdown renderer replaces this later; until then no user text reaches {@html}.
 */
export function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** The sentence for an activity entry; unknown kinds show their raw name. */
export function activityText(
  t: Translate,
  entry: { kind: string; actor: string | null; details: Record<string, unknown> },
): string {
  const key = `sigs.activity.${entry.kind}`;
  const username = typeof entry.details.username === 'string' ? entry.details.username : '';
  const role = isSigRole(entry.details.role) ? roleLabel(t, entry.details.role) : '';
  const actor = entry.actor ?? t('sigs.activity.someone');
  if (isMessageKey(key)) return t(key, { actor, username, role });
  return `${actor}: ${entry.kind}`;
}

/** Only http(s) links become hrefs; anything else (javascript:, data:) is shown as text. */
export function safeUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}
