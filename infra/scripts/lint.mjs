#!/usr/bin/env node
// `npm run lint`: eslint, prettier --check, tsc --noEmit per workspace, svelte-check. The checks run
// in two lanes at once (each is mostly one core's work, and CI has two); each check's output is
// printed when it ends, so lanes do not interleave. Every check runs, then the script fails if any did.
import { spawn } from 'node:child_process';
import { ROOT } from './lib.mjs';

const lanes = [
  [
    ['eslint', 'npx', ['eslint', '--max-warnings=0', '.']],
    ['tsc workers', 'npx', ['tsc', '--noEmit', '-p', 'workers/tsconfig.json']],
    ['tsc test', 'npx', ['tsc', '--noEmit', '-p', 'test/tsconfig.json']],
  ],
  [
    ['prettier', 'npx', ['prettier', '--check', '--log-level=warn', '.']],
    ['tsc api', 'npx', ['tsc', '--noEmit', '-p', 'api/tsconfig.json']],
    ['svelte-check', 'npm', ['run', 'check', '-w', 'web']],
  ],
];

/** Runs a command in the repository root with its output kept; resolves to { ok, output }. */
function check(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => resolve({ ok: false, output: `${output}${err.message}\n` }));
    child.on('exit', (code, signal) =>
      resolve({ ok: code === 0, output: code === 0 ? output : `${output}exited with ${code ?? signal}\n` }),
    );
  });
}

const failed = [];
await Promise.all(
  lanes.map(async (lane) => {
    for (const [name, cmd, args] of lane) {
      const started = Date.now();
      const { ok, output } = await check(cmd, args);
      const took = ((Date.now() - started) / 1000).toFixed(1);
      if (ok) {
        console.log(`✓ lint: ${name} (${took} s)`);
      } else {
        failed.push(name);
        console.error(`\n✗ lint: ${name} failed (${took} s)\n${output.trimEnd()}\n`);
      }
    }
  }),
);
if (failed.length) {
  console.error(`lint failed: ${failed.join(', ')}`);
  process.exit(1);
}
