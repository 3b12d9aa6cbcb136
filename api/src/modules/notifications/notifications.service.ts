import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { Actor } from '../../common/actor';
import { notFound } from '../../common/errors';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { OutboxService } from '../../queue/outbox.service';
import { type Locale, UserEntity } from '../users/user.entity';
import { renderMail } from './mail-templates';
import { NotificationEntity } from './notification.entity';
import {
  categoryOf,
  NOTIFICATION_CATEGORIES,
  type NotificationCategory,
  type NotificationMode,
} from './notification-categories';
import { NotificationPrefEntity } from './notification-pref.entity';

/** Text in both languages; the recipient's locale picks one. A plain string is used as is. */
export type Localized = string | { en: string; 'zh-CN': string };

/** Shorthand for a bilingual text. */
export const l10n = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

const pick = (text: Localized | undefined, locale: Locale): string =>
  text === undefined ? '' : typeof text === 'string' ? text : (text[locale] ?? text.en);

export interface NotifyInput {
  kind: string;
  title: Localized;
  body?: Localized;
  /** Path inside the site (e.g. /bugs/12) or absolute URL. */
  link?: string;
  /** Also send an e-mail (through the outbox, never inline). */
  email?: boolean;
  /** Extra mail headers, e.g. X-Bugzilla-Reason. */
  headers?: Record<string, string>;
}

@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Writes the in-app notification and queues its mail in the caller's transaction, as the
   * recipient's setting for the kind's category says: e-mail too, in the app only, or not at all.
   */
  async notify(manager: EntityManager, userId: number, input: NotifyInput): Promise<void> {
    const category = categoryOf(input.kind);
    const mode = category ? await this.modeOf(manager, userId, category) : 'email';
    if (mode === 'off') return;
    const repo = manager.getRepository(NotificationEntity);
    const user = await manager.getRepository(UserEntity).findOneByOrFail({ id: userId });
    const title = pick(input.title, user.locale).slice(0, 200);
    const body = pick(input.body, user.locale);
    const row = repo.create({ userId, kind: input.kind, title, body, link: input.link ?? null });
    await repo.insert(row);
    if (input.email && mode === 'email') {
      const link = input.link ? (input.link.startsWith('/') ? this.config.publicUrl + input.link : input.link) : '';
      const mail = renderMail('notification', user.locale, { title, body, link });
      await this.outbox.enqueue(manager, 'mail.send', { to: user.email, ...mail, headers: input.headers });
    }
  }

  private async modeOf(m: EntityManager, userId: number, category: NotificationCategory): Promise<NotificationMode> {
    const pref = await m.getRepository(NotificationPrefEntity).findOne({ where: { userId, category } });
    return pref?.mode ?? 'email';
  }

  /** Every category with the person's choice (the default where they made none). */
  async settings(actor: Actor): Promise<{ category: NotificationCategory; mode: NotificationMode }[]> {
    const rows = await this.dataSource.getRepository(NotificationPrefEntity).find({ where: { userId: actor.id } });
    const chosen = new Map(rows.map((r) => [r.category, r.mode]));
    return NOTIFICATION_CATEGORIES.map((category) => ({ category, mode: chosen.get(category) ?? 'email' }));
  }

  /** Saves the given categories; the ones not given keep their setting. */
  async saveSettings(actor: Actor, settings: { category: NotificationCategory; mode: NotificationMode }[]) {
    await this.dataSource.transaction(async (m) => {
      for (const s of settings) {
        await m
          .createQueryBuilder()
          .insert()
          .into(NotificationPrefEntity)
          .values({ userId: actor.id, category: s.category, mode: s.mode })
          .orUpdate(['mode'], ['user_id', 'category'])
          .execute();
      }
    });
    return this.settings(actor);
  }

  async list(actor: Actor, limit = 25, cursor?: string) {
    const qb = this.dataSource
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where('n.user_id = :uid', { uid: actor.id })
      .orderBy('n.id', 'DESC')
      .limit(limit + 1);
    const before = decodeCursor(cursor);
    if (before) qb.andWhere('n.id < :before', { before });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    const unread = await this.dataSource
      .getRepository(NotificationEntity)
      .count({ where: { userId: actor.id, readAt: IsNull() } });
    return {
      items: items.map((n) => ({
        id: n.id,
        kind: n.kind,
        title: n.title,
        body: n.body,
        link: n.link,
        readAt: n.readAt,
        createdAt: n.createdAt,
      })),
      nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null,
      unread,
    };
  }

  async markRead(actor: Actor, id: string): Promise<void> {
    if (!/^\d{1,18}$/.test(id)) throw notFound('Notification');
    const res = await this.dataSource
      .getRepository(NotificationEntity)
      .createQueryBuilder()
      .update()
      .set({ readAt: () => 'COALESCE(read_at, now())' })
      .where('id = :id AND user_id = :uid', { id, uid: actor.id })
      .execute();
    if (!res.affected) throw notFound('Notification');
  }

  async markAllRead(actor: Actor): Promise<void> {
    await this.dataSource
      .getRepository(NotificationEntity)
      .update({ userId: actor.id, readAt: IsNull() }, { readAt: new Date() });
  }
}
