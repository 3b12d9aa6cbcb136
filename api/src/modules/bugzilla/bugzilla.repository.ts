import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, LessThan } from 'typeorm';
import { sha256Hex } from '../../common/crypto';
import { PackageEntity } from '../packages/package.entity';
import { ApiTokenEntity } from '../tokens/api-token.entity';
import { UserEntity } from '../users/user.entity';
import { type BugViewer, visibleBugSql } from '../bugs/bug-access';
import { BugCommentEntity } from '../bugs/bug-comment.entity';
import { BugFlagEntity } from '../bugs/bug-extras.entity';
import { BugComponentEntity, BugProductEntity, BugVersionEntity } from '../bugs/bug-product.entity';
import { loadBugs, usersById } from '../bugs/bug-loader';
import { BugSearchService } from '../bugs/bug-search.service';
import { BugAliasEntity, BugCcEntity, BugDependencyEntity, BugEntity, BugHistoryEntity } from '../bugs/bug.entity';

export const LOGIN_TOKEN_NAME = 'bugzilla-login';

/** Everything a Bugzilla bug object shows, loaded for many bugs at once. */
export interface BugBundle {
  bug: BugEntity;
  aliases: string[];
  cc: UserEntity[];
  dependsOn: number[];
  blocks: number[];
  dupeOf: number | null;
  flags: BugFlagEntity[];
}

type SearchSql = Awaited<ReturnType<BugSearchService['build']>>['sql'];

/** Extra conditions on top of the shared search builder (which carries the visibility predicate). */
export type SearchExtra = (sql: SearchSql) => void;

/** The Bugzilla layer's reads: batched, and always through the bug visibility predicate. */
@Injectable()
export class BugzillaRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly search: BugSearchService,
  ) {}

  // ---------------------------------------------------------------- users

  /** A live user by username or e-mail, as Bugzilla takes logins. */
  /** Ids of the products with these names (any case). */
  async productIds(names: string[]): Promise<number[]> {
    const rows: { id: number }[] = await this.dataSource.query(
      `SELECT id FROM bug_products WHERE lower(name) = ANY($1)`,
      [names.map((x) => x.toLowerCase())],
    );
    return rows.map((r) => r.id);
  }

  /** Ids of the users with these usernames or e-mail addresses (any case). */
  async userIds(logins: string[]): Promise<number[]> {
    const v = logins.map((x) => x.trim().toLowerCase());
    const rows: { id: number }[] = await this.dataSource.query(
      `SELECT id FROM users WHERE lower(username) = ANY($1) OR lower(email) = ANY($1)`,
      [v],
    );
    return rows.map((r) => r.id);
  }

  userByLogin(login: string): Promise<UserEntity | null> {
    return this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('(lower(u.username) = lower(:login) OR lower(u.email) = lower(:login))', { login })
      .andWhere('u.disabled_at IS NULL')
      .orderBy('CASE WHEN lower(u.username) = lower(:login) THEN 0 ELSE 1 END')
      .getOne();
  }

  usersByIds(ids: number[]): Promise<UserEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.dataSource.getRepository(UserEntity).find({ where: { id: In(ids) }, order: { id: 'ASC' } });
  }

  /** Substring match on username and display name (and e-mail when the caller may see e-mails). */
  usersMatching(q: string, withEmail: boolean, limit: number): Promise<UserEntity[]> {
    const like = `%${q.replace(/[\\%_]/g, '\\$&')}%`;
    return this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where(
        withEmail
          ? '(u.username ILIKE :like OR u.display_name ILIKE :like OR u.email ILIKE :like)'
          : '(u.username ILIKE :like OR u.display_name ILIKE :like)',
        { like },
      )
      .andWhere('u.disabled_at IS NULL')
      .orderBy('u.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  // ---------------------------------------------------------------- login tokens

  /** The token row for a secret, whatever its state (to revoke it on logout). */
  tokenBySecret(secret: string): Promise<ApiTokenEntity | null> {
    return this.dataSource.getRepository(ApiTokenEntity).findOne({ where: { tokenHash: sha256Hex(secret) } });
  }

  async revokeToken(id: number): Promise<void> {
    await this.dataSource.getRepository(ApiTokenEntity).update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /**
   * Login tokens are ordinary API tokens named "bugzilla-login". Before issuing another, expired
   * ones are revoked and only the newest `keep` live ones stay, so repeated logins never exhaust
   * the per-user token cap.
   */
  async pruneLoginTokens(userId: number, keep: number): Promise<void> {
    const repo = this.dataSource.getRepository(ApiTokenEntity);
    const now = new Date();
    await repo.update(
      { userId, name: LOGIN_TOKEN_NAME, revokedAt: IsNull(), expiresAt: LessThan(now) },
      { revokedAt: now },
    );
    const live = await repo.find({
      where: { userId, name: LOGIN_TOKEN_NAME, revokedAt: IsNull() },
      order: { id: 'DESC' },
      select: { id: true },
    });
    const old = live.slice(keep).map((t) => t.id);
    if (old.length) await repo.update({ id: In(old) }, { revokedAt: now });
  }

  // ---------------------------------------------------------------- bugs

  /** The bug id for an id or alias, if this viewer may know the bug exists. */
  async visibleBugId(viewer: BugViewer, idOrAlias: string): Promise<number | null> {
    let id: number | null = null;
    if (/^\d{1,10}$/.test(idOrAlias)) id = Number(idOrAlias) <= 2147483647 ? Number(idOrAlias) : null;
    else {
      const row = await this.dataSource
        .getRepository(BugAliasEntity)
        .createQueryBuilder('a')
        .where('lower(a.alias) = lower(:alias)', { alias: idOrAlias })
        .getOne();
      id = row?.bugId ?? null;
    }
    if (id === null) return null;
    return (await this.visibleIds(viewer, [id]))[0] ?? null;
  }

  async visibleIds(viewer: BugViewer, ids: number[]): Promise<number[]> {
    if (!ids.length) return [];
    const vis = visibleBugSql('b', viewer);
    const rows = await this.dataSource
      .getRepository(BugEntity)
      .createQueryBuilder('b')
      .select('b.id', 'id')
      .where('b.id IN (:...ids)', { ids })
      .andWhere(vis.sql, vis.params)
      .orderBy('b.id')
      .getRawMany<{ id: number }>();
    return rows.map((r) => r.id);
  }

  /** The condition "in one of these components" (package or general component names, any case). */
  componentCondition(names: string[], products: string[]) {
    return this.search.componentCondition(names, products);
  }

  /** Ids matching a search, oldest first as Bugzilla lists them. */
  async searchIds(
    viewer: BugViewer,
    quicksearch: string | undefined,
    statuses: string[],
    extra: SearchExtra,
    limit: number,
    offset: number,
  ): Promise<number[]> {
    const { sql, commonPhrase } = await this.search.build(viewer, { q: quicksearch, status: statuses });
    extra(sql);
    return this.search.orderedIds(sql.where.join(' AND '), sql.params, 'ASC', limit, offset, commonPhrase);
  }

  /** Bugs with everything their Bugzilla shape needs, in the order of `ids` (all visible). */
  async loadBugs(viewer: BugViewer, ids: number[]): Promise<BugBundle[]> {
    if (!ids.length) return [];
    const m = this.dataSource.manager;
    const [bugs, aliases, cc, deps, blockers, flags] = await Promise.all([
      // related rows by primary key (one statement with joins hash-joined whole tables: see loadBugs)
      loadBugs(m, ids, { qaContact: true }),
      m.getRepository(BugAliasEntity).find({ where: { bugId: In(ids) }, order: { alias: 'ASC' } }),
      m.getRepository(BugCcEntity).find({ where: { bugId: In(ids) } }),
      m.getRepository(BugDependencyEntity).find({ where: { bugId: In(ids) } }),
      m.getRepository(BugDependencyEntity).find({ where: { dependsOnId: In(ids) } }),
      m.getRepository(BugFlagEntity).find({ where: { bugId: In(ids) }, order: { id: 'ASC' } }),
    ]);
    const people = await usersById(
      m,
      cc.map((c) => c.userId).concat(flags.flatMap((f) => [f.setterId, f.requesteeId])),
    );
    for (const c of cc) c.user = people.get(c.userId)!;
    for (const f of flags) {
      f.setter = people.get(f.setterId)!;
      f.requestee = people.get(f.requesteeId)!;
    }
    // Links to bugs this viewer may not see are left out, as on the bug page.
    const linked = [
      ...deps.map((d) => d.dependsOnId),
      ...blockers.map((d) => d.bugId),
      ...bugs.map((b) => b.dupeOfId).filter((x): x is number => x !== null),
    ];
    const visible = new Set(await this.visibleIds(viewer, [...new Set(linked)]));
    const byId = new Map(bugs.map((b) => [b.id, b]));
    return ids
      .filter((id) => byId.has(id))
      .map((id) => {
        const bug = byId.get(id)!;
        return {
          bug,
          aliases: aliases.filter((a) => a.bugId === id).map((a) => a.alias),
          cc: cc
            .filter((c) => c.bugId === id)
            .map((c) => c.user!)
            .sort((a, b) => a.username.localeCompare(b.username)),
          dependsOn: deps
            .filter((d) => d.bugId === id && visible.has(d.dependsOnId))
            .map((d) => d.dependsOnId)
            .sort((a, b) => a - b),
          blocks: blockers
            .filter((d) => d.dependsOnId === id && visible.has(d.bugId))
            .map((d) => d.bugId)
            .sort((a, b) => a - b),
          dupeOf: bug.dupeOfId !== null && visible.has(bug.dupeOfId) ? bug.dupeOfId : null,
          flags: flags.filter((f) => f.bugId === id),
        };
      });
  }

  /** Comments of visible bugs (the caller checked visibility); private ones only for those who may. */
  comments(viewer: BugViewer, bugIds: number[], since?: Date): Promise<BugCommentEntity[]> {
    if (!bugIds.length) return Promise.resolve([]);
    const qb = this.dataSource
      .getRepository(BugCommentEntity)
      .createQueryBuilder('c')
      .innerJoinAndSelect('c.author', 'a')
      .where('c.bug_id IN (:...bugIds)', { bugIds })
      .orderBy('c.bug_id', 'ASC')
      .addOrderBy('c.count', 'ASC');
    if (!viewer.seesAllPrivate) qb.andWhere('NOT c.is_private');
    if (since) qb.andWhere('c.created_at >= :since', { since });
    return qb.getMany();
  }

  /** Comments by id, only where this viewer may see both the comment and its bug. */
  async commentsById(viewer: BugViewer, ids: number[]): Promise<BugCommentEntity[]> {
    if (!ids.length) return [];
    const rows = await this.dataSource
      .getRepository(BugCommentEntity)
      .find({ where: { id: In(ids) }, relations: { author: true }, order: { id: 'ASC' } });
    const visible = new Set(await this.visibleIds(viewer, [...new Set(rows.map((r) => r.bugId))]));
    return rows.filter((r) => visible.has(r.bugId) && (!r.isPrivate || viewer.seesAllPrivate));
  }

  history(viewer: BugViewer, bugId: number, since?: Date): Promise<BugHistoryEntity[]> {
    const qb = this.dataSource
      .getRepository(BugHistoryEntity)
      .createQueryBuilder('h')
      .leftJoinAndSelect('h.actor', 'a')
      .where('h.bug_id = :bugId', { bugId })
      .orderBy('h.id', 'ASC');
    if (!viewer.seesAllPrivate) qb.andWhere('NOT h.is_private');
    if (since) qb.andWhere('h.at >= :since', { since });
    return qb.getMany();
  }

  // ---------------------------------------------------------------- products

  products(): Promise<BugProductEntity[]> {
    return this.dataSource.getRepository(BugProductEntity).find({ order: { sortKey: 'ASC', name: 'ASC' } });
  }

  versions(productIds: number[]): Promise<BugVersionEntity[]> {
    if (!productIds.length) return Promise.resolve([]);
    return this.dataSource
      .getRepository(BugVersionEntity)
      .find({ where: { productId: In(productIds) }, order: { sortKey: 'ASC', name: 'ASC' } });
  }

  components(productIds: number[]): Promise<BugComponentEntity[]> {
    if (!productIds.length) return Promise.resolve([]);
    return this.dataSource.getRepository(BugComponentEntity).find({
      where: { productId: In(productIds) },
      relations: { defaultAssignee: true, sig: { bugDefaultAssignee: true } },
      order: { name: 'ASC' },
    });
  }

  /** Every package: the components of package products. */
  packages(): Promise<PackageEntity[]> {
    return this.dataSource
      .getRepository(PackageEntity)
      .find({ relations: { sig: { bugDefaultAssignee: true } }, order: { name: 'ASC' } });
  }

  /** Keywords in use, for the field's legal values. */
  async keywords(): Promise<string[]> {
    const rows: { k: string }[] = await this.dataSource.query(
      `SELECT DISTINCT unnest(keywords) AS k FROM bugs WHERE NOT is_private ORDER BY 1 LIMIT 500`,
    );
    return rows.map((r) => r.k);
  }
}
