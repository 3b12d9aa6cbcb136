import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { AuthedRequest } from '../../common/actor';
import { IdPipe } from '../../common/id.pipe';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CsrfExempt, Public, RequireRole } from '../../common/policy';
import { PackageNamePipe } from '../packages/packages.service';
import { SlugPipe } from '../sigs/sig-access';
import { BuildSyncService } from './build-sync.service';
import {
  BugBuildsView,
  BuildListQueryDto,
  BuildListView,
  SigFailingBuildsView,
  SyncStatusView,
  WebhookAckView,
} from './dto/sync.dto';
import { CommunityFileService } from './community-file.service';
import { FixTrailService } from './fix-trail.service';
import { GiteeSyncService } from './gitee-sync.service';
import { GiteeWebhookService } from './gitee-webhook.service';

@ApiTags('sync')
@Controller('api/v1/webhooks')
export class GiteeWebhookController {
  constructor(private readonly webhooks: GiteeWebhookService) {}

  /** Gitee calls this; it proves itself with X-Gitee-Token, not with a session (hence no CSRF). */
  @Post('gitee')
  @Public()
  @CsrfExempt()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WebhookAckView, description: 'Verified; the work is queued' })
  receive(
    @Headers() headers: Record<string, string | string[] | undefined>,
    @Body() body: Record<string, unknown>,
  ): Promise<WebhookAckView> {
    return this.webhooks.receive(headers, body);
  }
}

@ApiTags('sync')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/admin/sync')
export class SyncAdminController {
  constructor(
    private readonly sync: GiteeSyncService,
    private readonly community: CommunityFileService,
  ) {}

  @Get()
  @RequireRole('admin')
  @ApiOkResponse({ type: SyncStatusView, description: "Each Gitee organisation's sync cursor and last pass" })
  async status(): Promise<SyncStatusView> {
    return { ...(await this.sync.status()), packagesYaml: await this.community.state() };
  }
}

@ApiTags('packages')
@Controller('api/v1/packages')
export class PackageBuildsController {
  constructor(private readonly builds: BuildSyncService) {}

  @Get(':name/builds')
  @Public()
  @ApiOkResponse({
    type: BuildListView,
    description: "The package's builds, newest first, and the newest per release and architecture",
  })
  list(@Param('name', PackageNamePipe) name: string, @Query() q: BuildListQueryDto): Promise<BuildListView> {
    return this.builds.forPackage(name, q.limit ?? 50);
  }
}

@ApiTags('sigs')
@Controller('api/v1/sigs')
export class SigBuildsController {
  constructor(private readonly builds: BuildSyncService) {}

  @Get(':slug/failing-builds')
  @Public()
  @ApiOkResponse({ type: SigFailingBuildsView, description: 'Packages of the SIG whose newest finished build failed' })
  failing(@Param('slug', SlugPipe) slug: string): Promise<SigFailingBuildsView> {
    return this.builds.failingForSig(slug);
  }
}

@ApiTags('bugs')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/bugs')
export class BugBuildsController {
  constructor(private readonly trail: FixTrailService) {}

  @Get(':id/builds')
  @Public()
  @ApiOkResponse({ type: BugBuildsView, description: 'Per release, the build carrying the fix (from commit links)' })
  builds(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<BugBuildsView> {
    return this.trail.forBug(req.actor ?? null, id);
  }
}
