import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { sha256Hex } from '../../common/crypto';
import { conflict } from '../../common/errors';
import { OutboxService } from '../../queue/outbox.service';
import { l10n, NotificationsService } from '../notifications/notifications.service';
import { applyMembershipOutcome } from '../organisations/membership-outcome';
import { SigEntity } from '../sigs/sig.entity';
import { SigsService } from '../sigs/sigs.service';
import { rankVector, voteString } from './ballot-choice';
import { computeElectorate } from './electorate';
import { appendGovAudit, canonicalJson } from './gov-audit';
import { findProposal } from './gov-access';
import { describeRules } from './gov-rules';
import {
  GovBallotEntity,
  GovBodyEntity,
  GovElectorEntity,
  GovOptionEntity,
  GovProposalEntity,
  type Outcome,
} from './governance.entity';
import {
  motionSettled,
  tallyApproval,
  tallyMotion,
  tallyPlurality,
  tallySchulze,
  type CountResult,
  type MotionResult,
  type SchulzeResult,
} from './tally';

export type CloseReason = 'deadline' | 'all_voted' | 'settled';

/** Reminders go to those who have not voted this long before the close. */
export const REMINDER_HOURS = 24;

/**
 * Opening and closing votes, shared by the API (an officer opens; the last ballot may close) and
 * the workers (scheduled opens and closes, reminders). Every step is idempotent: a job that runs
 * twice, or late, finds the proposal already moved on and does nothing.
 */
@Injectable()
export class GovLifecycleService {
  private readonly log = new Logger(GovLifecycleService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly outbox: OutboxService,
    private readonly sigs: SigsService,
  ) {}

  /** Snapshots the electorate, freezes the rules, starts the clock. `p` must be locked. */
  async openIn(m: EntityManager, p: GovProposalEntity, actorId: number | null, hours: number): Promise<void> {
    if (p.status !== 'draft' && p.status !== 'discussion') {
      throw conflict('not_openable', 'Only a draft or a proposal under discussion can open for voting.');
    }
    if (hours < p.rules.minHours || hours > p.rules.maxHours) {
      throw conflict(
        'window_out_of_bounds',
        `The voting window must be ${p.rules.minHours}–${p.rules.maxHours} hours.`,
      );
    }
    const voters = await computeElectorate(m, p);
    if (!voters.length) throw conflict('empty_electorate', 'Nobody is eligible to vote on this proposal.');
    const now = new Date();
    const closes = new Date(now.getTime() + hours * 3600_000);
    await m
      .createQueryBuilder()
      .insert()
      .into(GovElectorEntity)
      .values(voters.map((userId) => ({ proposalId: p.id, userId, source: 'snapshot' as const })))
      .orIgnore()
      .execute();
    Object.assign(p, {
      status: 'voting',
      openedAt: now,
      votingOpensAt: p.votingOpensAt ?? now,
      votingClosesAt: closes,
      exceptionsCloseAt: new Date(now.getTime() + (closes.getTime() - now.getTime()) / 2),
      updatedAt: now,
    });
    await m.getRepository(GovProposalEntity).update(
      { id: p.id },
      {
        status: p.status,
        openedAt: p.openedAt,
        votingOpensAt: p.votingOpensAt,
        votingClosesAt: p.votingClosesAt,
        exceptionsCloseAt: p.exceptionsCloseAt,
        updatedAt: now,
      },
    );
    await this.scheduleClose(m, p);
    await appendGovAudit(m, {
      proposalId: p.id,
      bodyId: p.bodyId,
      actorId,
      action: 'voting.opened',
      data: { electorate: voters.length, closesAt: closes.toISOString(), rules: { ...p.rules } },
    });
    for (const uid of voters) {
      await this.notifications.notify(m, uid, {
        kind: 'governance.voting_open',
        title: l10n(`Voting is open: ${p.title}`, `投票已开始：${p.title}`),
        body: l10n(`Vote before ${closes.toISOString()}.`, `请在 ${closes.toISOString()} 之前投票。`),
        link: `/governance/proposals/${p.id}`,
        email: true,
      });
    }
  }

  /** A delayed job per close time: an extension schedules a new one, the old one finds nothing to do. */
  async scheduleClose(m: EntityManager, p: Pick<GovProposalEntity, 'id' | 'votingClosesAt'>): Promise<void> {
    await this.outbox.enqueue(
      m,
      'governance.close',
      { proposalId: p.id },
      { runAt: p.votingClosesAt!, jobId: `governance.close.${p.id}.${p.votingClosesAt!.getTime()}` },
    );
  }

  async scheduleOpen(m: EntityManager, proposalId: number, at: Date): Promise<void> {
    await this.outbox.enqueue(
      m,
      'governance.open',
      { proposalId },
      { runAt: at, jobId: `governance.open.${proposalId}.${at.getTime()}` },
    );
  }

  /** Scheduled opening: opens if it is due and still waiting. */
  async openIfDue(proposalId: number): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const p = await findProposal(m, proposalId, 'update');
      if ((p.status !== 'draft' && p.status !== 'discussion') || !p.votingOpensAt || p.votingOpensAt > new Date()) {
        return false;
      }
      const hours = p.votingClosesAt
        ? Math.round((p.votingClosesAt.getTime() - p.votingOpensAt.getTime()) / 3600_000)
        : p.rules.minHours || 24;
      try {
        await this.openIn(m, p, null, Math.min(Math.max(hours, p.rules.minHours, 1), p.rules.maxHours));
      } catch (err) {
        this.log.warn(`proposal ${proposalId} could not open on schedule: ${(err as Error).message}`);
        return false;
      }
      return true;
    });
  }

  /**
   * Closes a vote: counts, publishes the immutable result, applies what it decides. Deadline
   * closes only run once the close time has passed (an extension moved it otherwise).
   */
  async close(proposalId: number, because: CloseReason): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const p = await findProposal(m, proposalId, 'update');
      if (p.status !== 'voting') return false;
      if (because === 'deadline' && p.votingClosesAt! > new Date()) return false;
      // one after another: a transaction's statements share one connection
      const options = await m
        .getRepository(GovOptionEntity)
        .find({ where: { proposalId }, order: { position: 'ASC' } });
      const ballots = await m
        .getRepository(GovBallotEntity)
        .find({ where: { proposalId }, relations: { voter: true } });
      const electors = await m.getRepository(GovElectorEntity).count({ where: { proposalId } });
      const body = await m.getRepository(GovBodyEntity).findOneByOrFail({ id: p.bodyId });
      const counted = this.count(p, options, ballots, electors);
      const now = new Date();
      const applied =
        counted.outcome === 'passed' || p.kind === 'sig_create' || p.kind === 'membership'
          ? await this.apply(m, p, counted.outcome)
          : null;
      // secret ballots are listed in receipt order, which says nothing about who or when
      const list = ballots
        .map((b) => ({
          receipt: b.receipt,
          vote: voteString(options, b.choice),
          ...(p.ballotMode === 'roll_call' && b.voter ? { voter: b.voter.username } : {}),
        }))
        .sort((a, b) => (a.receipt < b.receipt ? -1 : 1));
      const result = {
        version: 1,
        proposal: { id: p.id, title: p.title, kind: p.kind, body: body.slug },
        method: p.method,
        ballotMode: p.ballotMode,
        seats: p.seats,
        rules: p.rules,
        rulesText: describeRules(p.rules, electors),
        electorate: electors,
        turnout: ballots.length,
        quorumNeeded: counted.quorumNeeded,
        quorumMet: counted.quorumMet,
        outcome: counted.outcome,
        winners: counted.winners,
        openedAt: p.openedAt!.toISOString(),
        closedAt: now.toISOString(),
        closedBecause: because,
        options: options.map((o) => ({ key: o.key, label: o.label, isNota: o.isNota })),
        tally: counted.tally,
        ballots: list,
        applied,
      };
      const sha = sha256Hex(canonicalJson(result));
      await m.getRepository(GovProposalEntity).update(
        { id: p.id },
        {
          status: 'closed',
          outcome: counted.outcome,
          closedAt: now,
          updatedAt: now,
          result,
          resultSha256: sha,
        },
      );
      await appendGovAudit(m, {
        proposalId: p.id,
        bodyId: p.bodyId,
        actorId: null,
        action: 'voting.closed',
        data: { outcome: counted.outcome, because, turnout: ballots.length, electorate: electors, resultSha256: sha },
      });
      const notify = new Set<number>(
        (await m.getRepository(GovElectorEntity).find({ where: { proposalId } })).map((e) => e.userId),
      );
      if (p.authorId) notify.add(p.authorId);
      const outcomeText = {
        passed: l10n('passed', '通过'),
        failed: l10n('failed', '未通过'),
        no_quorum: l10n('failed for lack of quorum', '因未达法定人数而未通过'),
      }[counted.outcome];
      for (const uid of notify) {
        await this.notifications.notify(m, uid, {
          kind: 'governance.closed',
          title: l10n(
            `Result: ${p.title} ${(outcomeText as { en: string }).en}`,
            `结果：${p.title} ${(outcomeText as { 'zh-CN': string })['zh-CN']}`,
          ),
          link: `/governance/proposals/${p.id}`,
          email: true,
        });
      }
      return true;
    });
  }

  private count(
    p: GovProposalEntity,
    options: GovOptionEntity[],
    ballots: GovBallotEntity[],
    electors: number,
  ): {
    outcome: Outcome;
    quorumNeeded: number;
    quorumMet: boolean;
    winners: string[];
    tally: MotionResult | SchulzeResult | CountResult;
  } {
    if (p.method === 'motion') {
      const c = { eligible: electors, yes: 0, no: 0, abstain: 0 };
      for (const b of ballots) if ('vote' in b.choice) c[b.choice.vote]++;
      const tally = tallyMotion(c, {
        quorum: p.rules.quorumPercent / 100,
        threshold: p.rules.threshold,
        abstentions: p.rules.abstentions,
      });
      return {
        outcome: tally.outcome,
        quorumNeeded: tally.quorumNeeded,
        quorumMet: tally.quorumMet,
        winners: [],
        tally,
      };
    }
    // the tie-break seed is fixed only at the close, by the ballots themselves; the ballot keys are
    // HMACs no voter can compute, so nobody can steer the seed by choosing a receipt secret
    const seed = `${p.id}:${sha256Hex(
      ballots
        .map((b) => `${b.ballotKey}:${b.receipt}`)
        .sort()
        .join(','),
    )}`;
    const keys = options.map((o) => o.key);
    let tally: SchulzeResult | CountResult;
    if (p.method === 'schulze') {
      tally = tallySchulze({
        options: keys,
        ballots: ballots.map((b) => rankVector(options, b.choice)),
        seed,
        noneOfTheAbove: options.find((o) => o.isNota)?.key,
        seats: p.seats,
      });
    } else if (p.method === 'approval') {
      tally = tallyApproval({
        options: keys,
        ballots: ballots.map((b) => ('approve' in b.choice ? b.choice.approve : [])),
        seed,
        seats: p.seats,
      });
    } else {
      tally = tallyPlurality({
        options: keys,
        ballots: ballots.flatMap((b) => ('pick' in b.choice ? [b.choice.pick] : [])),
        seed,
        seats: p.seats,
      });
    }
    const quorumNeeded = Math.ceil((p.rules.quorumPercent * electors) / 100);
    const quorumMet = ballots.length >= quorumNeeded && ballots.length > 0;
    const outcome: Outcome = !quorumMet ? 'no_quorum' : tally.winners.length ? 'passed' : 'failed';
    return { outcome, quorumNeeded, quorumMet, winners: quorumMet ? tally.winners : [], tally };
  }

  /** What a decision does to the SIG (or the applying organisation) it is about. Never throws: a failure is part of the record. */
  private async apply(
    m: EntityManager,
    p: GovProposalEntity,
    outcome: Outcome,
  ): Promise<{ action: string; ok: boolean; reason?: string } | null> {
    if (p.kind === 'membership') return applyMembershipOutcome(m, p, outcome, this.notifications);
    if (!p.sigId || (p.kind !== 'sig_create' && p.kind !== 'sig_archive')) return null;
    const sig = await m
      .getRepository(SigEntity)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.id = :id', { id: p.sigId })
      .getOne();
    if (!sig) return { action: p.kind, ok: false, reason: 'the SIG no longer exists' };
    if (p.kind === 'sig_create') {
      if (sig.status !== 'proposed') return { action: 'none', ok: false, reason: `the SIG is already ${sig.status}` };
      if (outcome === 'passed') {
        await this.sigs.activateIn(m, sig, null, undefined, p.id);
        return { action: 'sig.activate', ok: true };
      }
      await this.sigs.archiveIn(m, sig, null, undefined, { proposalId: p.id, rejected: true });
      return { action: 'sig.reject', ok: true };
    }
    if (sig.status === 'archived') return { action: 'none', ok: false, reason: 'the SIG is already archived' };
    const owned = await this.sigs.ownedPackages(m, sig.id);
    if (owned > 0) return { action: 'sig.archive', ok: false, reason: `the SIG still owns ${owned} package(s)` };
    await this.sigs.archiveIn(m, sig, null, undefined, { proposalId: p.id });
    return { action: 'sig.archive', ok: true };
  }

  /** After a ballot: close early when everyone has voted, or a motion can no longer change. */
  async closeIfSettled(proposalId: number): Promise<boolean> {
    const [row] = await this.dataSource.query<
      { method: string; rules: GovProposalEntity['rules']; eligible: number; voted: number }[]
    >(
      `SELECT p.method, p.rules, count(e.user_id)::int AS eligible, count(e.user_id) FILTER (WHERE e.voted)::int AS voted
       FROM gov_proposals p JOIN gov_electorate e ON e.proposal_id = p.id
       WHERE p.id = $1 AND p.status = 'voting' GROUP BY p.id`,
      [proposalId],
    );
    if (!row) return false;
    if (row.voted >= row.eligible) return this.close(proposalId, 'all_voted');
    if (row.method !== 'motion') return false;
    const counts = await this.dataSource.query<{ vote: 'yes' | 'no' | 'abstain'; n: number }[]>(
      `SELECT choice->>'vote' AS vote, count(*)::int AS n FROM gov_ballots WHERE proposal_id = $1 GROUP BY 1`,
      [proposalId],
    );
    const c = { eligible: row.eligible, yes: 0, no: 0, abstain: 0 };
    for (const r of counts) c[r.vote] = r.n;
    const settled = motionSettled(c, {
      quorum: row.rules.quorumPercent / 100,
      threshold: row.rules.threshold,
      abstentions: row.rules.abstentions,
    });
    return settled ? this.close(proposalId, 'settled') : false;
  }

  /**
   * The safety net behind the delayed jobs: opens what is due, closes what is overdue, and
   * reminds those who have not voted a day before the close.
   */
  async tick(): Promise<{ opened: number; closed: number; reminded: number }> {
    const due = await this.dataSource.query<{ id: number }[]>(
      `SELECT id FROM gov_proposals WHERE status IN ('draft', 'discussion') AND voting_opens_at <= now()`,
    );
    let opened = 0;
    for (const { id } of due) if (await this.openIfDue(id)) opened++;
    const overdue = await this.dataSource.query<{ id: number }[]>(
      `SELECT id FROM gov_proposals WHERE status = 'voting' AND voting_closes_at <= now()`,
    );
    let closed = 0;
    for (const { id } of overdue) if (await this.close(id, 'deadline')) closed++;
    const reminded = await this.remind();
    return { opened, closed, reminded };
  }

  private async remind(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const rows = await m.query<[{ user_id: number; id: number; title: string; voting_closes_at: Date }[], number]>(
        `UPDATE gov_electorate e SET reminded_at = now()
         FROM gov_proposals p
         WHERE p.id = e.proposal_id AND p.status = 'voting' AND NOT e.voted AND e.reminded_at IS NULL
           AND p.voting_closes_at > now() AND p.voting_closes_at <= now() + make_interval(hours => $1)
         RETURNING e.user_id, p.id, p.title, p.voting_closes_at`,
        [REMINDER_HOURS],
      );
      for (const r of rows[0]) {
        await this.notifications.notify(m, r.user_id, {
          kind: 'governance.reminder',
          title: l10n(`You have not voted yet: ${r.title}`, `您尚未投票：${r.title}`),
          body: l10n(
            `Voting closes at ${new Date(r.voting_closes_at).toISOString()}.`,
            `投票将于 ${new Date(r.voting_closes_at).toISOString()} 截止。`,
          ),
          link: `/governance/proposals/${r.id}`,
          email: true,
        });
      }
      return rows[0].length;
    });
  }
}
