import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig, BugSearchService, l10n, NotificationsService, RoleResolver } from '@och/api';
import { DataSource } from 'typeorm';
import { type Handler, JobHandler } from '../job-handler';

/** Keeps the summary-word frequencies that duplicate hints use to pick rare words fresh. */
@Injectable()
@JobHandler('bugs.term-stats')
export class BugTermStatsJob implements Handler<'bugs.term-stats'> {
  constructor(private readonly search: BugSearchService) {}

  async handle(): Promise<{ terms: number }> {
    return { terms: await this.search.refreshTermStats() };
  }
}

interface DueFlag {
  id: number;
  bugId: number;
  summary: string;
  requesteeId: number;
  setter: string;
}

/**
 * Reminds the person asked for information after NEEDINFO_REMINDER_DAYS without an answer, then
 * again every as many days. The flag row is stamped in the same transaction as the reminder, so a
 * retried run never reminds twice. A private bug is never mentioned to someone who cannot see it.
 */
@Injectable()
@JobHandler('bugs.needinfo-reminders')
export class NeedinfoRemindersJob implements Handler<'bugs.needinfo-reminders'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(): Promise<{ reminded: number }> {
    const days = this.config.needinfoReminderDays;
    const due = await this.dataSource.query<DueFlag[]>(
      `SELECT f.id, f.bug_id AS "bugId", b.summary, f.requestee_id AS "requesteeId", s.username AS setter
         FROM bug_flags f JOIN bugs b ON b.id = f.bug_id JOIN users s ON s.id = f.setter_id
        WHERE f.created_at <= now() - make_interval(days => $1)
          AND (f.reminded_at IS NULL OR f.reminded_at <= now() - make_interval(days => $1))
          AND (NOT b.is_private OR (b.embargo_until IS NOT NULL AND b.embargo_until <= now())
               OR f.requestee_id IN (b.reporter_id, b.assignee_id, b.qa_contact_id)
               OR EXISTS (SELECT 1 FROM bug_cc c WHERE c.bug_id = b.id AND c.user_id = f.requestee_id)
               OR EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = f.requestee_id AND r.role IN ('admin', 'security')))
        ORDER BY f.id LIMIT 1000`,
      [days],
    );
    let reminded = 0;
    for (const row of due) {
      await this.dataSource.transaction(async (m) => {
        const claimed = await m.query<[unknown[], number]>(
          `UPDATE bug_flags SET reminded_at = now()
            WHERE id = $1 AND (reminded_at IS NULL OR reminded_at <= now() - make_interval(days => $2))`,
          [row.id, days],
        );
        if (claimed[1] !== 1) return;
        await this.notifications.notify(m, row.requesteeId, {
          kind: 'bug.needinfo_reminder',
          title: l10n(
            `[Bug ${row.bugId}] Reminder: ${row.setter} is waiting for information from you`,
            `[Bug ${row.bugId}] 提醒：${row.setter} 正在等待您提供信息`,
          ),
          body: row.summary,
          link: `/bugs/${row.bugId}`,
          email: true,
          headers: { 'X-Bugzilla-Reason': 'Requestee', 'X-Bugzilla-Type': 'request' },
        });
        reminded++;
      });
    }
    return { reminded };
  }
}

interface Watched {
  id: number;
  ownerId: number;
  username: string;
  email: string;
  name: string;
  query: string;
  /** Text, not Date: the claim compares it exactly, and Date would drop the microseconds. */
  watchedSince: string;
}

/**
 * "Watch this search": mails the owner the bugs filed since the last run that match a watched
 * saved search, searching with the owner's own permissions (so private bugs reach only those who
 * may see them).
 */
@Injectable()
@JobHandler('bugs.watch-searches')
export class WatchSearchesJob implements Handler<'bugs.watch-searches'> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly search: BugSearchService,
    private readonly roles: RoleResolver,
    private readonly notifications: NotificationsService,
  ) {}

  async handle(): Promise<{ mailed: number }> {
    const watched = await this.dataSource.query<Watched[]>(
      `SELECT s.id, s.owner_id AS "ownerId", u.username, u.email, s.name, s.query, s.watched_since::text AS "watchedSince"
         FROM bug_saved_searches s JOIN users u ON u.id = s.owner_id
        WHERE s.watch AND u.disabled_at IS NULL ORDER BY s.id LIMIT 5000`,
    );
    let mailed = 0;
    for (const w of watched) {
      const until = new Date();
      const actor = {
        id: w.ownerId,
        username: w.username,
        email: w.email,
        roles: await this.roles.rolesFor(w.ownerId),
      };
      const ids = await this.search.ids(actor, { q: w.query, createdAfter: new Date(w.watchedSince) }, 50);
      await this.dataSource.transaction(async (m) => {
        const claimed = await m.query<[unknown[], number]>(
          `UPDATE bug_saved_searches SET watched_since = $2 WHERE id = $1 AND watched_since = $3::timestamptz`,
          [w.id, until, w.watchedSince],
        );
        if (claimed[1] !== 1 || !ids.length) return;
        const items = await this.search.listItems(ids);
        await this.notifications.notify(m, w.ownerId, {
          kind: 'bug.watched_search',
          title: l10n(
            `${items.length} new bug(s) match your search "${w.name}"`,
            `有 ${items.length} 个新缺陷符合您关注的搜索“${w.name}”`,
          ),
          body: items.map((b) => `#${b.id} [${b.status}] ${b.summary}`).join('\n'),
          link: `/bugs?q=${encodeURIComponent(w.query)}`,
          email: true,
        });
        mailed++;
      });
    }
    return { mailed };
  }
}
