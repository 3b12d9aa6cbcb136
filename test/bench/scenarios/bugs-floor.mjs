import { bugBenchData, get } from '../lib/bug-bench-data.mjs';

/**
 * The floor under the bug scenarios' targets on this machine: a duplicate hint for a summary with
 * no word to look for (`a ! ?`). It takes the same way through the API (routing, validation,
 * one prepared statement on the 1M-bug database, JSON) and finds nothing, so its p95 at the same
 * concurrency is what the load generator, Node and PostgreSQL cost before any search work. A
 * target below this line cannot be met here by the product's SQL; see README "Benchmarks".
 */
export default {
  name: 'bugs-floor',
  database: 'bugs',
  async setup(ctx) {
    await bugBenchData(ctx);
    return {
      requests: [get(`/api/v1/bugs/duplicates?product=OpenCloudOS&summary=${encodeURIComponent('a ! ?')}`)],
      rawSql: true,
    };
  },
};
