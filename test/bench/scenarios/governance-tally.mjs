import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { formatTable, goalLines } from '../lib/report.mjs';

/** The target from the governance issue: 10,000 ranked ballots over 20 options. */
export const TALLY_P95_MS = 100;

const VOTERS = 10_000;
const OPTIONS = 20;

const log = (msg) => console.log(`[bench] ${msg}`);

/** mulberry32: seeded, so every run counts the same ballots and runs on one machine compare. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Ballots shaped like real ones: each voter ranks a random prefix of a shuffled list (the rest
 * unranked), and one in five ranks two options equal somewhere.
 */
export function randomBallots(voters = VOTERS, options = OPTIONS, seed = 20250601) {
  const random = prng(seed);
  return Array.from({ length: voters }, () => {
    const order = Array.from({ length: options }, (_, i) => i);
    for (let i = options - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const ranked = 1 + Math.floor(random() * options);
    const ballot = new Array(options).fill(null);
    for (let k = 0; k < ranked; k++) ballot[order[k]] = k + 1;
    if (ranked > 1 && random() < 0.2) ballot[order[1]] = 1;
    return ballot;
  });
}

/**
 * The floor: the cheapest correct Schulze count of the same ballots, written inline with no
 * validation, no tiers, no tie-break and no result object. Pairwise counts and Floyd–Warshall
 * widest paths over Int32Array; returns the strongest-path matrix and the unbeaten options.
 */
export function rawSchulze(ballots, n) {
  const d = new Int32Array(n * n);
  const r = new Float64Array(n);
  for (const ballot of ballots) {
    for (let i = 0; i < n; i++) r[i] = ballot[i] === null ? Infinity : ballot[i];
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (r[i] < r[j]) d[i * n + j]++;
        else if (r[j] < r[i]) d[j * n + i]++;
      }
    }
  }
  const p = new Int32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (d[i * n + j] > d[j * n + i]) p[i * n + j] = d[i * n + j];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i || p[j * n + i] === 0) continue;
      for (let k = 0; k < n; k++) {
        if (k === i || k === j) continue;
        const via = Math.min(p[j * n + i], p[i * n + k]);
        if (via > p[j * n + k]) p[j * n + k] = via;
      }
    }
  }
  const unbeaten = [];
  for (let x = 0; x < n; x++) {
    let beaten = false;
    for (let y = 0; y < n && !beaten; y++) beaten = p[y * n + x] > p[x * n + y];
    if (!beaten) unbeaten.push(x);
  }
  return { strongest: p, unbeaten };
}

function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Times `runs` calls after `warmup` unmeasured ones (so the JIT has compiled the hot loops). */
function measure(fn, { runs, warmup }) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  const elapsed = performance.now() - started;
  times.sort((a, b) => a - b);
  return {
    // In the harness's shape: "req/s" reads as tallies per second here.
    reqPerSec: (runs / elapsed) * 1000,
    latencyMs: { p50: percentile(times, 0.5), p95: percentile(times, 0.95), p99: percentile(times, 0.99) },
    errors: 0,
    non2xx: 0,
    timeouts: 0,
    runs,
  };
}

/**
 * Counts the ballots with the built library (api/dist) and with the raw loop, checks both agree,
 * and prints the harness's table. Pure computation in this process: no HTTP request is involved.
 */
export function runTallyBench(repoRoot, env = process.env) {
  const require = createRequire(import.meta.url);
  const { tallySchulze } = require(join(repoRoot, 'api/dist/modules/governance/tally/index.js'));
  const runs = Math.max(1, Number(env.BENCH_TALLY_RUNS ?? 100));
  const warmup = Math.max(1, Number(env.BENCH_TALLY_WARMUP ?? 10));
  const ballots = randomBallots();
  const options = Array.from({ length: OPTIONS }, (_, i) => `option-${String(i + 1).padStart(2, '0')}`);

  // Same numbers from both, or the comparison is meaningless.
  const lib = tallySchulze({ options, ballots, seed: 'bench' });
  const raw = rawSchulze(ballots, OPTIONS);
  const same = lib.strongest.every((row, i) => row.every((v, j) => v === raw.strongest[i * OPTIONS + j]));
  const rawTop = raw.unbeaten.map((i) => options[i]).sort();
  if (!same || JSON.stringify([...lib.tiers[0]].sort()) !== JSON.stringify(rawTop)) {
    throw new Error('governance-tally: the library and the raw baseline disagree on the strongest paths');
  }

  log(
    `governance-tally: Schulze over ${VOTERS} ballots x ${OPTIONS} options, ${runs} runs after ${warmup} warm-up (in process, no HTTP)`,
  );
  const product = measure(() => tallySchulze({ options, ballots, seed: 'bench' }), { runs, warmup });
  log(`  product : p50 ${product.latencyMs.p50.toFixed(2)} ms, p95 ${product.latencyMs.p95.toFixed(2)} ms`);
  const baseline = measure(() => rawSchulze(ballots, OPTIONS), { runs, warmup });
  log(`  raw loop: p50 ${baseline.latencyMs.p50.toFixed(2)} ms, p95 ${baseline.latencyMs.p95.toFixed(2)} ms`);

  const result = {
    name: 'governance-tally',
    product,
    baseline,
    baselineKind: 'raw-loop',
    targets: { p95: TALLY_P95_MS },
    ratio: {
      throughput: product.reqPerSec / baseline.reqPerSec,
      p95: product.latencyMs.p95 / baseline.latencyMs.p95,
      p99: product.latencyMs.p99 / baseline.latencyMs.p99,
    },
  };
  console.log(`\n${formatTable([result])}\n`);
  console.log(
    'req/s = tallies per second. The baseline is the same count written as one bare loop over Int32Array\n' +
      '(pairwise counts + Floyd-Warshall, no validation or result object), run in the same process.',
  );
  console.log(`${goalLines([result]).join('\n')}\n`);
  return result;
}

/** A computation, not an endpoint: timed in process, reported in the harness's table with its baseline. */
export default {
  name: 'governance-tally',
  setup(ctx) {
    return { measured: runTallyBench(ctx.repoRoot) };
  },
};

// `node test/bench/scenarios/governance-tally.mjs` runs just this count, without PostgreSQL or the API.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const repoRoot = process.env.BENCH_REPO_ROOT || resolve(fileURLToPath(import.meta.url), '../../../..');
  const r = runTallyBench(repoRoot);
  if (r.product.latencyMs.p95 > TALLY_P95_MS) process.exitCode = 1;
}
