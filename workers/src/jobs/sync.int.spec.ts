import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OutboxService, QueueRegistry, QUEUES } from '@och/api';
import { fileBug, makeBugProducts } from '../../../api/src/testing/bugs';
import { login, makeUser } from '../../../api/src/testing/factories';
import { FakeGiteeApi, giteeSignature, pushHookPayload } from '../../../api/src/testing/fake-gitee-api';
import { FakeKoji, KOJI_STATE } from '../../../api/src/testing/fake-koji';
import { as, makeSig } from '../../../api/src/testing/sigs';
import { startTestApp, TestApp } from '../../../api/src/testing/test-app';
import { JobRunner } from '../job-runner';
import { WorkerModule } from '../worker.module';

async function until<T>(check: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ORG = 'src-opencloudos-rpms';
const SECRET = 'worker-webhook-secret';

describe('sync jobs in the workers process', () => {
  const gitee = new FakeGiteeApi();
  const koji = new FakeKoji();
  let t: TestApp;
  let ctx: INestApplicationContext;

  beforeAll(async () => {
    await Promise.all([gitee.start(), koji.start()]);
    gitee.generate(ORG, 130, 'wk');
    t = await startTestApp({
      SYNC_GITEE_API_URL: gitee.apiUrl,
      SYNC_GITEE_ORGS: ORG,
      SYNC_GITEE_INTERVAL_MINUTES: '90',
      GITEE_WEBHOOK_SECRET: SECRET,
      KOJI_HUB_URL: koji.hubUrl,
      KOJI_POLL_MINUTES: '15',
      SYNC_COMMUNITY_REPO: 'OpenCloudOS/rpm_info',
    });
    await makeSig(t.ds, { slug: 'default' });
    ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: false });
    await ctx.get(JobRunner).start({ relayIntervalMs: 50 });
  });
  afterAll(async () => {
    await ctx?.close();
    await t?.close();
    await Promise.all([gitee.stop(), koji.stop()]);
  });

  it('schedules the Gitee sync and the Koji poll at their intervals', async () => {
    const schedulers = await ctx.get(QueueRegistry).get(QUEUES.maintenance).getJobSchedulers();
    expect(schedulers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'sync-gitee-repos', every: 90 * 60_000 }),
        expect.objectContaining({ key: 'sync-builds-poll', every: 15 * 60_000 }),
      ]),
    );
  });

  it('syncs the organisation from a queued job, then follows a webhook push to the repository and its bug', async () => {
    await t.app.get(OutboxService).enqueue(null, 'sync.gitee-repos', {});
    await until(async () => {
      const [{ n }] = await t.ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM packages WHERE gitee_org = $1`,
        [ORG],
      );
      return n === 130;
    });

    await makeBugProducts(t.ds);
    const reporter = await login(t.baseUrl, (await makeUser(t.ds)).user.username);
    const bug = await fileBug(t.baseUrl, reporter, { component: 'wk-0042' });
    gitee.push(ORG, 'wk-0042', ['master', 'oc8', 'oc9', 'oc9.4']);
    const ts = String(Date.now());
    const id = 'c0ffee'.padEnd(40, '0');
    await t
      .http()
      .post('/api/v1/webhooks/gitee')
      .set({ 'x-gitee-event': 'Push Hook', 'x-gitee-timestamp': ts, 'x-gitee-token': giteeSignature(SECRET, ts) })
      .send(pushHookPayload({ repo: `${ORG}/wk-0042`, branch: 'oc9', commits: [{ id, message: `Fixes: #${bug}` }] }))
      .expect(202);

    const branches = await until(async () => {
      const [p] = await t.ds.query<{ branches: string[] }[]>(`SELECT branches FROM packages WHERE name = 'wk-0042'`);
      return p.branches.includes('oc9.4') && p.branches;
    });
    expect(branches).toEqual(['oc8', 'oc9', 'oc9.4']);
    const seen = await until(async () => {
      const res = await as(t.baseUrl, reporter, 'get', `/api/v1/bugs/${bug}`).expect(200);
      const body = res.body as { status: string; resolution: string | null; comments: { body: string }[] };
      return body.status === 'RESOLVED' && body;
    });
    expect(seen.resolution).toBe('FIXED');
    expect(seen.comments.at(-1)?.body).toContain(`https://gitee.com/${ORG}/wk-0042/commit/${id}`);
  });

  it('records Koji builds from a queued poll', async () => {
    const failed = koji.add('wk-0001', { target: 'dist-oc9', state: KOJI_STATE.FAILED });
    await t.app.get(OutboxService).enqueue(null, 'sync.builds-poll', {});
    const row = await until(async () => {
      const [b] = await t.ds.query<{ state: string; package_name: string }[]>(
        `SELECT state, package_name FROM builds WHERE external_id = $1`,
        [failed.id],
      );
      return b;
    });
    expect(row).toEqual({ state: 'FAILED', package_name: 'wk-0001' });
  });

  it('re-reads packages.yaml when the community repository is pushed to, and only for its branch', async () => {
    // every package must be claimed, or the file is reported and not applied
    const rest = Array.from({ length: 130 }, (_, i) => `wk-${String(i).padStart(4, '0')}`).filter(
      (n) => n !== 'wk-0003',
    );
    gitee.files.set(
      'OpenCloudOS/rpm_info:packages.yaml',
      [
        'sigs:',
        '  - name: Ops-tools',
        '    intro: Operations tooling',
        '    reviewers: []',
        '    packages: [wk-0003]',
        '  - name: Default',
        '    intro: Packages no SIG has taken yet',
        '    reviewers: []',
        `    packages: [${rest.join(', ')}]`,
        '',
      ].join('\n'),
    );
    const deliver = (branch: string) => {
      const ts = String(Date.now() + Math.floor(Math.random() * 1000));
      return t
        .http()
        .post('/api/v1/webhooks/gitee')
        .set({ 'x-gitee-event': 'Push Hook', 'x-gitee-timestamp': ts, 'x-gitee-token': giteeSignature(SECRET, ts) })
        .send(
          pushHookPayload({
            repo: 'OpenCloudOS/rpm_info',
            branch,
            commits: [{ id: 'beef'.padEnd(40, '1'), message: 'Ops-tools takes wk-0003' }],
          }),
        )
        .expect(202);
    };
    expect((await deliver('feature')).body.queued).toEqual([]);
    expect((await deliver('master')).body).toEqual({
      event: 'Push Hook',
      repository: 'OpenCloudOS/rpm_info',
      queued: ['sync.community-file'],
    });
    const owner = await until(async () => {
      const [p] = await t.ds.query<{ slug: string }[]>(
        `SELECT s.slug FROM packages p JOIN sigs s ON s.id = p.sig_id WHERE p.name = 'wk-0003'`,
      );
      return p.slug === 'ops-tools' && p.slug;
    });
    expect(owner).toBe('ops-tools');
    expect(gitee.count('GET /api/v5/repos/OpenCloudOS/rpm_info/contents/packages.yaml')).toBeGreaterThan(0);
  });
});
