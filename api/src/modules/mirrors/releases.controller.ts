import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, type AuthedRequest, requestMeta } from '../../common/actor';
import { IdPipe } from '../../common/id.pipe';
import { Public, RequireRole } from '../../common/policy';
import {
  ArtefactView,
  CreateReleaseDto,
  FileQueryDto,
  FileView,
  ImportQueuedView,
  ReleaseListView,
  ReleaseParamsDto,
  ReleaseView,
  UpdateArtefactDto,
  UpdateReleaseDto,
} from './dto/mirrors.dto';
import { ReleasesService } from './releases.service';

const actorOf = (req: AuthedRequest): Actor => req.actor as Actor;

@ApiTags('downloads')
@Controller('api/v1')
export class ReleasesController {
  constructor(private readonly releases: ReleasesService) {}

  @Get('releases')
  @Public()
  @ApiOkResponse({ type: ReleaseListView, description: 'Published releases, newest first, with their files' })
  async list(): Promise<ReleaseListView> {
    return { items: await this.releases.list(false) };
  }

  @Get('releases/:family/:version')
  @Public()
  @ApiOkResponse({ type: ReleaseView })
  get(@Param() p: ReleaseParamsDto): Promise<ReleaseView> {
    return this.releases.get(p.family, p.version, false);
  }

  @Get('downloads/file')
  @Public()
  @ApiOkResponse({ type: FileView, description: 'One file with its checksum and the mirrors that have it' })
  file(@Query() q: FileQueryDto): Promise<FileView> {
    return this.releases.file(q.path, q.country ?? null);
  }
}

@ApiTags('downloads')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/admin')
export class AdminReleasesController {
  constructor(private readonly releases: ReleasesService) {}

  @Get('releases')
  @RequireRole('admin')
  @ApiOkResponse({ type: ReleaseListView, description: 'Drafts included' })
  async list(): Promise<ReleaseListView> {
    return { items: await this.releases.list(true) };
  }

  @Post('releases')
  @RequireRole('admin')
  @ApiCreatedResponse({ type: ReleaseView })
  create(@Req() req: AuthedRequest, @Body() dto: CreateReleaseDto): Promise<ReleaseView> {
    return this.releases.create(actorOf(req), dto, requestMeta(req));
  }

  @Patch('releases/:family/:version')
  @RequireRole('admin')
  @ApiOkResponse({ type: ReleaseView, description: 'Edit, publish (status) or mark as latest' })
  update(@Req() req: AuthedRequest, @Param() p: ReleaseParamsDto, @Body() dto: UpdateReleaseDto): Promise<ReleaseView> {
    return this.releases.update(actorOf(req), p.family, p.version, dto, requestMeta(req));
  }

  @Post('releases/:family/:version/import')
  @RequireRole('admin')
  @HttpCode(202)
  @ApiOkResponse({ type: ImportQueuedView, description: 'Queues a re-read of the release from the master mirror' })
  import(@Req() req: AuthedRequest, @Param() p: ReleaseParamsDto): Promise<ImportQueuedView> {
    return this.releases.queueImport(actorOf(req), p.family, p.version, requestMeta(req));
  }

  @Patch('artefacts/:id')
  @RequireRole('admin')
  @ApiOkResponse({ type: ArtefactView })
  updateArtefact(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateArtefactDto,
  ): Promise<ArtefactView> {
    return this.releases.updateArtefact(actorOf(req), id, dto, requestMeta(req));
  }
}
