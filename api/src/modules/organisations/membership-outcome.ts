import type { EntityManager } from 'typeorm';
import type { GovProposalEntity, Outcome } from '../governance/governance.entity';
import { l10n, type NotificationsService } from '../notifications/notifications.service';
import { OrganisationEntity } from './organisation.entity';

/**
 * What a closed `membership` vote does (called by GovLifecycleService.close, in its transaction):
 * passed → the organisation becomes a member; failed or no quorum → its application is declined.
 * Never throws: a failure is part of the published result.
 */
export async function applyMembershipOutcome(
  m: EntityManager,
  p: GovProposalEntity,
  outcome: Outcome,
  notifications: NotificationsService,
): Promise<{ action: string; ok: boolean; reason?: string }> {
  const o = await m
    .getRepository(OrganisationEntity)
    .createQueryBuilder('o')
    .setLock('pessimistic_write')
    .where('o.proposal_id = :pid', { pid: p.id })
    .getOne();
  if (!o) return { action: 'membership', ok: false, reason: 'no application is linked to this proposal' };
  if (o.status !== 'nominated') {
    return { action: 'none', ok: false, reason: `the application is already ${o.status}` };
  }
  const now = new Date();
  const admitted = outcome === 'passed';
  await m
    .getRepository(OrganisationEntity)
    .update(
      { id: o.id },
      admitted
        ? { status: 'member', memberSince: now, decidedAt: now, updatedAt: now }
        : { status: 'declined', decidedAt: now, updatedAt: now },
    );
  const tell = new Set<number>();
  if (o.applicantId) tell.add(o.applicantId);
  if (o.representativeId) tell.add(o.representativeId);
  if (o.nominatedBy) tell.add(o.nominatedBy);
  for (const uid of tell) {
    await notifications.notify(m, uid, {
      kind: 'organisation.decided',
      title: admitted
        ? l10n(`${o.name} is now a member organisation of the council`, `${o.name} 已成为理事会成员单位`)
        : l10n(`The council did not admit ${o.name} as a member organisation`, `理事会未接纳 ${o.name} 为成员单位`),
      link: `/council/applications/${o.id}`,
      email: true,
    });
  }
  return { action: admitted ? 'organisation.admit' : 'organisation.decline', ok: true };
}
