import type { Actor } from '../../common/actor';

/** Who is looking at bugs, reduced to what visibility and permissions need. */
export interface BugViewer {
  id: number | null;
  username: string | null;
  roles: string[];
  /** Admins and the security team see every private bug and private comment. */
  seesAllPrivate: boolean;
  isAdmin: boolean;
  isTriager: boolean;
}

export function bugViewer(actor: Actor | null | undefined): BugViewer {
  const roles = actor?.roles ?? [];
  return {
    id: actor?.id ?? null,
    username: actor?.username ?? null,
    roles,
    seesAllPrivate: roles.includes('admin') || roles.includes('security'),
    isAdmin: roles.includes('admin'),
    isTriager: roles.includes('triager'),
  };
}

/**
 * The one SQL predicate that decides whether a viewer may know a bug exists. Every channel
 * (page, search, counts, feeds, duplicate hints, REST, mail recipients) goes through it, so a
 * private bug cannot leak through one of them by being forgotten.
 */
export function visibleBugSql(
  alias: string,
  viewer: BugViewer,
  param = 'viewerId',
): { sql: string; params: Record<string, unknown> } {
  if (viewer.seesAllPrivate) return { sql: 'TRUE', params: {} };
  const pub = `(NOT ${alias}.is_private OR (${alias}.embargo_until IS NOT NULL AND ${alias}.embargo_until <= now()))`;
  if (viewer.id === null) return { sql: pub, params: {} };
  return {
    sql: `(${pub} OR ${alias}.reporter_id = :${param} OR ${alias}.assignee_id = :${param} OR ${alias}.qa_contact_id = :${param}
      OR EXISTS (SELECT 1 FROM bug_cc vc WHERE vc.bug_id = ${alias}.id AND vc.user_id = :${param}))`,
    params: { [param]: viewer.id },
  };
}

/** The same predicate for raw SQL with positional parameters: `$n` is the viewer id. */
export function visibleBugRawSql(alias: string, viewer: BugViewer, n: number): { sql: string; params: unknown[] } {
  const named = visibleBugSql(alias, viewer);
  if (viewer.id === null || viewer.seesAllPrivate) return { sql: named.sql, params: [] };
  return { sql: named.sql.replaceAll(':viewerId', `$${n}`), params: [viewer.id] };
}

/** Whether a bug row is public right now (for mail to people outside the private circle). */
export const isPublicNow = (b: { isPrivate: boolean; embargoUntil: Date | null }): boolean =>
  !b.isPrivate || (b.embargoUntil !== null && b.embargoUntil.getTime() <= Date.now());
