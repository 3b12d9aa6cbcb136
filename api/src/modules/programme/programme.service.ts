import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/actor';
import { badRequest, conflict, forbidden, notFound } from '../../common/errors';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { AuditService } from '../audit/audit.service';
import { l10n, NotificationsService } from '../notifications/notifications.service';
import { RoleResolver } from '../users/role-providers';
import type {
  ApplicationDetailView,
  ApplicationDto,
  ApplicationPage,
  ApplicationQueryDto,
  ApplicationSummaryView,
  ProgrammeDecisionDto,
  NoteDto,
  ProgrammeNoteView,
  ProgrammeViewerView,
} from './dto/programme.dto';
import { ProgrammeApplicationEntity, ProgrammeNoteEntity, type ApplicationStatus } from './programme.entity';

const STATUS_TEXT: Record<ApplicationStatus, { en: string; 'zh-CN': string }> = {
  submitted: { en: 'received', 'zh-CN': '已收到' },
  in_review: { en: 'under review', 'zh-CN': '审核中' },
  accepted: { en: 'accepted', 'zh-CN': '已接受' },
  declined: { en: 'declined', 'zh-CN': '未通过' },
  withdrawn: { en: 'withdrawn', 'zh-CN': '已撤回' },
};
const FINAL: ApplicationStatus[] = ['accepted', 'declined', 'withdrawn'];
/** CSV cells that start like a formula are neutralised (spreadsheet injection). */
const csvCell = (v: string | number | null | undefined): string => {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The 千百双扶 programme: enterprises apply, reviewers (PROGRAMME_REVIEWER_ROLES, and admins)
 * triage, message and decide; the applicant follows the status and is mailed at every step.
 * Anyone else gets 404 for an application: it does not exist for them.
 */
@Injectable()
export class ProgrammeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly roles: RoleResolver,
  ) {}

  get retentionDays(): number {
    return this.config.programmeRetentionDays;
  }

  isReviewer(actor: Actor | null): boolean {
    return (
      !!actor &&
      (actor.roles.includes('admin') || actor.roles.some((r) => this.config.programmeReviewerRoles.includes(r)))
    );
  }

  private summary(a: ProgrammeApplicationEntity): ApplicationSummaryView {
    return {
      id: a.id,
      company: a.company,
      companySize: a.companySize,
      industry: a.industry,
      serverCount: a.serverCount,
      timeline: a.timeline,
      status: a.status,
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
    };
  }

  async viewer(actor: Actor): Promise<ProgrammeViewerView> {
    const mine = await this.dataSource
      .getRepository(ProgrammeApplicationEntity)
      .find({ where: { applicantId: actor.id }, order: { id: 'DESC' } });
    return { reviewer: this.isReviewer(actor), mine: mine.map((a) => this.summary(a)) };
  }

  async apply(actor: Actor, dto: ApplicationDto, meta: RequestMeta): Promise<ApplicationDetailView> {
    const id = await this.dataSource.transaction(async (m) => {
      const open = await m
        .getRepository(ProgrammeApplicationEntity)
        .createQueryBuilder('a')
        .where(`a.applicant_id = :me AND a.status IN ('submitted', 'in_review')`, { me: actor.id })
        .getCount();
      if (open >= 3)
        throw conflict('too_many_open_applications', 'You already have three applications waiting for a decision.');
      const a = m.getRepository(ProgrammeApplicationEntity).create({
        company: dto.company,
        companySize: dto.companySize,
        industry: dto.industry,
        currentOs: dto.currentOs,
        serverCount: dto.serverCount,
        timeline: dto.timeline,
        needs: dto.needs,
        contactName: dto.contactName,
        contactEmail: dto.contactEmail,
        contactPhone: dto.contactPhone ?? null,
        message: dto.message ?? '',
        applicantId: actor.id,
        status: 'submitted',
      });
      await m.getRepository(ProgrammeApplicationEntity).insert(a);
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'programme.apply',
        targetType: 'programme_application',
        targetId: a.id,
        meta,
      });
      await this.notifications.notify(m, actor.id, {
        kind: 'programme.received',
        title: l10n(`We received the 千百双扶 application of ${a.company}`, `我们已收到 ${a.company} 的千百双扶申请`),
        body: l10n('Reviewers will reply here and by e-mail.', '审核人员会在此处并通过电子邮件回复您。'),
        link: `/programme/applications/${a.id}`,
        email: true,
      });
      for (const uid of await this.reviewerIds()) {
        if (uid === actor.id) continue;
        await this.notifications.notify(m, uid, {
          kind: 'programme.new',
          title: l10n(`New 千百双扶 application: ${a.company}`, `新的千百双扶申请：${a.company}`),
          link: `/programme/applications/${a.id}`,
          email: true,
        });
      }
      return a.id;
    });
    return this.get(actor, id);
  }

  /** Admins and everyone holding one of the configured reviewer roles now. */
  private async reviewerIds(): Promise<number[]> {
    const lists = await Promise.all(
      ['admin', ...this.config.programmeReviewerRoles].map((r) => this.roles.holdersOf(r)),
    );
    return [...new Set(lists.flat())];
  }

  /** The application, if the actor may see it; otherwise it does not exist. */
  private async visible(m: EntityManager, actor: Actor, id: number): Promise<ProgrammeApplicationEntity> {
    const a = await m
      .getRepository(ProgrammeApplicationEntity)
      .findOne({ where: { id }, relations: { applicant: true } });
    if (!a || !(this.isReviewer(actor) || a.applicantId === actor.id)) throw notFound('Application');
    return a;
  }

  async get(actor: Actor, id: number): Promise<ApplicationDetailView> {
    const m = this.dataSource.manager;
    const a = await this.visible(m, actor, id);
    const reviewer = this.isReviewer(actor);
    const notes = await m
      .getRepository(ProgrammeNoteEntity)
      .find({ where: { applicationId: id }, relations: { author: true }, order: { id: 'ASC' } });
    return Object.assign(this.summary(a), {
      currentOs: a.currentOs,
      needs: a.needs,
      contactName: a.contactName,
      contactEmail: a.contactEmail,
      contactPhone: a.contactPhone,
      message: a.message,
      applicant: a.applicant?.username ?? null,
      decidedAt: a.decidedAt?.toISOString() ?? null,
      notes: notes
        .filter((n) => reviewer || !n.internal)
        .map((n): ProgrammeNoteView => ({
          id: n.id,
          author: n.author?.username ?? null,
          body: n.body,
          internal: n.internal,
          statusChange: n.statusChange,
          createdAt: n.createdAt.toISOString(),
        })),
      reviewer,
    });
  }

  async list(actor: Actor, q: ApplicationQueryDto): Promise<ApplicationPage> {
    if (!this.isReviewer(actor)) throw forbidden('not_reviewer', 'Only programme reviewers see all applications.');
    const limit = q.limit ?? 25;
    const qb = this.dataSource
      .getRepository(ProgrammeApplicationEntity)
      .createQueryBuilder('a')
      .orderBy('a.id', 'DESC')
      .limit(limit + 1);
    if (q.status) qb.andWhere('a.status = :status', { status: q.status });
    const before = decodeCursor(q.cursor);
    if (q.cursor && !before) throw badRequest('invalid_cursor', 'This cursor is not valid.');
    if (before) qb.andWhere('a.id < :before', { before });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit).map((a) => this.summary(a));
    return { items, nextCursor: rows.length > limit ? encodeCursor(rows[limit - 1].id) : null };
  }

  async note(actor: Actor, id: number, dto: NoteDto): Promise<ApplicationDetailView> {
    await this.dataSource.transaction(async (m) => {
      const a = await this.visible(m, actor, id);
      const reviewer = this.isReviewer(actor);
      if (dto.internal && !reviewer) throw forbidden('not_reviewer', 'Only reviewers write internal notes.');
      if (a.status === 'withdrawn') throw conflict('application_withdrawn', 'This application was withdrawn.');
      await m
        .getRepository(ProgrammeNoteEntity)
        .insert({ applicationId: id, authorId: actor.id, body: dto.body, internal: !!dto.internal });
      await m.getRepository(ProgrammeApplicationEntity).update({ id }, { updatedAt: new Date() });
      if (dto.internal) return;
      // a message goes to the other side: reviewers' replies to the applicant, the applicant's to the reviewers
      const to = a.applicantId === actor.id ? await this.reviewerIds() : a.applicantId ? [a.applicantId] : [];
      for (const uid of to) {
        if (uid === actor.id) continue;
        await this.notifications.notify(m, uid, {
          kind: 'programme.message',
          title: l10n(
            `New message about the 千百双扶 application of ${a.company}`,
            `关于 ${a.company} 千百双扶申请的新消息`,
          ),
          body: l10n(dto.body, dto.body),
          link: `/programme/applications/${id}`,
          email: true,
        });
      }
    });
    return this.get(actor, id);
  }

  async decide(actor: Actor, id: number, dto: ProgrammeDecisionDto, meta: RequestMeta): Promise<ApplicationDetailView> {
    if (!this.isReviewer(actor)) throw notFound('Application');
    await this.dataSource.transaction(async (m) => {
      const a = await m
        .getRepository(ProgrammeApplicationEntity)
        .createQueryBuilder('a')
        .setLock('pessimistic_write')
        .where('a.id = :id', { id })
        .getOne();
      if (!a) throw notFound('Application');
      if (FINAL.includes(a.status)) throw conflict('application_decided', `This application is already ${a.status}.`);
      if (a.status === dto.status) throw conflict('same_status', `The application is already ${dto.status}.`);
      const final = dto.status !== 'in_review';
      await m.getRepository(ProgrammeApplicationEntity).update(
        { id },
        {
          status: dto.status,
          updatedAt: new Date(),
          ...(final ? { decidedAt: new Date(), decidedBy: actor.id } : {}),
        },
      );
      await m.getRepository(ProgrammeNoteEntity).insert({
        applicationId: id,
        authorId: actor.id,
        body: dto.message ?? '',
        internal: false,
        statusChange: dto.status,
      });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'programme.decide',
        targetType: 'programme_application',
        targetId: id,
        details: { status: dto.status },
        meta,
      });
      if (a.applicantId) {
        const text = STATUS_TEXT[dto.status];
        await this.notifications.notify(m, a.applicantId, {
          kind: 'programme.status',
          title: l10n(
            `Your 千百双扶 application for ${a.company} is ${text.en}`,
            `${a.company} 的千百双扶申请${text['zh-CN']}`,
          ),
          body: dto.message ? l10n(dto.message, dto.message) : undefined,
          link: `/programme/applications/${id}`,
          email: true,
        });
      }
    });
    return this.get(actor, id);
  }

  async withdraw(actor: Actor, id: number): Promise<ApplicationDetailView> {
    await this.dataSource.transaction(async (m) => {
      const a = await this.visible(m, actor, id);
      if (a.applicantId !== actor.id) throw forbidden('not_applicant', 'Only the applicant withdraws an application.');
      if (FINAL.includes(a.status)) throw conflict('application_decided', `This application is already ${a.status}.`);
      await m
        .getRepository(ProgrammeApplicationEntity)
        .update({ id }, { status: 'withdrawn', decidedAt: new Date(), updatedAt: new Date() });
      await m
        .getRepository(ProgrammeNoteEntity)
        .insert({ applicationId: id, authorId: actor.id, body: '', statusChange: 'withdrawn' });
    });
    return this.get(actor, id);
  }

  /** Every application as CSV (admins), newest first. */
  async exportCsv(actor: Actor, meta: RequestMeta): Promise<string> {
    const rows = await this.dataSource
      .getRepository(ProgrammeApplicationEntity)
      .find({ relations: { applicant: true }, order: { id: 'DESC' } });
    await this.audit.record(null, {
      actorId: actor.id,
      action: 'programme.export',
      details: { rows: rows.length },
      meta,
    });
    const header = [
      'id',
      'created_at',
      'status',
      'company',
      'company_size',
      'industry',
      'current_os',
      'server_count',
      'timeline',
      'needs',
      'contact_name',
      'contact_email',
      'contact_phone',
      'applicant',
      'decided_at',
    ];
    const lines = rows.map((a) =>
      [
        a.id,
        a.createdAt.toISOString(),
        a.status,
        a.company,
        a.companySize,
        a.industry,
        a.currentOs,
        a.serverCount,
        a.timeline,
        a.needs.join(' '),
        a.contactName,
        a.contactEmail,
        a.contactPhone,
        a.applicant?.username ?? '',
        a.decidedAt?.toISOString() ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
    // a BOM so spreadsheet programs read the Chinese names as UTF-8
    return `\ufeff${[header.join(','), ...lines].join('\r\n')}\r\n`;
  }

  /**
   * Erases the personal data of applications decided or withdrawn more than the retention period
   * ago: the row stays (counts, the company's size and industry) without names, addresses,
   * messages or notes.
   */
  async purgeExpired(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const [rows] = await m.query<[{ id: number }[], number]>(
        `UPDATE programme_applications SET company = '(erased)', contact_name = '(erased)', contact_email = '(erased)',
                contact_phone = NULL, message = '', current_os = '(erased)', applicant_id = NULL, updated_at = now()
          WHERE decided_at < now() - make_interval(days => $1) AND contact_email <> '(erased)'
          RETURNING id`,
        [this.config.programmeRetentionDays],
      );
      if (rows.length) {
        await m.query(`DELETE FROM programme_notes WHERE application_id = ANY($1)`, [rows.map((r) => r.id)]);
      }
      return rows.length;
    });
  }
}
