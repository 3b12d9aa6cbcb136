import { bugBenchData, get, SEARCH_P95_MS } from '../lib/bug-bench-data.mjs';

/**
 * The Bugzilla-compatible REST query (GET /rest/bug?product=…&component=…&status=…), as
 * python-bugzilla and other clients send it. Skipped, with a note, while the API has no /rest/bug.
 */
export default {
  name: 'bugs-rest',
  database: 'bugs',
  async setup(ctx) {
    const probe = await ctx.fetch('/rest/bug?limit=1');
    await probe.arrayBuffer();
    if (probe.status === 404)
      return { skip: 'GET /rest/bug answers 404: the Bugzilla REST module is not in this build' };
    const d = await bugBenchData(ctx);
    const queries = [
      'product=OpenCloudOS&component=kernel&status=CONFIRMED&limit=50',
      'product=OpenCloudOS&component=systemd&status=UNCONFIRMED&status=CONFIRMED&limit=50',
      'product=OpenCloudOS&component=anaconda&limit=20',
      `product=OpenCloudOS&assigned_to=${d.assignee}&status=IN_PROGRESS&limit=50`,
      'product=OpenCloudOS%20Stream&status=CONFIRMED&limit=50',
      'product=OpenCloudOS&quicksearch=kernel%20panic&limit=20',
    ];
    return { requests: queries.map((q) => get(`/rest/bug?${q}`)), rawSql: true, targets: { p95: SEARCH_P95_MS } };
  },
};
