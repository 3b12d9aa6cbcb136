#!/usr/bin/env node
// `npm start` (after the build): migrations, demo data, then API (with the web app in-process) and
// workers, until Ctrl-C. With DATABASE_URL unset and no PostgreSQL on 127.0.0.1:5432, it serves an
// embedded PGlite from ./.data/pglite instead. Redis has no embedded form: without it, it stops.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { ROOT, run } from './lib.mjs';
import { startMailCatcher } from './mail-catcher.mjs';

const require = createRequire(join(ROOT, 'api/package.json'));
const env = { ...process.env };
env.PORT ??= '3000';
env.PUBLIC_URL ??= `http://localhost:${env.PORT}`;
const log = (msg) => console.log(`[start] ${msg}`);

function reachable(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function embeddedPostgres() {
  const dataDir = resolve(ROOT, env.DATA_DIR ?? '.data', 'pglite');
  mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import(require.resolve('@electric-sql/pglite'));
  const { PGLiteSocketServer } = await import(require.resolve('@electric-sql/pglite-socket'));
  // The bug tracker's search needs pg_trgm (substrings, Chinese, duplicate hints).
  const { pg_trgm } = await import(require.resolve('@electric-sql/pglite/contrib/pg_trgm'));
  const db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  const port = Number(env.EMBEDDED_PG_PORT ?? 54329);
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 50 });
  await server.start();
  log(
    `embedded PostgreSQL (PGlite, data in ${dataDir}) on 127.0.0.1:${port}: DATABASE_URL was unset with nothing on 127.0.0.1:5432, or set to "embedded"`,
  );
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => (await server.stop(), await db.close()),
  };
}

let embedded = null;
if (env.DATABASE_URL === 'embedded' || (!env.DATABASE_URL && !(await reachable('127.0.0.1', 5432)))) {
  embedded = await embeddedPostgres();
  env.DATABASE_URL = embedded.url;
  env.DB_POOL_MAX ??= '4';
  env.DB_STARTUP_OPTIONS ??= '';
}

const redisUrl = new URL(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
if (!(await reachable(redisUrl.hostname, Number(redisUrl.port || 6379)))) {
  console.error(
    `Redis is not reachable at ${redisUrl.origin}: start one with "redis-server --daemonize yes --port 6379" (Debian: apt-get install redis-server), or set REDIS_URL.`,
  );
  process.exit(1);
}

let mailCatcher = null;
if (!env.SMTP_URL && !(await reachable('127.0.0.1', 1025))) {
  mailCatcher = await startMailCatcher(1025, resolve(ROOT, env.DATA_DIR ?? '.data'));
  log('no SMTP server on 127.0.0.1:1025 and SMTP_URL unset: mails are printed here and kept in .data/mail');
}

// DEMO_FAKES=1: a fake Gitee (2,500 repositories) and a fake Koji hub as child processes, with the
// sync workers pointed at them, so the demo shows packages, builds and webhooks syncing live.
const fakes = [];
if (env.DEMO_FAKES === '1' || env.DEMO_FAKES === 'true') {
  const giteePort = Number(env.FAKE_GITEE_PORT ?? 3901);
  const kojiPort = Number(env.FAKE_KOJI_PORT ?? 3902);
  const fakeEnv = {
    ...process.env,
    FAKE_GITEE_PORT: String(giteePort),
    FAKE_KOJI_PORT: String(kojiPort),
    FAKE_GITEE_ORGS: env.FAKE_GITEE_ORGS ?? 'src-opencloudos-rpms:2500',
    FAKE_KOJI_PACKAGES: env.FAKE_KOJI_PACKAGES ?? '300',
    FAKE_GITEE_TICK_SECONDS: env.FAKE_GITEE_TICK_SECONDS ?? '20',
    FAKE_KOJI_TICK_SECONDS: env.FAKE_KOJI_TICK_SECONDS ?? '30',
  };
  for (const file of ['infra/fakes/gitee.js', 'infra/fakes/koji.js']) {
    fakes.push(spawn(process.execPath, [file], { cwd: ROOT, env: fakeEnv, stdio: ['ignore', 'inherit', 'inherit'] }));
  }
  // however start.mjs ends (a failed migration included), the fakes end with it
  process.on('exit', () => fakes.forEach((f) => f.exitCode === null && f.kill('SIGTERM')));
  for (const port of [giteePort, kojiPort]) {
    for (let i = 0; i < 50 && !(await reachable('127.0.0.1', port, 200)); i++)
      await new Promise((r) => setTimeout(r, 100));
  }
  env.SYNC_GITEE_API_URL ??= `http://127.0.0.1:${giteePort}/api/v5`;
  env.SYNC_GITEE_ORGS ??= 'src-opencloudos-rpms';
  env.SYNC_GITEE_INTERVAL_MINUTES ??= '2';
  env.KOJI_HUB_URL ??= `http://127.0.0.1:${kojiPort}/kojihub`;
  env.KOJI_POLL_MINUTES ??= '1';
  env.GITEE_WEBHOOK_SECRET ??= 'demo-webhook-secret';
  log(
    `DEMO_FAKES: fake Gitee on http://127.0.0.1:${giteePort}/api/v5, fake Koji on http://127.0.0.1:${kojiPort}/kojihub; webhook secret "${env.GITEE_WEBHOOK_SECRET}" (see infra/fakes/README.md)`,
  );
}

await run('node', ['api/dist/cli.js', 'db:migrate'], { env });
await run('node', ['api/dist/cli.js', 'db:seed'], { env });

const children = [];
let stopping = false;
function launch(name, file) {
  const child = spawn(process.execPath, [file], { cwd: ROOT, env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${name} exited (${code ?? signal}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push(child);
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', resolve);
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 15000).unref();
        }),
    ),
  );
  for (const f of fakes) if (f.exitCode === null) f.kill('SIGTERM');
  if (embedded) await embedded.stop();
  mailCatcher?.close();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

launch('api', 'api/dist/main.js');
launch('workers', 'workers/dist/main.js');

const ready = `http://127.0.0.1:${env.PORT}/api/health/ready`;
for (let i = 0; i < 120 && !stopping; i++) {
  try {
    if ((await fetch(ready)).ok) {
      log(`OpenCloudOS Hub is up: ${env.PUBLIC_URL}  (API docs: ${env.PUBLIC_URL}/api/docs)`);
      log(
        'demo accounts: admin (site admin), zhangwei, liuyang, alice, bob … (see README); password: ' +
          (env.DEMO_PASSWORD || 'opencloudos-demo'),
      );
      break;
    }
  } catch {
    // not listening yet
  }
  await new Promise((r) => setTimeout(r, 500));
}
