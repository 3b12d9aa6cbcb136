import { Injectable } from '@nestjs/common';
import { ProgrammeService } from '@och/api';
import { type Handler, JobHandler } from '../job-handler';

/** Daily: erases the personal data of 千百双扶 applications past PROGRAMME_RETENTION_DAYS. */
@Injectable()
@JobHandler('programme.retention')
export class ProgrammeRetentionJob implements Handler<'programme.retention'> {
  constructor(private readonly programme: ProgrammeService) {}

  async handle(): Promise<{ erased: number }> {
    return { erased: await this.programme.purgeExpired() };
  }
}
