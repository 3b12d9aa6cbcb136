import type { BugPriority, BugResolution, BugSeverity, BugSort, BugStatus } from '$lib/api/types';
import type { MessageKey, Translate } from '$lib/i18n';

export const BUG_STATUSES: readonly BugStatus[] = ['UNCONFIRMED', 'CONFIRMED', 'IN_PROGRESS', 'RESOLVED', 'VERIFIED'];
export const BUG_RESOLUTIONS: readonly BugResolution[] = ['FIXED', 'INVALID', 'WONTFIX', 'DUPLICATE', 'WORKSFORME'];
export const BUG_SEVERITIES: readonly BugSeverity[] = [
  'blocker',
  'critical',
  'major',
  'normal',
  'minor',
  'trivial',
  'enhancement',
];
export const BUG_PRIORITIES: readonly BugPriority[] = ['P1', 'P2', 'P3', 'P4', 'P5'];
export const BUG_SORTS: readonly BugSort[] = ['relevance', 'updated', 'created', 'heat', 'priority', 'id'];

/** Columns of the search results a visitor may choose; id and summary are always shown. */
export const BUG_COLUMNS = [
  'status',
  'product',
  'component',
  'sig',
  'severity',
  'priority',
  'assignee',
  'reporter',
  'heat',
  'updated',
] as const;
export type BugColumn = (typeof BUG_COLUMNS)[number];
export const DEFAULT_COLUMNS: readonly BugColumn[] = [
  'status',
  'component',
  'severity',
  'priority',
  'assignee',
  'updated',
];

export const MY_BUG_ROLES = ['reported', 'assigned', 'cc', 'needinfo'] as const;
export type MyBugRole = (typeof MY_BUG_ROLES)[number];

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

export const isBugStatus = (value: unknown): value is BugStatus => isOneOf(BUG_STATUSES, value);
export const isBugResolution = (value: unknown): value is BugResolution => isOneOf(BUG_RESOLUTIONS, value);
export const isBugSeverity = (value: unknown): value is BugSeverity => isOneOf(BUG_SEVERITIES, value);
export const isBugPriority = (value: unknown): value is BugPriority => isOneOf(BUG_PRIORITIES, value);
export const isBugSort = (value: unknown): value is BugSort => isOneOf(BUG_SORTS, value);
export const isBugColumn = (value: unknown): value is BugColumn => isOneOf(BUG_COLUMNS, value);
export const isMyBugRole = (value: unknown): value is MyBugRole => isOneOf(MY_BUG_ROLES, value);

export function bugStatusLabel(t: Translate, status: BugStatus): string {
  return t(`bugs.status.${status}`);
}

export function bugResolutionLabel(t: Translate, resolution: BugResolution): string {
  return t(`bugs.resolution.${resolution}`);
}

export function severityLabel(t: Translate, severity: BugSeverity): string {
  return t(`bugs.severity.${severity}`);
}

/** Badge colour class for a bug status: open bugs warn, closed ones are done. */
export function bugStatusBadge(status: BugStatus): string {
  return status === 'RESOLVED' || status === 'VERIFIED' ? 'ok' : 'warn';
}

/** A positive bug number from a route parameter or form field, or null. */
export function bugId(value: string | null | undefined): number | null {
  if (!value || !/^\d{1,10}$/.test(value)) return null;
  const id = Number(value);
  return id > 0 && id <= 2_147_483_647 ? id : null;
}

/** Bug history names fields as Bugzilla does (the REST API shares them); the page shows ours. */
const HISTORY_FIELDS: Record<string, MessageKey> = {
  product: 'bugs.field.product',
  component: 'bugs.field.component',
  sig: 'bugs.field.sig',
  version: 'bugs.field.version',
  status: 'bugs.field.status',
  resolution: 'bugs.field.resolution',
  dupe_of: 'bugs.field.dupeOf',
  short_desc: 'bugs.field.summary',
  bug_severity: 'bugs.field.severity',
  priority: 'bugs.field.priority',
  rep_platform: 'bugs.field.hardware',
  op_sys: 'bugs.field.opSys',
  assigned_to: 'bugs.field.assignee',
  qa_contact: 'bugs.field.qaContact',
  cc: 'bugs.field.cc',
  keywords: 'bugs.field.keywords',
  cf_cve: 'bugs.field.cveIds',
  see_also: 'bugs.field.seeAlso',
  bug_file_loc: 'bugs.field.url',
  status_whiteboard: 'bugs.field.whiteboard',
  target_milestone: 'bugs.field.targetRelease',
  cf_fixed_in: 'bugs.field.fixedIn',
  depends_on: 'bugs.field.dependsOn',
  blocks: 'bugs.field.blocks',
  alias: 'bugs.field.aliases',
  is_private: 'bugs.history.field.private',
  embargo_until: 'bugs.history.field.embargo',
  'flagtypes.name': 'bugs.history.field.flags',
  'attachments.created': 'bugs.history.field.attachment',
};

export function historyFieldLabel(t: Translate, field: string): string {
  const key = HISTORY_FIELDS[field] as MessageKey | undefined;
  return key ? t(key) : field;
}
