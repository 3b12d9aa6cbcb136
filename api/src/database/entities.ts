import { AuditEntryEntity } from '../modules/audit/audit-entry.entity';
import { EmailTokenEntity } from '../modules/auth/email-token.entity';
import { SessionEntity } from '../modules/auth/session.entity';
import { NotificationEntity } from '../modules/notifications/notification.entity';
import { ApiTokenEntity } from '../modules/tokens/api-token.entity';
import { UserRoleEntity } from '../modules/users/user-role.entity';
import { UserEntity } from '../modules/users/user.entity';
import { OutboxEntity } from '../queue/outbox.entity';

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
];
