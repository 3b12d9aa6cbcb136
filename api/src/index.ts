/** What the workers package (and tests) reuse from the API. */
export * from './config/config';
export { CoreModule } from './core.module';
export * from './queue/jobs';
export { OutboxService } from './queue/outbox.service';
export { OutboxRelayService } from './queue/outbox-relay.service';
export { QueueRegistry } from './queue/queue-registry.service';
export { createWorkerConnection, pingRedis } from './queue/redis';
export { MailerService } from './modules/notifications/mailer.service';
export { SessionService } from './modules/auth/session.service';
export { dataSourceOptions, ensureDatabase, runMigrations } from './database/data-source';
export { l10n, NotificationsService } from './modules/notifications/notifications.service';
export { RoleResolver } from './modules/users/role-providers';
export { BugSearchService } from './modules/bugs/bug-search.service';
export * from './modules/mirrors/mirrors.public';
export { GovLifecycleService } from './modules/governance/gov-lifecycle.service';
export { GOVERNANCE_PROVIDERS } from './modules/governance/governance.providers';
export { ProgrammeService } from './modules/programme/programme.service';
export * from './modules/sync/sync.public';
