/**
 * Categories people choose for (profile → notification settings), each a set of notification
 * kinds. Bug mail has its own per-role matrix (bug_mail_prefs); account mail (verification,
 * password reset) is not a notification and always goes out.
 */
export const NOTIFICATION_CATEGORIES = [
  'governance_votes',
  'governance_reminders',
  'governance_discussion',
  'sig_membership',
  'packages',
  'programme',
  'council_membership',
  'builds',
  'mirrors',
] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

export const NOTIFICATION_MODES = ['email', 'web', 'off'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

/** The category of a notification kind; null = not configurable here (bugs, anything new). */
export function categoryOf(kind: string): NotificationCategory | null {
  if (kind === 'governance.voting_open' || kind === 'governance.closed') return 'governance_votes';
  if (kind === 'governance.reminder') return 'governance_reminders';
  if (kind.startsWith('governance.')) return 'governance_discussion';
  if (kind.startsWith('sig.') || kind.startsWith('member.')) return 'sig_membership';
  if (kind.startsWith('package.')) return 'packages';
  if (kind.startsWith('programme.')) return 'programme';
  if (kind.startsWith('organisation.')) return 'council_membership';
  if (kind.startsWith('build.')) return 'builds';
  if (kind.startsWith('mirror.')) return 'mirrors';
  return null;
}
