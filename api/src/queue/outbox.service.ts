import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { JOB_QUEUE, JobName, JobPayloads } from './jobs';
import { OutboxEntity } from './outbox.entity';

export interface EnqueueOptions {
  /** De-duplication key: enqueueing the same id twice runs the job once. Default: random. */
  jobId?: string;
  /** Run no earlier than this. */
  runAt?: Date;
}

/** Writes jobs to the outbox, inside the caller's transaction when given its EntityManager. */
@Injectable()
export class OutboxService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async enqueue<N extends JobName>(
    manager: EntityManager | null,
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions = {},
  ): Promise<void> {
    const repo = (manager ?? this.dataSource.manager).getRepository(OutboxEntity);
    await repo.insert({
      queue: JOB_QUEUE[name],
      jobName: name,
      // eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- TypeORM's deep-partial of a jsonb column
      payload: payload as unknown as QueryDeepPartialEntity<Record<string, unknown>>,
      jobId: options.jobId ?? `${name}.${randomUUID()}`,
      availableAt: options.runAt ?? new Date(),
    });
  }
}
