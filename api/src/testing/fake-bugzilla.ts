import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface FakeBzUser {
  id: number;
  email: string;
  realName: string;
}

export interface FakeBzComment {
  id: number;
  count: number;
  text: string;
  creator: string;
  time: string;
  isPrivate?: boolean;
}

export interface FakeBzHistory {
  when: string;
  who: string;
  changes: { field_name: string; removed: string; added: string }[];
}

/** A bug as the fake keeps it: the fields it serves, plus its comments and history. */
export interface FakeBzBug {
  id: number;
  alias: string[];
  summary: string;
  status: string;
  resolution: string;
  product: string;
  component: string;
  version: string;
  platform: string;
  opSys: string;
  severity: string;
  priority: string;
  assignedTo: string;
  creator: string;
  qaContact: string;
  cc: string[];
  creationTime: string;
  lastChangeTime: string;
  keywords: string[];
  whiteboard: string;
  url: string;
  seeAlso: string[];
  dependsOn: number[];
  blocks: number[];
  dupeOf: number | null;
  groups: string[];
  targetMilestone: string;
  comments: FakeBzComment[];
  history: FakeBzHistory[];
}

export interface FakeBzProduct {
  id: number;
  name: string;
  description: string;
  components: string[];
  versions: string[];
}

export const FAKE_BZ_USERS: FakeBzUser[] = [
  { id: 1, email: 'alice.zhang@example.com', realName: 'Alice Zhang' },
  { id: 2, email: 'dev.li@opencloudos.org', realName: '李开发 (Li Dev)' },
  { id: 3, email: 'wang+bz@example.cn', realName: '王芳' },
  { id: 4, email: 'security@opencloudos.org', realName: 'OpenCloudOS Security' },
  { id: 5, email: 'Bob@Example.com', realName: 'Bob Builder' },
];

export const FAKE_BZ_PRODUCTS: FakeBzProduct[] = [
  {
    id: 1,
    name: 'OpenCloudOS',
    description: 'OpenCloudOS 8 and 9',
    components: ['Installer', 'kernel', 'Security'],
    versions: ['8.8', '9.2'],
  },
  { id: 2, name: 'Legacy Tools', description: 'Old helper scripts', components: ['General'], versions: ['1.0'] },
];

const bug = (b: Partial<FakeBzBug> & Pick<FakeBzBug, 'id' | 'summary' | 'product' | 'component'>): FakeBzBug => ({
  alias: [],
  status: 'CONFIRMED',
  resolution: '',
  version: '9.2',
  platform: 'x86_64',
  opSys: 'Linux',
  severity: 'normal',
  priority: '---',
  assignedTo: 'dev.li@opencloudos.org',
  creator: 'alice.zhang@example.com',
  qaContact: '',
  cc: [],
  creationTime: '2024-05-01T08:00:00Z',
  lastChangeTime: '2024-05-02T09:30:00Z',
  keywords: [],
  whiteboard: '',
  url: '',
  seeAlso: [],
  dependsOn: [],
  blocks: [],
  dupeOf: null,
  groups: [],
  targetMilestone: '---',
  comments: [],
  history: [],
  ...b,
});

/** Eight bugs: legacy statuses, Chinese text, a private security bug, duplicates, a dependency. */
export function fakeBzBugs(): FakeBzBug[] {
  return [
    bug({
      id: 1,
      summary: 'Installer hangs at the disk selection screen',
      product: 'OpenCloudOS',
      component: 'Installer',
      status: 'NEW',
      severity: 'major',
      priority: 'High',
      alias: ['installer-hang'],
      cc: ['wang+bz@example.cn', 'Bob@Example.com'],
      keywords: ['regression'],
      seeAlso: ['https://github.com/rhinstaller/anaconda/issues/1'],
      whiteboard: 'needs-triage',
      comments: [
        {
          id: 101,
          count: 0,
          text: 'Boot the DVD, pick a disk: the screen freezes.',
          creator: 'alice.zhang@example.com',
          time: '2024-05-01T08:00:00Z',
        },
        { id: 102, count: 1, text: 'Same here on a VM.', creator: 'Bob@Example.com', time: '2024-05-01T10:00:00Z' },
      ],
      history: [
        {
          when: '2024-05-02T09:30:00Z',
          who: 'dev.li@opencloudos.org',
          changes: [
            { field_name: 'status', removed: 'UNCONFIRMED', added: 'NEW' },
            { field_name: 'cc', removed: '', added: 'wang+bz@example.cn' },
          ],
        },
      ],
    }),
    bug({
      id: 2,
      summary: '内核 6.6 在鲲鹏服务器上启动失败',
      product: 'OpenCloudOS',
      component: 'kernel',
      status: 'ASSIGNED',
      creator: 'wang+bz@example.cn',
      platform: 'aarch64',
      dependsOn: [3],
      comments: [
        {
          id: 201,
          count: 0,
          text: '升级到 6.6.47 之后，鲲鹏 920 服务器无法启动，卡在 initramfs。',
          creator: 'wang+bz@example.cn',
          time: '2024-05-01T08:00:00Z',
        },
        {
          id: 202,
          count: 1,
          text: '看起来和 nvme 超时有关，见依赖的 bug。',
          creator: 'dev.li@opencloudos.org',
          time: '2024-05-02T09:30:00Z',
        },
      ],
    }),
    bug({
      id: 3,
      summary: 'kernel: nvme timeout under heavy load',
      product: 'OpenCloudOS',
      component: 'kernel',
      status: 'RESOLVED',
      resolution: 'FIXED',
      severity: 'critical',
      blocks: [2],
      comments: [
        {
          id: 301,
          count: 0,
          text: 'nvme nvme0: I/O timeout under fio.',
          creator: 'alice.zhang@example.com',
          time: '2024-05-01T08:00:00Z',
        },
      ],
      history: [
        {
          when: '2024-05-02T09:30:00Z',
          who: 'dev.li@opencloudos.org',
          changes: [
            { field_name: 'status', removed: 'CONFIRMED', added: 'RESOLVED' },
            { field_name: 'resolution', removed: '', added: 'FIXED' },
          ],
        },
      ],
    }),
    bug({
      id: 4,
      summary: 'Anaconda freezes when choosing a disk',
      product: 'OpenCloudOS',
      component: 'Installer',
      status: 'RESOLVED',
      resolution: 'DUPLICATE',
      dupeOf: 1,
      creator: 'Bob@Example.com',
      comments: [
        {
          id: 401,
          count: 0,
          text: 'Freezes at disk choice.',
          creator: 'Bob@Example.com',
          time: '2024-05-01T08:00:00Z',
        },
      ],
    }),
    bug({
      id: 5,
      summary: 'CVE-2024-0001: sudo privilege escalation',
      product: 'OpenCloudOS',
      component: 'Security',
      severity: 'critical',
      alias: ['CVE-2024-0001'],
      groups: ['security'],
      creator: 'security@opencloudos.org',
      assignedTo: 'security@opencloudos.org',
      cc: ['dev.li@opencloudos.org'],
      comments: [
        {
          id: 501,
          count: 0,
          text: 'sudo allows local users to become root.',
          creator: 'security@opencloudos.org',
          time: '2024-05-01T08:00:00Z',
        },
        {
          id: 502,
          count: 1,
          text: 'Embargoed patch attached to the private thread.',
          creator: 'security@opencloudos.org',
          time: '2024-05-01T09:00:00Z',
          isPrivate: true,
        },
      ],
    }),
    bug({
      id: 6,
      summary: 'migrate-tool: moved to the new tracker',
      product: 'Legacy Tools',
      component: 'General',
      version: '1.0',
      status: 'CLOSED',
      resolution: 'MOVED',
      comments: [
        { id: 601, count: 0, text: 'Old report.', creator: 'alice.zhang@example.com', time: '2024-05-01T08:00:00Z' },
      ],
    }),
    bug({
      id: 8,
      summary: 'legacy-sync crashes on empty config',
      product: 'Legacy Tools',
      component: 'General',
      version: '1.0',
      status: 'RESOLVED',
      resolution: 'DUPLICATE',
      dupeOf: 9,
      comments: [
        {
          id: 801,
          count: 0,
          text: 'Crash, empty file.',
          creator: 'alice.zhang@example.com',
          time: '2024-05-01T08:00:00Z',
        },
      ],
    }),
    bug({
      id: 9,
      summary: 'legacy-sync: segfault when the config file is empty',
      product: 'Legacy Tools',
      component: 'General',
      version: '1.0',
      status: 'UNCONFIRMED',
      severity: 'enhancement',
      priority: 'Highest',
      comments: [
        {
          id: 901,
          count: 0,
          text: 'Segfault in parse_config().',
          creator: 'wang+bz@example.cn',
          time: '2024-05-01T08:00:00Z',
        },
      ],
    }),
  ];
}

/**
 * A loopback Bugzilla 5 REST API over a fixture set, with Bugzilla's payload shapes: products,
 * bug search with limit/offset capped at `maxLimit` (like max_search_results), comments and
 * history. Tests mutate `bugs` to simulate changes, `failNext` to simulate transient errors.
 */
export class FakeBugzilla {
  bugs: FakeBzBug[] = fakeBzBugs();
  products: FakeBzProduct[] = FAKE_BZ_PRODUCTS.map((p) => ({ ...p }));
  users: FakeBzUser[] = FAKE_BZ_USERS.map((u) => ({ ...u }));
  /** When set, every request needs it (Bugzilla_api_key, api_key or X-BUGZILLA-API-KEY). */
  apiKey: string | null = null;
  /** Server-side cap on `limit`, like Bugzilla's max_search_results (kept small to force paging). */
  maxLimit = 3;
  readonly requests: string[] = [];
  private failures: { prefix: string; status: number; retryAfter?: string }[] = [];
  private server: Server;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next request whose path starts with `prefix` fails once with `status`. */
  failNext(prefix: string, status = 500, retryAfter?: string): void {
    this.failures.push({ prefix, status, retryAfter });
  }

  bug(id: number): FakeBzBug {
    const b = this.bugs.find((x) => x.id === id);
    if (!b) throw new Error(`no fake bug ${id}`);
    return b;
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private error(res: ServerResponse, status: number, code: number, message: string): void {
    this.json(res, status, {
      error: true,
      code,
      message,
      documentation: 'https://bugzilla.readthedocs.org/en/5.0/api/',
    });
  }

  private userDetail(email: string): { id: number; name: string; real_name: string; email: string } {
    const u = this.users.find((x) => x.email === email);
    return { id: u?.id ?? 0, name: email, real_name: u?.realName ?? '', email };
  }

  private bugJson(b: FakeBzBug): Record<string, unknown> {
    return {
      id: b.id,
      alias: b.alias,
      summary: b.summary,
      status: b.status,
      resolution: b.resolution,
      is_open: !['RESOLVED', 'VERIFIED', 'CLOSED'].includes(b.status),
      product: b.product,
      component: b.component,
      version: b.version,
      platform: b.platform,
      op_sys: b.opSys,
      severity: b.severity,
      priority: b.priority,
      assigned_to: b.assignedTo,
      assigned_to_detail: this.userDetail(b.assignedTo),
      creator: b.creator,
      creator_detail: this.userDetail(b.creator),
      qa_contact: b.qaContact,
      ...(b.qaContact ? { qa_contact_detail: this.userDetail(b.qaContact) } : {}),
      cc: b.cc,
      cc_detail: b.cc.map((c) => this.userDetail(c)),
      creation_time: b.creationTime,
      last_change_time: b.lastChangeTime,
      keywords: b.keywords,
      whiteboard: b.whiteboard,
      url: b.url,
      see_also: b.seeAlso,
      depends_on: b.dependsOn,
      blocks: b.blocks,
      dupe_of: b.dupeOf,
      groups: b.groups,
      flags: [],
      target_milestone: b.targetMilestone,
      is_confirmed: b.status !== 'UNCONFIRMED',
      is_creator_accessible: true,
      is_cc_accessible: true,
      classification: 'Unclassified',
      deadline: null,
    };
  }

  /** Both `a=1&a=2` and `a=1,2`, as Bugzilla accepts. */
  private list(q: URLSearchParams, key: string): string[] {
    return q
      .getAll(key)
      .flatMap((v) => v.split(','))
      .filter(Boolean);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname.replace(/\/+$/, '');
    this.requests.push(`${req.method} ${path}${url.search.replace(/Bugzilla_api_key=[^&]*/, 'Bugzilla_api_key=…')}`);
    const failure = this.failures.findIndex((f) => path.startsWith(f.prefix));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      if (f.status === 429)
        return this.json(res, 429, { error: true }, f.retryAfter ? { 'retry-after': f.retryAfter } : {});
      return this.error(res, f.status, 100500, 'Internal Error');
    }
    if (this.apiKey !== null) {
      const q = url.searchParams;
      const given = q.get('Bugzilla_api_key') ?? q.get('api_key') ?? req.headers['x-bugzilla-api-key'];
      if (!given) return this.error(res, 401, 410, 'You must log in before using this part of Bugzilla.');
      if (given !== this.apiKey) return this.error(res, 400, 306, 'The API key you specified is invalid.');
    }
    if (req.method !== 'GET') return this.error(res, 404, 32614, 'A REST API resource was not found.');
    const q = url.searchParams;
    if (path === '/rest/version') return this.json(res, 200, { version: '5.0.4' });
    if (path === '/rest/product_accessible') return this.json(res, 200, { ids: this.products.map((p) => p.id) });
    if (path === '/rest/product') {
      const ids = this.list(q, 'ids').map(Number);
      const names = this.list(q, 'names');
      const products = this.products.filter((p) => ids.includes(p.id) || names.includes(p.name));
      return this.json(res, 200, {
        products: products.map((p) => ({
          id: p.id,
          name: p.name,
          description: p.description,
          is_active: true,
          default_milestone: '---',
          has_unconfirmed: true,
          classification: 'Unclassified',
          components: p.components.map((c, i) => ({
            id: p.id * 100 + i,
            name: c,
            description: `${c} component`,
            default_assigned_to: 'dev.li@opencloudos.org',
            default_qa_contact: '',
            sort_key: i,
            is_active: true,
            flag_types: { bug: [], attachment: [] },
          })),
          versions: p.versions.map((v, i) => ({ id: p.id * 100 + i, name: v, sort_key: i, is_active: true })),
          milestones: [{ id: p.id, name: '---', sort_key: 0, is_active: true }],
        })),
      });
    }
    if (path === '/rest/bug') {
      const products = this.list(q, 'product');
      const since = q.get('last_change_time');
      let found = this.bugs
        .filter((b) => !products.length || products.includes(b.product))
        .filter((b) => !since || Date.parse(b.lastChangeTime) >= Date.parse(since))
        .sort((a, b) => (/DESC$/i.test(q.get('order') ?? '') ? b.id - a.id : a.id - b.id));
      const limit = Math.min(Number(q.get('limit') ?? 500) || this.maxLimit, this.maxLimit);
      const offset = Number(q.get('offset') ?? 0);
      found = found.slice(offset, offset + limit);
      return this.json(res, 200, { bugs: found.map((b) => this.bugJson(b)) });
    }
    const m = /^\/rest\/bug\/(\d+)\/(comment|history)$/.exec(path);
    if (m) {
      const b = this.bugs.find((x) => x.id === Number(m[1]));
      if (!b) return this.error(res, 404, 101, `Bug #${m[1]} does not exist.`);
      if (m[2] === 'comment')
        return this.json(res, 200, {
          bugs: {
            [String(b.id)]: {
              comments: b.comments.map((c) => ({
                id: c.id,
                bug_id: b.id,
                count: c.count,
                text: c.text,
                creator: c.creator,
                creation_time: c.time,
                time: c.time,
                is_private: c.isPrivate ?? false,
                attachment_id: null,
                tags: [],
              })),
            },
          },
          comments: {},
        });
      return this.json(res, 200, { bugs: [{ id: b.id, alias: b.alias, history: b.history }] });
    }
    this.error(res, 404, 32614, 'A REST API resource was not found.');
  }
}
