import { FakeKoji, KOJI_STATE } from '../../testing/fake-koji';
import { fileBug, makeBugProducts, queuedMails } from '../../testing/bugs';
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
  let sigSlug: string;

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
    sigSlug = sig.slug;
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
    // per release and architecture, the newest build; the SIG sees its failing package
    const page = (await as(t.baseUrl, null, 'get', '/api/v1/packages/openssl/builds').expect(200)).body as {
      latest: { release: string; arch: string; build: { id: number; state: string } }[];
    };
    expect(page.latest.map((l) => [l.release, l.arch, l.build.id, l.build.state])).toEqual([
      ['9', 'aarch64', running.id, 'BUILDING'],
      ['9', 'x86_64', running.id, 'BUILDING'],
      ['8', 'aarch64', failed.id, 'FAILED'],
      ['8', 'x86_64', failed.id, 'FAILED'],
    ]);
    const failing = await as(t.baseUrl, null, 'get', `/api/v1/sigs/${sigSlug}/failing-builds`).expect(200);
    expect(failing.body).toEqual({
      items: [{ package: 'openssl', build: expect.objectContaining({ id: failed.id, state: 'FAILED', release: '8' }) }],
    });
    await as(t.baseUrl, null, 'get', '/api/v1/sigs/no-such-sig/failing-builds').expect(404);
    await as(t.baseUrl, null, 'get', '/api/v1/packages/openssl/builds?limit=0').expect(400);
    await as(t.baseUrl, null, 'get', '/api/v1/packages/openssl/builds?limit=abc').expect(400);
    expect(
      (await as(t.baseUrl, null, 'get', '/api/v1/packages/openssl/builds?limit=1').expect(200)).body.items,
    ).toHaveLength(1);

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
    // two bugs fixed in 9 and tagged there: both released, each reporter told once
    expect(res).toMatchObject({ outcome: 'completed', recorded: 3, fixedIn: 2, released: 2 });
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
          source: 'commit',
          taskUrl: `http://127.0.0.1:${koji.port}/koji/taskinfo?taskID=${exact.taskId}`,
          finishedAt: new Date((exact.completedTs ?? 0) * 1000).toISOString(),
          released: { nvr, releasedAt: expect.any(String) },
          mirrors: null, // no probe sweep has read the master's repositories yet
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

    // polling again changes nothing and tells nobody again
    expect(await builds.poll()).toMatchObject({ recorded: 0, fixedIn: 0, released: 0 });
  });

  it('releases a fix once its build is tagged, tells the reporter once, and follows it over the mirrors', async () => {
    const sig = (await t.ds.query<{ sig_id: number }[]>(`SELECT sig_id FROM packages WHERE name = 'openssl'`))[0];
    await makePackage(t.ds, sig.sig_id, 'curl');
    await makeBugProducts(t.ds);
    const who = await makeUser(t.ds);
    const reporter = await login(t.baseUrl, who.user.username);
    const bug = await fileBug(t.baseUrl, reporter, { component: 'curl' });
    const fix = 'c2'.padEnd(40, 'd');
    await t.app.get(CommitLinksService).process({
      repo: 'src-opencloudos-rpms/curl',
      branch: 'oc9',
      commits: [{ id: fix, message: `Fixes: #${bug}`, url: `https://gitee.com/x/curl/commit/${fix}`, author: 'dev' }],
    });
    const tellings = () =>
      t.ds.query<{ title: string; link: string }[]>(
        `SELECT title, link FROM notifications WHERE kind = 'bug.fix-released' AND user_id = $1`,
        [who.user.id],
      );
    // built, but not yet tagged into the release repository: fixed in, not released
    const now = Math.floor(Date.now() / 1000);
    const b = koji.add('curl', { target: 'dist-oc9', commit: fix, createdTs: now + 300, tags: [] });
    expect(await builds.poll()).toMatchObject({ fixedIn: 1, released: 0 });
    let trail = (await as(t.baseUrl, reporter, 'get', `/api/v1/bugs/${bug}/builds`).expect(200)).body;
    expect(trail.releases).toEqual([
      expect.objectContaining({ release: '9', taggedIntoRelease: false, released: null, mirrors: null }),
    ]);
    expect(await tellings()).toEqual([]);

    // the master's repositories of 9 and five mirrors, as the prober left them
    const master = async (ts: number) => {
      await t.ds.query(`DELETE FROM mirror_master_repos`);
      for (const key of ['9/BaseOS/x86_64', '9/AppStream/x86_64', '8/BaseOS/x86_64'])
        await t.ds.query(
          `INSERT INTO mirror_master_repos (repo_key, size, timestamp, md5, sha1, sha256, sha512)
           VALUES ($1, 1, $2, repeat('a', 32), repeat('a', 40), repeat('a', 64), repeat('a', 128))`,
          [key, key.startsWith('8') ? ts - 99_999 : ts],
        );
    };
    const mirror = (name: string, status: string, content: string[], fresh: string[], syncedAt: number | null) =>
      t.ds.query(
        `INSERT INTO mirrors (name, sponsor, country, continent, bandwidth_mbps, contact_email, https_url, status,
           content, fresh_repos, last_sync_at, last_probe_at)
         VALUES ($1::varchar, 'Sponsor', 'CN', 'AS', 100, 'ops@example.test', 'https://' || $1::text || '.example.test', $2, $3, $4,
           to_timestamp($5), now())`,
        [name, status, content, fresh, syncedAt],
      );
    await mirror('fresh-both', 'active', ['repos'], ['9/AppStream/x86_64', '9/BaseOS/x86_64'], null);
    await mirror('fresh-one', 'active', ['repos', 'isos'], ['9/BaseOS/x86_64'], now - 86_400);
    await mirror('synced-after', 'active', ['repos'], [], now + 7200);
    await mirror('behind', 'active', ['repos'], [], now - 86_400);
    await mirror('disabled', 'disabled', ['repos'], ['9/AppStream/x86_64', '9/BaseOS/x86_64'], now + 7200);
    await mirror('isos-only', 'active', ['isos'], [], now + 7200);
    await master(now - 3600); // composed before the build was tagged

    // tagged: released, the reporter is told in-app and by mail, once
    b.tags = ['dist-oc9'];
    expect(await builds.poll()).toMatchObject({ released: 1 });
    expect(await builds.poll()).toMatchObject({ released: 0 });
    expect(await tellings()).toEqual([{ title: `Fix released for bug ${bug} in OpenCloudOS 9`, link: `/bugs/${bug}` }]);
    const mails = await queuedMails(t.ds, who.user.email);
    expect(mails.filter((m) => m.subject.includes('Fix released'))).toHaveLength(1);
    const nvr = `curl-1.0-${b.release}`;
    trail = (await as(t.baseUrl, reporter, 'get', `/api/v1/bugs/${bug}/builds`).expect(200)).body;
    expect(trail.releases[0]).toMatchObject({
      nvr,
      taggedIntoRelease: true,
      released: { nvr },
      // the master's compose predates the tag: no mirror can have it yet
      mirrors: { composed: false, mirrors: 4, carrying: 0, share: 0 },
    });

    // the master composes 9 again; two of the four active repository mirrors already serve it
    await master(now + 3600);
    trail = (await as(t.baseUrl, null, 'get', `/api/v1/bugs/${bug}/builds`).expect(200)).body;
    expect(trail.releases[0].mirrors).toEqual({
      composedAt: new Date((now + 3600) * 1000).toISOString(),
      composed: true,
      mirrors: 4,
      carrying: 2,
      share: 0.5,
      checkedAt: expect.any(String),
    });

    // fixed in by hand, for another release: shown with its own state, marked manual
    const by8 = koji.add('curl', { target: 'dist-oc8', createdTs: now + 400 });
    await builds.poll();
    const manual = `curl-1.0-${by8.release}`;
    const admin = await login(t.baseUrl, (await makeUser(t.ds, { roles: ['admin'] })).user.username);
    await as(t.baseUrl, admin, 'patch', `/api/v1/bugs/${bug}`, { fixedIn: `${nvr}, ${manual}` }).expect(200);
    trail = (await as(t.baseUrl, reporter, 'get', `/api/v1/bugs/${bug}/builds`).expect(200)).body;
    expect(
      trail.releases.map((r: { release: string; source: string; commit: string | null }) => [
        r.release,
        r.source,
        r.commit,
      ]),
    ).toEqual([
      ['9', 'commit', fix],
      ['8', 'manual', null],
    ]);
    expect(trail.releases[1]).toMatchObject({ nvr: manual, taggedIntoRelease: true, released: { nvr: manual } });
  });

  it('answers 404 for the builds of an unknown package', async () => {
    await as(t.baseUrl, null, 'get', '/api/v1/packages/no-such-package/builds').expect(404);
    await as(t.baseUrl, null, 'get', '/api/v1/packages/bad%20name/builds').expect(404);
  });
});
