import type { EntityManager } from 'typeorm';
import { CURRENT_TERM } from './gov-access';
import type { GovProposalEntity } from './governance.entity';

/**
 * Who may vote on a proposal, computed when voting opens and then frozen in gov_electorate.
 * Disabled accounts never vote. Approved exception requests are added on top.
 */
export async function computeElectorate(m: EntityManager, p: GovProposalEntity): Promise<number[]> {
  let rows: { id: number }[];
  switch (p.electorate) {
    case 'body':
      rows = await m.query(
        `SELECT DISTINCT bm.user_id AS id FROM gov_body_members bm JOIN users u ON u.id = bm.user_id
         WHERE bm.body_id = $1 AND ${CURRENT_TERM} AND u.disabled_at IS NULL`,
        [p.bodyId],
      );
      break;
    case 'sig_maintainers':
      rows = await m.query(
        `SELECT DISTINCT sm.user_id AS id FROM sig_memberships sm
         JOIN sigs s ON s.id = sm.sig_id AND s.status = 'active'
         JOIN users u ON u.id = sm.user_id AND u.disabled_at IS NULL
         WHERE sm.role IN ('lead', 'maintainer') AND (sm.expires_at IS NULL OR sm.expires_at > now())`,
      );
      break;
    case 'active_contributors': {
      const months = p.electorateMonths ?? 12;
      rows = await m.query(
        `SELECT u.id FROM users u WHERE u.disabled_at IS NULL AND (
           EXISTS (SELECT 1 FROM bugs b WHERE b.reporter_id = u.id AND b.created_at > now() - make_interval(months => $1))
           OR EXISTS (SELECT 1 FROM bug_comments c WHERE c.author_id = u.id AND c.created_at > now() - make_interval(months => $1))
           OR EXISTS (SELECT 1 FROM sig_memberships sm WHERE sm.user_id = u.id AND (sm.expires_at IS NULL OR sm.expires_at > now())
                      AND sm.granted_at > now() - make_interval(months => $1)))`,
        [months],
      );
      break;
    }
  }
  const exceptions = await m.query<{ id: number }[]>(
    `SELECT user_id AS id FROM gov_eligibility_requests WHERE proposal_id = $1 AND status = 'approved'`,
    [p.id],
  );
  return [...new Set([...rows, ...exceptions].map((r) => r.id))].sort((a, b) => a - b);
}
