import { BugCommentEntity, BugCommentRevisionEntity } from '../modules/bugs/bug-comment.entity';
import {
  BugAttachmentEntity,
  BugFlagEntity,
  BugMailPrefEntity,
  BugSavedSearchEntity,
  SigBugWatcherEntity,
} from '../modules/bugs/bug-extras.entity';
import { BugComponentEntity, BugProductEntity, BugVersionEntity } from '../modules/bugs/bug-product.entity';
import {
  BugAffectsEntity,
  BugAliasEntity,
  BugCcEntity,
  BugDependencyEntity,
  BugEntity,
  BugHistoryEntity,
} from '../modules/bugs/bug.entity';
import { AuditEntryEntity } from '../modules/audit/audit-entry.entity';
import { BugImportEntity } from '../modules/bugzilla-import/bug-import.entity';
import { EmailTokenEntity } from '../modules/auth/email-token.entity';
import { SessionEntity } from '../modules/auth/session.entity';
import { NotificationEntity } from '../modules/notifications/notification.entity';
import { ApiTokenEntity } from '../modules/tokens/api-token.entity';
import { UserRoleEntity } from '../modules/users/user-role.entity';
import { UserEntity } from '../modules/users/user.entity';
import { OutboxEntity } from '../queue/outbox.entity';
import { PackageTransferEntity } from '../modules/packages/package-transfer.entity';
import { PackageEntity } from '../modules/packages/package.entity';
import { SigActivityEntity } from '../modules/sigs/sig-activity.entity';
import { SigInviteEntity } from '../modules/sigs/sig-invite.entity';
import { SigJoinRequestEntity } from '../modules/sigs/sig-join-request.entity';
import { SigMembershipEntity } from '../modules/sigs/sig-membership.entity';
import { SigEntity } from '../modules/sigs/sig.entity';
import { GOVERNANCE_ENTITIES } from '../modules/governance/governance.entities';
import { MIRROR_ENTITIES } from '../modules/mirrors/mirrors.entities';
import { SYNC_ENTITIES } from '../modules/sync/sync.entities';
import { PROGRAMME_ENTITIES } from '../modules/programme/programme.entities';
import { CONTENT_ENTITIES } from '../modules/content/content.entity';
import { ClaSignatureEntity } from '../modules/join/cla-signature.entity';
import { NotificationPrefEntity } from '../modules/notifications/notification-pref.entity';
import { OrganisationEntity } from '../modules/organisations/organisation.entity';

/** Every entity, in one list shared by the app, the CLI and the tests. */
export const ENTITIES = [
  UserEntity,
  UserRoleEntity,
  SessionEntity,
  EmailTokenEntity,
  ApiTokenEntity,
  AuditEntryEntity,
  NotificationEntity,
  OutboxEntity,
  SigEntity,
  SigMembershipEntity,
  SigJoinRequestEntity,
  SigInviteEntity,
  SigActivityEntity,
  PackageEntity,
  PackageTransferEntity,
  BugProductEntity,
  BugVersionEntity,
  BugComponentEntity,
  BugEntity,
  BugAliasEntity,
  BugCcEntity,
  BugAffectsEntity,
  BugDependencyEntity,
  BugHistoryEntity,
  BugCommentEntity,
  BugCommentRevisionEntity,
  BugFlagEntity,
  BugAttachmentEntity,
  BugSavedSearchEntity,
  SigBugWatcherEntity,
  BugMailPrefEntity,
  BugImportEntity,
  ...GOVERNANCE_ENTITIES,
  ...MIRROR_ENTITIES,
  ...SYNC_ENTITIES,
  ...PROGRAMME_ENTITIES,
  ...CONTENT_ENTITIES,
  ClaSignatureEntity,
  NotificationPrefEntity,
  OrganisationEntity,
];
