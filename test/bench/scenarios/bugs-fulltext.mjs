import { bugBenchData, get, searchPath, SEARCH_P95_MS } from '../lib/bug-bench-data.mjs';

/**
 * Full-text search sorted by relevance: plain English words (common and rare), Chinese terms
 * (CJK bigrams), a word found in one comment only, and the same words newest-first.
 */
export default {
  name: 'bugs-fulltext',
  database: 'bugs',
  async setup(ctx) {
    const d = await bugBenchData(ctx);
    const relevance = [
      'kernel panic',
      'memory leak',
      'nvme timeout',
      'selinux denial',
      '磁盘识别',
      '性能下降',
      '安装程序 启动失败',
      d.rareWords[1] ?? d.rareWords[0],
      d.singletonWord,
    ].map((q) => get(searchPath(q, '&sort=relevance')));
    const newest = ['kernel panic', '内核崩溃'].map((q) => get(searchPath(q, '&sort=updated')));
    return { requests: [...relevance, ...newest], rawSql: true, targets: { p95: SEARCH_P95_MS } };
  },
};
