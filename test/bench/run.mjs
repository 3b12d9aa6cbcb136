// Benchmark: the product against a bare node:http server answering the same bytes.
// Not part of the test suite; see README.md. Run with `npm run bench` (root) or `npm run bench -w test`.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { createContext, rawRequest } from './lib/context.mjs';
import { openPool, recreateDatabase } from './lib/database.mjs';
import { runLoad } from './lib/load.mjs';
import {
  forkNodeProcess,
  freePort,
  installExitHandlers,
  runNodeScript,
  startNodeProcess,
  stopAll,
  waitForOk,
} from './lib/processes.mjs';
import { failures, formatTable } from './lib/report.mjs';
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

async function measure(label, baseUrl, request, opts) {
  const load = {
    url: new URL(request.path, baseUrl).toString(),
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections: opts.connections,
  };
  await runLoad({ ...load, durationSeconds: opts.warmupSeconds });
  const result = await runLoad({ ...load, durationSeconds: opts.durationSeconds });
  log(`  ${label}: ${result.reqPerSec.toFixed(0)} req/s, p99 ${result.latencyMs.p99?.toFixed(2)} ms`);
  return result;
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
  const scenarios = await loadScenarios(join(opts.benchDir, 'scenarios'), opts.filters);
  installExitHandlers();

  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const reportsDir = join(opts.benchDir, 'reports');
  mkdirSync(reportsDir, { recursive: true });
  const apiLog = join(reportsDir, `${stamp}-api.log`);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: opts.databaseUrl,
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

  log(`database ${new URL(opts.databaseUrl).pathname.slice(1)}: re-creating and migrating`);
  await recreateDatabase(opts.databaseUrl);
  runNodeScript(cliJs, ['db:migrate'], { cwd: opts.repoRoot, env });

  log(`starting the API on ${baseUrl} (log: ${apiLog})`);
  const api = startNodeProcess('api', mainJs, { cwd: opts.repoRoot, env, logFile: apiLog });
  try {
    await waitForOk(`${baseUrl}/api/health/ready`, api);
  } catch (err) {
    const tail = readFileSync(apiLog, 'utf8').trimEnd().split('\n').slice(-40).join('\n');
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- last lines of ${apiLog} ---\n${tail}`);
  }
  const baseline = await startBaseline();

  const db = openPool(opts.databaseUrl);
  const results = [];
  try {
    const ctx = createContext({ baseUrl, db });
    log(
      `${scenarios.length} scenario(s), ${opts.connections} connections, ${opts.warmupSeconds} s warm-up + ${opts.durationSeconds} s each`,
    );
    for (const scenario of scenarios) {
      const request = validateRequest(scenario.name, await scenario.setup(ctx));
      const sample = await rawRequest(baseUrl, request);
      if (sample.status < 200 || sample.status > 299) {
        throw new Error(
          `scenario ${scenario.name}: ${request.method} ${request.path} answered ${sample.status}: ${sample.body.toString().slice(0, 500)}`,
        );
      }
      const shape = {
        status: sample.status,
        contentType: sample.headers['content-type'] ?? null,
        size: sample.body.length,
      };
      await baseline.shape(shape);
      log(
        `${scenario.name}: ${request.method} ${request.path} -> ${shape.status} ${shape.contentType}, ${shape.size} bytes`,
      );
      const product = await measure('product ', baseUrl, request, opts);
      const base = await measure('baseline', baseline.url, request, opts);
      results.push({
        name: scenario.name,
        request: { method: request.method, path: request.path },
        response: shape,
        product,
        baseline: base,
        ratio: {
          throughput: product.reqPerSec / base.reqPerSec,
          p99: product.latencyMs.p99 / base.latencyMs.p99,
        },
      });
    }
  } finally {
    await db.end();
    await stopAll();
  }

  console.log(`\n${formatTable(results)}\n`);
  console.log('req/s ratio = product / baseline throughput; p99 ratio = product p99 / baseline p99.');
  const reportFile = join(reportsDir, `${stamp}.json`);
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    commit: gitCommit(opts.repoRoot),
    node: process.version,
    cpus: { count: cpus().length, model: cpus()[0]?.model ?? null },
    options: {
      connections: opts.connections,
      durationSeconds: opts.durationSeconds,
      warmupSeconds: opts.warmupSeconds,
      filters: opts.filters,
    },
    scenarios: results,
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
