import { DataSource, EntityManager } from 'typeorm';
import { refreshBugDerived } from '../bugs/bug-derived';
import { USERNAME_PATTERN } from '../users/user.entity';
import {
  type BugzillaClient,
  type BzBug,
  type BzComment,
  type BzHistoryEntry,
  type BzProduct,
  mapLimit,
} from './bugzilla-client';

export interface BugzillaImportOptions {
  /** Product names; all products the key can read when empty. */
  products?: string[];
  /** Only bugs Bugzilla changed at or after this moment (pending references are still resolved). */
  since?: Date;
  /** Reads everything from Bugzilla and the database, writes nothing, reports what it would do. */
  dryRun?: boolean;
  /** Bugs fetched (comments + history) before they are written; bounds memory on large sites. */
  chunkSize?: number;
}

export interface ImportMessage {
  /** The Bugzilla bug id, when the message is about one bug. */
  bug?: number;
  message: string;
}

export interface BugzillaImportReport {
  source: string;
  dryRun: boolean;
  bugs: { created: number; updated: number; skipped: number; failed: number };
  users: { matched: number; created: number };
  products: { created: string[] };
  components: { created: string[] };
  /** Bugzilla ids that were already taken by a local bug; the alias bz<id> names the new bug. */
  remapped: { sourceId: number; bugId: number }[];
  /** Duplicate and dependency links resolved after their target was imported. */
  linksResolved: number;
  /** A bug that could not be imported (it was skipped), or a failure of the whole run. */
  problems: ImportMessage[];
  /** A bug that was imported with a value adjusted (unknown severity, MOVED resolution …). */
  notes: ImportMessage[];
}

/** Bugzilla 5's default workflow maps 1:1; the pre-5.0 statuses as checksetup.pl migrates them. */
const STATUS_MAP: Record<string, string> = {
  UNCONFIRMED: 'UNCONFIRMED',
  CONFIRMED: 'CONFIRMED',
  IN_PROGRESS: 'IN_PROGRESS',
  RESOLVED: 'RESOLVED',
  VERIFIED: 'VERIFIED',
  NEW: 'CONFIRMED',
  ASSIGNED: 'IN_PROGRESS',
  REOPENED: 'CONFIRMED',
  CLOSED: 'VERIFIED',
};
const RESOLUTIONS = new Set(['FIXED', 'INVALID', 'WONTFIX', 'DUPLICATE', 'WORKSFORME']);
const SEVERITIES = new Set(['blocker', 'critical', 'major', 'normal', 'minor', 'trivial', 'enhancement']);
/** Bugzilla 5 names priorities Highest … Lowest; older sites use P1 … P5. */
const PRIORITY_MAP: Record<string, string> = {
  P1: 'P1',
  P2: 'P2',
  P3: 'P3',
  P4: 'P4',
  P5: 'P5',
  Highest: 'P1',
  High: 'P2',
  Normal: 'P3',
  Low: 'P4',
  Lowest: 'P5',
  '---': 'P3',
};
const ALIAS_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/;

class BugProblem extends Error {}

/** The mapped scalar fields of one bug, before any row is written. */
export interface PlannedBug {
  status: string;
  resolution: string | null;
  severity: string;
  priority: string;
  isPrivate: boolean;
  notes: string[];
}

const clip = (s: string | null | undefined, n: number): string => (s ?? '').slice(0, n);

/** Maps status, resolution, severity and priority; throws BugProblem when it would have to guess. */
export function planBug(b: BzBug): PlannedBug {
  const notes: string[] = [];
  const status = STATUS_MAP[b.status];
  if (!status) throw new BugProblem(`unknown status "${b.status}"; bug skipped (add it to the status map)`);
  let resolution: string | null = null;
  if (status === 'RESOLVED' || status === 'VERIFIED') {
    if (!b.resolution) throw new BugProblem(`status ${b.status} without a resolution; bug skipped`);
    if (RESOLUTIONS.has(b.resolution)) resolution = b.resolution;
    else {
      resolution = 'INVALID';
      notes.push(`resolution ${b.resolution} imported as INVALID`);
    }
    if (resolution === 'DUPLICATE' && !b.dupe_of) throw new BugProblem('DUPLICATE without dupe_of; bug skipped');
  }
  let severity = b.severity;
  if (!SEVERITIES.has(severity)) {
    notes.push(`severity "${b.severity}" imported as normal`);
    severity = 'normal';
  }
  let priority = PRIORITY_MAP[b.priority];
  if (!priority) {
    notes.push(`priority "${b.priority}" imported as P3`);
    priority = 'P3';
  }
  return { status, resolution, severity, priority, isPrivate: b.groups.length > 0, notes };
}

/** A username for an address's local part, in USERNAME_PATTERN's alphabet (not yet deduplicated). */
export function usernameFor(email: string): string {
  let s = (email.split('@')[0] ?? '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 28);
  if (s.length < 3) s = `bz-${s || 'user'}`.slice(0, 28);
  return USERNAME_PATTERN.test(s) ? s : 'bz-user';
}

interface Routing {
  componentId: number | null;
  packageId: number | null;
  sigId: number | null;
}

interface LocalProduct {
  id: number;
  packageComponents: boolean;
}

interface Mapping {
  bugId: number;
  lastChangeTime: Date;
  historyCount: number;
}

interface Fetched {
  bug: BzBug;
  existing: Mapping | undefined;
  comments?: BzComment[];
  history?: BzHistoryEntry[];
  error?: string;
}

/**
 * Imports a Bugzilla 5 instance over its REST API: products, components, users, bugs with their
 * comments (private ones stay private), history, CC, aliases, keywords, see-also, duplicates and
 * dependencies. Idempotent: bug_imports maps each source bug to its local bug; a re-run updates
 * bugs whose last_change_time moved and skips the rest. One transaction per bug, so one bad bug
 * is reported and the others still arrive. Nothing is mailed: the notifier is not involved.
 */
export class BugzillaImporter {
  private report!: BugzillaImportReport;
  private dryRun = false;
  private readonly users = new Map<string, number>();
  private readonly products = new Map<string, LocalProduct>();
  private readonly versions = new Set<string>();
  private readonly routes = new Map<string, Routing>();
  private fakeId = 0;
  private linksAdded = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly client: BugzillaClient,
    /** Names the Bugzilla instance in bug_imports; defaults to its REST URL. */
    private readonly source = client.restUrl,
  ) {}

  async run(opts: BugzillaImportOptions = {}): Promise<BugzillaImportReport> {
    this.dryRun = !!opts.dryRun;
    // A dry run caches made-up ids; never let them leak into a later run on this instance.
    for (const cache of [this.users, this.products, this.versions, this.routes]) cache.clear();
    this.fakeId = 0;
    this.linksAdded = 0;
    this.report = {
      source: this.source,
      dryRun: this.dryRun,
      bugs: { created: 0, updated: 0, skipped: 0, failed: 0 },
      users: { matched: 0, created: 0 },
      products: { created: [] },
      components: { created: [] },
      remapped: [],
      linksResolved: 0,
      problems: [],
      notes: [],
    };
    try {
      const products = await this.client.products(opts.products ?? []);
      for (const name of opts.products ?? [])
        if (!products.some((p) => p.name === name))
          this.report.problems.push({ message: `product "${name}" does not exist or is not readable` });
      const bugs: BzBug[] = [];
      for (const p of products) {
        await this.ensureProduct(p);
        bugs.push(...(await this.client.bugs(p.name, opts.since)));
      }
      bugs.sort((a, b) => a.id - b.id);
      await this.importBugs(bugs, opts.chunkSize ?? 50);
      if (!this.dryRun) await this.resolvePending();
    } catch (e) {
      this.report.problems.push({ message: `import stopped: ${e instanceof Error ? e.message : String(e)}` });
    }
    return this.report;
  }

  // ------------------------------------------------------------------ catalogue

  private async ensureProduct(p: BzProduct): Promise<void> {
    const m = this.ds.manager;
    // names are unique ignoring case here, as in Bugzilla: an existing "OpenCloudOS" is its "opencloudos"
    let row = (
      await m.query<{ id: number; package_components: boolean }[]>(
        `SELECT id, package_components FROM bug_products WHERE lower(name) = lower($1)`,
        [p.name],
      )
    )[0];
    if (!row) {
      this.report.products.created.push(p.name);
      if (this.dryRun) row = { id: --this.fakeId, package_components: false };
      else
        row = (
          await m.query<{ id: number; package_components: boolean }[]>(
            `INSERT INTO bug_products (name, description, is_active) VALUES ($1, $2, $3)
             RETURNING id, package_components`,
            [clip(p.name, 64), p.description ?? '', p.is_active],
          )
        )[0];
    }
    this.products.set(p.name, { id: row.id, packageComponents: row.package_components });
    for (const v of p.versions ?? []) await this.ensureVersion(row.id, v.name);
  }

  private async ensureVersion(productId: number, name: string): Promise<void> {
    const key = `${productId}\0${name}`;
    if (this.versions.has(key)) return;
    this.versions.add(key);
    if (this.dryRun) return;
    await this.ds.query(
      `INSERT INTO bug_versions (product_id, name) VALUES ($1, $2)
       ON CONFLICT ON CONSTRAINT uq_bug_versions_product_name DO NOTHING`,
      [productId, clip(name, 32)],
    );
  }

  /**
   * As BugsService.route decides for new bugs: an existing general component, else a package of
   * that name (for products whose packages are components), else a new general component routed
   * to the SIG whose slug is the component's name in lower case.
   */
  private async route(productName: string, component: string): Promise<Routing> {
    const product = this.products.get(productName);
    if (!product) throw new BugProblem(`product "${productName}" was not imported`);
    const key = `${product.id}\0${component}`;
    const known = this.routes.get(key);
    if (known) return known;
    const m = this.ds.manager;
    const general = (
      await m.query<{ id: number; sig_id: number | null }[]>(
        `SELECT id, sig_id FROM bug_components WHERE product_id = $1 AND lower(name) = lower($2)`,
        [product.id, component],
      )
    )[0];
    let routing: Routing | undefined = general
      ? { componentId: general.id, packageId: null, sigId: general.sig_id }
      : undefined;
    if (!routing && product.packageComponents) {
      const pkg = (
        await m.query<{ id: number; sig_id: number }[]>(`SELECT id, sig_id FROM packages WHERE name = $1`, [component])
      )[0];
      if (pkg) routing = { componentId: null, packageId: pkg.id, sigId: pkg.sig_id };
    }
    if (!routing) {
      this.report.components.created.push(`${productName}/${component}`);
      const sig = (
        await m.query<{ id: number }[]>(`SELECT id FROM sigs WHERE slug = $1`, [component.toLowerCase()])
      )[0];
      const id = this.dryRun
        ? --this.fakeId
        : (
            await m.query<{ id: number }[]>(
              `INSERT INTO bug_components (product_id, name, description, sig_id) VALUES ($1, $2, $3, $4)
               ON CONFLICT ON CONSTRAINT uq_bug_components_product_name DO UPDATE SET name = EXCLUDED.name
               RETURNING id`,
              [product.id, clip(component, 100), 'Imported from Bugzilla', sig?.id ?? null],
            )
          )[0].id;
      routing = { componentId: id, packageId: null, sigId: sig?.id ?? null };
    }
    this.routes.set(key, routing);
    return routing;
  }

  // ------------------------------------------------------------------ users

  /**
   * The local account for a Bugzilla login: the user with that email (case-insensitively), else
   * a new account without password or verified email, which its owner claims by password reset.
   */
  private async user(email: string, realName?: string): Promise<number> {
    const key = email.trim().toLowerCase();
    if (!key) throw new BugProblem('a user without a login name');
    const cached = this.users.get(key);
    if (cached !== undefined) return cached;
    const m = this.ds.manager;
    const found = (await m.query<{ id: number }[]>(`SELECT id FROM users WHERE lower(email) = $1`, [key]))[0];
    if (found) {
      this.report.users.matched++;
      this.users.set(key, found.id);
      return found.id;
    }
    this.report.users.created++;
    if (this.dryRun) {
      this.users.set(key, --this.fakeId);
      return this.fakeId;
    }
    const base = usernameFor(key);
    for (let n = 1; n < 1000; n++) {
      const username = n === 1 ? base : `${base}-${n}`;
      const rows = await m.query<{ id: number }[]>(
        `INSERT INTO users (username, email, display_name, password_hash, email_verified_at)
         VALUES ($1, $2, $3, NULL, NULL) ON CONFLICT DO NOTHING RETURNING id`,
        [username, clip(email.trim(), 254), realName ? clip(realName, 100) : null],
      );
      if (rows.length) {
        this.users.set(key, rows[0].id);
        return rows[0].id;
      }
      // Either the username is taken (try the next) or someone created this email meanwhile.
      const again = (await m.query<{ id: number }[]>(`SELECT id FROM users WHERE lower(email) = $1`, [key]))[0];
      if (again) {
        this.users.set(key, again.id);
        return again.id;
      }
    }
    throw new BugProblem(`no free username for ${email}`);
  }

  // ------------------------------------------------------------------ bugs

  private async importBugs(bugs: BzBug[], chunkSize: number): Promise<void> {
    const existing = new Map<number, Mapping>();
    const rows = await this.ds.query<
      { source_bug_id: number; bug_id: number; last_change_time: Date; history_count: number }[]
    >(
      `SELECT source_bug_id, bug_id, last_change_time, history_count FROM bug_imports
       WHERE source = $1 AND source_bug_id = ANY($2)`,
      [this.source, bugs.map((b) => b.id)],
    );
    for (const r of rows)
      existing.set(r.source_bug_id, {
        bugId: r.bug_id,
        lastChangeTime: r.last_change_time,
        historyCount: r.history_count,
      });
    const todo = bugs.filter((b) => {
      const e = existing.get(b.id);
      if (e && e.lastChangeTime.getTime() === Date.parse(b.last_change_time)) {
        this.report.bugs.skipped++;
        return false;
      }
      return true;
    });
    const newIds = todo.filter((b) => !existing.has(b.id)).map((b) => b.id);
    if (newIds.length && !this.dryRun) {
      // Bugzilla ids are inserted explicitly; lift the identity above every Bugzilla id first, so
      // bugs filed here meanwhile (and remapped imports) do not take an id a later import wants.
      const siteMax = await this.client.maxBugId();
      await this.ds.query(
        `SELECT setval(pg_get_serial_sequence('bugs', 'id'),
           GREATEST(nextval(pg_get_serial_sequence('bugs', 'id')) - 1, (SELECT coalesce(max(id), 0) FROM bugs), $1, 1))`,
        [Math.max(siteMax ?? 0, ...newIds)],
      );
    }
    for (let i = 0; i < todo.length; i += chunkSize) {
      const chunk = await mapLimit(todo.slice(i, i + chunkSize), this.client.concurrency, async (bug) => {
        const f: Fetched = { bug, existing: existing.get(bug.id) };
        try {
          [f.comments, f.history] = await Promise.all([this.client.comments(bug.id), this.client.history(bug.id)]);
        } catch (e) {
          f.error = e instanceof Error ? e.message : String(e);
        }
        return f;
      });
      for (const f of chunk) await this.importOne(f);
    }
  }

  private async importOne(f: Fetched): Promise<void> {
    const b = f.bug;
    try {
      if (f.error !== undefined) throw new BugProblem(f.error);
      const plan = planBug(b);
      const routing = await this.route(b.product, b.component);
      const product = this.products.get(b.product)!;
      await this.ensureVersion(product.id, b.version);
      // Users first and outside the bug's transaction: they stay valid even if the bug fails.
      const names = new Map<string, string>();
      for (const d of [b.assigned_to_detail, b.creator_detail, b.qa_contact_detail, ...(b.cc_detail ?? [])])
        if (d?.real_name) names.set(d.name.toLowerCase(), d.real_name);
      const uid = (email: string) => this.user(email, names.get(email.toLowerCase()));
      const reporterId = await uid(b.creator);
      const assigneeId = b.assigned_to ? await uid(b.assigned_to) : null;
      const qaId = b.qa_contact ? await uid(b.qa_contact) : null;
      // One at a time: the same new address may appear twice, and must become one account.
      const cc: number[] = [];
      for (const email of b.cc) cc.push(await uid(email));
      const comments: (BzComment & { authorId: number })[] = [];
      for (const c of f.comments!) comments.push({ ...c, authorId: await uid(c.creator) });
      const history: (BzHistoryEntry & { actorId: number })[] = [];
      for (const h of f.history!) history.push({ ...h, actorId: await uid(h.who) });
      for (const n of plan.notes) this.report.notes.push({ bug: b.id, message: n });
      if (this.dryRun) {
        if (f.existing) this.report.bugs.updated++;
        else {
          this.report.bugs.created++;
          const taken = await this.ds.query<unknown[]>(`SELECT 1 FROM bugs WHERE id = $1`, [b.id]);
          if (taken.length) this.report.remapped.push({ sourceId: b.id, bugId: 0 });
        }
        return;
      }
      await this.ds.transaction(async (m) => {
        const cols = [
          product.id,
          clip(b.version, 32),
          routing.componentId,
          routing.packageId,
          routing.sigId,
          clip(b.summary, 255),
          plan.status,
          // A duplicate whose original is not imported yet waits as INVALID; linkRefs fixes it.
          plan.resolution === 'DUPLICATE' ? 'INVALID' : plan.resolution,
          plan.severity,
          plan.priority,
          clip(b.platform || 'All', 32),
          clip(b.op_sys || 'Linux', 32),
          reporterId,
          assigneeId,
          qaId,
          clip(b.url, 500),
          clip(b.whiteboard, 255),
          b.keywords ?? [],
          b.see_also ?? [],
          b.target_milestone === '---' ? '' : clip(b.target_milestone, 32),
          plan.isPrivate,
          new Date(b.creation_time),
          new Date(b.last_change_time),
        ];
        const aliases = [...(b.alias ?? [])];
        let bugId: number;
        if (f.existing) {
          bugId = f.existing.bugId;
          await m.query(
            `UPDATE bugs SET product_id = $2, version = $3, component_id = $4, package_id = $5, sig_id = $6,
               summary = $7, status = $8, resolution = $9, dupe_of_id = NULL, severity = $10, priority = $11,
               hardware = $12, op_sys = $13, reporter_id = $14, assignee_id = $15, qa_contact_id = $16, url = $17,
               whiteboard = $18, keywords = $19, see_also = $20, target_release = $21, is_private = $22,
               created_at = $23, updated_at = $24
             WHERE id = $1`,
            [bugId, ...cols],
          );
        } else {
          const free = !(await m.query<unknown[]>(`SELECT 1 FROM bugs WHERE id = $1`, [b.id])).length;
          bugId = (
            await m.query<{ id: number }[]>(
              `INSERT INTO bugs (id, product_id, version, component_id, package_id, sig_id, summary, status, resolution,
                 severity, priority, hardware, op_sys, reporter_id, assignee_id, qa_contact_id, url, whiteboard,
                 keywords, see_also, target_release, is_private, created_at, updated_at)
               VALUES (coalesce($1, nextval(pg_get_serial_sequence('bugs', 'id'))), $2, $3, $4, $5, $6, $7, $8, $9,
                 $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
               RETURNING id`,
              [free ? b.id : null, ...cols],
            )
          )[0].id;
          if (!free) {
            aliases.push(`bz${b.id}`);
            this.report.remapped.push({ sourceId: b.id, bugId });
          }
        }
        for (const c of comments)
          await m.query(
            `INSERT INTO bug_comments (bug_id, count, author_id, body, is_private, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT ON CONSTRAINT uq_bug_comments_bug_count
             DO UPDATE SET body = EXCLUDED.body, is_private = EXCLUDED.is_private`,
            [bugId, c.count, c.authorId, c.text ?? '', c.is_private, new Date(c.creation_time ?? c.time)],
          );
        // Bugzilla's history only grows: append what the last import did not see.
        for (const h of history.slice(f.existing?.historyCount ?? 0))
          for (const ch of h.changes)
            await m.query(
              `INSERT INTO bug_history (bug_id, actor_id, field, removed, added, is_private, at)
               VALUES ($1, $2, $3, $4, $5, $6, $7)`,
              [
                bugId,
                h.actorId,
                clip(ch.field_name, 40),
                ch.removed ?? '',
                ch.added ?? '',
                /isprivate/i.test(ch.field_name),
                new Date(h.when),
              ],
            );
        for (const userId of new Set(cc))
          await m.query(`INSERT INTO bug_cc (bug_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [bugId, userId]);
        for (const alias of aliases) await this.addAlias(m, b.id, bugId, alias);
        if (f.existing)
          // Links between imported bugs follow Bugzilla; links to local bugs are left alone.
          await m.query(
            `DELETE FROM bug_dependencies d USING bug_imports i
             WHERE i.source = $2 AND ((d.bug_id = $1 AND d.depends_on_id = i.bug_id)
                                   OR (d.depends_on_id = $1 AND d.bug_id = i.bug_id))`,
            [bugId, this.source],
          );
        const pending = await this.linkRefs(m, bugId, b.dupe_of ?? null, b.depends_on ?? [], b.blocks ?? []);
        await m.query(
          `INSERT INTO bug_imports (source, source_bug_id, bug_id, last_change_time, history_count, dupe_of_source,
             depends_on_source, blocks_source, pending_refs)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (source, source_bug_id) DO UPDATE SET last_change_time = EXCLUDED.last_change_time,
             history_count = EXCLUDED.history_count, dupe_of_source = EXCLUDED.dupe_of_source,
             depends_on_source = EXCLUDED.depends_on_source, blocks_source = EXCLUDED.blocks_source,
             pending_refs = EXCLUDED.pending_refs, imported_at = now()`,
          [
            this.source,
            b.id,
            bugId,
            new Date(b.last_change_time),
            history.length,
            b.dupe_of ?? null,
            b.depends_on ?? [],
            b.blocks ?? [],
            pending,
          ],
        );
        await refreshDerived(m, [bugId]);
      });
      if (f.existing) this.report.bugs.updated++;
      else this.report.bugs.created++;
    } catch (e) {
      this.report.bugs.failed++;
      this.report.problems.push({ bug: b.id, message: e instanceof Error ? e.message : String(e) });
    }
  }

  private async addAlias(m: EntityManager, sourceId: number, bugId: number, alias: string): Promise<void> {
    if (!ALIAS_PATTERN.test(alias)) {
      this.report.notes.push({ bug: sourceId, message: `alias "${alias}" is not a valid alias here; dropped` });
      return;
    }
    const owner = (
      await m.query<{ bug_id: number }[]>(
        `INSERT INTO bug_aliases (alias, bug_id) VALUES ($1, $2)
         ON CONFLICT (alias) DO UPDATE SET alias = EXCLUDED.alias RETURNING bug_id`,
        [alias, bugId],
      )
    )[0];
    if (owner.bug_id !== bugId)
      this.report.notes.push({ bug: sourceId, message: `alias "${alias}" already names bug ${owner.bug_id}; dropped` });
  }

  /**
   * Sets the duplicate and dependency links whose targets are imported; returns whether some
   * still wait for their target (kept in bug_imports and retried by later passes and runs).
   */
  private async linkRefs(
    m: EntityManager,
    bugId: number,
    dupeOf: number | null,
    dependsOn: number[],
    blocks: number[],
  ): Promise<boolean> {
    const wanted = [...dependsOn, ...blocks, ...(dupeOf === null ? [] : [dupeOf])];
    if (!wanted.length) return false;
    const local = new Map<number, number>();
    for (const r of await m.query<{ source_bug_id: number; bug_id: number }[]>(
      `SELECT source_bug_id, bug_id FROM bug_imports WHERE source = $1 AND source_bug_id = ANY($2)`,
      [this.source, wanted],
    ))
      local.set(r.source_bug_id, r.bug_id);
    let pending = false;
    const pairs: [number, number][] = [];
    for (const d of dependsOn) {
      const t = local.get(d);
      if (t === undefined) pending = true;
      else if (t !== bugId) pairs.push([bugId, t]);
    }
    for (const d of blocks) {
      const t = local.get(d);
      if (t === undefined) pending = true;
      else if (t !== bugId) pairs.push([t, bugId]);
    }
    if (pairs.length) {
      // The lock BugsService takes for dependency edits, so a concurrent edit cannot close a cycle.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('och:bug-dependencies'))`);
      for (const [from, to] of pairs) {
        const res = await m.query<unknown[]>(
          `INSERT INTO bug_dependencies (bug_id, depends_on_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
          [from, to],
        );
        this.linksAdded += res.length;
      }
    }
    if (dupeOf !== null) {
      const t = local.get(dupeOf);
      if (t === undefined || t === bugId) pending = true;
      else {
        // TypeORM answers an UPDATE with [rows, affected].
        const [, affected] = await m.query<[unknown[], number]>(
          `UPDATE bugs SET resolution = 'DUPLICATE', dupe_of_id = $2
           WHERE id = $1 AND status IN ('RESOLVED', 'VERIFIED') AND dupe_of_id IS DISTINCT FROM $2`,
          [bugId, t],
        );
        this.linksAdded += affected;
        await refreshDerived(m, [t]);
      }
    }
    return pending;
  }

  /** Second pass: links whose target arrived later in this run (or in an earlier one). */
  private async resolvePending(): Promise<void> {
    const rows = await this.ds.query<
      {
        source_bug_id: number;
        bug_id: number;
        dupe_of_source: number | null;
        depends_on_source: number[];
        blocks_source: number[];
      }[]
    >(
      `SELECT source_bug_id, bug_id, dupe_of_source, depends_on_source, blocks_source
       FROM bug_imports WHERE source = $1 AND pending_refs ORDER BY source_bug_id`,
      [this.source],
    );
    for (const r of rows) {
      try {
        const before = this.linksAdded;
        const still = await this.ds.transaction(async (m) => {
          const pending = await this.linkRefs(m, r.bug_id, r.dupe_of_source, r.depends_on_source, r.blocks_source);
          await m.query(`UPDATE bug_imports SET pending_refs = $3 WHERE source = $1 AND source_bug_id = $2`, [
            this.source,
            r.source_bug_id,
            pending,
          ]);
          await refreshDerived(m, [r.bug_id]);
          return pending;
        });
        this.report.linksResolved += this.linksAdded - before;
        if (still)
          this.report.notes.push({
            bug: r.source_bug_id,
            message: 'refers to a bug that is not imported; the link is made when that bug is',
          });
      } catch (e) {
        this.report.problems.push({
          bug: r.source_bug_id,
          message: `linking: ${e instanceof Error ? e.message : String(e)}`,
        });
      }
    }
  }
}

/**
 * The derived columns BugsService.refresh maintains (public comment count, heat, search vector).
 * Kept identical to it: imported bugs must rank and match like bugs filed here.
 */
export async function refreshDerived(m: EntityManager, ids: number[]): Promise<void> {
  await refreshBugDerived(m, ids, true);
}
