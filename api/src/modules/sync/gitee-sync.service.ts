import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { QueueRegistry } from '../../queue/queue-registry.service';
import { PACKAGE_NAME } from '../packages/package.entity';
import { type GiteeBranch, GiteeBudgetExhausted, GiteeClient, GiteeRateLimited, type GiteeRepo } from './gitee-client';
import type { SyncStatusView } from './dto/sync.dto';
import { type GiteePassStats, GiteeOrgSyncEntity } from './sync-state.entity';

export const PER_PAGE = 100;
/** How long a worker owns an organisation's pass without renewing (renewed every page). */
const LEASE_SECONDS = 300;
/** A complete listing missing more than this share of known repositories removes nothing. */
const MAX_REMOVED_SHARE = 0.2;
const MAX_CONFLICTS_KEPT = 50;

export type PassOutcome = 'completed' | 'paused' | 'failed' | 'busy' | 'skipped';

export interface PassResult {
  org: string;
  outcome: PassOutcome;
  pass: number;
  stats: GiteePassStats;
  error?: string;
}

interface KnownPackage {
  id: number;
  name: string;
  gitee_id: string | null;
  gitee_org: string | null;
  description: string;
  default_branch: string | null;
  pushed_at: Date | null;
  details_pushed_at: Date | null;
  archived: boolean;
  removed_at: Date | null;
}

const emptyStats = (): GiteePassStats => ({
  requests: 0,
  listed: 0,
  created: 0,
  updated: 0,
  renamed: 0,
  removed: 0,
  restored: 0,
  detailsFetched: 0,
  conflicts: [],
});

class LeaseLost extends Error {
  constructor(org: string) {
    super(`lost the lease on ${org} to another worker`);
  }
}

const time = (d: Date | string | null | undefined): number | null => (d ? new Date(d).getTime() : null);

/** Runs `fn` over `items`, at most `limit` at a time. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(lanes);
  return out;
}

/**
 * Keeps packages in step with the repositories of the configured Gitee organisations. A pass
 * lists an organisation page by page; only repositories whose pushed_at moved get their
 * branches re-read, so a pass over an unchanged organisation costs exactly its list pages.
 * Each page is applied and the cursor advanced in one transaction (resumable, idempotent);
 * packages are marked removed only after a complete, consistent listing, and only when Gitee
 * also answers 404 for them.
 */
@Injectable()
export class GiteeSyncService {
  private readonly logger = new Logger(GiteeSyncService.name);
  private readonly releaseBranch: RegExp;
  /** Test seam: runs after each committed page (a throw here is a worker dying mid-pass). */
  afterPage: ((org: string, page: number) => Promise<void>) | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueRegistry,
  ) {
    this.releaseBranch = new RegExp(config.syncReleaseBranches);
  }

  /** A client that spends this worker pool's hourly budget and counts into `stats`. */
  client(stats: GiteePassStats = emptyStats()): GiteeClient {
    return new GiteeClient({
      apiUrl: this.config.syncGiteeApiUrl,
      token: this.config.syncGiteeToken,
      timeoutMs: this.config.syncGiteeTimeoutMs,
      maxWaitSeconds: this.config.syncGiteeMaxWaitSeconds,
      spend: () => this.spend(),
      onRequest: () => {
        stats.requests++;
      },
    });
  }

  /** One unit of the hourly request budget, counted in Redis so every worker shares it. */
  private async spend(): Promise<void> {
    const now = new Date();
    const hour = Math.floor(now.getTime() / 3600_000);
    const key = `${this.config.queuePrefix}:sync:gitee:budget:${hour}`;
    const used = await this.queues.redis.incr(key);
    if (used === 1) await this.queues.redis.expire(key, 7200);
    if (used > this.config.syncGiteeHourlyBudget) throw new GiteeBudgetExhausted(new Date((hour + 1) * 3600_000));
  }

  /** Every configured organisation, in order (the first one listed wins a package-name clash). */
  async syncAll(): Promise<PassResult[]> {
    const out: PassResult[] = [];
    for (const org of this.config.syncGiteeOrgs) out.push(await this.syncOrg(org));
    return out;
  }

  /** Every configured organisation's cursor and last pass (admins' status view). */
  async status(): Promise<Omit<SyncStatusView, 'packagesYaml'>> {
    const rows = await this.dataSource.getRepository(GiteeOrgSyncEntity).find({ order: { org: 'ASC' } });
    const byOrg = new Map(rows.map((r) => [r.org, r]));
    const orgs = [...new Set([...this.config.syncGiteeOrgs, ...byOrg.keys()])];
    return {
      orgs: orgs.map((org) => {
        const r = byOrg.get(org);
        return {
          org,
          state: r?.state ?? 'idle',
          pass: r?.pass ?? 0,
          nextPage: r?.nextPage ?? null,
          totalCount: r?.totalCount ?? null,
          completedAt: r?.completedAt ?? null,
          pausedUntil: r?.pausedUntil ?? null,
          lastError: r?.lastError ?? null,
          stats: r?.stats ?? {},
        };
      }),
    };
  }

  async state(org: string): Promise<GiteeOrgSyncEntity | null> {
    return this.dataSource.getRepository(GiteeOrgSyncEntity).findOne({ where: { org } });
  }

  /** Claims the organisation's lease and starts or continues its pass. */
  async syncOrg(org: string): Promise<PassResult> {
    // each run holds the lease under its own id: two runs in one process exclude each other too
    const owner = `sync-${randomUUID()}`;
    await this.dataSource.query(`INSERT INTO sync_gitee_orgs (org) VALUES ($1) ON CONFLICT DO NOTHING`, [org]);
    const claimed = await this.dataSource.query<[GiteeOrgSyncEntity[], number]>(
      `UPDATE sync_gitee_orgs SET lease_owner = $2, lease_until = now() + make_interval(secs => $3)
        WHERE org = $1 AND (lease_until IS NULL OR lease_until < now())
          AND (paused_until IS NULL OR paused_until <= now())
        RETURNING pass, next_page AS "nextPage"`,
      [org, owner, LEASE_SECONDS],
    );
    const row = claimed[0][0];
    if (!row) {
      const st = await this.state(org);
      const paused = st?.pausedUntil && st.pausedUntil.getTime() > Date.now();
      return { org, outcome: paused ? 'skipped' : 'busy', pass: st?.pass ?? 0, stats: emptyStats() };
    }
    if (row.nextPage === null) {
      await this.dataSource.query(
        `UPDATE sync_gitee_orgs SET pass = pass + 1, next_page = 1, seen = 0, complete = true, stats = '{}',
           total_pages = NULL, total_count = NULL, started_at = now(), state = 'running', last_error = NULL,
           paused_until = NULL
         WHERE org = $1`,
        [org],
      );
    } else {
      await this.dataSource.query(`UPDATE sync_gitee_orgs SET state = 'running', paused_until = NULL WHERE org = $1`, [
        org,
      ]);
    }
    const st = (await this.state(org))!;
    const stats: GiteePassStats = { ...emptyStats(), ...st.stats };
    stats.conflicts = [...(st.stats.conflicts ?? [])];
    const client = this.client(stats);
    try {
      await this.runPass(client, st, stats, owner);
      return { org, outcome: 'completed', pass: st.pass, stats };
    } catch (e) {
      const err = e as Error;
      const pausedUntil = e instanceof GiteeRateLimited || e instanceof GiteeBudgetExhausted ? e.until : null;
      await this.dataSource.query(
        `UPDATE sync_gitee_orgs SET state = $2, paused_until = $3, last_error = $4, lease_owner = NULL,
           lease_until = NULL, stats = $5 WHERE org = $1 AND lease_owner = $6`,
        [org, pausedUntil ? 'paused' : 'failed', pausedUntil, err.message.slice(0, 500), stats, owner],
      );
      this.logger.warn(`gitee sync of ${org} stopped at its cursor: ${err.message}`);
      return { org, outcome: pausedUntil ? 'paused' : 'failed', pass: st.pass, stats, error: err.message };
    }
  }

  private async runPass(
    client: GiteeClient,
    st: GiteeOrgSyncEntity,
    stats: GiteePassStats,
    owner: string,
  ): Promise<void> {
    const org = st.org;
    let page = st.nextPage ?? 1;
    let totalCount = st.totalCount;
    let complete = st.complete;
    let seen = st.seen;
    const defaultSig = await this.defaultSigId();
    for (;;) {
      const listing = await client.listOrgRepos(org, page, PER_PAGE);
      if (totalCount !== null && listing.totalCount !== totalCount) complete = false; // the list moved mid-pass
      totalCount = listing.totalCount;
      const last = page >= listing.totalPages;
      if (!last && listing.repos.length < PER_PAGE) complete = false; // a short page in the middle
      const details = await this.fetchDetails(client, org, listing.repos);
      await this.dataSource.transaction(async (m) => {
        await this.applyPage(m, org, st.pass, listing.repos, details, defaultSig, stats);
        seen += listing.repos.length;
        stats.listed = seen;
        if (last && seen !== totalCount) complete = false;
        const moved = await m.query<[unknown[], number]>(
          `UPDATE sync_gitee_orgs SET next_page = $2, total_pages = $3, total_count = $4, seen = $5, complete = $6,
             stats = $7, lease_until = now() + make_interval(secs => $8)
           WHERE org = $1 AND lease_owner = $9`,
          [org, page + 1, listing.totalPages, totalCount, seen, complete, stats, LEASE_SECONDS, owner],
        );
        // another worker took the pass over (our lease expired): undo this page and stop
        if (!moved[1]) throw new LeaseLost(org);
      });
      if (this.afterPage) await this.afterPage(org, page);
      if (last) break;
      page++;
    }
    if (complete) await this.markRemoved(client, org, st.pass, totalCount ?? 0, stats);
    else stats.conflicts.push(`${org}: the listing changed or came back short during the pass; nothing was removed`);
    await this.dataSource.query(
      `UPDATE sync_gitee_orgs SET next_page = NULL, state = 'idle', completed_at = now(), lease_owner = NULL,
         lease_until = NULL, last_error = NULL, complete = $2, stats = $3
       WHERE org = $1 AND lease_owner = $4`,
      [org, complete, stats, owner],
    );
    this.logger.log(
      `gitee sync of ${org} pass ${st.pass}: ${stats.listed} listed, ${stats.created} new, ${stats.updated} changed, ${stats.removed} removed, ${stats.requests} requests`,
    );
  }

  /** Branches of the repositories that are new or whose pushed_at moved since they were last read. */
  private async fetchDetails(
    client: GiteeClient,
    org: string,
    repos: GiteeRepo[],
  ): Promise<Map<number, GiteeBranch[]>> {
    const ids = repos.map((r) => String(r.id));
    const known = new Map<string, number | null>();
    if (ids.length) {
      const rows = await this.dataSource.query<{ gitee_id: string; details_pushed_at: Date | null }[]>(
        `SELECT gitee_id, details_pushed_at FROM packages WHERE gitee_id = ANY($1::bigint[])`,
        [ids],
      );
      for (const r of rows) known.set(r.gitee_id, time(r.details_pushed_at));
    }
    const stale = repos.filter((r) => {
      const had = known.get(String(r.id));
      return had === undefined || had === null || had !== time(r.pushed_at);
    });
    const out = new Map<number, GiteeBranch[]>();
    await mapLimit(stale, this.config.syncGiteeConcurrency, async (r) => {
      const owner = r.namespace?.path ?? r.full_name.split('/')[0] ?? org;
      const branches = await client.branches(owner, r.path);
      if (branches) out.set(r.id, branches);
    });
    return out;
  }

  private async defaultSigId(): Promise<number | null> {
    if (!this.config.syncDefaultSig) return null;
    const rows = await this.dataSource.query<{ id: number }[]>(`SELECT id FROM sigs WHERE slug = $1`, [
      this.config.syncDefaultSig,
    ]);
    return rows[0]?.id ?? null;
  }

  private conflict(stats: GiteePassStats, message: string): void {
    if (stats.conflicts.length < MAX_CONFLICTS_KEPT && !stats.conflicts.includes(message))
      stats.conflicts.push(message);
  }

  private async applyPage(
    m: EntityManager,
    org: string,
    pass: number,
    repos: GiteeRepo[],
    details: Map<number, GiteeBranch[]>,
    defaultSig: number | null,
    stats: GiteePassStats,
  ): Promise<void> {
    if (!repos.length) return;
    const rows = await m.query<KnownPackage[]>(
      `SELECT id, name, gitee_id, gitee_org, description, default_branch, pushed_at, details_pushed_at, archived, removed_at
         FROM packages WHERE gitee_id = ANY($1::bigint[]) OR name = ANY($2::text[]) FOR UPDATE`,
      [repos.map((r) => String(r.id)), repos.map((r) => r.path)],
    );
    const byId = new Map(rows.filter((r) => r.gitee_id !== null).map((r) => [String(r.gitee_id), r]));
    const byName = new Map(rows.map((r) => [r.name, r]));
    const unchanged: number[] = [];
    for (const repo of repos) {
      const r = await this.applyRepo(m, org, pass, repo, details.get(repo.id) ?? null, byId, byName, defaultSig, stats);
      if (r !== null) unchanged.push(r);
    }
    if (unchanged.length)
      await m.query(`UPDATE packages SET gitee_pass = $1, gitee_synced_at = now() WHERE id = ANY($2::int[])`, [
        pass,
        unchanged,
      ]);
  }

  /** Applies one repository; returns the package id when nothing but "seen in this pass" changed. */
  private async applyRepo(
    m: EntityManager,
    org: string,
    pass: number,
    repo: GiteeRepo,
    branches: GiteeBranch[] | null,
    byId: Map<string, KnownPackage>,
    byName: Map<string, KnownPackage>,
    defaultSig: number | null,
    stats: GiteePassStats,
  ): Promise<number | null> {
    const full = repo.full_name || `${org}/${repo.path}`;
    const name = repo.path;
    if (!PACKAGE_NAME.test(name)) {
      this.conflict(stats, `${full}: "${name}" is not a valid package name`);
      return null;
    }
    const fields = {
      description: (repo.description ?? '').slice(0, 10_000),
      defaultBranch: repo.default_branch ? repo.default_branch.slice(0, 100) : null,
      pushedAt: repo.pushed_at ? new Date(repo.pushed_at) : null,
      archived: repo.archived === true || repo.status === '关闭' || repo.status === 'closed',
    };
    const releaseBranches = branches
      ? [...new Set(branches.map((b) => b.name).filter((b) => this.releaseBranch.test(b)))].sort()
      : null;
    let pkg = byId.get(String(repo.id));
    if (!pkg) {
      const same = byName.get(name);
      // a name held by a live repository elsewhere is a clash; one whose repository is gone is taken over
      if (same && same.gitee_id !== null && same.removed_at === null) {
        this.conflict(stats, `${full}: the package name is taken by ${same.gitee_org ?? '?'}/${name}`);
        return null;
      }
      if (same) {
        pkg = same; // a package known from packages.yaml or by hand: adopt it
      } else {
        if (defaultSig === null) {
          this.conflict(stats, `${full}: no SIG owns it and SYNC_DEFAULT_SIG names no SIG; not created`);
          return null;
        }
        const made = await m.query<{ id: number }[]>(
          `INSERT INTO packages (name, description, sig_id, branches, gitee_id, gitee_org, default_branch, pushed_at,
             details_pushed_at, archived, gitee_pass, gitee_synced_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
           ON CONFLICT DO NOTHING RETURNING id`,
          [
            name,
            fields.description,
            defaultSig,
            releaseBranches ?? [],
            String(repo.id),
            org,
            fields.defaultBranch,
            fields.pushedAt,
            releaseBranches ? fields.pushedAt : null,
            fields.archived,
            pass,
          ],
        );
        if (!made.length) {
          // created at the same moment by a webhook refresh: the next pass adopts it
          this.conflict(stats, `${full}: created concurrently by another worker; left for the next pass`);
          return null;
        }
        stats.created++;
        if (releaseBranches) stats.detailsFetched++;
        return null;
      }
    }
    let rename: string | null = null;
    if (pkg.name !== name) {
      const other = byName.get(name);
      if (other && other.id !== pkg.id) {
        this.conflict(stats, `${full}: renamed from ${pkg.name}, but the name ${name} is taken by another package`);
      } else {
        rename = name;
      }
    }
    const changed =
      rename !== null ||
      pkg.gitee_id === null ||
      pkg.gitee_org !== org ||
      pkg.description !== fields.description ||
      pkg.default_branch !== fields.defaultBranch ||
      time(pkg.pushed_at) !== time(fields.pushedAt) ||
      pkg.archived !== fields.archived ||
      pkg.removed_at !== null ||
      releaseBranches !== null;
    if (!changed) return pkg.id;
    await m.query(
      `UPDATE packages SET name = COALESCE($2, name), description = $3, default_branch = $4, pushed_at = $5,
         archived = $6, removed_at = NULL, gitee_id = $7, gitee_org = $8, gitee_pass = $9, gitee_synced_at = now(),
         branches = COALESCE($10, branches), details_pushed_at = CASE WHEN $10::text[] IS NULL THEN details_pushed_at ELSE $5 END,
         updated_at = now()
       WHERE id = $1`,
      [
        pkg.id,
        rename,
        fields.description,
        fields.defaultBranch,
        fields.pushedAt,
        fields.archived,
        String(repo.id),
        org,
        pass,
        releaseBranches,
      ],
    );
    if (rename) stats.renamed++;
    if (pkg.removed_at !== null) stats.restored++;
    if (releaseBranches) stats.detailsFetched++;
    stats.updated++;
    return null;
  }

  /**
   * After a complete listing: packages of this organisation that it did not list are removed,
   * each only once Gitee answers 404 for it directly. A listing missing too many is distrusted.
   */
  private async markRemoved(
    client: GiteeClient,
    org: string,
    pass: number,
    totalCount: number,
    stats: GiteePassStats,
  ): Promise<void> {
    const missing = await this.dataSource.query<{ id: number; name: string }[]>(
      `SELECT id, name FROM packages WHERE gitee_org = $1 AND gitee_pass IS DISTINCT FROM $2 AND removed_at IS NULL
        ORDER BY id`,
      [org, pass],
    );
    if (!missing.length) return;
    if (missing.length > Math.max(5, (totalCount + missing.length) * MAX_REMOVED_SHARE)) {
      this.conflict(stats, `${org}: ${missing.length} repositories missing from the listing; too many, none removed`);
      return;
    }
    for (const p of missing) {
      const repo = await client.getRepo(org, p.name);
      if (repo) continue; // listed nowhere but still there: keep it, the next pass will see it
      const res = await this.dataSource.query<[unknown[], number]>(
        `UPDATE packages SET removed_at = now(), updated_at = now() WHERE id = $1 AND removed_at IS NULL
           AND gitee_pass IS DISTINCT FROM $2`,
        [p.id, pass],
      );
      if (res[1]) stats.removed++;
    }
  }

  /** A webhook said this repository changed: re-read it (never removes anything). */
  async refreshRepo(fullName: string): Promise<'updated' | 'ignored' | 'missing'> {
    const [org, name] = fullName.split('/');
    if (!org || !name || !this.config.syncGiteeOrgs.includes(org)) return 'ignored';
    const stats = emptyStats();
    const client = this.client(stats);
    const repo = await client.getRepo(org, name);
    if (!repo) return 'missing';
    const branches = await client.branches(org, repo.path);
    await this.dataSource.query(`INSERT INTO sync_gitee_orgs (org) VALUES ($1) ON CONFLICT DO NOTHING`, [org]);
    const defaultSig = await this.defaultSigId();
    await this.dataSource.transaction(async (m) => {
      const known = await m.query<{ gitee_pass: number | null }[]>(
        `SELECT gitee_pass FROM packages WHERE gitee_id = $1`,
        [String(repo.id)],
      );
      const pass =
        known[0]?.gitee_pass ??
        (await m.query<{ pass: number }[]>(`SELECT pass FROM sync_gitee_orgs WHERE org = $1`, [org]))[0].pass;
      const details = new Map<number, GiteeBranch[]>();
      if (branches) details.set(repo.id, branches);
      await this.applyPage(m, org, pass, [repo], details, defaultSig, stats);
    });
    return 'updated';
  }
}
