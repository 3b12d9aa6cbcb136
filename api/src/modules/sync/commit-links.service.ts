import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { SyncGiteePushPayload } from '../../queue/jobs';
import { BugsService } from '../bugs/bugs.service';
import type { UpdateBugDto } from '../bugs/dto/bugs.dto';
import { bugRefs } from './bug-refs';

export interface PushResult {
  commented: number;
  resolved: number;
  skipped: number;
}

interface BugFacts {
  id: number;
  status: string;
  package: string | null;
}

/**
 * Links pushed commits to the bugs their messages name. Each (commit, bug) pair is written once,
 * however often Gitee delivers the push: a claim row is inserted before the comment and marked
 * done after it, and a retry of a half-done pair first looks for the comment it may have written.
 * Bugs change only through BugsService, so history, search and notifications (which never tell
 * people outside a private bug's circle) work as for a person's change. The bot sees private
 * bugs (it acts with the security role) so a fix for an embargoed bug is recorded in the bug
 * itself, where only its circle can read it; nothing is ever written back to Gitee.
 */
@Injectable()
export class CommitLinksService {
  private readonly logger = new Logger(CommitLinksService.name);
  private readonly releaseBranch: RegExp;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly bugs: BugsService,
  ) {
    this.releaseBranch = new RegExp(config.syncReleaseBranches);
  }

  /** The account automated bug changes are made as (created without a password on first use). */
  async botActor(): Promise<Actor> {
    const username = this.config.syncBotUsername;
    const find = () =>
      this.dataSource.query<{ id: number; username: string; email: string; password_hash: string | null }[]>(
        `SELECT id, username, email, password_hash FROM users WHERE lower(username) = lower($1)`,
        [username],
      );
    let rows = await find();
    if (!rows.length) {
      await this.dataSource.query(
        `INSERT INTO users (username, email, display_name) VALUES ($1, $2, 'Gitee') ON CONFLICT DO NOTHING`,
        [username, `${username}@bots.opencloudos.invalid`],
      );
      rows = await find();
    }
    const bot = rows[0];
    if (!bot) throw new Error(`cannot create the bot account ${username}`);
    if (bot.password_hash !== null)
      throw new Error(`SYNC_BOT_USERNAME "${username}" is a person's account (it has a password); pick another name`);
    return { id: bot.id, username: bot.username, email: bot.email, roles: ['triager', 'security'] };
  }

  async process(push: SyncGiteePushPayload): Promise<PushResult> {
    const result: PushResult = { commented: 0, resolved: 0, skipped: 0 };
    const [org, repoName] = push.repo.split('/');
    if (!this.config.syncGiteeOrgs.includes(org)) return result;
    const release = this.releaseBranch.test(push.branch);
    let bot: Actor | null = null;
    for (const commit of push.commits) {
      const refs = bugRefs(commit.message, this.config.syncBugRefPattern, this.config.syncBugFixPattern);
      for (const [bugId, fixes] of refs) {
        const bug = await this.bugFacts(bugId);
        if (!bug) {
          result.skipped++;
          continue;
        }
        bot ??= await this.botActor();
        const done = await this.link(bot, push, commit, bug, fixes, release, repoName);
        if (done === 'skipped') result.skipped++;
        else {
          result.commented++;
          if (done === 'resolved') result.resolved++;
        }
      }
    }
    return result;
  }

  private async bugFacts(id: number): Promise<BugFacts | null> {
    const rows = await this.dataSource.query<BugFacts[]>(
      `SELECT b.id, b.status, p.name AS package FROM bugs b LEFT JOIN packages p ON p.id = b.package_id WHERE b.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  private async link(
    bot: Actor,
    push: SyncGiteePushPayload,
    commit: SyncGiteePushPayload['commits'][number],
    bug: BugFacts,
    fixes: boolean,
    release: boolean,
    repoName: string,
  ): Promise<'commented' | 'resolved' | 'skipped'> {
    const claimed = await this.dataSource.query<{ commented_at: Date | null }[]>(
      `INSERT INTO sync_commit_bug_links (commit_sha, bug_id, repo, branch, url, fixes)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (commit_sha, bug_id) DO UPDATE SET commit_sha = EXCLUDED.commit_sha
       RETURNING commented_at`,
      [commit.id, bug.id, push.repo, push.branch, commit.url, fixes],
    );
    if (claimed[0]?.commented_at) return 'skipped';
    // A crash between the comment and marking it done: the comment is there, only mark it.
    const written = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM bug_comments WHERE bug_id = $1 AND author_id = $2 AND position($3 in body) > 0 LIMIT 1`,
      [bug.id, bot.id, commit.url],
    );
    let resolved = false;
    if (!written.length) {
      const policy = this.config.syncResolvePolicy;
      // Only a release branch of the bug's own package closes it; anything else is a cross-reference.
      const resolve =
        release &&
        policy !== 'off' &&
        (policy === 'any' || fixes) &&
        bug.package === repoName &&
        bug.status !== 'RESOLVED' &&
        bug.status !== 'VERIFIED';
      const firstLine = commit.message.split('\n')[0].slice(0, 300);
      const body = [
        `Commit ${commit.id.slice(0, 12)} in ${push.repo} (branch ${push.branch}) ${fixes ? 'fixes' : 'mentions'} this bug:`,
        commit.url,
        '',
        `> ${firstLine}`,
      ].join('\n');
      if (resolve) {
        try {
          const dto: UpdateBugDto = { status: 'RESOLVED', resolution: 'FIXED', comment: { body } };
          await this.bugs.update(bot, bug.id, dto);
          resolved = true;
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          this.logger.warn(`bug ${bug.id} not resolved by ${commit.id}: ${e.message}`);
        }
      }
      if (!resolved) await this.bugs.addComment(bot, bug.id, { body });
    }
    await this.dataSource.query(
      `UPDATE sync_commit_bug_links SET commented_at = now(), resolved = $3 WHERE commit_sha = $1 AND bug_id = $2`,
      [commit.id, bug.id, resolved],
    );
    return resolved ? 'resolved' : 'commented';
  }
}
