import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OutboxService, QueueRegistry } from '@och/api';
import { DataSource } from 'typeorm';
import { makeUser } from '../../api/src/testing/factories';
import { SmtpSink } from '../../api/src/testing/smtp-sink';
import { startTestApp, TestApp } from '../../api/src/testing/test-app';
import { HEARTBEAT_KEY, JobRunner } from './job-runner';
import { WorkerModule } from './worker.module';

async function startWorkers(t: TestApp): Promise<INestApplicationContext> {
  const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: false });
  await ctx.get(JobRunner).start({ relayIntervalMs: 50 });
  return ctx;
}

describe('workers: outbox → BullMQ → SMTP, against real PostgreSQL, Redis and an SMTP sink', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let workers: INestApplicationContext;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'http://127.0.0.1:3000' });
    workers = await startWorkers(t);
  });
  afterAll(async () => {
    await workers.close();
    await t.close();
    await sink.stop();
  });

  it('mails the verification link after registration, and the link verifies the account', async () => {
    await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'lin@example.test', username: 'lin', password: 'a long enough secret' })
      .expect(201);
    const mail = await sink.waitFor('lin@example.test');
    expect(mail.subject).toBe('Confirm your e-mail address for OpenCloudOS Hub');
    const link = /http:\/\/127\.0\.0\.1:3000\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text);
    expect(link).not.toBeNull();
    await t.http().post('/api/v1/auth/verify-email').send({ token: link![1] }).expect(200);
    await t.http().post('/api/v1/auth/login').send({ login: 'lin', password: 'a long enough secret' }).expect(200);
  });

  it('sends in-app notifications by mail with their headers, in the user’s language', async () => {
    const { user } = await makeUser(t.ds, { locale: 'zh-CN' });
    const { NotificationsService } = await import('../../api/src/modules/notifications/notifications.service');
    const notifications = t.app.get(NotificationsService);
    await t.ds.transaction((m) =>
      notifications.notify(m, user.id, {
        kind: 'test',
        title: '欢迎加入 Kernel SIG',
        body: '您的申请已通过。',
        link: '/sigs/kernel',
        email: true,
        headers: { 'X-Hub-Reason': 'member' },
      }),
    );
    const mail = await sink.waitFor(user.email);
    expect(mail.subject).toBe('欢迎加入 Kernel SIG');
    expect(mail.text).toContain('您的申请已通过。');
    expect(mail.text).toContain('http://127.0.0.1:3000/sigs/kernel');
    expect(mail.headers['x-hub-reason']).toBe('member');
  });

  it('keeps a heartbeat in Redis for the container healthcheck', async () => {
    const beat = await t.app.get(QueueRegistry).redis.get(HEARTBEAT_KEY(t.config.queuePrefix));
    expect(Date.now() - Number(beat)).toBeLessThan(30_000);
  });
});

describe('workers: a mail server outage', () => {
  let t: TestApp;
  let workers: INestApplicationContext;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    sink.failing = true;
    t = await startTestApp({ SMTP_URL: sink.url });
    workers = await startWorkers(t);
  });
  afterAll(async () => {
    await workers.close();
    await t.close();
    await sink.stop();
  });

  it('retries the mail with backoff instead of dropping it, and delivers it once the server recovers', async () => {
    const outbox = t.app.get(OutboxService);
    await outbox.enqueue(
      null,
      'mail.send',
      { to: 'x@example.test', subject: 'retry me', text: 'x' },
      { jobId: 'mail.retry' },
    );
    const queue = t.app.get(QueueRegistry).get('mail');
    const deadline = Date.now() + 15_000;
    let job = await queue.getJob('mail.retry');
    while ((!job || job.attemptsMade < 1) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      job = await queue.getJob('mail.retry');
    }
    expect(job?.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(job?.failedReason).toMatch(/451/);
    expect(await job?.getState()).toBe('delayed'); // waiting for its next attempt
    sink.failing = false;
    const mail = await sink.waitFor('x@example.test', (m) => m.subject === 'retry me', 20_000);
    expect(mail.text).toContain('x');
  });

  it('shuts down gracefully: the relay and workers stop and the context closes', async () => {
    const ds = workers.get(DataSource);
    await workers.close();
    expect(ds.isInitialized).toBe(false);
    workers = await startWorkers(t); // for afterAll
  });
});
