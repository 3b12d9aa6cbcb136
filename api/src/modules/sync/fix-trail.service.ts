import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { bugViewer } from '../bugs/bug-access';
import { BugsService } from '../bugs/bugs.service';
import { CommitLinksService } from './commit-links.service';
import type { BugBuildsView, FixingBuildView } from './dto/sync.dto';
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
  source_commit: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  task_url: string | null;
}

const FIXED_IN_MAX = 200;

/**
 * The fix → build trail. A build carries a fixing commit when its source commit is that commit,
 * or when it was built for the release of the branch the fix was pushed to, after the push (release
 * branches only move forward, so a later build of the branch contains every earlier push). The
 * first such build per release is the bug's "fixed in" for that release.
 */
@Injectable()
export class FixTrailService {
  private readonly logger = new Logger(FixTrailService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bugs: BugsService,
    private readonly links: CommitLinksService,
  ) {}

  /** Candidate (bug, fixing commit, build) rows, for one bug or for one build. */
  private async candidates(where: { bugId?: number; buildId?: number }): Promise<Candidate[]> {
    const rows = await this.dataSource.query<Candidate[]>(
      `SELECT l.bug_id, l.commit_sha, l.branch, l.created_at AS linked_at, bu.id AS build_id, bu.nvr, bu.release,
              bu.state, bu.tags, bu.source_commit, bu.started_at, bu.finished_at, bu.task_url
         FROM sync_commit_bug_links l
         JOIN bugs b ON b.id = l.bug_id
         JOIN packages p ON p.id = b.package_id
         JOIN builds bu ON bu.package_id = p.id AND bu.state = 'COMPLETE'
        WHERE l.fixes AND split_part(l.repo, '/', 2) = p.name
          AND (bu.source_commit = l.commit_sha OR bu.started_at >= l.created_at)
          AND ($1::int IS NULL OR l.bug_id = $1) AND ($2::int IS NULL OR bu.id = $2)
        ORDER BY bu.started_at NULLS LAST, bu.id`,
      [where.bugId ?? null, where.buildId ?? null],
    );
    // a later build only carries the fix when it builds the release the fix was pushed to
    return rows.filter((r) => r.source_commit === r.commit_sha || releaseOf(r.branch) === r.release);
  }

  /** The first build carrying a fix of the bug, per release. */
  private firstPerRelease(rows: Candidate[]): Map<string, Candidate> {
    const out = new Map<string, Candidate>();
    for (const r of rows) {
      const release = r.release ?? '';
      if (!out.has(release)) out.set(release, r);
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
      const named = bug.fixed_in
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
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

  /** Per release, the build that carries the bug's fix, for whoever may see the bug. */
  async forBug(actor: Actor | null, bugId: number): Promise<BugBuildsView> {
    await this.bugs.findVisible(this.dataSource.manager, bugViewer(actor), bugId);
    const [bug] = await this.dataSource.query<{ fixed_in: string }[]>(`SELECT fixed_in FROM bugs WHERE id = $1`, [
      bugId,
    ]);
    const releases: FixingBuildView[] = [...this.firstPerRelease(await this.candidates({ bugId })).values()].map(
      (c) => ({
        release: c.release,
        nvr: c.nvr,
        state: c.state,
        taggedIntoRelease: c.tags.length > 0,
        tags: c.tags,
        commit: c.commit_sha,
        taskUrl: c.task_url,
        finishedAt: c.finished_at,
      }),
    );
    return { fixedIn: bug.fixed_in, releases };
  }
}
