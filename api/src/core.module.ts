import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from './config/config';
import { dataSourceOptions } from './database/data-source';
import { AuditService } from './modules/audit/audit.service';
import { Authenticator } from './modules/auth/authenticator.service';
import { SessionService } from './modules/auth/session.service';
import { MailerService } from './modules/notifications/mailer.service';
import { NotificationsService } from './modules/notifications/notifications.service';
import { TokensService } from './modules/tokens/tokens.service';
import { RoleResolver } from './modules/users/role-providers';
import { UsersRepository } from './modules/users/users.repository';
import { OutboxRelayService } from './queue/outbox-relay.service';
import { OutboxService } from './queue/outbox.service';
import { QueueRegistry } from './queue/queue-registry.service';
import { ThrottleRedis } from './queue/throttle-redis';

const SHARED = [
  ThrottleRedis,
  QueueRegistry,
  OutboxService,
  OutboxRelayService,
  AuditService,
  UsersRepository,
  RoleResolver,
  NotificationsService,
  MailerService,
  SessionService,
  TokensService,
  Authenticator,
];

/** What both the API and the workers process need: config, database, queues, identity, audit. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, opts: { offline?: boolean } = {}): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.databaseUrl),
          retryAttempts: 3,
          retryDelay: 1000,
          // offline: build the app's metadata (OpenAPI) without a database
          manualInitialization: !!opts.offline,
        }),
      ],
      providers: [{ provide: APP_CONFIG, useValue: config }, ...SHARED],
      exports: [APP_CONFIG, ...SHARED],
    };
  }
}
