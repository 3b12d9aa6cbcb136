/**
 * The one typed, validated view of the environment. Every variable has a default that works on a
 * developer machine with PostgreSQL and Redis on 127.0.0.1, and a comment saying what it is for.
 * The README's configuration table is generated from the same descriptions (see CONFIG_DOCS).
 */

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string;
  /** true when DATABASE_URL was not given explicitly (the embedded fallback may kick in). */
  databaseUrlDefaulted: boolean;
  redisUrl: string;
  sessionSecret: string;
  sessionTtlHours: number;
  smtpUrl: string;
  mailFrom: string;
  giteeBaseUrl: string;
  giteeClientId: string;
  giteeClientSecret: string;
  webMode: 'embedded' | 'proxy' | 'off';
  webUpstreamUrl: string;
  logLevel: string;
  bodyLimit: string;
  throttleAuthLimit: number;
  throttleAuthTtlSeconds: number;
  queuePrefix: string;
  trustProxy: boolean;
  dataDir: string;
  attachmentMaxBytes: number;
  needinfoReminderDays: number;
  ballotKey: string;
  programmeReviewerRoles: string[];
  programmeRetentionDays: number;
}

interface VarDoc {
  name: string;
  default: string;
  doc: string;
}

export const CONFIG_DOCS: VarDoc[] = [
  { name: 'NODE_ENV', default: 'development', doc: 'development, production or test.' },
  { name: 'PORT', default: '3000', doc: 'The one public HTTP port: pages, /api, /rest, /download, /metalink.' },
  { name: 'HOST', default: '127.0.0.1', doc: 'Interface to listen on (0.0.0.0 in containers).' },
  {
    name: 'PUBLIC_URL',
    default: 'http://localhost:3000',
    doc: 'Origin users see; used in mails, OAuth callbacks, CSRF origin checks; https turns on Secure cookies.',
  },
  {
    name: 'DATABASE_URL',
    default: 'postgres://postgres@127.0.0.1:5432/opencloudos_hub',
    doc: 'PostgreSQL. The database is created if missing. If unset and nothing answers, an embedded PGlite serves ./.data/pglite.',
  },
  { name: 'REDIS_URL', default: 'redis://127.0.0.1:6379', doc: 'Redis for BullMQ queues and rate limiting. Required.' },
  {
    name: 'SESSION_SECRET',
    default: '(random per start in development)',
    doc: 'Secret for signing receipts and tokens. Set it in production.',
  },
  { name: 'SESSION_TTL_HOURS', default: '336', doc: 'How long a login session lasts without use (14 days).' },
  {
    name: 'SMTP_URL',
    default: 'smtp://127.0.0.1:1025',
    doc: 'Outgoing mail server (nodemailer URL). In development mails that cannot be delivered are logged and retried.',
  },
  { name: 'MAIL_FROM', default: 'OpenCloudOS Hub <noreply@opencloudos.org>', doc: 'From: address of notifications.' },
  { name: 'GITEE_BASE_URL', default: 'https://gitee.com', doc: 'Gitee for OAuth login (a fake server in tests).' },
  { name: 'GITEE_CLIENT_ID', default: '(empty: Gitee login hidden)', doc: 'OAuth2 application id on Gitee.' },
  { name: 'GITEE_CLIENT_SECRET', default: '(empty)', doc: 'OAuth2 application secret on Gitee.' },
  {
    name: 'WEB_MODE',
    default: 'embedded',
    doc: 'embedded: the API process serves the SvelteKit build in-process; proxy: forwards pages to WEB_UPSTREAM_URL; off: API only.',
  },
  {
    name: 'WEB_UPSTREAM_URL',
    default: 'http://127.0.0.1:3001',
    doc: 'Where the web server listens when WEB_MODE=proxy.',
  },
  { name: 'LOG_LEVEL', default: 'info', doc: 'pino level: fatal, error, warn, info, debug, trace, silent.' },
  { name: 'BODY_LIMIT', default: '1mb', doc: 'Largest JSON or form body accepted.' },
  {
    name: 'THROTTLE_AUTH_LIMIT',
    default: '10',
    doc: 'Login/registration/token-creation attempts per client per window.',
  },
  { name: 'THROTTLE_AUTH_TTL_SECONDS', default: '60', doc: 'The rate-limit window for those attempts.' },
  { name: 'QUEUE_PREFIX', default: 'och', doc: 'Redis key prefix for BullMQ (tests use their own).' },
  {
    name: 'TRUST_PROXY',
    default: 'false',
    doc: 'Trust X-Forwarded-* from any proxy in front (otherwise only from loopback, i.e. the in-process web app).',
  },
  { name: 'DB_POOL_MAX', default: '20', doc: 'PostgreSQL connections per process (4 with the embedded PGlite).' },
  { name: 'DEMO_PASSWORD', default: 'opencloudos-demo', doc: 'Password of the demo accounts that npm start seeds.' },
  { name: 'DATA_DIR', default: './.data', doc: 'Local data: embedded database, attachments.' },
  { name: 'ATTACHMENT_MAX_BYTES', default: '10485760', doc: 'Largest bug attachment accepted (10 MiB).' },
  {
    name: 'NEEDINFO_REMINDER_DAYS',
    default: '7',
    doc: 'A needinfo request unanswered this many days reminds its requestee (then again every as many days).',
  },
  {
    name: 'BALLOT_KEY',
    default: '(generated once into DATA_DIR/ballot.key)',
    doc: 'HMAC key that turns (proposal, voter) into a ballot id. Keep it out of the database and stable: secret ballots are unlinkable without it, and a changed key lets people vote twice in open votes.',
  },
  {
    name: 'PROGRAMME_REVIEWER_ROLES',
    default: 'body:council:member',
    doc: 'Comma-separated roles whose holders review 千百双扶 programme applications (e.g. sig:marketing:maintainer, triager); admins always can.',
  },
  {
    name: 'PROGRAMME_RETENTION_DAYS',
    default: '730',
    doc: "Days after the decision (or withdrawal) when an application's personal data is erased.",
  },
];

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function url(env: NodeJS.ProcessEnv, name: string, def: string, protocols: string[]): string {
  const raw = env[name] || def;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, def: T, allowed: readonly T[]): T {
  const raw = (env[name] || def) as T;
  if (!allowed.includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw;
}

let devSecret: string | undefined;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', 'development', ['development', 'production', 'test'] as const);
  let sessionSecret = env.SESSION_SECRET ?? '';
  if (!sessionSecret) {
    if (nodeEnv === 'production') throw new ConfigError('SESSION_SECRET must be set in production');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    devSecret ??= (require('node:crypto') as typeof import('node:crypto')).randomBytes(32).toString('hex');
    sessionSecret = devSecret;
  } else if (sessionSecret.length < 16) {
    throw new ConfigError('SESSION_SECRET must be at least 16 characters');
  }
  const port = int(env, 'PORT', 3000, 0, 65535);
  return {
    nodeEnv,
    port,
    host: env.HOST || '127.0.0.1',
    publicUrl: url(env, 'PUBLIC_URL', `http://localhost:${port}`, ['http:', 'https:']).replace(/\/$/, ''),
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/opencloudos_hub', [
      'postgres:',
      'postgresql:',
    ]),
    databaseUrlDefaulted: !env.DATABASE_URL,
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    sessionSecret,
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 336, 1, 24 * 365),
    smtpUrl: url(env, 'SMTP_URL', 'smtp://127.0.0.1:1025', ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM || 'OpenCloudOS Hub <noreply@opencloudos.org>',
    giteeBaseUrl: url(env, 'GITEE_BASE_URL', 'https://gitee.com', ['http:', 'https:']).replace(/\/$/, ''),
    giteeClientId: env.GITEE_CLIENT_ID ?? '',
    giteeClientSecret: env.GITEE_CLIENT_SECRET ?? '',
    webMode: oneOf(env, 'WEB_MODE', 'embedded', ['embedded', 'proxy', 'off'] as const),
    webUpstreamUrl: url(env, 'WEB_UPSTREAM_URL', 'http://127.0.0.1:3001', ['http:', 'https:']),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    bodyLimit: env.BODY_LIMIT || '1mb',
    throttleAuthLimit: int(env, 'THROTTLE_AUTH_LIMIT', 10, 1, 100000),
    throttleAuthTtlSeconds: int(env, 'THROTTLE_AUTH_TTL_SECONDS', 60, 1, 86400),
    queuePrefix: env.QUEUE_PREFIX || 'och',
    trustProxy: oneOf(env, 'TRUST_PROXY', 'false', ['true', 'false'] as const) === 'true',
    dataDir: env.DATA_DIR || './.data',
    attachmentMaxBytes: int(env, 'ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    needinfoReminderDays: int(env, 'NEEDINFO_REMINDER_DAYS', 7, 1, 365),
    ballotKey: env.BALLOT_KEY ?? '',
    programmeReviewerRoles: (env.PROGRAMME_REVIEWER_ROLES ?? 'body:council:member')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
    programmeRetentionDays: int(env, 'PROGRAMME_RETENTION_DAYS', 730, 1, 3650),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
