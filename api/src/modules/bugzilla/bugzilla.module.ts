import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { BugsModule } from '../bugs/bugs.module';
import { BugzillaAuthMiddleware } from './bugzilla-auth.middleware';
import { BugzillaController, BugzillaFallbackController } from './bugzilla.controller';
import { BugzillaRepository } from './bugzilla.repository';
import { BugzillaService } from './bugzilla.service';

/** Bugzilla 5 REST compatibility (`/rest/…`) for python-bugzilla and other Bugzilla clients. */
@Module({
  imports: [BugsModule],
  controllers: [BugzillaController, BugzillaFallbackController],
  providers: [BugzillaService, BugzillaRepository, BugzillaAuthMiddleware],
})
export class BugzillaModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(BugzillaAuthMiddleware).forRoutes(BugzillaController, BugzillaFallbackController);
  }
}
