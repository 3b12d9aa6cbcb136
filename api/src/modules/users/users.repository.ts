import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SITE_ROLES, UserRoleEntity, type SiteRole } from './user-role.entity';
import { UserEntity } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(UserEntity);
  }

  findById(id: number, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repo(manager).findOne({ where: { id } });
  }

  /** Username or e-mail, case-insensitively: what people type into a login form. */
  findByLogin(login: string): Promise<UserEntity | null> {
    return this.repo()
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:login) OR lower(u.email) = lower(:login)', { login })
      .orderBy('CASE WHEN lower(u.username) = lower(:login) THEN 0 ELSE 1 END')
      .getOne();
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo().createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  findByGiteeId(giteeId: string): Promise<UserEntity | null> {
    return this.repo().findOne({ where: { giteeId } });
  }

  async usernameExists(username: string, manager?: EntityManager): Promise<boolean> {
    return (
      (await this.repo(manager)
        .createQueryBuilder('u')
        .where('lower(u.username) = lower(:username)', { username })
        .getCount()) > 0
    );
  }

  async insert(manager: EntityManager, values: Partial<UserEntity>): Promise<UserEntity> {
    const result = await this.repo(manager).insert(values);
    const id = (result.identifiers[0] as { id: number }).id;
    return (await this.findById(id, manager))!;
  }

  async update(id: number, values: Partial<UserEntity>, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, values);
  }

  async siteRoles(userId: number): Promise<string[]> {
    const rows = await this.dataSource.getRepository(UserRoleEntity).find({ where: { userId } });
    return rows.map((r) => r.role).sort();
  }

  async siteRoleHolders(role: string): Promise<number[]> {
    if (!(SITE_ROLES as readonly string[]).includes(role)) return [];
    const rows = await this.dataSource
      .getRepository(UserRoleEntity)
      .find({ where: { role: role as SiteRole }, order: { userId: 'ASC' } });
    return rows.map((r) => r.userId);
  }

  async setSiteRoles(manager: EntityManager, userId: number, roles: string[], grantedBy: number | null): Promise<void> {
    const repo = manager.getRepository(UserRoleEntity);
    await repo.delete({ userId });
    if (roles.length > 0) {
      await repo.insert(roles.map((role) => ({ userId, role: role as UserRoleEntity['role'], grantedBy })));
    }
  }

  search(q: string | undefined, limit: number, afterId: number | null): Promise<UserEntity[]> {
    const qb = this.repo().createQueryBuilder('u').orderBy('u.id', 'ASC').limit(limit);
    if (q)
      qb.andWhere('(u.username ILIKE :q OR u.display_name ILIKE :q OR u.email ILIKE :q)', {
        q: `%${q.replace(/[\\%_]/g, '\\$&')}%`,
      });
    if (afterId !== null) qb.andWhere('u.id > :afterId', { afterId });
    return qb.getMany();
  }
}
