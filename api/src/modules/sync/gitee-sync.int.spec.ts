import type { AppConfig } from '../../config/config';
import { QueueRegistry } from '../../queue/queue-registry.service';
import { FakeGiteeApi } from '../../testing/fake-gitee-api';
import { login, makeUser } from '../../testing/factories';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { GiteeSyncService } from './gitee-sync.service';

interface Row {
  id: number;
  name: string;
  description: string;
  branches: string[];
  default_branch: string | null;
  pushed_at: Date | null;
  archived: boolean;
  removed_at: Date | null;
  gitee_org: string | null;
}

describe('Gitee repository sync', () => {
  const gitee = new FakeGiteeApi();
  let t: TestApp;
  let sync: GiteeSyncService;

  beforeAll(async () => {
    await gitee.start();
    gitee.token = 'sync-token';
    t = await startTestApp({
      SYNC_GITEE_API_URL: gitee.apiUrl,
      SYNC_GITEE_TOKEN: 'sync-token',
      SYNC_GITEE_ORGS: 'src-opencloudos-rpms,opencloudos-stream',
      SYNC_GITEE_CONCURRENCY: '8',
    });
    await makeSig(t.ds, { slug: 'default' });
    sync = t.app.get(GiteeSyncService);
  });
  afterAll(async () => {
    await t?.close();
    await gitee.stop();
  });
  beforeEach(() => {
    gitee.faults = {};
    gitee.requests.length = 0;
  });

  /** Another worker process: its own lease owner, optionally other settings. */
  const worker = (over: Partial<AppConfig> = {}) =>
    new GiteeSyncService(t.ds, { ...t.config, ...over }, t.app.get(QueueRegistry));
  const rows = (org: string) =>
    t.ds.query<Row[]>(
      `SELECT id, name, description, branches, default_branch, pushed_at, archived, removed_at, gitee_org
         FROM packages WHERE gitee_org = $1 ORDER BY name`,
      [org],
    );
  const listRequests = (org: string, pages: number[]) => pages.map((p) => `GET /api/v5/orgs/${org}/repos?page=${p}`);

  it('lists every page, creates packages with their release branches, and re-reads only what was pushed', async () => {
    const org = 'org-full';
    gitee.generate(org, 250, 'full');
    const first = await sync.syncOrg(org);
    expect(first).toMatchObject({ outcome: 'completed', stats: { listed: 250, created: 250, removed: 0 } });
    // three list pages, one branch listing per new repository
    expect(gitee.count(`GET /api/v5/orgs/${org}/repos`)).toBe(3);
    expect(gitee.count('GET /api/v5/repos/')).toBe(250);
    expect(first.stats.requests).toBe(253);
    const all = await rows(org);
    expect(all).toHaveLength(250);
    expect(all[0]).toMatchObject({
      name: 'full-0000',
      description: 'Package full-0000 for OpenCloudOS',
      default_branch: 'master',
      branches: ['oc9'], // master is not a release branch
      archived: false,
      removed_at: null,
    });
    expect(all[1].branches).toEqual(['oc8', 'oc9']);
    expect(all[0].pushed_at?.toISOString()).toBe(gitee.repo(org, 'full-0000').pushedAt);

    // nothing changed on Gitee: only the three list requests
    gitee.requests.length = 0;
    const again = await sync.syncOrg(org);
    expect(again).toMatchObject({ outcome: 'completed', stats: { created: 0, updated: 0, removed: 0 } });
    expect(gitee.requests).toEqual(listRequests(org, [1, 2, 3]));

    // two pushes and an edited description: two branch listings, three packages changed
    gitee.push(org, 'full-0010', ['master', 'oc8', 'oc9', 'oc9.2']);
    gitee.push(org, 'full-0200');
    gitee.repo(org, 'full-0100').description = 'A new description';
    gitee.requests.length = 0;
    const third = await sync.syncOrg(org);
    expect(third.stats).toMatchObject({ updated: 3, detailsFetched: 2, created: 0 });
    expect(gitee.requests.filter((r) => r.startsWith('GET /api/v5/repos/')).sort()).toEqual([
      `GET /api/v5/repos/${org}/full-0010/branches`,
      `GET /api/v5/repos/${org}/full-0200/branches`,
    ]);
    const after = await rows(org);
    expect(after.find((r) => r.name === 'full-0010')?.branches).toEqual(['oc8', 'oc9', 'oc9.2']);
    expect(after.find((r) => r.name === 'full-0100')?.description).toBe('A new description');
    // the package API shows what the sync wrote
    const res = await as(t.baseUrl, null, 'get', '/api/v1/packages/full-0010').expect(200);
    expect(res.body).toMatchObject({
      name: 'full-0010',
      branches: ['oc8', 'oc9', 'oc9.2'],
      sig: { slug: 'default' },
      gitee: {
        org,
        defaultBranch: 'master',
        pushedAt: gitee.repo(org, 'full-0010').pushedAt,
        archived: false,
        removedAt: null,
      },
    });
  });

  it('follows a rename and removes a deleted repository only after a complete listing and a 404', async () => {
    const org = 'org-ren';
    gitee.generate(org, 150, 'ren');
    await sync.syncOrg(org);
    const before = await rows(org);
    const renamedId = before.find((r) => r.name === 'ren-0003')!.id;

    gitee.repo(org, 'ren-0003').path = 'ren-renamed';
    gitee.remove(org, 'ren-0005');
    gitee.remove(org, 'ren-0120');
    // the connection drops on page 2: the pass stops at its cursor and nothing is removed
    gitee.faults = { dropPage: 2 };
    const failed = await sync.syncOrg(org);
    expect(failed.outcome).toBe('failed');
    expect((await sync.state(org))?.nextPage).toBe(2);
    let now = await rows(org);
    expect(now.filter((r) => r.removed_at)).toEqual([]);
    expect(now.find((r) => r.id === renamedId)?.name).toBe('ren-renamed');

    // the next run continues at page 2, completes, and only then asks about the missing ones
    gitee.faults = {};
    gitee.requests.length = 0;
    const done = await sync.syncOrg(org);
    expect(done).toMatchObject({ outcome: 'completed', stats: { removed: 2 } });
    expect(gitee.requests).toEqual([
      ...listRequests(org, [2]),
      `GET /api/v5/repos/${org}/ren-0005`,
      `GET /api/v5/repos/${org}/ren-0120`,
    ]);
    now = await rows(org);
    expect(now.filter((r) => r.removed_at).map((r) => r.name)).toEqual(['ren-0005', 'ren-0120']);
    expect(now).toHaveLength(150); // removed packages stay, marked, with their bugs
    const gone = await as(t.baseUrl, null, 'get', '/api/v1/packages/ren-0005').expect(200);
    expect(gone.body.gitee.removedAt).toEqual(expect.any(String));

    // a truncated page makes the listing incomplete: a vanished repository is not removed
    gitee.remove(org, 'ren-0007');
    gitee.faults = { truncatePage: 1 };
    const short = await sync.syncOrg(org);
    expect(short.outcome).toBe('completed');
    expect(short.stats.removed).toBe(0);
    expect(short.stats.conflicts.join('\n')).toMatch(/nothing was removed/);
    expect((await rows(org)).find((r) => r.name === 'ren-0007')?.removed_at).toBeNull();

    // a repository that comes back is restored
    gitee.faults = {};
    const back = gitee.orgs.get(org)!;
    back.push({ ...gitee.repo(org, 'ren-0006'), id: 999_001, path: 'ren-0005' });
    const restored = await sync.syncOrg(org);
    expect(restored.stats).toMatchObject({ removed: 1, conflicts: [] });
    const finalRows = await rows(org);
    expect(finalRows.find((r) => r.name === 'ren-0007')?.removed_at).not.toBeNull();
    expect(finalRows.find((r) => r.name === 'ren-0005')?.removed_at).toBeNull();
  });

  it('waits out 429 Retry-After and 403 X-RateLimit-Reset, and pauses for longer limits without removing anything', async () => {
    const org = 'org-rl';
    gitee.generate(org, 120, 'rl');
    gitee.faults = { rateLimit429: { count: 2, retryAfter: 1 } };
    const started = Date.now();
    const first = await sync.syncOrg(org);
    expect(first).toMatchObject({ outcome: 'completed', stats: { created: 120 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);

    gitee.faults = { rateLimit403: { count: 1, resetInSeconds: 1 } };
    expect(await sync.syncOrg(org)).toMatchObject({ outcome: 'completed', stats: { removed: 0 } });

    // a limit longer than SYNC_GITEE_MAX_WAIT_SECONDS pauses the pass at its cursor
    const impatient = worker({ syncGiteeMaxWaitSeconds: 1 });
    gitee.faults = { rateLimit403: { count: 1, resetInSeconds: 600 } };
    const paused = await impatient.syncOrg(org);
    expect(paused.outcome).toBe('paused');
    const st = await sync.state(org);
    expect(st).toMatchObject({ state: 'paused', nextPage: 1 });
    expect(st!.pausedUntil!.getTime()).toBeGreaterThan(Date.now() + 500_000);
    gitee.requests.length = 0;
    expect((await sync.syncOrg(org)).outcome).toBe('skipped');
    expect(gitee.requests).toEqual([]);
    expect((await rows(org)).filter((r) => r.removed_at)).toEqual([]);
  });

  it('rides out a rate-limit storm: every request refused for 2.5 s, then each repository read once', async () => {
    const org = 'org-storm';
    gitee.generate(org, 250, 'storm');
    gitee.faults = { rateLimitStorm: { until: Date.now() + 2500, retryAfter: 1 } };
    const refusedBefore = gitee.refused;
    const started = Date.now();
    const res = await sync.syncOrg(org);
    expect(res).toMatchObject({ outcome: 'completed', stats: { listed: 250, created: 250, removed: 0 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    // the client counted every attempt; the refused ones were retried, not skipped or doubled
    expect(res.stats.requests).toBe(gitee.requests.length);
    const refused = gitee.refused - refusedBefore;
    expect(refused).toBeGreaterThan(0);
    expect(gitee.requests.length - refused).toBe(253); // 3 list pages + 250 branch listings, each answered once
    const all = await rows(org);
    expect(all).toHaveLength(250);
    expect(all.every((r) => r.branches.length > 0)).toBe(true);
  });

  it('stops at the hourly request budget and resumes from its cursor', async () => {
    const org = 'org-budget';
    gitee.generate(org, 230, 'bud');
    await sync.syncOrg(org);
    const stingy = worker({ syncGiteeHourlyBudget: 2, queuePrefix: `${t.config.queuePrefix}_budget` });
    gitee.requests.length = 0;
    const paused = await stingy.syncOrg(org);
    expect(paused.outcome).toBe('paused');
    expect(gitee.requests).toEqual(listRequests(org, [1, 2]));
    const st = await sync.state(org);
    expect(st).toMatchObject({ state: 'paused', nextPage: 3 });
    expect(st!.pausedUntil!.getTime() % 3600_000).toBe(0); // the next clock hour

    await t.ds.query(`UPDATE sync_gitee_orgs SET paused_until = now() WHERE org = $1`, [org]);
    gitee.requests.length = 0;
    expect(await sync.syncOrg(org)).toMatchObject({ outcome: 'completed', stats: { removed: 0 } });
    expect(gitee.requests).toEqual(listRequests(org, [3]));
  });

  it('continues the pass a killed worker left, with no duplicates and nothing lost', async () => {
    const org = 'org-kill';
    gitee.generate(org, 300, 'kill');
    const doomed = worker();
    let release: () => void = () => undefined;
    doomed.afterPage = async (_org, page) => {
      // the process "dies" after committing page 2: it never comes back on its own
      if (page === 2) await new Promise<void>((resolve) => (release = resolve));
    };
    const zombie = doomed.syncOrg(org);
    const stuck = async () => (await sync.state(org))?.nextPage === 3;
    for (let i = 0; i < 100 && !(await stuck()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await stuck()).toBe(true);

    const next = worker();
    expect((await next.syncOrg(org)).outcome).toBe('busy'); // its lease still holds
    await t.ds.query(`UPDATE sync_gitee_orgs SET lease_until = now() - interval '1 second' WHERE org = $1`, [org]);
    gitee.requests.length = 0;
    const resumed = await next.syncOrg(org);
    expect(resumed).toMatchObject({ outcome: 'completed', stats: { listed: 300, created: 300, removed: 0 } });
    expect(gitee.requests.filter((r) => r.includes('/orgs/'))).toEqual(listRequests(org, [3]));
    expect(gitee.count('GET /api/v5/repos/')).toBe(100);

    // the zombie wakes up: it has lost the lease, so its page is rolled back and it stops
    release();
    expect((await zombie).outcome).toBe('failed');
    const all = await rows(org);
    expect(all).toHaveLength(300);
    expect(new Set(all.map((r) => r.name)).size).toBe(300);
    expect((await sync.state(org))?.state).toBe('idle');

    // and a re-run is idempotent
    gitee.requests.length = 0;
    expect(await next.syncOrg(org)).toMatchObject({ stats: { created: 0, updated: 0, removed: 0 } });
    expect(gitee.requests).toEqual(listRequests(org, [1, 2, 3]));
  });

  it('reports name clashes, invalid names and repositories no SIG owns instead of guessing', async () => {
    const sig = await makeSig(t.ds);
    await makePackage(t.ds, sig.id, 'adopt-me');
    gitee.generate('org-one', 1, 'clash');
    gitee.generate('org-two', 1, 'clash');
    gitee.generate('org-two', 1, 'bad name');
    gitee.generate('org-one', 1, 'x')[0].path = 'adopt-me';
    await sync.syncOrg('org-one');
    const two = await sync.syncOrg('org-two');
    expect(two.stats.created).toBe(0);
    expect(two.stats.conflicts).toEqual([
      'org-two/clash-0000: the package name is taken by org-one/clash-0000',
      'org-two/bad name-0001: "bad name-0001" is not a valid package name',
    ]);
    // a package known before (packages.yaml, by hand) is adopted, keeping its SIG
    const adopted = await t.ds.query<{ sig_id: number; gitee_org: string }[]>(
      `SELECT sig_id, gitee_org FROM packages WHERE name = 'adopt-me'`,
    );
    expect(adopted).toEqual([{ sig_id: sig.id, gitee_org: 'org-one' }]);

    gitee.generate('org-nosig', 1, 'orphan');
    const orphan = await worker({ syncDefaultSig: 'no-such-sig' }).syncOrg('org-nosig');
    expect(orphan.stats.conflicts).toEqual([
      'org-nosig/orphan-0000: no SIG owns it and SYNC_DEFAULT_SIG names no SIG; not created',
    ]);
  });

  it('re-reads one repository when a webhook asks, and never removes on a 404', async () => {
    const org = 'src-opencloudos-rpms';
    gitee.generate(org, 3, 'hook');
    await sync.syncOrg(org);
    gitee.push(org, 'hook-0001', ['master', 'oc8', 'oc9', 'oc10']);
    gitee.requests.length = 0;
    expect(await sync.refreshRepo(`${org}/hook-0001`)).toBe('updated');
    expect(gitee.requests).toEqual([
      `GET /api/v5/repos/${org}/hook-0001`,
      `GET /api/v5/repos/${org}/hook-0001/branches`,
    ]);
    expect((await rows(org)).find((r) => r.name === 'hook-0001')?.branches).toEqual(['oc10', 'oc8', 'oc9']);

    gitee.remove(org, 'hook-0002');
    expect(await sync.refreshRepo(`${org}/hook-0002`)).toBe('missing');
    expect((await rows(org)).find((r) => r.name === 'hook-0002')?.removed_at).toBeNull();
    expect(await sync.refreshRepo('elsewhere/hook-0001')).toBe('ignored');
  });

  it('shows admins each organisation’s cursor and last pass', async () => {
    const admin = await makeUser(t.ds, { roles: ['admin'] });
    const user = await makeUser(t.ds);
    const sa = await login(t.baseUrl, admin.user.username);
    await as(t.baseUrl, await login(t.baseUrl, user.user.username), 'get', '/api/v1/admin/sync').expect(403);
    await as(t.baseUrl, null, 'get', '/api/v1/admin/sync').expect(401);
    const res = await as(t.baseUrl, sa, 'get', '/api/v1/admin/sync').expect(200);
    const orgs = (res.body as { orgs: { org: string; state: string }[] }).orgs;
    expect(orgs.map((o) => o.org)).toEqual(expect.arrayContaining(['src-opencloudos-rpms', 'opencloudos-stream']));
    expect(orgs.find((o) => o.org === 'org-full')).toMatchObject({ state: 'idle', totalCount: 250 });
  });
});
