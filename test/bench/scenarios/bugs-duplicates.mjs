import { bugBenchData, DUPLICATES_P95_MS, get } from '../lib/bug-bench-data.mjs';

/**
 * Duplicate hints while a new bug's summary is typed: summaries near existing ones (a word
 * changed, the end not typed yet), English and Chinese, plus one about nothing on file.
 */
export default {
  name: 'bugs-duplicates',
  database: 'bugs',
  async setup(ctx) {
    const d = await bugBenchData(ctx);
    const english = d.englishSummaries.map((s, i) => {
      const words = s.split(' ');
      // half: the last word not typed yet; half: a word swapped for another
      return i % 2 ? words.slice(0, -1).join(' ') : [...words.slice(0, -1), 'again'].join(' ');
    });
    const chinese = d.chineseSummaries.map((s, i) => (i % 2 ? s.slice(0, -2) : `${s.slice(0, -2)}问题`));
    const summaries = [...english, ...chinese, 'wifi adapter not detected after resume from suspend'];
    return {
      requests: summaries
        .filter((s) => s.length >= 3)
        .map((s) => get(`/api/v1/bugs/duplicates?product=OpenCloudOS&summary=${encodeURIComponent(s)}`)),
      rawSql: true,
      targets: { p95: DUPLICATES_P95_MS },
    };
  },
};
