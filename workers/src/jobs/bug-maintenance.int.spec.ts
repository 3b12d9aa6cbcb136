import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { fileBug, makeBugProducts, queuedMails } from '../../../api/src/testing/bugs';
import { login, makeUser } from '../../../api/src/testing/factories';
import { as, makePackage, makeSig } from '../../../api/src/testing/sigs';
import { startTestApp, TestApp } from '../../../api/src/testing/test-app';
import { NotificationEntity } from '../../../api/src/modules/notifications/notification.entity';
import { WorkerModule } from '../worker.module';
import { BugTermStatsJob, NeedinfoRemindersJob, WatchSearchesJob } from './bug-maintenance.job';

describe('bug maintenance jobs', () => {
  let t: TestApp;
  let ctx: INestApplicationContext;
  let pkg: string;

  beforeAll(async () => {
    t = await startTestApp({ NEEDINFO_REMINDER_DAYS: '3' });
    ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: false });
    await makeBugProducts(t.ds);
    pkg = (await makePackage(t.ds, (await makeSig(t.ds)).id)).name;
  });
  afterAll(async () => {
    await ctx.close();
    await t.close();
  });

  it('reminds an unanswered needinfo once per period', async () => {
    const [asker, asked] = await Promise.all([
      makeUser(t.ds, { roles: ['triager'] }),
      makeUser(t.ds, { locale: 'zh-CN' }),
    ]);
    const sAsker = await login(t.baseUrl, asker.user.username);
    const id = await fileBug(t.baseUrl, sAsker, { component: pkg, summary: 'needs logs' });
    await as(t.baseUrl, sAsker, 'post', `/api/v1/bugs/${id}/needinfo`, { user: asked.user.username }).expect(201);
    const job = ctx.get(NeedinfoRemindersJob);
    expect(await job.handle()).toEqual({ reminded: 0 }); // not due yet
    await t.ds.query(`UPDATE bug_flags SET created_at = now() - interval '4 days' WHERE bug_id = $1`, [id]);
    expect(await job.handle()).toEqual({ reminded: 1 });
    expect(await job.handle()).toEqual({ reminded: 0 });
    const notes = await t.ds
      .getRepository(NotificationEntity)
      .findBy({ userId: asked.user.id, kind: 'bug.needinfo_reminder' });
    expect(notes.map((n) => n.title)).toEqual([`[Bug ${id}] 提醒：${asker.user.username} 正在等待您提供信息`]);
    await t.ds.query(`UPDATE bug_flags SET reminded_at = now() - interval '4 days' WHERE bug_id = $1`, [id]);
    expect(await job.handle()).toEqual({ reminded: 1 });
  });

  it('mails new matches of a watched search, with the owner’s permissions', async () => {
    const [owner, reporter] = await Promise.all([makeUser(t.ds), makeUser(t.ds)]);
    const [sOwner, sReporter] = await Promise.all([
      login(t.baseUrl, owner.user.username),
      login(t.baseUrl, reporter.user.username),
    ]);
    await as(t.baseUrl, sOwner, 'post', '/api/v1/saved-searches', {
      name: 'watch',
      query: 'zqwatched',
      watch: true,
    }).expect(201);
    const job = ctx.get(WatchSearchesJob);
    expect(await job.handle()).toEqual({ mailed: 0 });
    const pub = await fileBug(t.baseUrl, sReporter, { component: pkg, summary: 'zqwatched crash in public' });
    await fileBug(t.baseUrl, sReporter, { component: pkg, summary: 'zqwatched secret', isPrivate: true });
    expect(await job.handle()).toEqual({ mailed: 1 });
    expect(await job.handle()).toEqual({ mailed: 0 });
    const mails = await queuedMails(t.ds, owner.user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain(`#${pub} [UNCONFIRMED] zqwatched crash in public`);
    expect(mails[0].text).not.toContain('secret');
  });

  it('rebuilds the summary word statistics', async () => {
    const user = await makeUser(t.ds);
    await fileBug(t.baseUrl, await login(t.baseUrl, user.user.username), {
      component: pkg,
      summary: 'zqstats 内核崩溃',
    });
    const res = await ctx.get(BugTermStatsJob).handle();
    expect(res.terms).toBeGreaterThan(0);
    const rows = await t.ds.query<{ term: string; ndoc: number }[]>(
      `SELECT term, ndoc FROM bug_term_stats WHERE term IN ('zqstats', '内核', '核崩')`,
    );
    expect(rows.map((r) => r.term).sort()).toEqual(['内核', '核崩', 'zqstats'].sort());
  });
});
