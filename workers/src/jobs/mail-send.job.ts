import { Injectable, Logger } from '@nestjs/common';
import { MailerService, type MailSendPayload } from '@och/api';
import { type Handler, type JobContext, JobHandler } from '../job-handler';

/**
 * Sends one mail. BullMQ's jobId (one per outbox row) keeps a relayed-twice mail from being
 * sent twice; an SMTP failure throws, and the job is retried with backoff.
 */
@Injectable()
@JobHandler('mail.send')
export class MailSendJob implements Handler<'mail.send'> {
  private readonly logger = new Logger(MailSendJob.name);

  constructor(private readonly mailer: MailerService) {}

  async handle(payload: MailSendPayload, ctx: JobContext): Promise<{ messageId: string }> {
    const messageId = await this.mailer.send(payload);
    this.logger.log(`mail "${payload.subject}" sent (job ${ctx.id}, attempt ${ctx.attempt})`);
    return { messageId };
  }
}
