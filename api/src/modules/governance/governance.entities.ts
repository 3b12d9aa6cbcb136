import type { EntitySchema } from 'typeorm';

/** The governance area's entities, spread into ENTITIES (database/entities.ts). */
export const GOVERNANCE_ENTITIES: (EntitySchema | (new () => object))[] = [];
