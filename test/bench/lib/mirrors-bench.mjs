// Helpers of the mirrors-* scenarios: a child process from an IPC-speaking script, and load runs
// that count 302 as the expected answer (the harness's own runs expect 2xx).
import { runLoad } from './load.mjs';
import { readOptions } from './options.mjs';
import { forkNodeProcess, freePort, stopProcess } from './processes.mjs';

export const log = (msg) => console.log(`[bench] ${msg}`);

/** Forks `script` with `env`, and waits for its first IPC message of `type`. */
export async function forkAndWait(label, script, env, type) {
  const child = forkNodeProcess(label, script, { env: { ...process.env, ...env } });
  const msg = await new Promise((resolveMessage, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`${label} exited (${code ?? signal}) before "${type}"`)));
    child.once('message', (m) =>
      m?.type === type ? resolveMessage(m) : reject(new Error(`${label} said ${JSON.stringify(m)}`)),
    );
  });
  return { child, msg, stop: () => stopProcess(child) };
}

export async function startRedirectBaseline(location, link) {
  const port = await freePort();
  const b = await forkAndWait(
    'redirect-baseline',
    new URL('./mirrors-redirect-baseline.mjs', import.meta.url).pathname,
    { PORT: String(port) },
    'listening',
  );
  const shaped = new Promise((r) => b.child.once('message', r));
  b.child.send({ type: 'shape', location, link });
  await shaped;
  return { url: `http://127.0.0.1:${port}`, stop: b.stop };
}

/** Warm-up, then the measured run; `expected` is the only status that is not an error. */
export async function measureStatus(label, url, expected, requests) {
  const opts = readOptions();
  const load = {
    url: new URL(requests[0].path, url).toString(),
    method: 'GET',
    headers: requests[0].headers ?? {},
    requests:
      requests.length > 1
        ? requests.map((r) => ({ method: 'GET', path: r.path, headers: r.headers ?? {} }))
        : undefined,
    connections: opts.connections,
  };
  await runLoad({ ...load, durationSeconds: opts.warmupSeconds });
  const result = await runLoad({ ...load, durationSeconds: opts.durationSeconds });
  const unexpected = Object.entries(result.statusCodes ?? {})
    .filter(([code]) => Number(code) !== expected)
    .reduce((a, [, v]) => a + (v.count ?? 0), 0);
  log(
    `  ${label}: ${result.reqPerSec.toFixed(0)} req/s, p50 ${result.latencyMs.p50?.toFixed(2)} ms, p95 ${result.latencyMs.p95?.toFixed(2)} ms, p99 ${result.latencyMs.p99?.toFixed(2)} ms`,
  );
  return { ...result, non2xx: unexpected };
}
