import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/actor';
import { isUniqueViolation } from '../../common/db-errors';
import { conflict, notFound } from '../../common/errors';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { OutboxService } from '../../queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import type {
  ArtefactView,
  CreateReleaseDto,
  FileView,
  ReleaseView,
  UpdateArtefactDto,
  UpdateReleaseDto,
} from './dto/mirrors.dto';
import { isMasterBase, MirrorDirectory, rankMirrors } from './mirror-directory.service';
import { ReleaseArtefactEntity, ReleaseEntity, type ReleaseFamily } from './mirror.entity';

const VARIANT_ORDER = ['everything', 'dvd', 'minimal', 'netinst', 'boot', 'cloud', 'container'];

export function artefactView(a: ReleaseArtefactEntity): ArtefactView {
  return {
    id: a.id,
    arch: a.arch,
    variant: a.variant,
    path: a.path,
    fileName: a.path.slice(a.path.lastIndexOf('/') + 1),
    size: a.size,
    sha256: a.sha256,
    checksumPath: a.checksumPath,
    signaturePath: a.signaturePath,
  };
}

function releaseBase(r: ReleaseEntity): Omit<ReleaseView, 'artefacts'> {
  return {
    id: r.id,
    family: r.family,
    version: r.version,
    name: r.name,
    path: r.path,
    status: r.status,
    isLatest: r.isLatest,
    releasedOn: r.releasedOn,
    fullSupportUntil: r.fullSupportUntil,
    eolOn: r.eolOn,
    signingKeyPath: r.signingKeyPath,
    importedAt: r.importedAt,
  };
}

function releaseView(r: ReleaseEntity, artefacts: ReleaseArtefactEntity[]): ReleaseView {
  return Object.assign(releaseBase(r), {
    artefacts: artefacts
      .sort(
        (a, b) =>
          a.arch.localeCompare(b.arch) ||
          VARIANT_ORDER.indexOf(a.variant) - VARIANT_ORDER.indexOf(b.variant) ||
          a.path.localeCompare(b.path),
      )
      .map(artefactView),
  });
}

/** Newest first: version numbers compared as numbers (9.10 after 9.9). */
const byVersionDesc = (a: ReleaseEntity, b: ReleaseEntity): number => {
  const [a1, a2 = 0] = a.version.split('.').map(Number);
  const [b1, b2 = 0] = b.version.split('.').map(Number);
  return b1 - a1 || b2 - a2;
};

/** The release catalogue: what can be downloaded, and where each file should come from. */
@Injectable()
export class ReleasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly directory: MirrorDirectory,
  ) {}

  async list(includeDrafts: boolean): Promise<ReleaseView[]> {
    const releases = await this.dataSource
      .getRepository(ReleaseEntity)
      .find({ where: includeDrafts ? {} : { status: 'published' } });
    const artefacts = releases.length
      ? await this.dataSource.getRepository(ReleaseArtefactEntity).findBy({ releaseId: In(releases.map((r) => r.id)) })
      : [];
    const family = (f: ReleaseFamily) => (f === 'opencloudos' ? 0 : 1);
    return releases
      .sort((a, b) => family(a.family) - family(b.family) || byVersionDesc(a, b))
      .map((r) =>
        releaseView(
          r,
          artefacts.filter((a) => a.releaseId === r.id),
        ),
      );
  }

  private async find(family: ReleaseFamily, version: string): Promise<ReleaseEntity> {
    const r = await this.dataSource.getRepository(ReleaseEntity).findOneBy({ family, version });
    if (!r) throw notFound('Release');
    return r;
  }

  async get(family: ReleaseFamily, version: string, includeDrafts: boolean): Promise<ReleaseView> {
    const r = await this.find(family, version);
    if (r.status !== 'published' && !includeDrafts) throw notFound('Release');
    return releaseView(r, await this.dataSource.getRepository(ReleaseArtefactEntity).findBy({ releaseId: r.id }));
  }

  async create(actor: Actor, dto: CreateReleaseDto, meta: RequestMeta): Promise<ReleaseView> {
    try {
      await this.dataSource.transaction(async (m) => {
        if (dto.isLatest) await m.getRepository(ReleaseEntity).update({ family: dto.family }, { isLatest: false });
        await m.getRepository(ReleaseEntity).insert({
          family: dto.family,
          version: dto.version,
          name: dto.name,
          path: dto.path,
          status: dto.status ?? 'draft',
          isLatest: dto.isLatest ?? false,
          releasedOn: dto.releasedOn ?? null,
          fullSupportUntil: dto.fullSupportUntil ?? null,
          eolOn: dto.eolOn ?? null,
          signingKeyPath: dto.signingKeyPath ?? null,
        });
        await this.audit.record(m, {
          actorId: actor.id,
          action: 'release.create',
          targetType: 'release',
          targetId: `${dto.family}/${dto.version}`,
          meta,
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('release_exists', 'This release already exists.');
      throw err;
    }
    this.directory.invalidate();
    return this.get(dto.family, dto.version, true);
  }

  async update(
    actor: Actor,
    family: ReleaseFamily,
    version: string,
    dto: UpdateReleaseDto,
    meta: RequestMeta,
  ): Promise<ReleaseView> {
    const r = await this.find(family, version);
    const patch: Partial<ReleaseEntity> = {};
    for (const key of [
      'name',
      'path',
      'status',
      'isLatest',
      'releasedOn',
      'fullSupportUntil',
      'eolOn',
      'signingKeyPath',
    ] as const) {
      if (dto[key] !== undefined) Object.assign(patch, { [key]: dto[key] });
    }
    await this.dataSource.transaction(async (m) => {
      if (dto.isLatest) await m.getRepository(ReleaseEntity).update({ family }, { isLatest: false });
      if (Object.keys(patch).length) await m.getRepository(ReleaseEntity).update({ id: r.id }, patch);
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'release.update',
        targetType: 'release',
        targetId: `${family}/${version}`,
        details: { fields: Object.keys(patch) },
        meta,
      });
    });
    this.directory.invalidate();
    return this.get(family, version, true);
  }

  async updateArtefact(actor: Actor, id: number, dto: UpdateArtefactDto, meta: RequestMeta): Promise<ArtefactView> {
    const repo = this.dataSource.getRepository(ReleaseArtefactEntity);
    const a = await repo.findOneBy({ id });
    if (!a) throw notFound('Artefact');
    const patch: Partial<ReleaseArtefactEntity> = {};
    for (const key of ['variant', 'size', 'sha256', 'signaturePath'] as const) {
      if (dto[key] !== undefined) Object.assign(patch, { [key]: dto[key] });
    }
    await this.dataSource.transaction(async (m) => {
      if (Object.keys(patch).length) await m.getRepository(ReleaseArtefactEntity).update({ id }, patch);
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'release.artefact.update',
        targetType: 'artefact',
        targetId: id,
        details: { fields: Object.keys(patch) },
        meta,
      });
    });
    this.directory.invalidate();
    return artefactView(await repo.findOneByOrFail({ id }));
  }

  async queueImport(
    actor: Actor,
    family: ReleaseFamily,
    version: string,
    meta: RequestMeta,
  ): Promise<{ queued: boolean }> {
    const r = await this.find(family, version);
    await this.dataSource.transaction(async (m) => {
      await this.outbox.enqueue(m, 'mirrors.import-release', { releaseId: r.id });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'release.import',
        targetType: 'release',
        targetId: `${family}/${version}`,
        meta,
      });
    });
    return { queued: true };
  }

  /** One file of the published catalogue with the mirrors that have it, ranked for this visitor. */
  async file(path: string, country: string | null): Promise<FileView> {
    const a = await this.dataSource
      .getRepository(ReleaseArtefactEntity)
      .findOne({ where: { path }, relations: { release: true } });
    if (!a?.release || a.release.status !== 'published') throw notFound('File');
    const snapshot = await this.directory.current();
    const file = snapshot.files.get(a.path);
    const ranked = file ? rankMirrors(this.directory.forFile(snapshot, file), country) : [];
    const master = this.config.mirrorMasterUrl;
    return {
      artefact: artefactView(a),
      release: releaseBase(a.release),
      downloadPath: `/download/${a.path}`,
      signingKeyUrl: a.release.signingKeyPath ? `${master}/${a.release.signingKeyPath}` : null,
      country,
      mirrors: [
        ...ranked.map((m) => ({
          name: m.name,
          country: m.country,
          continent: m.continent,
          bucket: m.bucket,
          lastSyncAt: m.lastSyncAt,
          url: `${m.base}/${a.path}`,
        })),
        // the master last, unless it is registered as a mirror and ranked already
        ...(ranked.some((m) => isMasterBase(m.base, master))
          ? []
          : [
              {
                name: new URL(master).host,
                country: 'CN',
                continent: 'AS' as const,
                bucket: 'up-to-date' as const,
                lastSyncAt: null,
                url: `${master}/${a.path}`,
              },
            ]),
      ],
    };
  }
}
