import { bugBenchData, get, searchPath, SEARCH_P95_MS } from '../lib/bug-bench-data.mjs';

/**
 * Quicksearch as people type it, on 1M bugs (BENCH_BUGS): filters with words, @assignee with a
 * priority range, Chinese terms, a phrase, a rare word, a word that matches nothing, common words.
 * Default sort (last change first), open bugs unless a status is given.
 */
export default {
  name: 'bugs-quicksearch',
  database: 'bugs',
  async setup(ctx) {
    const d = await bugBenchData(ctx);
    const queries = [
      'status:CONFIRMED component:kernel panic',
      `@${d.assignee} P1-2`,
      '内核 崩溃',
      '"null pointer"',
      d.rareWords[0],
      'zqxvnomatchword',
      'fails error',
      '网络丢包 component:kernel',
      'FIXED memory leak',
      '升级失败',
    ];
    return { requests: queries.map((q) => get(searchPath(q))), rawSql: true, targets: { p95: SEARCH_P95_MS } };
  },
};
