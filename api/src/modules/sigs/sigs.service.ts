import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/actor';
import { badRequest, conflict, FieldError, forbidden, notFound } from '../../common/errors';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import { AuditService } from '../audit/audit.service';
import { createSigCreationProposal } from '../governance/sig-lifecycle';
import { RENEW_WINDOW_DAYS } from './sig-membership.service';
import { l10n, NotificationsService } from '../notifications/notifications.service';
import { PackageEntity } from '../packages/package.entity';
import { PackageTransferEntity } from '../packages/package-transfer.entity';
import { UserEntity } from '../users/user.entity';
import type {
  ActivityPage,
  CreateSigDto,
  MemberPage,
  SigDetailView,
  SigPage,
  SigSummaryView,
  SigViewerView,
  UpdateSigDto,
} from './dto/sigs.dto';
import {
  ACTIVE_MEMBERSHIP,
  findSig,
  findUserByUsername,
  isToc,
  lockSig,
  mapUnique,
  memberIds,
  recordActivity,
  requireRank,
  activeMembership,
} from './sig-access';
import { SigActivityEntity } from './sig-activity.entity';
import { SigInviteEntity } from './sig-invite.entity';
import { SigJoinRequestEntity } from './sig-join-request.entity';
import { SIG_ROLE_RANK, SigMembershipEntity, type SigRole } from './sig-membership.entity';
import { SigEntity, type SigStatus } from './sig.entity';
import { activityView, likePattern, memberView, userRef } from './sig-views';

/** A proposal needs this many founders (OpenCloudOS SIG creation rules). */
export const MIN_FOUNDERS = 3;
const MEMBERS_PER_ROLE_IN_DETAIL = 100;
const RECENT_ACTIVITY = 20;

interface SigRow {
  id: number;
  slug: string;
  name_zh: string;
  name_en: string;
  status: SigStatus;
  mailing_list: string | null;
  meeting_cadence: SigSummaryView['meetingCadence'];
  created_at: Date;
  member_count: string;
  package_count: string;
  open_bug_count: string;
}

const summaryFromRow = (r: SigRow): SigSummaryView => ({
  slug: r.slug,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  status: r.status,
  mailingList: r.mailing_list,
  meetingCadence: r.meeting_cadence,
  memberCount: Number(r.member_count),
  packageCount: Number(r.package_count),
  openBugCount: Number(r.open_bug_count),
  createdAt: r.created_at,
});

/**
 * Open bugs everyone may know about. Counts are the same for every viewer, so a private security
 * bug never shows up as a number either.
 */
const PUBLIC_OPEN_BUG = `b.status IN ('UNCONFIRMED', 'CONFIRMED', 'IN_PROGRESS')
  AND (NOT b.is_private OR (b.embargo_until IS NOT NULL AND b.embargo_until <= now()))`;

@Injectable()
export class SigsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  async list(q: {
    status?: SigStatus;
    q?: string;
    hasOpenBugs?: boolean;
    limit?: number;
    cursor?: string;
  }): Promise<SigPage> {
    const limit = q.limit ?? 25;
    const params: unknown[] = [];
    const where: string[] = [];
    const after = decodeCursor(q.cursor);
    if (after !== null) {
      params.push(after);
      where.push(`s.id > $${params.length}`);
    }
    if (q.status) {
      params.push(q.status);
      where.push(`s.status = $${params.length}`);
    }
    if (q.q?.trim()) {
      params.push(likePattern(q.q.trim()));
      const p = `$${params.length}`;
      where.push(`(s.slug ILIKE ${p} OR s.name_zh ILIKE ${p} OR s.name_en ILIKE ${p})`);
    }
    if (q.hasOpenBugs !== undefined)
      where.push(
        `${q.hasOpenBugs ? '' : 'NOT '}EXISTS (SELECT 1 FROM bugs b WHERE b.sig_id = s.id AND ${PUBLIC_OPEN_BUG})`,
      );
    params.push(limit + 1);
    const rows = await this.dataSource.query<(SigRow & { id: number })[]>(
      `SELECT s.id, s.slug, s.name_zh, s.name_en, s.status, s.mailing_list, s.meeting_cadence, s.created_at,
              (SELECT count(*) FROM sig_memberships m WHERE m.sig_id = s.id AND ${ACTIVE_MEMBERSHIP}) AS member_count,
              (SELECT count(*) FROM packages p WHERE p.sig_id = s.id) AS package_count,
              (SELECT count(*) FROM bugs b WHERE b.sig_id = s.id AND ${PUBLIC_OPEN_BUG}) AS open_bug_count
         FROM sigs s
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY s.id ASC
        LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map(summaryFromRow),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  async get(actor: Actor | null, slug: string): Promise<SigDetailView> {
    const m = this.dataSource.manager;
    const sig = await m
      .getRepository(SigEntity)
      .findOne({ where: { slug }, relations: { tocLiaison: true, bugDefaultAssignee: true } });
    if (!sig) throw notFound('SIG');
    const members = await m
      .getRepository(SigMembershipEntity)
      .createQueryBuilder('m')
      .innerJoinAndSelect('m.user', 'u')
      .where(`m.sig_id = :id AND ${ACTIVE_MEMBERSHIP}`, { id: sig.id })
      .orderBy(`CASE m.role WHEN 'lead' THEN 0 WHEN 'maintainer' THEN 1 WHEN 'committer' THEN 2 ELSE 3 END`)
      .addOrderBy('u.username')
      .getMany();
    const byRole = { lead: [], maintainer: [], committer: [], member: [] } as SigDetailView['membersByRole'];
    for (const row of members) {
      if (byRole[row.role].length < MEMBERS_PER_ROLE_IN_DETAIL) byRole[row.role].push(memberView(row));
    }
    const counts = { lead: 0, maintainer: 0, committer: 0, member: 0, total: members.length };
    for (const row of members) counts[row.role]++;
    const packageCount = await m.getRepository(PackageEntity).count({ where: { sigId: sig.id } });
    const [{ n: openBugCount }] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM bugs b WHERE b.sig_id = $1 AND ${PUBLIC_OPEN_BUG}`,
      [sig.id],
    );
    const activity = await m
      .getRepository(SigActivityEntity)
      .find({ where: { sigId: sig.id }, relations: { actor: true }, order: { id: 'DESC' }, take: RECENT_ACTIVITY });
    return {
      slug: sig.slug,
      nameZh: sig.nameZh,
      nameEn: sig.nameEn,
      status: sig.status,
      mailingList: sig.mailingList,
      meetingCadence: sig.meetingCadence,
      memberCount: members.length,
      packageCount,
      openBugCount,
      createdAt: sig.createdAt,
      description: sig.description,
      chat: sig.chat,
      meetingUrl: sig.meetingUrl,
      tocLiaison: sig.tocLiaison ? userRef(sig.tocLiaison) : null,
      bugDefaultAssignee: sig.bugDefaultAssignee ? userRef(sig.bugDefaultAssignee) : null,
      subProjects: sig.subProjects,
      reviewers: sig.reviewers,
      proposalUrl: sig.proposalUrl,
      creationProposalId: sig.creationProposalId,
      archivalProposalId: sig.archivalProposalId,
      updatedAt: sig.updatedAt,
      approvedAt: sig.approvedAt,
      archivedAt: sig.archivedAt,
      leads: byRole.lead,
      membersByRole: byRole,
      memberCounts: counts,
      recentActivity: activity.map(activityView),
      viewer: actor ? await this.viewer(m, sig, actor, members) : null,
    };
  }

  private async viewer(
    m: EntityManager,
    sig: SigEntity,
    actor: Actor,
    members: SigMembershipEntity[],
  ): Promise<SigViewerView> {
    const mine = members.find((x) => x.userId === actor.id);
    const role = mine?.role ?? null;
    const expiresAt = mine?.expiresAt ?? null;
    const rank = role ? SIG_ROLE_RANK[role] : 0;
    const toc = isToc(actor);
    const request = await m
      .getRepository(SigJoinRequestEntity)
      .findOne({ where: { sigId: sig.id, userId: actor.id, status: 'pending' } });
    const invite = await m
      .getRepository(SigInviteEntity)
      .findOne({ where: { sigId: sig.id, userId: actor.id, status: 'pending' } });
    return {
      role,
      canManage: toc || rank >= SIG_ROLE_RANK.lead,
      canDecide: toc || rank >= SIG_ROLE_RANK.maintainer,
      canGovern: toc,
      pendingJoinRequestId: request?.id ?? null,
      pendingInviteId: invite && invite.expiresAt > new Date() ? invite.id : null,
      membershipExpiresAt: expiresAt,
      canRenew: !!expiresAt && expiresAt.getTime() - Date.now() <= RENEW_WINDOW_DAYS * 86400_000,
    };
  }

  async members(slug: string, q: { role?: SigRole; limit?: number; cursor?: string }): Promise<MemberPage> {
    const sig = await findSig(this.dataSource.manager, slug);
    const limit = q.limit ?? 50;
    const qb = this.dataSource
      .getRepository(SigMembershipEntity)
      .createQueryBuilder('m')
      .innerJoinAndSelect('m.user', 'u')
      .where(`m.sig_id = :id AND ${ACTIVE_MEMBERSHIP}`, { id: sig.id })
      .orderBy('m.id', 'ASC')
      .limit(limit + 1);
    if (q.role) qb.andWhere('m.role = :role', { role: q.role });
    const after = decodeCursor(q.cursor);
    if (after !== null) qb.andWhere('m.id > :after', { after });
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return {
      items: page.map(memberView),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  async activity(slug: string, q: { limit?: number; cursor?: string }): Promise<ActivityPage> {
    const sig = await findSig(this.dataSource.manager, slug);
    const limit = q.limit ?? 25;
    const qb = this.dataSource
      .getRepository(SigActivityEntity)
      .createQueryBuilder('a')
      .leftJoinAndSelect('a.actor', 'u')
      .where('a.sig_id = :id', { id: sig.id })
      .orderBy('a.id', 'DESC')
      .limit(limit + 1);
    const before = decodeCursor(q.cursor);
    if (before !== null) qb.andWhere('a.id < :before', { before });
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return {
      items: page.map(activityView),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  /** Usernames → users, failing with every unknown name listed under `field`. */
  private async resolveUsers(m: EntityManager, names: string[], field: string): Promise<Map<string, UserEntity>> {
    const found = new Map<string, UserEntity>();
    const errors: FieldError[] = [];
    for (const name of names) {
      const u = await findUserByUsername(m, name);
      if (u && !u.disabledAt) found.set(name, u);
      else errors.push({ field, message: `unknown user "${name}"` });
    }
    if (errors.length) throw badRequest('unknown_user', 'Some usernames do not name an account.', errors);
    return found;
  }

  /**
   * Admins and the TOC create active SIGs; anyone else proposes one, which needs at least three
   * founders (the proposer counts) and stays `proposed` until the TOC activates it.
   */
  async create(actor: Actor, dto: CreateSigDto, meta: RequestMeta): Promise<SigDetailView> {
    const toc = isToc(actor);
    let founders = [...new Set(dto.founders ?? [])];
    if (!toc) {
      founders = [actor.username, ...founders.filter((f) => f !== actor.username)];
      if (founders.length < MIN_FOUNDERS) {
        throw badRequest('too_few_founders', `A SIG proposal needs at least ${MIN_FOUNDERS} founders, you included.`, [
          { field: 'founders', message: `list at least ${MIN_FOUNDERS - 1} other founders` },
        ]);
      }
    }
    const leads = dto.leads?.length ? [...new Set(dto.leads)] : founders.slice(0, 1);
    const strangers = leads.filter((l) => !founders.includes(l));
    if (strangers.length) {
      throw badRequest('lead_not_founder', 'Leads must be among the founders.', [
        { field: 'leads', message: `not founders: ${strangers.join(', ')}` },
      ]);
    }
    await this.dataSource.transaction(async (m) => {
      const users = await this.resolveUsers(m, founders, 'founders');
      const liaison = dto.tocLiaison
        ? (await this.resolveUsers(m, [dto.tocLiaison], 'tocLiaison')).get(dto.tocLiaison)!
        : null;
      const now = new Date();
      const sig = m.getRepository(SigEntity).create({
        slug: dto.slug,
        nameZh: dto.nameZh,
        nameEn: dto.nameEn,
        description: dto.description ?? '',
        status: toc ? 'active' : 'proposed',
        mailingList: dto.mailingList ?? null,
        chat: dto.chat ?? null,
        meetingCadence: dto.meetingCadence ?? null,
        meetingUrl: dto.meetingUrl ?? null,
        tocLiaisonId: liaison?.id ?? null,
        subProjects: dto.subProjects ?? [],
        reviewers: dto.reviewers ?? [],
        proposalUrl: dto.proposalUrl ?? null,
        createdBy: actor.id,
        approvedAt: toc ? now : null,
      });
      if (await m.getRepository(SigEntity).exists({ where: { slug: dto.slug } })) {
        throw conflict('slug_taken', `There is already a SIG called "${dto.slug}".`, [
          { field: 'slug', message: 'already taken' },
        ]);
      }
      await mapUnique(m.getRepository(SigEntity).insert(sig), 'uq_sigs_slug', 'slug_taken', 'That slug is taken.');
      for (const name of founders) {
        await m.getRepository(SigMembershipEntity).insert({
          sigId: sig.id,
          userId: users.get(name)!.id,
          role: leads.includes(name) ? 'lead' : 'maintainer',
          grantedBy: actor.id,
        });
      }
      let proposalId: number | undefined;
      if (!toc) {
        proposalId = await createSigCreationProposal(m, sig, actor.id);
        await m.getRepository(SigEntity).update({ id: sig.id }, { creationProposalId: proposalId });
      }
      await recordActivity(m, sig.id, actor.id, toc ? 'sig.created' : 'sig.proposed', {
        founders,
        leads,
        ...(proposalId ? { proposalId } : {}),
      });
      await this.audit.record(m, {
        actorId: actor.id,
        action: toc ? 'sig.create' : 'sig.propose',
        targetType: 'sig',
        targetId: sig.slug,
        details: { founders, leads },
        meta,
      });
      for (const name of founders) {
        const u = users.get(name)!;
        if (u.id === actor.id) continue;
        await this.notifications.notify(m, u.id, {
          kind: 'sig.founder',
          title: l10n(`You are a founder of the ${sig.nameEn} SIG`, `您是 ${sig.nameZh} SIG 的发起人`),
          body: l10n(
            `${actor.username} listed you as a ${leads.includes(name) ? 'lead' : 'maintainer'}.`,
            `${actor.username} 将您列为${leads.includes(name) ? '负责人' : '维护者'}。`,
          ),
          link: `/sigs/${sig.slug}`,
        });
      }
    });
    return this.get(actor, dto.slug);
  }

  async update(actor: Actor, slug: string, dto: UpdateSigDto, meta: RequestMeta): Promise<SigDetailView> {
    await this.dataSource.transaction(async (m) => {
      const sig = await lockSig(m, slug);
      await requireRank(m, sig, actor, 'lead');
      if (dto.tocLiaison !== undefined && !isToc(actor)) {
        throw forbidden('toc_only', 'Only admins and the TOC may change the TOC liaison.');
      }
      const changes: Partial<SigEntity> = {};
      const simple = [
        'nameZh',
        'nameEn',
        'description',
        'mailingList',
        'chat',
        'meetingCadence',
        'meetingUrl',
        'subProjects',
        'reviewers',
        'proposalUrl',
      ] as const;
      for (const key of simple) {
        if (dto[key] !== undefined) Object.assign(changes, { [key]: dto[key] });
      }
      if (dto.tocLiaison !== undefined) {
        changes.tocLiaisonId = dto.tocLiaison
          ? (await this.resolveUsers(m, [dto.tocLiaison], 'tocLiaison')).get(dto.tocLiaison)!.id
          : null;
      }
      if (dto.bugDefaultAssignee !== undefined) {
        if (dto.bugDefaultAssignee === null) changes.bugDefaultAssigneeId = null;
        else {
          const user = (await this.resolveUsers(m, [dto.bugDefaultAssignee], 'bugDefaultAssignee')).get(
            dto.bugDefaultAssignee,
          )!;
          if (!(await activeMembership(m, sig.id, user.id)))
            throw badRequest('not_a_member', 'The default bug assignee must be a member of the SIG.', [
              { field: 'bugDefaultAssignee', message: 'not a member of this SIG' },
            ]);
          changes.bugDefaultAssigneeId = user.id;
        }
      }
      const fields = Object.keys(changes).filter(
        (k) => JSON.stringify(changes[k as keyof SigEntity]) !== JSON.stringify(sig[k as keyof SigEntity]),
      );
      if (!fields.length) return;
      await m.getRepository(SigEntity).update({ id: sig.id }, changes);
      await recordActivity(m, sig.id, actor.id, 'sig.updated', { fields });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'sig.update',
        targetType: 'sig',
        targetId: sig.slug,
        details: { fields },
        meta,
      });
    });
    return this.get(actor, slug);
  }

  /** TOC decision: a proposal (or an archived SIG) becomes active. */
  async activate(actor: Actor, slug: string, meta: RequestMeta): Promise<SigDetailView> {
    await this.dataSource.transaction(async (m) => {
      const sig = await lockSig(m, slug);
      if (sig.status === 'active') throw conflict('already_active', 'The SIG is already active.');
      await this.activateIn(m, sig, actor.id, meta);
    });
    return this.get(actor, slug);
  }

  /**
   * Activates a locked SIG inside the caller's transaction: by hand (actor) or by the outcome of a
   * governance proposal (no actor, the proposal's id recorded).
   */
  async activateIn(
    m: EntityManager,
    sig: SigEntity,
    actorId: number | null,
    meta: RequestMeta | undefined,
    proposalId?: number,
  ): Promise<void> {
    const from = sig.status;
    await m
      .getRepository(SigEntity)
      .update({ id: sig.id }, { status: 'active', approvedAt: sig.approvedAt ?? new Date(), archivedAt: null });
    await recordActivity(m, sig.id, actorId, 'sig.activated', { from, ...(proposalId ? { proposalId } : {}) });
    await this.audit.record(m, {
      actorId,
      action: 'sig.activate',
      targetType: 'sig',
      targetId: sig.slug,
      details: { from, ...(proposalId ? { proposalId } : {}) },
      meta,
    });
    for (const uid of await memberIds(m, sig.id, ['lead'])) {
      await this.notifications.notify(m, uid, {
        kind: 'sig.activated',
        title: l10n(`The ${sig.nameEn} SIG is active`, `${sig.nameZh} SIG 已启用`),
        body:
          from === 'proposed'
            ? l10n('The TOC approved the proposal.', '技术监督委员会已批准该提案。')
            : l10n('The SIG was reactivated.', '该 SIG 已重新启用。'),
        link: `/sigs/${sig.slug}`,
        email: true,
      });
    }
  }

  /** TOC decision: only a SIG that owns no packages can be archived (transfer them first). */
  async archive(actor: Actor, slug: string, meta: RequestMeta): Promise<SigDetailView> {
    await this.dataSource.transaction(async (m) => {
      const sig = await lockSig(m, slug);
      if (sig.status === 'archived') throw conflict('already_archived', 'The SIG is already archived.');
      await this.archiveIn(m, sig, actor.id, meta);
    });
    return this.get(actor, slug);
  }

  /** How many packages stop a SIG from being archived. */
  ownedPackages(m: EntityManager, sigId: number): Promise<number> {
    return m.getRepository(PackageEntity).count({ where: { sigId } });
  }

  /**
   * Archives a locked SIG inside the caller's transaction. A rejected proposal (`rejected`) ends
   * the same way: nothing can be decided in it any more.
   */
  async archiveIn(
    m: EntityManager,
    sig: SigEntity,
    actorId: number | null,
    meta: RequestMeta | undefined,
    via?: { proposalId: number; rejected?: boolean },
  ): Promise<void> {
    const owned = await this.ownedPackages(m, sig.id);
    if (owned > 0) {
      throw conflict(
        'sig_owns_packages',
        `The SIG still owns ${owned} package(s); transfer them to another SIG (e.g. deprecated) first.`,
      );
    }
    const now = new Date();
    await m.getRepository(SigEntity).update(
      { id: sig.id },
      {
        status: 'archived',
        archivedAt: now,
        ...(via && !via.rejected ? { archivalProposalId: via.proposalId } : {}),
      },
    );
    // nothing can be decided in an archived SIG any more
    await m
      .getRepository(SigJoinRequestEntity)
      .update({ sigId: sig.id, status: 'pending' }, { status: 'declined', decidedAt: now, decidedBy: actorId });
    await m
      .getRepository(SigInviteEntity)
      .update({ sigId: sig.id, status: 'pending' }, { status: 'revoked', decidedAt: now });
    await m
      .getRepository(PackageTransferEntity)
      .createQueryBuilder()
      .update()
      .set({ status: 'cancelled', decidedAt: now, decidedBy: actorId })
      .where(`status = 'pending' AND to_sig_id = :id`, { id: sig.id })
      .execute();
    const kind = via?.rejected ? 'sig.rejected' : 'sig.archived';
    const details = { from: sig.status, ...(via ? { proposalId: via.proposalId } : {}) };
    await recordActivity(m, sig.id, actorId, kind, details);
    await this.audit.record(m, {
      actorId,
      action: via?.rejected ? 'sig.reject' : 'sig.archive',
      targetType: 'sig',
      targetId: sig.slug,
      details,
      meta,
    });
  }
}
