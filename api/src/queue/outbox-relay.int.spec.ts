import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source';
import { testConfig } from '../testing/test-app';
import { createTestDb, TestDb } from '../testing/test-db';
import { AppConfig } from '../config/config';
import { OutboxEntity } from './outbox.entity';
import { OutboxRelayService } from './outbox-relay.service';
import { OutboxService } from './outbox.service';
import { QueueRegistry } from './queue-registry.service';

/** A relay wired by hand to a database and a Redis URL (possibly one where nothing listens). */
function relayFor(ds: DataSource, config: AppConfig) {
  const queues = new QueueRegistry(config);
  return { queues, relay: new OutboxRelayService(ds, queues, config), outbox: new OutboxService(ds) };
}

describe('transactional outbox', () => {
  let db: TestDb;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDb('outbox');
    ds = await new DataSource(dataSourceOptions(db.url)).initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('loses nothing while Redis is down and delivers everything once it is back', async () => {
    const down = testConfig({ DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1' });
    const a = relayFor(ds, down);
    await ds.transaction(async (m) => {
      await a.outbox.enqueue(
        m,
        'mail.send',
        { to: 'a@example.test', subject: 'one', text: 'x' },
        { jobId: 'mail.one' },
      );
      await a.outbox.enqueue(
        m,
        'mail.send',
        { to: 'b@example.test', subject: 'two', text: 'y' },
        { jobId: 'mail.two' },
      );
    });
    expect(await a.relay.relayOnce()).toBe(0);
    const pending = await ds.getRepository(OutboxEntity).findBy({ jobId: 'mail.one' });
    expect(pending[0].relayedAt).toBeNull();
    expect(pending[0].attempts).toBe(1);
    expect(pending[0].lastError).toBeTruthy();
    await a.queues.onModuleDestroy();

    const up = testConfig({ DATABASE_URL: db.url });
    const b = relayFor(ds, up);
    try {
      expect(await b.relay.relayOnce()).toBe(2);
      expect(await b.relay.pendingCount()).toBe(0);
      const q: Queue = b.queues.get('mail');
      const jobs = await q.getJobs(['waiting', 'delayed']);
      expect(jobs.map((j) => j.data.subject).sort()).toEqual(['one', 'two']);
    } finally {
      await b.queues.get('mail').obliterate({ force: true });
      await b.queues.onModuleDestroy();
    }
  });

  it('writes nothing when the transaction that caused the job rolls back', async () => {
    const cfg = testConfig({ DATABASE_URL: db.url });
    const { outbox, queues } = relayFor(ds, cfg);
    await expect(
      ds.transaction(async (m) => {
        await outbox.enqueue(
          m,
          'mail.send',
          { to: 'c@example.test', subject: 'ghost', text: 'z' },
          { jobId: 'mail.ghost' },
        );
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await ds.getRepository(OutboxEntity).countBy({ jobId: 'mail.ghost' })).toBe(0);
    await queues.onModuleDestroy();
  });

  it('runs a job once even if the same outbox job id is relayed twice', async () => {
    const cfg = testConfig({ DATABASE_URL: db.url });
    const { outbox, relay, queues } = relayFor(ds, cfg);
    try {
      await outbox.enqueue(
        null,
        'mail.send',
        { to: 'd@example.test', subject: 'dup', text: 'z' },
        { jobId: 'mail.dup' },
      );
      await outbox.enqueue(
        null,
        'mail.send',
        { to: 'd@example.test', subject: 'dup', text: 'z' },
        { jobId: 'mail.dup' },
      );
      expect(await relay.relayOnce()).toBe(2);
      const jobs = await queues.get('mail').getJobs(['waiting', 'delayed']);
      expect(jobs.filter((j) => j.data.subject === 'dup')).toHaveLength(1);
    } finally {
      await queues.get('mail').obliterate({ force: true });
      await queues.onModuleDestroy();
    }
  });

  it('relays future jobs as delayed BullMQ jobs', async () => {
    const cfg = testConfig({ DATABASE_URL: db.url });
    const { outbox, relay, queues } = relayFor(ds, cfg);
    try {
      await outbox.enqueue(
        null,
        'mail.send',
        { to: 'e@example.test', subject: 'later', text: 'z' },
        { runAt: new Date(Date.now() + 60_000) },
      );
      await outbox.enqueue(
        null,
        'mail.send',
        { to: 'e@example.test', subject: 'much later', text: 'z' },
        { runAt: new Date(Date.now() + 3600_000) },
      );
      expect(await relay.relayOnce()).toBe(1);
      const delayed = await queues.get('mail').getJobs(['delayed']);
      expect(delayed.map((j) => j.data.subject)).toEqual(['later']);
      expect(await relay.pendingCount()).toBe(1);
    } finally {
      await queues.get('mail').obliterate({ force: true });
      await queues.onModuleDestroy();
    }
  });
});
