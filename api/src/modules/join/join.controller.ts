import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, type AuthedRequest, requestMeta } from '../../common/actor';
import { Authenticated, Public } from '../../common/policy';
import { ClaService } from './cla.service';
import { FirstBugsService } from './first-bugs.service';
import {
  ClaPublicStatusView,
  ClaSignDto,
  ClaStatusQueryDto,
  ClaStatusView,
  ClaView,
  FirstBugsQueryDto,
  FirstBugsView,
} from './join.dto';

/** The join path: the contributor licence agreement and the first good bugs. */
@ApiTags('join')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1')
export class JoinController {
  constructor(
    private readonly cla: ClaService,
    private readonly firstBugs: FirstBugsService,
  ) {}

  @Get('cla')
  @Public()
  @ApiOkResponse({ type: ClaView, description: 'The agreement in force' })
  current(): ClaView {
    return this.cla.current();
  }

  @Get('cla/status')
  @Public()
  @ApiOkResponse({
    type: ClaPublicStatusView,
    description: 'For CI bots: has this Gitee login (or username) signed the agreement in force?',
  })
  publicStatus(@Query() q: ClaStatusQueryDto): Promise<ClaPublicStatusView> {
    return this.cla.publicStatus(q);
  }

  @Get('me/cla')
  @Authenticated()
  @ApiOkResponse({ type: ClaStatusView })
  mine(@Req() req: AuthedRequest): Promise<ClaStatusView> {
    return this.cla.status(req.actor as Actor);
  }

  @Post('me/cla')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: ClaStatusView, description: 'Sign the agreement in force (idempotent)' })
  sign(@Req() req: AuthedRequest, @Body() dto: ClaSignDto): Promise<ClaStatusView> {
    return this.cla.sign(req.actor as Actor, dto, requestMeta(req));
  }

  @Get('join/first-bugs')
  @Public()
  @ApiOkResponse({ type: FirstBugsView, description: 'Open public bugs with a first-good-bug keyword, newest first' })
  firstGoodBugs(@Query() q: FirstBugsQueryDto): Promise<FirstBugsView> {
    return this.firstBugs.list(q.limit ?? 10);
  }
}
