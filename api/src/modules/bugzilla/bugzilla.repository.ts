import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, LessThan } from 'typeorm';
import { sha256Hex } from '../../common/crypto';
import { preparedQuery } from '../../database/pool-queries';
import { PackageEntity } from '../packages/package.entity';
import { ApiTokenEntity } from '../tokens/api-token.entity';
import { UserEntity } from '../users/user.entity';
import { type BugViewer, visibleBugRawSql, visibleBugSql } from '../bugs/bug-access';
import { BugCommentEntity } from '../bugs/bug-comment.entity';
import { BugFlagEntity } from '../bugs/bug-extras.entity';
import { BugComponentEntity, BugProductEntity, BugVersionEntity } from '../bugs/bug-product.entity';
import { entityFromRow, usersById } from '../bugs/bug-loader';
import { SigEntity } from '../sigs/sig.entity';
import { BugSearchService } from '../bugs/bug-search.service';
import { BugAliasEntity, BugEntity, BugHistoryEntity } from '../bugs/bug.entity';

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

/** A bug row with its related names and lists (see BugzillaRepository.loadBugs). */
interface BugRelatedRow {
  id: number;
  product_id: number;
  component_id: number | null;
  package_id: number | null;
  sig_id: number | null;
  reporter_id: number;
  assignee_id: number | null;
  qa_contact_id: number | null;
  r_product: string | null;
  r_component: string;
  r_package: string;
  r_sig: string;
  r_aliases: string[];
  r_cc: number[];
  r_depends_on: number[];
  r_blocks: number[];
  r_dupe_of: number | null;
  r_flags: {
    id: number;
    name: string;
    setterId: number;
    requesteeId: number;
    createdAt: string;
    remindedAt: string | null;
  }[];
}

/** Extra conditions on top of the shared search builder (which carries the visibility predicate). */
export type SearchExtra = (sql: SearchSql) => void;

/** The Bugzilla layer's reads: batched, and always through the bug visibility predicate. */
@Injectable()
export class BugzillaRepository {
  /** The bugs table's selectable columns as `b.<name>, …` (see loadBugs). */
  private bugColumns: string | undefined;

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

  /**
   * Bugs with everything their Bugzilla shape needs, in the order of `ids` (all visible), in two
   * statements: the bugs with their related names and lists (aliases, CC, links this viewer may
   * see, flags) aggregated per bug, then the people they name, by primary key. A REST search
   * returns up to hundreds of bugs, and reading each relation in its own statement took 13 round
   * trips per request. Product, component, package and SIG carry the fields the REST shapes show.
   */
  async loadBugs(viewer: BugViewer, ids: number[]): Promise<BugBundle[]> {
    if (!ids.length) return [];
    const vis = visibleBugRawSql('lb', viewer, 2);
    const columns = this.dataSource.getMetadata(BugEntity).columns.filter((c) => !c.relationMetadata);
    // The bug's own columns, not `b.*`: that sent both search vectors as text with every bug (a
    // kilobyte each, printed by PostgreSQL and decoded by Node, for nothing).
    this.bugColumns ??= [
      ...new Set(
        this.dataSource
          .getMetadata(BugEntity)
          .columns.filter((c) => c.isSelect)
          .map((c) => `b.${c.databaseName}`),
      ),
    ].join(', ');
    // (prepared: planning this statement took as long as running it for 50 bugs)
    const rows = await preparedQuery<BugRelatedRow>(
      this.dataSource,
      `SELECT ${this.bugColumns},
         (SELECT p.name FROM bug_products p WHERE p.id = b.product_id) AS r_product,
         (SELECT c.name FROM bug_components c WHERE c.id = b.component_id) AS r_component,
         (SELECT pk.name FROM packages pk WHERE pk.id = b.package_id) AS r_package,
         (SELECT s.slug FROM sigs s WHERE s.id = b.sig_id) AS r_sig,
         ARRAY(SELECT a.alias FROM bug_aliases a WHERE a.bug_id = b.id ORDER BY a.alias) AS r_aliases,
         ARRAY(SELECT c.user_id FROM bug_cc c WHERE c.bug_id = b.id) AS r_cc,
         ARRAY(SELECT d.depends_on_id FROM bug_dependencies d JOIN bugs lb ON lb.id = d.depends_on_id
                WHERE d.bug_id = b.id AND ${vis.sql} ORDER BY d.depends_on_id) AS r_depends_on,
         ARRAY(SELECT d.bug_id FROM bug_dependencies d JOIN bugs lb ON lb.id = d.bug_id
                WHERE d.depends_on_id = b.id AND ${vis.sql} ORDER BY d.bug_id) AS r_blocks,
         (SELECT lb.id FROM bugs lb WHERE lb.id = b.dupe_of_id AND ${vis.sql}) AS r_dupe_of,
         (SELECT coalesce(json_agg(json_build_object('id', f.id, 'name', f.name, 'setterId', f.setter_id,
                 'requesteeId', f.requestee_id, 'createdAt', f.created_at, 'remindedAt', f.reminded_at) ORDER BY f.id), '[]')
            FROM bug_flags f WHERE f.bug_id = b.id) AS r_flags
       FROM bugs b WHERE b.id = ANY($1::int[])`,
      [ids, ...vis.params],
    );
    const people = await usersById(
      this.dataSource,
      rows.flatMap((r) => [
        r.reporter_id,
        ...(r.assignee_id === null ? [] : [r.assignee_id]),
        ...(r.qa_contact_id === null ? [] : [r.qa_contact_id]),
        ...r.r_cc,
        ...r.r_flags.flatMap((f) => [f.setterId, f.requesteeId]),
      ]),
    );
    const byId = new Map(
      rows.map((r) => {
        const bug = entityFromRow(BugEntity, columns, r as unknown as Record<string, unknown>);
        bug.product = Object.assign(new BugProductEntity(), { id: r.product_id, name: r.r_product ?? '' });
        bug.component =
          r.component_id === null
            ? null
            : Object.assign(new BugComponentEntity(), { id: r.component_id, name: r.r_component });
        bug.package =
          r.package_id === null ? null : Object.assign(new PackageEntity(), { id: r.package_id, name: r.r_package });
        bug.sig = r.sig_id === null ? null : Object.assign(new SigEntity(), { id: r.sig_id, slug: r.r_sig });
        bug.reporter = people.get(r.reporter_id)!;
        bug.assignee = r.assignee_id === null ? null : (people.get(r.assignee_id) ?? null);
        bug.qaContact = r.qa_contact_id === null ? null : (people.get(r.qa_contact_id) ?? null);
        const flags = r.r_flags.map((f) =>
          Object.assign(new BugFlagEntity(), {
            ...f,
            bugId: r.id,
            createdAt: new Date(f.createdAt),
            remindedAt: f.remindedAt === null ? null : new Date(f.remindedAt),
            setter: people.get(f.setterId)!,
            requestee: people.get(f.requesteeId)!,
          }),
        );
        const bundle: BugBundle = {
          bug,
          aliases: r.r_aliases,
          cc: r.r_cc.map((u) => people.get(u)!).sort((x, y) => x.username.localeCompare(y.username)),
          dependsOn: r.r_depends_on,
          blocks: r.r_blocks,
          dupeOf: r.r_dupe_of,
          flags,
        };
        return [r.id, bundle] as const;
      }),
    );
    return ids.filter((id) => byId.has(id)).map((id) => byId.get(id)!);
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
