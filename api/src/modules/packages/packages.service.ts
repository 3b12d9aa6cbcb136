import { Injectable, PipeTransform } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/actor';
import { conflict, forbidden, notFound } from '../../common/errors';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import { AuditService } from '../audit/audit.service';
import { rerouteOpenBugs } from '../bugs/bug-routing';
import { l10n, NotificationsService } from '../notifications/notifications.service';
import { findSig, isToc, lockSig, lockSigById, mapUnique, memberIds, recordActivity, roleIn } from '../sigs/sig-access';
import type { SigEntity } from '../sigs/sig.entity';
import { likePattern } from '../sigs/sig-views';
import { SIG_ROLE_RANK } from '../sigs/sig-membership.entity';
import type {
  CreatePackageDto,
  PackageDetailView,
  PackagePage,
  PackageView,
  SigRefView,
  TransferPage,
  TransferRequestDto,
  TransferView,
  UpdatePackageDto,
} from './dto/packages.dto';
import { PackageTransferEntity, type TransferStatus } from './package-transfer.entity';
import { PACKAGE_NAME, PackageEntity } from './package.entity';

@Injectable()
export class PackageNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!PACKAGE_NAME.test(value)) throw notFound('Package');
    return value;
  }
}

const sigRef = (s: SigEntity): SigRefView => ({ slug: s.slug, nameZh: s.nameZh, nameEn: s.nameEn });

const packageView = (p: PackageEntity): PackageView => ({
  id: p.id,
  name: p.name,
  description: p.description,
  upstreamUrl: p.upstreamUrl,
  branches: p.branches,
  reviewers: p.reviewers,
  sig: sigRef(p.sig!),
  gitee: !p.giteeOrg
    ? null
    : {
        org: p.giteeOrg,
        defaultBranch: p.defaultBranch,
        pushedAt: p.pushedAt,
        archived: p.archived,
        removedAt: p.removedAt,
      },
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

const transferView = (t: PackageTransferEntity): TransferView => ({
  id: t.id,
  package: t.package!.name,
  from: sigRef(t.fromSig!),
  to: sigRef(t.toSig!),
  requestedBy: t.requester?.username ?? null,
  reason: t.reason,
  status: t.status,
  fromApprovedBy: t.fromApprover?.username ?? null,
  fromApprovedAt: t.fromApprovedAt,
  toApprovedBy: t.toApprover?.username ?? null,
  toApprovedAt: t.toApprovedAt,
  decidedBy: t.decider?.username ?? null,
  decidedAt: t.decidedAt,
  createdAt: t.createdAt,
});

const TRANSFER_RELATIONS = {
  package: true,
  fromSig: true,
  toSig: true,
  requester: true,
  fromApprover: true,
  toApprover: true,
  decider: true,
} as const;

/**
 * Packages and who owns them. Creating and deleting packages is for admins; the owning SIG's
 * leads and maintainers may edit descriptive fields; ownership only changes through a transfer
 * that a lead of each side (or an admin/TOC member) approves.
 */
@Injectable()
export class PackagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  async list(q: { q?: string; sig?: string; limit?: number; cursor?: string }): Promise<PackagePage> {
    const limit = q.limit ?? 50;
    const qb = this.dataSource
      .getRepository(PackageEntity)
      .createQueryBuilder('p')
      .innerJoinAndSelect('p.sig', 's')
      .orderBy('p.id', 'ASC')
      .limit(limit + 1);
    if (q.sig) {
      const sig = await findSig(this.dataSource.manager, q.sig);
      qb.andWhere('p.sig_id = :sigId', { sigId: sig.id });
    }
    if (q.q?.trim()) qb.andWhere('p.name ILIKE :q', { q: likePattern(q.q.trim()) });
    const after = decodeCursor(q.cursor);
    if (after !== null) qb.andWhere('p.id > :after', { after });
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return {
      items: page.map(packageView),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  private async load(m: EntityManager, name: string, lock = false): Promise<PackageEntity> {
    const qb = m.getRepository(PackageEntity).createQueryBuilder('p').where('p.name = :name', { name });
    if (lock) qb.setLock('pessimistic_write');
    const p = await qb.getOne();
    if (!p) throw notFound('Package');
    return p;
  }

  async get(name: string): Promise<PackageDetailView> {
    const m = this.dataSource.manager;
    const p = await m.getRepository(PackageEntity).findOne({ where: { name }, relations: { sig: true } });
    if (!p) throw notFound('Package');
    const transfers = await m
      .getRepository(PackageTransferEntity)
      .find({ where: { packageId: p.id }, relations: TRANSFER_RELATIONS, order: { id: 'DESC' }, take: 50 });
    return Object.assign(packageView(p), { transfers: transfers.map(transferView) });
  }

  async create(actor: Actor, dto: CreatePackageDto, meta: RequestMeta): Promise<PackageDetailView> {
    await this.dataSource.transaction(async (m) => {
      // a share lock: archiving the SIG meanwhile would leave it owning a package
      const sig = await lockSig(m, dto.sig, 'share');
      if (sig.status === 'archived') throw conflict('sig_archived', 'An archived SIG cannot own packages.');
      if (await m.getRepository(PackageEntity).exists({ where: { name: dto.name } })) {
        throw conflict('package_exists', `There is already a package called "${dto.name}".`, [
          { field: 'name', message: 'already exists' },
        ]);
      }
      const row = m.getRepository(PackageEntity).create({
        name: dto.name,
        description: dto.description ?? '',
        upstreamUrl: dto.upstreamUrl ?? null,
        branches: dto.branches ?? [],
        reviewers: dto.reviewers ?? [],
        sigId: sig.id,
      });
      await mapUnique(m.getRepository(PackageEntity).insert(row), 'uq_packages_name', 'package_exists', 'Exists.');
      await recordActivity(m, sig.id, actor.id, 'package.added', { package: row.name });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'package.create',
        targetType: 'package',
        targetId: row.name,
        details: { sig: sig.slug },
        meta,
      });
    });
    return this.get(dto.name);
  }

  async update(actor: Actor, name: string, dto: UpdatePackageDto): Promise<PackageDetailView> {
    await this.dataSource.transaction(async (m) => {
      const p = await this.load(m, name, true);
      const role = await roleIn(m, p.sigId, actor);
      if (!isToc(actor) && !(role && SIG_ROLE_RANK[role] >= SIG_ROLE_RANK.maintainer)) {
        throw forbidden('sig_forbidden', "Only the owning SIG's leads and maintainers may edit a package.");
      }
      const changes: Partial<PackageEntity> = {};
      if (dto.description !== undefined) changes.description = dto.description;
      if (dto.upstreamUrl !== undefined) changes.upstreamUrl = dto.upstreamUrl;
      if (dto.branches !== undefined) changes.branches = dto.branches;
      if (dto.reviewers !== undefined) changes.reviewers = dto.reviewers;
      if (Object.keys(changes).length) await m.getRepository(PackageEntity).update({ id: p.id }, changes);
    });
    return this.get(name);
  }

  async remove(actor: Actor, name: string, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const p = await this.load(m, name, true);
      await m.getRepository(PackageEntity).delete({ id: p.id });
      await recordActivity(m, p.sigId, actor.id, 'package.removed', { package: p.name });
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'package.delete',
        targetType: 'package',
        targetId: p.name,
        details: { sigId: p.sigId },
        meta,
      });
    });
  }

  // ------------------------------------------------------------ ownership transfers

  private async isLead(m: EntityManager, sigId: number, actor: Actor): Promise<boolean> {
    return (await roleIn(m, sigId, actor)) === 'lead';
  }

  private async loadTransfer(m: EntityManager, id: number): Promise<PackageTransferEntity> {
    return m.getRepository(PackageTransferEntity).findOneOrFail({ where: { id }, relations: TRANSFER_RELATIONS });
  }

  async requestTransfer(actor: Actor, name: string, dto: TransferRequestDto, meta: RequestMeta): Promise<TransferView> {
    return this.dataSource.transaction(async (m) => {
      const p = await this.load(m, name, true);
      const from = await lockSigById(m, p.sigId, 'share');
      const to = await lockSig(m, dto.toSig, 'share');
      if (to.id === from.id) throw conflict('same_sig', `${p.name} already belongs to ${to.slug}.`);
      if (to.status === 'archived') throw conflict('sig_archived', 'An archived SIG cannot receive packages.');
      const leadsFrom = await this.isLead(m, from.id, actor);
      const leadsTo = await this.isLead(m, to.id, actor);
      if (!leadsFrom && !leadsTo && !isToc(actor)) {
        throw forbidden('sig_forbidden', 'Only a lead of either SIG (or an admin/TOC member) may request a transfer.');
      }
      const now = new Date();
      // the requester's own side counts as approved
      const row = m.getRepository(PackageTransferEntity).create({
        packageId: p.id,
        fromSigId: from.id,
        toSigId: to.id,
        requestedBy: actor.id,
        reason: dto.reason?.trim() ?? '',
        fromApprovedBy: leadsFrom ? actor.id : null,
        fromApprovedAt: leadsFrom ? now : null,
        toApprovedBy: leadsTo ? actor.id : null,
        toApprovedAt: leadsTo ? now : null,
      });
      await mapUnique(
        m.getRepository(PackageTransferEntity).insert(row),
        'uq_package_transfers_pending',
        'transfer_pending',
        `${p.name} already has a pending transfer.`,
      );
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'package.transfer_request',
        targetType: 'package',
        targetId: p.name,
        details: { transferId: row.id, from: from.slug, to: to.slug },
        meta,
      });
      if (leadsFrom && leadsTo) {
        await this.complete(m, row.id, actor, meta);
      } else {
        const waitingOn = [...(leadsFrom ? [] : [from]), ...(leadsTo ? [] : [to])];
        for (const sig of waitingOn) {
          for (const uid of await memberIds(m, sig.id, ['lead'])) {
            await this.notifications.notify(m, uid, {
              kind: 'package.transfer_request',
              title: l10n(
                `Transfer of ${p.name} from ${from.slug} to ${to.slug} needs your approval`,
                `软件包 ${p.name} 从 ${from.slug} 转移到 ${to.slug}，需要您的批准`,
              ),
              body: row.reason,
              link: `/packages/${p.name}`,
            });
          }
        }
      }
      return transferView(await this.loadTransfer(m, row.id));
    });
  }

  /** Moves the package; the caller holds the package row lock. */
  private async complete(m: EntityManager, id: number, actor: Actor, meta: RequestMeta): Promise<void> {
    const t = await this.loadTransfer(m, id);
    const to = await lockSigById(m, t.toSigId, 'share');
    if (to.status === 'archived') throw conflict('sig_archived', 'An archived SIG cannot receive packages.');
    await m.getRepository(PackageEntity).update({ id: t.packageId }, { sigId: t.toSigId });
    await rerouteOpenBugs(m, t.packageId, t.toSigId, actor.id);
    await m
      .getRepository(PackageTransferEntity)
      .update({ id }, { status: 'completed', decidedBy: actor.id, decidedAt: new Date() });
    const details = { package: t.package!.name, from: t.fromSig!.slug, to: t.toSig!.slug };
    await recordActivity(m, t.fromSigId, actor.id, 'package.transferred_out', details);
    await recordActivity(m, t.toSigId, actor.id, 'package.transferred_in', details);
    await this.audit.record(m, {
      actorId: actor.id,
      action: 'package.transfer_complete',
      targetType: 'package',
      targetId: t.package!.name,
      details: { transferId: id, ...details },
      meta,
    });
    if (t.requestedBy && t.requestedBy !== actor.id) {
      await this.notifications.notify(m, t.requestedBy, {
        kind: 'package.transfer_completed',
        title: l10n(`${t.package!.name} now belongs to ${t.toSig!.slug}`, `${t.package!.name} 现归属 ${t.toSig!.slug}`),
        link: `/packages/${t.package!.name}`,
      });
    }
  }

  /** Locks the package, then reads the transfer fresh: two approvers at once are serialised. */
  private async lockedTransfer(m: EntityManager, name: string, id: number): Promise<PackageTransferEntity> {
    const p = await this.load(m, name, true);
    const t = await m.getRepository(PackageTransferEntity).findOne({ where: { id, packageId: p.id } });
    if (!t) throw notFound('Transfer');
    if (t.status !== 'pending') throw conflict('transfer_not_pending', `This transfer was already ${t.status}.`);
    return t;
  }

  async approveTransfer(actor: Actor, name: string, id: number, meta: RequestMeta): Promise<TransferView> {
    return this.dataSource.transaction(async (m) => {
      const t = await this.lockedTransfer(m, name, id);
      const now = new Date();
      const toc = isToc(actor);
      const leadsFrom = await this.isLead(m, t.fromSigId, actor);
      const leadsTo = await this.isLead(m, t.toSigId, actor);
      if (!toc && !leadsFrom && !leadsTo) {
        throw forbidden('sig_forbidden', 'Only a lead of either SIG (or an admin/TOC member) may approve.');
      }
      const changes: Partial<PackageTransferEntity> = {};
      if ((leadsFrom || toc) && !t.fromApprovedBy)
        Object.assign(changes, { fromApprovedBy: actor.id, fromApprovedAt: now });
      if ((leadsTo || toc) && !t.toApprovedBy) Object.assign(changes, { toApprovedBy: actor.id, toApprovedAt: now });
      if (Object.keys(changes).length) await m.getRepository(PackageTransferEntity).update({ id }, changes);
      const fresh = await m.getRepository(PackageTransferEntity).findOneByOrFail({ id });
      if (fresh.fromApprovedBy && fresh.toApprovedBy) await this.complete(m, id, actor, meta);
      return transferView(await this.loadTransfer(m, id));
    });
  }

  async closeTransfer(
    actor: Actor,
    name: string,
    id: number,
    outcome: 'rejected' | 'cancelled',
    meta: RequestMeta,
  ): Promise<TransferView> {
    return this.dataSource.transaction(async (m) => {
      const t = await this.lockedTransfer(m, name, id);
      const allowed =
        isToc(actor) ||
        (outcome === 'cancelled'
          ? t.requestedBy === actor.id
          : (await this.isLead(m, t.fromSigId, actor)) || (await this.isLead(m, t.toSigId, actor)));
      if (!allowed) {
        throw forbidden(
          'sig_forbidden',
          outcome === 'cancelled'
            ? 'Only the requester may cancel a transfer.'
            : 'Only a lead of either SIG may reject.',
        );
      }
      await m
        .getRepository(PackageTransferEntity)
        .update({ id }, { status: outcome, decidedBy: actor.id, decidedAt: new Date() });
      const full = await this.loadTransfer(m, id);
      await this.audit.record(m, {
        actorId: actor.id,
        action: outcome === 'rejected' ? 'package.transfer_reject' : 'package.transfer_cancel',
        targetType: 'package',
        targetId: full.package!.name,
        details: { transferId: id },
        meta,
      });
      if (outcome === 'rejected' && t.requestedBy && t.requestedBy !== actor.id) {
        await this.notifications.notify(m, t.requestedBy, {
          kind: 'package.transfer_rejected',
          title: l10n(
            `The transfer of ${full.package!.name} to ${full.toSig!.slug} was rejected`,
            `${full.package!.name} 转移到 ${full.toSig!.slug} 的申请被拒绝`,
          ),
          link: `/packages/${full.package!.name}`,
        });
      }
      return transferView(full);
    });
  }

  async transfersOfPackage(name: string, q: { limit?: number; cursor?: string }): Promise<TransferPage> {
    const p = await this.load(this.dataSource.manager, name);
    return this.transfers({ packageId: p.id }, q);
  }

  async transfersOfSig(slug: string, q: { status?: TransferStatus; limit?: number; cursor?: string }) {
    const sig = await findSig(this.dataSource.manager, slug);
    return this.transfers({ sigId: sig.id, status: q.status }, q);
  }

  private async transfers(
    where: { packageId?: number; sigId?: number; status?: TransferStatus },
    q: { limit?: number; cursor?: string },
  ): Promise<TransferPage> {
    const limit = q.limit ?? 25;
    const qb = this.dataSource
      .getRepository(PackageTransferEntity)
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.package', 'p')
      .innerJoinAndSelect('t.fromSig', 'fs')
      .innerJoinAndSelect('t.toSig', 'ts')
      .leftJoinAndSelect('t.requester', 'rq')
      .leftJoinAndSelect('t.fromApprover', 'fa')
      .leftJoinAndSelect('t.toApprover', 'ta')
      .leftJoinAndSelect('t.decider', 'dc')
      .orderBy('t.id', 'DESC')
      .limit(limit + 1);
    if (where.packageId !== undefined) qb.andWhere('t.package_id = :pid', { pid: where.packageId });
    if (where.sigId !== undefined) qb.andWhere('(t.from_sig_id = :sid OR t.to_sig_id = :sid)', { sid: where.sigId });
    if (where.status) qb.andWhere('t.status = :status', { status: where.status });
    const before = decodeCursor(q.cursor);
    if (before !== null) qb.andWhere('t.id < :before', { before });
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return {
      items: page.map(transferView),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }
}
