import type { EntitySchema } from 'typeorm';
import {
  GovAuditEntity,
  GovBallotEntity,
  GovBodyEntity,
  GovBodyMemberEntity,
  GovCommentEntity,
  GovElectorEntity,
  GovEligibilityRequestEntity,
  GovOptionEntity,
  GovProposalEntity,
} from './governance.entity';

/** The governance area's entities, spread into ENTITIES (database/entities.ts). */
export const GOVERNANCE_ENTITIES: (EntitySchema | (new () => object))[] = [
  GovBodyEntity,
  GovBodyMemberEntity,
  GovProposalEntity,
  GovOptionEntity,
  GovElectorEntity,
  GovEligibilityRequestEntity,
  GovBallotEntity,
  GovCommentEntity,
  GovAuditEntity,
];
