import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Actor, type AuthedRequest, requestMeta } from '../../common/actor';
import { IdPipe } from '../../common/id.pipe';
import { Authenticated, Public, RequireRole } from '../../common/policy';
import {
  ApplicationDetailView,
  ApplicationDto,
  ApplicationPage,
  ApplicationQueryDto,
  ProgrammeDecisionDto,
  NoteDto,
  ProgrammeInfoView,
  ProgrammeViewerView,
} from './dto/programme.dto';
import { ProgrammeService } from './programme.service';

const actorOf = (req: AuthedRequest): Actor => req.actor as Actor;

/** The 千百双扶 migration programme: applications, review and decisions. */
@ApiTags('programme')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/programme')
export class ProgrammeController {
  constructor(private readonly programme: ProgrammeService) {}

  @Get('info')
  @Public()
  @ApiOkResponse({ type: ProgrammeInfoView })
  info(): ProgrammeInfoView {
    return { retentionDays: this.programme.retentionDays };
  }

  @Get('me')
  @Authenticated()
  @ApiOkResponse({ type: ProgrammeViewerView, description: 'Your applications, and whether you review' })
  me(@Req() req: AuthedRequest): Promise<ProgrammeViewerView> {
    return this.programme.viewer(actorOf(req));
  }

  @Post('applications')
  @Authenticated()
  @ApiCreatedResponse({ type: ApplicationDetailView })
  apply(@Req() req: AuthedRequest, @Body() dto: ApplicationDto): Promise<ApplicationDetailView> {
    return this.programme.apply(actorOf(req), dto, requestMeta(req));
  }

  @Get('applications')
  @Authenticated()
  @ApiOkResponse({ type: ApplicationPage, description: 'Reviewers: every application' })
  list(@Req() req: AuthedRequest, @Query() q: ApplicationQueryDto): Promise<ApplicationPage> {
    return this.programme.list(actorOf(req), q);
  }

  @Get('applications.csv')
  @RequireRole('admin')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="qianbai-shuangfu-applications.csv"')
  @ApiProduces('text/csv')
  @ApiOkResponse({ type: String, description: 'Every application as CSV (admins)' })
  exportCsv(@Req() req: AuthedRequest): Promise<string> {
    return this.programme.exportCsv(actorOf(req), requestMeta(req));
  }

  @Get('applications/:id')
  @Authenticated()
  @ApiOkResponse({ type: ApplicationDetailView, description: 'The applicant and reviewers only; 404 for anyone else' })
  get(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<ApplicationDetailView> {
    return this.programme.get(actorOf(req), id);
  }

  @Post('applications/:id/notes')
  @Authenticated()
  @ApiCreatedResponse({ type: ApplicationDetailView, description: 'A message (or a reviewer-only note)' })
  note(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: NoteDto,
  ): Promise<ApplicationDetailView> {
    return this.programme.note(actorOf(req), id, dto);
  }

  @Post('applications/:id/decision')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: ApplicationDetailView, description: 'Reviewers: under review, accept or decline' })
  decide(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: ProgrammeDecisionDto,
  ): Promise<ApplicationDetailView> {
    return this.programme.decide(actorOf(req), id, dto, requestMeta(req));
  }

  @Post('applications/:id/withdraw')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: ApplicationDetailView })
  withdraw(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<ApplicationDetailView> {
    return this.programme.withdraw(actorOf(req), id);
  }
}
