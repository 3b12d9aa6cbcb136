import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { type Actor, type AuthedRequest, requestMeta } from '../../common/actor';
import { IdPipe } from '../../common/id.pipe';
import { Authenticated, Public, RequireRole } from '../../common/policy';
import { BodiesService } from './bodies.service';
import {
  AddBodyMemberDto,
  AuditTrailView,
  BallotDto,
  BallotReceiptView,
  BodyDetailView,
  BodyListView,
  BodyRulesDto,
  CommentDto,
  CommentListView,
  GovCommentView,
  CreateBodyDto,
  CreateProposalDto,
  EligibilityRequestDto,
  EligibilityRequestList,
  ExtendDto,
  MyBallotView,
  OpenVotingDto,
  ProposalDetailView,
  ProposalFieldsDto,
  ProposalListQueryDto,
  ProposalPage,
  ReceiptCheckDto,
  ReceiptCheckView,
  ResultDocument,
  UpdateBodyDto,
  UpdateBodyMemberDto,
} from './dto/governance.dto';
import { BodySlugPipe, ProposalKindPipe } from './body-slug.pipe';
import { PROPOSAL_KINDS, type ProposalKind } from './governance.entity';
import { ProposalsService } from './proposals.service';

const actorOf = (req: AuthedRequest): Actor => req.actor as Actor;

@ApiTags('governance')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/governance')
export class GovernanceController {
  constructor(
    private readonly bodies: BodiesService,
    private readonly proposals: ProposalsService,
  ) {}

  // ---------------------------------------------------------------- bodies

  @Get('bodies')
  @Public()
  @ApiOkResponse({ type: BodyListView })
  listBodies(): Promise<BodyListView> {
    return this.bodies.list();
  }

  @Post('bodies')
  @RequireRole('admin')
  @ApiCreatedResponse({ type: BodyDetailView })
  createBody(@Req() req: AuthedRequest, @Body() dto: CreateBodyDto): Promise<BodyDetailView> {
    return this.bodies.create(actorOf(req), dto, requestMeta(req));
  }

  @Get('bodies/:slug')
  @Public()
  @ApiOkResponse({ type: BodyDetailView })
  getBody(@Param('slug', BodySlugPipe) slug: string): Promise<BodyDetailView> {
    return this.bodies.get(slug);
  }

  @Patch('bodies/:slug')
  @RequireRole('admin')
  @ApiOkResponse({ type: BodyDetailView })
  updateBody(
    @Req() req: AuthedRequest,
    @Param('slug', BodySlugPipe) slug: string,
    @Body() dto: UpdateBodyDto,
  ): Promise<BodyDetailView> {
    return this.bodies.update(actorOf(req), slug, dto, requestMeta(req));
  }

  @Put('bodies/:slug/rules/:kind')
  @RequireRole('admin')
  @ApiParam({ name: 'kind', enum: PROPOSAL_KINDS })
  @ApiOkResponse({ type: BodyDetailView, description: "Sets the body's default rules for one kind of proposal" })
  setRules(
    @Req() req: AuthedRequest,
    @Param('slug', BodySlugPipe) slug: string,
    @Param('kind', ProposalKindPipe) kind: ProposalKind,
    @Body() dto: BodyRulesDto,
  ): Promise<BodyDetailView> {
    return this.bodies.setRules(actorOf(req), slug, kind, dto, requestMeta(req));
  }

  @Post('bodies/:slug/members')
  @RequireRole('admin')
  @ApiCreatedResponse({ type: BodyDetailView })
  addMember(
    @Req() req: AuthedRequest,
    @Param('slug', BodySlugPipe) slug: string,
    @Body() dto: AddBodyMemberDto,
  ): Promise<BodyDetailView> {
    return this.bodies.addMember(actorOf(req), slug, dto, requestMeta(req));
  }

  @Patch('bodies/:slug/members/:id')
  @RequireRole('admin')
  @ApiOkResponse({ type: BodyDetailView })
  updateMember(
    @Req() req: AuthedRequest,
    @Param('slug', BodySlugPipe) slug: string,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateBodyMemberDto,
  ): Promise<BodyDetailView> {
    return this.bodies.updateMember(actorOf(req), slug, id, dto, requestMeta(req));
  }

  @Delete('bodies/:slug/members/:id')
  @RequireRole('admin')
  @ApiOkResponse({ type: BodyDetailView, description: 'Ends the term now; the term stays in the history' })
  endTerm(
    @Req() req: AuthedRequest,
    @Param('slug', BodySlugPipe) slug: string,
    @Param('id', IdPipe) id: number,
  ): Promise<BodyDetailView> {
    return this.bodies.endTerm(actorOf(req), slug, id, requestMeta(req));
  }

  // ---------------------------------------------------------------- proposals

  @Get('proposals')
  @Public()
  @ApiOkResponse({ type: ProposalPage })
  list(@Req() req: AuthedRequest, @Query() q: ProposalListQueryDto): Promise<ProposalPage> {
    return this.proposals.list(req.actor ?? null, q);
  }

  @Post('proposals')
  @Authenticated()
  @ApiCreatedResponse({ type: ProposalDetailView })
  create(@Req() req: AuthedRequest, @Body() dto: CreateProposalDto): Promise<ProposalDetailView> {
    return this.proposals.create(actorOf(req), dto, requestMeta(req));
  }

  @Get('proposals/:id')
  @Public()
  @ApiOkResponse({ type: ProposalDetailView })
  get(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<ProposalDetailView> {
    return this.proposals.get(req.actor ?? null, id);
  }

  @Patch('proposals/:id')
  @Authenticated()
  @ApiOkResponse({ type: ProposalDetailView })
  update(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: ProposalFieldsDto,
  ): Promise<ProposalDetailView> {
    return this.proposals.update(actorOf(req), id, dto, requestMeta(req));
  }

  @Post('proposals/:id/discussion')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: ProposalDetailView, description: 'Draft → discussion' })
  discuss(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<ProposalDetailView> {
    return this.proposals.startDiscussion(actorOf(req), id);
  }

  @Post('proposals/:id/open')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: ProposalDetailView, description: 'Opens voting now or at opensAt (officers)' })
  open(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: OpenVotingDto,
  ): Promise<ProposalDetailView> {
    return this.proposals.open(actorOf(req), id, dto);
  }

  @Post('proposals/:id/withdraw')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: ProposalDetailView })
  withdraw(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<ProposalDetailView> {
    return this.proposals.withdraw(actorOf(req), id, requestMeta(req));
  }

  @Post('proposals/:id/extend')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: ProposalDetailView, description: 'The chair extends a running vote, with a reason' })
  extend(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: ExtendDto,
  ): Promise<ProposalDetailView> {
    return this.proposals.extend(actorOf(req), id, dto);
  }

  @Get('proposals/:id/comments')
  @Public()
  @ApiOkResponse({ type: CommentListView })
  comments(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<CommentListView> {
    return this.proposals.comments(req.actor ?? null, id);
  }

  @Post('proposals/:id/comments')
  @Authenticated()
  @ApiCreatedResponse({ type: GovCommentView })
  comment(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: CommentDto,
  ): Promise<GovCommentView> {
    return this.proposals.comment(actorOf(req), id, dto.body);
  }

  @Post('proposals/:id/eligibility-requests')
  @Authenticated()
  @ApiCreatedResponse({ type: ProposalDetailView, description: 'Ask to be added to the electorate' })
  requestEligibility(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: EligibilityRequestDto,
  ): Promise<ProposalDetailView> {
    return this.proposals.requestEligibility(actorOf(req), id, dto.reason);
  }

  @Get('proposals/:id/eligibility-requests')
  @Authenticated()
  @ApiOkResponse({ type: EligibilityRequestList })
  eligibilityRequests(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<EligibilityRequestList> {
    return this.proposals.eligibilityRequests(actorOf(req), id);
  }

  @Post('proposals/:id/eligibility-requests/:requestId/approve')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: EligibilityRequestList })
  approveEligibility(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Param('requestId', IdPipe) requestId: number,
  ): Promise<EligibilityRequestList> {
    return this.proposals.decideEligibility(actorOf(req), id, requestId, true);
  }

  @Post('proposals/:id/eligibility-requests/:requestId/decline')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: EligibilityRequestList })
  declineEligibility(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Param('requestId', IdPipe) requestId: number,
  ): Promise<EligibilityRequestList> {
    return this.proposals.decideEligibility(actorOf(req), id, requestId, false);
  }

  @Put('proposals/:id/ballot')
  @Authenticated()
  @ApiOkResponse({ type: BallotReceiptView, description: 'Casts or replaces your ballot until the close' })
  cast(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number, @Body() dto: BallotDto): Promise<BallotReceiptView> {
    return this.proposals.castBallot(actorOf(req), id, dto);
  }

  @Get('proposals/:id/ballot')
  @Authenticated()
  @ApiOkResponse({ type: MyBallotView, description: 'Your current ballot' })
  myBallot(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<MyBallotView> {
    return this.proposals.myBallot(actorOf(req), id);
  }

  @Post('proposals/:id/receipt-check')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: ReceiptCheckView, description: 'Was the ballot behind this secret counted?' })
  checkReceipt(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: ReceiptCheckDto,
  ): Promise<ReceiptCheckView> {
    return this.proposals.checkReceipt(req.actor ?? null, id, dto.secret);
  }

  @Get('proposals/:id/result')
  @Public()
  @ApiOkResponse({ type: ResultDocument, description: 'The published result; 404 until the close' })
  result(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<ResultDocument> {
    return this.proposals.result(req.actor ?? null, id);
  }

  @Get('proposals/:id/tally.txt')
  @Public()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({ type: String, description: 'A Debian-style tally sheet' })
  tallySheet(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<string> {
    return this.proposals.resultText(req.actor ?? null, id);
  }

  @Get('proposals/:id/audit')
  @Public()
  @ApiOkResponse({ type: AuditTrailView, description: "The proposal's entries in the hash-chained audit trail" })
  audit(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<AuditTrailView> {
    return this.proposals.auditTrail(req.actor ?? null, id);
  }
}
