import type { EntityManager } from 'typeorm';
import type { Actor } from '../../common/actor';
import { CURRENT_TERM, isAdmin } from '../governance/gov-access';

/** Who is looking at a council membership application, as far as seeing it goes. */
export interface ApplicationViewer {
  actor: Actor;
  /** A council member in term, or an admin: sees contacts. */
  council: boolean;
  /** An admin or a council officer (chair, vice-chair, secretary) in term: may decline before a nomination. */
  officer: boolean;
  /** The member organisation the actor represents, if any. */
  representsOrgId: number | null;
}

/** One statement: the actor's council seat and office in term, and the member organisation they represent. */
export async function applicationViewer(m: EntityManager, actor: Actor): Promise<ApplicationViewer> {
  const [row] = await m.query<{ seat: boolean; office: boolean; org: number | null }[]>(
    `SELECT EXISTS (SELECT 1 FROM gov_body_members bm JOIN gov_bodies b ON b.id = bm.body_id
                     WHERE b.slug = 'council' AND bm.user_id = $1 AND ${CURRENT_TERM}) AS seat,
            EXISTS (SELECT 1 FROM gov_body_members bm JOIN gov_bodies b ON b.id = bm.body_id
                     WHERE b.slug = 'council' AND bm.user_id = $1 AND bm.office IS NOT NULL AND ${CURRENT_TERM}) AS office,
            (SELECT id FROM organisations WHERE status = 'member' AND representative_id = $1 ORDER BY id LIMIT 1) AS org`,
    [actor.id],
  );
  return {
    actor,
    council: row.seat || isAdmin(actor),
    officer: row.office || isAdmin(actor),
    representsOrgId: row.org,
  };
}

/** The applicant, the council, admins and member organisations' representatives; nobody else. */
export function mayViewApplication(o: { applicantId: number | null }, v: ApplicationViewer): boolean {
  return o.applicantId === v.actor.id || v.council || v.representsOrgId !== null;
}

/**
 * Whether `actor` may open `o`, their standing looked up only when they are not its applicant
 * (a membership vote's page shows its applicant the link without the council/organisation query).
 */
export async function actorMayViewApplication(
  m: EntityManager,
  actor: Actor,
  o: { applicantId: number | null },
): Promise<boolean> {
  return o.applicantId === actor.id || mayViewApplication(o, await applicationViewer(m, actor));
}
