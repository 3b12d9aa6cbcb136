import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OutboxService, QueueRegistry, QUEUES } from '@och/api';
import { FakeMirror, makeMirror, openCloudOsTree } from '../../../api/src/testing/fake-mirror';
import { startTestApp, TestApp } from '../../../api/src/testing/test-app';
import { JobRunner } from '../job-runner';
import { WorkerModule } from '../worker.module';

async function until<T>(check: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('mirror jobs in the workers process', () => {
  const oc = openCloudOsTree();
  const master = new FakeMirror(oc.tree);
  const mirror = new FakeMirror(oc.tree);
  let t: TestApp;
  let ctx: INestApplicationContext;

  beforeAll(async () => {
    await Promise.all([master.start(), mirror.start()]);
    t = await startTestApp({ MIRROR_MASTER_URL: master.url, MIRROR_PROBE_INTERVAL_MINUTES: '30' });
    ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: false });
    await ctx.get(JobRunner).start({ relayIntervalMs: 50 });
  });
  afterAll(async () => {
    await ctx?.close();
    await t?.close();
    await Promise.all([master.stop(), mirror.stop()]);
  });

  it('schedules the probe sweep every MIRROR_PROBE_INTERVAL_MINUTES', async () => {
    const schedulers = await ctx.get(QueueRegistry).get(QUEUES.maintenance).getJobSchedulers();
    expect(schedulers).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'mirror-probe-sweep', every: 30 * 60_000 })]),
    );
  });

  it('imports a release queued through the outbox, then probes mirrors against it', async () => {
    const [{ id }] = await t.ds.query<{ id: number }[]>(
      `INSERT INTO releases (family, version, name, path, status, is_latest)
       VALUES ('opencloudos', '9.2', 'OpenCloudOS 9.2', 'opencloudos/9.2', 'published', true) RETURNING id`,
    );
    await t.app.get(OutboxService).enqueue(null, 'mirrors.import-release', { releaseId: id });
    const count = await until(async () => {
      const [{ n }] = await t.ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM release_artefacts`);
      return n > 0 && n;
    });
    expect(count).toBe(7);

    const mirrorId = await makeMirror(t.ds, { name: 'fresh', country: 'CN', continent: 'AS', httpUrl: mirror.url });
    await t.app.get(OutboxService).enqueue(null, 'mirrors.probe-sweep', {});
    const row = await until(async () => {
      const [m] = await t.ds.query<{ bucket: string; last_probe_at: Date | null }[]>(
        `SELECT bucket, last_probe_at FROM mirrors WHERE id = $1`,
        [mirrorId],
      );
      return m.last_probe_at && m;
    });
    expect(row.bucket).toBe('up-to-date');
    // the current ISOs were HEAD-checked on the mirror
    expect(mirror.served(/^HEAD \/opencloudos\/9\.2\/isos\//)).toHaveLength(6);
  });
});
