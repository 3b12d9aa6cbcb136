import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Actor, hasRole, type RequestMeta } from '../../common/actor';
import { isUniqueViolation } from '../../common/db-errors';
import { badRequest, conflict, forbidden, notFound } from '../../common/errors';
import { AuditService } from '../audit/audit.service';
import type {
  CreateMirrorDto,
  MirrorStatusPage,
  MirrorStatusQueryDto,
  MirrorView,
  OwnMirrorView,
  UpdateMirrorDto,
} from './dto/mirrors.dto';
import { MirrorDirectory } from './mirror-directory.service';
import { continentOf } from './mirror-geo';
import { BUCKETS, MirrorEntity } from './mirror.entity';

export function mirrorView(m: MirrorEntity): MirrorView {
  return {
    id: m.id,
    name: m.name,
    sponsor: m.sponsor,
    sponsorUrl: m.sponsorUrl,
    country: m.country,
    continent: m.continent,
    bandwidthMbps: m.bandwidthMbps,
    httpsUrl: m.httpsUrl,
    httpUrl: m.httpUrl,
    rsyncUrl: m.rsyncUrl,
    content: m.content,
    status: m.status,
    bucket: m.bucket,
    score: m.score,
    lastSyncAt: m.lastSyncAt,
    lastProbeAt: m.lastProbeAt,
    protocolsUp: m.protocolsUp,
    tlsValid: m.tlsValid,
    latencyMs: m.latencyMs,
    lagSeconds: m.lagSeconds,
  };
}

function ownView(m: MirrorEntity): OwnMirrorView {
  return Object.assign(mirrorView(m), {
    contactEmail: m.contactEmail,
    disabledReason: m.disabledReason,
    consecutiveFailures: m.consecutiveFailures,
    lastError: m.lastError,
    missingPaths: m.missingPaths,
    owner: m.owner?.username ?? null,
  });
}

const isAdmin = (actor: Actor): boolean => hasRole(actor, 'admin');
const UPTIME_DAYS = 7;

/** The mirror registry: operators register and edit their mirrors, admins approve and disable them. */
@Injectable()
export class MirrorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly directory: MirrorDirectory,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(MirrorEntity);
  }

  private async find(id: number): Promise<MirrorEntity> {
    const m = await this.repo.findOne({ where: { id }, relations: { owner: true } });
    if (!m) throw notFound('Mirror');
    return m;
  }

  private async mayEdit(actor: Actor, id: number): Promise<MirrorEntity> {
    const m = await this.find(id);
    // someone else's mirror is not even confirmed to exist unless it is public
    if (m.ownerId !== actor.id && !isAdmin(actor)) {
      if (m.status !== 'active') throw notFound('Mirror');
      throw forbidden('not_mirror_owner', 'Only the operator of this mirror or an admin may change it.');
    }
    return m;
  }

  private checkFields(m: Pick<MirrorEntity, 'httpsUrl' | 'httpUrl' | 'country'>): void {
    if (!m.httpsUrl && !m.httpUrl) {
      throw badRequest('validation_failed', 'A mirror needs an https or an http URL.', [
        { field: 'httpsUrl', message: 'httpsUrl or httpUrl is required' },
      ]);
    }
    if (!continentOf(m.country)) {
      throw badRequest('validation_failed', 'Unknown country code.', [
        { field: 'country', message: 'country must be an ISO 3166-1 alpha-2 code' },
      ]);
    }
  }

  async register(actor: Actor, dto: CreateMirrorDto, meta: RequestMeta): Promise<OwnMirrorView> {
    const draft = {
      name: dto.name,
      sponsor: dto.sponsor,
      sponsorUrl: dto.sponsorUrl ?? null,
      country: dto.country,
      continent: continentOf(dto.country) ?? 'AS',
      bandwidthMbps: dto.bandwidthMbps,
      contactEmail: dto.contactEmail,
      ownerId: actor.id,
      httpsUrl: dto.httpsUrl ?? null,
      httpUrl: dto.httpUrl ?? null,
      rsyncUrl: dto.rsyncUrl ?? null,
      content: dto.content ?? ['releases', 'repos', 'isos'],
      status: 'pending' as const,
    };
    this.checkFields(draft);
    try {
      const id = await this.dataSource.transaction(async (m) => {
        const res = await m.getRepository(MirrorEntity).insert(draft);
        const newId = (res.identifiers[0] as { id: number }).id;
        await this.audit.record(m, {
          actorId: actor.id,
          action: 'mirror.register',
          targetType: 'mirror',
          targetId: newId,
          meta,
        });
        return newId;
      });
      return ownView(await this.find(id));
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('mirror_name_taken', 'A mirror with this name is already registered.');
      throw err;
    }
  }

  async update(actor: Actor, id: number, dto: UpdateMirrorDto, meta: RequestMeta): Promise<OwnMirrorView> {
    const m = await this.mayEdit(actor, id);
    const patch: Partial<MirrorEntity> = {};
    for (const key of [
      'sponsor',
      'sponsorUrl',
      'bandwidthMbps',
      'contactEmail',
      'httpsUrl',
      'httpUrl',
      'rsyncUrl',
      'content',
    ] as const) {
      if (dto[key] !== undefined) Object.assign(patch, { [key]: dto[key] });
    }
    if (dto.country !== undefined) {
      patch.country = dto.country;
      patch.continent = continentOf(dto.country) ?? m.continent;
    }
    this.checkFields({
      httpsUrl: patch.httpsUrl !== undefined ? patch.httpsUrl : m.httpsUrl,
      httpUrl: patch.httpUrl !== undefined ? patch.httpUrl : m.httpUrl,
      country: patch.country ?? m.country,
    });
    await this.dataSource.transaction(async (tx) => {
      await tx.getRepository(MirrorEntity).update({ id }, patch);
      await this.audit.record(tx, {
        actorId: actor.id,
        action: 'mirror.update',
        targetType: 'mirror',
        targetId: id,
        details: { fields: Object.keys(patch) },
        meta,
      });
    });
    this.directory.invalidate();
    return ownView(await this.find(id));
  }

  async setStatus(
    actor: Actor,
    id: number,
    action: 'approve' | 'disable' | 'enable',
    reason: string | undefined,
    meta: RequestMeta,
  ): Promise<OwnMirrorView> {
    const m = await this.find(id);
    if (action === 'approve' && m.status !== 'pending')
      throw conflict('mirror_not_pending', 'This mirror is not waiting for approval.');
    if (action === 'disable' && m.status === 'disabled' && !m.autoDisabled)
      throw conflict('mirror_disabled', 'This mirror is already disabled.');
    if (action === 'enable' && m.status !== 'disabled')
      throw conflict('mirror_not_disabled', 'This mirror is not disabled.');
    const patch: Partial<MirrorEntity> =
      action === 'disable'
        ? { status: 'disabled', autoDisabled: false, disabledReason: reason?.trim() || 'disabled by an admin' }
        : {
            status: 'active',
            autoDisabled: false,
            disabledReason: null,
            consecutiveFailures: 0,
            ...(action === 'approve' ? { approvedAt: new Date() } : {}),
          };
    await this.dataSource.transaction(async (tx) => {
      await tx.getRepository(MirrorEntity).update({ id }, patch);
      await this.audit.record(tx, {
        actorId: actor.id,
        action: `mirror.${action}`,
        targetType: 'mirror',
        targetId: id,
        details: reason ? { reason } : {},
        meta,
      });
    });
    this.directory.invalidate();
    return ownView(await this.find(id));
  }

  async mine(actor: Actor): Promise<OwnMirrorView[]> {
    const rows = await this.repo.find({
      where: { ownerId: actor.id },
      relations: { owner: true },
      order: { id: 'ASC' },
    });
    return rows.map(ownView);
  }

  async adminList(status?: MirrorEntity['status']): Promise<OwnMirrorView[]> {
    const rows = await this.repo.find({
      where: status ? { status } : {},
      relations: { owner: true },
      order: { id: 'ASC' },
    });
    return rows.map(ownView);
  }

  async get(actor: Actor | null, id: number): Promise<MirrorView | OwnMirrorView> {
    const m = await this.find(id);
    const own = !!actor && (m.ownerId === actor.id || isAdmin(actor));
    if (own) return ownView(m);
    if (m.status === 'pending') throw notFound('Mirror');
    return mirrorView(m);
  }

  async publicList(): Promise<MirrorView[]> {
    const rows = await this.repo.find({ where: { status: 'active' }, order: { country: 'ASC', name: 'ASC' } });
    return rows.map(mirrorView);
  }

  /** The status board: approved mirrors (disabled ones too, flagged), with a 7-day uptime per day. */
  async status(q: MirrorStatusQueryDto): Promise<MirrorStatusPage> {
    const qb = this.repo
      .createQueryBuilder('m')
      .where(`m.status IN ('active', 'disabled') AND m.approved_at IS NOT NULL`)
      .orderBy(`array_position(ARRAY[${BUCKETS.map((b) => `'${b}'`).join(',')}]::varchar[], m.bucket)`)
      .addOrderBy('m.score', 'ASC', 'NULLS LAST')
      .addOrderBy('m.name');
    if (q.country) qb.andWhere('m.country = :country', { country: q.country });
    if (q.continent) qb.andWhere('m.continent = :continent', { continent: q.continent });
    if (q.bucket) qb.andWhere('m.bucket = :bucket', { bucket: q.bucket });
    if (q.protocol) {
      const column = q.protocol === 'https' ? 'https_url' : q.protocol === 'http' ? 'http_url' : 'rsync_url';
      qb.andWhere(`m.${column} IS NOT NULL`);
    }
    const rows = await qb.getMany();
    const days = rows.length
      ? await this.dataSource.query<{ mirror_id: number; day: string; up: string }[]>(
          `SELECT mirror_id, (current_date - (probed_at AT TIME ZONE 'UTC')::date) AS day, avg(ok::int)::float8 AS up
             FROM mirror_probes
            WHERE mirror_id = ANY($1) AND probed_at >= (current_date - ($2 - 1))::timestamp AT TIME ZONE 'UTC'
            GROUP BY 1, 2`,
          [rows.map((r) => r.id), UPTIME_DAYS],
        )
      : [];
    const byMirror = new Map<number, (number | null)[]>();
    for (const d of days) {
      const list = byMirror.get(d.mirror_id) ?? Array<number | null>(UPTIME_DAYS).fill(null);
      const index = UPTIME_DAYS - 1 - Number(d.day);
      if (index >= 0 && index < UPTIME_DAYS) list[index] = Math.round(Number(d.up) * 1000) / 1000;
      byMirror.set(d.mirror_id, list);
    }
    return {
      items: rows.map((m) => {
        const uptime7d = byMirror.get(m.id) ?? Array<number | null>(UPTIME_DAYS).fill(null);
        const known = uptime7d.filter((x): x is number => x !== null);
        return Object.assign(mirrorView(m), {
          uptime7d,
          uptime: known.length ? Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 1000) / 1000 : null,
        });
      }),
      buckets: [...BUCKETS],
      generatedAt: new Date(),
    };
  }
}
