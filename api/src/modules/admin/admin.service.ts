import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { type Actor, requestMeta } from '../../common/actor';
import { badRequest, notFound } from '../../common/errors';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import { AuditService } from '../audit/audit.service';
import type { SiteRole } from '../users/user-role.entity';
import type { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';

@Injectable()
export class AdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly usersRepo: UsersRepository,
    private readonly auditService: AuditService,
  ) {}

  audit(q: { actorId?: number; action?: string; cursor?: string; limit?: number }) {
    return this.auditService.list(q);
  }

  private async view(u: UserEntity) {
    return {
      id: u.id,
      username: u.username,
      email: u.email,
      displayName: u.displayName,
      emailVerified: !!u.emailVerifiedAt,
      disabled: !!u.disabledAt,
      roles: await this.usersRepo.siteRoles(u.id),
      createdAt: u.createdAt,
    };
  }

  async users(q: string | undefined, limit: number, cursor?: string) {
    const after = decodeCursor(cursor);
    const rows = await this.usersRepo.search(q, limit + 1, after === null ? null : Number(after));
    const items = await Promise.all(rows.slice(0, limit).map((u) => this.view(u)));
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
  }

  async setRoles(actor: Actor, userId: number, roles: SiteRole[], req: Request) {
    const unique = [...new Set(roles)];
    if (actor.id === userId && !unique.includes('admin')) {
      throw badRequest('cannot_demote_self', 'You cannot remove your own admin role; ask another admin.');
    }
    const user = await this.usersRepo.findById(userId);
    if (!user) throw notFound('User');
    const before = await this.usersRepo.siteRoles(userId);
    await this.dataSource.transaction(async (manager) => {
      await this.usersRepo.setSiteRoles(manager, userId, unique, actor.id);
      await this.auditService.record(manager, {
        actorId: actor.id,
        action: 'user.roles_change',
        targetType: 'user',
        targetId: userId,
        details: { before, after: [...unique].sort() },
        meta: requestMeta(req),
      });
    });
    return this.view(user);
  }
}
