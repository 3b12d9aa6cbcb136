import { seedBugs } from './seed-bugs.mjs';

/** The targets from the bench issue, at 16 concurrent clients. */
export const SEARCH_P95_MS = 50;
export const DUPLICATES_P95_MS = 30;

let picked;

/**
 * Seeds (or reuses) the bug set and picks, from what is really in it, the values the bug
 * scenarios ask for: rare words, a busy assignee, bugs with comments, summaries to re-type.
 * Deterministic for a given data set, so runs on the same database compare.
 */
export function bugBenchData(ctx) {
  picked ??= (async () => {
    await seedBugs(ctx);
    const q = async (sql, params) => (await ctx.db.query(sql, params)).rows;
    // Summary words found in a few dozen bugs: package names from the long tail.
    const rare = await q(
      `SELECT term FROM bug_term_stats WHERE ndoc BETWEEN 20 AND 200 AND term ~ '^[a-z][a-z0-9-]+$'
        ORDER BY hashtext(term) LIMIT 3`,
    );
    // A word that occurs once, in some comment.
    const [hex] = await q(
      `SELECT substring(body from '0x[0-9a-f]{8}') AS term FROM bug_comments
        WHERE id = (SELECT max(id) / 3 FROM bug_comments) AND body ~ '0x[0-9a-f]{8}'
       UNION ALL SELECT '0x1a2b3c4d' LIMIT 1`,
    );
    const [assignee] = await q(
      `SELECT u.username FROM users u WHERE u.id = (SELECT assignee_id FROM bugs WHERE id <= 20000 AND assignee_id IS NOT NULL
        GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)`,
    );
    const pages = await q(
      `SELECT id FROM bugs WHERE id % 1009 = 17 AND NOT is_private AND comment_count >= 2 ORDER BY id LIMIT 40`,
    );
    const summaries = await q(
      `SELECT b.summary, b.summary ~ '[\\u4e00-\\u9fff]' AS zh FROM bugs b
         JOIN bug_products p ON p.id = b.product_id AND p.name = 'OpenCloudOS'
        WHERE b.id % 4999 = 3 AND NOT b.is_private ORDER BY b.id LIMIT 60`,
    );
    return {
      rareWords: rare.map((r) => r.term),
      singletonWord: hex.term,
      assignee: assignee?.username ?? 'zhangwei',
      pageIds: pages.map((r) => r.id),
      englishSummaries: summaries
        .filter((s) => !s.zh)
        .map((s) => s.summary)
        .slice(0, 6),
      chineseSummaries: summaries
        .filter((s) => s.zh)
        .map((s) => s.summary)
        .slice(0, 4),
    };
  })();
  return picked;
}

export const get = (path) => ({ method: 'GET', path });

/** `/api/v1/bugs?q=…` with the quicksearch encoded as a browser would. */
export const searchPath = (q, extra = '') => `/api/v1/bugs?q=${encodeURIComponent(q)}${extra}`;
