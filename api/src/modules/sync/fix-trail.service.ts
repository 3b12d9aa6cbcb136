import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { bugViewer } from '../bugs/bug-access';
import { BugsService } from '../bugs/bugs.service';
import { releaseSnapshotSpread } from '../mirrors/repo-snapshot';
import { l10n, NotificationsService } from '../notifications/notifications.service';
import { CommitLinksService } from './commit-links.service';
import type { BugBuildsView, FixingBuildView, MirrorShareView } from './dto/sync.dto';
import { releaseOf } from './koji-adapter';

interface Candidate {
  bug_id: number;
  commit_sha: string;
  branch: string;
  linked_at: Date;
  build_id: number;
  nvr: string;
  release: string | null;
  state: string;
  tags: string[];
  tagged_at: Date | null;
  source_commit: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  task_url: string | null;
}

interface BuildRow {
  id: number;
  nvr: string;
  release: string | null;
  state: string;
  tags: string[];
  tagged_at: Date | null;
  finished_at: Date | null;
  task_url: string | null;
}

const FIXED_IN_MAX = 200;
const CANDIDATE_COLUMNS = `l.bug_id, l.commit_sha, l.branch, l.created_at AS linked_at, bu.id AS build_id, bu.nvr,
  bu.release, bu.state, bu.tags, bu.tagged_at, bu.source_commit, bu.started_at, bu.finished_at, bu.task_url`;

const isTagged = (b: { tags: string[]; tagged_at: Date | null }) => b.tags.length > 0 && b.tagged_at !== null;
const splitFixedIn = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * The fix → build → mirror trail. A build carries a fixing commit when its source commit is that
 * commit, or when it was built for the release of the branch the fix was pushed to, after the push
 * (release branches only move forward, so a later build of the branch contains every earlier push).
 * The first such build per release is the bug's "fixed in" for that release; the first such build
 * tagged into the release repository makes the fix released there, which the reporter is told once.
 * How far it has reached the mirrors comes from the mirror prober (`releaseSnapshotSpread`).
 */
@Injectable()
export class FixTrailService {
  private readonly logger = new Logger(FixTrailService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bugs: BugsService,
    private readonly links: CommitLinksService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Candidate (bug, fixing commit, build) rows, for one bug, for one build, or every unreleased tagged one. */
  private async candidates(where: { bugId?: number; buildId?: number; unreleased?: boolean }): Promise<Candidate[]> {
    const rows = await this.dataSource.query<Candidate[]>(
      `SELECT ${CANDIDATE_COLUMNS}
         FROM sync_commit_bug_links l
         JOIN bugs b ON b.id = l.bug_id
         JOIN packages p ON p.id = b.package_id
         JOIN builds bu ON bu.package_id = p.id AND bu.state = 'COMPLETE'
        WHERE l.fixes AND split_part(l.repo, '/', 2) = p.name
          AND (bu.source_commit = l.commit_sha OR bu.started_at >= l.created_at)
          AND ($1::int IS NULL OR l.bug_id = $1) AND ($2::int IS NULL OR bu.id = $2)
          AND (NOT $3 OR (cardinality(bu.tags) > 0 AND bu.tagged_at IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM sync_bug_fix_releases r WHERE r.bug_id = l.bug_id AND r.release = bu.release)))
        ORDER BY bu.started_at NULLS LAST, bu.id`,
      [where.bugId ?? null, where.buildId ?? null, where.unreleased ?? false],
    );
    // a later build only carries the fix when it builds the release the fix was pushed to
    return rows.filter((r) => r.source_commit === r.commit_sha || releaseOf(r.branch) === r.release);
  }

  /** The first candidate per release (optionally only tagged ones). */
  private firstPerRelease(rows: Candidate[], tagged = false): Map<string, Candidate> {
    const out = new Map<string, Candidate>();
    for (const r of rows) {
      const release = r.release ?? '';
      if (!out.has(release) && (!tagged || isTagged(r))) out.set(release, r);
    }
    return out;
  }

  /**
   * A build completed: every bug it carries a fix for gets the build's NVR in "fixed in" for its
   * release (unless that release is already named there, by hand or earlier), through BugsService.
   */
  async buildCompleted(buildId: number): Promise<number> {
    const rows = await this.candidates({ buildId });
    let changed = 0;
    let bot: Actor | null = null;
    for (const bugId of new Set(rows.map((r) => r.bug_id))) {
      const all = this.firstPerRelease(await this.candidates({ bugId }));
      const [bug] = await this.dataSource.query<{ fixed_in: string }[]>(`SELECT fixed_in FROM bugs WHERE id = $1`, [
        bugId,
      ]);
      const named = splitFixedIn(bug.fixed_in);
      const namedReleases = new Set(
        (
          await this.dataSource.query<{ release: string | null }[]>(
            `SELECT release FROM builds WHERE nvr = ANY($1::text[])`,
            [named],
          )
        ).map((r) => r.release ?? ''),
      );
      const add = [...all.values()]
        .filter((c) => !named.includes(c.nvr) && !namedReleases.has(c.release ?? ''))
        .map((c) => c.nvr);
      if (!add.length) continue;
      const next = [...named, ...add].join(', ');
      if (next.length > FIXED_IN_MAX) {
        this.logger.warn(`bug ${bugId}: fixed in would be too long; left as it is`);
        continue;
      }
      bot ??= await this.links.botActor();
      try {
        await this.bugs.update(bot, bugId, { fixedIn: next });
        changed++;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        this.logger.warn(`bug ${bugId}: fixed in not set: ${e.message}`);
      }
    }
    return changed;
  }

  /**
   * Fixes whose build is now tagged into the release repository are released: recorded once per
   * bug and release, and the reporter is told (in-app and by mail, through the outbox) in the same
   * transaction — a later poll finds the row and tells nobody again.
   */
  async releaseFixes(): Promise<number> {
    const first = new Map<string, Candidate>();
    for (const c of await this.candidates({ unreleased: true })) {
      const key = `${c.bug_id}:${c.release ?? ''}`;
      if (!first.has(key)) first.set(key, c);
    }
    let told = 0;
    for (const c of first.values()) {
      if (c.release === null) continue;
      await this.dataSource.transaction(async (m) => {
        const made = await m.query<unknown[]>(
          `INSERT INTO sync_bug_fix_releases (bug_id, release, build_id, notified_at) VALUES ($1, $2, $3, now())
           ON CONFLICT DO NOTHING RETURNING bug_id`,
          [c.bug_id, c.release, c.build_id],
        );
        if (!made.length) return;
        told += await this.tellReporter(m, c);
      });
    }
    return told;
  }

  private async tellReporter(m: EntityManager, c: Candidate): Promise<number> {
    const [bug] = await m.query<{ reporter_id: number; summary: string }[]>(
      `SELECT reporter_id, summary FROM bugs WHERE id = $1`,
      [c.bug_id],
    );
    if (!bug) return 0;
    await this.notifications.notify(m, bug.reporter_id, {
      kind: 'bug.fix-released',
      title: l10n(
        `Fix released for bug ${c.bug_id} in OpenCloudOS ${c.release}`,
        `缺陷 ${c.bug_id} 的修复已在 OpenCloudOS ${c.release} 发布`,
      ),
      body: l10n(
        `The fix for bug ${c.bug_id} (“${bug.summary}”) is in ${c.nvr}, now tagged into the OpenCloudOS ${c.release} repository. Mirrors pick it up at their next sync; the bug page shows how many already have it.`,
        `缺陷 ${c.bug_id}（“${bug.summary}”）的修复包含在 ${c.nvr} 中，该构建已进入 OpenCloudOS ${c.release} 软件仓库。镜像站会在下次同步时获取，缺陷页面显示已同步的镜像比例。`,
      ),
      link: `/bugs/${c.bug_id}`,
      email: true,
    });
    return 1;
  }

  private async mirrorShare(release: string | null, taggedAt: Date | null): Promise<MirrorShareView | null> {
    if (release === null || taggedAt === null) return null;
    const spread = await releaseSnapshotSpread(this.dataSource.manager, release.split('.')[0], taggedAt);
    if (!spread) return null;
    return {
      composedAt: spread.composedAt,
      composed: spread.carries,
      mirrors: spread.mirrors,
      carrying: spread.carrying,
      share: spread.mirrors ? spread.carrying / spread.mirrors : 0,
      checkedAt: spread.checkedAt,
    };
  }

  /** Per release, the build that carries the bug's fix, whether it is released, and its spread over the mirrors. */
  async forBug(actor: Actor | null, bugId: number): Promise<BugBuildsView> {
    await this.bugs.findVisible(this.dataSource.manager, bugViewer(actor), bugId);
    const [bug] = await this.dataSource.query<{ fixed_in: string; package_id: number | null }[]>(
      `SELECT fixed_in, package_id FROM bugs WHERE id = $1`,
      [bugId],
    );
    const candidates = await this.candidates({ bugId });
    const fixing = this.firstPerRelease(candidates);
    const taggedFirst = this.firstPerRelease(candidates, true);
    const recorded = new Map(
      (
        await this.dataSource.query<{ release: string; released_at: Date; build_id: number }[]>(
          `SELECT release, released_at, build_id FROM sync_bug_fix_releases WHERE bug_id = $1`,
          [bugId],
        )
      ).map((r) => [r.release, r]),
    );
    const releases: FixingBuildView[] = [];
    for (const [release, c] of fixing) {
      const shipped = taggedFirst.get(release) ?? null;
      const rec = recorded.get(release);
      releases.push({
        release: c.release,
        nvr: c.nvr,
        state: c.state,
        taggedIntoRelease: c.tags.length > 0,
        tags: c.tags,
        commit: c.commit_sha,
        source: 'commit',
        taskUrl: c.task_url,
        finishedAt: c.finished_at,
        released: shipped ? { nvr: shipped.nvr, releasedAt: rec?.released_at ?? shipped.tagged_at! } : null,
        mirrors: await this.mirrorShare(c.release, shipped?.tagged_at ?? null),
      });
    }
    // builds named in "fixed in" by hand, for releases no fixing commit accounts for
    const named = splitFixedIn(bug.fixed_in);
    if (named.length) {
      const builds = await this.dataSource.query<BuildRow[]>(
        `SELECT id, nvr, release, state, tags, tagged_at, finished_at, task_url FROM builds
          WHERE nvr = ANY($1::text[]) AND ($2::int IS NULL OR package_id = $2) ORDER BY id`,
        [named, bug.package_id],
      );
      for (const b of builds) {
        if (releases.some((r) => r.release === b.release)) continue;
        releases.push({
          release: b.release,
          nvr: b.nvr,
          state: b.state,
          taggedIntoRelease: b.tags.length > 0,
          tags: b.tags,
          commit: null,
          source: 'manual',
          taskUrl: b.task_url,
          finishedAt: b.finished_at,
          released: isTagged(b) ? { nvr: b.nvr, releasedAt: b.tagged_at! } : null,
          mirrors: await this.mirrorShare(b.release, isTagged(b) ? b.tagged_at : null),
        });
      }
    }
    releases.sort((a, b) => (b.release ?? '').localeCompare(a.release ?? '', 'en', { numeric: true }));
    return { fixedIn: bug.fixed_in, releases };
  }
}
