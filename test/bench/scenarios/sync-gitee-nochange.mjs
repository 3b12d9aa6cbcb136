// Passes over an organisation of 2,500 repositories that did not change since the last pass
// (after sync-gitee-full, or after a full pass of its own): only the list pages are requested.
// Raw baseline: the same list requests with bare fetch, no database.
import { log } from '../lib/mirrors-bench.mjs';
import { rawPass, stats, SYNC_REPOS, syncBench } from './sync-gitee-full.mjs';

export default {
  name: 'sync-gitee-nochange',
  async setup(ctx) {
    const runs = Number(process.env.BENCH_SYNC_NOCHANGE_RUNS ?? 5);
    const bench = await syncBench(ctx);
    const [{ n }] = await bench.ds.query(`SELECT count(*)::int AS n FROM packages WHERE gitee_org = $1`, [bench.org]);
    if (n !== SYNC_REPOS) {
      log('sync-gitee-nochange: no full pass yet; running one first (not measured)');
      await bench.reset();
      await bench.pass();
    }
    log(`sync-gitee-nochange: ${SYNC_REPOS} unchanged repositories, ${runs} passes`);
    const times = [];
    try {
      for (let i = 0; i < runs; i++) {
        const p = await bench.pass();
        times.push(p.ms);
        const s = p.result.stats;
        log(
          `  product : ${(p.ms / 1000).toFixed(2)} s, ${p.requests} requests, ${(p.requests / SYNC_REPOS).toFixed(4)} per repository; ` +
            `updated ${s.updated}, created ${s.created}, removed ${s.removed}`,
        );
        if (p.byKind.branches || s.updated || s.created)
          throw new Error('sync-gitee-nochange: an unchanged pass re-read details');
      }
      const raw = [];
      for (let i = 0; i < runs; i++) raw.push((await rawPass(bench.apiUrl, { branches: false })).ms);
      log(`  raw     : ${raw.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s (list pages only, bare fetch)`);
      return { measured: { product: stats(times), baseline: stats(raw), baselineKind: 'raw-requests' } };
    } finally {
      await bench.stop();
    }
  },
};
