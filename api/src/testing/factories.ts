import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { UserRoleEntity } from '../modules/users/user-role.entity';
import { UserEntity } from '../modules/users/user.entity';

export const TEST_PASSWORD = 'correct horse battery';
let cachedHash: Promise<string> | undefined;

export interface MadeUser {
  user: UserEntity;
  password: string;
}

/** A verified user with TEST_PASSWORD, optionally with site roles. */
export async function makeUser(
  ds: DataSource,
  opts: Partial<Pick<UserEntity, 'username' | 'email' | 'locale' | 'emailVerifiedAt'>> & {
    roles?: UserRoleEntity['role'][];
  } = {},
): Promise<MadeUser> {
  cachedHash ??= argon2.hash(TEST_PASSWORD, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const suffix = randomBytes(4).toString('hex');
  const username = opts.username ?? `user${suffix}`;
  const res = await ds.getRepository(UserEntity).insert({
    username,
    email: opts.email ?? `${username}@example.test`,
    locale: opts.locale ?? 'en',
    passwordHash: await cachedHash,
    emailVerifiedAt: opts.emailVerifiedAt === undefined ? new Date() : opts.emailVerifiedAt,
  });
  const id = (res.identifiers[0] as { id: number }).id;
  if (opts.roles?.length) {
    await ds.getRepository(UserRoleEntity).insert(opts.roles.map((role) => ({ userId: id, role, grantedBy: null })));
  }
  return { user: await ds.getRepository(UserEntity).findOneByOrFail({ id }), password: TEST_PASSWORD };
}

export interface Login {
  cookie: string;
  csrf: string;
}

/** Logs in over HTTP and returns the session cookie and CSRF token. */
export async function login(baseUrl: string, loginName: string, password = TEST_PASSWORD): Promise<Login> {
  const res = await request(baseUrl).post('/api/v1/auth/login').send({ login: loginName, password }).expect(200);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = setCookie.find((c) => c.startsWith('och_session='));
  if (!cookie) throw new Error('no session cookie');
  return { cookie: cookie.split(';')[0], csrf: (res.body as { csrfToken: string }).csrfToken };
}
