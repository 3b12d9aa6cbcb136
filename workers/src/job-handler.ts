import { SetMetadata } from '@nestjs/common';
import type { JobName, JobPayloads } from '@och/api';

export const JOB_HANDLER_KEY = 'och:job-handler';

/** Marks a provider as the one handler of a job name. Handlers must be idempotent. */
export const JobHandler = (name: JobName): ClassDecorator => SetMetadata(JOB_HANDLER_KEY, name);

export interface JobContext {
  id: string;
  attempt: number;
}

export interface Handler<N extends JobName> {
  handle(payload: JobPayloads[N], ctx: JobContext): Promise<unknown>;
}
