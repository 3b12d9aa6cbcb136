import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DEFAULT_JOB_OPTIONS, QUEUES, QueueName } from './jobs';
import { createProducerConnection } from './redis';

/** One BullMQ Queue object per queue name, shared by the relay, the dashboard and metrics. */
@Injectable()
export class QueueRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly connection: Redis;
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.connection = createProducerConnection(config.redisUrl);
    this.connection.on('error', () => undefined); // surfaced through health checks and relay errors
    for (const name of Object.values(QUEUES)) {
      const queue = new Queue(name, {
        connection: this.connection,
        prefix: config.queuePrefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      // an 'error' event without a listener would crash the process when Redis goes away
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
  }

  /**
   * Lets BullMQ finish setting up its connections before the app serves (bounded, so a Redis
   * outage at start-up only delays it): closing half-initialised queues makes them emit errors.
   */
  async onModuleInit(): Promise<void> {
    await this.settle();
  }

  /** Waits (at most 3 s) until every queue's connection set-up has succeeded or failed. */
  private async settle(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const ready = Promise.all(this.all().map((q) => q.waitUntilReady().catch(() => undefined)));
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 3000)));
    await Promise.race([ready, timeout]);
    clearTimeout(timer);
  }

  get(name: QueueName): Queue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`unknown queue ${name}`);
    return q;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  get redis(): Redis {
    return this.connection;
  }

  async onModuleDestroy(): Promise<void> {
    // a queue closed while its set-up is still failing (Redis down) emits that failure afterwards,
    // with nobody listening: an unhandled 'error' that takes the process down
    await this.settle();
    await Promise.all(this.all().map((q) => q.close().catch(() => undefined)));
    this.connection.disconnect();
  }
}
