import { FakeKoji, KOJI_STATE } from '../../testing/fake-koji';
import { fileBug, makeBugProducts } from '../../testing/bugs';
import { login, makeUser } from '../../testing/factories';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { BuildSyncService } from './build-sync.service';
import { CommitLinksService } from './commit-links.service';

describe('Koji builds', () => {
  const koji = new FakeKoji();
  let t: TestApp;
  let builds: BuildSyncService;
  let lead: number;
  let maintainer: number;
  let member: number;

  beforeAll(async () => {
    await koji.start();
    t = await startTestApp({
      KOJI_HUB_URL: koji.hubUrl,
      KOJI_TAGS: 'dist-oc8,dist-oc9',
      SYNC_GITEE_ORGS: 'src-opencloudos-rpms',
    });
    builds = t.app.get(BuildSyncService);
    [lead, maintainer, member] = (await Promise.all([makeUser(t.ds), makeUser(t.ds), makeUser(t.ds)])).map(
      (u) => u.user.id,
    );
    const sig = await makeSig(t.ds, {
      members: [
        [lead, 'lead'],
        [maintainer, 'maintainer'],
        [member, 'member'],
      ],
    });
    await makePackage(t.ds, sig.id, 'openssl');
  });
  afterAll(async () => {
    await t?.close();
    await koji.stop();
  });

  const failureNotices = () =>
    t.ds.query<{ user_id: number; title: string }[]>(
      `SELECT user_id, title FROM notifications WHERE kind = 'build.failed' ORDER BY id`,
    );
  const list = async () =>
    (await as(t.baseUrl, null, 'get', '/api/v1/packages/openssl/builds').expect(200)).body.items as {
      id: number;
      nvr: string;
      state: string;
      release: string | null;
      tags: string[];
      arches: string[];
      sourceCommit: string | null;
      taskUrl: string | null;
    }[];

  it('records new builds of the configured targets, tells the SIG’s maintainers about a failure once, and follows state and tags', async () => {
    const ok = koji.add('openssl', { target: 'dist-oc9', arches: ['x86_64', 'aarch64', 'x86_64'] });
    const failed = koji.add('openssl', { target: 'dist-oc8', state: KOJI_STATE.FAILED });
    koji.add('openssl', { target: 'dist-elsewhere' });
    const running = koji.add('openssl', { target: 'dist-oc9', state: KOJI_STATE.BUILDING });
    koji.add('unknown-pkg', { target: 'dist-oc9' });

    const first = await builds.poll();
    expect(first).toMatchObject({ outcome: 'completed', recorded: 4, changed: 0, notified: 2 });
    const items = await list();
    expect(items.map((b) => [b.id, b.state, b.release])).toEqual([
      [running.id, 'BUILDING', '9'],
      [failed.id, 'FAILED', '8'],
      [ok.id, 'COMPLETE', '9'],
    ]);
    expect(items[2]).toMatchObject({
      nvr: `openssl-1.0-${ok.release}`,
      tags: ['dist-oc9'],
      arches: ['aarch64', 'x86_64'],
      sourceCommit: ok.commit,
      taskUrl: `http://127.0.0.1:${koji.port}/koji/taskinfo?taskID=${ok.taskId}`,
    });
    const notices = await failureNotices();
    expect(notices.map((n) => n.user_id).sort()).toEqual([lead, maintainer].sort());
    expect(notices[0].title).toContain(`openssl-1.0-${failed.release}`);

    // nothing new: one listing, the running build re-read, the tags; no task calls, no new notices
    koji.calls.length = 0;
    expect(await builds.poll()).toMatchObject({ recorded: 0, changed: 0, notified: 0 });
    expect(koji.calls).toEqual(['listBuilds', 'getBuild', 'listTagged', 'listTagged']);
    expect(await failureNotices()).toHaveLength(2);

    // the running build fails, the good one is untagged
    running.state = KOJI_STATE.FAILED;
    running.completedTs = running.createdTs + 100;
    ok.tags = [];
    const third = await builds.poll();
    expect(third).toMatchObject({ recorded: 0, changed: 1, notified: 2 });
    const now = await list();
    expect(now.find((b) => b.id === running.id)?.state).toBe('FAILED');
    expect(now.find((b) => b.id === ok.id)?.tags).toEqual([]);
    expect(await failureNotices()).toHaveLength(4);
    expect(await builds.poll()).toMatchObject({ notified: 0 });
  });

  it('keeps its cursor when the hub fails and catches up afterwards', async () => {
    const later = koji.add('openssl', { target: 'dist-oc9' });
    koji.failNext = 1;
    const failed = await builds.poll();
    expect(failed.outcome).toBe('failed');
    const after = await builds.poll();
    expect(after).toMatchObject({ outcome: 'completed', recorded: 1 });
    expect((await list())[0]).toMatchObject({ id: later.id, state: 'COMPLETE', tags: ['dist-oc9'] });
  });

  it('fills a bug’s "fixed in" from the fixing commit’s build, per release, and shows the trail', async () => {
    await makeBugProducts(t.ds);
    const reporter = await login(t.baseUrl, (await makeUser(t.ds)).user.username);
    const bug = await fileBug(t.baseUrl, reporter, { component: 'openssl' });
    const secret = await fileBug(t.baseUrl, reporter, { component: 'openssl', isPrivate: true });
    const fix = 'f1'.padEnd(40, 'e');
    const url = `https://gitee.com/src-opencloudos-rpms/openssl/commit/${fix}`;
    await t.app.get(CommitLinksService).process({
      repo: 'src-opencloudos-rpms/openssl',
      branch: 'oc9',
      commits: [{ id: fix, message: `Fixes: #${bug}\nFixes: #${secret}`, url, author: 'dev' }],
    });
    const now = Math.floor(Date.now() / 1000);
    const exact = koji.add('openssl', { target: 'dist-oc9', commit: fix, createdTs: now + 60 });
    koji.add('openssl', { target: 'dist-oc8', createdTs: now + 120 }); // another release: not carrying the fix
    koji.add('openssl', { target: 'dist-oc9', createdTs: now + 180 }); // later in 9: the first one stays
    const res = await builds.poll();
    expect(res).toMatchObject({ outcome: 'completed', recorded: 3, fixedIn: 2 });
    const nvr = `openssl-1.0-${exact.release}`;

    const trail = await as(t.baseUrl, reporter, 'get', `/api/v1/bugs/${bug}/builds`).expect(200);
    expect(trail.body).toEqual({
      fixedIn: nvr,
      releases: [
        {
          release: '9',
          nvr,
          state: 'COMPLETE',
          taggedIntoRelease: true,
          tags: ['dist-oc9'],
          commit: fix,
          taskUrl: `http://127.0.0.1:${koji.port}/koji/taskinfo?taskID=${exact.taskId}`,
          finishedAt: new Date((exact.completedTs ?? 0) * 1000).toISOString(),
        },
      ],
    });
    const history = (await as(t.baseUrl, reporter, 'get', `/api/v1/bugs/${bug}/history`).expect(200)).body as {
      who: string;
      field: string;
      added: string;
    }[];
    expect(history).toEqual(
      expect.arrayContaining([expect.objectContaining({ who: 'gitee-bot', field: 'cf_fixed_in', added: nvr })]),
    );
    // a private bug's trail is as private as the bug
    await as(t.baseUrl, null, 'get', `/api/v1/bugs/${secret}/builds`).expect(404);
    expect((await as(t.baseUrl, reporter, 'get', `/api/v1/bugs/${secret}/builds`).expect(200)).body.fixedIn).toBe(nvr);
    await as(t.baseUrl, null, 'get', '/api/v1/bugs/99999999/builds').expect(404);
    await as(t.baseUrl, null, 'get', '/api/v1/bugs/abc/builds').expect(404);

    // polling again changes nothing
    expect(await builds.poll()).toMatchObject({ recorded: 0, fixedIn: 0 });
  });

  it('answers 404 for the builds of an unknown package', async () => {
    await as(t.baseUrl, null, 'get', '/api/v1/packages/no-such-package/builds').expect(404);
    await as(t.baseUrl, null, 'get', '/api/v1/packages/bad%20name/builds').expect(404);
  });
});
