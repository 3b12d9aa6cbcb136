import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DEFAULT_JOB_OPTIONS, QueueName } from './jobs';
import { OutboxEntity } from './outbox.entity';
import { QueueRegistry } from './queue-registry.service';

const ADD_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queue add timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once the client is connected; rejects after ms (the caller retries on its next tick). */
function redisReady(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return withTimeout(new Promise<void>((resolve) => redis.once('ready', () => resolve())), ms).catch(() => {
    throw new Error(`Redis is ${redis.status}`);
  });
}

/** Rows are relayed this far ahead of their time and wait in BullMQ as delayed jobs. */
const LOOKAHEAD_MS = 5 * 60 * 1000;

/**
 * Moves outbox rows to BullMQ. Several relays may run at once (SKIP LOCKED); a row is marked
 * relayed only after BullMQ accepted it, and BullMQ's jobId makes a repeated add harmless, so a
 * crash between the two steps runs the job once.
 */
@Injectable()
export class OutboxRelayService {
  private readonly logger = new Logger(OutboxRelayService.name);
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Relays one batch; returns how many rows were handed to BullMQ. */
  async relayOnce(batchSize = 100): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager
        .getRepository(OutboxEntity)
        .createQueryBuilder('o')
        .where('o.relayed_at IS NULL')
        .andWhere('o.available_at <= :horizon', { horizon: new Date(Date.now() + LOOKAHEAD_MS) })
        .orderBy('o.id', 'ASC')
        .limit(batchSize)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (rows.length === 0) return 0;
      const done: string[] = [];
      try {
        // fail fast instead of waiting on a reconnecting client while holding row locks
        await redisReady(this.queues.redis, 2000);
        for (const row of rows) {
          const delay = Math.max(0, row.availableAt.getTime() - Date.now());
          const add = this.queues.get(row.queue as QueueName).add(row.jobName, row.payload, {
            ...DEFAULT_JOB_OPTIONS,
            jobId: row.jobId.replace(/:/g, '_'),
            delay,
          });
          // a late success after the timeout is harmless: the retry reuses the same jobId
          await withTimeout(add, ADD_TIMEOUT_MS);
          done.push(row.id);
        }
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.logger.warn(`outbox relay paused: ${message}`);
        const failed = rows.filter((r) => !done.includes(r.id)).map((r) => r.id);
        await manager
          .createQueryBuilder()
          .update(OutboxEntity)
          .set({ attempts: () => 'attempts + 1', lastError: message.slice(0, 1000) })
          .whereInIds(failed)
          .execute();
      }
      if (done.length > 0) {
        await manager
          .createQueryBuilder()
          .update(OutboxEntity)
          .set({ relayedAt: new Date() })
          .whereInIds(done)
          .execute();
      }
      return done.length;
    });
  }

  /** Polls until stop(); drains quickly while there is a backlog. */
  start(intervalMs = 500): void {
    this.stopping = false;
    const tick = async (): Promise<void> => {
      if (this.stopping) return;
      this.running = true;
      let next = intervalMs;
      try {
        const n = await this.relayOnce();
        if (n === 100) next = 0;
      } catch (err) {
        this.logger.warn(`outbox relay error: ${err instanceof Error ? err.message : String(err)}`);
        next = intervalMs * 4;
      } finally {
        this.running = false;
      }
      if (!this.stopping) this.timer = setTimeout(() => void tick(), next);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }

  /** Rows waiting to be relayed (for metrics and the health page). */
  async pendingCount(): Promise<number> {
    return this.dataSource.getRepository(OutboxEntity).createQueryBuilder('o').where('o.relayed_at IS NULL').getCount();
  }

  get prefix(): string {
    return this.config.queuePrefix;
  }
}
