/**
 * The one typed, validated view of the environment. Every variable has a default that works on a
 * developer machine with PostgreSQL and Redis on 127.0.0.1, and a comment saying what it is for.
 * README's configuration table lists the same variables (CONFIG_DOCS; config-docs.spec.ts checks the names).
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
  // downloads & mirrors
  mirrorMasterUrl: string;
  mirrorProbeIntervalMinutes: number;
  mirrorProbeTimeoutMs: number;
  mirrorProbeConcurrency: number;
  mirrorDisableAfter: number;
  mirrorStaleHours: number;
  mirrorCountryHeader: string;
  mirrorCacheSeconds: number;
  mirrorGeoipCsv: string;
  // sync workers (Gitee, webhooks)
  syncGiteeApiUrl: string;
  syncGiteeOrgs: string[];
  syncGiteeToken: string;
  syncGiteeIntervalMinutes: number;
  syncGiteeConcurrency: number;
  syncGiteeHourlyBudget: number;
  syncGiteeMaxWaitSeconds: number;
  syncGiteeTimeoutMs: number;
  syncReleaseBranches: string;
  syncDefaultSig: string;
  syncBotUsername: string;
  giteeWebhookSecret: string;
  giteeWebhookMaxAgeSeconds: number;
  syncBugRefPattern: string;
  syncBugFixPattern: string;
  syncResolvePolicy: 'off' | 'fixes' | 'any';
  kojiHubUrl: string;
  kojiWebUrl: string;
  kojiTags: string[];
  kojiPollMinutes: number;
  syncCommunityRepo: string;
  syncCommunityPath: string;
  syncCommunityRef: string;
  // join path: the contributor licence agreement and first good bugs
  claFile: string;
  claVersion: string;
  firstBugKeywords: string[];
}

interface VarDoc {
  name: string;
  default: string;
  doc: string;
}

/**
 * Each PostgreSQL connection's options. JIT planning costs more than these short queries take
 * (see shared/fixtures). Parallel workers serve one request with the cores the others need, and
 * a plan the planner believes large enough went parallel mid-request (duplicate hints' generic
 * plan: 1 ms became 15 ms starting workers).
 */
export const DEFAULT_DB_STARTUP_OPTIONS = '-c jit=off -c max_parallel_workers_per_gather=0';

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
  {
    name: 'DB_STARTUP_OPTIONS',
    default: DEFAULT_DB_STARTUP_OPTIONS,
    doc: 'Options each PostgreSQL connection starts with (JIT and parallel workers cost these short, concurrent queries more than they save); empty with the embedded PGlite, which takes none.',
  },
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
  {
    name: 'MIRROR_MASTER_URL',
    default: 'https://mirrors.opencloudos.tech',
    doc: 'The master mirror: releases are imported from it, mirrors are compared with it, /download falls back to it.',
  },
  { name: 'MIRROR_PROBE_INTERVAL_MINUTES', default: '15', doc: 'How often the worker probes every mirror.' },
  { name: 'MIRROR_PROBE_TIMEOUT_MS', default: '10000', doc: 'Per-mirror time limit of one probe (all its requests).' },
  { name: 'MIRROR_PROBE_CONCURRENCY', default: '32', doc: 'Mirrors probed at the same time during a sweep.' },
  {
    name: 'MIRROR_DISABLE_AFTER',
    default: '4',
    doc: 'Consecutive failed probes that disable a mirror (re-enabled, and its operator told, when it recovers).',
  },
  { name: 'MIRROR_STALE_HOURS', default: '6', doc: 'A mirror further behind the master gets no /download redirects.' },
  {
    name: 'MIRROR_COUNTRY_HEADER',
    default: 'x-client-country',
    doc: "Header with the visitor's ISO country code, set by a trusted proxy (read from loopback only unless TRUST_PROXY).",
  },
  { name: 'MIRROR_CACHE_SECONDS', default: '10', doc: 'How long /download and /metalink reuse the mirror table read.' },
  {
    name: 'MIRROR_GEOIP_CSV',
    default: '(empty: no GeoIP)',
    doc: "A country database in DB-IP's IP-to-Country Lite CSV shape (first,last,CC); when set it locates visitors before the proxy header.",
  },
  {
    name: 'SYNC_GITEE_API_URL',
    default: '$GITEE_BASE_URL/api/v5',
    doc: 'Gitee API v5 the sync worker lists repositories from (a fake server in tests).',
  },
  {
    name: 'SYNC_GITEE_ORGS',
    default: 'src-opencloudos-rpms,opencloudos-stream (empty when NODE_ENV=test)',
    doc: 'Comma-separated Gitee organisations whose repositories are packages (the first listed wins a name clash). Empty: no repository sync.',
  },
  { name: 'SYNC_GITEE_TOKEN', default: '(empty: anonymous)', doc: 'Gitee access token for the sync worker.' },
  { name: 'SYNC_GITEE_INTERVAL_MINUTES', default: '60', doc: 'How often the workers list every organisation.' },
  { name: 'SYNC_GITEE_CONCURRENCY', default: '4', doc: 'Gitee requests in flight at once during a sync pass.' },
  {
    name: 'SYNC_GITEE_HOURLY_BUDGET',
    default: '3000',
    doc: 'Gitee requests the sync may make per clock hour (shared by all workers); a pass pauses and resumes from its cursor.',
  },
  {
    name: 'SYNC_GITEE_MAX_WAIT_SECONDS',
    default: '120',
    doc: 'Longest Retry-After / X-RateLimit-Reset wait honoured in-process; longer ones pause the pass until then.',
  },
  { name: 'SYNC_GITEE_TIMEOUT_MS', default: '20000', doc: 'Time limit of one Gitee request.' },
  {
    name: 'SYNC_RELEASE_BRANCHES',
    default: '^(oc[0-9]+(\\.[0-9]+)?|stream[0-9]*)$',
    doc: "Regex of release branch names: a package's branches list, and pushes that may resolve bugs.",
  },
  {
    name: 'SYNC_DEFAULT_SIG',
    default: 'default',
    doc: 'SIG that owns repositories found on Gitee before packages.yaml assigns them (none: they are reported, not created).',
  },
  {
    name: 'SYNC_BOT_USERNAME',
    default: 'gitee-bot',
    doc: 'Account (created without a password) that writes commit comments and resolutions on bugs.',
  },
  {
    name: 'GITEE_WEBHOOK_SECRET',
    default: '(empty: webhooks refused)',
    doc: 'Secret of the Gitee webhook (signature mode, or the plain password mode) for POST /api/v1/webhooks/gitee.',
  },
  {
    name: 'GITEE_WEBHOOK_MAX_AGE_SECONDS',
    default: '300',
    doc: 'Deliveries whose X-Gitee-Timestamp is further from now are refused; seen ones are remembered this long.',
  },
  {
    name: 'SYNC_BUG_REF_PATTERN',
    default: '\\b(?:bug\\s*#?|OCBZ#)(\\d{1,9})\\b',
    doc: 'Case-insensitive regex (group 1 = bug id) of commit-message mentions that add a comment to the bug.',
  },
  {
    name: 'SYNC_BUG_FIX_PATTERN',
    default: '\\b(?:fix(?:e[sd])?|close[sd]?|resolve[sd]?):?\\s*(?:#|bug\\s*#?|OCBZ#)(\\d{1,9})\\b',
    doc: 'Case-insensitive regex (group 1 = bug id) of commit-message references that say the commit fixes the bug.',
  },
  {
    name: 'SYNC_RESOLVE_POLICY',
    default: 'fixes',
    doc: 'off: commits only comment; fixes: a push to a release branch with a fix reference resolves the bug FIXED; any: every reference on a release branch does.',
  },
  {
    name: 'KOJI_HUB_URL',
    default: '(empty: no build sync)',
    doc: "Koji's XML-RPC hub, e.g. https://koji.example.org/kojihub; the workers poll it for builds.",
  },
  {
    name: 'KOJI_WEB_URL',
    default: '(KOJI_HUB_URL with /kojihub → /koji)',
    doc: 'Koji web UI, for task and log links.',
  },
  {
    name: 'KOJI_TAGS',
    default: 'dist-oc8,dist-oc9',
    doc: 'Build targets whose builds are recorded, each also the tag of its release repository (dist-oc9 → release 9).',
  },
  { name: 'KOJI_POLL_MINUTES', default: '10', doc: 'How often the workers poll Koji for new and changed builds.' },
  {
    name: 'SYNC_COMMUNITY_REPO',
    default: 'OpenCloudOS/rpm_info (empty when NODE_ENV=test)',
    doc: 'Gitee repository (owner/name) whose packages.yaml the workers import after each repository sync. Empty: off.',
  },
  { name: 'SYNC_COMMUNITY_PATH', default: 'packages.yaml', doc: 'Path of the ownership file in that repository.' },
  { name: 'SYNC_COMMUNITY_REF', default: 'master', doc: 'Branch (or tag, commit) the file is read from.' },
  {
    name: 'CLA_FILE',
    default: '(empty: the bundled OpenCloudOS individual CLA)',
    doc: 'Markdown file with the contributor licence agreement newcomers sign on /join.',
  },
  {
    name: 'CLA_VERSION',
    default: '1.0',
    doc: 'Version of that text; raising it (or changing the text) asks everyone to sign again.',
  },
  {
    name: 'FIRST_BUG_KEYWORDS',
    default: 'good-first-bug,easyfix',
    doc: 'Comma-separated bug keywords that put an open public bug on the first-good-bugs list of /join.',
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
    mirrorMasterUrl: url(env, 'MIRROR_MASTER_URL', 'https://mirrors.opencloudos.tech', ['http:', 'https:']).replace(
      /\/+$/,
      '',
    ),
    mirrorProbeIntervalMinutes: int(env, 'MIRROR_PROBE_INTERVAL_MINUTES', 15, 1, 24 * 60),
    mirrorProbeTimeoutMs: int(env, 'MIRROR_PROBE_TIMEOUT_MS', 10_000, 100, 300_000),
    mirrorProbeConcurrency: int(env, 'MIRROR_PROBE_CONCURRENCY', 32, 1, 1000),
    mirrorDisableAfter: int(env, 'MIRROR_DISABLE_AFTER', 4, 1, 1000),
    mirrorStaleHours: int(env, 'MIRROR_STALE_HOURS', 6, 1, 24 * 30),
    mirrorCountryHeader: (env.MIRROR_COUNTRY_HEADER || 'x-client-country').toLowerCase(),
    mirrorCacheSeconds: int(env, 'MIRROR_CACHE_SECONDS', 10, 0, 3600),
    mirrorGeoipCsv: env.MIRROR_GEOIP_CSV ?? '',
    ...syncConfig(env, url(env, 'GITEE_BASE_URL', 'https://gitee.com', ['http:', 'https:']).replace(/\/$/, '')),
  };
}

function regex(env: NodeJS.ProcessEnv, name: string, def: string): string {
  const raw = env[name] || def;
  try {
    new RegExp(raw, 'i');
  } catch {
    throw new ConfigError(`${name} is not a valid regular expression: "${raw}"`);
  }
  return raw;
}

function syncConfig(env: NodeJS.ProcessEnv, giteeBaseUrl: string) {
  return {
    syncGiteeApiUrl: url(env, 'SYNC_GITEE_API_URL', `${giteeBaseUrl}/api/v5`, ['http:', 'https:']).replace(/\/+$/, ''),
    // tests never reach the real Gitee unless they say so
    syncGiteeOrgs: (env.SYNC_GITEE_ORGS ?? (env.NODE_ENV === 'test' ? '' : 'src-opencloudos-rpms,opencloudos-stream'))
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    syncGiteeToken: env.SYNC_GITEE_TOKEN ?? '',
    syncGiteeIntervalMinutes: int(env, 'SYNC_GITEE_INTERVAL_MINUTES', 60, 1, 7 * 24 * 60),
    syncGiteeConcurrency: int(env, 'SYNC_GITEE_CONCURRENCY', 4, 1, 64),
    syncGiteeHourlyBudget: int(env, 'SYNC_GITEE_HOURLY_BUDGET', 3000, 1, 1_000_000),
    syncGiteeMaxWaitSeconds: int(env, 'SYNC_GITEE_MAX_WAIT_SECONDS', 120, 0, 3600),
    syncGiteeTimeoutMs: int(env, 'SYNC_GITEE_TIMEOUT_MS', 20_000, 100, 300_000),
    syncReleaseBranches: regex(env, 'SYNC_RELEASE_BRANCHES', '^(oc[0-9]+(\\.[0-9]+)?|stream[0-9]*)$'),
    syncDefaultSig: env.SYNC_DEFAULT_SIG ?? 'default',
    syncBotUsername: env.SYNC_BOT_USERNAME || 'gitee-bot',
    giteeWebhookSecret: env.GITEE_WEBHOOK_SECRET ?? '',
    giteeWebhookMaxAgeSeconds: int(env, 'GITEE_WEBHOOK_MAX_AGE_SECONDS', 300, 10, 86400),
    syncBugRefPattern: regex(env, 'SYNC_BUG_REF_PATTERN', '\\b(?:bug\\s*#?|OCBZ#)(\\d{1,9})\\b'),
    syncBugFixPattern: regex(
      env,
      'SYNC_BUG_FIX_PATTERN',
      '\\b(?:fix(?:e[sd])?|close[sd]?|resolve[sd]?):?\\s*(?:#|bug\\s*#?|OCBZ#)(\\d{1,9})\\b',
    ),
    syncResolvePolicy: oneOf(env, 'SYNC_RESOLVE_POLICY', 'fixes', ['off', 'fixes', 'any'] as const),
    ...kojiConfig(env),
    ...joinConfig(env),
  };
}

function joinConfig(env: NodeJS.ProcessEnv) {
  const claVersion = env.CLA_VERSION || '1.0';
  if (!/^[\w.-]{1,32}$/.test(claVersion))
    throw new ConfigError(`CLA_VERSION must be 1–32 of [A-Za-z0-9_.-], got "${claVersion}"`);
  return {
    claFile: env.CLA_FILE ?? '',
    claVersion,
    firstBugKeywords: (env.FIRST_BUG_KEYWORDS ?? 'good-first-bug,easyfix')
      .split(',')
      .map((k) => k.trim().toLowerCase())
      .filter(Boolean),
  };
}

function kojiConfig(env: NodeJS.ProcessEnv) {
  const hub = env.KOJI_HUB_URL ? url(env, 'KOJI_HUB_URL', '', ['http:', 'https:']).replace(/\/+$/, '') : '';
  return {
    kojiHubUrl: hub,
    kojiWebUrl: env.KOJI_WEB_URL
      ? url(env, 'KOJI_WEB_URL', '', ['http:', 'https:']).replace(/\/+$/, '')
      : hub.replace(/\/kojihub$/, '/koji'),
    kojiTags: (env.KOJI_TAGS ?? 'dist-oc8,dist-oc9')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    kojiPollMinutes: int(env, 'KOJI_POLL_MINUTES', 10, 1, 24 * 60),
    syncCommunityRepo: communityRepo(env),
    syncCommunityPath: (env.SYNC_COMMUNITY_PATH || 'packages.yaml').replace(/^\/+/, ''),
    syncCommunityRef: env.SYNC_COMMUNITY_REF ?? 'master',
  };
}

function communityRepo(env: NodeJS.ProcessEnv): string {
  const raw = env.SYNC_COMMUNITY_REPO ?? (env.NODE_ENV === 'test' ? '' : 'OpenCloudOS/rpm_info');
  if (raw && !/^[\w.-]+\/[\w.-]+$/.test(raw))
    throw new ConfigError(`SYNC_COMMUNITY_REPO must be owner/name, got "${raw}"`);
  return raw;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
