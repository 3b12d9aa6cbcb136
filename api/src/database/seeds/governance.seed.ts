import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { OutboxEntity } from '../../queue/outbox.entity';
import { receiptFor } from '../../modules/governance/ballot-keys';
import { defaultRules } from '../../modules/governance/gov-rules';
import {
  GovBallotEntity,
  GovBodyEntity,
  GovBodyMemberEntity,
  GovElectorEntity,
  GovOptionEntity,
  GovProposalEntity,
  type BallotChoice,
  type Office,
} from '../../modules/governance/governance.entity';
import { createSigCreationProposal } from '../../modules/governance/sig-lifecycle';
import { SigEntity } from '../../modules/sigs/sig.entity';

const HOUR = 3600_000;
const TOC: Array<[string, Office | null]> = [
  ['zhangwei', 'chair'],
  ['alice', 'vice_chair'],
  ['wangfang', 'secretary'],
  ['bob', null],
  ['chenjing', null],
  ['lihua', null],
];

/**
 * A seated TOC, a motion in the middle of its vote, an election whose deadline has just passed
 * (the workers count and publish it on start) and a TOC vote for every proposed SIG. Runs once:
 * nothing happens when proposals already exist.
 */
export async function seedGovernance(
  ds: DataSource,
  ballotKey: (proposalId: number, userId: number) => string,
): Promise<{ proposals: number }> {
  return ds.transaction(async (m) => {
    if ((await m.getRepository(GovProposalEntity).count()) > 0) return { proposals: 0 };
    const ids = new Map(
      (await m.query<{ id: number; username: string }[]>(`SELECT id, username FROM users`)).map((r) => [
        r.username,
        r.id,
      ]),
    );
    const seated = TOC.filter(([u]) => ids.has(u));
    if (seated.length < 3) return { proposals: 0 };
    const toc = await m.getRepository(GovBodyEntity).findOneByOrFail({ slug: 'toc' });
    const termStart = new Date(Date.UTC(2025, 0, 1));
    const termEnd = new Date(Date.UTC(2028, 0, 1));
    if (!(await m.getRepository(GovBodyMemberEntity).count({ where: { bodyId: toc.id } }))) {
      await m
        .getRepository(GovBodyMemberEntity)
        .insert(seated.map(([u, office]) => ({ bodyId: toc.id, userId: ids.get(u)!, office, termStart, termEnd })));
    }
    const voters = seated.map(([u]) => ids.get(u)!);
    const chair = voters[0];
    let made = 0;

    const motion = await insertProposal(m, toc, {
      kind: 'motion',
      title: 'Adopt the OpenCloudOS 9.4 release schedule',
      text: 'OpenCloudOS 9.4 branches in **April** and releases in **June 2027**; 9.2 keeps security updates until 9.6.\n\n9.4 版本于 4 月拉分支、2027 年 6 月发布；9.2 的安全更新持续到 9.6 发布。',
      authorId: ids.get('alice') ?? chair,
      openedHoursAgo: 24,
      openHours: 72,
    });
    await vote(m, motion, voters, ballotKey, [{ vote: 'yes' }, { vote: 'yes' }, { vote: 'abstain' }]);
    made++;

    const election = await insertProposal(m, toc, {
      kind: 'election',
      title: 'Elect the TOC liaison to the SIG coordination committee',
      text: 'Rank the candidates; None of the above must be beaten to win.',
      authorId: chair,
      openedHoursAgo: 96,
      openHours: 72,
      options: [
        ['alice', 'Alice Chen'],
        ['bob', 'Bob Martin'],
        ['chenjing', '陈静'],
      ],
    });
    await vote(m, election, voters, ballotKey, [
      { ranks: { alice: 1, chenjing: 2, bob: 3 } },
      { ranks: { chenjing: 1, alice: 2 } },
      { ranks: { alice: 1, bob: 2, chenjing: 3 } },
      { ranks: { bob: 1, alice: 2, nota: 3 } },
      { ranks: { alice: 1, chenjing: 1 } },
    ]);
    // its deadline has passed: the workers' first run counts it and publishes the result
    await m.getRepository(OutboxEntity).insert({
      queue: 'maintenance',
      jobName: 'governance.close',
      payload: { proposalId: election.id },
      jobId: `governance.close.${election.id}.seed`,
      availableAt: new Date(),
    });
    made++;

    const proposed = await m
      .getRepository(SigEntity)
      .find({ where: { status: 'proposed', creationProposalId: IsNull() } });
    for (const sig of proposed) {
      const id = await createSigCreationProposal(m, sig, sig.createdBy ?? chair);
      await m.getRepository(SigEntity).update({ id: sig.id }, { creationProposalId: id });
      made++;
    }
    return { proposals: made };
  });
}

async function insertProposal(
  m: EntityManager,
  body: GovBodyEntity,
  o: {
    kind: 'motion' | 'election';
    title: string;
    text: string;
    authorId: number;
    openedHoursAgo: number;
    openHours: number;
    options?: Array<[string, string]>;
  },
): Promise<GovProposalEntity> {
  const { rules, ballotMode } = defaultRules(body, o.kind);
  const opened = new Date(Date.now() - o.openedHoursAgo * HOUR);
  const closes = new Date(opened.getTime() + o.openHours * HOUR);
  const p = m.getRepository(GovProposalEntity).create({
    bodyId: body.id,
    kind: o.kind,
    title: o.title,
    text: o.text,
    status: 'voting',
    authorId: o.authorId,
    method: o.kind === 'election' ? 'schulze' : 'motion',
    seats: 1,
    ballotMode,
    electorate: 'body',
    rules,
    openedAt: opened,
    votingOpensAt: opened,
    votingClosesAt: closes,
    exceptionsCloseAt: new Date(opened.getTime() + (o.openHours / 2) * HOUR),
  });
  await m.getRepository(GovProposalEntity).insert(p);
  if (o.options) {
    await m.getRepository(GovOptionEntity).insert([
      ...o.options.map(([key, label], i) => ({ proposalId: p.id, key, label, position: i, isNota: false })),
      {
        proposalId: p.id,
        key: 'nota',
        label: 'None of the above / 以上皆否',
        position: o.options.length,
        isNota: true,
      },
    ]);
  }
  return p;
}

async function vote(
  m: EntityManager,
  p: GovProposalEntity,
  voters: number[],
  ballotKey: (proposalId: number, userId: number) => string,
  choices: BallotChoice[],
): Promise<void> {
  await m
    .getRepository(GovElectorEntity)
    .insert(voters.map((userId) => ({ proposalId: p.id, userId, source: 'snapshot' as const })));
  const rollCall = p.ballotMode === 'roll_call';
  for (let i = 0; i < choices.length && i < voters.length; i++) {
    const castAt = new Date(p.openedAt!.getTime() + (i + 1) * HOUR);
    await m.getRepository(GovBallotEntity).insert({
      proposalId: p.id,
      ballotKey: ballotKey(p.id, voters[i]),
      voterId: rollCall ? voters[i] : null,
      receipt: receiptFor(randomBytes(18).toString('base64url'), p.id),
      choice: choices[i],
      castAt: rollCall ? castAt : null,
    });
    await m.getRepository(GovElectorEntity).update({ proposalId: p.id, userId: voters[i] }, { voted: true });
  }
}
