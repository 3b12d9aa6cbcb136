// One probe sweep of 500 fake mirrors (5% dead: they accept connections and never answer) with
// the built prober (api/dist) on the bench database. Target: the sweep finishes within 2x the
// per-mirror timeout. Raw baseline: the same concurrency fetching each mirror's TIME file with
// bare node:http and no timeout handling beyond the same deadline, no database.

import { request } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BENCH_ISO, seedBenchMirrors } from '../lib/mirrors-seed.mjs';
import { forkAndWait, log } from '../lib/mirrors-bench.mjs';

const SIZE = 500;
const DEAD_EVERY = 20; // 5%
const TIMEOUT_MS = Number(process.env.BENCH_PROBE_TIMEOUT_MS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_PROBE_CONCURRENCY ?? 64);
const RUNS = Number(process.env.BENCH_PROBE_RUNS ?? 3);

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const total = times.reduce((a, b) => a + b, 0);
  return {
    reqPerSec: (times.length / total) * 1000,
    latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] },
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    runs: times.length,
  };
}

/** The floor: GET /TIME of every mirror, CONCURRENCY at a time, each cut off at TIMEOUT_MS. */
async function rawSweep(ports) {
  const queue = [...ports];
  const one = (port) =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/TIME', agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.setTimeout(TIMEOUT_MS, () => req.destroy());
      req.on('error', resolve);
      req.end();
    });
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) await one(p);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

export default {
  name: 'mirrors-probe-sweep',
  async setup(ctx) {
    const repomd = '<?xml version="1.0"?><repomd><revision>1764200000</revision></repomd>';
    const fleet = await forkAndWait(
      'mirror-fleet',
      new URL('../lib/mirrors-fleet.mjs', import.meta.url).pathname,
      {
        FLEET_SIZE: String(SIZE + 1),
        FLEET_DEAD_EVERY: String(DEAD_EVERY),
        FLEET_REPOMD: repomd,
        FLEET_ISO: BENCH_ISO,
        FLEET_ISO_SIZE: '12304646144',
      },
      'listening',
    );
    try {
      // server 0 is the master; the others are the 500 mirrors (every 20th one dead)
      const [masterPort, ...ports] = fleet.msg.ports;
      await ctx.db.query(`DELETE FROM mirrors WHERE name LIKE 'bench-mirror-%'`);
      await seedBenchMirrors(ctx.db, { count: SIZE, urlOf: (i) => `http://127.0.0.1:${ports[i]}` });
      const require = createRequire(join(ctx.repoRoot, 'api/package.json'));
      const { DataSource } = require('typeorm');
      const { dataSourceOptions } = require(join(ctx.repoRoot, 'api/dist/database/data-source.js'));
      const { loadConfig } = require(join(ctx.repoRoot, 'api/dist/config/config.js'));
      const { MirrorProbeService } = require(join(ctx.repoRoot, 'api/dist/modules/mirrors/mirror-probe.service.js'));
      const config = loadConfig({
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: ctx.databaseUrl,
        MIRROR_MASTER_URL: `http://127.0.0.1:${masterPort}`,
        MIRROR_PROBE_TIMEOUT_MS: String(TIMEOUT_MS),
        MIRROR_PROBE_CONCURRENCY: String(CONCURRENCY),
        MIRROR_DISABLE_AFTER: '1000',
      });
      const ds = await new DataSource(dataSourceOptions(ctx.databaseUrl)).initialize();
      // operators are only told when a mirror is disabled, which MIRROR_DISABLE_AFTER=1000 prevents
      const nobody = { notify: async () => undefined, enqueue: async () => undefined };
      const prober = new MirrorProbeService(ds, config, nobody, nobody);
      try {
        log(
          `mirrors-probe-sweep: ${SIZE} mirrors (${SIZE / DEAD_EVERY} dead), concurrency ${CONCURRENCY}, per-mirror timeout ${TIMEOUT_MS} ms, ${RUNS} sweeps`,
        );
        const times = [];
        let last;
        for (let i = 0; i < RUNS; i++) {
          const t0 = performance.now();
          last = await prober.sweep();
          times.push(performance.now() - t0);
        }
        log(`  product : ${times.map((t) => t.toFixed(0)).join(', ')} ms; last sweep ${JSON.stringify(last)}`);
        if (last.probed !== SIZE || last.failed !== SIZE / DEAD_EVERY) {
          throw new Error(
            `mirrors-probe-sweep: expected ${SIZE} probed and ${SIZE / DEAD_EVERY} failed, got ${JSON.stringify(last)}`,
          );
        }
        const rawTimes = [];
        for (let i = 0; i < RUNS; i++) {
          const t0 = performance.now();
          await rawSweep(ports);
          rawTimes.push(performance.now() - t0);
        }
        log(`  raw     : ${rawTimes.map((t) => t.toFixed(0)).join(', ')} ms (TIME only, no database)`);
        const worst = Math.max(...times);
        log(
          `  ${worst <= 2 * TIMEOUT_MS ? 'PASS' : 'FAIL'} mirrors-probe-sweep: slowest sweep ${worst.toFixed(0)} ms (target <= 2 x ${TIMEOUT_MS} ms)`,
        );
        return {
          measured: {
            product: stats(times),
            baseline: stats(rawTimes),
            baselineKind: 'raw-sweep',
            targets: { p99: 2 * TIMEOUT_MS },
          },
        };
      } finally {
        await ds.destroy();
      }
    } finally {
      await fleet.stop();
      await ctx.db.query(`DELETE FROM mirrors WHERE name LIKE 'bench-mirror-%'`);
    }
  },
};
