// Benchmark: the product against a bare node:http server answering the same bytes.
// Not part of the test suite; see README.md. Run with `npm run bench` (root) or `npm run bench -w test`.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { createContext, rawRequest } from './lib/context.mjs';
import { ensureDatabase, openPool, recreateDatabase } from './lib/database.mjs';
import { runLoad } from './lib/load.mjs';
import {
  forkNodeProcess,
  freePort,
  installExitHandlers,
  runNodeScript,
  startNodeProcess,
  stopAll,
  stopProcess,
  waitForOk,
} from './lib/processes.mjs';
import { measureMachine } from './lib/machine.mjs';
import { captureSql, runRawSql } from './lib/raw-sql.mjs';
import { failures, formatTable, goalLines } from './lib/report.mjs';
import { readOptions } from './lib/options.mjs';

const log = (msg) => console.log(`[bench] ${msg}`);

async function loadScenarios(dir, filters) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .sort();
  const all = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(join(dir, file)).href);
    const scenario = mod.default;
    if (!scenario || typeof scenario.name !== 'string' || typeof scenario.setup !== 'function') {
      throw new Error(`scenarios/${file} must export default { name, setup(ctx) }`);
    }
    all.push(scenario);
  }
  const picked = filters.length ? all.filter((s) => filters.some((f) => s.name.includes(f))) : all;
  if (picked.length === 0) {
    throw new Error(`no scenario matches ${filters.join(', ')}; have: ${all.map((s) => s.name).join(', ')}`);
  }
  return picked;
}

function validateRequest(name, req) {
  if (!req || typeof req.path !== 'string' || !req.path.startsWith('/')) {
    throw new Error(`scenario ${name}: setup() must return { method, path: '/…', headers?, body? }`);
  }
  return { method: (req.method ?? 'GET').toUpperCase(), path: req.path, headers: req.headers ?? {}, body: req.body };
}

/**
 * What setup() returned: one request, or `{ requests: [...] }` (a mix each connection cycles
 * through) with optional `rawSql: true` (baseline = the captured SQL run with pg) and `targets`
 * (`{ p95: ms }`), or `{ skip: 'why' }`, or `{ measured: { product, baseline, baselineKind, targets } }`
 * for a computation the scenario timed itself in process against its own baseline.
 */
function validatePlan(name, plan) {
  if (plan && typeof plan.skip === 'string') return { skip: plan.skip };
  if (plan && plan.measured) {
    const m = plan.measured;
    if (!m.product?.latencyMs || !m.baseline?.latencyMs || typeof m.baselineKind !== 'string') {
      throw new Error(`scenario ${name}: measured must carry product, baseline (with latencyMs) and baselineKind`);
    }
    return { measured: m };
  }
  const requests = (Array.isArray(plan?.requests) ? plan.requests : [plan]).map((r) => validateRequest(name, r));
  if (requests.length === 0) throw new Error(`scenario ${name}: setup() returned no requests`);
  return { requests, rawSql: plan?.rawSql === true, targets: plan?.targets ?? null };
}

function gitCommit(cwd) {
  const res = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim() : null;
}

async function startBaseline() {
  const port = await freePort();
  const child = forkNodeProcess('baseline', new URL('./lib/baseline-server.mjs', import.meta.url).pathname, {
    env: { ...process.env, PORT: String(port) },
  });
  // The next IPC message, or an error if the server dies instead of answering.
  const nextMessage = (expected) =>
    new Promise((resolveMessage, reject) => {
      const onExit = (code, signal) =>
        reject(new Error(`baseline server exited (${code ?? signal}) before "${expected}"`));
      child.once('exit', onExit);
      child.once('message', (msg) => {
        child.off('exit', onExit);
        if (msg?.type === expected) resolveMessage(msg);
        else reject(new Error(`baseline server said ${JSON.stringify(msg)}, expected "${expected}"`));
      });
    });
  await nextMessage('listening');
  return {
    url: `http://127.0.0.1:${port}`,
    async shape(shape) {
      const reply = nextMessage('shaped');
      child.send({ type: 'shape', ...shape });
      await reply;
    },
  };
}

async function measure(label, baseUrl, requests, opts) {
  const load = {
    url: new URL(requests[0].path, baseUrl).toString(),
    method: requests[0].method,
    headers: requests[0].headers,
    body: requests[0].body,
    // a mix: autocannon runs each connection through the list, over and over
    requests: requests.length > 1 ? requests : undefined,
    connections: opts.connections,
  };
  await runLoad({ ...load, durationSeconds: opts.warmupSeconds });
  const result = await runLoad({ ...load, durationSeconds: opts.durationSeconds });
  log(
    `  ${label}: ${result.reqPerSec.toFixed(0)} req/s, p95 ${result.latencyMs.p95?.toFixed(2)} ms, p99 ${result.latencyMs.p99?.toFixed(2)} ms`,
  );
  return result;
}

async function measureRawSql(databaseUrl, captured, opts) {
  const load = { databaseUrl, captured, connections: opts.connections, pgOptions: opts.pgOptions };
  await runRawSql({ ...load, durationSeconds: opts.warmupSeconds });
  const result = await runRawSql({ ...load, durationSeconds: opts.durationSeconds });
  log(
    `  raw SQL : ${result.reqPerSec.toFixed(0)} req/s, p95 ${result.latencyMs.p95?.toFixed(2)} ms, p99 ${result.latencyMs.p99?.toFixed(2)} ms`,
  );
  for (const k of result.perRequest) {
    log(
      `    ${k.latencyMs.p50?.toFixed(1).padStart(7)} / ${k.latencyMs.p95?.toFixed(1).padStart(7)} ms p50/p95 raw  ${decodeURIComponent(k.path)}`,
    );
  }
  return result;
}

/** The database a group of scenarios runs on: `database: 'bugs'` means a kept `<bench db>_bugs`. */
function groupDatabase(opts, database) {
  if (!database) return { url: opts.databaseUrl, keep: false };
  const fromEnv = process.env[`BENCH_${database.toUpperCase()}_DATABASE_URL`];
  if (fromEnv) return { url: fromEnv, keep: true };
  const url = new URL(opts.databaseUrl);
  url.pathname = `${url.pathname}_${database}`;
  return { url: url.toString(), keep: true };
}

async function main() {
  const opts = readOptions();
  const mainJs = join(opts.repoRoot, 'api/dist/main.js');
  const cliJs = join(opts.repoRoot, 'api/dist/cli.js');
  for (const file of [mainJs, cliJs]) {
    if (!existsSync(file))
      throw new Error(
        `${file} is missing: build first (\`npm run build -w api\`, or run \`npm run bench\` at the root)`,
      );
  }
  // The raw replay connects as the API's pool does (its built default, or what the environment says).
  const { DEFAULT_DB_STARTUP_OPTIONS } = await import(
    pathToFileURL(join(opts.repoRoot, 'api/dist/config/config.js')).href
  );
  opts.pgOptions = (process.env.DB_STARTUP_OPTIONS ?? DEFAULT_DB_STARTUP_OPTIONS) || undefined;
  const scenarios = await loadScenarios(join(opts.benchDir, 'scenarios'), opts.filters);
  installExitHandlers();

  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const reportsDir = join(opts.benchDir, 'reports');
  mkdirSync(reportsDir, { recursive: true });
  const captureFile = join(reportsDir, `${stamp}-sql-capture.jsonl`);
  const machine = await measureMachine(opts.databaseUrl);
  log(
    `machine now: JavaScript yardstick ${machine.jsLoopMs} ms, PostgreSQL round trip ${machine.pgRoundTripUs} µs ` +
      '(runs compare when these do)',
  );

  // Scenarios run in groups by database: the re-created bench database, or a kept one they name.
  const groups = new Map();
  for (const s of scenarios) {
    const key = s.database ?? '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(s);
  }

  const baseline = await startBaseline();
  const results = [];
  const skipped = [];
  try {
    for (const [database, group] of groups) {
      const target = groupDatabase(opts, database);
      const dbName = new URL(target.url).pathname.slice(1);
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const apiLog = join(reportsDir, `${stamp}-api${database ? `-${database}` : ''}.log`);
      const env = {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: target.url,
        REDIS_URL: opts.redisUrl,
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: baseUrl,
        SESSION_SECRET: randomBytes(16).toString('hex'),
        LOG_LEVEL: 'warn',
        WEB_MODE: 'off',
        QUEUE_PREFIX: 'och_bench',
        THROTTLE_AUTH_LIMIT: '100000',
      };

      if (target.keep) {
        log(`database ${dbName}: kept between runs; migrating`);
        await ensureDatabase(target.url);
      } else {
        log(`database ${dbName}: re-creating and migrating`);
        await recreateDatabase(target.url);
      }
      // a kept database may hold a million rows that new migrations index
      runNodeScript(cliJs, ['db:migrate'], { cwd: opts.repoRoot, env, timeoutMs: target.keep ? 3_600_000 : 120_000 });

      log(`starting the API on ${baseUrl} (log: ${apiLog})`);
      const apiEnv = {
        ...env,
        BENCH_CAPTURE_FILE: captureFile,
        NODE_OPTIONS:
          `${process.env.NODE_OPTIONS ?? ''} --require ${new URL('./lib/capture-sql.cjs', import.meta.url).pathname}`.trim(),
      };
      const api = startNodeProcess('api', mainJs, { cwd: opts.repoRoot, env: apiEnv, logFile: apiLog });
      try {
        await waitForOk(`${baseUrl}/api/health/ready`, api);
      } catch (err) {
        const tail = readFileSync(apiLog, 'utf8').trimEnd().split('\n').slice(-40).join('\n');
        throw new Error(
          `${err instanceof Error ? err.message : String(err)}\n--- last lines of ${apiLog} ---\n${tail}`,
        );
      }

      const db = openPool(target.url);
      try {
        const ctx = createContext({ baseUrl, db, databaseUrl: target.url, repoRoot: opts.repoRoot });
        log(
          `${group.length} scenario(s), ${opts.connections} connections, ${opts.warmupSeconds} s warm-up + ${opts.durationSeconds} s each`,
        );
        for (const scenario of group) {
          const plan = validatePlan(scenario.name, await scenario.setup(ctx));
          if (plan.skip) {
            log(`${scenario.name}: SKIPPED — ${plan.skip}`);
            skipped.push({ name: scenario.name, reason: plan.skip });
            continue;
          }
          if (plan.measured) {
            const m = plan.measured;
            results.push({
              name: scenario.name,
              request: { method: 'IN-PROCESS', path: scenario.name, mix: 1 },
              product: m.product,
              baseline: m.baseline,
              baselineKind: m.baselineKind,
              targets: m.targets ?? null,
              ratio: {
                throughput: m.product.reqPerSec / m.baseline.reqPerSec,
                p95: m.product.latencyMs.p95 / m.baseline.latencyMs.p95,
                p99: m.product.latencyMs.p99 / m.baseline.latencyMs.p99,
              },
            });
            continue;
          }
          const { requests } = plan;
          const samples = [];
          for (const request of requests) {
            const sample = await rawRequest(baseUrl, request);
            if (sample.status < 200 || sample.status > 299) {
              throw new Error(
                `scenario ${scenario.name}: ${request.method} ${request.path} answered ${sample.status}: ${sample.body.toString().slice(0, 500)}`,
              );
            }
            samples.push(sample);
          }
          const shape = {
            status: samples[0].status,
            contentType: samples[0].headers['content-type'] ?? null,
            size: Math.round(samples.reduce((a, x) => a + x.body.length, 0) / samples.length),
          };
          log(
            `${scenario.name}: ${requests.length > 1 ? `${requests.length} requests, e.g. ` : ''}${requests[0].method} ${requests[0].path} -> ${shape.status} ${shape.contentType}, ${shape.size} bytes${requests.length > 1 ? ' on average' : ''}`,
          );
          const product = await measure('product ', baseUrl, requests, opts);
          let base;
          let baselineKind;
          if (plan.rawSql) {
            const captured = await captureSql(baseUrl, captureFile, requests);
            const statements = captured.reduce((a, c) => a + c.statements.length, 0);
            log(`  captured ${statements} SQL statements from ${captured.length} requests; replaying them with pg`);
            base = await measureRawSql(target.url, captured, opts);
            baselineKind = 'raw-sql';
          } else {
            await baseline.shape(shape);
            base = await measure('baseline', baseline.url, requests, opts);
            baselineKind = 'baseline';
          }
          results.push({
            name: scenario.name,
            request: { method: requests[0].method, path: requests[0].path, mix: requests.length },
            response: shape,
            product,
            baseline: base,
            baselineKind,
            targets: plan.targets,
            ratio: {
              throughput: product.reqPerSec / base.reqPerSec,
              p95: product.latencyMs.p95 / base.latencyMs.p95,
              p99: product.latencyMs.p99 / base.latencyMs.p99,
            },
          });
        }
      } finally {
        await db.end();
        await stopProcess(api);
      }
    }
  } finally {
    await stopAll();
  }

  console.log(`\n${formatTable(results)}\n`);
  console.log(
    'req/s ratio = product / baseline throughput; p95/p99 ratio = product / baseline latency. The baseline is a bare\n' +
      'node:http server, or for "raw-sql" rows the SQL the API sent for the same requests, replayed with pg.',
  );
  const goals = goalLines(results);
  if (goals.length)
    console.log(`\nTargets (${opts.connections} connections):\n${goals.map((g) => `  ${g}`).join('\n')}`);
  for (const s of skipped) console.log(`\nSKIPPED ${s.name}: ${s.reason}`);
  const reportFile = join(reportsDir, `${stamp}.json`);
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    commit: gitCommit(opts.repoRoot),
    node: process.version,
    cpus: { count: cpus().length, model: cpus()[0]?.model ?? null },
    machine,
    options: {
      connections: opts.connections,
      durationSeconds: opts.durationSeconds,
      warmupSeconds: opts.warmupSeconds,
      filters: opts.filters,
    },
    scenarios: results,
    skipped,
  };
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  log(`report: ${reportFile}`);

  const failed = failures(results);
  if (failed.length) {
    console.error(`\nFAILED: errors or non-2xx responses\n${failed.map((f) => `  ${f}`).join('\n')}`);
    process.exitCode = 1;
  }
}

main().catch(async (err) => {
  const detail = err instanceof Error ? (process.env.BENCH_DEBUG ? err.stack : err.message) : String(err);
  console.error(`[bench] failed: ${detail}`);
  await stopAll();
  process.exitCode = 1;
});
