import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, type AuthedRequest, requestMeta } from '../../common/actor';
import { IdPipe } from '../../common/id.pipe';
import { Authenticated, Public, RequireRole } from '../../common/policy';
import {
  CreateMirrorDto,
  DisableMirrorDto,
  MirrorListQueryDto,
  MirrorListView,
  MirrorStatusPage,
  MirrorStatusQueryDto,
  MirrorView,
  OwnMirrorView,
  PublicMirrorListView,
  SweepView,
  UpdateMirrorDto,
} from './dto/mirrors.dto';
import { MirrorProbeService } from './mirror-probe.service';
import { MirrorsService } from './mirrors.service';

const actorOf = (req: AuthedRequest): Actor => req.actor as Actor;

@ApiTags('mirrors')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/mirrors')
export class MirrorsController {
  constructor(private readonly mirrors: MirrorsService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: PublicMirrorListView, description: 'Approved, active mirrors' })
  async list(): Promise<PublicMirrorListView> {
    return { items: await this.mirrors.publicList() };
  }

  @Get('status')
  @Public()
  @ApiOkResponse({ type: MirrorStatusPage, description: 'The status board: buckets, last sync, uptime per day' })
  status(@Query() q: MirrorStatusQueryDto): Promise<MirrorStatusPage> {
    return this.mirrors.status(q);
  }

  @Get('mine')
  @Authenticated()
  @ApiOkResponse({ type: MirrorListView })
  async mine(@Req() req: AuthedRequest): Promise<MirrorListView> {
    return { items: await this.mirrors.mine(actorOf(req)) };
  }

  @Post()
  @Authenticated()
  @ApiCreatedResponse({ type: OwnMirrorView, description: 'Registered, waiting for an admin to approve it' })
  register(@Req() req: AuthedRequest, @Body() dto: CreateMirrorDto): Promise<OwnMirrorView> {
    return this.mirrors.register(actorOf(req), dto, requestMeta(req));
  }

  @Get(':id')
  @Public()
  @ApiOkResponse({ type: OwnMirrorView, description: 'Operators and admins see the private fields too' })
  get(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<MirrorView | OwnMirrorView> {
    return this.mirrors.get(req.actor ?? null, id);
  }

  @Patch(':id')
  @Authenticated()
  @ApiOkResponse({ type: OwnMirrorView, description: 'Its operator or an admin' })
  update(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateMirrorDto,
  ): Promise<OwnMirrorView> {
    return this.mirrors.update(actorOf(req), id, dto, requestMeta(req));
  }

  @Post(':id/approve')
  @RequireRole('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: OwnMirrorView })
  approve(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<OwnMirrorView> {
    return this.mirrors.setStatus(actorOf(req), id, 'approve', undefined, requestMeta(req));
  }

  @Post(':id/disable')
  @RequireRole('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: OwnMirrorView })
  disable(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: DisableMirrorDto,
  ): Promise<OwnMirrorView> {
    return this.mirrors.setStatus(actorOf(req), id, 'disable', dto.reason, requestMeta(req));
  }

  @Post(':id/enable')
  @RequireRole('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: OwnMirrorView })
  enable(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<OwnMirrorView> {
    return this.mirrors.setStatus(actorOf(req), id, 'enable', undefined, requestMeta(req));
  }
}

@ApiTags('mirrors')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/admin/mirrors')
export class AdminMirrorsController {
  constructor(
    private readonly mirrors: MirrorsService,
    private readonly prober: MirrorProbeService,
  ) {}

  @Get()
  @RequireRole('admin')
  @ApiOkResponse({ type: MirrorListView, description: 'Every mirror, pending ones included' })
  async list(@Query() q: MirrorListQueryDto): Promise<MirrorListView> {
    return { items: await this.mirrors.adminList(q.status) };
  }

  @Post('probe')
  @RequireRole('admin')
  @HttpCode(200)
  @ApiOkResponse({ type: SweepView, description: 'Probes every mirror now (the worker does it on a schedule)' })
  probe(): Promise<SweepView> {
    return this.prober.sweep();
  }
}
