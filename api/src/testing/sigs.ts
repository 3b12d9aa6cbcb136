import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PackageEntity } from '../modules/packages/package.entity';
import { SigMembershipEntity, type SigRole } from '../modules/sigs/sig-membership.entity';
import { SigEntity, type SigStatus } from '../modules/sigs/sig.entity';
import type { Login } from './factories';

/** A SIG straight in the database, with the given members. */
export async function makeSig(
  ds: DataSource,
  opts: { slug?: string; status?: SigStatus; members?: Array<[number, SigRole]> } = {},
): Promise<SigEntity> {
  const slug = opts.slug ?? `sig-${randomBytes(4).toString('hex')}`;
  const repo = ds.getRepository(SigEntity);
  const status = opts.status ?? 'active';
  await repo.insert({
    slug,
    nameZh: `${slug} 兴趣小组`,
    nameEn: `${slug} SIG`,
    status,
    approvedAt: status === 'proposed' ? null : new Date(),
    archivedAt: status === 'archived' ? new Date() : null,
  });
  const sig = await repo.findOneByOrFail({ slug });
  for (const [userId, role] of opts.members ?? []) {
    await ds.getRepository(SigMembershipEntity).insert({ sigId: sig.id, userId, role, grantedBy: null });
  }
  return sig;
}

export async function makePackage(ds: DataSource, sigId: number, name?: string): Promise<PackageEntity> {
  const n = name ?? `pkg-${randomBytes(4).toString('hex')}`;
  await ds.getRepository(PackageEntity).insert({ name: n, sigId });
  return ds.getRepository(PackageEntity).findOneByOrFail({ name: n });
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** A request as a logged-in user (cookie + CSRF) or, with `null`, as a visitor. */
export function as(baseUrl: string, who: Login | null, method: Method, path: string, body?: object) {
  let req = request(baseUrl)[method](path);
  if (who) req = req.set('cookie', who.cookie).set('x-csrf-token', who.csrf);
  return body === undefined ? req : req.send(body);
}
