import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { makeUser } from '../../../api/src/testing/factories';
import { makeSig } from '../../../api/src/testing/sigs';
import { startTestApp, TestApp } from '../../../api/src/testing/test-app';
import { NotificationEntity } from '../../../api/src/modules/notifications/notification.entity';
import { SigMembershipEntity } from '../../../api/src/modules/sigs/sig-membership.entity';
import { OutboxEntity } from '../../../api/src/queue/outbox.entity';
import { WorkerModule } from '../worker.module';
import { MembershipExpiryJob } from './membership-expiry.job';

const DAY = 86400_000;

describe('SIG membership expiry reminders', () => {
  let t: TestApp;
  let ctx: INestApplicationContext;

  beforeAll(async () => {
    t = await startTestApp();
    ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: false });
  });
  afterAll(async () => {
    await ctx.close();
    await t.close();
  });

  it('warns each member once, a week ahead, by notification and mail', async () => {
    const soon = await makeUser(t.ds, { locale: 'zh-CN' });
    const later = await makeUser(t.ds);
    const never = await makeUser(t.ds);
    const sig = await makeSig(t.ds, {
      slug: 'kernel-exp',
      members: [
        [soon.user.id, 'member'],
        [later.user.id, 'member'],
        [never.user.id, 'lead'],
      ],
    });
    const repo = t.ds.getRepository(SigMembershipEntity);
    await repo.update({ sigId: sig.id, userId: soon.user.id }, { expiresAt: new Date(Date.now() + 3 * DAY) });
    await repo.update({ sigId: sig.id, userId: later.user.id }, { expiresAt: new Date(Date.now() + 20 * DAY) });

    const job = ctx.get(MembershipExpiryJob);
    expect(await job.handle()).toEqual({ warned: 1 });
    expect(await job.handle()).toEqual({ warned: 0 }); // idempotent

    const notes = await t.ds.getRepository(NotificationEntity).findBy({ kind: 'sig.membership_expiring' });
    expect(notes.map((n) => n.userId)).toEqual([soon.user.id]);
    expect(notes[0].link).toBe('/sigs/kernel-exp');
    expect(notes[0].title).toMatch(/^您在 kernel-exp 兴趣小组 SIG 的成员资格将于 \d{4}-\d{2}-\d{2} 到期$/);
    const mails = await t.ds.getRepository(OutboxEntity).findBy({ jobName: 'mail.send' });
    expect(mails.filter((m) => (m.payload as { to: string }).to === soon.user.email)).toHaveLength(1);
  });
});
