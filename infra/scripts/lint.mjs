#!/usr/bin/env node
// `npm run lint`: eslint, prettier --check, tsc --noEmit per workspace, svelte-check. Stops at the
// first failure and says which step failed.
import { run, step } from './lib.mjs';

const steps = [
  ['eslint', 'npx', ['eslint', '--max-warnings=0', '.']],
  ['prettier', 'npx', ['prettier', '--check', '--log-level=warn', '.']],
  ['tsc api', 'npx', ['tsc', '--noEmit', '-p', 'api/tsconfig.json']],
  ['tsc workers', 'npx', ['tsc', '--noEmit', '-p', 'workers/tsconfig.json']],
  ['tsc test', 'npx', ['tsc', '--noEmit', '-p', 'test/tsconfig.json']],
  ['svelte-check', 'npm', ['run', 'check', '-w', 'web']],
];

for (const [name, cmd, args] of steps) {
  await step(`lint: ${name}`, () => run(cmd, args));
}
