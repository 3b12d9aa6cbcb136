/** What the workers reuse from the sync area (re-exported by the API's index.ts). */
import { BugNotifier } from '../bugs/bug-notifier';
import { BugsService } from '../bugs/bugs.service';
import { BuildSyncService } from './build-sync.service';
import { CommitLinksService } from './commit-links.service';
import { CommunityFileService } from './community-file.service';
import { FixTrailService } from './fix-trail.service';
import { GiteeSyncService } from './gitee-sync.service';

export { BuildSyncService, CommitLinksService, CommunityFileService, GiteeSyncService };
/** Services the sync jobs need in the workers process (bug changes go through BugsService). */
export const SYNC_PROVIDERS = [
  GiteeSyncService,
  CommitLinksService,
  BuildSyncService,
  FixTrailService,
  CommunityFileService,
  BugsService,
  BugNotifier,
];
