import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../common/db-errors';
import type { Actor, RequestMeta } from '../../common/actor';
import { badRequest, conflict, notFound } from '../../common/errors';
import { AuditService } from '../audit/audit.service';
import { PackageEntity } from '../packages/package.entity';
import { SigEntity } from '../sigs/sig.entity';
import { UserEntity } from '../users/user.entity';
import { BugComponentEntity, BugProductEntity, BugVersionEntity } from './bug-product.entity';
import type { ComponentInputDto, ProductInputDto, ProductView, VersionInputDto } from './dto/bugs.dto';

/** Whether a write may add something new only (POST), or also change what exists (PUT). */
type SaveMode = 'create' | 'upsert';

/** Products, their versions and general components (packages are components of package products). */
@Injectable()
export class BugProductsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(includeInactive = false): Promise<ProductView[]> {
    const products = await this.dataSource.getRepository(BugProductEntity).find({
      where: includeInactive ? {} : { isActive: true },
      order: { sortKey: 'ASC', name: 'ASC' },
    });
    if (!products.length) return [];
    const [versions, components] = await Promise.all([
      this.dataSource.getRepository(BugVersionEntity).find({ order: { sortKey: 'ASC', name: 'ASC' } }),
      this.dataSource
        .getRepository(BugComponentEntity)
        .find({ relations: { sig: true, defaultAssignee: true }, order: { name: 'ASC' } }),
    ]);
    return products.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      isActive: p.isActive,
      packageComponents: p.packageComponents,
      bugTemplate: p.bugTemplate,
      versions: versions.filter((v) => v.productId === p.id).map((v) => ({ name: v.name, isActive: v.isActive })),
      components: components
        .filter((c) => c.productId === p.id && (includeInactive || c.isActive))
        .map((c) => ({
          name: c.name,
          description: c.description,
          sig: c.sig ? { slug: c.sig.slug, nameZh: c.sig.nameZh, nameEn: c.sig.nameEn } : null,
          defaultAssignee: c.defaultAssignee?.username ?? null,
          isActive: c.isActive,
          isPackage: false,
        })),
    }));
  }

  async get(name: string): Promise<ProductView> {
    const found = (await this.list(true)).find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (!found) throw notFound('Product');
    return found;
  }

  // -------------------------------------------------------------- administration (admins only)

  private async productByName(m: EntityManager, name: string): Promise<BugProductEntity> {
    const p = await m
      .getRepository(BugProductEntity)
      .createQueryBuilder('p')
      .where('lower(p.name) = lower(:name)', { name })
      .getOne();
    if (!p) throw notFound('Product');
    return p;
  }

  async createProduct(actor: Actor, dto: ProductInputDto, meta: RequestMeta): Promise<ProductView> {
    if (!dto.name)
      throw badRequest('validation_failed', 'A product needs a name.', [{ field: 'name', message: 'required' }]);
    const name = dto.name;
    await this.dataSource.transaction(async (m) => {
      try {
        await m.getRepository(BugProductEntity).insert({
          name,
          description: dto.description ?? '',
          isActive: dto.isActive ?? true,
          packageComponents: dto.packageComponents ?? false,
          bugTemplate: dto.bugTemplate ?? '',
        });
      } catch (e) {
        if (isUniqueViolation(e))
          throw conflict('product_exists', `A product called "${name}" exists.`, [
            { field: 'name', message: 'exists' },
          ]);
        throw e;
      }
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'bug_product.create',
        targetType: 'bug_product',
        targetId: name,
        meta,
      });
    });
    return this.get(name);
  }

  async updateProduct(actor: Actor, name: string, dto: ProductInputDto, meta: RequestMeta): Promise<ProductView> {
    let newName = name;
    await this.dataSource.transaction(async (m) => {
      const p = await this.productByName(m, name);
      const changes: Partial<BugProductEntity> = {};
      for (const key of ['name', 'description', 'isActive', 'packageComponents', 'bugTemplate'] as const)
        if (dto[key] !== undefined) Object.assign(changes, { [key]: dto[key] });
      newName = changes.name ?? p.name;
      try {
        if (Object.keys(changes).length) await m.getRepository(BugProductEntity).update({ id: p.id }, changes);
      } catch (e) {
        if (isUniqueViolation(e))
          throw conflict('product_exists', `A product called "${newName}" exists.`, [
            { field: 'name', message: 'exists' },
          ]);
        throw e;
      }
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'bug_product.update',
        targetType: 'bug_product',
        targetId: p.name,
        details: { fields: Object.keys(changes) },
        meta,
      });
    });
    return this.get(newName);
  }

  /** Adds a version; one that exists is refused (version_exists), so a typo never reactivates an old one. */
  createVersion(actor: Actor, product: string, dto: VersionInputDto, meta: RequestMeta): Promise<ProductView> {
    return this.saveVersion(actor, product, dto, meta, 'create');
  }

  /** Adds a version, or (de)activates an existing one. */
  upsertVersion(actor: Actor, product: string, dto: VersionInputDto, meta: RequestMeta): Promise<ProductView> {
    return this.saveVersion(actor, product, dto, meta, 'upsert');
  }

  private async saveVersion(
    actor: Actor,
    product: string,
    dto: VersionInputDto,
    meta: RequestMeta,
    mode: SaveMode,
  ): Promise<ProductView> {
    const exists = () =>
      conflict('version_exists', `Version "${dto.name}" exists.`, [{ field: 'name', message: 'exists' }]);
    await this.dataSource.transaction(async (m) => {
      const p = await this.productByName(m, product);
      const repo = m.getRepository(BugVersionEntity);
      if (mode === 'create' && (await repo.exists({ where: { productId: p.id, name: dto.name } }))) throw exists();
      const max = await repo
        .createQueryBuilder('v')
        .select('coalesce(max(v.sort_key), -1)', 'max')
        .where('v.product_id = :id', { id: p.id })
        .getRawOne<{ max: number }>();
      const insert = repo
        .createQueryBuilder()
        .insert()
        .values({
          productId: p.id,
          name: dto.name,
          isActive: dto.isActive ?? true,
          sortKey: (max?.max ?? -1) + 1,
        });
      try {
        await (mode === 'upsert' ? insert.orUpdate(['is_active'], ['product_id', 'name']) : insert).execute();
      } catch (e) {
        if (isUniqueViolation(e)) throw exists(); // added at the same moment by someone else
        throw e;
      }
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'bug_product.version',
        targetType: 'bug_product',
        targetId: p.name,
        details: { version: dto.name, isActive: dto.isActive ?? true },
        meta,
      });
    });
    return this.get(product);
  }

  /** Adds a general component; one that exists (in any case) is refused, so an addition never overwrites it. */
  createComponent(actor: Actor, product: string, dto: ComponentInputDto, meta: RequestMeta): Promise<ProductView> {
    return this.saveComponent(actor, product, dto, meta, 'create');
  }

  /** Adds a general component or changes the one with this name (compared ignoring case). */
  upsertComponent(actor: Actor, product: string, dto: ComponentInputDto, meta: RequestMeta): Promise<ProductView> {
    return this.saveComponent(actor, product, dto, meta, 'upsert');
  }

  private async saveComponent(
    actor: Actor,
    product: string,
    dto: ComponentInputDto,
    meta: RequestMeta,
    mode: SaveMode,
  ): Promise<ProductView> {
    const exists = () =>
      conflict('component_exists', `${product} already has a component called "${dto.name}".`, [
        { field: 'name', message: 'exists' },
      ]);
    await this.dataSource.transaction(async (m) => {
      const p = await this.productByName(m, product);
      let sigId: number | null | undefined;
      if (dto.sig !== undefined) {
        if (dto.sig === null) sigId = null;
        else {
          const sig = await m.getRepository(SigEntity).findOne({ where: { slug: dto.sig } });
          if (!sig)
            throw badRequest('unknown_sig', `There is no SIG "${dto.sig}".`, [
              { field: 'sig', message: 'unknown SIG' },
            ]);
          sigId = sig.id;
        }
      }
      let assigneeId: number | null | undefined;
      if (dto.defaultAssignee !== undefined) {
        if (dto.defaultAssignee === null) assigneeId = null;
        else {
          const user = await m
            .getRepository(UserEntity)
            .createQueryBuilder('u')
            .where('lower(u.username) = lower(:n)', { n: dto.defaultAssignee })
            .andWhere('u.disabled_at IS NULL')
            .getOne();
          if (!user)
            throw badRequest('unknown_user', `There is no user "${dto.defaultAssignee}".`, [
              { field: 'defaultAssignee', message: 'unknown user' },
            ]);
          assigneeId = user.id;
        }
      }
      const repo = m.getRepository(BugComponentEntity);
      const existing = await repo
        .createQueryBuilder('c')
        .where('c.product_id = :id', { id: p.id })
        .andWhere('lower(c.name) = lower(:name)', { name: dto.name })
        .getOne();
      if (mode === 'create' && dto.rename !== undefined)
        throw badRequest('rename_on_create', 'A new component has no other name to change: rename goes with PUT.', [
          { field: 'rename', message: 'not for a new component' },
        ]);
      if (existing && mode === 'create') throw exists();
      if (dto.rename !== undefined && !existing) throw notFound(`Component "${dto.name}" of ${p.name}`);
      if (existing && dto.rename !== undefined && dto.rename !== existing.name) {
        const clash = await repo
          .createQueryBuilder('c')
          .where('c.product_id = :id AND c.id <> :self', { id: p.id, self: existing.id })
          .andWhere('lower(c.name) = lower(:name)', { name: dto.rename })
          .getExists();
        if (clash)
          throw conflict('component_exists', `${p.name} already has a component called "${dto.rename}".`, [
            { field: 'rename', message: 'exists' },
          ]);
        await this.refusePackageName(m, p, dto.rename, 'rename');
      }
      if (existing) {
        const changes: Partial<BugComponentEntity> = {};
        if (dto.rename !== undefined) changes.name = dto.rename;
        if (dto.description !== undefined) changes.description = dto.description;
        if (dto.isActive !== undefined) changes.isActive = dto.isActive;
        if (sigId !== undefined) changes.sigId = sigId;
        if (assigneeId !== undefined) changes.defaultAssigneeId = assigneeId;
        if (Object.keys(changes).length) await repo.update({ id: existing.id }, changes);
      } else {
        await this.refusePackageName(m, p, dto.name, 'name');
        try {
          await repo.insert({
            productId: p.id,
            name: dto.name,
            description: dto.description ?? '',
            isActive: dto.isActive ?? true,
            sigId: sigId ?? null,
            defaultAssigneeId: assigneeId ?? null,
          });
        } catch (e) {
          if (isUniqueViolation(e)) throw exists();
          throw e;
        }
      }
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'bug_product.component',
        targetType: 'bug_product',
        targetId: p.name,
        details: { component: dto.name, ...(dto.rename !== undefined ? { rename: dto.rename } : {}) },
        meta,
      });
    });
    return this.get(product);
  }

  /**
   * A general component wins over a package of the same name when bugs are filed, so it would
   * silently take that package's bugs away from the SIG that owns it.
   */
  private async refusePackageName(
    m: EntityManager,
    p: BugProductEntity,
    name: string,
    field: 'name' | 'rename',
  ): Promise<void> {
    if (!p.packageComponents) return;
    const pkg = await m
      .getRepository(PackageEntity)
      .createQueryBuilder('pkg')
      .where('lower(pkg.name) = lower(:name)', { name })
      .getOne();
    if (pkg)
      throw conflict(
        'component_is_package',
        `"${pkg.name}" is a package: its bugs go to the SIG that owns it, so it cannot be a general component of ${p.name}.`,
        [{ field, message: 'is a package' }],
      );
  }
}
