import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/actor';
import { isUniqueViolation } from '../../common/db-errors';
import { badRequest, conflict, forbidden, notFound } from '../../common/errors';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import { AuditService } from '../audit/audit.service';
import { l10n, NotificationsService } from '../notifications/notifications.service';
import { actorMayViewApplication } from '../organisations/application-access';
import { findSig } from '../sigs/sig-access';
import { UserEntity } from '../users/user.entity';
import { newBallotSecret, receiptFor, BallotKeys } from './ballot-keys';
import { parseChoice, voteString } from './ballot-choice';
import type {
  ProposalApplicationRef,
  AuditTrailView,
  BallotDto,
  BallotReceiptView,
  CommentListView,
  GovCommentView,
  CreateProposalDto,
  EligibilityRequestList,
  ExtendDto,
  MyBallotView,
  OpenVotingDto,
  ProposalDetailView,
  ProposalFieldsDto,
  ProposalListQueryDto,
  ProposalPage,
  ProposalSummaryView,
  ProposalViewerView,
  ReceiptCheckView,
  ResultDocument,
} from './dto/governance.dto';
import { appendGovAudit, verifyGovAudit } from './gov-audit';
import { canExtend, findBody, findProposal, isAdmin, isOfficer, standingIn, type Standing } from './gov-access';
import { GovLifecycleService } from './gov-lifecycle.service';
import { defaultMethod, defaultRules } from './gov-rules';
import {
  GovAuditEntity,
  GovBallotEntity,
  GovCommentEntity,
  GovElectorEntity,
  GovEligibilityRequestEntity,
  GovOptionEntity,
  GovProposalEntity,
} from './governance.entity';
import { renderTallySheet, type CountResult, type MotionResult, type SchulzeResult } from './tally';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
const userRef = (u: UserEntity | null | undefined) => (u ? { username: u.username, displayName: u.displayName } : null);
const NOTA_KEY = 'nota';
/** How many other secret ballots each new one is shuffled with (all of them in smaller votes). */
const SHUFFLE_SET = 500;

interface GovBallotRow {
  proposal_id: number;
  ballot_key: string;
  voter_id: number | null;
  receipt: string;
  choice: unknown;
  cast_at: Date | null;
}

/** Proposals from draft to published result: everything but the clock, which GovLifecycleService keeps. */
@Injectable()
export class ProposalsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lifecycle: GovLifecycleService,
    private readonly keys: BallotKeys,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  // ------------------------------------------------------------ reading

  /** Drafts are visible to their author, the body's members and admins; everything else to all. */
  private async visible(m: EntityManager, actor: Actor | null, p: GovProposalEntity): Promise<Standing> {
    const standing = await standingIn(m, p.bodyId, actor?.id);
    if (p.status === 'draft' && !(standing.member || isAdmin(actor) || (actor && p.authorId === actor.id))) {
      throw notFound('Proposal');
    }
    return standing;
  }

  async list(actor: Actor | null, q: ProposalListQueryDto): Promise<ProposalPage> {
    const limit = q.limit ?? 25;
    const qb = this.dataSource
      .getRepository(GovProposalEntity)
      .createQueryBuilder('p')
      .innerJoinAndSelect('p.body', 'b')
      .leftJoinAndSelect('p.author', 'a')
      .orderBy('p.id', 'DESC')
      .limit(limit + 1);
    if (q.status) qb.andWhere('p.status = :status', { status: q.status });
    if (q.body) qb.andWhere('b.slug = :body', { body: q.body });
    if (q.kind) qb.andWhere('p.kind = :kind', { kind: q.kind });
    const before = decodeCursor(q.cursor);
    if (q.cursor && !before) throw badRequest('invalid_cursor', 'This cursor is not valid.');
    if (before) qb.andWhere('p.id < :before', { before });
    if (!isAdmin(actor)) {
      qb.andWhere(
        `(p.status <> 'draft' OR p.author_id = :me OR EXISTS (SELECT 1 FROM gov_body_members bm
          WHERE bm.body_id = p.body_id AND bm.user_id = :me AND bm.term_start <= now() AND bm.term_end > now()))`,
        { me: actor?.id ?? 0 },
      );
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, limit).map((p) => this.summary(p));
    return { items, nextCursor: rows.length > limit ? encodeCursor(rows[limit - 1].id) : null };
  }

  private summary(p: GovProposalEntity): ProposalSummaryView {
    return {
      id: p.id,
      body: p.body!.slug,
      bodyNameEn: p.body!.nameEn,
      bodyNameZh: p.body!.nameZh,
      kind: p.kind,
      title: p.title,
      status: p.status,
      outcome: p.outcome,
      author: userRef(p.author),
      votingOpensAt: iso(p.votingOpensAt),
      votingClosesAt: iso(p.votingClosesAt),
      closedAt: iso(p.closedAt),
      createdAt: p.createdAt.toISOString(),
    };
  }

  async get(actor: Actor | null, id: number): Promise<ProposalDetailView> {
    const m = this.dataSource.manager;
    const p = await m
      .getRepository(GovProposalEntity)
      .findOne({ where: { id }, relations: { body: true, author: true, sig: true } });
    if (!p) throw notFound('Proposal');
    const standing = await this.visible(m, actor, p);
    const [options, [{ eligible, voted }], ballots] = await Promise.all([
      m.getRepository(GovOptionEntity).find({ where: { proposalId: id }, order: { position: 'ASC' } }),
      m.query<{ eligible: number; voted: number }[]>(
        `SELECT count(*)::int AS eligible, count(*) FILTER (WHERE voted)::int AS voted FROM gov_electorate WHERE proposal_id = $1`,
        [id],
      ),
      p.ballotMode === 'roll_call'
        ? m.getRepository(GovBallotEntity).find({ where: { proposalId: id }, relations: { voter: true } })
        : Promise.resolve([]),
    ]);
    // (the viewer's own standing and a membership vote's application: independent look-ups)
    const [viewer, application] = await Promise.all([
      actor ? this.viewer(m, actor, p, standing) : null,
      p.kind === 'membership' && actor ? this.application(m, actor, p.id) : null,
    ]);
    const rollCall = ballots
      .filter((b) => b.voter)
      .sort((a, b) => a.castAt!.getTime() - b.castAt!.getTime())
      .map((b) => ({ voter: userRef(b.voter)!, vote: voteString(options, b.choice), castAt: b.castAt!.toISOString() }));
    return Object.assign(this.summary(p), {
      text: p.text,
      method: p.method,
      seats: p.seats,
      ballotMode: p.ballotMode,
      electorate: p.electorate,
      electorateMonths: p.electorateMonths,
      rules: p.rules,
      rulesFrozen: p.openedAt !== null,
      options: options.map((o) => ({ key: o.key, label: o.label, description: o.description, isNota: o.isNota })),
      sig: p.sig ? { slug: p.sig.slug, nameEn: p.sig.nameEn, nameZh: p.sig.nameZh, status: p.sig.status } : null,
      openedAt: iso(p.openedAt),
      exceptionsCloseAt: iso(p.exceptionsCloseAt),
      eligibleCount: eligible,
      votedCount: voted,
      rollCall,
      viewer,
      resultSha256: p.resultSha256,
      application,
    });
  }

  /** A membership vote's application, for those who may open it (its page answers 404 to anyone else). */
  private async application(
    m: EntityManager,
    actor: Actor,
    proposalId: number,
  ): Promise<ProposalApplicationRef | null> {
    const [o] = await m.query<(ProposalApplicationRef & { applicantId: number | null })[]>(
      `SELECT id, status, applicant_id AS "applicantId" FROM organisations WHERE proposal_id = $1`,
      [proposalId],
    );
    if (!o || !(await actorMayViewApplication(m, actor, o))) return null;
    return { id: o.id, status: o.status };
  }

  private async viewer(m: EntityManager, actor: Actor, p: GovProposalEntity, s: Standing): Promise<ProposalViewerView> {
    const [elector, request] = await Promise.all([
      m.getRepository(GovElectorEntity).findOne({ where: { proposalId: p.id, userId: actor.id } }),
      m.getRepository(GovEligibilityRequestEntity).findOne({ where: { proposalId: p.id, userId: actor.id } }),
    ]);
    const open = p.status === 'draft' || p.status === 'discussion';
    const editor = isOfficer(actor, s) || p.authorId === actor.id;
    const exceptionsOpen =
      p.status === 'discussion' || (p.status === 'voting' && !!p.exceptionsCloseAt && p.exceptionsCloseAt > new Date());
    return {
      canEdit: open && editor,
      canOpen: open && isOfficer(actor, s),
      canWithdraw: (open || p.status === 'voting') && editor,
      canExtend: p.status === 'voting' && canExtend(actor, s),
      canDecideEligibility: isOfficer(actor, s),
      eligible: !!elector,
      hasVoted: !!elector?.voted,
      canRequestEligibility: exceptionsOpen && !elector && !request && p.electorate !== 'body',
      eligibilityRequest: request?.status ?? null,
    };
  }

  // ------------------------------------------------------------ drafting

  async create(actor: Actor, dto: CreateProposalDto, meta: RequestMeta): Promise<ProposalDetailView> {
    if (dto.kind === 'sig_create') {
      throw badRequest('use_sig_proposal', 'Propose the SIG itself (POST /api/v1/sigs); its proposal is made for you.');
    }
    if (dto.kind === 'membership') {
      throw badRequest(
        'use_membership_application',
        'A member organisation nominates an application (POST /api/v1/organisations/applications/{id}/nominate); its proposal is made for you.',
      );
    }
    const election = dto.kind === 'election';
    const method = dto.method ?? defaultMethod(dto.kind);
    if (election !== (method !== 'motion')) {
      throw badRequest(
        'invalid_method',
        'Elections are counted by schulze, approval or plurality; everything else is a motion.',
        [{ field: 'method', message: 'does not fit the kind' }],
      );
    }
    if (election && !dto.options) {
      throw badRequest('options_required', 'An election needs at least two options.', [
        { field: 'options', message: 'required' },
      ]);
    }
    if (!election && (dto.options || dto.noneOfTheAbove || dto.seats)) {
      throw badRequest('options_not_allowed', 'Only elections have options and seats.', [
        { field: 'options', message: 'not allowed' },
      ]);
    }
    const id = await this.dataSource.transaction(async (m) => {
      const body = await findBody(m, dto.body);
      const standing = await standingIn(m, body.id, actor.id);
      if (!standing.member && !isAdmin(actor)) {
        throw forbidden('not_body_member', `Only members of the ${body.nameEn} may make proposals there.`);
      }
      let sigId: number | null = null;
      if (dto.kind === 'sig_archive') {
        if (!dto.sig)
          throw badRequest('sig_required', 'Name the SIG to archive.', [{ field: 'sig', message: 'required' }]);
        const sig = await findSig(m, dto.sig);
        if (sig.status !== 'active') throw conflict('sig_not_active', 'Only an active SIG can be archived.');
        sigId = sig.id;
      } else if (dto.sig) {
        throw badRequest('sig_not_allowed', 'Only SIG archival proposals name a SIG.', [
          { field: 'sig', message: 'not allowed' },
        ]);
      }
      const { rules, ballotMode } = defaultRules(body, dto.kind, dto.rules);
      this.checkRules(rules);
      const p = m.getRepository(GovProposalEntity).create({
        bodyId: body.id,
        kind: dto.kind,
        title: dto.title,
        text: dto.text ?? '',
        status: 'draft',
        authorId: actor.id,
        sigId,
        method,
        seats: dto.seats ?? 1,
        ballotMode: dto.ballotMode ?? ballotMode,
        electorate: dto.electorate ?? 'body',
        electorateMonths: dto.electorateMonths ?? null,
        rules,
      });
      await m.getRepository(GovProposalEntity).insert(p);
      if (election) await this.replaceOptions(m, p, dto);
      await appendGovAudit(m, {
        proposalId: p.id,
        bodyId: body.id,
        actorId: actor.id,
        action: 'proposal.created',
        data: { kind: p.kind, title: p.title, method, ballotMode: p.ballotMode, rules: { ...rules } },
      });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'governance.proposal.create',
        targetType: 'gov_proposal',
        targetId: p.id,
        meta,
      });
      return p.id;
    });
    return this.get(actor, id);
  }

  private checkRules(rules: GovProposalEntity['rules']): void {
    if (rules.minHours > rules.maxHours) {
      throw badRequest('invalid_rules', 'The shortest voting window is longer than the longest.', [
        { field: 'rules.minHours', message: 'greater than maxHours' },
      ]);
    }
  }

  private async replaceOptions(
    m: EntityManager,
    p: Pick<GovProposalEntity, 'id' | 'seats'>,
    dto: ProposalFieldsDto,
  ): Promise<void> {
    const given = dto.options ?? [];
    const keys = given.map((o) => o.key);
    if (new Set(keys).size !== keys.length) {
      throw badRequest('duplicate_option', 'Option keys must differ.', [
        { field: 'options', message: 'duplicate key' },
      ]);
    }
    if (dto.noneOfTheAbove && keys.includes(NOTA_KEY)) {
      throw badRequest('reserved_option', `"${NOTA_KEY}" is reserved for None of the above.`, [
        { field: 'options', message: 'reserved key' },
      ]);
    }
    if (p.seats >= given.length) {
      throw badRequest('too_few_options', 'An election needs more candidates than seats.', [
        { field: 'seats', message: 'too many' },
      ]);
    }
    await m.getRepository(GovOptionEntity).delete({ proposalId: p.id });
    const rows = given.map((o, i) => ({
      proposalId: p.id,
      key: o.key,
      label: o.label,
      description: o.description ?? '',
      position: i,
      isNota: false,
    }));
    if (dto.noneOfTheAbove) {
      rows.push({
        proposalId: p.id,
        key: NOTA_KEY,
        label: 'None of the above / 以上皆否',
        description: '',
        position: rows.length,
        isNota: true,
      });
    }
    await m.getRepository(GovOptionEntity).insert(rows);
  }

  private async lockForEdit(m: EntityManager, actor: Actor, id: number) {
    const p = await findProposal(m, id, 'update');
    const s = await this.visible(m, actor, p);
    if (!(isOfficer(actor, s) || p.authorId === actor.id)) {
      throw forbidden('not_proposal_editor', "Only the proposal's author and the body's officers may do that.");
    }
    return { p, s };
  }

  async update(actor: Actor, id: number, dto: ProposalFieldsDto, meta: RequestMeta): Promise<ProposalDetailView> {
    await this.dataSource.transaction(async (m) => {
      const { p } = await this.lockForEdit(m, actor, id);
      if (p.status !== 'draft' && p.status !== 'discussion') {
        throw conflict('proposal_frozen', 'Once voting has opened a proposal cannot change.');
      }
      const election = p.kind === 'election';
      if (!election && (dto.options || dto.noneOfTheAbove || dto.seats)) {
        throw badRequest('options_not_allowed', 'Only elections have options and seats.', [
          { field: 'options', message: 'not allowed' },
        ]);
      }
      const changes: Partial<GovProposalEntity> = { updatedAt: new Date() };
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.text !== undefined) changes.text = dto.text;
      if (dto.ballotMode !== undefined) changes.ballotMode = dto.ballotMode;
      if (dto.electorate !== undefined) changes.electorate = dto.electorate;
      if (dto.electorateMonths !== undefined) changes.electorateMonths = dto.electorateMonths;
      if (dto.seats !== undefined) changes.seats = dto.seats;
      if (dto.rules) {
        changes.rules = {
          ...p.rules,
          ...Object.fromEntries(Object.entries(dto.rules).filter(([, v]) => v !== undefined)),
        };
        this.checkRules(changes.rules);
      }
      await m.getRepository(GovProposalEntity).update({ id }, changes);
      if (election && (dto.options || dto.noneOfTheAbove !== undefined || dto.seats)) {
        const current = await m
          .getRepository(GovOptionEntity)
          .find({ where: { proposalId: id }, order: { position: 'ASC' } });
        await this.replaceOptions(
          m,
          { id: p.id, seats: changes.seats ?? p.seats },
          {
            options: dto.options ?? current.filter((o) => !o.isNota),
            noneOfTheAbove: dto.noneOfTheAbove ?? current.some((o) => o.isNota),
          },
        );
      }
      await appendGovAudit(m, {
        proposalId: id,
        bodyId: p.bodyId,
        actorId: actor.id,
        action: 'proposal.edited',
        data: { fields: Object.keys(dto).sort() },
      });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'governance.proposal.update',
        targetType: 'gov_proposal',
        targetId: id,
        meta,
      });
    });
    return this.get(actor, id);
  }

  async startDiscussion(actor: Actor, id: number): Promise<ProposalDetailView> {
    await this.dataSource.transaction(async (m) => {
      const { p } = await this.lockForEdit(m, actor, id);
      if (p.status !== 'draft') throw conflict('not_draft', 'Only a draft can be put up for discussion.');
      await m.getRepository(GovProposalEntity).update({ id }, { status: 'discussion', updatedAt: new Date() });
      await appendGovAudit(m, { proposalId: id, bodyId: p.bodyId, actorId: actor.id, action: 'proposal.discussion' });
    });
    return this.get(actor, id);
  }

  /** Officers open the vote now, or schedule it (a delayed job opens it then). */
  async open(actor: Actor, id: number, dto: OpenVotingDto): Promise<ProposalDetailView> {
    await this.dataSource.transaction(async (m) => {
      const p = await findProposal(m, id, 'update');
      const s = await this.visible(m, actor, p);
      if (!isOfficer(actor, s)) throw forbidden('not_officer', "Only the body's officers open votes.");
      if (p.kind === 'election' && (await m.getRepository(GovOptionEntity).count({ where: { proposalId: id } })) < 2) {
        throw conflict('options_required', 'An election needs at least two options.');
      }
      const opensAt = dto.opensAt ? new Date(dto.opensAt) : null;
      if (opensAt && opensAt.getTime() > Date.now() + 1000) {
        if (p.status !== 'draft' && p.status !== 'discussion') {
          throw conflict('not_openable', 'Only a draft or a proposal under discussion can open for voting.');
        }
        if (dto.hours < p.rules.minHours || dto.hours > p.rules.maxHours) {
          throw conflict(
            'window_out_of_bounds',
            `The voting window must be ${p.rules.minHours}–${p.rules.maxHours} hours.`,
          );
        }
        const closes = new Date(opensAt.getTime() + dto.hours * 3600_000);
        await m
          .getRepository(GovProposalEntity)
          .update(
            { id },
            { status: 'discussion', votingOpensAt: opensAt, votingClosesAt: closes, updatedAt: new Date() },
          );
        await this.lifecycle.scheduleOpen(m, id, opensAt);
        await appendGovAudit(m, {
          proposalId: id,
          bodyId: p.bodyId,
          actorId: actor.id,
          action: 'voting.scheduled',
          data: { opensAt: opensAt.toISOString(), closesAt: closes.toISOString() },
        });
        return;
      }
      await this.lifecycle.openIn(m, p, actor.id, dto.hours);
    });
    return this.get(actor, id);
  }

  async withdraw(actor: Actor, id: number, meta: RequestMeta): Promise<ProposalDetailView> {
    await this.dataSource.transaction(async (m) => {
      const { p } = await this.lockForEdit(m, actor, id);
      if (p.status === 'closed' || p.status === 'withdrawn')
        throw conflict('proposal_finished', 'This proposal is already finished.');
      await m.getRepository(GovProposalEntity).update({ id }, { status: 'withdrawn', updatedAt: new Date() });
      await appendGovAudit(m, {
        proposalId: id,
        bodyId: p.bodyId,
        actorId: actor.id,
        action: 'proposal.withdrawn',
        data: { from: p.status },
      });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'governance.proposal.withdraw',
        targetType: 'gov_proposal',
        targetId: id,
        meta,
      });
    });
    return this.get(actor, id);
  }

  /** The chair extends a running vote, within the rules' longest window, with a logged reason. */
  async extend(actor: Actor, id: number, dto: ExtendDto): Promise<ProposalDetailView> {
    await this.dataSource.transaction(async (m) => {
      const p = await findProposal(m, id, 'update');
      const s = await this.visible(m, actor, p);
      if (!canExtend(actor, s)) throw forbidden('not_chair', 'Only the chair or vice-chair extends a vote.');
      if (p.status !== 'voting') throw conflict('not_voting', 'Only a running vote can be extended.');
      const closes = new Date(p.votingClosesAt!.getTime() + dto.hours * 3600_000);
      const latest = new Date(p.openedAt!.getTime() + p.rules.maxHours * 3600_000);
      if (closes > latest) {
        throw conflict(
          'window_out_of_bounds',
          `A vote may run at most ${p.rules.maxHours} hours (until ${latest.toISOString()}).`,
        );
      }
      p.votingClosesAt = closes;
      await m.getRepository(GovProposalEntity).update({ id }, { votingClosesAt: closes, updatedAt: new Date() });
      await this.lifecycle.scheduleClose(m, p);
      await appendGovAudit(m, {
        proposalId: id,
        bodyId: p.bodyId,
        actorId: actor.id,
        action: 'voting.extended',
        data: { closesAt: closes.toISOString(), reason: dto.reason },
      });
    });
    return this.get(actor, id);
  }

  // ------------------------------------------------------------ discussion

  async comments(actor: Actor | null, id: number): Promise<CommentListView> {
    const p = await findProposal(this.dataSource.manager, id);
    await this.visible(this.dataSource.manager, actor, p);
    const rows = await this.dataSource
      .getRepository(GovCommentEntity)
      .find({ where: { proposalId: id }, relations: { author: true }, order: { id: 'ASC' } });
    return { items: rows.map((c) => this.commentView(c)) };
  }

  private commentView(c: GovCommentEntity): GovCommentView {
    return { id: c.id, author: userRef(c.author), body: c.body, createdAt: c.createdAt.toISOString() };
  }

  async comment(actor: Actor, id: number, body: string): Promise<GovCommentView> {
    const saved = await this.dataSource.transaction(async (m) => {
      const p = await findProposal(m, id, 'share');
      await this.visible(m, actor, p);
      if (p.status === 'withdrawn' || p.status === 'closed')
        throw conflict('discussion_closed', 'The discussion is over.');
      const c = m.getRepository(GovCommentEntity).create({ proposalId: id, authorId: actor.id, body });
      await m.getRepository(GovCommentEntity).insert(c);
      if (p.authorId && p.authorId !== actor.id) {
        await this.notifications.notify(m, p.authorId, {
          kind: 'governance.comment',
          title: l10n(`${actor.username} commented on ${p.title}`, `${actor.username} 评论了 ${p.title}`),
          link: `/governance/proposals/${id}#comment-${c.id}`,
        });
      }
      return c.id;
    });
    const c = await this.dataSource
      .getRepository(GovCommentEntity)
      .findOneOrFail({ where: { id: saved }, relations: { author: true } });
    return this.commentView(c);
  }

  // ------------------------------------------------------------ eligibility exceptions (Elekto)

  async requestEligibility(actor: Actor, id: number, reason: string): Promise<ProposalDetailView> {
    await this.dataSource.transaction(async (m) => {
      const p = await findProposal(m, id, 'share');
      await this.visible(m, actor, p);
      if (p.electorate === 'body') {
        throw conflict('body_electorate', "Only the body's members vote on this; exceptions do not apply.");
      }
      const open =
        p.status === 'discussion' ||
        (p.status === 'voting' && !!p.exceptionsCloseAt && p.exceptionsCloseAt > new Date());
      if (!open) throw conflict('exceptions_closed', 'Exception requests are closed for this vote.');
      if (await m.getRepository(GovElectorEntity).exists({ where: { proposalId: id, userId: actor.id } })) {
        throw conflict('already_eligible', 'You are already eligible.');
      }
      try {
        await m.getRepository(GovEligibilityRequestEntity).insert({ proposalId: id, userId: actor.id, reason });
      } catch (err) {
        if (isUniqueViolation(err, 'uq_gov_eligibility_requests'))
          throw conflict('request_exists', 'You have already asked.');
        throw err;
      }
      await appendGovAudit(m, { proposalId: id, bodyId: p.bodyId, actorId: actor.id, action: 'eligibility.requested' });
    });
    return this.get(actor, id);
  }

  async eligibilityRequests(actor: Actor, id: number): Promise<EligibilityRequestList> {
    const m = this.dataSource.manager;
    const p = await findProposal(m, id);
    const s = await this.visible(m, actor, p);
    if (!isOfficer(actor, s)) throw forbidden('not_officer', "Only the body's officers see exception requests.");
    const rows = await m
      .getRepository(GovEligibilityRequestEntity)
      .find({ where: { proposalId: id }, relations: { user: true }, order: { id: 'ASC' } });
    return {
      items: rows.map((r) => ({
        id: r.id,
        user: userRef(r.user)!,
        reason: r.reason,
        status: r.status,
        createdAt: r.createdAt.toISOString(),
      })),
    };
  }

  async decideEligibility(
    actor: Actor,
    id: number,
    requestId: number,
    approve: boolean,
  ): Promise<EligibilityRequestList> {
    await this.dataSource.transaction(async (m) => {
      const p = await findProposal(m, id, 'update');
      const s = await this.visible(m, actor, p);
      if (!isOfficer(actor, s)) throw forbidden('not_officer', "Only the body's officers decide exception requests.");
      const req = await m
        .getRepository(GovEligibilityRequestEntity)
        .findOne({ where: { id: requestId, proposalId: id } });
      if (!req) throw notFound('Request');
      if (req.status !== 'pending') throw conflict('already_decided', 'This request has been decided.');
      if (p.status === 'closed' || p.status === 'withdrawn')
        throw conflict('proposal_finished', 'This proposal is finished.');
      await m
        .getRepository(GovEligibilityRequestEntity)
        .update(
          { id: requestId },
          { status: approve ? 'approved' : 'declined', decidedBy: actor.id, decidedAt: new Date() },
        );
      // before the snapshot the approval waits in the request; during the vote it joins the electorate now
      if (approve && p.status === 'voting') {
        await m
          .createQueryBuilder()
          .insert()
          .into(GovElectorEntity)
          .values({ proposalId: id, userId: req.userId, source: 'exception' })
          .orIgnore()
          .execute();
      }
      await appendGovAudit(m, {
        proposalId: id,
        bodyId: p.bodyId,
        actorId: actor.id,
        action: approve ? 'eligibility.approved' : 'eligibility.declined',
        data: { requestId },
      });
      await this.notifications.notify(m, req.userId, {
        kind: 'governance.eligibility',
        title: approve
          ? l10n(`You may vote on ${p.title}`, `您可以就 ${p.title} 投票`)
          : l10n(`Your request to vote on ${p.title} was declined`, `您就 ${p.title} 投票的申请被拒绝`),
        link: `/governance/proposals/${id}`,
        email: true,
      });
    });
    return this.eligibilityRequests(actor, id);
  }

  // ------------------------------------------------------------ ballots

  /**
   * Casts or replaces the actor's ballot. The proposal row is share-locked (a close waits for
   * ballots in flight and vice versa); the ballot's key makes a second row impossible even for
   * two submissions racing each other.
   */
  async castBallot(actor: Actor, id: number, dto: BallotDto): Promise<BallotReceiptView> {
    const secret = dto.secret ?? newBallotSecret();
    const receipt = receiptFor(secret, id);
    await this.dataSource.transaction(async (m) => {
      const p = await findProposal(m, id, 'share');
      await this.visible(m, actor, p);
      if (p.status !== 'voting' || p.votingClosesAt! <= new Date())
        throw conflict('voting_closed', 'This vote is not open.');
      const elector = await m
        .getRepository(GovElectorEntity)
        .createQueryBuilder('e')
        .setLock('pessimistic_write')
        .where('e.proposal_id = :id AND e.user_id = :me', { id, me: actor.id })
        .getOne();
      if (!elector) throw forbidden('not_eligible', 'You are not eligible to vote on this proposal.');
      const options = await m
        .getRepository(GovOptionEntity)
        .find({ where: { proposalId: id }, order: { position: 'ASC' } });
      const choice = parseChoice(p.method, options, dto);
      const rollCall = p.ballotMode === 'roll_call';
      const ballotKey = this.keys.ballotKey(id, actor.id);
      try {
        await m.query(
          `INSERT INTO gov_ballots (proposal_id, ballot_key, voter_id, receipt, choice, cast_at)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6)
           ON CONFLICT (proposal_id, ballot_key) DO UPDATE SET receipt = EXCLUDED.receipt, choice = EXCLUDED.choice, cast_at = EXCLUDED.cast_at`,
          [id, ballotKey, rollCall ? actor.id : null, receipt, JSON.stringify(choice), rollCall ? new Date() : null],
        );
      } catch (err) {
        if (isUniqueViolation(err, 'uq_gov_ballots_receipt')) {
          throw conflict('receipt_taken', 'That secret is already used by another ballot; send none to get a new one.');
        }
        throw err;
      }
      if (!rollCall) await this.reshuffle(m, id, ballotKey);
      const first = !elector.voted;
      if (first) await m.getRepository(GovElectorEntity).update({ proposalId: id, userId: actor.id }, { voted: true });
      await appendGovAudit(m, {
        proposalId: id,
        bodyId: p.bodyId,
        actorId: actor.id,
        action: first ? 'ballot.cast' : 'ballot.changed',
        // what a roll-call voter chose is public; a secret ballot's is not
        data: rollCall ? { vote: voteString(options, choice) } : {},
      });
    });
    const closed = await this.lifecycle.closeIfSettled(id);
    return { receipt, secret: dto.secret ? null : secret, closed };
  }

  /**
   * Rewrites the new ballot together with up to SHUFFLE_SET others, in random order, in the
   * voter's transaction. Otherwise the row's system columns (xmin, its place in the heap) would
   * tie it to the same transaction's audit entry and electorate update, i.e. to the voter; now
   * every rewritten row carries the same transaction id and a random position.
   */
  private async reshuffle(m: EntityManager, proposalId: number, ballotKey: string): Promise<void> {
    const moved = await m.query<[GovBallotRow[], number]>(
      `DELETE FROM gov_ballots WHERE proposal_id = $1 AND (ballot_key = $2 OR ballot_key IN (
         SELECT ballot_key FROM gov_ballots WHERE proposal_id = $1 AND ballot_key <> $2 ORDER BY random() LIMIT $3))
       RETURNING proposal_id, ballot_key, voter_id, receipt, choice, cast_at`,
      [proposalId, ballotKey, SHUFFLE_SET],
    );
    const rows = moved[0];
    for (let i = rows.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    await m.query(
      `INSERT INTO gov_ballots (proposal_id, ballot_key, voter_id, receipt, choice, cast_at)
       SELECT * FROM unnest($1::int[], $2::char(64)[], $3::int[], $4::char(64)[], $5::jsonb[], $6::timestamptz[])`,
      [
        rows.map((r) => r.proposal_id),
        rows.map((r) => r.ballot_key),
        rows.map((r) => r.voter_id),
        rows.map((r) => r.receipt),
        rows.map((r) => JSON.stringify(r.choice)),
        rows.map((r) => r.cast_at),
      ],
    );
  }

  async myBallot(actor: Actor, id: number): Promise<MyBallotView> {
    const m = this.dataSource.manager;
    const p = await findProposal(m, id);
    await this.visible(m, actor, p);
    const b = await m
      .getRepository(GovBallotEntity)
      .findOne({ where: { proposalId: id, ballotKey: this.keys.ballotKey(id, actor.id) } });
    return { choice: b ? b.choice : null, receipt: b?.receipt ?? null };
  }

  /** Anyone holding a receipt secret can check that its ballot is in the box, and after the close how it was counted. */
  async checkReceipt(actor: Actor | null, id: number, secret: string): Promise<ReceiptCheckView> {
    const m = this.dataSource.manager;
    const p = await findProposal(m, id, undefined, { withResult: true });
    await this.visible(m, actor, p);
    const receipt = receiptFor(secret, id);
    if (p.result) {
      const line = (p.result as { ballots: { receipt: string; vote: string }[] }).ballots.find(
        (b) => b.receipt === receipt,
      );
      return { receipt, counted: !!line, vote: line?.vote ?? null };
    }
    const counted = await m.getRepository(GovBallotEntity).exists({ where: { proposalId: id, receipt } });
    return { receipt, counted, vote: null };
  }

  // ------------------------------------------------------------ results and the audit trail

  async result(actor: Actor | null, id: number): Promise<ResultDocument> {
    const m = this.dataSource.manager;
    const p = await findProposal(m, id, undefined, { withResult: true });
    await this.visible(m, actor, p);
    if (!p.result) throw notFound('Result');
    return { result: p.result as Record<string, unknown>, sha256: p.resultSha256! };
  }

  async resultText(actor: Actor | null, id: number): Promise<string> {
    const { result } = await this.result(actor, id);
    const r = result as {
      proposal: { id: number; title: string };
      openedAt: string;
      closedAt: string;
      electorate: number;
      rulesText: string[];
      tally: MotionResult | SchulzeResult | CountResult;
      ballots: { receipt: string; vote: string; voter?: string }[];
      outcome: string;
      turnout: number;
    };
    const sheet = renderTallySheet(
      {
        title: r.proposal.title,
        reference: `proposal ${r.proposal.id}`,
        opened: new Date(r.openedAt),
        closed: new Date(r.closedAt),
        electorate: r.electorate,
        rules: [...r.rulesText, `Turnout: ${r.turnout} of ${r.electorate}`, `Outcome: ${r.outcome}`],
      },
      r.tally,
      r.ballots.map((b) => ({ receipt: b.voter ? `${b.receipt} ${b.voter}` : b.receipt, vote: b.vote })),
    );
    return sheet;
  }

  async auditTrail(actor: Actor | null, id: number): Promise<AuditTrailView> {
    const m = this.dataSource.manager;
    const p = await findProposal(m, id);
    await this.visible(m, actor, p);
    const rows = await m.getRepository(GovAuditEntity).find({ where: { proposalId: id }, order: { id: 'ASC' } });
    const actors = rows.map((r) => r.actorId).filter((x): x is number => x !== null);
    const names = new Map(
      (actors.length
        ? await m
            .getRepository(UserEntity)
            .createQueryBuilder('u')
            .whereInIds([...new Set(actors)])
            .getMany()
        : []
      ).map((u) => [u.id, u.username]),
    );
    const check = await verifyGovAudit(m);
    return {
      items: rows.map((r) => ({
        id: r.id,
        action: r.action,
        actor: r.actorId ? (names.get(r.actorId) ?? null) : null,
        data: r.data as Record<string, unknown>,
        createdAt: r.createdAt.toISOString(),
        prevHash: r.prevHash,
        hash: r.hash,
      })),
      chainOk: check.ok,
      brokenAt: check.brokenAt,
    };
  }
}
