import { Module } from '@nestjs/common';
import { BugsModule } from '../bugs/bugs.module';
import { PackageNamePipe } from '../packages/packages.service';
import { SlugPipe } from '../sigs/sig-access';
import { CommitLinksService } from './commit-links.service';
import { CommunityFileService } from './community-file.service';
import { FixTrailService } from './fix-trail.service';
import { GiteeSyncService } from './gitee-sync.service';
import { BuildSyncService } from './build-sync.service';
import {
  GiteeWebhookController,
  PackageBuildsController,
  SyncAdminController,
  BugBuildsController,
  SigBuildsController,
} from './sync.controller';
import { GiteeWebhookService } from './gitee-webhook.service';

/** Sync workers' API side: the Gitee webhook, the sync status, and the services the workers run. */
@Module({
  imports: [BugsModule],
  controllers: [
    GiteeWebhookController,
    SyncAdminController,
    PackageBuildsController,
    BugBuildsController,
    SigBuildsController,
  ],
  providers: [
    GiteeSyncService,
    GiteeWebhookService,
    CommitLinksService,
    BuildSyncService,
    FixTrailService,
    CommunityFileService,
    PackageNamePipe,
    SlugPipe,
  ],
  exports: [GiteeSyncService, CommitLinksService, BuildSyncService, CommunityFileService],
})
export class SyncModule {}
