import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../database/data-source';
import { fileBug, makeBugProducts } from '../../testing/bugs';
import { FakeBugzilla, type FakeBzBug } from '../../testing/fake-bugzilla';
import { login, Login, makeUser } from '../../testing/factories';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { BugzillaClient, parseRetryAfter } from './bugzilla-client';
import { bugzillaImportCommand, parseBugzillaImportArgs } from './bugzilla-import.command';
import { type BugzillaImportOptions, BugzillaImporter, usernameFor } from './bugzilla-import.service';

const KEY = 'bz-api-key-0123456789';

interface Detail {
  id: number;
  summary: string;
  status: string;
  resolution: string | null;
  component: string;
  package: string | null;
  reporter: string;
  assignee: string | null;
  aliases: string[];
  cc: string[];
  keywords: string[];
  seeAlso: string[];
  dupeOf: number | null;
  duplicates: number[];
  dependsOn: number[];
  blocks: number[];
  isPrivate: boolean;
  priority: string;
  severity: string;
  createdAt: string;
  updatedAt: string;
  comments: { count: number; author: { username: string }; body: string; isPrivate: boolean; createdAt: string }[];
}

describe('Bugzilla import', () => {
  let t: TestApp;
  let fake: FakeBugzilla;
  let security: Login;
  let bobLogin: Login;
  let localBug: number;
  const get = (who: Login | null, path: string) => as(t.baseUrl, who, 'get', path);
  const bug = async (id: number, who: Login | null = null): Promise<Detail> =>
    (await get(who, `/api/v1/bugs/${id}`).expect(200)).body as Detail;
  const importer = (key = KEY) =>
    new BugzillaImporter(t.ds, new BugzillaClient({ baseUrl: fake.url, apiKey: key, backoffMs: 5 }));
  const run = (opts: BugzillaImportOptions = {}) => importer().run(opts);
  const counts = async () =>
    (
      await t.ds.query<Record<string, number>[]>(
        `SELECT (SELECT count(*)::int FROM bugs) AS bugs, (SELECT count(*)::int FROM bug_comments) AS comments,
                (SELECT count(*)::int FROM bug_history) AS history, (SELECT count(*)::int FROM users) AS users,
                (SELECT count(*)::int FROM bug_cc) AS cc, (SELECT count(*)::int FROM bug_aliases) AS aliases,
                (SELECT count(*)::int FROM bug_dependencies) AS deps, (SELECT count(*)::int FROM bug_imports) AS imports,
                (SELECT count(*)::int FROM bug_products) AS products,
                (SELECT count(*)::int FROM bug_components) AS components`,
      )
    )[0];
  const mapped = async (sourceId: number): Promise<number> =>
    (await t.ds.query<{ bug_id: number }[]>(`SELECT bug_id FROM bug_imports WHERE source_bug_id = $1`, [sourceId]))[0]
      .bug_id;
  const touch = (b: FakeBzBug, when: string) => {
    b.lastChangeTime = when;
  };

  beforeAll(async () => {
    fake = await new FakeBugzilla().start();
    fake.apiKey = KEY;
    t = await startTestApp();
    await makeBugProducts(t.ds);
    const kernelSig = await makeSig(t.ds, { slug: 'kernel' });
    await makePackage(t.ds, kernelSig.id, 'kernel');
    await makeSig(t.ds, { slug: 'security' });
    const [sec] = await Promise.all([
      makeUser(t.ds, { username: 'secteam', roles: ['security'] }),
      makeUser(t.ds, { username: 'bob', email: 'bob@example.com' }),
    ]);
    [security, bobLogin] = await Promise.all([login(t.baseUrl, sec.user.username), login(t.baseUrl, 'bob')]);
    // Bug 1 exists here before the import: Bugzilla's bug 1 must get another number.
    localBug = await fileBug(t.baseUrl, bobLogin, { component: 'General', summary: 'A bug filed here first' });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('imports every product and bug, paging past the server cap and retrying a transient 500', async () => {
    expect(localBug).toBe(1);
    fake.failNext('/rest/bug/3/comment', 500);
    fake.failNext('/rest/product_accessible', 429, '0');
    const r = await run();
    expect(r.problems).toEqual([]);
    expect(r.bugs).toEqual({ created: 8, updated: 0, skipped: 0, failed: 0 });
    expect(r.notes).toEqual([{ bug: 6, message: 'resolution MOVED imported as INVALID' }]);
    expect(r.remapped).toEqual([{ sourceId: 1, bugId: expect.any(Number) as number }]);
    expect(r.linksResolved).toBe(1); // bug 8, a duplicate of bug 9, which came later
    expect(r.products.created).toEqual(['Legacy Tools']);
    expect(r.components.created.sort()).toEqual([
      'Legacy Tools/General',
      'OpenCloudOS/Installer',
      'OpenCloudOS/Security',
    ]);
    expect(r.users).toEqual({ matched: 1, created: 4 });
    // 5 OpenCloudOS bugs with a cap of 3 per page: 3, 2, then an empty page ends it.
    expect(
      fake.requests.filter((q) => q.startsWith('GET /rest/bug?') && q.includes('product=OpenCloudOS')),
    ).toHaveLength(3);
    expect(fake.requests.filter((q) => q.startsWith('GET /rest/bug/3/comment?'))).toHaveLength(2);
    expect(fake.requests.filter((q) => q.startsWith('GET /rest/product_accessible?'))).toHaveLength(2);
    expect(fake.requests.every((q) => !q.includes(KEY))).toBe(true);
  });

  it('keeps Bugzilla bug numbers, authors, timestamps, statuses, comments and dependencies', async () => {
    const b2 = await bug(2);
    expect(b2).toMatchObject({
      id: 2,
      summary: '内核 6.6 在鲲鹏服务器上启动失败',
      status: 'IN_PROGRESS',
      resolution: null,
      component: 'kernel',
      package: 'kernel',
      reporter: 'wang-bz',
      assignee: 'dev-li',
      dependsOn: [3],
      createdAt: '2024-05-01T08:00:00.000Z',
      updatedAt: '2024-05-02T09:30:00.000Z',
    });
    expect(b2.comments.map((c) => [c.count, c.author.username, c.createdAt])).toEqual([
      [0, 'wang-bz', '2024-05-01T08:00:00.000Z'],
      [1, 'dev-li', '2024-05-02T09:30:00.000Z'],
    ]);
    expect(b2.comments[0].body).toContain('鲲鹏 920');
    const b3 = await bug(3);
    expect(b3).toMatchObject({ status: 'RESOLVED', resolution: 'FIXED', blocks: [2], severity: 'critical' });
    const history = (await get(null, '/api/v1/bugs/3/history').expect(200)).body as unknown[];
    expect(history).toEqual([
      { who: 'dev-li', when: '2024-05-02T09:30:00.000Z', field: 'status', removed: 'CONFIRMED', added: 'RESOLVED' },
      { who: 'dev-li', when: '2024-05-02T09:30:00.000Z', field: 'resolution', removed: '', added: 'FIXED' },
    ]);
    const users = await t.ds.query<Record<string, unknown>[]>(
      `SELECT username, email, display_name, password_hash, email_verified_at FROM users WHERE email ILIKE '%li@opencloudos.org'`,
    );
    expect(users).toEqual([
      {
        username: 'dev-li',
        email: 'dev.li@opencloudos.org',
        display_name: '李开发 (Li Dev)',
        password_hash: null,
        email_verified_at: null,
      },
    ]);
  });

  it('gives a bug whose number is taken here a new id, with the alias bz<N>', async () => {
    expect((await bug(1)).summary).toBe('A bug filed here first');
    const id = await mapped(1);
    expect(id).toBeGreaterThan(9);
    const b = await bug(id);
    expect(b).toMatchObject({
      summary: 'Installer hangs at the disk selection screen',
      status: 'CONFIRMED',
      priority: 'P2',
      severity: 'major',
      aliases: ['bz1', 'installer-hang'],
      keywords: ['regression'],
      seeAlso: ['https://github.com/rhinstaller/anaconda/issues/1'],
      cc: ['bob', 'wang-bz'],
      duplicates: [4],
    });
    expect(await bug(4)).toMatchObject({ status: 'RESOLVED', resolution: 'DUPLICATE', dupeOf: id, reporter: 'bob' });
    const found = (await get(null, '/api/v1/bugs?q=installer-hang').expect(200)).body as { items: { id: number }[] };
    expect(found.items.map((i) => i.id)).toContain(id);
  });

  it('resolves a duplicate of a bug imported later in the second pass', async () => {
    expect(await bug(8)).toMatchObject({ resolution: 'DUPLICATE', dupeOf: 9 });
    expect(await bug(9)).toMatchObject({ status: 'UNCONFIRMED', priority: 'P1', severity: 'enhancement' });
  });

  it('maps legacy CLOSED/MOVED to VERIFIED/INVALID and says so in the report', async () => {
    expect(await bug(6)).toMatchObject({ status: 'VERIFIED', resolution: 'INVALID', product: 'Legacy Tools' });
  });

  it('hides the private security bug from visitors and shows it, private comment included, to the security team', async () => {
    await get(null, '/api/v1/bugs/5').expect(404);
    await get(bobLogin, '/api/v1/bugs/5').expect(404);
    const b = await bug(5, security);
    expect(b).toMatchObject({ isPrivate: true, aliases: ['CVE-2024-0001'] });
    expect(b.comments.map((c) => c.isPrivate)).toEqual([false, true]);
    const search = (await get(null, '/api/v1/bugs?q=sudo').expect(200)).body as { items: unknown[] };
    expect(search.items).toEqual([]);
  });

  it('finds imported bugs by English and Chinese words', async () => {
    const ids = async (q: string) =>
      (
        (await get(null, `/api/v1/bugs?q=${encodeURIComponent(q)}`).expect(200)).body as { items: { id: number }[] }
      ).items.map((i) => i.id);
    expect(await ids('鲲鹏')).toEqual([2]);
    expect(await ids('disk selection')).toContain(await mapped(1));
  });

  it('changes nothing when run again', async () => {
    const before = await counts();
    const r = await run();
    expect(r.bugs).toEqual({ created: 0, updated: 0, skipped: 8, failed: 0 });
    expect(r.problems).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('updates a bug that changed in Bugzilla and appends its new comment and history', async () => {
    const b2 = fake.bug(2);
    b2.status = 'RESOLVED';
    b2.resolution = 'FIXED';
    b2.comments.push({
      id: 203,
      count: 2,
      text: 'Fixed in 6.6.50.',
      creator: 'dev.li@opencloudos.org',
      time: '2024-06-01T00:00:00Z',
    });
    b2.history.push({
      when: '2024-06-01T00:00:00Z',
      who: 'dev.li@opencloudos.org',
      changes: [{ field_name: 'status', removed: 'ASSIGNED', added: 'RESOLVED' }],
    });
    touch(b2, '2024-06-01T00:00:00Z');
    const r = await run();
    expect(r.bugs).toEqual({ created: 0, updated: 1, skipped: 7, failed: 0 });
    const b = await bug(2);
    expect(b).toMatchObject({
      status: 'RESOLVED',
      resolution: 'FIXED',
      dependsOn: [3],
      updatedAt: '2024-06-01T00:00:00.000Z',
    });
    expect(b.comments.map((c) => c.count)).toEqual([0, 1, 2]);
    const history = (await get(null, '/api/v1/bugs/2/history').expect(200)).body as { added: string }[];
    expect(history.map((h) => h.added)).toEqual(['RESOLVED']);
    expect(await run()).toMatchObject({ bugs: { created: 0, updated: 0, skipped: 8, failed: 0 } });
  });

  it('reports a bug with an unknown status, skips it and imports the others', async () => {
    const base = fake.bug(9);
    fake.bugs.push(
      { ...base, id: 20, summary: 'waiting on upstream', status: 'NEEDINFO', dupeOf: null, comments: [] },
      {
        ...base,
        id: 21,
        summary: 'a healthy bug',
        status: 'CONFIRMED',
        comments: base.comments.map((c) => ({ ...c })),
      },
    );
    const r = await run();
    expect(r.problems).toEqual([{ bug: 20, message: expect.stringContaining('unknown status "NEEDINFO"') as string }]);
    expect(r.bugs).toMatchObject({ created: 1, failed: 1 });
    await get(security, '/api/v1/bugs/20').expect(404);
    expect(await bug(21)).toMatchObject({ summary: 'a healthy bug', status: 'CONFIRMED' });
  });

  it('writes nothing on a dry run', async () => {
    fake.bugs.push({ ...fake.bug(21), id: 22, summary: 'new in Bugzilla' });
    touch(fake.bug(3), '2024-07-01T00:00:00Z');
    const before = await counts();
    const r = await run({ dryRun: true });
    expect(r).toMatchObject({ dryRun: true, bugs: { created: 1, updated: 1, failed: 1 } });
    expect(await counts()).toEqual(before);
    await get(security, '/api/v1/bugs/22').expect(404);
  });

  it('reports a wrong API key without importing anything', async () => {
    const before = await counts();
    const r = await importer('wrong-key').run();
    expect(r.problems).toEqual([{ message: expect.stringContaining('API key you specified is invalid') as string }]);
    expect(await counts()).toEqual(before);
  });

  it('runs as a CLI command that prints the report', async () => {
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
    try {
      const code = await bugzillaImportCommand(
        [`${fake.url}/rest/`, '--dry-run', '--api-key', KEY, '--product', 'OpenCloudOS'],
        () => new DataSource(dataSourceOptions(t.db.url)).initialize(),
      );
      expect(code).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect(lines.join('\n')).toMatch(/dry run \(nothing written\): bugs: 0 created, 1 updated, 4 unchanged, 0 failed/);
    expect(parseBugzillaImportArgs(['--dry-run'])).toBe('missing <base-url>');
    expect(parseBugzillaImportArgs(['http://x', '--since', 'yesterday'])).toMatch(/not an ISO 8601 time/);
  });

  it('derives valid, readable usernames and reads Retry-After', () => {
    expect(usernameFor('Zhang.San+bz@example.com')).toBe('zhang-san-bz');
    expect(usernameFor('li@example.com')).toBe('bz-li');
    expect(usernameFor('王芳@example.cn')).toBe('bz-user');
    expect(usernameFor('42-ops@example.com')).toBe('ops');
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(50_000);
  });
});
