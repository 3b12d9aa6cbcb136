import { setTimeout as sleep } from 'node:timers/promises';

/** A user as Bugzilla 5 details it (`assigned_to_detail`, `cc_detail` …). */
export interface BzUserDetail {
  id: number;
  name: string;
  real_name: string;
  email?: string;
}

export interface BzComponent {
  id: number;
  name: string;
  description: string;
  is_active: boolean;
}

export interface BzProduct {
  id: number;
  name: string;
  description: string;
  is_active: boolean;
  components: BzComponent[];
  versions: { id: number; name: string; is_active: boolean }[];
}

export interface BzBug {
  id: number;
  alias: string[];
  summary: string;
  status: string;
  resolution: string;
  product: string;
  component: string;
  version: string;
  platform: string;
  op_sys: string;
  severity: string;
  priority: string;
  assigned_to: string;
  assigned_to_detail?: BzUserDetail;
  creator: string;
  creator_detail?: BzUserDetail;
  qa_contact: string;
  qa_contact_detail?: BzUserDetail;
  cc: string[];
  cc_detail?: BzUserDetail[];
  creation_time: string;
  last_change_time: string;
  keywords: string[];
  whiteboard: string;
  url: string;
  see_also: string[];
  depends_on: number[];
  blocks: number[];
  dupe_of: number | null;
  groups: string[];
  target_milestone: string;
}

export interface BzComment {
  id: number;
  bug_id: number;
  count: number;
  text: string;
  creator: string;
  creation_time: string;
  time: string;
  is_private: boolean;
  attachment_id: number | null;
}

export interface BzHistoryEntry {
  when: string;
  who: string;
  changes: { field_name: string; removed: string; added: string; attachment_id?: number }[];
}

/** The fields the importer reads; asked for explicitly so a site's `_default` cannot drop one. */
export const BUG_FIELDS = [
  'id',
  'alias',
  'summary',
  'status',
  'resolution',
  'product',
  'component',
  'version',
  'platform',
  'op_sys',
  'severity',
  'priority',
  'assigned_to',
  'assigned_to_detail',
  'creator',
  'creator_detail',
  'qa_contact',
  'qa_contact_detail',
  'cc',
  'cc_detail',
  'creation_time',
  'last_change_time',
  'keywords',
  'whiteboard',
  'url',
  'see_also',
  'depends_on',
  'blocks',
  'dupe_of',
  'groups',
  'target_milestone',
] as const;

export interface BugzillaClientOptions {
  /** `https://bugzilla.example.org`, `…/bugzilla` or `…/rest`: `/rest` is added when missing. */
  baseUrl: string;
  apiKey?: string;
  /** Bugzilla 5.0 only reads the key from the query string; 5.1+ also takes the header. */
  apiKeyIn?: 'query' | 'header';
  timeoutMs?: number;
  /** Attempts after the first, for network errors, timeouts, 5xx and 429. */
  retries?: number;
  /** First backoff; doubles per attempt. */
  backoffMs?: number;
  /** Parallel per-bug requests (comments, history). */
  concurrency?: number;
  /** Bugs per search page. The server may return fewer (max_search_results); see `bugs()`. */
  pageSize?: number;
}

/** An answer from Bugzilla that retrying will not change (bad key, unknown product, error body). */
export class BugzillaApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: number | null,
  ) {
    super(message);
    this.name = 'BugzillaApiError';
  }
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** Seconds or an HTTP date, as RFC 9110 allows; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}

/** A read-only client for the parts of Bugzilla 5's REST API an import needs. */
export class BugzillaClient {
  readonly restUrl: string;
  readonly concurrency: number;
  private readonly opts: Required<Omit<BugzillaClientOptions, 'apiKey'>> & { apiKey?: string };

  constructor(opts: BugzillaClientOptions) {
    const base = opts.baseUrl.replace(/\/+$/, '');
    this.restUrl = /\/rest$/.test(base) ? base : `${base}/rest`;
    this.opts = {
      apiKeyIn: 'query',
      timeoutMs: 30_000,
      retries: 4,
      backoffMs: 500,
      concurrency: 4,
      pageSize: 100,
      ...opts,
    };
    this.concurrency = this.opts.concurrency;
  }

  /** GET /rest/<path> with retries; `params` values that are arrays become repeated keys. */
  async get<T>(path: string, params: Record<string, string | number | string[] | undefined> = {}): Promise<T> {
    const url = new URL(`${this.restUrl}/${path}`);
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(one));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.opts.apiKey && this.opts.apiKeyIn === 'query') url.searchParams.set('Bugzilla_api_key', this.opts.apiKey);
    if (this.opts.apiKey && this.opts.apiKeyIn === 'header') headers['x-bugzilla-api-key'] = this.opts.apiKey;
    // Never print the key: error messages name the resource without the query string.
    const label = `GET ${url.pathname}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(url, headers, label);
      } catch (e) {
        if (!(e instanceof RetryableError) || attempt >= this.opts.retries) {
          if (e instanceof RetryableError) throw new BugzillaApiError(e.message, 0, null);
          throw e;
        }
        const backoff = this.opts.backoffMs * 2 ** attempt * (0.75 + Math.random() / 2);
        await sleep(e.retryAfterMs ?? backoff);
      }
    }
  }

  private async once<T>(url: URL, headers: Record<string, string>, label: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(this.opts.timeoutMs) });
    } catch (e) {
      const why = e instanceof Error && e.name === 'TimeoutError' ? 'timed out' : String(e);
      throw new RetryableError(`${label}: ${why}`);
    }
    const text = await res.text();
    if (res.status === 429) throw new RetryableError(`${label}: 429`, parseRetryAfter(res.headers.get('retry-after')));
    if (res.status >= 500) throw new RetryableError(`${label}: HTTP ${res.status}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new BugzillaApiError(`${label}: HTTP ${res.status}, not JSON`, res.status, null);
    }
    const err = body as { error?: unknown; message?: unknown; code?: unknown };
    if (!res.ok || err.error) {
      const message = typeof err.message === 'string' ? err.message : `HTTP ${res.status}`;
      throw new BugzillaApiError(`${label}: ${message}`, res.status, typeof err.code === 'number' ? err.code : null);
    }
    return body as T;
  }

  /** The products this key may read (all of them when `names` is empty), with components and versions. */
  async products(names: string[] = []): Promise<BzProduct[]> {
    if (names.length) return (await this.get<{ products: BzProduct[] }>('product', { names })).products;
    const { ids } = await this.get<{ ids: number[] }>('product_accessible');
    if (!ids.length) return [];
    return (await this.get<{ products: BzProduct[] }>('product', { ids: ids.map(String) })).products;
  }

  /**
   * Every bug of a product (changed since `since`), ordered by id. Bugzilla silently caps a page
   * at max_search_results, so a short page does not mean the end: paging stops at an empty one.
   */
  async bugs(product: string, since?: Date): Promise<BzBug[]> {
    const out: BzBug[] = [];
    for (let offset = 0; ;) {
      const { bugs } = await this.get<{ bugs: BzBug[] }>('bug', {
        product,
        last_change_time: since?.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        include_fields: BUG_FIELDS.join(','),
        order: 'bug_id',
        limit: this.opts.pageSize,
        offset,
      });
      if (!bugs.length) return out;
      out.push(...bugs);
      offset += bugs.length;
    }
  }

  /** The highest bug id on the site (every product), or null if the site refuses a search without criteria. */
  async maxBugId(): Promise<number | null> {
    try {
      const { bugs } = await this.get<{ bugs: { id: number }[] }>('bug', {
        include_fields: 'id',
        order: 'bug_id DESC',
        limit: 1,
      });
      return bugs[0]?.id ?? null;
    } catch (e) {
      if (e instanceof BugzillaApiError && e.status !== 0) return null;
      throw e;
    }
  }

  async comments(bugId: number): Promise<BzComment[]> {
    const res = await this.get<{ bugs: Record<string, { comments: BzComment[] }> }>(`bug/${bugId}/comment`);
    return res.bugs[String(bugId)]?.comments ?? [];
  }

  async history(bugId: number): Promise<BzHistoryEntry[]> {
    const res = await this.get<{ bugs: { id: number; history: BzHistoryEntry[] }[] }>(`bug/${bugId}/history`);
    return res.bugs.find((b) => b.id === bugId)?.history ?? res.bugs[0]?.history ?? [];
  }
}
