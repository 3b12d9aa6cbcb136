import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/actor';
import { sha256Hex } from '../../common/crypto';
import { badRequest, notFound } from '../../common/errors';
import { AuditService } from '../audit/audit.service';
import { UserEntity } from '../users/user.entity';
import { ApiTokenEntity } from './api-token.entity';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const TOKEN_PATTERN = /^och_[0-9A-Za-z]{40}$/;
const MAX_TOKENS_PER_USER = 50;

function base62(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    if (bytes[i] < 248) out += BASE62[bytes[i] % 62]; // reject to stay unbiased
  }
  return out.length === length ? out : base62(length);
}

export interface TokenView {
  id: number;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

const view = (t: ApiTokenEntity): TokenView => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.createdAt,
  lastUsedAt: t.lastUsedAt,
  expiresAt: t.expiresAt,
});

@Injectable()
export class TokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor): Promise<TokenView[]> {
    const rows = await this.dataSource
      .getRepository(ApiTokenEntity)
      .find({ where: { userId: actor.id, revokedAt: IsNull() }, order: { id: 'DESC' } });
    return rows.filter((t) => !t.expiresAt || t.expiresAt > new Date()).map(view);
  }

  async create(
    actor: Actor,
    name: string,
    expiresInDays: number | undefined,
    meta: RequestMeta,
  ): Promise<TokenView & { token: string }> {
    const token = `och_${base62(40)}`;
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ApiTokenEntity);
      // serialise per user so the cap holds under concurrent creation
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`api_tokens:${actor.id}`]);
      const active = await repo.count({ where: { userId: actor.id, revokedAt: IsNull() } });
      if (active >= MAX_TOKENS_PER_USER) {
        throw badRequest('too_many_tokens', `You already have ${MAX_TOKENS_PER_USER} tokens; revoke one first.`);
      }
      const entity = repo.create({
        userId: actor.id,
        name: name.trim(),
        prefix: token.slice(0, 12),
        tokenHash: sha256Hex(token),
        expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * 86400_000) : null,
      });
      await repo.insert(entity);
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'token.create',
        targetType: 'api_token',
        targetId: entity.id,
        details: { name: entity.name, prefix: entity.prefix },
        meta,
      });
      const saved = await repo.findOneByOrFail({ id: entity.id });
      return { ...view(saved), token };
    });
  }

  async revoke(actor: Actor, id: number, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ApiTokenEntity);
      // another user's token answers exactly like a missing one
      const token = await repo.findOne({ where: { id, userId: actor.id, revokedAt: IsNull() } });
      if (!token) throw notFound('Token');
      await repo.update({ id }, { revokedAt: new Date() });
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'token.revoke',
        targetType: 'api_token',
        targetId: id,
        details: { prefix: token.prefix },
        meta,
      });
    });
  }

  /** The user a bearer token belongs to, if it is live. */
  async resolve(token: string): Promise<UserEntity | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const row = await this.dataSource
      .getRepository(ApiTokenEntity)
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.user', 'u')
      .where('t.token_hash = :hash', { hash: sha256Hex(token) })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('(t.expires_at IS NULL OR t.expires_at > now())')
      .andWhere('u.disabled_at IS NULL')
      .getOne();
    if (!row || !row.user) return null;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      await this.dataSource.getRepository(ApiTokenEntity).update({ id: row.id }, { lastUsedAt: new Date() });
    }
    return row.user;
  }
}
