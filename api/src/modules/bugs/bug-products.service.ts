import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '../../common/errors';
import { BugComponentEntity, BugProductEntity, BugVersionEntity } from './bug-product.entity';
import type { ProductView } from './dto/bugs.dto';

/** Products, their versions and general components (packages are components of package products). */
@Injectable()
export class BugProductsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
          isPackage: false,
        })),
    }));
  }

  async get(name: string): Promise<ProductView> {
    const found = (await this.list(true)).find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (!found) throw notFound('Product');
    return found;
  }
}
