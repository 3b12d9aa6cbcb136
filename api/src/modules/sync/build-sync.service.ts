import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { notFound } from '../../common/errors';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { l10n, NotificationsService } from '../notifications/notifications.service';
import type { BuildListView, BuildView, SigFailingBuildsView } from './dto/sync.dto';
import { BuildEntity } from './build.entity';
import { FixTrailService } from './fix-trail.service';
import { type BuildRecord, type BuildSystemAdapter, KojiAdapter, releaseOf, sourceCommit } from './koji-adapter';

const PAGE = 200;
const MAX_PAGES_PER_POLL = 50;
const MAX_REFRESH = 500;

export interface PollResult {
  outcome: 'completed' | 'failed' | 'off';
  recorded: number;
  changed: number;
  notified: number;
  /** Bugs whose "fixed in" a new build filled. */
  fixedIn: number;
  /** Bug fixes whose build reached the release repository (each reporter told once). */
  released: number;
  requests: number;
  error?: string;
}

/**
 * Keeps the builds of the configured Koji targets: new builds incrementally by creation time,
 * builds still BUILDING re-read until they finish, and tag membership of each release tag. A
 * failed build tells the owning SIG's leads and maintainers once (the row remembers it), in the
 * same transaction as the state change, through the notification outbox.
 */
@Injectable()
export class BuildSyncService {
  private readonly logger = new Logger(BuildSyncService.name);
  /** Test seam and extension point: another build system behind the same interface. */
  adapterFor: (onRequest: (method: string) => void) => BuildSystemAdapter | null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly trail: FixTrailService,
  ) {
    this.adapterFor = (onRequest) =>
      config.kojiHubUrl ? new KojiAdapter(config.kojiHubUrl, config.kojiWebUrl, 30_000, onRequest) : null;
  }

  async poll(): Promise<PollResult> {
    const result: PollResult = {
      outcome: 'completed',
      recorded: 0,
      changed: 0,
      notified: 0,
      fixedIn: 0,
      released: 0,
      requests: 0,
    };
    const adapter = this.adapterFor(() => {
      result.requests++;
    });
    if (!adapter) return { ...result, outcome: 'off' };
    const system = adapter.system;
    await this.dataSource.query(`INSERT INTO sync_build_cursors (system) VALUES ($1) ON CONFLICT DO NOTHING`, [system]);
    try {
      const [cursor] = await this.dataSource.query<{ created_after: number | null }[]>(
        `SELECT created_after FROM sync_build_cursors WHERE system = $1`,
        [system],
      );
      let after = cursor.created_after ?? 0;
      for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
        const builds = await adapter.buildsCreatedAfter(after, PAGE);
        for (const b of builds) await this.take(adapter, b, result);
        if (!builds.length) break;
        // a full page may end inside a run of equal timestamps: step back a hair, upserts de-duplicate
        const newest = Math.max(...builds.map((b) => b.createdTs));
        const next = builds.length < PAGE ? newest : newest - 1e-6;
        if (next <= after) break;
        after = next;
        await this.dataSource.query(`UPDATE sync_build_cursors SET created_after = $2 WHERE system = $1`, [
          system,
          after,
        ]);
        if (builds.length < PAGE) break;
      }
      const building = await this.dataSource.query<{ external_id: string }[]>(
        `SELECT external_id FROM builds WHERE system = $1 AND state = 'BUILDING' ORDER BY id LIMIT $2`,
        [system, MAX_REFRESH],
      );
      for (const row of building) {
        const now = await adapter.build(Number(row.external_id));
        if (now && now.state !== 'BUILDING') await this.take(adapter, now, result);
      }
      for (const tag of this.config.kojiTags) {
        const ids = (await adapter.tagged(tag)).map(String);
        await this.dataSource.query(
          `UPDATE builds SET tags = array_remove(tags, $2), updated_at = now()
            WHERE system = $1 AND $2 = ANY(tags) AND NOT (external_id = ANY($3::bigint[]))`,
          [system, tag, ids],
        );
        await this.dataSource.query(
          `UPDATE builds SET tags = array_append(tags, $2), tagged_at = COALESCE(tagged_at, now()), updated_at = now()
            WHERE system = $1 AND external_id = ANY($3::bigint[]) AND NOT ($2 = ANY(tags))`,
          [system, tag, ids],
        );
      }
      // builds recorded before their package was known (Gitee not synced yet) join it now
      await this.dataSource.query(
        `UPDATE builds b SET package_id = p.id, updated_at = now() FROM packages p
          WHERE b.package_id IS NULL AND b.system = $1 AND p.name = b.package_name`,
        [system],
      );
      // tagged into the release repository: the fixes those builds carry are released
      result.released = await this.trail.releaseFixes();
      await this.dataSource.query(
        `UPDATE sync_build_cursors SET polled_at = now(), last_error = NULL WHERE system = $1`,
        [system],
      );
    } catch (e) {
      const message = (e as Error).message;
      await this.dataSource.query(`UPDATE sync_build_cursors SET last_error = $2 WHERE system = $1`, [
        system,
        message.slice(0, 500),
      ]);
      this.logger.warn(`build poll of ${system} stopped: ${message}`);
      return { ...result, outcome: 'failed', error: message };
    }
    return result;
  }

  /** Records a build (new, or changed state), fetching task details only for builds not yet known. */
  private async take(adapter: BuildSystemAdapter, b: BuildRecord, result: PollResult): Promise<void> {
    const id = await this.record(adapter, b, result);
    // a finished build may carry fixes: the bugs' "fixed in" follows
    if (id !== null && b.state === 'COMPLETE') result.fixedIn += await this.trail.buildCompleted(id);
  }

  private async record(adapter: BuildSystemAdapter, b: BuildRecord, result: PollResult): Promise<number | null> {
    const [known] = await this.dataSource.query<{ state: string; target: string | null }[]>(
      `SELECT state, target FROM builds WHERE system = $1 AND external_id = $2`,
      [adapter.system, String(b.externalId)],
    );
    if (known && known.state === b.state) return null;
    const details = known
      ? { target: known.target, sourceUrl: undefined, arches: undefined }
      : await adapter.details(b);
    if (!details.target || !this.config.kojiTags.includes(details.target)) return null;
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<{ id: number; package_id: number | null }[]>(
        `INSERT INTO builds (system, external_id, package_id, package_name, nvr, target, release, arches, state, owner,
           source_url, source_commit, task_id, task_url, log_url, started_at, finished_at)
         VALUES ($1, $2, (SELECT id FROM packages WHERE name = $3), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (system, external_id) DO UPDATE SET state = EXCLUDED.state, finished_at = EXCLUDED.finished_at,
           package_id = COALESCE(builds.package_id, EXCLUDED.package_id), updated_at = now()
         RETURNING id, package_id`,
        [
          adapter.system,
          String(b.externalId),
          b.packageName.slice(0, 100),
          b.nvr.slice(0, 255),
          details.target,
          releaseOf(details.target),
          details.arches ?? [],
          b.state,
          b.owner.slice(0, 100),
          details.sourceUrl?.slice(0, 500) ?? null,
          sourceCommit(details.sourceUrl),
          b.taskId === null ? null : String(b.taskId),
          b.taskId === null ? null : adapter.taskUrl(b.taskId),
          adapter.logUrl(b),
          b.startedAt,
          b.finishedAt,
        ],
      );
      if (known) result.changed++;
      else result.recorded++;
      if (b.state === 'FAILED') result.notified += await this.notifyFailure(m, row.id, b);
      return row.id;
    });
  }

  /** Once per failed build: the owning SIG's leads and maintainers, in-app and by mail. */
  private async notifyFailure(m: EntityManager, buildId: number, b: BuildRecord): Promise<number> {
    const claimed = await m.query<[unknown[], number]>(
      `UPDATE builds SET failure_notified_at = now() WHERE id = $1 AND failure_notified_at IS NULL`,
      [buildId],
    );
    if (!claimed[1]) return 0;
    const people = await m.query<{ user_id: number; slug: string }[]>(
      `SELECT DISTINCT sm.user_id, s.slug FROM builds bu
         JOIN packages p ON p.id = bu.package_id
         JOIN sigs s ON s.id = p.sig_id
         JOIN sig_memberships sm ON sm.sig_id = p.sig_id
        WHERE bu.id = $1 AND sm.role IN ('lead', 'maintainer') AND (sm.expires_at IS NULL OR sm.expires_at > now())`,
      [buildId],
    );
    for (const p of people) {
      await this.notifications.notify(m, p.user_id, {
        kind: 'build.failed',
        title: l10n(`Build failed: ${b.nvr}`, `构建失败：${b.nvr}`),
        body: l10n(
          `The build ${b.nvr} of ${b.packageName} (SIG ${p.slug}) failed.${b.taskId !== null ? ` Task: ${b.taskId}` : ''}`,
          `${b.packageName}（${p.slug} SIG）的构建 ${b.nvr} 失败。${b.taskId !== null ? `任务：${b.taskId}` : ''}`,
        ),
        link: `/packages/${b.packageName}`,
        email: true,
      });
    }
    return people.length;
  }

  /** A package's builds, newest first, and per release and architecture the newest one. */
  async forPackage(name: string, limit = 50): Promise<BuildListView> {
    const pkg = await this.dataSource.query<{ id: number }[]>(`SELECT id FROM packages WHERE name = $1`, [name]);
    if (!pkg.length) throw notFound('Package');
    const repo = this.dataSource.getRepository(BuildEntity);
    const [rows, latestIds] = await Promise.all([
      repo.find({ where: { packageId: pkg[0].id }, order: { id: 'DESC' }, take: limit }),
      this.dataSource.query<{ id: number; arch: string }[]>(
        `SELECT DISTINCT ON (b.release, a.arch) b.id, a.arch
           FROM builds b CROSS JOIN LATERAL unnest(b.arches) AS a(arch)
          WHERE b.package_id = $1
          ORDER BY b.release, a.arch, b.id DESC`,
        [pkg[0].id],
      ),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = [...new Set(latestIds.map((l) => l.id))].filter((id) => !byId.has(id));
    if (missing.length) for (const r of await repo.find({ where: { id: In(missing) } })) byId.set(r.id, r);
    const latest = latestIds
      .map((l) => ({ arch: l.arch, b: byId.get(l.id)! }))
      .sort(
        (a, b) =>
          (b.b.release ?? '').localeCompare(a.b.release ?? '', 'en', { numeric: true }) || a.arch.localeCompare(b.arch),
      )
      .map(({ arch, b }) => ({ release: b.release, arch, build: buildView(b) }));
    return { items: rows.map(buildView), latest };
  }

  /** The SIG's packages whose newest finished build of a release failed, newest first. */
  async failingForSig(slug: string, limit = 50): Promise<SigFailingBuildsView> {
    const sig = await this.dataSource.query<{ id: number }[]>(`SELECT id FROM sigs WHERE slug = $1`, [slug]);
    if (!sig.length) throw notFound('SIG');
    const ids = await this.dataSource.query<{ id: number }[]>(
      `SELECT id FROM (
         SELECT DISTINCT ON (b.package_id, b.release) b.id, b.state
           FROM builds b JOIN packages p ON p.id = b.package_id
          WHERE p.sig_id = $1 AND b.state IN ('COMPLETE', 'FAILED', 'CANCELED')
          ORDER BY b.package_id, b.release, b.id DESC) newest
        WHERE state = 'FAILED' ORDER BY id DESC LIMIT $2`,
      [sig[0].id, limit],
    );
    if (!ids.length) return { items: [] };
    const rows = await this.dataSource
      .getRepository(BuildEntity)
      .find({ where: { id: In(ids.map((r) => r.id)) }, order: { id: 'DESC' } });
    return { items: rows.map((r) => ({ package: r.packageName, build: buildView(r) })) };
  }
}

function buildView(r: BuildEntity): BuildView {
  return {
    system: r.system,
    id: Number(r.externalId),
    nvr: r.nvr,
    release: r.release,
    target: r.target,
    tags: r.tags,
    arches: r.arches,
    state: r.state,
    owner: r.owner,
    sourceCommit: r.sourceCommit,
    taskUrl: r.taskUrl,
    logUrl: r.logUrl,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  };
}
