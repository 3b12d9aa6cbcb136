import type { EntitySchema } from 'typeorm';

/** The downloads & mirrors area's entities, spread into ENTITIES (database/entities.ts). */
export const MIRROR_ENTITIES: (EntitySchema | (new () => object))[] = [];
