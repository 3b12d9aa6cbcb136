import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/actor';
import { badRequest, conflict, forbidden, notFound } from '../../common/errors';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import { AuditService } from '../audit/audit.service';
import { l10n, NotificationsService } from '../notifications/notifications.service';
import type {
  ChangeRoleDto,
  InviteDto,
  InvitePage,
  InviteView,
  JoinRequestPage,
  JoinRequestView,
  MemberView,
} from './dto/sigs.dto';
import {
  activeMembership,
  countLeads,
  findSig,
  findUserByUsername,
  isToc,
  lockSig,
  mapUnique,
  memberIds,
  recordActivity,
  requireRank,
} from './sig-access';
import { SigInviteEntity, type InviteStatus } from './sig-invite.entity';
import { SigJoinRequestEntity, type JoinRequestStatus } from './sig-join-request.entity';
import { SIG_ROLE_RANK, SigMembershipEntity, type SigRole } from './sig-membership.entity';
import type { SigEntity } from './sig.entity';
import { memberView, userRef } from './sig-views';

const INVITE_DAYS = 30;

const requestView = (sig: SigEntity, r: SigJoinRequestEntity): JoinRequestView => ({
  id: r.id,
  sig: sig.slug,
  user: userRef(r.user!),
  message: r.message,
  status: r.status,
  decidedBy: r.decider?.username ?? null,
  decidedAt: r.decidedAt,
  decisionNote: r.decisionNote,
  createdAt: r.createdAt,
});

const inviteView = (sig: SigEntity, i: SigInviteEntity): InviteView => ({
  id: i.id,
  sig: sig.slug,
  user: userRef(i.user!),
  role: i.role,
  invitedBy: i.inviter?.username ?? null,
  message: i.message,
  status: i.status,
  createdAt: i.createdAt,
  expiresAt: i.expiresAt,
  decidedAt: i.decidedAt,
});

/** How long before its end a membership can be renewed, and by how much renewal extends it. */
export const RENEW_WINDOW_DAYS = 30;

const ROLE_ZH: Record<SigRole, string> = { lead: '负责人', maintainer: '维护者', committer: '提交者', member: '成员' };
export const RENEWAL_DAYS = 365;

/**
 * Joining, inviting, leaving and roles. Every change locks the SIG row first (see lockSig), so two
 * leads approving the same request, or the last two leads leaving at once, are decided one after
 * the other against fresh data.
 */
@Injectable()
export class SigMembershipService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  private static assertOpen(sig: SigEntity): void {
    if (sig.status === 'archived') throw conflict('sig_archived', 'The SIG is archived.');
  }

  private async loadRequest(m: EntityManager, sig: SigEntity, id: number): Promise<SigJoinRequestEntity> {
    const r = await m
      .getRepository(SigJoinRequestEntity)
      .findOne({ where: { id, sigId: sig.id }, relations: { user: true, decider: true } });
    if (!r) throw notFound('Join request');
    return r;
  }

  private async loadInvite(m: EntityManager, sig: SigEntity, id: number): Promise<SigInviteEntity> {
    const i = await m
      .getRepository(SigInviteEntity)
      .findOne({ where: { id, sigId: sig.id }, relations: { user: true, inviter: true } });
    if (!i) throw notFound('Invite');
    return i;
  }

  /** Inserts the membership, replacing an expired one (the unique key allows one row per user). */
  private async grant(m: EntityManager, sig: SigEntity, userId: number, role: SigRole, by: number | null) {
    if (await activeMembership(m, sig.id, userId)) {
      throw conflict('already_member', 'That user is already a member of the SIG.');
    }
    await m.getRepository(SigMembershipEntity).delete({ sigId: sig.id, userId });
    await mapUnique(
      m.getRepository(SigMembershipEntity).insert({ sigId: sig.id, userId, role, grantedBy: by }),
      'uq_sig_memberships_sig_user',
      'already_member',
      'That user is already a member of the SIG.',
    );
  }

  // ------------------------------------------------------------ join requests

  async requestToJoin(actor: Actor, slug: string, message: string, meta: RequestMeta): Promise<JoinRequestView> {
    return this.dataSource.transaction(async (m) => {
      const sig = await findSig(m, slug);
      if (sig.status !== 'active') throw conflict('sig_not_active', 'Only active SIGs take join requests.');
      if (await activeMembership(m, sig.id, actor.id)) {
        throw conflict('already_member', 'You are already a member of this SIG.');
      }
      const repo = m.getRepository(SigJoinRequestEntity);
      const row = repo.create({ sigId: sig.id, userId: actor.id, message: message.trim() });
      await mapUnique(
        repo.insert(row),
        'uq_sig_join_requests_pending',
        'join_request_pending',
        'You already asked to join this SIG; wait for a decision or withdraw it.',
      );
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'sig.join_request',
        targetType: 'sig',
        targetId: sig.slug,
        details: { requestId: row.id },
        meta,
      });
      for (const uid of await memberIds(m, sig.id, ['lead', 'maintainer'])) {
        await this.notifications.notify(m, uid, {
          kind: 'sig.join_request',
          title: l10n(
            `${actor.username} asks to join the ${sig.nameEn} SIG`,
            `${actor.username} 申请加入 ${sig.nameZh} SIG`,
          ),
          body: message.slice(0, 500),
          link: `/sigs/${sig.slug}/manage`,
        });
      }
      return requestView(sig, await this.loadRequest(m, sig, row.id));
    });
  }

  async listRequests(
    actor: Actor,
    slug: string,
    q: { status?: JoinRequestStatus; limit?: number; cursor?: string },
  ): Promise<JoinRequestPage> {
    const m = this.dataSource.manager;
    const sig = await findSig(m, slug);
    await requireRank(m, sig, actor, 'maintainer');
    const limit = q.limit ?? 25;
    const qb = m
      .getRepository(SigJoinRequestEntity)
      .createQueryBuilder('r')
      .innerJoinAndSelect('r.user', 'u')
      .leftJoinAndSelect('r.decider', 'd')
      .where('r.sig_id = :id AND r.status = :status', { id: sig.id, status: q.status ?? 'pending' })
      .orderBy('r.id', 'ASC')
      .limit(limit + 1);
    const after = decodeCursor(q.cursor);
    if (after !== null) qb.andWhere('r.id > :after', { after });
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => requestView(sig, r)),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  async decide(
    actor: Actor,
    slug: string,
    id: number,
    decision: 'approve' | 'decline',
    note: string | undefined,
    meta: RequestMeta,
  ): Promise<JoinRequestView> {
    return this.dataSource.transaction(async (m) => {
      const sig = await lockSig(m, slug);
      await requireRank(m, sig, actor, 'maintainer');
      const r = await this.loadRequest(m, sig, id);
      if (r.status !== 'pending') {
        throw conflict('request_not_pending', `This request was already ${r.status}.`);
      }
      if (decision === 'approve') {
        SigMembershipService.assertOpen(sig);
        await this.grant(m, sig, r.userId, 'member', actor.id);
      }
      const status = decision === 'approve' ? 'approved' : 'declined';
      await m
        .getRepository(SigJoinRequestEntity)
        .update({ id: r.id }, { status, decidedBy: actor.id, decidedAt: new Date(), decisionNote: note ?? null });
      if (decision === 'approve') {
        await recordActivity(m, sig.id, actor.id, 'member.joined', {
          username: r.user!.username,
          role: 'member',
          via: 'request',
        });
      }
      await this.audit.record(m, {
        actorId: actor.id,
        action: decision === 'approve' ? 'sig.join_approve' : 'sig.join_decline',
        targetType: 'sig',
        targetId: sig.slug,
        details: { requestId: r.id, userId: r.userId },
        meta,
      });
      await this.notifications.notify(m, r.userId, {
        kind: `sig.join_${status}`,
        title:
          decision === 'approve'
            ? l10n(`Welcome to the ${sig.nameEn} SIG`, `欢迎加入 ${sig.nameZh} SIG`)
            : l10n(
                `Your request to join the ${sig.nameEn} SIG was declined`,
                `您加入 ${sig.nameZh} SIG 的申请未被通过`,
              ),
        body: note ?? '',
        link: `/sigs/${sig.slug}`,
        email: true,
      });
      return requestView(sig, await this.loadRequest(m, sig, r.id));
    });
  }

  async withdraw(actor: Actor, slug: string, id: number): Promise<JoinRequestView> {
    return this.dataSource.transaction(async (m) => {
      const sig = await lockSig(m, slug);
      const r = await this.loadRequest(m, sig, id);
      if (r.userId !== actor.id) throw notFound('Join request');
      if (r.status !== 'pending') throw conflict('request_not_pending', `This request was already ${r.status}.`);
      await m
        .getRepository(SigJoinRequestEntity)
        .update({ id: r.id }, { status: 'withdrawn', decidedAt: new Date(), decidedBy: actor.id });
      return requestView(sig, await this.loadRequest(m, sig, r.id));
    });
  }

  // ------------------------------------------------------------ invites

  async invite(actor: Actor, slug: string, dto: InviteDto, meta: RequestMeta): Promise<InviteView> {
    return this.dataSource.transaction(async (m) => {
      const sig = await lockSig(m, slug);
      SigMembershipService.assertOpen(sig);
      const own = await requireRank(m, sig, actor, 'maintainer');
      const role = dto.role ?? 'member';
      // maintainers bring in members and committers; leads (and the TOC) any role
      if (!isToc(actor) && own !== 'lead' && SIG_ROLE_RANK[role] >= SIG_ROLE_RANK.maintainer) {
        throw forbidden('sig_forbidden', 'Only a lead may invite maintainers and leads.');
      }
      const user = await findUserByUsername(m, dto.username);
      if (!user || user.disabledAt) {
        throw badRequest('unknown_user', 'No such user.', [{ field: 'username', message: 'unknown user' }]);
      }
      if (await activeMembership(m, sig.id, user.id)) {
        throw conflict('already_member', 'That user is already a member of the SIG.');
      }
      const repo = m.getRepository(SigInviteEntity);
      // an invite that expired unanswered does not block a new one
      await repo
        .createQueryBuilder()
        .update()
        .set({ status: 'revoked', decidedAt: new Date() })
        .where(`sig_id = :sig AND user_id = :user AND status = 'pending' AND expires_at <= now()`, {
          sig: sig.id,
          user: user.id,
        })
        .execute();
      const row = repo.create({
        sigId: sig.id,
        userId: user.id,
        role,
        invitedBy: actor.id,
        message: dto.message?.trim() ?? '',
        expiresAt: new Date(Date.now() + INVITE_DAYS * 86400_000),
      });
      await mapUnique(
        repo.insert(row),
        'uq_sig_invites_pending',
        'invite_pending',
        'That user already has a pending invite to this SIG.',
      );
      await recordActivity(m, sig.id, actor.id, 'member.invited', { username: user.username, role });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'sig.invite_create',
        targetType: 'sig',
        targetId: sig.slug,
        details: { inviteId: row.id, userId: user.id, role },
        meta,
      });
      await this.notifications.notify(m, user.id, {
        kind: 'sig.invite',
        title: l10n(
          `${actor.username} invites you to the ${sig.nameEn} SIG as ${role}`,
          `${actor.username} 邀请您以 ${ROLE_ZH[role]} 身份加入 ${sig.nameZh} SIG`,
        ),
        body: row.message,
        link: `/sigs/${sig.slug}`,
        email: true,
      });
      return inviteView(sig, await this.loadInvite(m, sig, row.id));
    });
  }

  async listInvites(
    actor: Actor,
    slug: string,
    q: { status?: InviteStatus; limit?: number; cursor?: string },
  ): Promise<InvitePage> {
    const m = this.dataSource.manager;
    const sig = await findSig(m, slug);
    await requireRank(m, sig, actor, 'maintainer');
    const limit = q.limit ?? 25;
    const qb = m
      .getRepository(SigInviteEntity)
      .createQueryBuilder('i')
      .innerJoinAndSelect('i.user', 'u')
      .leftJoinAndSelect('i.inviter', 'b')
      .where('i.sig_id = :id AND i.status = :status', { id: sig.id, status: q.status ?? 'pending' })
      .orderBy('i.id', 'ASC')
      .limit(limit + 1);
    const after = decodeCursor(q.cursor);
    if (after !== null) qb.andWhere('i.id > :after', { after });
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return {
      items: page.map((i) => inviteView(sig, i)),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  async answerInvite(
    actor: Actor,
    slug: string,
    id: number,
    answer: 'accept' | 'decline',
    meta: RequestMeta,
  ): Promise<InviteView> {
    return this.dataSource.transaction(async (m) => {
      const sig = await lockSig(m, slug);
      const inv = await this.loadInvite(m, sig, id);
      // someone else's invite answers exactly like a missing one
      if (inv.userId !== actor.id) throw notFound('Invite');
      if (inv.status !== 'pending') throw conflict('invite_not_pending', `This invite was already ${inv.status}.`);
      if (inv.expiresAt <= new Date()) throw conflict('invite_expired', 'This invite has expired.');
      if (answer === 'accept') {
        SigMembershipService.assertOpen(sig);
        await this.grant(m, sig, actor.id, inv.role, inv.invitedBy);
        await recordActivity(m, sig.id, actor.id, 'member.joined', {
          username: actor.username,
          role: inv.role,
          via: 'invite',
        });
        await this.audit.record(m, {
          actorId: actor.id,
          action: 'sig.invite_accept',
          targetType: 'sig',
          targetId: sig.slug,
          details: { inviteId: inv.id, role: inv.role },
          meta,
        });
      }
      await m
        .getRepository(SigInviteEntity)
        .update({ id: inv.id }, { status: answer === 'accept' ? 'accepted' : 'declined', decidedAt: new Date() });
      if (inv.invitedBy) {
        await this.notifications.notify(m, inv.invitedBy, {
          kind: `sig.invite_${answer}ed`,
          title: l10n(
            `${actor.username} ${answer}ed your invite to the ${sig.nameEn} SIG`,
            `${actor.username}${answer === 'accept' ? '接受' : '拒绝'}了您发出的 ${sig.nameZh} SIG 邀请`,
          ),
          link: `/sigs/${sig.slug}`,
        });
      }
      return inviteView(sig, await this.loadInvite(m, sig, inv.id));
    });
  }

  async revokeInvite(actor: Actor, slug: string, id: number, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const sig = await lockSig(m, slug);
      await requireRank(m, sig, actor, 'maintainer');
      const inv = await this.loadInvite(m, sig, id);
      if (inv.status !== 'pending') throw conflict('invite_not_pending', `This invite was already ${inv.status}.`);
      await m.getRepository(SigInviteEntity).update({ id: inv.id }, { status: 'revoked', decidedAt: new Date() });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'sig.invite_revoke',
        targetType: 'sig',
        targetId: sig.slug,
        details: { inviteId: inv.id, userId: inv.userId },
        meta,
      });
    });
  }

  // ------------------------------------------------------------ leaving and roles

  private static lastLead(): never {
    throw conflict('last_lead', 'A SIG cannot lose its last lead: make another member a lead first.');
  }

  /**
   * Self-renewal (as in Launchpad): a member whose membership expires within RENEW_WINDOW_DAYS
   * extends it by RENEWAL_DAYS from its current end.
   */
  async renew(actor: Actor, slug: string, meta: RequestMeta): Promise<{ expiresAt: Date }> {
    return this.dataSource.transaction(async (m) => {
      const sig = await lockSig(m, slug);
      SigMembershipService.assertOpen(sig);
      const mine = await activeMembership(m, sig.id, actor.id);
      if (!mine) throw notFound('Membership');
      if (!mine.expiresAt) throw conflict('does_not_expire', 'This membership does not expire.');
      if (mine.expiresAt.getTime() - Date.now() > RENEW_WINDOW_DAYS * 86400_000) {
        throw conflict('too_early_to_renew', `Memberships can be renewed in the last ${RENEW_WINDOW_DAYS} days.`);
      }
      const expiresAt = new Date(mine.expiresAt.getTime() + RENEWAL_DAYS * 86400_000);
      await m.getRepository(SigMembershipEntity).update({ id: mine.id }, { expiresAt, expiryWarnedAt: null });
      await recordActivity(m, sig.id, actor.id, 'member.renewed', { username: actor.username, role: mine.role });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'sig.member_renew',
        targetType: 'sig',
        targetId: sig.slug,
        details: { expiresAt: expiresAt.toISOString() },
        meta,
      });
      return { expiresAt };
    });
  }

  async leave(actor: Actor, slug: string, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const sig = await lockSig(m, slug);
      const mine = await activeMembership(m, sig.id, actor.id);
      if (!mine) throw notFound('Membership');
      if (mine.role === 'lead' && (await countLeads(m, sig.id)) <= 1) SigMembershipService.lastLead();
      await m.getRepository(SigMembershipEntity).delete({ id: mine.id });
      await recordActivity(m, sig.id, actor.id, 'member.left', { username: actor.username, role: mine.role });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'sig.member_leave',
        targetType: 'sig',
        targetId: sig.slug,
        details: { userId: actor.id, role: mine.role },
        meta,
      });
    });
  }

  private async target(m: EntityManager, sig: SigEntity, username: string) {
    const user = await findUserByUsername(m, username);
    const membership = user ? await activeMembership(m, sig.id, user.id) : null;
    if (!user || !membership) throw notFound('Member');
    return { user, membership };
  }

  async changeRole(
    actor: Actor,
    slug: string,
    username: string,
    dto: ChangeRoleDto,
    meta: RequestMeta,
  ): Promise<MemberView> {
    return this.dataSource.transaction(async (m) => {
      const sig = await lockSig(m, slug);
      SigMembershipService.assertOpen(sig);
      await requireRank(m, sig, actor, 'lead');
      const { user, membership } = await this.target(m, sig, username);
      const expiresAt =
        dto.expiresAt === undefined ? membership.expiresAt : dto.expiresAt ? new Date(dto.expiresAt) : null;
      if (expiresAt && expiresAt <= new Date()) {
        throw badRequest('bad_expiry', 'expiresAt must be in the future.', [
          { field: 'expiresAt', message: 'must be in the future' },
        ]);
      }
      const demotesLead = membership.role === 'lead' && (dto.role !== 'lead' || expiresAt !== null);
      if (demotesLead && (await countLeads(m, sig.id)) <= 1) SigMembershipService.lastLead();
      await m.getRepository(SigMembershipEntity).update({ id: membership.id }, { role: dto.role, expiresAt });
      if (membership.role !== dto.role) {
        await recordActivity(m, sig.id, actor.id, 'member.role_changed', {
          username: user.username,
          from: membership.role,
          to: dto.role,
        });
      }
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'sig.member_role_change',
        targetType: 'sig',
        targetId: sig.slug,
        details: { userId: user.id, from: membership.role, to: dto.role, expiresAt },
        meta,
      });
      if (user.id !== actor.id && membership.role !== dto.role) {
        await this.notifications.notify(m, user.id, {
          kind: 'sig.role_changed',
          title: l10n(
            `You are now ${dto.role} of the ${sig.nameEn} SIG`,
            `您现在是 ${sig.nameZh} SIG 的${ROLE_ZH[dto.role]}`,
          ),
          body: l10n(
            `Changed by ${actor.username} (was ${membership.role}).`,
            `由 ${actor.username} 修改（原为${ROLE_ZH[membership.role]}）。`,
          ),
          link: `/sigs/${sig.slug}`,
          email: true,
        });
      }
      const updated = await m
        .getRepository(SigMembershipEntity)
        .findOneOrFail({ where: { id: membership.id }, relations: { user: true } });
      return memberView(updated);
    });
  }

  async remove(actor: Actor, slug: string, username: string, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const sig = await lockSig(m, slug);
      await requireRank(m, sig, actor, 'lead');
      const { user, membership } = await this.target(m, sig, username);
      if (membership.role === 'lead' && (await countLeads(m, sig.id)) <= 1) SigMembershipService.lastLead();
      await m.getRepository(SigMembershipEntity).delete({ id: membership.id });
      await recordActivity(m, sig.id, actor.id, 'member.removed', { username: user.username, role: membership.role });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'sig.member_remove',
        targetType: 'sig',
        targetId: sig.slug,
        details: { userId: user.id, role: membership.role },
        meta,
      });
      if (user.id !== actor.id) {
        await this.notifications.notify(m, user.id, {
          kind: 'sig.removed',
          title: l10n(`You were removed from the ${sig.nameEn} SIG`, `您已被移出 ${sig.nameZh} SIG`),
          body: l10n(`Removed by ${actor.username}.`, `操作人：${actor.username}。`),
          link: `/sigs/${sig.slug}`,
          email: true,
        });
      }
    });
  }
}
