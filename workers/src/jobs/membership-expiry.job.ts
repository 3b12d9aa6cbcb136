import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { l10n, NotificationsService } from '@och/api';
import { DataSource } from 'typeorm';
import { type Handler, JobHandler } from '../job-handler';

const WARN_DAYS = 7;

interface Expiring {
  id: number;
  userId: number;
  slug: string;
  nameEn: string;
  nameZh: string;
  expiresAt: Date;
}

/**
 * Warns members a week before their SIG membership expires, once: the row is marked in the same
 * transaction as the notification (and its mail in the outbox), so a retry never warns twice.
 */
@Injectable()
@JobHandler('sigs.expiry-reminders')
export class MembershipExpiryJob implements Handler<'sigs.expiry-reminders'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
  ) {}

  async handle(): Promise<{ warned: number }> {
    const due = await this.dataSource.query<Expiring[]>(
      `SELECT m.id, m.user_id AS "userId", s.slug, s.name_en AS "nameEn", s.name_zh AS "nameZh", m.expires_at AS "expiresAt"
         FROM sig_memberships m JOIN sigs s ON s.id = m.sig_id
        WHERE m.expires_at > now() AND m.expires_at <= now() + make_interval(days => $1)
          AND m.expiry_warned_at IS NULL AND s.status = 'active'
        ORDER BY m.id LIMIT 1000`,
      [WARN_DAYS],
    );
    let warned = 0;
    for (const row of due) {
      await this.dataSource.transaction(async (m) => {
        const claimed = await m.query<[unknown[], number]>(
          `UPDATE sig_memberships SET expiry_warned_at = now() WHERE id = $1 AND expiry_warned_at IS NULL`,
          [row.id],
        );
        if (claimed[1] !== 1) return; // another run got it first
        const day = new Date(row.expiresAt).toISOString().slice(0, 10);
        await this.notifications.notify(m, row.userId, {
          kind: 'sig.membership_expiring',
          title: l10n(
            `Your membership of the ${row.nameEn} SIG expires on ${day}`,
            `您在 ${row.nameZh} SIG 的成员资格将于 ${day} 到期`,
          ),
          body: l10n('Renew it from the SIG page if you want to stay a member.', '如需继续参与，请在 SIG 页面续期。'),
          link: `/sigs/${row.slug}`,
          email: true,
        });
        warned++;
      });
    }
    return { warned };
  }
}
