import { Injectable, PipeTransform } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../../common/actor';
import { isUniqueViolation } from '../../common/db-errors';
import { conflict, forbidden, notFound } from '../../common/errors';
import { USERNAME_PATTERN, UserEntity } from '../users/user.entity';
import { SigActivityEntity } from './sig-activity.entity';
import { SIG_ROLE_RANK, SigMembershipEntity, type SigRole } from './sig-membership.entity';
import { SIG_SLUG, SigEntity } from './sig.entity';

/** Admins act for the TOC until governance exists; `toc` (site role) and `body:toc:member` both count. */
export const TOC_ROLES = ['admin', 'toc', 'body:toc:member'];
export const isToc = (actor: Actor | null | undefined): boolean =>
  !!actor && actor.roles.some((r) => TOC_ROLES.includes(r));
export const isAdmin = (actor: Actor | null | undefined): boolean => !!actor && actor.roles.includes('admin');

/** `sig:<slug>:<role>` plus every lower role, so `sig:kernel:member` means "any member of kernel". */
export function impliedRoles(slug: string, role: SigRole): string[] {
  const rank = SIG_ROLE_RANK[role];
  return (Object.keys(SIG_ROLE_RANK) as SigRole[])
    .filter((r) => SIG_ROLE_RANK[r] <= rank)
    .map((r) => `sig:${slug}:${r}`);
}

@Injectable()
export class SlugPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!SIG_SLUG.test(value)) throw notFound('SIG');
    return value;
  }
}

@Injectable()
export class UsernamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!USERNAME_PATTERN.test(value)) throw notFound('User');
    return value;
  }
}

/** The SQL for "this membership grants something now". */
export const ACTIVE_MEMBERSHIP = '(m.expires_at IS NULL OR m.expires_at > now())';

export async function findSig(manager: EntityManager, slug: string): Promise<SigEntity> {
  const sig = await manager.getRepository(SigEntity).findOne({ where: { slug } });
  if (!sig) throw notFound('SIG');
  return sig;
}

/**
 * Locks the SIG row for the rest of the transaction. Every change to a SIG's memberships takes this
 * lock first, so invariants such as "a SIG with leads keeps at least one" are checked and changed
 * by one transaction at a time.
 */
export async function lockSig(manager: EntityManager, slug: string, mode: 'update' | 'share' = 'update') {
  const sig = await manager
    .getRepository(SigEntity)
    .createQueryBuilder('s')
    .setLock(mode === 'update' ? 'pessimistic_write' : 'pessimistic_read')
    .where('s.slug = :slug', { slug })
    .getOne();
  if (!sig) throw notFound('SIG');
  return sig;
}

export async function lockSigById(manager: EntityManager, id: number, mode: 'update' | 'share' = 'update') {
  return manager
    .getRepository(SigEntity)
    .createQueryBuilder('s')
    .setLock(mode === 'update' ? 'pessimistic_write' : 'pessimistic_read')
    .where('s.id = :id', { id })
    .getOneOrFail();
}

export function activeMembership(
  manager: EntityManager,
  sigId: number,
  userId: number,
): Promise<SigMembershipEntity | null> {
  return manager
    .getRepository(SigMembershipEntity)
    .createQueryBuilder('m')
    .where(`m.sig_id = :sigId AND m.user_id = :userId AND ${ACTIVE_MEMBERSHIP}`, { sigId, userId })
    .getOne();
}

export async function roleIn(manager: EntityManager, sigId: number, actor: Actor | null): Promise<SigRole | null> {
  if (!actor) return null;
  return (await activeMembership(manager, sigId, actor.id))?.role ?? null;
}

export async function countLeads(manager: EntityManager, sigId: number): Promise<number> {
  return manager
    .getRepository(SigMembershipEntity)
    .createQueryBuilder('m')
    .where(`m.sig_id = :sigId AND m.role = 'lead' AND ${ACTIVE_MEMBERSHIP}`, { sigId })
    .getCount();
}

/** Active leads' user ids (for notifications). */
export async function memberIds(manager: EntityManager, sigId: number, roles: SigRole[]): Promise<number[]> {
  const rows = await manager
    .getRepository(SigMembershipEntity)
    .createQueryBuilder('m')
    .where(`m.sig_id = :sigId AND m.role IN (:...roles) AND ${ACTIVE_MEMBERSHIP}`, { sigId, roles })
    .getMany();
  return rows.map((r) => r.userId);
}

/** Throws forbidden unless the actor holds at least `min` in the SIG (or is admin/TOC when allowed). */
export async function requireRank(
  manager: EntityManager,
  sig: SigEntity,
  actor: Actor,
  min: SigRole,
  opts: { toc?: boolean } = { toc: true },
): Promise<SigRole | null> {
  const role = await roleIn(manager, sig.id, actor);
  if (role && SIG_ROLE_RANK[role] >= SIG_ROLE_RANK[min]) return role;
  if (opts.toc !== false && isToc(actor)) return role;
  throw forbidden('sig_forbidden', `Only a ${min} of ${sig.slug} may do that.`);
}

export async function findUserByUsername(manager: EntityManager, username: string): Promise<UserEntity | null> {
  return manager
    .getRepository(UserEntity)
    .createQueryBuilder('u')
    .where('lower(u.username) = lower(:username)', { username })
    .getOne();
}

export async function recordActivity(
  manager: EntityManager,
  sigId: number,
  actorId: number | null,
  kind: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await manager.query(
    `INSERT INTO ${manager.getRepository(SigActivityEntity).metadata.tableName} (sig_id, actor_id, kind, details)
     VALUES ($1, $2, $3, $4::jsonb)`,
    [sigId, actorId, kind, JSON.stringify(details)],
  );
}

export async function mapUnique<T>(work: Promise<T>, constraint: string, code: string, message: string): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (isUniqueViolation(err, constraint)) throw conflict(code, message);
    throw err;
  }
}
