import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { RequestMeta } from '../../common/actor';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import { AuditEntryEntity } from './audit-entry.entity';

export interface AuditRecord {
  actorId: number | null;
  action: string;
  targetType?: string;
  targetId?: string | number;
  details?: Record<string, unknown>;
  meta?: RequestMeta;
}

/** Who did what security-relevant thing, when, from where. Rows are never changed. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(manager: EntityManager | null, rec: AuditRecord): Promise<void> {
    await (manager ?? this.dataSource.manager).getRepository(AuditEntryEntity).insert({
      actorId: rec.actorId,
      action: rec.action,
      targetType: rec.targetType ?? null,
      targetId: rec.targetId === undefined ? null : String(rec.targetId),
      // eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- TypeORM's deep-partial of a jsonb column
      details: (rec.details ?? {}) as QueryDeepPartialEntity<Record<string, unknown>>,
      ip: rec.meta?.ip ?? null,
      userAgent: rec.meta?.userAgent ?? null,
    });
  }

  async list(opts: { actorId?: number; action?: string; cursor?: string; limit?: number }): Promise<{
    items: AuditEntryEntity[];
    nextCursor: string | null;
  }> {
    const limit = opts.limit ?? 50;
    const qb = this.dataSource
      .getRepository(AuditEntryEntity)
      .createQueryBuilder('a')
      .orderBy('a.id', 'DESC')
      .limit(limit + 1);
    const before = decodeCursor(opts.cursor);
    if (before) qb.andWhere('a.id < :before', { before });
    if (opts.actorId !== undefined) qb.andWhere('a.actor_id = :actorId', { actorId: opts.actorId });
    if (opts.action) qb.andWhere('a.action = :action', { action: opts.action });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
  }
}
