import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../common/db-errors';
import type { Actor, RequestMeta } from '../../common/actor';
import { randomToken, sha256Hex } from '../../common/crypto';
import { badRequest, conflict, DomainError, notFound, unauthenticated } from '../../common/errors';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { OutboxService } from '../../queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { renderMail } from '../notifications/mail-templates';
import { Locale, UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { EmailTokenEntity, EmailTokenPurpose } from './email-token.entity';
import { SessionService } from './session.service';

const TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 48 * 3600 * 1000,
  reset_password: 3600 * 1000,
};

/** argon2id with OWASP's second recommended setting (19 MiB, t=2). */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** A hash to compare against when the user does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;

export interface MeView {
  id: number;
  username: string;
  email: string;
  displayName: string | null;
  locale: Locale;
  emailVerified: boolean;
  roles: string[];
  gitee: { login: string } | null;
  createdAt: Date;
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  hashPassword(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  async register(
    input: { email: string; username: string; password: string; locale?: Locale },
    meta: RequestMeta,
  ): Promise<{ id: number; username: string; email: string }> {
    const passwordHash = await this.hashPassword(input.password);
    try {
      return await this.dataSource.transaction(async (manager) => {
        if (await this.users.usernameExists(input.username, manager)) {
          throw conflict('username_taken', 'That username is taken.', [
            { field: 'username', message: 'username is taken' },
          ]);
        }
        const user = await this.users.insert(manager, {
          username: input.username,
          email: input.email,
          passwordHash,
          locale: input.locale ?? 'en',
        });
        await this.sendEmailToken(manager, user, 'verify_email');
        await this.audit.record(manager, {
          actorId: user.id,
          action: 'user.register',
          targetType: 'user',
          targetId: user.id,
          meta,
        });
        return { id: user.id, username: user.username, email: user.email };
      });
    } catch (err) {
      if (isUniqueViolation(err, 'uq_users_username_lower')) {
        throw conflict('username_taken', 'That username is taken.', [
          { field: 'username', message: 'username is taken' },
        ]);
      }
      if (isUniqueViolation(err, 'uq_users_email_lower')) {
        throw conflict('email_taken', 'An account with that e-mail already exists.', [
          { field: 'email', message: 'email is already registered' },
        ]);
      }
      throw err;
    }
  }

  private async sendEmailToken(manager: EntityManager, user: UserEntity, purpose: EmailTokenPurpose): Promise<void> {
    const token = randomToken(32);
    const repo = manager.getRepository(EmailTokenEntity);
    const row = repo.create({
      tokenHash: sha256Hex(token),
      userId: user.id,
      purpose,
      email: user.email,
      expiresAt: new Date(Date.now() + TOKEN_TTL_MS[purpose]),
    });
    await repo.insert(row);
    const path = purpose === 'verify_email' ? '/verify-email' : '/reset-password';
    const link = `${this.config.publicUrl}${path}?token=${token}`;
    const mail = renderMail(purpose, user.locale, { username: user.username, link });
    await this.outbox.enqueue(manager, 'mail.send', { to: user.email, ...mail });
  }

  /** Consumes a mailed token exactly once, even under concurrent use. */
  private async consumeEmailToken(
    manager: EntityManager,
    token: string,
    purpose: EmailTokenPurpose,
  ): Promise<EmailTokenEntity> {
    const invalid = badRequest('invalid_token', 'This link is invalid or has expired. Ask for a new one.');
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw invalid;
    const rows = await manager.query<[Array<{ id: number; userId: number; email: string }>, number]>(
      `UPDATE email_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING id, user_id AS "userId", email`,
      [sha256Hex(token), purpose],
    );
    const row = rows[0][0];
    if (!row) throw invalid;
    return row as EmailTokenEntity;
  }

  async verifyEmail(token: string, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.consumeEmailToken(manager, token, 'verify_email');
      const user = await this.users.findById(row.userId, manager);
      // the address may have changed since the mail was sent; only the mailed one is verified
      if (!user || user.email.toLowerCase() !== row.email.toLowerCase()) {
        throw badRequest('invalid_token', 'This link is invalid or has expired. Ask for a new one.');
      }
      await this.users.update(user.id, { emailVerifiedAt: new Date() }, manager);
      await this.audit.record(manager, {
        actorId: user.id,
        action: 'user.verify_email',
        targetType: 'user',
        targetId: user.id,
        meta,
      });
    });
  }

  /** Always succeeds from the caller's view, so it cannot be used to probe for accounts. */
  async resendVerification(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.emailVerifiedAt || user.disabledAt) return;
    await this.dataSource.transaction((manager) => this.sendEmailToken(manager, user, 'verify_email'));
  }

  async forgotPassword(email: string, meta: RequestMeta): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.disabledAt) return;
    await this.dataSource.transaction(async (manager) => {
      await this.sendEmailToken(manager, user, 'reset_password');
      await this.audit.record(manager, {
        actorId: user.id,
        action: 'user.password_reset_requested',
        targetType: 'user',
        targetId: user.id,
        meta,
      });
    });
  }

  async resetPassword(token: string, password: string, meta: RequestMeta): Promise<void> {
    const passwordHash = await this.hashPassword(password);
    await this.dataSource.transaction(async (manager) => {
      const row = await this.consumeEmailToken(manager, token, 'reset_password');
      // proving control of the mailbox also verifies it
      await this.users.update(row.userId, { passwordHash, emailVerifiedAt: new Date() }, manager);
      await this.sessions.destroyAllForUser(row.userId, manager);
      await this.audit.record(manager, {
        actorId: row.userId,
        action: 'user.password_reset',
        targetType: 'user',
        targetId: row.userId,
        meta,
      });
    });
  }

  /** Used by the passport-local strategy. */
  async validateCredentials(login: string, password: string, meta: RequestMeta): Promise<UserEntity> {
    const user = await this.users.findByLogin(login);
    dummyHash ??= this.hashPassword(randomToken(16));
    const ok = await argon2.verify(user?.passwordHash ?? (await dummyHash), password).catch(() => false);
    if (!user || !user.passwordHash || !ok || user.disabledAt) {
      await this.audit.record(null, {
        actorId: user?.id ?? null,
        action: 'auth.login_failed',
        details: { login: login.slice(0, 100) },
        meta,
      });
      throw new DomainError('unauthenticated', 'invalid_credentials', 'Wrong username/e-mail or password.');
    }
    if (!user.emailVerifiedAt) {
      throw new DomainError(
        'forbidden',
        'email_not_verified',
        'Confirm your e-mail address first; we sent you a link.',
      );
    }
    return user;
  }

  async startSession(
    user: UserEntity,
    meta: RequestMeta,
    method: string,
  ): Promise<{ token: string; csrfToken: string }> {
    const { token, session } = await this.sessions.create(user.id, meta);
    await this.audit.record(null, { actorId: user.id, action: 'auth.login', details: { method }, meta });
    return { token, csrfToken: session.csrfToken };
  }

  async logout(actor: Actor, sessionId: string, meta: RequestMeta): Promise<void> {
    await this.sessions.destroy(sessionId);
    await this.audit.record(null, { actorId: actor.id, action: 'auth.logout', meta });
  }

  async changePassword(
    actor: Actor,
    current: string,
    next: string,
    sessionId: string | null,
    meta: RequestMeta,
  ): Promise<void> {
    const user = await this.users.findById(actor.id);
    if (!user) throw notFound('User');
    if (user.passwordHash && !(await argon2.verify(user.passwordHash, current).catch(() => false))) {
      throw badRequest('wrong_password', 'The current password is wrong.', [
        { field: 'currentPassword', message: 'currentPassword is wrong' },
      ]);
    }
    const passwordHash = await this.hashPassword(next);
    await this.dataSource.transaction(async (manager) => {
      await this.users.update(user.id, { passwordHash }, manager);
      await this.sessions.destroyAllForUser(user.id, manager, sessionId ?? undefined);
      await this.audit.record(manager, {
        actorId: user.id,
        action: 'user.password_change',
        targetType: 'user',
        targetId: user.id,
        meta,
      });
    });
  }

  async me(actor: Actor, loaded?: UserEntity | null): Promise<MeView> {
    const user = loaded?.id === actor.id ? loaded : await this.users.findById(actor.id);
    if (!user) throw unauthenticated();
    return this.toMe(user, actor.roles);
  }

  toMe(user: UserEntity, roles: string[]): MeView {
    return {
      id: user.id,
      username: user.username,
      email: user.email,
      displayName: user.displayName,
      locale: user.locale,
      emailVerified: !!user.emailVerifiedAt,
      roles,
      gitee: user.giteeLogin ? { login: user.giteeLogin } : null,
      createdAt: user.createdAt,
    };
  }

  async updateProfile(actor: Actor, input: { displayName?: string | null; locale?: Locale }): Promise<MeView> {
    const values: Partial<UserEntity> = {};
    if (input.displayName !== undefined)
      values.displayName = input.displayName === null ? null : input.displayName.trim() || null;
    if (input.locale !== undefined) values.locale = input.locale;
    if (Object.keys(values).length > 0) await this.users.update(actor.id, values);
    return this.me(actor);
  }
}
