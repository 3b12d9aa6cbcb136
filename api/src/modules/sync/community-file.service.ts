import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { type ImportProblem, runImport } from '../sigs/sig-import';
import { CommitLinksService } from './commit-links.service';
import type { CommunityFileView } from './dto/sync.dto';
import { GiteeSyncService } from './gitee-sync.service';

export interface CommunityFileResult {
  outcome: 'off' | 'missing' | 'unchanged' | 'applied' | 'conflicts' | 'failed';
  sha?: string;
  problems?: ImportProblem[];
  changes?: number;
  error?: string;
}

/**
 * Reads the community's packages.yaml (SYNC_COMMUNITY_REPO, Gitee contents API) and feeds it to
 * the SIG import. An unchanged file (same blob sha as the last clean import) costs one request and
 * changes nothing; a file with problems (a package claimed by two SIGs, one missing …) is applied
 * not at all, and its problems are kept as the report admins see — conflicts are reported, never
 * guessed.
 */
@Injectable()
export class CommunityFileService {
  private readonly logger = new Logger(CommunityFileService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gitee: GiteeSyncService,
    private readonly links: CommitLinksService,
  ) {}

  get key(): string {
    return `${this.config.syncCommunityRepo}:${this.config.syncCommunityRef}:${this.config.syncCommunityPath}`;
  }

  async sync(): Promise<CommunityFileResult> {
    const repo = this.config.syncCommunityRepo;
    if (!repo) return { outcome: 'off' };
    const [owner, name] = repo.split('/');
    const key = this.key;
    await this.dataSource.query(`INSERT INTO sync_community_files (key) VALUES ($1) ON CONFLICT DO NOTHING`, [key]);
    try {
      const file = await this.gitee
        .client()
        .fileContents(owner, name, this.config.syncCommunityPath, this.config.syncCommunityRef);
      if (!file) {
        await this.save(key, null, { problems: [{ file: key, path: '', message: 'the file does not exist' }] }, false);
        return { outcome: 'missing' };
      }
      const [row] = await this.dataSource.query<{ applied_sha: string | null }[]>(
        `SELECT applied_sha FROM sync_community_files WHERE key = $1`,
        [key],
      );
      if (row.applied_sha === file.sha) {
        await this.dataSource.query(`UPDATE sync_community_files SET checked_at = now() WHERE key = $1`, [key]);
        return { outcome: 'unchanged', sha: file.sha };
      }
      const bot = await this.links.botActor();
      const report = await runImport(
        this.dataSource,
        [{ name: this.config.syncCommunityPath.split('/').pop() ?? 'packages.yaml', content: file.text }],
        { dryRun: false, actorId: bot.id, userAgent: `gitee-sync ${repo}@${file.sha.slice(0, 12)}` },
      );
      await this.save(
        key,
        file.sha,
        { valid: report.valid, problems: report.problems, warnings: report.warnings, summary: report.summary },
        report.valid,
      );
      if (!report.valid)
        this.logger.warn(`${key} @ ${file.sha}: ${report.problems.length} problem(s); nothing was imported`);
      return {
        outcome: report.valid ? 'applied' : 'conflicts',
        sha: file.sha,
        problems: report.problems,
        changes: report.valid ? report.changes.length : 0,
      };
    } catch (e) {
      const message = (e as Error).message;
      this.logger.warn(`${key}: ${message}`);
      return { outcome: 'failed', error: message };
    }
  }

  /** What the last read found, for the admins' status view. */
  async state(): Promise<CommunityFileView | null> {
    if (!this.config.syncCommunityRepo) return null;
    const [row] = await this.dataSource.query<
      { sha: string | null; applied_sha: string | null; report: Record<string, unknown>; checked_at: Date | null }[]
    >(`SELECT sha, applied_sha, report, checked_at FROM sync_community_files WHERE key = $1`, [this.key]);
    return {
      file: this.key,
      sha: row?.sha ?? null,
      appliedSha: row?.applied_sha ?? null,
      checkedAt: row?.checked_at ?? null,
      report: row?.report ?? {},
    };
  }

  private async save(key: string, sha: string | null, report: object, applied: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE sync_community_files SET sha = $2, report = $3, checked_at = now(),
         applied_sha = CASE WHEN $4 THEN $2 ELSE applied_sha END,
         applied_at = CASE WHEN $4 THEN now() ELSE applied_at END
       WHERE key = $1`,
      [key, sha, report, applied],
    );
  }
}
