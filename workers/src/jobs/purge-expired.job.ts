import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SessionService } from '@och/api';
import { DataSource } from 'typeorm';
import { type Handler, JobHandler } from '../job-handler';

/** Hourly house-keeping: expired sessions, used or expired mail tokens, old relayed outbox rows. */
@Injectable()
@JobHandler('maintenance.purge-expired')
export class PurgeExpiredJob implements Handler<'maintenance.purge-expired'> {
  constructor(
    private readonly sessions: SessionService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async handle(): Promise<{ sessions: number; emailTokens: number; outbox: number }> {
    const sessions = await this.sessions.purgeExpired();
    const tokens = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM email_tokens WHERE expires_at < now() - interval '7 days' OR used_at < now() - interval '7 days'`,
    );
    const outbox = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM outbox WHERE relayed_at < now() - interval '7 days'`,
    );
    return { sessions, emailTokens: tokens[1], outbox: outbox[1] };
  }
}
