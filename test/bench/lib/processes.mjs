import { fork, spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const children = new Set();

/** Tracks a child so that stopAll() and the exit handler end it; forgets it when it exits. */
function track(child, label) {
  child.label = label;
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Runs `node <script> ...args` to completion; throws with its output if it fails. */
export function runNodeScript(script, args, { cwd, env, timeoutMs = 120_000 }) {
  const res = spawnSync(process.execPath, [script, ...args], { cwd, env, encoding: 'utf8', timeout: timeoutMs });
  if (res.status !== 0) {
    const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim();
    throw new Error(
      `node ${script} ${args.join(' ')} failed (${res.error?.message ?? `exit ${res.status}`}):\n${output}`,
    );
  }
  return res.stdout;
}

/** Starts `node <script>` in the background with its output appended to `logFile`. */
export function startNodeProcess(label, script, { cwd, env, logFile }) {
  const fd = openSync(logFile, 'a');
  try {
    return track(spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', fd, fd] }), label);
  } finally {
    closeSync(fd);
  }
}

/** Starts a forked helper that talks over IPC (the baseline server). */
export function forkNodeProcess(label, script, { env } = {}) {
  return track(fork(script, [], { env: env ?? process.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }), label);
}

/** Polls `url` until it answers 200; fails early if `child` dies first. */
export async function waitForOk(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${child.label} exited (${child.exitCode ?? child.signalCode}) before ${url} answered`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM to one child, SIGKILL if it is still there after `graceMs`. */
export async function stopProcess(child, graceMs = 5_000) {
  if (exited(child)) return;
  child.kill('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (!exited(child) && Date.now() < deadline) await sleep(50);
  if (!exited(child)) child.kill('SIGKILL');
}

/** SIGTERM to every child, SIGKILL to whatever is still there after `graceMs`. */
export async function stopAll(graceMs = 5_000) {
  const running = [...children].filter((c) => !exited(c));
  for (const child of running) child.kill('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (running.some((c) => !exited(c)) && Date.now() < deadline) await sleep(50);
  for (const child of running) if (!exited(child)) child.kill('SIGKILL');
}

let installed = false;

/** Makes sure no child outlives the harness, however it ends. */
export function installExitHandlers() {
  if (installed) return;
  installed = true;
  // 'exit' handlers cannot wait, so this is the blunt last resort.
  process.on('exit', () => {
    for (const child of children) if (!exited(child)) child.kill('SIGKILL');
  });
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping children`);
      stopAll(2_000).finally(() => process.exit(code));
    });
  }
}
