import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type Actor, type AuthedRequest, requestMeta } from '../../common/actor';
import { IdPipe } from '../../common/id.pipe';
import { CursorQueryDto } from '../../common/pagination';
import { Authenticated, Check, Public } from '../../common/policy';
import {
  ActivityPage,
  ChangeRoleDto,
  CreateSigDto,
  DecisionDto,
  InviteDto,
  InvitePage,
  InviteQueryDto,
  InviteView,
  JoinRequestDto,
  JoinRequestPage,
  JoinRequestQueryDto,
  JoinRequestView,
  MemberPage,
  MembersQueryDto,
  MemberView,
  RenewedView,
  SigDetailView,
  SigListQueryDto,
  SigPage,
  UpdateSigDto,
} from './dto/sigs.dto';
import { SlugPipe, UsernamePipe } from './sig-access';
import { SigMembershipService } from './sig-membership.service';
import { TocPolicy } from './sig-policies';
import { SigsService } from './sigs.service';

const actorOf = (req: AuthedRequest): Actor => req.actor as Actor;

@ApiTags('sigs')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/sigs')
export class SigsController {
  constructor(
    private readonly sigs: SigsService,
    private readonly members: SigMembershipService,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: SigPage })
  list(@Query() q: SigListQueryDto): Promise<SigPage> {
    return this.sigs.list(q);
  }

  @Post()
  @Authenticated()
  @ApiCreatedResponse({ type: SigDetailView, description: 'Active when an admin/TOC creates it, else proposed' })
  create(@Req() req: AuthedRequest, @Body() dto: CreateSigDto): Promise<SigDetailView> {
    return this.sigs.create(actorOf(req), dto, requestMeta(req));
  }

  @Get(':slug')
  @Public()
  @ApiOkResponse({ type: SigDetailView })
  get(@Req() req: AuthedRequest, @Param('slug', SlugPipe) slug: string): Promise<SigDetailView> {
    return this.sigs.get(req.actor ?? null, slug);
  }

  @Patch(':slug')
  @Authenticated()
  @ApiOkResponse({ type: SigDetailView })
  update(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Body() dto: UpdateSigDto,
  ): Promise<SigDetailView> {
    return this.sigs.update(actorOf(req), slug, dto, requestMeta(req));
  }

  @Post(':slug/activate')
  @Check(TocPolicy)
  @HttpCode(200)
  @ApiOkResponse({ type: SigDetailView })
  activate(@Req() req: AuthedRequest, @Param('slug', SlugPipe) slug: string): Promise<SigDetailView> {
    return this.sigs.activate(actorOf(req), slug, requestMeta(req));
  }

  @Post(':slug/archive')
  @Check(TocPolicy)
  @HttpCode(200)
  @ApiOkResponse({ type: SigDetailView })
  archive(@Req() req: AuthedRequest, @Param('slug', SlugPipe) slug: string): Promise<SigDetailView> {
    return this.sigs.archive(actorOf(req), slug, requestMeta(req));
  }

  @Get(':slug/members')
  @Public()
  @ApiOkResponse({ type: MemberPage })
  listMembers(@Param('slug', SlugPipe) slug: string, @Query() q: MembersQueryDto): Promise<MemberPage> {
    return this.sigs.members(slug, q);
  }

  @Patch(':slug/members/:username')
  @Authenticated()
  @ApiOkResponse({ type: MemberView })
  changeRole(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Param('username', UsernamePipe) username: string,
    @Body() dto: ChangeRoleDto,
  ): Promise<MemberView> {
    return this.members.changeRole(actorOf(req), slug, username, dto, requestMeta(req));
  }

  @Delete(':slug/members/:username')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse()
  async removeMember(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Param('username', UsernamePipe) username: string,
  ): Promise<void> {
    await this.members.remove(actorOf(req), slug, username, requestMeta(req));
  }

  @Post(':slug/renew')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: RenewedView })
  renew(@Req() req: AuthedRequest, @Param('slug', SlugPipe) slug: string): Promise<RenewedView> {
    return this.members.renew(actorOf(req), slug, requestMeta(req));
  }

  @Post(':slug/leave')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse()
  async leave(@Req() req: AuthedRequest, @Param('slug', SlugPipe) slug: string): Promise<void> {
    await this.members.leave(actorOf(req), slug, requestMeta(req));
  }

  @Get(':slug/activity')
  @Public()
  @ApiOkResponse({ type: ActivityPage })
  activity(@Param('slug', SlugPipe) slug: string, @Query() q: CursorQueryDto): Promise<ActivityPage> {
    return this.sigs.activity(slug, q);
  }

  @Post(':slug/join-requests')
  @Authenticated()
  @ApiCreatedResponse({ type: JoinRequestView })
  requestToJoin(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Body() dto: JoinRequestDto,
  ): Promise<JoinRequestView> {
    return this.members.requestToJoin(actorOf(req), slug, dto.message ?? '', requestMeta(req));
  }

  @Get(':slug/join-requests')
  @Authenticated()
  @ApiOkResponse({ type: JoinRequestPage, description: 'Leads, maintainers, admins and the TOC' })
  listRequests(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Query() q: JoinRequestQueryDto,
  ): Promise<JoinRequestPage> {
    return this.members.listRequests(actorOf(req), slug, q);
  }

  @Post(':slug/join-requests/:id/approve')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: JoinRequestView })
  approve(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Param('id', IdPipe) id: number,
    @Body() dto: DecisionDto,
  ): Promise<JoinRequestView> {
    return this.members.decide(actorOf(req), slug, id, 'approve', dto.note, requestMeta(req));
  }

  @Post(':slug/join-requests/:id/decline')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: JoinRequestView })
  decline(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Param('id', IdPipe) id: number,
    @Body() dto: DecisionDto,
  ): Promise<JoinRequestView> {
    return this.members.decide(actorOf(req), slug, id, 'decline', dto.note, requestMeta(req));
  }

  @Post(':slug/join-requests/:id/withdraw')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: JoinRequestView })
  withdraw(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Param('id', IdPipe) id: number,
  ): Promise<JoinRequestView> {
    return this.members.withdraw(actorOf(req), slug, id);
  }

  @Post(':slug/invites')
  @Authenticated()
  @ApiCreatedResponse({ type: InviteView })
  invite(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Body() dto: InviteDto,
  ): Promise<InviteView> {
    return this.members.invite(actorOf(req), slug, dto, requestMeta(req));
  }

  @Get(':slug/invites')
  @Authenticated()
  @ApiOkResponse({ type: InvitePage, description: 'Leads, maintainers, admins and the TOC' })
  listInvites(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Query() q: InviteQueryDto,
  ): Promise<InvitePage> {
    return this.members.listInvites(actorOf(req), slug, q);
  }

  @Post(':slug/invites/:id/accept')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: InviteView })
  acceptInvite(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Param('id', IdPipe) id: number,
  ): Promise<InviteView> {
    return this.members.answerInvite(actorOf(req), slug, id, 'accept', requestMeta(req));
  }

  @Post(':slug/invites/:id/decline')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: InviteView })
  declineInvite(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Param('id', IdPipe) id: number,
  ): Promise<InviteView> {
    return this.members.answerInvite(actorOf(req), slug, id, 'decline', requestMeta(req));
  }

  @Delete(':slug/invites/:id')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse()
  async revokeInvite(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    await this.members.revokeInvite(actorOf(req), slug, id, requestMeta(req));
  }
}
