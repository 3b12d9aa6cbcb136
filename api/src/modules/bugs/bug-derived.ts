import type { EntityManager } from 'typeorm';

/**
 * Recomputes a bug's derived columns: the public comment count, the Launchpad-like heat and
 * (optionally) the search vector. Every writer of bugs (the service, the importer, seeds) uses
 * this one statement so the numbers mean the same everywhere.
 */
/** The summary-only vector (summary and aliases), as the migration that added it computes it. */
export const SUMMARY_VECTOR = `summary_vector = to_tsvector('simple', och_cjk_split(b.summary || ' ' || coalesce(
  (SELECT string_agg(a.alias, ' ') FROM bug_aliases a WHERE a.bug_id = b.id), '')))`;

export async function refreshBugDerived(m: EntityManager, ids: number[], search: boolean): Promise<void> {
  if (!ids.length) return;
  await m.query(
    `UPDATE bugs b SET
       comment_count = (SELECT count(*) FROM bug_comments c WHERE c.bug_id = b.id AND c.count > 0 AND NOT c.is_private),
       heat = 4 * b.affected_count
         + (SELECT count(*) FROM bug_comments c WHERE c.bug_id = b.id AND c.count > 0 AND NOT c.is_private)
         + 2 * (SELECT count(*) FROM bug_cc c WHERE c.bug_id = b.id)
         + 6 * (SELECT count(*) FROM bugs d WHERE d.dupe_of_id = b.id)
         + CASE b.severity WHEN 'blocker' THEN 40 WHEN 'critical' THEN 30 WHEN 'major' THEN 15 ELSE 0 END
         + CASE WHEN b.is_private OR cardinality(b.cve_ids) > 0 THEN 50 ELSE 0 END
         ${search ? `, search_vector = och_bug_search_vector(b.id), ${SUMMARY_VECTOR}` : ''}
     WHERE b.id = ANY($1)`,
    [ids],
  );
}

/** The number the next comment on a bug gets (0 is the description); call with the bug row locked. */
export async function nextCommentCount(m: EntityManager, bugId: number): Promise<number> {
  const [{ next }] = await m.query<{ next: number }[]>(
    `SELECT coalesce(max(count), -1) + 1 AS next FROM bug_comments WHERE bug_id = $1`,
    [bugId],
  );
  return next;
}
