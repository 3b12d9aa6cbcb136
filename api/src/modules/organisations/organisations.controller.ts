import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, type AuthedRequest, requestMeta } from '../../common/actor';
import { IdPipe } from '../../common/id.pipe';
import { Authenticated, Public } from '../../common/policy';
import {
  DeclineApplicationDto,
  MemberOrganisationList,
  NominationDto,
  OrganisationApplicationDto,
  OrganisationApplicationView,
  OrganisationViewerView,
} from './dto/organisations.dto';
import { OrganisationsService } from './organisations.service';

const actorOf = (req: AuthedRequest): Actor => req.actor as Actor;

/** Member organisations of the council and the applications to become one. */
@ApiTags('organisations')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: MemberOrganisationList, description: 'The member organisations of the council' })
  members(): Promise<MemberOrganisationList> {
    return this.organisations.members();
  }

  @Get('me')
  @Authenticated()
  @ApiOkResponse({ type: OrganisationViewerView, description: 'Your applications, and those you may nominate' })
  me(@Req() req: AuthedRequest): Promise<OrganisationViewerView> {
    return this.organisations.viewer(actorOf(req));
  }

  @Post('applications')
  @Authenticated()
  @ApiCreatedResponse({ type: OrganisationApplicationView })
  apply(@Req() req: AuthedRequest, @Body() dto: OrganisationApplicationDto): Promise<OrganisationApplicationView> {
    return this.organisations.apply(actorOf(req), dto, requestMeta(req));
  }

  @Get('applications/:id')
  @Authenticated()
  @ApiOkResponse({
    type: OrganisationApplicationView,
    description: 'The applicant, council members, admins and member representatives; 404 for anyone else',
  })
  get(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<OrganisationApplicationView> {
    return this.organisations.get(actorOf(req), id);
  }

  @Post('applications/:id/nominate')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({
    type: OrganisationApplicationView,
    description: "A member organisation's representative (or an admin) nominates; a council vote is created",
  })
  nominate(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: NominationDto,
  ): Promise<OrganisationApplicationView> {
    return this.organisations.nominate(actorOf(req), id, dto, requestMeta(req));
  }

  @Post('applications/:id/decline')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({
    type: OrganisationApplicationView,
    description: 'Admins and council officers decline an application before it is nominated, saying why',
  })
  decline(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: DeclineApplicationDto,
  ): Promise<OrganisationApplicationView> {
    return this.organisations.decline(actorOf(req), id, dto, requestMeta(req));
  }

  @Post('applications/:id/withdraw')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: OrganisationApplicationView })
  withdraw(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<OrganisationApplicationView> {
    return this.organisations.withdraw(actorOf(req), id);
  }
}
