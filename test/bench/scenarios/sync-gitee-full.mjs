// A full Gitee sync of 2,500 repositories from the fake Gitee (infra/fakes/gitee.js, in its own
// process, 50 ms of simulated latency on every call), with the built GiteeSyncService (api/dist)
// on the bench database. Reported: time, requests made, requests per repository. Raw baseline:
// the same requests (list pages one after another, each page's branch listings at the same
// concurrency) with bare fetch, no database. `sync-gitee-nochange` then runs passes over the
// unchanged organisation with the same fake and database.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { forkAndWait, log } from '../lib/mirrors-bench.mjs';

export const SYNC_REPOS = Number(process.env.BENCH_SYNC_REPOS ?? 2500);
export const SYNC_LATENCY_MS = Number(process.env.BENCH_SYNC_LATENCY_MS ?? 50);
export const SYNC_CONCURRENCY = Number(process.env.BENCH_SYNC_CONCURRENCY ?? 4);
const ORG = 'bench-rpms';

/** Per-run times → the harness's measured shape (one "request" = one pass). */
export function stats(times) {
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

let shared = null;

/** The fake in its own process and a GiteeSyncService from api/dist, shared by the sync-* scenarios. */
export async function syncBench(ctx) {
  if (shared) return shared;
  const fake = await forkAndWait(
    'fake-gitee',
    join(ctx.repoRoot, 'infra/fakes/gitee.js'),
    { FAKE_GITEE_PORT: '0', FAKE_GITEE_ORGS: `${ORG}:${SYNC_REPOS}`, FAKE_LATENCY_MS: String(SYNC_LATENCY_MS) },
    'listening',
  );
  const apiUrl = `http://127.0.0.1:${fake.msg.port}/api/v5`;
  const require = createRequire(join(ctx.repoRoot, 'api/package.json'));
  const { DataSource } = require('typeorm');
  const { default: Redis } = require('ioredis');
  const { dataSourceOptions } = require(join(ctx.repoRoot, 'api/dist/database/data-source.js'));
  const { loadConfig } = require(join(ctx.repoRoot, 'api/dist/config/config.js'));
  const { GiteeSyncService } = require(join(ctx.repoRoot, 'api/dist/modules/sync/gitee-sync.service.js'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `och_bench_sync_${randomBytes(3).toString('hex')}`,
    SYNC_GITEE_API_URL: apiUrl,
    SYNC_GITEE_ORGS: ORG,
    SYNC_GITEE_CONCURRENCY: String(SYNC_CONCURRENCY),
    SYNC_GITEE_HOURLY_BUDGET: '1000000',
    SYNC_DEFAULT_SIG: 'default',
  });
  const ds = await new DataSource(dataSourceOptions(ctx.databaseUrl)).initialize();
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  await ds.query(
    `INSERT INTO sigs (slug, name_zh, name_en, status, approved_at) VALUES ('default', '默认', 'Default', 'active', now())
     ON CONFLICT DO NOTHING`,
  );
  const control = (path, body) =>
    fetch(
      `http://127.0.0.1:${fake.msg.port}/_fake/${path}`,
      body ? { method: 'POST', body: JSON.stringify(body) } : {},
    ).then((r) => r.json());
  shared = {
    org: ORG,
    apiUrl,
    ds,
    sync: new GiteeSyncService(ds, config, { redis }),
    control,
    /** One pass; its time, the fake's count of requests, and the pass's own result. */
    async pass() {
      await control('reset', {});
      const t0 = performance.now();
      const result = await shared.sync.syncOrg(ORG);
      const ms = performance.now() - t0;
      const { requests, byKind } = await control('stats');
      if (result.outcome !== 'completed') throw new Error(`sync pass ${result.outcome}: ${result.error ?? ''}`);
      return { ms, requests, byKind, result };
    },
    async reset() {
      await ds.query(`DELETE FROM packages WHERE gitee_org = $1`, [ORG]);
      await ds.query(`DELETE FROM sync_gitee_orgs WHERE org = $1`, [ORG]);
    },
    async stop() {
      shared = null;
      redis.disconnect();
      await ds.destroy();
      await fake.stop();
    },
  };
  process.once('beforeExit', () => void shared?.stop());
  return shared;
}

/** The floor: the same requests a full pass makes, with bare fetch and no database. */
export async function rawPass(apiUrl, { branches }) {
  const t0 = performance.now();
  let requests = 0;
  for (let page = 1; ; page++) {
    const res = await fetch(`${apiUrl}/orgs/${ORG}/repos?type=all&page=${page}&per_page=100`);
    requests++;
    const repos = await res.json();
    const pages = Number(res.headers.get('total_page'));
    if (branches) {
      const queue = [...repos];
      await Promise.all(
        Array.from({ length: SYNC_CONCURRENCY }, async () => {
          for (let r = queue.shift(); r; r = queue.shift()) {
            await (await fetch(`${apiUrl}/repos/${ORG}/${r.path}/branches`)).json();
            requests++;
          }
        }),
      );
    }
    if (page >= pages) break;
  }
  return { ms: performance.now() - t0, requests };
}

export default {
  name: 'sync-gitee-full',
  async setup(ctx) {
    const runs = Number(process.env.BENCH_SYNC_RUNS ?? 1);
    const bench = await syncBench(ctx);
    log(
      `sync-gitee-full: ${SYNC_REPOS} repositories, ${SYNC_LATENCY_MS} ms per call, concurrency ${SYNC_CONCURRENCY}, ${runs} run(s)`,
    );
    const times = [];
    let last;
    for (let i = 0; i < runs; i++) {
      await bench.reset();
      last = await bench.pass();
      times.push(last.ms);
      log(
        `  product : ${(last.ms / 1000).toFixed(2)} s, ${last.requests} requests (${JSON.stringify(last.byKind)}), ` +
          `${(last.requests / SYNC_REPOS).toFixed(3)} per repository; created ${last.result.stats.created}`,
      );
      if (last.result.stats.created !== SYNC_REPOS)
        throw new Error('sync-gitee-full: not every repository was created');
    }
    const raw = [];
    for (let i = 0; i < runs; i++) {
      const r = await rawPass(bench.apiUrl, { branches: true });
      raw.push(r.ms);
      log(`  raw     : ${(r.ms / 1000).toFixed(2)} s, ${r.requests} requests (bare fetch, no database)`);
    }
    return { measured: { product: stats(times), baseline: stats(raw), baselineKind: 'raw-requests' } };
  },
};
