import { bugBenchData, get } from '../lib/bug-bench-data.mjs';

/** A bug's page data (fields, CC, flags, comments with authors, attachments) for 40 bugs with comments. */
export default {
  name: 'bugs-page',
  database: 'bugs',
  async setup(ctx) {
    const d = await bugBenchData(ctx);
    return { requests: d.pageIds.map((id) => get(`/api/v1/bugs/${id}`)), rawSql: true };
  },
};
