import type { EntityManager } from 'typeorm';
import { appendGovAudit } from './gov-audit';
import { defaultRules } from './gov-rules';
import { GovBodyEntity, GovProposalEntity } from './governance.entity';
import type { SigEntity } from '../sigs/sig.entity';

/**
 * A proposed SIG becomes a TOC proposal under discussion, in the same transaction; the vote's
 * outcome then activates or rejects the SIG (GovLifecycleService.apply).
 */
export async function createSigCreationProposal(m: EntityManager, sig: SigEntity, authorId: number): Promise<number> {
  const toc = await m.getRepository(GovBodyEntity).findOneByOrFail({ slug: 'toc' });
  const { rules, ballotMode } = defaultRules(toc, 'sig_create');
  const p = m.getRepository(GovProposalEntity).create({
    bodyId: toc.id,
    kind: 'sig_create',
    title: `Create the ${sig.nameEn} SIG (${sig.slug}) / 成立 ${sig.nameZh} SIG`,
    text: sig.description,
    status: 'discussion',
    authorId,
    sigId: sig.id,
    method: 'motion',
    seats: 1,
    ballotMode,
    electorate: 'body',
    rules,
  });
  await m.getRepository(GovProposalEntity).insert(p);
  await appendGovAudit(m, {
    proposalId: p.id,
    bodyId: toc.id,
    actorId: authorId,
    action: 'proposal.created',
    data: { kind: 'sig_create', sig: sig.slug, title: p.title },
  });
  return p.id;
}
