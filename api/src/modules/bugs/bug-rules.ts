import type { BugViewer } from './bug-access';
import { BUG_RESOLUTIONS, OPEN_STATUSES, type BugStatus } from './quicksearch';

/** What one viewer may do to one bug. Computed once per request from roles and the bug row. */
export interface BugPerms {
  loggedIn: boolean;
  reporter: boolean;
  /** Admin, triager, or member of the owning SIG. */
  privileged: boolean;
  /** privileged, assignee or QA contact: may change every field. */
  editAll: boolean;
  seesPrivateComments: boolean;
}

export interface BugRow {
  status: string;
  reporterId: number;
  assigneeId: number | null;
  qaContactId: number | null;
  sigSlug: string | null;
}

export function isSigMember(viewer: BugViewer, slug: string | null): boolean {
  return slug !== null && viewer.roles.includes(`sig:${slug}:member`);
}

export function bugPerms(viewer: BugViewer, bug: BugRow): BugPerms {
  const loggedIn = viewer.id !== null;
  const privileged = loggedIn && (viewer.isAdmin || viewer.isTriager || isSigMember(viewer, bug.sigSlug));
  const editAll = privileged || (loggedIn && (bug.assigneeId === viewer.id || bug.qaContactId === viewer.id));
  return {
    loggedIn,
    reporter: loggedIn && bug.reporterId === viewer.id,
    privileged,
    editAll,
    seesPrivateComments: viewer.seesAllPrivate,
  };
}

/** Fields the reporter may change on their own bug, besides status (see transitions). */
export const REPORTER_FIELDS = [
  'summary',
  'version',
  'hardware',
  'opSys',
  'url',
  'seeAlso',
  'comment',
  'cc',
  'isPrivate',
] as const;
/** Fields anyone who can see the bug and is logged in may touch (cc only for themselves). */
export const ANYONE_FIELDS = ['comment', 'cc'] as const;
export const ALL_FIELDS = [
  'product',
  'component',
  'summary',
  'version',
  'severity',
  'priority',
  'hardware',
  'opSys',
  'assignee',
  'qaContact',
  'url',
  'whiteboard',
  'keywords',
  'cveIds',
  'seeAlso',
  'aliases',
  'dependsOn',
  'blocks',
  'targetRelease',
  'fixedIn',
  'isPrivate',
  'embargoUntil',
  'comment',
  'cc',
] as const;

export function editableFields(p: BugPerms): string[] {
  if (!p.loggedIn) return [];
  if (p.editAll) return [...ALL_FIELDS];
  // The security team decides disclosure on every bug, even ones it does not otherwise work on.
  const security: string[] = p.seesPrivateComments ? ['isPrivate', 'embargoUntil'] : [];
  const base: string[] = p.reporter ? [...REPORTER_FIELDS] : [...ANYONE_FIELDS];
  return [...new Set([...base, ...security])];
}

export interface Transition {
  status: BugStatus;
  resolutions: string[];
}

const isOpen = (s: string): boolean => (OPEN_STATUSES as readonly string[]).includes(s);

/**
 * Bugzilla 5's workflow: UNCONFIRMED → CONFIRMED → IN_PROGRESS → RESOLVED → VERIFIED, reopening
 * to CONFIRMED or UNCONFIRMED. Editors (SIG members, triagers, admins, assignee, QA) move bugs
 * anywhere along it; the reporter may close their own bug, verify the fix, or reopen it.
 */
export function allowedTransitions(p: BugPerms, status: string): Transition[] {
  const all = [...BUG_RESOLUTIONS] as string[];
  const out: Transition[] = [];
  if (p.editAll) {
    if (isOpen(status)) {
      for (const s of OPEN_STATUSES) if (s !== status) out.push({ status: s, resolutions: [] });
      out.push({ status: 'RESOLVED', resolutions: all });
    } else {
      out.push({ status: 'CONFIRMED', resolutions: [] }, { status: 'UNCONFIRMED', resolutions: [] });
      out.push({ status: 'RESOLVED', resolutions: all });
      if (status === 'RESOLVED') out.push({ status: 'VERIFIED', resolutions: [] });
    }
  } else if (p.reporter) {
    if (isOpen(status)) out.push({ status: 'RESOLVED', resolutions: all });
    else {
      out.push({ status: 'CONFIRMED', resolutions: [] });
      if (status === 'RESOLVED') out.push({ status: 'VERIFIED', resolutions: [] });
    }
  }
  return out;
}
