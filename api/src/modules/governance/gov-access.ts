import type { EntityManager } from 'typeorm';
import type { Actor } from '../../common/actor';
import { notFound } from '../../common/errors';
import { GovBodyEntity, GovProposalEntity, type Office } from './governance.entity';

export const isAdmin = (actor: Actor | null | undefined): boolean => !!actor && actor.roles.includes('admin');

/** SQL for "this term gives rights now" over gov_body_members aliased bm. */
export const CURRENT_TERM = 'bm.term_start <= now() AND bm.term_end > now()';

export async function findBody(m: EntityManager, slug: string): Promise<GovBodyEntity> {
  const body = await m.getRepository(GovBodyEntity).findOne({ where: { slug } });
  if (!body) throw notFound('Governance body');
  return body;
}

export async function findProposal(
  m: EntityManager,
  id: number,
  lock?: 'update' | 'share',
  opts: { withResult?: boolean } = {},
): Promise<GovProposalEntity> {
  const qb = m.getRepository(GovProposalEntity).createQueryBuilder('p').where('p.id = :id', { id });
  if (opts.withResult) qb.addSelect('p.result');
  if (lock) qb.setLock(lock === 'update' ? 'pessimistic_write' : 'pessimistic_read');
  const p = await qb.getOne();
  if (!p) throw notFound('Proposal');
  return p;
}

export interface Standing {
  member: boolean;
  office: Office | null;
}

/** The actor's current standing in a body: a member in term, and which office they hold. */
export async function standingIn(m: EntityManager, bodyId: number, userId: number | undefined): Promise<Standing> {
  if (!userId) return { member: false, office: null };
  const rows = await m.query<{ office: Office | null }[]>(
    `SELECT office FROM gov_body_members bm WHERE bm.body_id = $1 AND bm.user_id = $2 AND ${CURRENT_TERM}`,
    [bodyId, userId],
  );
  if (!rows.length) return { member: false, office: null };
  return { member: true, office: rows.find((r) => r.office)?.office ?? null };
}

/** Officers run the body's votes: open, decide exceptions. Admins may stand in. */
export const isOfficer = (actor: Actor | null, s: Standing): boolean => isAdmin(actor) || s.office !== null;
/** Only the chair (or vice-chair) extends a running vote. */
export const canExtend = (actor: Actor | null, s: Standing): boolean =>
  isAdmin(actor) || s.office === 'chair' || s.office === 'vice_chair';
