import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { RequestMeta } from '../../common/actor';
import { randomToken, sha256Hex } from '../../common/crypto';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { UserEntity } from '../users/user.entity';
import { SessionEntity } from './session.entity';

export const SESSION_COOKIE = 'och_session';
/** Sliding expiry is refreshed at most this often, to keep reads from turning into writes. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

@Injectable()
export class SessionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get ttlMs(): number {
    return this.config.sessionTtlHours * 3600 * 1000;
  }

  async create(
    userId: number,
    meta: RequestMeta,
    manager?: EntityManager,
  ): Promise<{ token: string; session: SessionEntity }> {
    const token = randomToken(32);
    const now = new Date();
    const repo = (manager ?? this.dataSource.manager).getRepository(SessionEntity);
    const session = repo.create({
      id: randomUUID(),
      tokenHash: sha256Hex(token),
      userId,
      csrfToken: randomToken(32),
      ip: meta.ip,
      userAgent: meta.userAgent,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.ttlMs),
    });
    await repo.insert(session);
    return { token, session };
  }

  /** The live session for a cookie value, with its user, or null. */
  async resolve(token: string): Promise<{ session: SessionEntity; user: UserEntity } | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const session = await this.dataSource
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.user', 'u')
      .where('s.token_hash = :hash', { hash: sha256Hex(token) })
      .andWhere('s.expires_at > now()')
      .andWhere('u.disabled_at IS NULL')
      .getOne();
    if (!session || !session.user) return null;
    const now = Date.now();
    if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.dataSource
        .getRepository(SessionEntity)
        .update({ id: session.id }, { lastSeenAt: new Date(now), expiresAt: new Date(now + this.ttlMs) });
    }
    return { session, user: session.user };
  }

  async destroy(id: string): Promise<void> {
    await this.dataSource.getRepository(SessionEntity).delete({ id });
  }

  /** After a password change or reset: every other login of this user ends. */
  async destroyAllForUser(userId: number, manager?: EntityManager, exceptId?: string): Promise<void> {
    const qb = (manager ?? this.dataSource.manager)
      .createQueryBuilder()
      .delete()
      .from(SessionEntity)
      .where('user_id = :userId', { userId });
    if (exceptId) qb.andWhere('id <> :exceptId', { exceptId });
    await qb.execute();
  }

  async purgeExpired(): Promise<number> {
    const res = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(SessionEntity)
      .where('expires_at <= now()')
      .execute();
    return res.affected ?? 0;
  }

  cookieOptions(): { httpOnly: true; sameSite: 'lax'; secure: boolean; path: string; maxAge: number } {
    return {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.publicUrl.startsWith('https:'),
      path: '/',
      maxAge: this.ttlMs,
    };
  }
}
