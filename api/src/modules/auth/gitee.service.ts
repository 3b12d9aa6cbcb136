import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/actor';
import { conflict, DomainError } from '../../common/errors';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { AuditService } from '../audit/audit.service';
import { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { isUniqueViolation } from '../../common/db-errors';

/** The fields of Gitee's `GET /api/v5/user` that we use. */
export interface GiteeProfile {
  id: number;
  login: string;
  name?: string | null;
  email?: string | null;
  avatar_url?: string | null;
}

@Injectable()
export class GiteeAccountService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return !!(this.config.giteeClientId && this.config.giteeClientSecret);
  }

  async fetchProfile(accessToken: string): Promise<GiteeProfile> {
    const res = await fetch(`${this.config.giteeBaseUrl}/api/v5/user?access_token=${encodeURIComponent(accessToken)}`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok)
      throw new DomainError('unavailable', 'gitee_unavailable', `Gitee answered ${res.status} for the user profile.`);
    const body = (await res.json()) as Partial<GiteeProfile>;
    if (typeof body.id !== 'number' || typeof body.login !== 'string') {
      throw new DomainError('unavailable', 'gitee_bad_profile', 'Gitee returned a profile without id or login.');
    }
    return body as GiteeProfile;
  }

  /** Links the Gitee account to the logged-in user. */
  async link(actor: Actor, profile: GiteeProfile, meta: RequestMeta): Promise<void> {
    const owner = await this.users.findByGiteeId(String(profile.id));
    if (owner && owner.id !== actor.id) {
      throw conflict('gitee_in_use', 'That Gitee account is already linked to another user.');
    }
    await this.users.update(actor.id, { giteeId: String(profile.id), giteeLogin: profile.login });
    await this.audit.record(null, {
      actorId: actor.id,
      action: 'user.gitee_link',
      details: { giteeLogin: profile.login },
      meta,
    });
  }

  async unlink(actor: Actor, meta: RequestMeta): Promise<void> {
    const user = await this.users.findById(actor.id);
    if (user && !user.passwordHash) {
      throw conflict('last_login_method', 'Set a password first: Gitee is the only way you can log in.');
    }
    await this.users.update(actor.id, { giteeId: null, giteeLogin: null });
    await this.audit.record(null, { actorId: actor.id, action: 'user.gitee_unlink', meta });
  }

  /**
   * Login through Gitee: the linked account, or a new one. An existing account with the same
   * e-mail is not taken over: its owner must log in and link Gitee from the profile.
   */
  async loginOrCreate(profile: GiteeProfile, meta: RequestMeta): Promise<UserEntity> {
    const linked = await this.users.findByGiteeId(String(profile.id));
    if (linked) {
      if (linked.disabledAt) throw new DomainError('forbidden', 'account_disabled', 'This account is disabled.');
      return linked;
    }
    const email = profile.email?.trim() || `${profile.login}@users.noreply.gitee.com`;
    if (await this.users.findByEmail(email)) {
      throw conflict(
        'gitee_email_in_use',
        'An account with this e-mail exists: log in with it and link Gitee from your profile.',
      );
    }
    const base =
      profile.login
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, '-')
        .replace(/^[^a-z]+/, '')
        .slice(0, 28) || 'gitee-user';
    for (let attempt = 0; attempt < 20; attempt++) {
      const username = attempt === 0 ? base.padEnd(3, '0') : `${base.slice(0, 26)}-${attempt + 1}`;
      try {
        return await this.dataSource.transaction(async (manager) => {
          const user = await this.users.insert(manager, {
            username,
            email,
            displayName: profile.name?.slice(0, 100) || null,
            giteeId: String(profile.id),
            giteeLogin: profile.login,
            emailVerifiedAt: profile.email ? new Date() : null,
          });
          await this.audit.record(manager, {
            actorId: user.id,
            action: 'user.register',
            details: { via: 'gitee' },
            meta,
          });
          return user;
        });
      } catch (err) {
        if (isUniqueViolation(err, 'uq_users_username_lower')) continue;
        throw err;
      }
    }
    throw conflict('username_taken', 'Could not find a free username for this Gitee account.');
  }
}
