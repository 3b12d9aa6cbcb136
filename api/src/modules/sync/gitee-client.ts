/** Gitee API v5, as the sync worker uses it: listings, single repositories, branches. */

export interface GiteeRepo {
  id: number;
  full_name: string;
  path: string;
  name?: string;
  namespace?: { path?: string };
  description: string | null;
  default_branch: string | null;
  pushed_at: string | null;
  status?: string | null;
  archived?: boolean;
  private?: boolean;
}

export interface GiteeBranch {
  name: string;
  commit?: { sha?: string };
}

export interface RepoPage {
  repos: GiteeRepo[];
  totalCount: number;
  totalPages: number;
}

/** Gitee asked us to slow down for longer than we wait in-process: the pass pauses until then. */
export class GiteeRateLimited extends Error {
  constructor(readonly until: Date) {
    super(`Gitee rate limit: paused until ${until.toISOString()}`);
    this.name = 'GiteeRateLimited';
  }
}

/** The hourly request budget is spent: the pass pauses until the next hour. */
export class GiteeBudgetExhausted extends Error {
  constructor(readonly until: Date) {
    super(`Gitee request budget spent: paused until ${until.toISOString()}`);
    this.name = 'GiteeBudgetExhausted';
  }
}

/** Anything else (network, 5xx after retries, unexpected status or body): the pass stops, deletes nothing. */
export class GiteeError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'GiteeError';
  }
}

export interface GiteeClientOptions {
  apiUrl: string;
  token: string;
  timeoutMs: number;
  maxWaitSeconds: number;
  /** Takes one unit of the request budget; throws GiteeBudgetExhausted when none is left. */
  spend: () => Promise<void>;
  /** Called for each request made (statistics). */
  onRequest?: () => void;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per request for 429/403-with-rate-limit, 5xx and network errors. */
  attempts?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A small fetch-based client. 403/429 carrying Retry-After or X-RateLimit-* are "slow down", never
 * "gone": it waits (up to maxWaitSeconds) and retries, or throws GiteeRateLimited for longer
 * waits. 5xx and network errors are retried with exponential backoff, then thrown.
 */
export class GiteeClient {
  private readonly sleep: (ms: number) => Promise<void>;
  /** Set from X-RateLimit-Remaining: 0 on a successful answer: the next request waits for the reset. */
  private quietUntil = 0;

  constructor(private readonly opts: GiteeClientOptions) {
    this.sleep = opts.sleep ?? defaultSleep;
  }

  async listOrgRepos(org: string, page: number, perPage = 100): Promise<RepoPage> {
    const res = await this.get(`/orgs/${encodeURIComponent(org)}/repos`, { type: 'all', page, per_page: perPage });
    if (res.status !== 200) throw new GiteeError(`listing ${org} page ${page}: HTTP ${res.status}`, res.status);
    const body = res.body;
    if (!Array.isArray(body)) throw new GiteeError(`listing ${org} page ${page}: not an array`, res.status);
    const totalCount = Number(res.headers.get('total_count'));
    const totalPages = Number(res.headers.get('total_page'));
    if (!Number.isInteger(totalCount) || !Number.isInteger(totalPages) || totalCount < 0 || totalPages < 0) {
      throw new GiteeError(`listing ${org} page ${page}: missing total_count/total_page headers`, res.status);
    }
    return { repos: body.filter(isRepo), totalCount, totalPages };
  }

  /** The repository, or null when Gitee answers 404 (it is gone or renamed). */
  async getRepo(owner: string, repo: string): Promise<GiteeRepo | null> {
    const res = await this.get(`/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`, {});
    if (res.status === 404) return null;
    if (res.status !== 200 || !isRepo(res.body))
      throw new GiteeError(`repository ${owner}/${repo}: HTTP ${res.status}`, res.status);
    return res.body;
  }

  async branches(owner: string, repo: string): Promise<GiteeBranch[] | null> {
    const res = await this.get(`/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/branches`, {});
    if (res.status === 404) return null;
    if (res.status !== 200 || !Array.isArray(res.body))
      throw new GiteeError(`branches of ${owner}/${repo}: HTTP ${res.status}`, res.status);
    return res.body.filter(
      (b): b is GiteeBranch => !!b && typeof b === 'object' && typeof (b as GiteeBranch).name === 'string',
    );
  }

  /** A file's text from the contents API, with its blob sha; null when there is no such file. */
  async fileContents(
    owner: string,
    repo: string,
    path: string,
    ref: string,
  ): Promise<{ sha: string; text: string } | null> {
    const res = await this.get(
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/contents/${path.split('/').map(encodeURIComponent).join('/')}`,
      ref ? { ref } : {},
    );
    if (res.status === 404) return null;
    const b = res.body as { type?: unknown; encoding?: unknown; content?: unknown; sha?: unknown } | null;
    if (res.status !== 200 || !b || b.type !== 'file' || typeof b.content !== 'string' || typeof b.sha !== 'string')
      throw new GiteeError(`contents of ${owner}/${repo}/${path}: HTTP ${res.status}, not a file`, res.status);
    const text = b.encoding === 'base64' ? Buffer.from(b.content, 'base64').toString('utf8') : b.content;
    return { sha: b.sha, text };
  }

  private async get(
    path: string,
    query: Record<string, string | number>,
  ): Promise<{ status: number; headers: Headers; body: unknown }> {
    const url = new URL(`${this.opts.apiUrl}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
    if (this.opts.token) url.searchParams.set('access_token', this.opts.token);
    const attempts = this.opts.attempts ?? 5;
    let lastError = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      await this.waitQuiet();
      await this.opts.spend();
      this.opts.onRequest?.();
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { accept: 'application/json', 'user-agent': 'opencloudos-hub-sync' },
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        });
      } catch (e) {
        lastError = `network error: ${(e as Error).message}`;
        if (attempt < attempts) await this.sleep(backoffMs(attempt));
        continue;
      }
      const slowDown = this.slowDown(res);
      if (slowDown !== null) {
        await res.body?.cancel();
        lastError = `HTTP ${res.status} (rate limited)`;
        if (slowDown > this.opts.maxWaitSeconds * 1000) throw new GiteeRateLimited(new Date(Date.now() + slowDown));
        if (attempt < attempts) await this.sleep(slowDown);
        continue;
      }
      if (res.status >= 500) {
        await res.body?.cancel();
        lastError = `HTTP ${res.status}`;
        if (attempt < attempts) await this.sleep(backoffMs(attempt));
        continue;
      }
      this.noteRemaining(res);
      let body: unknown = null;
      try {
        body = res.status === 204 ? null : await res.json();
      } catch {
        throw new GiteeError(`${path}: HTTP ${res.status} with a body that is not JSON`, res.status);
      }
      return { status: res.status, headers: res.headers, body };
    }
    throw new GiteeError(`${path}: ${lastError} after ${attempts} attempts`, null);
  }

  /** Milliseconds to wait when the answer means "slow down", else null. */
  private slowDown(res: Response): number | null {
    if (res.status !== 429 && res.status !== 403) return null;
    const retryAfter = res.headers.get('retry-after');
    if (retryAfter !== null) {
      const secs = Number(retryAfter);
      if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs * 1000);
      const at = Date.parse(retryAfter);
      if (Number.isFinite(at)) return Math.max(0, at - Date.now());
    }
    const remaining = res.headers.get('x-ratelimit-remaining');
    const reset = res.headers.get('x-ratelimit-reset');
    if (reset !== null && (remaining === null || Number(remaining) <= 0)) return resetWaitMs(reset);
    if (remaining !== null && Number(remaining) <= 0) return 60_000;
    // a 429 always means "too many"; a bare 403 is a real refusal, not a rate limit
    return res.status === 429 ? 30_000 : null;
  }

  private noteRemaining(res: Response): void {
    const remaining = res.headers.get('x-ratelimit-remaining');
    const reset = res.headers.get('x-ratelimit-reset');
    if (remaining !== null && Number(remaining) <= 0 && reset !== null)
      this.quietUntil = Date.now() + resetWaitMs(reset);
  }

  private async waitQuiet(): Promise<void> {
    const wait = this.quietUntil - Date.now();
    if (wait <= 0) return;
    if (wait > this.opts.maxWaitSeconds * 1000) throw new GiteeRateLimited(new Date(this.quietUntil));
    await this.sleep(wait);
  }
}

/** X-RateLimit-Reset is epoch seconds on most APIs, seconds-from-now on some: accept both. */
function resetWaitMs(reset: string): number {
  const n = Number(reset);
  if (!Number.isFinite(n) || n < 0) return 60_000;
  if (n > 1_000_000_000) return Math.max(0, n * 1000 - Date.now());
  return n * 1000;
}

const backoffMs = (attempt: number): number => Math.min(200 * 2 ** (attempt - 1), 5000);

function isRepo(x: unknown): x is GiteeRepo {
  const r = x as GiteeRepo | null;
  return !!r && typeof r === 'object' && typeof r.id === 'number' && typeof r.path === 'string';
}
