import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { UserRoleEntity } from '../../modules/users/user-role.entity';
import { UserEntity } from '../../modules/users/user.entity';

export interface DemoUser {
  username: string;
  email: string;
  displayName: string;
  locale: 'zh-CN' | 'en';
  roles: UserRoleEntity['role'][];
}

/** Plausible community members; every later feature adds its demo rows beside these. */
export const DEMO_USERS: DemoUser[] = [
  { username: 'admin', email: 'admin@opencloudos.example', displayName: 'Hub Admin', locale: 'en', roles: ['admin'] },
  {
    username: 'zhangwei',
    email: 'zhangwei@opencloudos.example',
    displayName: '张伟',
    locale: 'zh-CN',
    roles: ['triager'],
  },
  {
    username: 'liuyang',
    email: 'liuyang@opencloudos.example',
    displayName: '刘洋',
    locale: 'zh-CN',
    roles: ['security'],
  },
  { username: 'alice', email: 'alice@opencloudos.example', displayName: 'Alice Chen', locale: 'en', roles: [] },
  { username: 'wangfang', email: 'wangfang@opencloudos.example', displayName: '王芳', locale: 'zh-CN', roles: [] },
];

/** Inserts what is missing and leaves what exists alone, so running it twice changes nothing. */
export async function seedDemo(ds: DataSource, password: string): Promise<{ created: string[] }> {
  const created: string[] = [];
  const hash = await argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  await ds.transaction(async (manager) => {
    for (const u of DEMO_USERS) {
      const exists = await manager
        .getRepository(UserEntity)
        .createQueryBuilder('u')
        .where('lower(u.username) = :n', { n: u.username })
        .getOne();
      if (exists) continue;
      const res = await manager.getRepository(UserEntity).insert({
        username: u.username,
        email: u.email,
        displayName: u.displayName,
        locale: u.locale,
        passwordHash: hash,
        emailVerifiedAt: new Date(),
      });
      const id = (res.identifiers[0] as { id: number }).id;
      if (u.roles.length > 0) {
        await manager
          .getRepository(UserRoleEntity)
          .insert(u.roles.map((role) => ({ userId: id, role, grantedBy: null })));
      }
      created.push(u.username);
    }
  });
  // downloads & mirrors: releases, images and a mirror fleet with probe history
  await (await import('./mirrors.seed')).seedMirrors(ds);
  // portal: release pages (9.4 current, 8.8 added), news, about and code-of-conduct pages
  await (await import('./portal.seed')).seedPortal(ds);
  // council membership: a member organisation and an application waiting for a nomination
  await (await import('./organisations.seed')).seedOrganisations(ds);
  return { created };
}
