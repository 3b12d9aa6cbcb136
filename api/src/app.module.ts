import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import pino, { type Logger } from 'pino';
import { PolicyGuard } from './common/policy.guard';
import { ProblemFilter } from './common/problem.filter';
import { AppConfig } from './config/config';
import { CoreModule } from './core.module';
import { AdminController } from './modules/admin/admin.controller';
import { AdminService } from './modules/admin/admin.service';
import { AuthController } from './modules/auth/auth.controller';
import { AuthService } from './modules/auth/auth.service';
import { GiteeController } from './modules/auth/gitee.controller';
import { GiteeAccountService } from './modules/auth/gitee.service';
import { GiteeAuthGuard, GiteeEnabledGuard, LocalAuthGuard } from './modules/auth/guards';
import { MeController } from './modules/auth/me.controller';
import { GiteeStrategy, LocalStrategy } from './modules/auth/strategies';
import { HealthController } from './modules/health/health.controller';
import { MetricsController } from './modules/metrics/metrics.controller';
import { MetricsService } from './modules/metrics/metrics.service';
import { NotificationsController } from './modules/notifications/notifications.controller';
import { NotificationSettingsController } from './modules/notifications/notification-settings.controller';
import { JoinModule } from './modules/join/join.module';
import { OrganisationsModule } from './modules/organisations/organisations.module';
import { BugsModule } from './modules/bugs/bugs.module';
import { BugzillaModule } from './modules/bugzilla/bugzilla.module';
import { PackagesModule } from './modules/packages/packages.module';
import { SigsModule } from './modules/sigs/sigs.module';
import { GovernanceModule } from './modules/governance/governance.module';
import { MirrorsModule } from './modules/mirrors/mirrors.module';
import { SyncModule } from './modules/sync/sync.module';
import { ProgrammeModule } from './modules/programme/programme.module';
import { SiteSearchModule } from './modules/site-search/site-search.module';
import { PortalModule } from './modules/portal/portal.module';
import { ContentModule } from './modules/content/content.module';
import { PeopleModule } from './modules/people/people.module';
import { ThrottleRedis } from './queue/throttle-redis';

@Module({
  imports: [PassportModule.register({ session: false })],
  controllers: [AuthController, GiteeController, MeController],
  providers: [
    AuthService,
    GiteeAccountService,
    LocalStrategy,
    GiteeStrategy,
    LocalAuthGuard,
    GiteeAuthGuard,
    GiteeEnabledGuard,
  ],
  exports: [AuthService],
})
export class AuthModule {}

@Module({ controllers: [NotificationsController, NotificationSettingsController] })
export class NotificationsModule {}

@Module({ controllers: [AdminController], providers: [AdminService] })
export class AdminModule {}

@Module({ imports: [TerminusModule], controllers: [HealthController] })
export class HealthModule {}

@Module({ controllers: [MetricsController], providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}

/** The process's pino logger, for requestLog (app.factory). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

function rootLogger(config: AppConfig): Logger {
  return pino({
    level: config.logLevel,
    // in case a request or response object is ever logged whole
    redact: [
      'req.headers.cookie',
      'req.headers.authorization',
      'req.headers["x-bugzilla-api-key"]',
      'req.headers["x-csrf-token"]',
      'res.headers["set-cookie"]',
    ],
  });
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, opts: { offline?: boolean } = {}): DynamicModule {
    const logger = rootLogger(config);
    return {
      module: AppModule,
      imports: [
        // The request log and X-Request-Id come from requestLog (app.factory), which also sets
        // req.log; nestjs-pino hands that logger to the handlers' own lines.
        LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true }),
        CoreModule.forRoot(config, opts),
        ThrottlerModule.forRootAsync({
          inject: [ThrottleRedis],
          useFactory: (redis: ThrottleRedis) => ({
            throttlers: [{ name: 'auth', ttl: config.throttleAuthTtlSeconds * 1000, limit: config.throttleAuthLimit }],
            storage: new ThrottlerStorageRedisService(redis.client),
          }),
        }),
        DiscoveryModule,
        AuthModule,
        NotificationsModule,
        AdminModule,
        HealthModule,
        MetricsModule,
        SigsModule,
        PackagesModule,
        BugsModule,
        BugzillaModule,
        GovernanceModule,
        MirrorsModule,
        SyncModule,
        ProgrammeModule,
        SiteSearchModule,
        PortalModule,
        ContentModule,
        PeopleModule,
        JoinModule,
        OrganisationsModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: PolicyGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: ROOT_LOGGER, useValue: logger },
      ],
    };
  }
}
