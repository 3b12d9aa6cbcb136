import type { EntitySchema } from 'typeorm';
import { BuildCursorEntity, BuildEntity } from './build.entity';
import {
  BugFixReleaseEntity,
  CommitBugLinkEntity,
  CommunityFileSyncEntity,
  GiteeOrgSyncEntity,
} from './sync-state.entity';

/** The sync workers' entities, spread into ENTITIES (database/entities.ts). */
export const SYNC_ENTITIES: (EntitySchema | (new () => object))[] = [
  GiteeOrgSyncEntity,
  CommitBugLinkEntity,
  BuildEntity,
  BuildCursorEntity,
  CommunityFileSyncEntity,
  BugFixReleaseEntity,
];
