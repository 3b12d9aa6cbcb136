'use strict';
// A fake Gitee API v5 on loopback: the one implementation behind the sync tests
// (api/src/testing/fake-gitee-api.ts re-exports it), the sync bench and the demo (`DEMO_FAKES=1
// npm start`). Run alone: `node infra/fakes/gitee.js` (see infra/fakes/README.md).
const { createHmac, randomBytes } = require('node:crypto');
const { createServer } = require('node:http');
const { packageNames, prng } = require('./data');

/** Deterministic, varied release branches: most packages have oc8 and oc9, some only one. */
const branchesFor = (i) =>
  i % 7 === 0 ? ['master', 'oc9'] : i % 11 === 0 ? ['master', 'oc8'] : ['master', 'oc8', 'oc9'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** X-Gitee-Token in signature mode: base64(HMAC-SHA256(secret, timestamp + "\n" + secret)). */
function giteeSignature(secret, timestamp) {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/** A Push Hook payload shaped like Gitee's. */
function pushHookPayload(input) {
  const [org, path] = input.repo.split('/');
  const commits = input.commits.map((c) => ({
    id: c.id,
    tree_id: c.id.split('').reverse().join(''),
    distinct: true,
    message: c.message,
    timestamp: '2026-11-27T10:00:00+08:00',
    url: `https://gitee.com/${input.repo}/commit/${c.id}`,
    author: { name: 'Dev', email: 'dev@example.test', username: 'dev' },
    committer: { name: 'Dev', email: 'dev@example.test', username: 'dev' },
    added: [],
    removed: [],
    modified: [`SPECS/${path}.spec`],
  }));
  return {
    hook_name: 'push_hooks',
    ref: `refs/heads/${input.branch}`,
    before: '0000000000000000000000000000000000000000',
    after: commits.at(-1)?.id ?? '0000000000000000000000000000000000000000',
    created: false,
    deleted: false,
    compare: `https://gitee.com/${input.repo}/compare/a...b`,
    commits,
    head_commit: commits.at(-1) ?? null,
    total_commits_count: commits.length,
    repository: {
      id: 1,
      name: path,
      path,
      full_name: input.repo,
      namespace: org,
      html_url: `https://gitee.com/${input.repo}`,
    },
    sender: { id: 1, login: 'dev', name: 'Dev', username: 'dev' },
  };
}

/**
 * Delivers a Push Hook to a receiver the way Gitee does (User-Agent git-oschina-hook,
 * X-Gitee-Event, X-Gitee-Timestamp in milliseconds, X-Gitee-Token signed or the plain password).
 */
async function sendPushHook(hookUrl, secret, input, opts = {}) {
  const timestamp = opts.timestamp ?? String(Date.now());
  const res = await fetch(hookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'git-oschina-hook',
      'x-gitee-event': 'Push Hook',
      'x-gitee-timestamp': timestamp,
      'x-gitee-token': opts.mode === 'password' ? secret : giteeSignature(secret, timestamp),
    },
    body: JSON.stringify(pushHookPayload(input)),
  });
  return { status: res.status, body: await res.text() };
}

/**
 * A loopback Gitee API v5: organisation repository listings with `total_count`/`total_page`
 * headers, single repositories, branches, the contents API, OAuth2 (authorize, token, user) and a
 * webhook sender. Fault switches simulate rate limiting (single answers and storms), 500s, dropped
 * connections, slow and truncated pages and latency. Every request is logged, so tests and the
 * bench can count what a sync pass cost. `/_fake/*` controls it from another process.
 */
class FakeGiteeApi {
  constructor() {
    /** @type {Map<string, object[]>} */
    this.orgs = new Map();
    this.requests = [];
    /** How many requests a rate-limit fault refused (429/403). */
    this.refused = 0;
    /** Files for the contents API, by `owner/repo:path` (any ref). */
    this.files = new Map();
    this.faults = {};
    /** When set, requests without this access_token get 401. */
    this.token = null;
    /**
     * OAuth2 application and the user who "consents" at /oauth/authorize (or, with `deny`, the
     * user who clicked "deny").
     */
    this.oauth = {
      clientId: 'fake-client',
      clientSecret: 'fake-secret',
      nextUser: { id: 4242, login: 'gitee-dev', name: 'Gitee Developer', email: 'gitee-dev@example.test' },
      deny: false,
    };
    this.port = 0;
    this.nextId = 100_000;
    this.codes = new Map();
    this.tokens = new Map();
    this.sockets = new Set();
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get apiUrl() {
    return `${this.url}/api/v5`;
  }

  async start(port = 0, host = '127.0.0.1') {
    await new Promise((resolve) => this.server.listen(port, host, resolve));
    this.port = this.server.address().port;
    return this;
  }

  async stop() {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Adds `count` generated repositories named `<prefix>-<n>` to an organisation. */
  generate(org, count, prefix = 'pkg') {
    const list = this.orgs.get(org) ?? [];
    const made = [];
    for (let i = 0; i < count; i++) {
      const n = list.length;
      made.push(this.addRepo(org, `${prefix}-${String(n).padStart(4, '0')}`, n));
      list.push(made[made.length - 1]);
    }
    this.orgs.set(org, list);
    return made;
  }

  /**
   * A distribution's worth of repositories with real-looking names (openssl, python-requests …),
   * the same on every run: `count` of them, pushed at deterministic times in 2025.
   */
  seedDistribution(org, count, seed = 7) {
    const list = this.orgs.get(org) ?? [];
    const random = prng(seed);
    const made = packageNames(count).map((name, i) => {
      const r = this.addRepo(org, name, list.length + i);
      r.pushedAt = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 300 * 86400) * 1000).toISOString();
      return r;
    });
    list.push(...made);
    this.orgs.set(org, list);
    return made;
  }

  addRepo(org, path, n) {
    return {
      id: this.nextId++,
      org,
      path,
      description: `Package ${path} for OpenCloudOS`,
      defaultBranch: 'master',
      branches: branchesFor(n),
      pushedAt: new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString(),
      status: '开始',
      private: false,
    };
  }

  repo(org, path) {
    const r = this.orgs.get(org)?.find((x) => x.path === path);
    if (!r) throw new Error(`no fake repo ${org}/${path}`);
    return r;
  }

  /** A push: moves pushed_at (and optionally the branches). */
  push(org, path, branches) {
    const r = this.repo(org, path);
    r.pushedAt = new Date(Date.parse(r.pushedAt) + 3600_000).toISOString();
    if (branches) r.branches = branches;
  }

  remove(org, path) {
    this.orgs.set(
      org,
      (this.orgs.get(org) ?? []).filter((r) => r.path !== path),
    );
  }

  /** Requests whose path starts with this (e.g. `GET /api/v5/orgs/`), to count what a pass cost. */
  count(prefix) {
    return this.requests.filter((r) => r.startsWith(prefix)).length;
  }

  /** Gitee's repository JSON. */
  repoJson(r) {
    const full = `${r.org}/${r.path}`;
    return {
      id: r.id,
      full_name: full,
      human_name: `${r.org}/${r.path}`,
      url: `${this.apiUrl}/repos/${full}`,
      namespace: { id: 1, type: 'group', name: r.org, path: r.org, html_url: `https://gitee.com/${r.org}` },
      path: r.path,
      name: r.path,
      description: r.description,
      private: r.private,
      public: !r.private,
      internal: false,
      fork: false,
      html_url: `https://gitee.com/${full}.git`,
      ssh_url: `git@gitee.com:${full}.git`,
      default_branch: r.defaultBranch,
      pushed_at: r.pushedAt.replace('Z', '+00:00'),
      created_at: '2022-03-01T10:00:00+08:00',
      updated_at: r.pushedAt.replace('Z', '+00:00'),
      status: r.status,
      members: ['opencloudos-bot'],
      open_issues_count: 0,
      license: null,
      stargazers_count: 0,
      forks_count: 0,
    };
  }

  json(res, status, body, headers = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  async body(req) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Answers a rate-limit fault, or returns false. */
  rateLimited(res) {
    const refused = this.refuse(res);
    if (refused) this.refused++;
    return refused;
  }

  refuse(res) {
    const f = this.faults;
    if (f.rateLimitStorm && Date.now() < f.rateLimitStorm.until) {
      this.json(res, 429, { message: 'Too Many Requests' }, { 'retry-after': String(f.rateLimitStorm.retryAfter) });
      return true;
    }
    if (f.rateLimit429 && f.rateLimit429.count > 0) {
      f.rateLimit429.count--;
      this.json(res, 429, { message: 'Too Many Requests' }, { 'retry-after': String(f.rateLimit429.retryAfter) });
      return true;
    }
    if (f.rateLimit403 && f.rateLimit403.count > 0) {
      f.rateLimit403.count--;
      this.json(
        res,
        403,
        { message: 'API rate limit exceeded' },
        {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + f.rateLimit403.resetInSeconds),
        },
      );
      return true;
    }
    return false;
  }

  async handle(req, res) {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname.startsWith('/_fake/')) return this.control(req, res, url);
    const page = Number(url.searchParams.get('page') ?? '1');
    const isList = /^\/api\/v5\/orgs\/[^/]+\/repos$/.test(url.pathname);
    this.requests.push(`${req.method} ${url.pathname}${isList ? `?page=${page}` : ''}`);
    const f = this.faults;
    if (f.latencyMs) await sleep(f.latencyMs);
    if (url.pathname.startsWith('/oauth/') || url.pathname === '/api/v5/user') return this.handleOAuth(req, res, url);
    if (this.rateLimited(res)) return;
    if (this.token !== null && url.searchParams.get('access_token') !== this.token) {
      return this.json(res, 401, { message: '401 Unauthorized: Access token does not exist' });
    }
    if (req.method !== 'GET') return this.json(res, 405, { message: 'Method Not Allowed' });

    let m = /^\/api\/v5\/orgs\/([^/]+)\/repos$/.exec(url.pathname);
    if (m) {
      if (f.dropPage === page) return void req.socket.destroy();
      if (f.failPage === page) return this.json(res, 500, { message: 'Internal Server Error' });
      if (f.slowPage && f.slowPage.page === page) await sleep(f.slowPage.ms);
      const all = this.orgs.get(decodeURIComponent(m[1]));
      if (!all) return this.json(res, 404, { message: 'Not Found' });
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? '20'), 100);
      let slice = all.slice((page - 1) * perPage, page * perPage);
      if (f.truncatePage === page) slice = slice.slice(0, Math.floor(slice.length / 2));
      return this.json(
        res,
        200,
        slice.map((r) => this.repoJson(r)),
        { total_count: String(all.length), total_page: String(Math.max(1, Math.ceil(all.length / perPage))) },
      );
    }
    m = /^\/api\/v5\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(url.pathname);
    if (m) {
      const path = m[3].split('/').map(decodeURIComponent).join('/');
      const text = this.files.get(`${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}:${path}`);
      if (text === undefined) return this.json(res, 404, { message: 'Not Found' });
      const sha = createHmac('sha1', 'blob').update(text).digest('hex');
      return this.json(res, 200, {
        type: 'file',
        encoding: 'base64',
        size: Buffer.byteLength(text),
        name: path.split('/').pop(),
        path,
        content: Buffer.from(text).toString('base64'),
        sha,
        url: `${this.apiUrl}/repos/${m[1]}/${m[2]}/contents/${m[3]}`,
        html_url: `https://gitee.com/${m[1]}/${m[2]}/blob/master/${m[3]}`,
        download_url: `https://gitee.com/${m[1]}/${m[2]}/raw/master/${m[3]}`,
      });
    }
    m = /^\/api\/v5\/repos\/([^/]+)\/([^/]+)(\/branches)?$/.exec(url.pathname);
    if (m) {
      const path = decodeURIComponent(m[2]);
      const r = this.orgs.get(decodeURIComponent(m[1]))?.find((x) => x.path === path);
      if (!r) return this.json(res, 404, { message: 'Not Found Project' });
      if (!m[3]) return this.json(res, 200, this.repoJson(r));
      return this.json(
        res,
        200,
        r.branches.map((name, i) => ({
          name,
          commit: {
            sha: createHmac('sha1', 'fake').update(`${r.id}:${name}:${r.pushedAt}:${i}`).digest('hex'),
            url: `${this.apiUrl}/repos/${r.org}/${r.path}/commits/${name}`,
          },
          protected: name !== 'master',
          protection_url: `${this.apiUrl}/repos/${r.org}/${r.path}/branches/${name}/protection`,
        })),
      );
    }
    this.json(res, 404, { message: 'Not Found' });
  }

  /** OAuth2 as Gitee does it: authorize consents at once for `oauth.nextUser` (or denies). */
  async handleOAuth(req, res, url) {
    const o = this.oauth;
    if (req.method === 'GET' && url.pathname === '/oauth/authorize') {
      const redirect = url.searchParams.get('redirect_uri') ?? '';
      if (url.searchParams.get('client_id') !== o.clientId || url.searchParams.get('response_type') !== 'code') {
        return this.json(res, 400, { error: 'invalid_request' });
      }
      let target;
      try {
        target = new URL(redirect);
      } catch {
        return this.json(res, 400, { error: 'invalid_request' });
      }
      if (o.deny) {
        target.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(12).toString('hex');
        this.codes.set(code, { user: o.nextUser, redirectUri: redirect });
        target.searchParams.set('code', code);
      }
      target.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: target.toString() });
      return void res.end();
    }
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      const raw = await this.body(req);
      const form = (req.headers['content-type'] ?? '').includes('application/json')
        ? new URLSearchParams(JSON.parse(raw || '{}'))
        : new URLSearchParams(raw);
      const basic = req.headers.authorization?.startsWith('Basic ')
        ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString().split(':')
        : [];
      const clientId = form.get('client_id') ?? decodeURIComponent(basic[0] ?? '');
      const secret = form.get('client_secret') ?? decodeURIComponent(basic[1] ?? '');
      if (clientId !== o.clientId || secret !== o.clientSecret) {
        return this.json(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
      }
      const grant = this.codes.get(form.get('code') ?? '');
      if (form.get('grant_type') !== 'authorization_code' || !grant || grant.redirectUri !== form.get('redirect_uri')) {
        return this.json(res, 400, { error: 'invalid_grant', error_description: 'code invalid or expired' });
      }
      this.codes.delete(form.get('code') ?? '');
      const token = randomBytes(16).toString('hex');
      this.tokens.set(token, grant.user);
      return this.json(res, 200, {
        access_token: token,
        token_type: 'bearer',
        expires_in: 86400,
        refresh_token: randomBytes(16).toString('hex'),
        scope: 'user_info emails',
        created_at: Math.floor(Date.now() / 1000),
      });
    }
    if (req.method === 'GET' && url.pathname === '/api/v5/user') {
      const user = this.tokens.get(url.searchParams.get('access_token') ?? '');
      if (!user) return this.json(res, 401, { message: '401 Unauthorized: Access token does not exist' });
      return this.json(res, 200, {
        ...user,
        html_url: `https://gitee.com/${user.login}`,
        type: 'User',
        blog: null,
        created_at: '2020-01-01T00:00:00+08:00',
      });
    }
    return this.json(res, 404, { message: 'Not Found' });
  }

  /**
   * Remote control for a fake running as its own process: `GET /_fake/stats`,
   * `POST /_fake/faults` (JSON, replaces the switches), `POST /_fake/reset` (forgets the request
   * log), `POST /_fake/push` ({repo, branch, commits?, hookUrl?, secret?}: moves pushed_at and,
   * given a hook URL, delivers a signed Push Hook there).
   */
  async control(req, res, url) {
    if (req.method === 'GET' && url.pathname === '/_fake/stats') {
      const byKind = {};
      for (const r of this.requests) {
        const kind = r.includes('/orgs/') ? 'list' : r.endsWith('/branches') ? 'branches' : 'other';
        byKind[kind] = (byKind[kind] ?? 0) + 1;
      }
      return this.json(res, 200, {
        requests: this.requests.length,
        refused: this.refused,
        byKind,
        orgs: Object.fromEntries([...this.orgs].map(([k, v]) => [k, v.length])),
      });
    }
    if (req.method !== 'POST') return this.json(res, 405, { message: 'Method Not Allowed' });
    let body = {};
    try {
      body = JSON.parse((await this.body(req)) || '{}');
    } catch {
      return this.json(res, 400, { message: 'not JSON' });
    }
    if (url.pathname === '/_fake/faults') {
      this.faults = body;
      return this.json(res, 200, this.faults);
    }
    if (url.pathname === '/_fake/reset') {
      this.requests.length = 0;
      return this.json(res, 200, { requests: 0 });
    }
    if (url.pathname === '/_fake/push') {
      const [org, path] = String(body.repo ?? '').split('/');
      try {
        this.push(org, path, body.branches);
      } catch (e) {
        return this.json(res, 404, { message: e.message });
      }
      let delivered = null;
      if (body.hookUrl && body.secret) {
        delivered = await sendPushHook(body.hookUrl, body.secret, {
          repo: body.repo,
          branch: body.branch ?? 'oc9',
          commits: body.commits ?? [],
        });
      }
      return this.json(res, 200, { pushedAt: this.repo(org, path).pushedAt, delivered });
    }
    return this.json(res, 404, { message: 'Not Found' });
  }
}

module.exports = { FakeGiteeApi, giteeSignature, pushHookPayload, sendPushHook };

if (require.main === module) {
  // node infra/fakes/gitee.js — env: FAKE_GITEE_PORT (3901), FAKE_GITEE_ORGS
  // (src-opencloudos-rpms:2500,opencloudos-stream:120), FAKE_LATENCY_MS, FAKE_GITEE_TOKEN,
  // FAKE_COMMUNITY_REPO (OpenCloudOS/rpm_info: serves a packages.yaml for the seeded packages).
  const env = process.env;
  const fake = new FakeGiteeApi();
  for (const spec of (env.FAKE_GITEE_ORGS ?? 'src-opencloudos-rpms:2500,opencloudos-stream:120').split(',')) {
    const [org, n] = spec.split(':');
    if (org) fake.seedDistribution(org, Number(n ?? 100), org.length);
  }
  if (env.FAKE_GITEE_TOKEN) fake.token = env.FAKE_GITEE_TOKEN;
  if (env.FAKE_LATENCY_MS) fake.faults.latencyMs = Number(env.FAKE_LATENCY_MS);
  if (env.FAKE_OAUTH_CLIENT_ID) fake.oauth.clientId = env.FAKE_OAUTH_CLIENT_ID;
  if (env.FAKE_OAUTH_CLIENT_SECRET) fake.oauth.clientSecret = env.FAKE_OAUTH_CLIENT_SECRET;
  const community = env.FAKE_COMMUNITY_REPO;
  if (community && env.FAKE_COMMUNITY_YAML) fake.files.set(`${community}:packages.yaml`, env.FAKE_COMMUNITY_YAML);
  // FAKE_GITEE_TICK_SECONDS: life for a demo — each tick someone pushes to a repository
  const tick = Number(env.FAKE_GITEE_TICK_SECONDS ?? 0);
  if (tick > 0) {
    const random = prng(5);
    setInterval(() => {
      const [org, repos] = [...fake.orgs][0] ?? [];
      if (!repos?.length) return;
      fake.push(org, repos[Math.floor(random() * repos.length)].path);
    }, tick * 1000).unref();
  }
  fake.start(Number(env.FAKE_GITEE_PORT ?? 3901)).then(
    () => {
      const counts = [...fake.orgs].map(([k, v]) => `${k} (${v.length})`).join(', ');
      console.log(`[fake-gitee] Gitee API v5 on ${fake.apiUrl}: ${counts}`);
      process.send?.({ type: 'listening', port: fake.port });
    },
    (e) => {
      console.error(`[fake-gitee] ${e.message}`);
      process.exit(1);
    },
  );
  const stop = () => void fake.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}
