// /download/<iso> with 500 mirrors registered, against a bare node:http server answering one
// constant 302 (same Location and Link lengths) in its own process. Target: within 2x of it.
import { BENCH_ISO, seedBenchMirrors } from '../lib/mirrors-seed.mjs';
import { log, measureStatus, startRedirectBaseline } from '../lib/mirrors-bench.mjs';
import { rawRequest } from '../lib/context.mjs';

const COUNTRIES = ['CN', 'DE', 'US', 'BR', 'JP', 'ZA', 'AU', 'FR'];

export default {
  name: 'mirrors-redirect',
  async setup(ctx) {
    await seedBenchMirrors(ctx.db);
    const requests = COUNTRIES.map((c) => ({ path: `/download/${BENCH_ISO}?country=${c}` }));
    // the API re-reads mirrors every MIRROR_CACHE_SECONDS; wait until it sees all 500
    let sample;
    for (const deadline = Date.now() + 20_000; ;) {
      sample = await rawRequest(ctx.baseUrl, { method: 'GET', path: requests[0].path });
      if (sample.status !== 302)
        throw new Error(`mirrors-redirect: expected 302, got ${sample.status}: ${sample.body}`);
      if (String(sample.headers['x-mirror']).startsWith('bench-mirror-') && sample.headers.link) break;
      if (Date.now() > deadline) throw new Error('mirrors-redirect: the API never picked up the bench mirrors');
      await new Promise((r) => setTimeout(r, 500));
    }
    log(
      `mirrors-redirect: GET ${requests[0].path} -> 302 ${sample.headers.location} (+ ${COUNTRIES.length - 1} other countries)`,
    );
    const baseline = await startRedirectBaseline(sample.headers.location, sample.headers.link ?? '');
    try {
      const product = await measureStatus('product ', ctx.baseUrl, 302, requests);
      const base = await measureStatus('baseline', baseline.url, 302, requests);
      const ratio = product.latencyMs.p95 / base.latencyMs.p95;
      const throughput = base.reqPerSec / product.reqPerSec;
      log(
        `  ${ratio <= 2 && throughput <= 2 ? 'PASS' : 'FAIL'} mirrors-redirect: p95 ${ratio.toFixed(2)}x and ${throughput.toFixed(2)}x fewer req/s than the raw 302 (target <= 2x)`,
      );
      return { measured: { product, baseline: base, baselineKind: 'baseline' } };
    } finally {
      await baseline.stop();
    }
  },
};
