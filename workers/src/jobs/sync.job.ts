import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import {
  APP_CONFIG,
  type AppConfig,
  BuildSyncService,
  CommitLinksService,
  CommunityFileService,
  GiteeSyncService,
  type JobPayloads,
  QueueRegistry,
  QUEUES,
} from '@och/api';
import { type Handler, JobHandler } from '../job-handler';

/**
 * Lists every configured Gitee organisation every SYNC_GITEE_INTERVAL_MINUTES (one scheduler in
 * Redis however many workers run; the organisation's lease keeps two passes from overlapping).
 * A paused or failed pass is not an error for BullMQ: its cursor waits for the next run.
 */
@Injectable()
@JobHandler('sync.gitee-repos')
export class SyncGiteeReposJob implements Handler<'sync.gitee-repos'>, OnApplicationBootstrap {
  private readonly logger = new Logger(SyncGiteeReposJob.name);

  constructor(
    private readonly sync: GiteeSyncService,
    private readonly community: CommunityFileService,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.syncGiteeOrgs.length && !this.config.syncCommunityRepo) return;
    try {
      await this.queues
        .get(QUEUES.maintenance)
        .upsertJobScheduler(
          'sync-gitee-repos',
          { every: this.config.syncGiteeIntervalMinutes * 60_000 },
          { name: 'sync.gitee-repos', data: {}, opts: { attempts: 1 } },
        );
    } catch (err) {
      this.logger.warn(`could not schedule the Gitee sync: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The repositories first, then packages.yaml, which may assign the packages just found. */
  async handle() {
    const orgs = await this.sync.syncAll();
    const packagesYaml = await this.community.sync();
    return { orgs, packagesYaml };
  }
}

/** A webhook said a repository changed: re-read just that one. */
@Injectable()
@JobHandler('sync.gitee-repo')
export class SyncGiteeRepoJob implements Handler<'sync.gitee-repo'> {
  constructor(private readonly sync: GiteeSyncService) {}

  handle(payload: JobPayloads['sync.gitee-repo']) {
    return this.sync.refreshRepo(payload.fullName);
  }
}

/** Commits of a verified push that name bugs: a comment each, and per policy a resolution. */
@Injectable()
@JobHandler('sync.gitee-push')
export class SyncGiteePushJob implements Handler<'sync.gitee-push'> {
  constructor(private readonly links: CommitLinksService) {}

  handle(payload: JobPayloads['sync.gitee-push']) {
    return this.links.process(payload);
  }
}

/** A push to the community repository (webhook): packages.yaml is read and imported now, not at the next pass. */
@Injectable()
@JobHandler('sync.community-file')
export class SyncCommunityFileJob implements Handler<'sync.community-file'> {
  constructor(private readonly community: CommunityFileService) {}

  handle() {
    return this.community.sync();
  }
}

/** Polls the build system (Koji) every KOJI_POLL_MINUTES when KOJI_HUB_URL is set. */
@Injectable()
@JobHandler('sync.builds-poll')
export class SyncBuildsPollJob implements Handler<'sync.builds-poll'>, OnApplicationBootstrap {
  private readonly logger = new Logger(SyncBuildsPollJob.name);

  constructor(
    private readonly builds: BuildSyncService,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.kojiHubUrl) return;
    try {
      await this.queues
        .get(QUEUES.maintenance)
        .upsertJobScheduler(
          'sync-builds-poll',
          { every: this.config.kojiPollMinutes * 60_000 },
          { name: 'sync.builds-poll', data: {}, opts: { attempts: 1 } },
        );
    } catch (err) {
      this.logger.warn(`could not schedule the build poll: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  handle() {
    return this.builds.poll();
  }
}
