import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/actor';
import { isUniqueViolation } from '../../common/db-errors';
import { conflict, forbidden, notFound } from '../../common/errors';
import { AuditService } from '../audit/audit.service';
import { appendGovAudit } from '../governance/gov-audit';
import { CURRENT_TERM, isAdmin } from '../governance/gov-access';
import { defaultRules } from '../governance/gov-rules';
import { GovBodyEntity, GovProposalEntity } from '../governance/governance.entity';
import { l10n, NotificationsService } from '../notifications/notifications.service';
import type {
  DeclineApplicationDto,
  MemberOrganisationList,
  NominationDto,
  OrganisationApplicationDto,
  OrganisationApplicationView,
  OrganisationViewerView,
} from './dto/organisations.dto';
import { applicationViewer, type ApplicationViewer as Viewer, mayViewApplication } from './application-access';
import { OrganisationEntity } from './organisation.entity';

const OPEN = ['applied', 'nominated'] as const;

const organisationExists = () =>
  conflict('organisation_exists', 'An organisation of that name is a member or has applied already.', [
    { field: 'name', message: 'already taken' },
  ]);

/**
 * Council membership for organisations: an organisation applies, a member organisation's
 * representative (or an admin, to found the first members) nominates it, which puts a
 * `membership` proposal before the council; the vote's outcome is applied when it closes
 * (applyMembershipOutcome). Applications exist only for the applicant, council members, admins
 * and representatives; contact data only for the first three.
 */
@Injectable()
export class OrganisationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  async members(): Promise<MemberOrganisationList> {
    const rows = await this.dataSource.getRepository(OrganisationEntity).find({
      where: { status: 'member' },
      relations: { representative: true },
      order: { memberSince: 'ASC', id: 'ASC' },
    });
    return {
      items: rows.map((o) => ({
        id: o.id,
        name: o.name,
        website: o.website,
        description: o.description,
        representative: o.representative?.username ?? null,
        memberSince: o.memberSince!.toISOString(),
      })),
    };
  }

  async viewer(actor: Actor): Promise<OrganisationViewerView> {
    const v = await applicationViewer(this.dataSource.manager, actor);
    const repo = this.dataSource.getRepository(OrganisationEntity);
    const relations = { applicant: true, representative: true, nominator: true, nominatingOrg: true, proposal: true };
    const mine = await repo.find({ where: { applicantId: actor.id }, relations, order: { id: 'DESC' } });
    const pending =
      v.council || v.representsOrgId !== null || isAdmin(actor)
        ? await repo.find({ where: { status: In([...OPEN]) }, relations, order: { id: 'ASC' } })
        : [];
    return {
      council: v.council,
      nominator: this.canNominateAny(v),
      mine: mine.map((o) => this.view(o, v)),
      pending: pending.map((o) => this.view(o, v)),
    };
  }

  async apply(actor: Actor, dto: OrganisationApplicationDto, meta: RequestMeta): Promise<OrganisationApplicationView> {
    const id = await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(OrganisationEntity);
      const taken = await repo
        .createQueryBuilder('o')
        .where(`lower(o.name) = lower(:name) AND o.status IN ('applied', 'nominated', 'member')`, { name: dto.name })
        .getCount();
      if (taken) throw organisationExists();
      const o = repo.create({
        name: dto.name,
        website: dto.website,
        description: dto.description,
        contactName: dto.contactName,
        contactEmail: dto.contactEmail,
        contactPhone: dto.contactPhone ?? null,
        applicantId: actor.id,
        representativeId: actor.id,
        status: 'applied',
      });
      try {
        await repo.insert(o);
      } catch (e) {
        // two applications of the same name racing: the partial unique index decides
        if (isUniqueViolation(e, 'uq_organisations_name')) throw organisationExists();
        throw e;
      }
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'organisation.apply',
        targetType: 'organisation',
        targetId: o.id,
        meta,
      });
      await this.notifications.notify(m, actor.id, {
        kind: 'organisation.received',
        title: l10n(
          `We received the council membership application of ${o.name}`,
          `我们已收到 ${o.name} 的理事会成员申请`,
        ),
        body: l10n(
          'A member organisation nominates it, then the council votes. You will hear at each step.',
          '由一家成员单位提名后，理事会将进行表决。每一步都会通知您。',
        ),
        link: `/council/applications/${o.id}`,
        email: true,
      });
      for (const uid of await this.nominatorsAndCouncil(m)) {
        if (uid === actor.id) continue;
        await this.notifications.notify(m, uid, {
          kind: 'organisation.new',
          title: l10n(`New council membership application: ${o.name}`, `新的理事会成员申请：${o.name}`),
          link: `/council/applications/${o.id}`,
          email: true,
        });
      }
      return o.id;
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: number): Promise<OrganisationApplicationView> {
    const m = this.dataSource.manager;
    const o = await m.getRepository(OrganisationEntity).findOne({
      where: { id },
      relations: { applicant: true, representative: true, nominator: true, nominatingOrg: true, proposal: true },
    });
    const v = await applicationViewer(m, actor);
    if (!o || !mayViewApplication(o, v)) throw notFound('Application');
    return this.view(o, v);
  }

  async nominate(
    actor: Actor,
    id: number,
    dto: NominationDto,
    meta: RequestMeta,
  ): Promise<OrganisationApplicationView> {
    await this.dataSource.transaction(async (m) => {
      const o = await m
        .getRepository(OrganisationEntity)
        .createQueryBuilder('o')
        .setLock('pessimistic_write')
        .where('o.id = :id', { id })
        .getOne();
      const v = await applicationViewer(m, actor);
      if (!o || !mayViewApplication(o, v)) throw notFound('Application');
      if (!this.canNominateAny(v)) {
        throw forbidden(
          'not_a_member_representative',
          'Only the representative of a member organisation may nominate.',
        );
      }
      if (!(await this.nominable(m, o))) {
        throw conflict('not_nominable', 'Only an application waiting for a nomination can be nominated.');
      }
      if (o.applicantId === actor.id) throw forbidden('own_application', 'You cannot nominate your own application.');
      const council = await m.getRepository(GovBodyEntity).findOneByOrFail({ slug: 'council' });
      const { rules, ballotMode } = defaultRules(council, 'membership');
      const nominating = v.representsOrgId
        ? await m.getRepository(OrganisationEntity).findOneByOrFail({ id: v.representsOrgId })
        : null;
      const statement = dto.statement ?? '';
      const p = m.getRepository(GovProposalEntity).create({
        bodyId: council.id,
        kind: 'membership',
        title: `Admit ${o.name} to the council / 接纳 ${o.name} 为理事会成员单位`.slice(0, 200),
        text: [
          `**${o.name}** — ${o.website}`,
          '',
          o.description,
          '',
          nominating
            ? `Nominated by ${nominating.name} (${actor.username}). / 由 ${nominating.name}（${actor.username}）提名。`
            : `Nominated by ${actor.username}. / 由 ${actor.username} 提名。`,
          ...(statement ? ['', statement] : []),
        ].join('\n'),
        status: 'discussion',
        authorId: actor.id,
        sigId: null,
        method: 'motion',
        seats: 1,
        ballotMode,
        electorate: 'body',
        rules,
      });
      await m.getRepository(GovProposalEntity).insert(p);
      await appendGovAudit(m, {
        proposalId: p.id,
        bodyId: council.id,
        actorId: actor.id,
        action: 'proposal.created',
        data: { kind: 'membership', organisation: o.name, title: p.title },
      });
      await m.getRepository(OrganisationEntity).update(
        { id: o.id },
        {
          status: 'nominated',
          nominatedBy: actor.id,
          nominatingOrgId: nominating?.id ?? null,
          nominationStatement: statement,
          proposalId: p.id,
          updatedAt: new Date(),
        },
      );
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'organisation.nominate',
        targetType: 'organisation',
        targetId: o.id,
        details: { proposalId: p.id },
        meta,
      });
      const tell = new Set<number>(await this.councilIds(m));
      if (o.applicantId) tell.add(o.applicantId);
      tell.delete(actor.id);
      for (const uid of tell) {
        await this.notifications.notify(m, uid, {
          kind: 'organisation.nominated',
          title: l10n(
            `${o.name} was nominated for council membership; the council will vote`,
            `${o.name} 已获提名成为理事会成员单位，理事会将进行表决`,
          ),
          link: uid === o.applicantId ? `/council/applications/${o.id}` : `/governance/proposals/${p.id}`,
          email: true,
        });
      }
    });
    return this.get(actor, id);
  }

  async withdraw(actor: Actor, id: number): Promise<OrganisationApplicationView> {
    await this.dataSource.transaction(async (m) => {
      const o = await m
        .getRepository(OrganisationEntity)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!o || o.applicantId !== actor.id) throw notFound('Application');
      if (o.status !== 'applied') {
        throw conflict('not_withdrawable', 'Only an application not yet nominated can be withdrawn.');
      }
      await m
        .getRepository(OrganisationEntity)
        .update({ id }, { status: 'withdrawn', decidedAt: new Date(), updatedAt: new Date() });
    });
    return this.get(actor, id);
  }

  /**
   * Admins and council officers turn an application down before anyone nominates it (not an
   * organisation, a duplicate, spam): the applicant is told why. Once nominated, only the vote decides.
   */
  async decline(
    actor: Actor,
    id: number,
    dto: DeclineApplicationDto,
    meta: RequestMeta,
  ): Promise<OrganisationApplicationView> {
    await this.dataSource.transaction(async (m) => {
      const o = await m
        .getRepository(OrganisationEntity)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      const v = await applicationViewer(m, actor);
      if (!o || !mayViewApplication(o, v)) throw notFound('Application');
      if (!v.officer) throw forbidden('not_an_officer', 'Only admins and council officers may decline an application.');
      if (!(await this.nominable(m, o))) {
        throw conflict('not_declinable', 'Only an application waiting for a nomination can be declined.');
      }
      const now = new Date();
      await m
        .getRepository(OrganisationEntity)
        .update({ id }, { status: 'declined', declineReason: dto.reason, decidedAt: now, updatedAt: now });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'organisation.decline',
        targetType: 'organisation',
        targetId: o.id,
        details: { reason: dto.reason },
        meta,
      });
      if (o.applicantId && o.applicantId !== actor.id) {
        await this.notifications.notify(m, o.applicantId, {
          kind: 'organisation.declined',
          title: l10n(
            `The council membership application of ${o.name} was declined`,
            `${o.name} 的理事会成员单位申请未获通过`,
          ),
          body: dto.reason,
          link: `/council/applications/${o.id}`,
          email: true,
        });
      }
    });
    return this.get(actor, id);
  }

  private view(o: OrganisationEntity, v: Viewer): OrganisationApplicationView {
    const private_ = o.applicantId === v.actor.id || v.council;
    return {
      id: o.id,
      name: o.name,
      website: o.website,
      description: o.description,
      status: o.status,
      applicant: o.applicant?.username ?? null,
      representative: o.representative?.username ?? null,
      nominatedBy: o.nominator?.username ?? null,
      nominatingOrganisation: o.nominatingOrg?.name ?? null,
      nominationStatement: o.nominationStatement,
      proposalId: o.proposalId,
      proposalStatus: o.proposal?.status ?? null,
      contacts: private_ ? { name: o.contactName, email: o.contactEmail, phone: o.contactPhone } : null,
      canNominate:
        (o.status === 'applied' || (o.status === 'nominated' && (!o.proposal || o.proposal.status === 'withdrawn'))) &&
        this.canNominateAny(v) &&
        o.applicantId !== v.actor.id,
      canWithdraw: o.status === 'applied' && o.applicantId === v.actor.id,
      canDecline:
        v.officer &&
        (o.status === 'applied' || (o.status === 'nominated' && (!o.proposal || o.proposal.status === 'withdrawn'))),
      declineReason: o.declineReason,
      createdAt: o.createdAt.toISOString(),
      decidedAt: o.decidedAt?.toISOString() ?? null,
    };
  }

  /** Waiting for a nomination: applied, or its council proposal was withdrawn before a vote. */
  private async nominable(m: EntityManager, o: OrganisationEntity): Promise<boolean> {
    if (o.status === 'applied') return true;
    if (o.status !== 'nominated' || !o.proposalId) return false;
    const p = await m.getRepository(GovProposalEntity).findOneBy({ id: o.proposalId });
    return !p || p.status === 'withdrawn';
  }

  private canNominateAny(v: Viewer): boolean {
    return v.representsOrgId !== null || isAdmin(v.actor);
  }

  private async councilIds(m: EntityManager): Promise<number[]> {
    const rows = await m.query<{ id: number }[]>(
      `SELECT DISTINCT bm.user_id AS id FROM gov_body_members bm JOIN gov_bodies b ON b.id = bm.body_id
        WHERE b.slug = 'council' AND ${CURRENT_TERM}`,
    );
    return rows.map((r) => r.id);
  }

  private async nominatorsAndCouncil(m: EntityManager): Promise<number[]> {
    const reps = await m.query<{ id: number }[]>(
      `SELECT DISTINCT representative_id AS id FROM organisations WHERE status = 'member' AND representative_id IS NOT NULL`,
    );
    return [...new Set([...reps.map((r) => r.id), ...(await this.councilIds(m))])];
  }
}
