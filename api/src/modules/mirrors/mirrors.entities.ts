import type { EntitySchema } from 'typeorm';
import {
  MasterRepoEntity,
  MirrorEntity,
  MirrorProbeEntity,
  ReleaseArtefactEntity,
  ReleaseEntity,
} from './mirror.entity';

/** The downloads & mirrors area's entities, spread into ENTITIES (database/entities.ts). */
export const MIRROR_ENTITIES: (EntitySchema | (new () => object))[] = [
  ReleaseEntity,
  ReleaseArtefactEntity,
  MirrorEntity,
  MirrorProbeEntity,
  MasterRepoEntity,
];
