import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/actor';
import { isUniqueViolation } from '../../common/db-errors';
import { badRequest, conflict, notFound } from '../../common/errors';
import { AuditService } from '../audit/audit.service';
import { findUserByUsername } from '../sigs/sig-access';
import type {
  AddBodyMemberDto,
  BodyDetailView,
  BodyRulesDto,
  BodyListView,
  BodyMemberView,
  BodySummaryView,
  CreateBodyDto,
  UpdateBodyDto,
  UpdateBodyMemberDto,
} from './dto/governance.dto';
import { appendGovAudit } from './gov-audit';
import { CURRENT_TERM, findBody } from './gov-access';
import { defaultRules } from './gov-rules';
import { GovBodyEntity, GovBodyMemberEntity, PROPOSAL_KINDS, type ProposalKind } from './governance.entity';

const addMonths = (d: Date, months: number): Date => {
  const out = new Date(d);
  out.setUTCMonth(out.getUTCMonth() + months);
  return out;
};

/** Governance bodies and their termed members. Only admins change them; everyone can read. */
@Injectable()
export class BodiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<BodyListView> {
    const rows = await this.dataSource.query<(Record<string, unknown> & { member_count: number })[]>(
      `SELECT b.*, (SELECT count(DISTINCT bm.user_id) FROM gov_body_members bm WHERE bm.body_id = b.id AND ${CURRENT_TERM})::int AS member_count
       FROM gov_bodies b ORDER BY b.id`,
    );
    return {
      items: rows.map((r) => ({
        slug: r.slug as string,
        nameZh: r.name_zh as string,
        nameEn: r.name_en as string,
        description: r.description as string,
        maxSeats: r.max_seats as number | null,
        termMonths: r.term_months as number,
        memberCount: r.member_count,
      })),
    };
  }

  async get(slug: string): Promise<BodyDetailView> {
    const body = await findBody(this.dataSource.manager, slug);
    const rows = await this.dataSource
      .getRepository(GovBodyMemberEntity)
      .find({ where: { bodyId: body.id }, relations: { user: true }, order: { termEnd: 'DESC' } });
    const now = Date.now();
    const views: BodyMemberView[] = rows.map((r) => ({
      id: r.id,
      user: { username: r.user!.username, displayName: r.user!.displayName },
      office: r.office,
      termStart: r.termStart.toISOString(),
      termEnd: r.termEnd.toISOString(),
      current: r.termStart.getTime() <= now && r.termEnd.getTime() > now,
    }));
    const officeOrder = { chair: 0, vice_chair: 1, secretary: 2 };
    const members = views
      .filter((v) => v.current)
      .sort(
        (a, b) =>
          (a.office ? officeOrder[a.office] : 9) - (b.office ? officeOrder[b.office] : 9) ||
          a.user.username.localeCompare(b.user.username),
      );
    return Object.assign(this.summary(body, new Set(members.map((m) => m.user.username)).size), {
      members,
      past: views.filter((v) => !v.current),
      rules: PROPOSAL_KINDS.map((kind) => ({ kind, ...defaultRules(body, kind) })),
    });
  }

  private summary(b: GovBodyEntity, memberCount: number): BodySummaryView {
    return {
      slug: b.slug,
      nameZh: b.nameZh,
      nameEn: b.nameEn,
      description: b.description,
      maxSeats: b.maxSeats,
      termMonths: b.termMonths,
      memberCount,
    };
  }

  async create(actor: Actor, dto: CreateBodyDto, meta: RequestMeta): Promise<BodyDetailView> {
    await this.dataSource.transaction(async (m) => {
      try {
        const body = m.getRepository(GovBodyEntity).create({
          slug: dto.slug,
          nameZh: dto.nameZh,
          nameEn: dto.nameEn,
          description: dto.description ?? '',
          maxSeats: dto.maxSeats ?? null,
          termMonths: dto.termMonths ?? 36,
          rules: {},
        });
        await m.getRepository(GovBodyEntity).insert(body);
        await appendGovAudit(m, {
          bodyId: body.id,
          actorId: actor.id,
          action: 'body.created',
          data: { slug: dto.slug },
        });
        await this.audit.record(m, {
          actorId: actor.id,
          action: 'governance.body.create',
          targetType: 'gov_body',
          targetId: dto.slug,
          meta,
        });
      } catch (err) {
        if (isUniqueViolation(err, 'uq_gov_bodies_slug')) {
          throw conflict('slug_taken', `There is already a body called "${dto.slug}".`, [
            { field: 'slug', message: 'taken' },
          ]);
        }
        throw err;
      }
    });
    return this.get(dto.slug);
  }

  async update(actor: Actor, slug: string, dto: UpdateBodyDto, meta: RequestMeta): Promise<BodyDetailView> {
    await this.dataSource.transaction(async (m) => {
      const body = await findBody(m, slug);
      const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
      await m.getRepository(GovBodyEntity).update({ id: body.id }, changes);
      await appendGovAudit(m, { bodyId: body.id, actorId: actor.id, action: 'body.changed', data: changes });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'governance.body.update',
        targetType: 'gov_body',
        targetId: slug,
        details: changes,
        meta,
      });
    });
    return this.get(slug);
  }

  /** A body's default rules for one kind; proposals already open keep the rules they froze. */
  async setRules(
    actor: Actor,
    slug: string,
    kind: ProposalKind,
    dto: BodyRulesDto,
    meta: RequestMeta,
  ): Promise<BodyDetailView> {
    await this.dataSource.transaction(async (m) => {
      const body = await findBody(m, slug);
      const given = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
      const next = { ...body.rules, [kind]: given };
      const { rules } = defaultRules({ rules: next }, kind);
      if (rules.minHours > rules.maxHours) {
        throw badRequest('invalid_rules', 'The shortest voting window is longer than the longest.', [
          { field: 'minHours', message: 'greater than maxHours' },
        ]);
      }
      await m.getRepository(GovBodyEntity).update({ id: body.id }, { rules: next });
      await appendGovAudit(m, {
        bodyId: body.id,
        actorId: actor.id,
        action: 'body.rules_changed',
        data: { kind, rules: given },
      });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'governance.body.rules',
        targetType: 'gov_body',
        targetId: slug,
        details: { kind, ...given },
        meta,
      });
    });
    return this.get(slug);
  }

  /** Seats are checked under a lock on the body, so two admins cannot both fill the last seat. */
  async addMember(actor: Actor, slug: string, dto: AddBodyMemberDto, meta: RequestMeta): Promise<BodyDetailView> {
    await this.dataSource.transaction(async (m) => {
      const body = await m
        .getRepository(GovBodyEntity)
        .createQueryBuilder('b')
        .setLock('pessimistic_write')
        .where('b.slug = :slug', { slug })
        .getOne();
      if (!body) throw notFound('Governance body');
      const user = await findUserByUsername(m, dto.username);
      if (!user || user.disabledAt) {
        throw badRequest('unknown_user', 'No such user.', [{ field: 'username', message: 'unknown user' }]);
      }
      const start = dto.termStart ? new Date(dto.termStart) : new Date();
      const end = dto.termEnd ? new Date(dto.termEnd) : addMonths(start, body.termMonths);
      if (end <= start) {
        throw badRequest('invalid_term', 'A term must end after it starts.', [
          { field: 'termEnd', message: 'before start' },
        ]);
      }
      const overlapping = await m.query<unknown[]>(
        `SELECT 1 FROM gov_body_members WHERE body_id = $1 AND user_id = $2 AND term_start < $4 AND term_end > $3`,
        [body.id, user.id, start, end],
      );
      if (overlapping.length)
        throw conflict('already_member', `${user.username} already has a term in this body then.`);
      if (body.maxSeats !== null) {
        // the busiest moment of the new term decides whether a seat is free
        const [{ n }] = await m.query<{ n: number }[]>(
          `SELECT count(DISTINCT user_id)::int AS n FROM gov_body_members
           WHERE body_id = $1 AND term_start < $3 AND term_end > greatest($2::timestamptz, now())`,
          [body.id, start, end],
        );
        if (n >= body.maxSeats)
          throw conflict('no_free_seat', `The ${body.nameEn} has ${body.maxSeats} seats, all taken.`);
      }
      if (dto.office) await this.vacateOffice(m, body.id, dto.office);
      await m.getRepository(GovBodyMemberEntity).insert({
        bodyId: body.id,
        userId: user.id,
        office: dto.office ?? null,
        termStart: start,
        termEnd: end,
        addedBy: actor.id,
      });
      await appendGovAudit(m, {
        bodyId: body.id,
        actorId: actor.id,
        action: 'body.member_added',
        data: {
          username: user.username,
          office: dto.office ?? null,
          termStart: start.toISOString(),
          termEnd: end.toISOString(),
        },
      });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'governance.member.add',
        targetType: 'gov_body',
        targetId: slug,
        details: { username: user.username, office: dto.office ?? null },
        meta,
      });
    });
    return this.get(slug);
  }

  /** One chair, one vice-chair, one secretary per body at a time. */
  private async vacateOffice(m: import('typeorm').EntityManager, bodyId: number, office: string): Promise<void> {
    await m.query(
      `UPDATE gov_body_members bm SET office = NULL WHERE bm.body_id = $1 AND bm.office = $2 AND ${CURRENT_TERM}`,
      [bodyId, office],
    );
  }

  async updateMember(
    actor: Actor,
    slug: string,
    id: number,
    dto: UpdateBodyMemberDto,
    meta: RequestMeta,
  ): Promise<BodyDetailView> {
    await this.dataSource.transaction(async (m) => {
      const body = await findBody(m, slug);
      const row = await m.getRepository(GovBodyMemberEntity).findOne({ where: { id, bodyId: body.id } });
      if (!row) throw notFound('Member');
      const changes: Partial<GovBodyMemberEntity> = {};
      if (dto.office !== undefined) {
        if (dto.office) await this.vacateOffice(m, body.id, dto.office);
        changes.office = dto.office;
      }
      if (dto.termEnd !== undefined) {
        const end = new Date(dto.termEnd);
        if (end <= row.termStart) {
          throw badRequest('invalid_term', 'A term must end after it starts.', [
            { field: 'termEnd', message: 'before start' },
          ]);
        }
        changes.termEnd = end;
      }
      await m.getRepository(GovBodyMemberEntity).update({ id }, changes);
      await appendGovAudit(m, {
        bodyId: body.id,
        actorId: actor.id,
        action: 'body.member_changed',
        data: { memberId: id, office: changes.office, termEnd: changes.termEnd?.toISOString() },
      });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'governance.member.update',
        targetType: 'gov_body',
        targetId: slug,
        details: { memberId: id },
        meta,
      });
    });
    return this.get(slug);
  }

  /** Ends a term now; the row stays as history. */
  async endTerm(actor: Actor, slug: string, id: number, meta: RequestMeta): Promise<BodyDetailView> {
    await this.dataSource.transaction(async (m) => {
      const body = await findBody(m, slug);
      const row = await m.getRepository(GovBodyMemberEntity).findOne({ where: { id, bodyId: body.id } });
      if (!row) throw notFound('Member');
      const now = new Date();
      if (row.termEnd <= now) throw conflict('term_over', 'This term has already ended.');
      const end = row.termStart > now ? new Date(row.termStart.getTime() + 1) : now;
      await m.getRepository(GovBodyMemberEntity).update({ id }, { termEnd: end, office: null });
      await appendGovAudit(m, {
        bodyId: body.id,
        actorId: actor.id,
        action: 'body.member_removed',
        data: { memberId: id },
      });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'governance.member.remove',
        targetType: 'gov_body',
        targetId: slug,
        details: { memberId: id },
        meta,
      });
    });
    return this.get(slug);
  }
}
