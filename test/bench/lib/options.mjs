import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function positiveNumber(env, name, def) {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

/** Everything the run can be told, from the environment and the command line (scenario filters). */
export function readOptions(env = process.env, argv = process.argv.slice(2)) {
  const filters = [...argv, ...(env.BENCH_SCENARIOS ?? '').split(',')].map((s) => s.trim()).filter(Boolean);
  return {
    // Where api/dist lives; only changed to point the harness at a stand-in build.
    repoRoot: resolve(env.BENCH_REPO_ROOT || resolve(here, '../../..')),
    benchDir: resolve(here, '..'),
    databaseUrl: env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/och_bench',
    redisUrl: env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
    durationSeconds: positiveNumber(env, 'BENCH_DURATION', 10),
    warmupSeconds: positiveNumber(env, 'BENCH_WARMUP', 2),
    connections: Math.round(positiveNumber(env, 'BENCH_CONNECTIONS', 16)),
    filters,
  };
}
