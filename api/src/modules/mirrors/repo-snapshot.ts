import type { EntityManager } from 'typeorm';

/** How far a release's current repository snapshot has spread over the mirrors. */
export interface SnapshotSpread {
  /** The oldest of the master's current repomd.xml timestamps for the release (its last compose). */
  composedAt: Date;
  /** The master's repositories of the release were composed after `since`: they carry what was tagged then. */
  carries: boolean;
  /** Active mirrors that serve package repositories. */
  mirrors: number;
  /** Of those, the ones known (at their last probe) to serve that snapshot or a later one. */
  carrying: number;
  /** The newest probe behind these numbers. */
  checkedAt: Date | null;
}

/**
 * For the repositories of one major release (`9` → `9/BaseOS/x86_64`, `9/AppStream/aarch64` …):
 * whether the master's current snapshot was composed after `since` (a build tagged then is in
 * it), and how many active repository mirrors serve it. A mirror counts when its last probe found
 * every one of the release's repomd.xml byte-identical to the master's (`fresh_repos`), or when
 * its TIME file is at least as new as the master's newest repomd.xml of the release; a mirror
 * that is behind, unreachable or not yet probed does not. Null when the prober has not read the
 * master's repositories of that release.
 */
export async function releaseSnapshotSpread(
  m: EntityManager,
  major: string,
  since: Date,
): Promise<SnapshotSpread | null> {
  const repos = await m.query<{ repo_key: string; timestamp: string }[]>(
    `SELECT repo_key, timestamp FROM mirror_master_repos WHERE split_part(repo_key, '/', 1) = $1`,
    [major],
  );
  if (!repos.length) return null;
  const times = repos.map((r) => Number(r.timestamp));
  const oldest = Math.min(...times);
  const newest = Math.max(...times);
  const carries = oldest * 1000 >= since.getTime();
  const [row] = await m.query<{ mirrors: number; carrying: number; checked_at: Date | null }[]>(
    `SELECT count(*)::int AS mirrors,
            (count(*) FILTER (WHERE $3 AND (fresh_repos @> $1::text[] OR last_sync_at >= to_timestamp($2))))::int AS carrying,
            max(last_probe_at) AS checked_at
       FROM mirrors WHERE status = 'active' AND 'repos' = ANY(content)`,
    [repos.map((r) => r.repo_key), newest, carries],
  );
  return {
    composedAt: new Date(oldest * 1000),
    carries,
    mirrors: row.mirrors,
    carrying: row.carrying,
    checkedAt: row.checked_at,
  };
}
