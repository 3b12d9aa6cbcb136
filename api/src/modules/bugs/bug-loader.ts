import { In, type EntityManager } from 'typeorm';
import { PackageEntity } from '../packages/package.entity';
import { SigEntity } from '../sigs/sig.entity';
import { UserEntity } from '../users/user.entity';
import { BugComponentEntity, BugProductEntity } from './bug-product.entity';
import { BugEntity } from './bug.entity';

/**
 * Bugs by id with the rows their views show (product, component, package, SIG, reporter,
 * assignee and, with `qaContact`, the QA contact), each related table read by primary key.
 *
 * Not TypeORM relations: one statement with six LEFT JOINs (or its `relationLoadStrategy:
 * 'query'`, which joins back to bugs) let the planner hash-join whole tables — every user twice,
 * every package — to decorate 25 bugs: ~15 ms of CPU per search at 1M bugs and 10k users, more
 * than the search itself. Here each table is one `WHERE id = ANY(…)` on its primary key.
 */
export async function loadBugs(
  m: EntityManager,
  ids: number[],
  opts: { qaContact?: boolean } = {},
): Promise<BugEntity[]> {
  if (!ids.length) return [];
  const bugs = await m.getRepository(BugEntity).find({ where: { id: In(ids) } });
  const distinct = (pick: (b: BugEntity) => number | null | undefined) => [
    ...new Set(bugs.map(pick).filter((x): x is number => typeof x === 'number')),
  ];
  const byId = async <T extends { id: number }>(entity: new () => T, wanted: number[]): Promise<Map<number, T>> => {
    if (!wanted.length) return new Map();
    const rows = await m.getRepository(entity).findBy({ id: In(wanted) } as never);
    return new Map(rows.map((r) => [r.id, r]));
  };
  // one after another: `m` may be a transaction's single connection
  const products = await byId(
    BugProductEntity,
    distinct((b) => b.productId),
  );
  const components = await byId(
    BugComponentEntity,
    distinct((b) => b.componentId),
  );
  const packages = await byId(
    PackageEntity,
    distinct((b) => b.packageId),
  );
  const sigs = await byId(
    SigEntity,
    distinct((b) => b.sigId),
  );
  const users = await byId(
    UserEntity,
    distinct((b) => b.reporterId).concat(
      distinct((b) => b.assigneeId),
      opts.qaContact ? distinct((b) => b.qaContactId) : [],
    ),
  );
  for (const b of bugs) {
    b.product = products.get(b.productId)!;
    b.component = b.componentId === null ? null : (components.get(b.componentId) ?? null);
    b.package = b.packageId === null ? null : (packages.get(b.packageId) ?? null);
    b.sig = b.sigId === null ? null : (sigs.get(b.sigId) ?? null);
    b.reporter = users.get(b.reporterId)!;
    b.assignee = b.assigneeId === null ? null : (users.get(b.assigneeId) ?? null);
    if (opts.qaContact) b.qaContact = b.qaContactId === null ? null : (users.get(b.qaContactId) ?? null);
  }
  return bugs;
}

/** Users by id, by primary key (for join rows such as CC and flags; see loadBugs for why not relations). */
export async function usersById(m: EntityManager, ids: number[]): Promise<Map<number, UserEntity>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows = await m.getRepository(UserEntity).findBy({ id: In(wanted) });
  return new Map(rows.map((u) => [u.id, u]));
}
