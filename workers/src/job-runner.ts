import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import {
  APP_CONFIG,
  type AppConfig,
  createWorkerConnection,
  JOB_NAMES,
  JOB_QUEUE,
  type JobName,
  OutboxRelayService,
  QueueRegistry,
  QUEUES,
  type QueueName,
} from '@och/api';
import { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { type Handler, JOB_HANDLER_KEY } from './job-handler';

type AnyHandler = Handler<JobName>;

/** Finds exactly one handler per job name; a missing or duplicate one stops the process at start. */
export function collectHandlers(discovery: DiscoveryService): Map<JobName, AnyHandler> {
  const found = new Map<JobName, AnyHandler>();
  const problems: string[] = [];
  for (const wrapper of discovery.getProviders()) {
    const { metatype, instance } = wrapper;
    if (!metatype || !instance) continue;
    const name = Reflect.getMetadata(JOB_HANDLER_KEY, metatype) as JobName | undefined;
    if (!name) continue;
    if (!JOB_NAMES.includes(name)) problems.push(`handler ${metatype.name} is for unknown job "${name}"`);
    else if (found.has(name)) problems.push(`job "${name}" has two handlers`);
    else found.set(name, instance as AnyHandler);
  }
  for (const name of JOB_NAMES) if (!found.has(name)) problems.push(`job "${name}" has no handler`);
  if (problems.length) throw new Error(`job handlers are wrong: ${problems.join('; ')}`);
  return found;
}

export const HEARTBEAT_KEY = (prefix: string): string => `${prefix}:workers:heartbeat`;

/**
 * Runs BullMQ workers for every queue, the outbox relay, the schedules and a heartbeat. On
 * shutdown it stops taking work, lets running jobs finish, then closes connections.
 */
@Injectable()
export class JobRunner implements OnApplicationShutdown {
  private readonly logger = new Logger(JobRunner.name);
  private readonly workers: Worker[] = [];
  private connection: Redis | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly relay: OutboxRelayService,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start(opts: { relayIntervalMs?: number; concurrency?: number } = {}): Promise<void> {
    const handlers = collectHandlers(this.discovery);
    this.connection = createWorkerConnection(this.config.redisUrl);
    for (const queue of Object.values(QUEUES) as QueueName[]) {
      const worker = new Worker(
        queue,
        async (job: Job) => {
          const name = job.name as JobName;
          const handler = handlers.get(name);
          if (!handler || JOB_QUEUE[name] !== queue) throw new Error(`no handler for ${job.name} on ${queue}`);
          return handler.handle(job.data as never, { id: job.id ?? '', attempt: job.attemptsMade + 1 });
        },
        { connection: this.connection, prefix: this.config.queuePrefix, concurrency: opts.concurrency ?? 4 },
      );
      worker.on('failed', (job, err) =>
        this.logger.warn(`job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`),
      );
      worker.on('error', (err) => this.logger.warn(`worker ${queue}: ${err.message}`));
      this.workers.push(worker);
    }
    // closing while BullMQ still initialises its connections makes them emit errors nobody hears
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    await this.queues
      .get(QUEUES.maintenance)
      .upsertJobScheduler('purge-expired-hourly', { every: 3600_000 }, { name: 'maintenance.purge-expired', data: {} });
    await this.queues
      .get(QUEUES.maintenance)
      .upsertJobScheduler('sig-expiry-reminders', { every: 6 * 3600_000 }, { name: 'sigs.expiry-reminders', data: {} });
    const maintenance = this.queues.get(QUEUES.maintenance);
    await maintenance.upsertJobScheduler('bug-term-stats', { every: 3600_000 }, { name: 'bugs.term-stats', data: {} });
    await maintenance.upsertJobScheduler(
      'bug-needinfo-reminders',
      { every: 6 * 3600_000 },
      { name: 'bugs.needinfo-reminders', data: {} },
    );
    await maintenance.upsertJobScheduler(
      'bug-watch-searches',
      { every: 3600_000 },
      { name: 'bugs.watch-searches', data: {} },
    );
    // the delayed open/close jobs are exact; this catches anything they missed and sends reminders
    await maintenance.upsertJobScheduler(
      'governance-tick',
      { every: 5 * 60_000 },
      { name: 'governance.tick', data: {} },
    );
    await maintenance.upsertJobScheduler(
      'programme-retention',
      { every: 24 * 3600_000 },
      { name: 'programme.retention', data: {} },
    );
    this.relay.start(opts.relayIntervalMs ?? 500);
    const beat = () =>
      void this.queues.redis
        .set(HEARTBEAT_KEY(this.config.queuePrefix), String(Date.now()), 'EX', 60)
        .catch(() => undefined);
    beat();
    this.heartbeat = setInterval(beat, 10_000);
    this.logger.log(`workers running: ${[...handlers.keys()].join(', ')}`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.relay.stop();
    await Promise.all(this.workers.map((w) => w.close()));
    this.connection?.disconnect();
  }
}
