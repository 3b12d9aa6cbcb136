import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { ARTIFACTS_DIR } from './e2e-env';
import { startMailSink, type MailSink } from './mail-sink';

const execFileAsync = promisify(execFile);

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The PostgreSQL server the suite creates its throw-away database on (trust auth). */
const PG_ADMIN_URL = process.env.E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379';
const READY_TIMEOUT_MS = 90_000;

export interface Stack {
  baseUrl: string;
  mailboxUrl: string;
  /** The suite's own database, for fixtures the API cannot make (site roles). */
  databaseUrl: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function psql(sql: string): Promise<void> {
  await execFileAsync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-d', PG_ADMIN_URL, '-c', sql]);
}

function databaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Removes the suite's BullMQ keys; best effort, as redis-cli may be missing. */
async function clearRedisPrefix(prefix: string): Promise<void> {
  try {
    const { stdout } = await execFileAsync('redis-cli', ['-u', REDIS_URL, '--scan', '--pattern', `${prefix}:*`]);
    const keys = stdout.split('\n').filter(Boolean);
    for (let i = 0; i < keys.length; i += 500) {
      await execFileAsync('redis-cli', ['-u', REDIS_URL, 'UNLINK', ...keys.slice(i, i + 500)]);
    }
  } catch {
    // Left-over keys under a random prefix harm nobody.
  }
}

interface Managed {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
}

function start(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, logDir: string): Managed {
  const file = path.join(REPO_ROOT, script);
  if (!existsSync(file)) {
    throw new Error(`${script} does not exist: build the product first (npm run build at the repository root)`);
  }
  const logFile = path.join(logDir, `${name}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [file, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, logFile, exited };
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function stopProcess(proc: Managed): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
  await proc.exited;
  clearTimeout(timer);
}

async function waitForReady(url: string, api: Managed): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (api.child.exitCode !== null) {
      throw new Error(`api exited with ${api.child.exitCode} before it was ready:\n${tail(api.logFile)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} was not ready after ${READY_TIMEOUT_MS} ms (${last}):\n${tail(api.logFile)}`);
}

/**
 * Starts the built product as it runs in production, on its own database, Redis prefix, port and
 * SMTP sink: migrations, then the API (serving the web build in-process) and the workers.
 * Everything it started is stopped and dropped by stop(), also when start-up fails halfway.
 */
export async function startStack(): Promise<Stack> {
  const id = randomBytes(4).toString('hex');
  const dbName = `och_e2e_${id}`;
  const queuePrefix = `och_e2e_${id}`;
  const logDir = path.join(ARTIFACTS_DIR, 'logs');
  mkdirSync(logDir, { recursive: true });

  const processes: Managed[] = [];
  let sink: MailSink | null = null;
  let dbCreated = false;

  const stop = async (): Promise<void> => {
    await Promise.all(processes.reverse().map(stopProcess));
    await sink?.stop();
    if (dbCreated) await psql(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await clearRedisPrefix(queuePrefix);
  };

  try {
    sink = await startMailSink();
    await psql(`CREATE DATABASE "${dbName}"`);
    dbCreated = true;

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl(dbName),
      REDIS_URL,
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      SMTP_URL: `smtp://127.0.0.1:${sink.smtpPort}`,
      QUEUE_PREFIX: queuePrefix,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      NODE_ENV: 'test',
      WEB_MODE: 'embedded',
      LOG_LEVEL: 'warn',
      THROTTLE_AUTH_LIMIT: '1000',
    };

    const migrate = start('migrate', 'api/dist/cli.js', ['db:migrate'], env, logDir);
    processes.push(migrate);
    const migrated = await migrate.exited;
    if (migrated !== 0) throw new Error(`db:migrate exited with ${migrated}:\n${tail(migrate.logFile)}`);

    const api = start('api', 'api/dist/main.js', [], env, logDir);
    processes.push(api);
    processes.push(start('workers', 'workers/dist/main.js', [], env, logDir));
    await waitForReady(`${baseUrl}/api/health/ready`, api);

    return { baseUrl, mailboxUrl: sink.httpUrl, databaseUrl: databaseUrl(dbName), stop };
  } catch (error) {
    await stop().catch((cleanupError: unknown) => console.error('cleanup after a failed start failed', cleanupError));
    throw error;
  }
}
