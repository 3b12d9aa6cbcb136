import { MySigsController } from './my-sigs.controller';
import { Inject, MiddlewareConsumer, Module, NestModule, OnModuleInit, RequestMethod } from '@nestjs/common';
import { text } from 'express';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { RoleResolver } from '../users/role-providers';
import { SlugPipe, UsernamePipe } from './sig-access';
import { SigImportController, YAML_TYPES } from './sig-import.controller';
import { SigImportService } from './sig-import.service';
import { SigMembershipService } from './sig-membership.service';
import { TocPolicy } from './sig-policies';
import { SigRoleProvider } from './sig-role.provider';
import { SigsController } from './sigs.controller';
import { SigsService } from './sigs.service';

@Module({
  controllers: [SigsController, SigImportController, MySigsController],
  providers: [SigsService, SigImportService, SigMembershipService, SigRoleProvider, TocPolicy, SlugPipe, UsernamePipe],
  exports: [SigsService, SigMembershipService],
})
export class SigsModule implements OnModuleInit, NestModule {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly roles: RoleResolver,
    private readonly provider: SigRoleProvider,
  ) {}

  onModuleInit(): void {
    this.roles.register(this.provider);
  }

  /** The import route also takes YAML bodies, which the app's JSON parser leaves alone. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(text({ type: YAML_TYPES, limit: this.config.bodyLimit }))
      .forRoutes({ path: 'api/v1/admin/sigs/import', method: RequestMethod.POST });
  }
}
