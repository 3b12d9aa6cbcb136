import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, type SelectQueryBuilder } from 'typeorm';
import { isUniqueViolation } from '../../common/db-errors';
import type { Actor } from '../../common/actor';
import { badRequest, conflict, forbidden, notFound } from '../../common/errors';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import { PackageEntity } from '../packages/package.entity';
import { SigEntity } from '../sigs/sig.entity';
import { UserEntity } from '../users/user.entity';
import { userRef } from '../sigs/sig-views';
import { type BugViewer, bugViewer, visibleBugSql } from './bug-access';
import { nextCommentCount, refreshBugDerived } from './bug-derived';
import { BugCommentEntity, BugCommentRevisionEntity } from './bug-comment.entity';
import { BugAttachmentEntity, BugFlagEntity } from './bug-extras.entity';
import { BugNotifier, type BugChange, type BugEvent } from './bug-notifier';
import { BugComponentEntity, BugProductEntity, BugVersionEntity } from './bug-product.entity';
import { allowedTransitions, bugPerms, type BugPerms, editableFields } from './bug-rules';
import { loadListItems } from './bug-loader';
import { bugListItem, BUG_LIST_RELATIONS } from './bug-views';
import {
  BugAffectsEntity,
  BugAliasEntity,
  BugCcEntity,
  BugDependencyEntity,
  BugEntity,
  BugHistoryEntity,
} from './bug.entity';
import type {
  AffectsView,
  BugDetailView,
  BugPage,
  CommentInputDto,
  CommentRevisionView,
  CommentView,
  CreateBugDto,
  HistoryEntryView,
  MyBugsQueryDto,
  NeedinfoDto,
  UpdateBugDto,
} from './dto/bugs.dto';
import { OPEN_STATUSES } from './quicksearch';

const DETAIL_RELATIONS = { ...BUG_LIST_RELATIONS, qaContact: true } as const;

interface Routing {
  componentId: number | null;
  packageId: number | null;
  sigId: number | null;
  defaultAssigneeId: number | null;
  sigSlug: string | null;
}

/** Bugs: filing, reading, changing, commenting, with every change in the bug's history. */
@Injectable()
export class BugsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifier: BugNotifier,
  ) {}

  // ------------------------------------------------------------------ lookups

  /** The bug if this viewer may know it exists; 404 otherwise (private bugs do not exist to others). */
  async findVisible(m: EntityManager, viewer: BugViewer, id: number, lock = false): Promise<BugEntity> {
    const vis = visibleBugSql('b', viewer);
    const qb = m
      .getRepository(BugEntity)
      .createQueryBuilder('b')
      .where('b.id = :id', { id })
      .andWhere(vis.sql, vis.params);
    if (lock) qb.setLock('pessimistic_write');
    const bug = await qb.getOne();
    if (!bug) throw notFound('Bug');
    return bug;
  }

  /** Resolves a Bugzilla-style "id or alias". */
  async resolveIdOrAlias(idOrAlias: string): Promise<number> {
    if (/^\d{1,9}$/.test(idOrAlias)) return Number(idOrAlias);
    const row = await this.dataSource.getRepository(BugAliasEntity).findOne({ where: { alias: idOrAlias } });
    if (!row) throw notFound('Bug');
    return row.bugId;
  }

  private async loadFull(m: EntityManager, id: number): Promise<BugEntity> {
    return m.getRepository(BugEntity).findOneOrFail({ where: { id }, relations: DETAIL_RELATIONS });
  }

  private async sigSlug(m: EntityManager, sigId: number | null): Promise<string | null> {
    if (sigId === null) return null;
    const sig = await m.getRepository(SigEntity).findOne({ where: { id: sigId }, select: { id: true, slug: true } });
    return sig?.slug ?? null;
  }

  private async perms(m: EntityManager, viewer: BugViewer, bug: BugEntity): Promise<BugPerms> {
    return bugPerms(viewer, {
      status: bug.status,
      reporterId: bug.reporterId,
      assigneeId: bug.assigneeId,
      qaContactId: bug.qaContactId,
      sigSlug: bug.sig !== undefined ? (bug.sig?.slug ?? null) : await this.sigSlug(m, bug.sigId),
    });
  }

  async userByName(m: EntityManager, username: string, field: string): Promise<UserEntity> {
    const user = await m
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username })
      .andWhere('u.disabled_at IS NULL')
      .getOne();
    if (!user)
      throw badRequest('unknown_user', `There is no user "${username}".`, [{ field, message: 'unknown user' }]);
    return user;
  }

  private async product(m: EntityManager, name: string): Promise<BugProductEntity> {
    const product = await m.getRepository(BugProductEntity).findOne({ where: { name } });
    if (!product || !product.isActive)
      throw badRequest('unknown_product', `There is no product "${name}".`, [
        { field: 'product', message: 'unknown product' },
      ]);
    return product;
  }

  /** A version a bug may be moved to or filed against: an inactive one stays on old bugs only (as in Bugzilla). */
  private async checkVersion(m: EntityManager, productId: number, version: string): Promise<void> {
    const found = await m.getRepository(BugVersionEntity).findOne({ where: { productId, name: version } });
    if (!found)
      throw badRequest('unknown_version', `Version "${version}" does not exist for this product.`, [
        { field: 'version', message: 'unknown version' },
      ]);
    if (!found.isActive)
      throw badRequest('version_inactive', `Version "${version}" is no longer open for new bugs.`, [
        { field: 'version', message: 'inactive version' },
      ]);
  }

  /** A general component of the product, else (for package products) a package: the routing. */
  async route(m: EntityManager, product: BugProductEntity, component: string): Promise<Routing> {
    // Names as people type them: "general" is General (a product's component names are unique
    // ignoring case); a package by its exact name first, else the one package so named in any case.
    const general = await m
      .getRepository(BugComponentEntity)
      .createQueryBuilder('c')
      .leftJoinAndSelect('c.sig', 'sig')
      .where('c.productId = :product AND lower(c.name) = lower(:component) AND c.isActive = true', {
        product: product.id,
        component,
      })
      .getOne();
    if (general)
      return {
        componentId: general.id,
        packageId: null,
        sigId: general.sigId,
        defaultAssigneeId: general.defaultAssigneeId ?? general.sig?.bugDefaultAssigneeId ?? null,
        sigSlug: general.sig?.slug ?? null,
      };
    if (product.packageComponents) {
      const packages = m.getRepository(PackageEntity);
      let pkg = await packages.findOne({ where: { name: component }, relations: { sig: true } });
      if (!pkg) {
        const alike = await packages
          .createQueryBuilder('p')
          .leftJoinAndSelect('p.sig', 'sig')
          .where('lower(p.name) = lower(:component)', { component })
          .take(2)
          .getMany();
        if (alike.length === 1) pkg = alike[0];
      }
      if (pkg)
        return {
          componentId: null,
          packageId: pkg.id,
          sigId: pkg.sigId,
          defaultAssigneeId: pkg.sig?.bugDefaultAssigneeId ?? null,
          sigSlug: pkg.sig?.slug ?? null,
        };
    }
    throw badRequest('unknown_component', `"${component}" is not a component of ${product.name}.`, [
      { field: 'component', message: 'unknown component' },
    ]);
  }

  /** Referenced bugs (dependencies, duplicates) must exist and be visible, else they "do not exist". */
  private async checkRefs(m: EntityManager, viewer: BugViewer, ids: number[], field: string): Promise<void> {
    if (!ids.length) return;
    const vis = visibleBugSql('b', viewer);
    const found = await m
      .getRepository(BugEntity)
      .createQueryBuilder('b')
      .select('b.id', 'id')
      .where('b.id IN (:...ids)', { ids })
      .andWhere(vis.sql, vis.params)
      .getRawMany<{ id: number }>();
    const have = new Set(found.map((r) => r.id));
    const missing = ids.filter((id) => !have.has(id));
    if (missing.length)
      throw badRequest('unknown_bug', `Bug ${missing.join(', ')} does not exist.`, [{ field, message: 'unknown bug' }]);
  }

  // ------------------------------------------------------------------ create

  async create(actor: Actor, dto: CreateBugDto): Promise<BugDetailView> {
    const viewer = bugViewer(actor);
    const id = await this.dataSource.transaction(async (m) => {
      const product = await this.product(m, dto.product);
      await this.checkVersion(m, product.id, dto.version);
      const routing = await this.route(m, product, dto.component);
      const privileged =
        viewer.isAdmin ||
        viewer.isTriager ||
        (routing.sigSlug !== null && viewer.roles.includes(`sig:${routing.sigSlug}:member`));
      for (const field of ['assignee', 'qaContact', 'priority', 'whiteboard', 'targetRelease', 'fixedIn'] as const) {
        if (dto[field] !== undefined && dto[field] !== null && !privileged)
          throw forbidden('bug_field_forbidden', `Only triagers and members of the owning SIG may set ${field}.`);
      }
      if (dto.embargoUntil && !viewer.seesAllPrivate)
        throw forbidden('bug_field_forbidden', 'Only the security team may set an embargo.');
      const assignee = dto.assignee
        ? (await this.userByName(m, dto.assignee, 'assignee')).id
        : routing.defaultAssigneeId;
      const qa = dto.qaContact ? (await this.userByName(m, dto.qaContact, 'qaContact')).id : null;
      const repo = m.getRepository(BugEntity);
      const bug = repo.create({
        productId: product.id,
        version: dto.version,
        componentId: routing.componentId,
        packageId: routing.packageId,
        sigId: routing.sigId,
        summary: dto.summary,
        status: privileged ? 'CONFIRMED' : 'UNCONFIRMED',
        resolution: null,
        severity: dto.severity ?? 'normal',
        priority: dto.priority ?? 'P3',
        hardware: dto.hardware ?? 'All',
        opSys: dto.opSys ?? 'Linux',
        reporterId: actor.id,
        assigneeId: assignee,
        qaContactId: qa,
        url: dto.url ?? '',
        whiteboard: dto.whiteboard ?? '',
        keywords: dto.keywords ?? [],
        cveIds: dto.cveIds ?? [],
        seeAlso: dto.seeAlso ?? [],
        targetRelease: dto.targetRelease ?? '',
        fixedIn: dto.fixedIn ?? '',
        isPrivate: dto.isPrivate ?? false,
        embargoUntil: dto.embargoUntil ? new Date(dto.embargoUntil) : null,
      });
      await repo.insert(bug);
      await m
        .getRepository(BugCommentEntity)
        .insert({ bugId: bug.id, count: 0, authorId: actor.id, body: dto.description });
      await this.setAliases(m, bug.id, dto.aliases ?? []);
      if (dto.cc?.length) {
        const users = [];
        // one after another: a transaction's statements share one connection
        for (const name of dto.cc) users.push(await this.userByName(m, name, 'cc'));
        await m.getRepository(BugCcEntity).insert(users.map((u) => ({ bugId: bug.id, userId: u.id })));
      }
      await this.setDependencies(m, viewer, bug.id, dto.dependsOn, dto.blocks);
      await this.refresh(m, [bug.id], true);
      const full = await this.loadFull(m, bug.id);
      await this.notifier.notify(m, full, actor, 'new', [], { body: dto.description, isPrivate: false });
      return bug.id;
    });
    return this.get(actor, id);
  }

  private async setAliases(m: EntityManager, bugId: number, aliases: string[]): Promise<void> {
    await m.getRepository(BugAliasEntity).delete({ bugId });
    if (!aliases.length) return;
    const numeric = aliases.find((a) => /^\d+$/.test(a));
    if (numeric) throw badRequest('invalid_alias', 'An alias cannot be a number.');
    try {
      await m.getRepository(BugAliasEntity).insert(aliases.map((alias) => ({ alias, bugId })));
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict('alias_taken', 'One of these aliases already names another bug.');
      throw e;
    }
  }

  /**
   * Replaces dependency lists. One transaction-scoped advisory lock serialises every dependency
   * change, so two concurrent edits cannot close a cycle that neither sees alone.
   */
  private async setDependencies(
    m: EntityManager,
    viewer: BugViewer,
    bugId: number,
    dependsOn: number[] | undefined,
    blocks: number[] | undefined,
  ): Promise<BugChange[]> {
    if (dependsOn === undefined && blocks === undefined) return [];
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('och:bug-dependencies'))`);
    const repo = m.getRepository(BugDependencyEntity);
    const changes: BugChange[] = [];
    const apply = async (field: 'dependsOn' | 'blocks', wanted: number[]) => {
      if (wanted.includes(bugId)) throw badRequest('dependency_cycle', 'A bug cannot depend on itself.');
      await this.checkRefs(m, viewer, wanted, field);
      const current =
        field === 'dependsOn'
          ? (await repo.find({ where: { bugId } })).map((d) => d.dependsOnId)
          : (await repo.find({ where: { dependsOnId: bugId } })).map((d) => d.bugId);
      const add = wanted.filter((x) => !current.includes(x));
      // Only visible links can be removed by this viewer: hidden ones stay as they are.
      const visibleCurrent = await this.visibleIds(m, viewer, current);
      const remove = visibleCurrent.filter((x) => !wanted.includes(x));
      for (const other of add) {
        const [from, to] = field === 'dependsOn' ? [bugId, other] : [other, bugId];
        const cycle: { found: boolean }[] = await m.query(
          `WITH RECURSIVE reach(id) AS (
             SELECT depends_on_id FROM bug_dependencies WHERE bug_id = $1
             UNION SELECT d.depends_on_id FROM bug_dependencies d JOIN reach r ON d.bug_id = r.id)
           SELECT EXISTS (SELECT 1 FROM reach WHERE id = $2) AS found`,
          [to, from],
        );
        if (cycle[0]?.found)
          throw badRequest('dependency_cycle', `Bug ${from} cannot depend on bug ${to}: that would make a cycle.`);
        await repo.insert({ bugId: from, dependsOnId: to });
      }
      for (const other of remove) {
        const [from, to] = field === 'dependsOn' ? [bugId, other] : [other, bugId];
        await repo.delete({ bugId: from, dependsOnId: to });
      }
      if (add.length || remove.length)
        changes.push({
          field: field === 'dependsOn' ? 'depends_on' : 'blocks',
          removed: remove.join(', '),
          added: add.join(', '),
        });
    };
    if (dependsOn !== undefined) await apply('dependsOn', dependsOn);
    if (blocks !== undefined) await apply('blocks', blocks);
    return changes;
  }

  private async visibleIds(m: EntityManager, viewer: BugViewer, ids: number[]): Promise<number[]> {
    if (!ids.length) return [];
    const vis = visibleBugSql('b', viewer);
    const rows = await m
      .getRepository(BugEntity)
      .createQueryBuilder('b')
      .select('b.id', 'id')
      .where('b.id IN (:...ids)', { ids })
      .andWhere(vis.sql, vis.params)
      .orderBy('b.id')
      .getRawMany<{ id: number }>();
    return rows.map((r) => r.id);
  }

  /** Recomputes derived columns: the public comment count, heat and (optionally) the search vector. */
  async refresh(m: EntityManager, ids: number[], search: boolean): Promise<void> {
    await refreshBugDerived(m, ids, search);
  }

  // ------------------------------------------------------------------ read

  async get(actor: Actor | null, id: number): Promise<BugDetailView> {
    const viewer = bugViewer(actor);
    const m = this.dataSource.manager;
    await this.findVisible(m, viewer, id);
    const bug = await this.loadFull(m, id);
    const perms = await this.perms(m, viewer, bug);
    const [aliases, cc, deps, blockers, dupes, flags, comments, attachments] = await Promise.all([
      m.getRepository(BugAliasEntity).find({ where: { bugId: id }, order: { alias: 'ASC' } }),
      m.getRepository(BugCcEntity).find({ where: { bugId: id }, relations: { user: true } }),
      m.getRepository(BugDependencyEntity).find({ where: { bugId: id } }),
      m.getRepository(BugDependencyEntity).find({ where: { dependsOnId: id } }),
      m.getRepository(BugEntity).find({ where: { dupeOfId: id }, select: { id: true } }),
      m
        .getRepository(BugFlagEntity)
        .find({ where: { bugId: id }, relations: { requestee: true, setter: true }, order: { id: 'ASC' } }),
      m.getRepository(BugCommentEntity).find({
        where: perms.seesPrivateComments ? { bugId: id } : { bugId: id, isPrivate: false },
        relations: { author: true },
        order: { count: 'ASC' },
      }),
      m.getRepository(BugAttachmentEntity).find({
        where: perms.seesPrivateComments ? { bugId: id } : { bugId: id, isPrivate: false },
        relations: { creator: true },
        order: { id: 'ASC' },
      }),
    ]);
    // The linked bugs this viewer may see, in one statement for every kind of link.
    const visible = new Set(
      await this.visibleIds(m, viewer, [
        ...deps.map((d) => d.dependsOnId),
        ...blockers.map((d) => d.bugId),
        ...dupes.map((d) => d.id),
        ...(bug.dupeOfId === null ? [] : [bug.dupeOfId]),
      ]),
    );
    const seen = (ids: number[]) => ids.filter((x) => visible.has(x)).sort((a, b) => a - b);
    const dependsOn = seen(deps.map((d) => d.dependsOnId));
    const blocks = seen(blockers.map((d) => d.bugId));
    const duplicates = seen(dupes.map((d) => d.id));
    const me =
      viewer.id === null
        ? null
        : {
            affected: await m.getRepository(BugAffectsEntity).exists({ where: { bugId: id, userId: viewer.id } }),
            cc: cc.some((c) => c.userId === viewer.id),
            needinfo: flags.some((f) => f.requesteeId === viewer.id),
          };
    return {
      ...bugListItem(bug),
      aliases: aliases.map((a) => a.alias),
      hardware: bug.hardware,
      opSys: bug.opSys,
      qaContact: bug.qaContact?.username ?? null,
      url: bug.url,
      whiteboard: bug.whiteboard,
      cveIds: bug.cveIds,
      seeAlso: bug.seeAlso,
      targetRelease: bug.targetRelease,
      fixedIn: bug.fixedIn,
      embargoUntil: bug.embargoUntil,
      dupeOf: bug.dupeOfId !== null && visible.has(bug.dupeOfId) ? bug.dupeOfId : null,
      duplicates,
      dependsOn,
      blocks,
      cc: cc.map((c) => c.user!.username).sort(),
      package: bug.package?.name ?? null,
      flags: flags.map((f) => ({
        name: f.name,
        requestee: f.requestee!.username,
        setter: f.setter!.username,
        createdAt: f.createdAt,
      })),
      comments: comments.map(commentView),
      attachments: attachments.map((a) => ({
        id: a.id,
        bugId: a.bugId,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        sha256: a.sha256,
        description: a.description,
        isPatch: a.isPatch,
        isPrivate: a.isPrivate,
        isObsolete: a.isObsolete,
        creator: a.creator!.username,
        createdAt: a.createdAt,
      })),
      permissions: {
        canComment: perms.loggedIn,
        canEdit: perms.editAll,
        editableFields: editableFields(perms),
        transitions: allowedTransitions(perms, bug.status),
        canCommentPrivately: perms.seesPrivateComments,
        canSetPrivate: viewer.seesAllPrivate || perms.reporter,
      },
      me,
    };
  }

  async history(actor: Actor | null, id: number): Promise<HistoryEntryView[]> {
    const viewer = bugViewer(actor);
    await this.findVisible(this.dataSource.manager, viewer, id);
    const rows = await this.dataSource.getRepository(BugHistoryEntity).find({
      where: viewer.seesAllPrivate ? { bugId: id } : { bugId: id, isPrivate: false },
      relations: { actor: true },
      order: { id: 'ASC' },
    });
    return rows.map((h) => ({
      who: h.actor?.username ?? null,
      when: h.at,
      field: h.field,
      removed: h.removed,
      added: h.added,
    }));
  }

  async comments(actor: Actor | null, id: number, since?: Date): Promise<CommentView[]> {
    const viewer = bugViewer(actor);
    await this.findVisible(this.dataSource.manager, viewer, id);
    const qb = this.dataSource
      .getRepository(BugCommentEntity)
      .createQueryBuilder('c')
      .innerJoinAndSelect('c.author', 'a')
      .where('c.bug_id = :id', { id })
      .orderBy('c.count', 'ASC');
    if (!viewer.seesAllPrivate) qb.andWhere('NOT c.is_private');
    if (since) qb.andWhere('c.created_at >= :since', { since });
    return (await qb.getMany()).map(commentView);
  }

  // ------------------------------------------------------------------ change

  async update(actor: Actor, id: number, dto: UpdateBugDto): Promise<BugDetailView> {
    const viewer = bugViewer(actor);
    await this.dataSource.transaction(async (m) => {
      await this.findVisible(m, viewer, id, true);
      const bug = await this.loadFull(m, id);
      if (dto.ifUnmodifiedSince && bug.updatedAt.getTime() > Date.parse(dto.ifUnmodifiedSince))
        throw conflict('mid_air_collision', 'Someone else changed this bug since you loaded it. Reload and try again.');
      const perms = await this.perms(m, viewer, bug);
      const allowed = new Set(editableFields(perms));
      const { status, resolution, dupeOf, ...fields } = dto;
      for (const [key, value] of Object.entries(fields)) {
        if (key === 'ifUnmodifiedSince') continue;
        if (value === undefined) continue;
        if (!allowed.has(key)) throw forbidden('bug_field_forbidden', `You may not change ${key} on this bug.`);
      }
      if (dto.cc && !perms.editAll) {
        const others = [...(dto.cc.add ?? []), ...(dto.cc.remove ?? [])].filter(
          (u) => u.toLowerCase() !== actor.username.toLowerCase(),
        );
        if (others.length) throw forbidden('bug_field_forbidden', 'You may only add or remove yourself from CC.');
      }
      if (dto.isPrivate !== undefined && dto.isPrivate !== bug.isPrivate) {
        if (!viewer.seesAllPrivate && !((perms.reporter || perms.editAll) && dto.isPrivate))
          throw forbidden('bug_field_forbidden', 'Only the security team may make a private bug public.');
      }
      if (dto.embargoUntil !== undefined && !viewer.seesAllPrivate)
        throw forbidden('bug_field_forbidden', 'Only the security team may set an embargo.');
      if (dto.comment?.isPrivate && !perms.seesPrivateComments)
        throw forbidden('private_comment_forbidden', 'Only the security team may write private comments.');

      const changes: BugChange[] = [];
      const set: Partial<BugEntity> = {};
      const record = (field: string, before: string, after: string) => {
        if (before !== after) changes.push({ field, removed: before, added: after });
      };

      // Product, component and the routing that follows them.
      if (dto.product !== undefined || dto.component !== undefined) {
        const product = dto.product !== undefined ? await this.product(m, dto.product) : bug.product!;
        const componentName = dto.component ?? bug.package?.name ?? bug.component?.name ?? '';
        const routing = await this.route(m, product, componentName);
        if (product.id !== bug.productId) {
          await this.checkVersion(m, product.id, dto.version ?? bug.version);
          set.productId = product.id;
          record('product', bug.product!.name, product.name);
        }
        if (routing.componentId !== bug.componentId || routing.packageId !== bug.packageId) {
          set.componentId = routing.componentId;
          set.packageId = routing.packageId;
          record('component', bug.package?.name ?? bug.component?.name ?? '', componentName);
        }
        if (routing.sigId !== bug.sigId) {
          set.sigId = routing.sigId;
          record('sig', bug.sig?.slug ?? '', routing.sigSlug ?? '');
        }
      }
      if (dto.version !== undefined && dto.version !== bug.version) {
        await this.checkVersion(m, set.productId ?? bug.productId, dto.version);
        set.version = dto.version;
        record('version', bug.version, dto.version);
      }
      const scalar = [
        'summary',
        'severity',
        'priority',
        'hardware',
        'opSys',
        'url',
        'whiteboard',
        'targetRelease',
        'fixedIn',
      ] as const;
      for (const key of scalar) {
        const value = dto[key];
        if (value !== undefined && value !== bug[key]) {
          (set as Record<string, unknown>)[key] = value;
          record(HISTORY_NAME[key] ?? key, bug[key], value);
        }
      }
      for (const key of ['keywords', 'cveIds', 'seeAlso'] as const) {
        const value = dto[key];
        if (value === undefined) continue;
        const before = [...bug[key]].sort().join(', ');
        const after = [...value].sort().join(', ');
        if (before !== after) {
          set[key] = value;
          record(HISTORY_NAME[key] ?? key, before, after);
        }
      }
      for (const key of ['assignee', 'qaContact'] as const) {
        const value = dto[key];
        if (value === undefined) continue;
        const column = key === 'assignee' ? 'assigneeId' : 'qaContactId';
        const before = (key === 'assignee' ? bug.assignee : bug.qaContact)?.username ?? '';
        const user = value === null ? null : await this.userByName(m, value, key);
        if ((user?.id ?? null) !== bug[column]) {
          set[column] = user?.id ?? null;
          record(key === 'assignee' ? 'assigned_to' : 'qa_contact', before, user?.username ?? '');
        }
      }
      if (dto.isPrivate !== undefined && dto.isPrivate !== bug.isPrivate) {
        set.isPrivate = dto.isPrivate;
        record('is_private', String(bug.isPrivate), String(dto.isPrivate));
      }
      if (dto.embargoUntil !== undefined) {
        const next = dto.embargoUntil === null ? null : new Date(dto.embargoUntil);
        if ((next?.getTime() ?? null) !== (bug.embargoUntil?.getTime() ?? null)) {
          set.embargoUntil = next;
          record('embargo_until', bug.embargoUntil?.toISOString() ?? '', next?.toISOString() ?? '');
        }
      }

      // Status, resolution, duplicates.
      let event: BugEvent = 'fields';
      let dupeTarget: number | null = null;
      if (status !== undefined || resolution !== undefined || dupeOf !== undefined) {
        const nextStatus = status ?? (resolution !== undefined || dupeOf !== undefined ? 'RESOLVED' : bug.status);
        const closed = nextStatus === 'RESOLVED' || nextStatus === 'VERIFIED';
        let nextResolution: string | null = closed
          ? (resolution ?? (dupeOf !== undefined ? 'DUPLICATE' : bug.resolution))
          : null;
        if (closed && !nextResolution)
          throw badRequest(
            'resolution_required',
            'Say how the bug was resolved (FIXED, INVALID, WONTFIX, DUPLICATE, WORKSFORME).',
            [{ field: 'resolution', message: 'required when resolving' }],
          );
        if (!closed && resolution !== undefined)
          throw badRequest('resolution_not_allowed', 'Only RESOLVED and VERIFIED bugs have a resolution.');
        if (nextStatus !== bug.status || nextResolution !== bug.resolution) {
          const transitions = allowedTransitions(perms, bug.status);
          const ok =
            nextStatus === bug.status
              ? transitions.some(
                  (t) => t.status === 'RESOLVED' && closed && t.resolutions.includes(nextResolution ?? ''),
                )
              : transitions.some(
                  (t) =>
                    t.status === nextStatus &&
                    (t.resolutions.length === 0 || t.resolutions.includes(nextResolution ?? '')),
                );
          if (!ok)
            throw forbidden('transition_forbidden', `You may not move this bug from ${bug.status} to ${nextStatus}.`);
        }
        if (nextResolution === 'DUPLICATE') {
          const target = dupeOf ?? bug.dupeOfId;
          if (!target)
            throw badRequest('duplicate_needs_original', 'Resolving as DUPLICATE needs the original bug.', [
              { field: 'dupeOf', message: 'required for DUPLICATE' },
            ]);
          dupeTarget = await this.originalOf(m, viewer, target, id);
        } else if (dupeOf !== undefined) {
          throw badRequest('duplicate_needs_resolution', 'dupeOf is only for resolving as DUPLICATE.');
        }
        if (nextResolution !== 'DUPLICATE') nextResolution = nextResolution ?? null;
        if (nextStatus !== bug.status) {
          set.status = nextStatus;
          record('status', bug.status, nextStatus);
          event = 'status';
        }
        if (nextResolution !== bug.resolution) {
          set.resolution = nextResolution;
          record('resolution', bug.resolution ?? '', nextResolution ?? '');
          event = 'status';
        }
        if (dupeTarget !== bug.dupeOfId) {
          set.dupeOfId = dupeTarget;
          record(
            'dupe_of',
            bug.dupeOfId === null ? '' : String(bug.dupeOfId),
            dupeTarget === null ? '' : String(dupeTarget),
          );
        }
      }

      if (Object.keys(set).length) {
        await m
          .getRepository(BugEntity)
          .createQueryBuilder()
          .update()
          .set({ ...set, updatedAt: () => 'now()' })
          .where('id = :id', { id })
          .execute();
      }
      if (dto.aliases !== undefined) {
        const before = (await m.getRepository(BugAliasEntity).find({ where: { bugId: id } }))
          .map((a) => a.alias)
          .sort();
        const after = [...dto.aliases].sort();
        if (before.join(', ') !== after.join(', ')) {
          await this.setAliases(m, id, dto.aliases);
          record('alias', before.join(', '), after.join(', '));
        }
      }
      changes.push(...(await this.setDependencies(m, viewer, id, dto.dependsOn, dto.blocks)));
      const ccAdd = [...(dto.cc?.add ?? [])];
      // Whoever makes a bug private keeps seeing it: they join its CC if nothing else lets them in.
      const assigneeAfter = set.assigneeId !== undefined ? set.assigneeId : bug.assigneeId;
      const qaAfter = set.qaContactId !== undefined ? set.qaContactId : bug.qaContactId;
      if (set.isPrivate && !viewer.seesAllPrivate && ![bug.reporterId, assigneeAfter, qaAfter].includes(actor.id))
        ccAdd.push(actor.username);
      if (ccAdd.length || dto.cc?.remove?.length)
        changes.push(...(await this.changeCc(m, id, ccAdd, dto.cc?.remove ?? [])));

      let comment: BugCommentEntity | null = null;
      if (dto.comment) {
        comment = await this.insertComment(m, id, actor, dto.comment);
        if (event === 'fields') event = 'comment';
      }
      if (dupeTarget !== null && dupeTarget !== bug.dupeOfId)
        await this.markedDuplicate(m, id, dupeTarget, bug.reporterId, actor);
      if (!changes.length && !comment) return;
      await this.writeHistory(m, id, actor.id, changes);
      if (!Object.keys(set).length) await m.query(`UPDATE bugs SET updated_at = now() WHERE id = $1`, [id]);
      const touchedSearch =
        changes.some((c) => c.field === 'short_desc' || c.field === 'alias') ||
        (comment !== null && !comment.isPrivate);
      await this.refresh(m, [id], touchedSearch);
      if (dupeTarget !== null) await this.refresh(m, [dupeTarget], false);
      const full = await this.loadFull(m, id);
      await this.notifier.notify(
        m,
        full,
        actor,
        event,
        changes,
        comment ? { body: comment.body, isPrivate: comment.isPrivate } : null,
        bug,
      );
    });
    return this.get(actor, id);
  }

  /** Follows a duplicate chain to the bug everything was folded into; refuses loops back to `self`. */
  private async originalOf(m: EntityManager, viewer: BugViewer, target: number, self: number): Promise<number> {
    await this.checkRefs(m, viewer, [target], 'dupeOf');
    let current = target;
    for (let hops = 0; hops < 50; hops++) {
      if (current === self)
        throw badRequest('duplicate_cycle', 'A bug cannot be a duplicate of itself or of its own duplicates.');
      const row = await m
        .getRepository(BugEntity)
        .findOne({ where: { id: current }, select: { id: true, dupeOfId: true } });
      if (!row?.dupeOfId) return current;
      current = row.dupeOfId;
    }
    throw badRequest('duplicate_cycle', 'The duplicate chain is too long.');
  }

  /** As Bugzilla: the original gets a note and the duplicate's reporter joins its CC. */
  private async markedDuplicate(m: EntityManager, dupId: number, originalId: number, reporterId: number, actor: Actor) {
    await m.query(`SELECT id FROM bugs WHERE id = $1 FOR UPDATE`, [originalId]);
    await m
      .getRepository(BugCcEntity)
      .createQueryBuilder()
      .insert()
      .values({ bugId: originalId, userId: reporterId })
      .orIgnore()
      .execute();
    await this.insertComment(m, originalId, actor, {
      body: `*** Bug ${dupId} has been marked as a duplicate of this bug. ***`,
    });
    await m.query(`UPDATE bugs SET updated_at = now() WHERE id = $1`, [originalId]);
  }

  private async changeCc(m: EntityManager, bugId: number, add: string[], remove: string[]): Promise<BugChange[]> {
    const repo = m.getRepository(BugCcEntity);
    const added: string[] = [];
    const removed: string[] = [];
    for (const name of add) {
      const user = await this.userByName(m, name, 'cc');
      // RETURNING yields a row only when the insert happened (not when the user was already on CC)
      const res = await repo
        .createQueryBuilder()
        .insert()
        .values({ bugId, userId: user.id })
        .orIgnore()
        .returning('user_id')
        .execute();
      if ((res.raw as unknown[]).length) added.push(user.username);
    }
    for (const name of remove) {
      const user = await this.userByName(m, name, 'cc');
      const res = await repo.delete({ bugId, userId: user.id });
      if (res.affected) removed.push(user.username);
    }
    return added.length || removed.length
      ? [{ field: 'cc', removed: removed.join(', '), added: added.join(', ') }]
      : [];
  }

  private async writeHistory(m: EntityManager, bugId: number, actorId: number, changes: BugChange[]): Promise<void> {
    if (!changes.length) return;
    await m.getRepository(BugHistoryEntity).insert(
      changes.map((c) => ({
        bugId,
        actorId,
        field: c.field,
        removed: c.removed.slice(0, 4000),
        added: c.added.slice(0, 4000),
        isPrivate: c.isPrivate ?? false,
      })),
    );
  }

  private async insertComment(
    m: EntityManager,
    bugId: number,
    actor: Actor,
    input: CommentInputDto,
  ): Promise<BugCommentEntity> {
    const next = await nextCommentCount(m, bugId);
    const repo = m.getRepository(BugCommentEntity);
    const row = repo.create({
      bugId,
      count: next,
      authorId: actor.id,
      body: input.body,
      isPrivate: input.isPrivate ?? false,
    });
    await repo.insert(row);
    // Answering a needinfo: the requestee's comment clears their flag, as in Bugzilla.
    const cleared = await m.getRepository(BugFlagEntity).delete({ bugId, requesteeId: actor.id, name: 'needinfo' });
    if (cleared.affected)
      await this.writeHistory(m, bugId, actor.id, [
        { field: 'flagtypes.name', removed: `needinfo?(${actor.username})`, added: '' },
      ]);
    return row;
  }

  async addComment(actor: Actor, id: number, input: CommentInputDto): Promise<CommentView> {
    const viewer = bugViewer(actor);
    const commentId = await this.dataSource.transaction(async (m) => {
      await this.findVisible(m, viewer, id, true);
      if (input.isPrivate && !viewer.seesAllPrivate)
        throw forbidden('private_comment_forbidden', 'Only the security team may write private comments.');
      const before = await this.loadFull(m, id);
      const comment = await this.insertComment(m, id, actor, input);
      await m.query(`UPDATE bugs SET updated_at = now() WHERE id = $1`, [id]);
      await this.refresh(m, [id], !comment.isPrivate);
      await this.notifier.notify(m, before, actor, 'comment', [], { body: comment.body, isPrivate: comment.isPrivate });
      return comment.id;
    });
    const row = await this.dataSource
      .getRepository(BugCommentEntity)
      .findOneOrFail({ where: { id: commentId }, relations: { author: true } });
    return commentView(row);
  }

  /** Authors edit their own comments (admins any); every earlier text is kept. */
  async editComment(actor: Actor, bugId: number, commentId: number, body: string): Promise<CommentView> {
    const viewer = bugViewer(actor);
    await this.dataSource.transaction(async (m) => {
      await this.findVisible(m, viewer, bugId, true);
      const comment = await m.getRepository(BugCommentEntity).findOne({ where: { id: commentId, bugId } });
      if (!comment || (comment.isPrivate && !viewer.seesAllPrivate)) throw notFound('Comment');
      if (comment.authorId !== actor.id && !viewer.isAdmin)
        throw forbidden('comment_edit_forbidden', 'Only the author may edit a comment.');
      if (comment.body === body) return;
      await m.getRepository(BugCommentRevisionEntity).insert({ commentId, body: comment.body, editedById: actor.id });
      await m.getRepository(BugCommentEntity).update({ id: commentId }, { body, editedAt: new Date() });
      await this.refresh(m, [bugId], !comment.isPrivate);
    });
    const row = await this.dataSource
      .getRepository(BugCommentEntity)
      .findOneOrFail({ where: { id: commentId }, relations: { author: true } });
    return commentView(row);
  }

  async commentRevisions(actor: Actor | null, bugId: number, commentId: number): Promise<CommentRevisionView[]> {
    const viewer = bugViewer(actor);
    await this.findVisible(this.dataSource.manager, viewer, bugId);
    const comment = await this.dataSource.getRepository(BugCommentEntity).findOne({ where: { id: commentId, bugId } });
    if (!comment || (comment.isPrivate && !viewer.seesAllPrivate)) throw notFound('Comment');
    const rows = await this.dataSource
      .getRepository(BugCommentRevisionEntity)
      .find({ where: { commentId }, relations: { editedBy: true }, order: { id: 'ASC' } });
    return rows.map((r) => ({ body: r.body, editedBy: r.editedBy?.username ?? null, editedAt: r.editedAt }));
  }

  async setAffects(actor: Actor, id: number, affected: boolean): Promise<AffectsView> {
    const viewer = bugViewer(actor);
    return this.dataSource.transaction(async (m) => {
      await this.findVisible(m, viewer, id, true);
      const repo = m.getRepository(BugAffectsEntity);
      if (affected)
        await repo.createQueryBuilder().insert().values({ bugId: id, userId: actor.id }).orIgnore().execute();
      else await repo.delete({ bugId: id, userId: actor.id });
      await m.query(
        `UPDATE bugs SET affected_count = (SELECT count(*) FROM bug_affects WHERE bug_id = $1) WHERE id = $1`,
        [id],
      );
      await this.refresh(m, [id], false);
      const bug = await m.getRepository(BugEntity).findOneByOrFail({ id });
      return { affected, affectedCount: bug.affectedCount };
    });
  }

  async requestNeedinfo(actor: Actor, id: number, dto: NeedinfoDto): Promise<BugDetailView> {
    const viewer = bugViewer(actor);
    await this.dataSource.transaction(async (m) => {
      const bug = await this.findVisible(m, viewer, id, true);
      const perms = await this.perms(m, viewer, bug);
      if (!perms.editAll && !perms.reporter)
        throw forbidden(
          'needinfo_forbidden',
          'Only the reporter and people working on the bug may ask for information.',
        );
      const requestee = await this.userByName(m, dto.user, 'user');
      if (dto.question) await this.insertComment(m, id, actor, { body: dto.question });
      const res = await m
        .getRepository(BugFlagEntity)
        .createQueryBuilder()
        .insert()
        .values({ bugId: id, name: 'needinfo', requesteeId: requestee.id, setterId: actor.id })
        .orIgnore()
        .execute();
      if (!(res.raw as unknown[]).length)
        throw conflict('needinfo_exists', `${requestee.username} has already been asked.`);
      await this.writeHistory(m, id, actor.id, [
        { field: 'flagtypes.name', removed: '', added: `needinfo?(${requestee.username})` },
      ]);
      await m.query(`UPDATE bugs SET updated_at = now() WHERE id = $1`, [id]);
      await this.refresh(m, [id], !!dto.question);
      const full = await this.loadFull(m, id);
      await this.notifier.needinfo(m, full, actor, requestee, dto.question ?? null);
    });
    return this.get(actor, id);
  }

  async clearNeedinfo(actor: Actor, id: number, username: string): Promise<void> {
    const viewer = bugViewer(actor);
    await this.dataSource.transaction(async (m) => {
      const bug = await this.findVisible(m, viewer, id, true);
      const requestee = await this.userByName(m, username, 'user');
      const perms = await this.perms(m, viewer, bug);
      if (requestee.id !== actor.id && !perms.editAll && !perms.reporter)
        throw forbidden('needinfo_forbidden', 'You may only clear requests addressed to you.');
      const res = await m
        .getRepository(BugFlagEntity)
        .delete({ bugId: id, requesteeId: requestee.id, name: 'needinfo' });
      if (!res.affected) throw notFound('Needinfo request');
      await this.writeHistory(m, id, actor.id, [
        { field: 'flagtypes.name', removed: `needinfo?(${requestee.username})`, added: '' },
      ]);
    });
  }

  // ------------------------------------------------------------------ lists

  async myBugs(actor: Actor, q: MyBugsQueryDto): Promise<BugPage> {
    const viewer = bugViewer(actor);
    const limit = q.limit ?? 25;
    const vis = visibleBugSql('b', viewer);
    const qb = this.dataSource
      .getRepository(BugEntity)
      .createQueryBuilder('b')
      .where(vis.sql, vis.params)
      .orderBy('b.id', 'DESC')
      .limit(limit + 1);
    if (q.role === 'reported') qb.andWhere('b.reporter_id = :me', { me: actor.id });
    if (q.role === 'assigned') qb.andWhere('b.assignee_id = :me', { me: actor.id });
    if (q.role === 'cc')
      qb.andWhere('EXISTS (SELECT 1 FROM bug_cc c WHERE c.bug_id = b.id AND c.user_id = :me)', { me: actor.id });
    if (q.role === 'needinfo')
      qb.andWhere('EXISTS (SELECT 1 FROM bug_flags f WHERE f.bug_id = b.id AND f.requestee_id = :me)', {
        me: actor.id,
      });
    if (!q.closed && q.role !== 'needinfo') qb.andWhere('b.status IN (:...open)', { open: [...OPEN_STATUSES] });
    const after = decodeCursor(q.cursor);
    if (after !== null) qb.andWhere('b.id < :after', { after });
    return this.listPage(qb, limit);
  }

  /**
   * A page of list rows for a query of bugs `b` ordered newest first and limited to one more than
   * the page: the ids, then their rows with related names by primary key (loadListItems) — joined
   * relations let the planner hash-join whole tables to decorate a page.
   */
  private async listPage(qb: SelectQueryBuilder<BugEntity>, limit: number): Promise<BugPage> {
    const ids = (await qb.select('b.id', 'id').getRawMany<{ id: number }>()).map((r) => r.id);
    const page = ids.slice(0, limit);
    return {
      items: await loadListItems(this.dataSource.manager, page),
      nextCursor: ids.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  /** A SIG's triage queue: its open bugs nobody has confirmed or taken yet, newest first. */
  async triageQueue(actor: Actor | null, slug: string, limit = 25, cursor?: string): Promise<BugPage> {
    const viewer = bugViewer(actor);
    const sig = await this.dataSource.getRepository(SigEntity).findOne({ where: { slug } });
    if (!sig) throw notFound('SIG');
    const vis = visibleBugSql('b', viewer);
    const qb = this.dataSource
      .getRepository(BugEntity)
      .createQueryBuilder('b')
      .where('b.sig_id = :sigId', { sigId: sig.id })
      .andWhere(`(b.status = 'UNCONFIRMED' OR (b.status IN ('CONFIRMED', 'IN_PROGRESS') AND b.assignee_id IS NULL))`)
      .andWhere(vis.sql, vis.params)
      .orderBy('b.id', 'DESC')
      .limit(limit + 1);
    const after = decodeCursor(cursor);
    if (after !== null) qb.andWhere('b.id < :after', { after });
    return this.listPage(qb, limit);
  }
}

/** Bugzilla's names for fields in history, so the REST history reads like Bugzilla's. */
const HISTORY_NAME: Record<string, string> = {
  summary: 'short_desc',
  severity: 'bug_severity',
  priority: 'priority',
  hardware: 'rep_platform',
  opSys: 'op_sys',
  url: 'bug_file_loc',
  whiteboard: 'status_whiteboard',
  targetRelease: 'target_milestone',
  fixedIn: 'cf_fixed_in',
  keywords: 'keywords',
  cveIds: 'cf_cve',
  seeAlso: 'see_also',
};

export const commentView = (c: BugCommentEntity): CommentView => ({
  id: c.id,
  count: c.count,
  author: userRef(c.author!),
  body: c.body,
  isPrivate: c.isPrivate,
  attachmentId: c.attachmentId,
  createdAt: c.createdAt,
  editedAt: c.editedAt,
});
