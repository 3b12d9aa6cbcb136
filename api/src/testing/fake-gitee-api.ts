import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/** A repository as Gitee API v5 returns it (the fields the sync reads, plus a few for realism). */
export interface FakeRepo {
  id: number;
  org: string;
  path: string;
  description: string;
  defaultBranch: string;
  branches: string[];
  pushedAt: string;
  status: string;
  private: boolean;
}

export interface FakeGiteeFaults {
  /** The next N requests answer 429 with Retry-After. */
  rateLimit429?: { count: number; retryAfter: number };
  /** The next N requests answer 403 with X-RateLimit-Remaining: 0 and X-RateLimit-Reset (epoch seconds). */
  rateLimit403?: { count: number; resetInSeconds: number };
  /** Every request for this list page answers 500 (until cleared). */
  failPage?: number;
  /** This list page drops the connection without an answer (a network error). */
  dropPage?: number;
  /** This list page returns fewer repositories than it should. */
  truncatePage?: number;
  /** Added latency per request. */
  latencyMs?: number;
}

/** Deterministic, varied release branches: most packages have oc8 and oc9, some only one. */
const branchesFor = (i: number): string[] =>
  i % 7 === 0 ? ['master', 'oc9'] : i % 11 === 0 ? ['master', 'oc8'] : ['master', 'oc8', 'oc9'];

/**
 * A loopback Gitee API v5 for the sync workers: organisation repository listings with
 * `total_count`/`total_page` headers, single repositories, branches, and a webhook sender that
 * signs like Gitee. Fault switches simulate rate limiting, 500s, dropped connections, truncated
 * pages and latency. Every request is logged, so tests can count what a sync pass cost.
 */
export class FakeGiteeApi {
  readonly orgs = new Map<string, FakeRepo[]>();
  readonly requests: string[] = [];
  /** Files for the contents API, by `owner/repo:path` (any ref). */
  readonly files = new Map<string, string>();
  faults: FakeGiteeFaults = {};
  /** When set, requests without this access_token get 401. */
  token: string | null = null;
  private nextId = 100_000;
  private server: Server;
  private sockets = new Set<Socket>();
  port = 0;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get apiUrl(): string {
    return `${this.url}/api/v5`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Adds `count` generated repositories named `<prefix>-<n>` to an organisation. */
  generate(org: string, count: number, prefix = 'pkg'): FakeRepo[] {
    const list = this.orgs.get(org) ?? [];
    const made: FakeRepo[] = [];
    for (let i = 0; i < count; i++) {
      const n = list.length;
      const path = `${prefix}-${String(n).padStart(4, '0')}`;
      const repo: FakeRepo = {
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
      list.push(repo);
      made.push(repo);
    }
    this.orgs.set(org, list);
    return made;
  }

  repo(org: string, path: string): FakeRepo {
    const r = this.orgs.get(org)?.find((x) => x.path === path);
    if (!r) throw new Error(`no fake repo ${org}/${path}`);
    return r;
  }

  /** A push: moves pushed_at (and optionally the branches). */
  push(org: string, path: string, branches?: string[]): void {
    const r = this.repo(org, path);
    r.pushedAt = new Date(Date.parse(r.pushedAt) + 3600_000).toISOString();
    if (branches) r.branches = branches;
  }

  remove(org: string, path: string): void {
    this.orgs.set(
      org,
      (this.orgs.get(org) ?? []).filter((r) => r.path !== path),
    );
  }

  /** Requests whose path starts with this (e.g. `/api/v5/orgs/`), to count what a pass cost. */
  count(prefix: string): number {
    return this.requests.filter((r) => r.startsWith(prefix)).length;
  }

  /** Gitee's repository JSON. */
  repoJson(r: FakeRepo): Record<string, unknown> {
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

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const page = Number(url.searchParams.get('page') ?? '1');
    const isList = /^\/api\/v5\/orgs\/[^/]+\/repos$/.test(url.pathname);
    this.requests.push(`${req.method} ${url.pathname}${isList ? `?page=${page}` : ''}`);
    const f = this.faults;
    if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
    if (f.rateLimit429 && f.rateLimit429.count > 0) {
      f.rateLimit429.count--;
      return this.json(
        res,
        429,
        { message: 'Too Many Requests' },
        { 'retry-after': String(f.rateLimit429.retryAfter) },
      );
    }
    if (f.rateLimit403 && f.rateLimit403.count > 0) {
      f.rateLimit403.count--;
      return this.json(
        res,
        403,
        { message: 'API rate limit exceeded' },
        {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + f.rateLimit403.resetInSeconds),
        },
      );
    }
    if (this.token !== null && url.searchParams.get('access_token') !== this.token) {
      return this.json(res, 401, { message: '401 Unauthorized: Access token does not exist' });
    }
    if (req.method !== 'GET') return this.json(res, 405, { message: 'Method Not Allowed' });

    let m = /^\/api\/v5\/orgs\/([^/]+)\/repos$/.exec(url.pathname);
    if (m) {
      if (f.dropPage === page) return void req.socket.destroy();
      if (f.failPage === page) return this.json(res, 500, { message: 'Internal Server Error' });
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
}

/** X-Gitee-Token in signature mode: base64(HMAC-SHA256(secret, timestamp + "\n" + secret)). */
export function giteeSignature(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

export interface PushHookInput {
  repo: string;
  branch: string;
  commits: { id: string; message: string }[];
}

/** A Push Hook payload shaped like Gitee's. */
export function pushHookPayload(input: PushHookInput): Record<string, unknown> {
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
    after: input.commits.at(-1)?.id ?? '0000000000000000000000000000000000000000',
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
