import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

import { rawRequest } from './context.mjs';

const statementNames = new Map();
/** One name per statement text, as the API names the statements it prepares. */
function statementName(text) {
  if (!statementNames.has(text)) statementNames.set(text, `raw_${statementNames.size}`);
  return statementNames.get(text);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function summarise(times, seconds) {
  const sorted = Float64Array.from(times).sort();
  const n = sorted.length;
  return {
    requests: n,
    reqPerSec: n / seconds,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: n ? sorted[n - 1] : null,
      mean: n ? sorted.reduce((a, b) => a + b, 0) / n : null,
    },
  };
}

/**
 * Sends each request once with `x-bench-capture` and returns, per request, the statements the API
 * sent to PostgreSQL for it (recorded by capture-sql.cjs into `captureFile`), in order.
 */
export async function captureSql(baseUrl, captureFile, requests) {
  const out = [];
  for (const [i, req] of requests.entries()) {
    writeFileSync(captureFile, '');
    const label = `r${i}`;
    const res = await rawRequest(baseUrl, { ...req, headers: { ...req.headers, 'x-bench-capture': label } });
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${req.method} ${req.path} answered ${res.status}: ${res.body.toString().slice(0, 300)}`);
    }
    await sleep(20);
    const lines = existsSync(captureFile) ? readFileSync(captureFile, 'utf8').split('\n').filter(Boolean) : [];
    const statements = lines
      .map((l) => JSON.parse(l))
      .filter((s) => s.label === label)
      .map(({ text, values, prepared }) => ({ text, values, prepared: Boolean(prepared) }));
    if (!statements.length) {
      throw new Error(`captured no SQL for ${req.path}: was the API started with capture-sql.cjs preloaded?`);
    }
    out.push({ path: req.path, statements });
  }
  return out;
}

/**
 * The raw floor: `connections` clients, each on its own pg connection, replaying the captured
 * statements of one request after another (cycling through the mix, like autocannon does with
 * `requests`) for `durationSeconds`. Statements the API ran concurrently on several pooled
 * connections run one after the other here, so for such requests this floor is conservative.
 */
export async function runRawSql({ databaseUrl, captured, connections, durationSeconds, pgOptions }) {
  // (pgOptions: the connection options the API's pool starts with; see run.mjs)
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const c = new pg.Client({ connectionString: databaseUrl, options: pgOptions });
      await c.connect();
      return c;
    }),
  );
  const times = [];
  const perKind = captured.map(() => []);
  let errors = 0;
  let firstError;
  const started = performance.now();
  const deadline = started + durationSeconds * 1000;
  try {
    await Promise.all(
      clients.map(async (c, ci) => {
        let k = ci % captured.length;
        while (performance.now() < deadline) {
          const t = performance.now();
          try {
            let skipping = false;
            for (const s of captured[k].statements) {
              // the API's capped count may hit its statement_timeout here though it did not when
              // captured: do what the API does then (keep the page, take the estimate; a count in
              // a transaction of its own is rolled back and its COMMIT skipped)
              if (skipping && /^COMMIT/.test(s.text)) continue;
              skipping = false;
              try {
                await (s.prepared
                  ? c.query({ name: statementName(s.text), text: s.text, values: s.values })
                  : c.query(s.text, s.values));
              } catch (err) {
                if (err.code !== '57014') throw err;
                await c.query('ROLLBACK'); // (only a warning outside a transaction)
                skipping = true;
              }
            }
            const ms = performance.now() - t;
            times.push(ms);
            perKind[k].push(ms);
          } catch (err) {
            errors++;
            firstError ??= err;
            try {
              await c.query('ROLLBACK');
            } catch {
              // not in a transaction
            }
          }
          k = (k + 1) % captured.length;
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  const seconds = (performance.now() - started) / 1000;
  if (firstError) console.error(`[bench]   raw SQL error: ${firstError.message}`);
  return {
    ...summarise(times, seconds),
    errors,
    timeouts: 0,
    non2xx: 0,
    statusCodes: {},
    perRequest: captured.map((c, i) => ({ path: c.path, ...summarise(perKind[i], seconds) })),
  };
}
