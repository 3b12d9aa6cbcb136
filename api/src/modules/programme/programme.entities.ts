import type { EntitySchema } from 'typeorm';
import { ProgrammeApplicationEntity, ProgrammeNoteEntity } from './programme.entity';

/** The 千百双扶 programme's entities, spread into ENTITIES (database/entities.ts). */
export const PROGRAMME_ENTITIES: (EntitySchema | (new () => object))[] = [
  ProgrammeApplicationEntity,
  ProgrammeNoteEntity,
];
