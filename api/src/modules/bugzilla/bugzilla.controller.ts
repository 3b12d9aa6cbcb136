import { All, Body, Controller, Get, Param, Post, Put, Query, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { type Actor, requestMeta } from '../../common/actor';
import { Public } from '../../common/policy';
import type { BugzillaRequest } from './bugzilla-auth.middleware';
import { BugzillaError, BugzillaErrorFilter } from './bugzilla-errors';
import type { Params } from './bugzilla-params';
import { BUGZILLA_VERSION, BugzillaService } from './bugzilla.service';

const actorOf = (req: BugzillaRequest): Actor | null => req.actor ?? null;

/**
 * Bugzilla 5's REST API (`/rest/…`) for python-bugzilla and other Bugzilla clients. Every route
 * is public to the PolicyGuard: the Bugzilla credentials are resolved by BugzillaAuthMiddleware
 * and each operation checks what it needs, answering in Bugzilla's error shape.
 */
@ApiExcludeController()
@UseFilters(BugzillaErrorFilter)
@Public()
@Controller('rest')
export class BugzillaController {
  constructor(private readonly bz: BugzillaService) {}

  @Get('version')
  version(): Params {
    return { version: BUGZILLA_VERSION };
  }

  @Get('extensions')
  extensions(): Params {
    return { extensions: {} };
  }

  @Get('timezone')
  timezone(): Params {
    return { timezone: '+0000' };
  }

  @Get('login')
  @UseGuards(ThrottlerGuard)
  login(@Req() req: BugzillaRequest, @Query() q: Params): Promise<Params> {
    return this.bz.login(q, requestMeta(req));
  }

  @Get('logout')
  logout(@Req() req: BugzillaRequest): Promise<Params> {
    return this.bz.logout(req.bugzillaLoginTokenId);
  }

  @Get('valid_login')
  @UseGuards(ThrottlerGuard)
  validLogin(@Query() q: Params): Promise<Params> {
    return this.bz.validLogin(q);
  }

  @Get('whoami')
  whoami(@Req() req: BugzillaRequest): Params {
    return this.bz.whoami(actorOf(req), req.authUser);
  }

  @Get('user')
  users(@Req() req: BugzillaRequest, @Query() q: Params): Promise<Params> {
    return this.bz.users(actorOf(req), q);
  }

  @Get('bug')
  search(@Req() req: BugzillaRequest, @Query() q: Params): Promise<Params> {
    return this.bz.search(actorOf(req), q);
  }

  @Post('bug')
  create(@Req() req: BugzillaRequest, @Body() body: unknown): Promise<Params> {
    return this.bz.createBug(actorOf(req), body);
  }

  // Fixed paths before `bug/:id`, which would otherwise take "attachment" and "comment" as ids.
  @Get('bug/attachment/:attachmentId')
  attachment(@Req() req: BugzillaRequest, @Param('attachmentId') id: string, @Query() q: Params): Promise<Params> {
    return this.bz.attachmentsById(actorOf(req), id, q);
  }

  @Get('bug/comment/:commentId')
  comment(@Req() req: BugzillaRequest, @Param('commentId') id: string, @Query() q: Params): Promise<Params> {
    return this.bz.commentsById(actorOf(req), id, q);
  }

  @Get('bug/comment')
  commentsQuery(@Req() req: BugzillaRequest, @Query() q: Params): Promise<Params> {
    return this.bz.commentsById(actorOf(req), undefined, q);
  }

  @Get('bug/:id')
  get(@Req() req: BugzillaRequest, @Param('id') id: string, @Query() q: Params): Promise<Params> {
    return this.bz.getBug(actorOf(req), id, q);
  }

  @Put('bug/:id')
  update(@Req() req: BugzillaRequest, @Param('id') id: string, @Body() body: unknown): Promise<Params> {
    return this.bz.updateBugs(actorOf(req), id, body);
  }

  @Get('bug/:id/comment')
  comments(@Req() req: BugzillaRequest, @Param('id') id: string, @Query() q: Params): Promise<Params> {
    return this.bz.comments(actorOf(req), id, q);
  }

  @Post('bug/:id/comment')
  addComment(@Req() req: BugzillaRequest, @Param('id') id: string, @Body() body: unknown): Promise<Params> {
    return this.bz.addComment(actorOf(req), id, body);
  }

  @Get('bug/:id/history')
  history(@Req() req: BugzillaRequest, @Param('id') id: string, @Query() q: Params): Promise<Params> {
    return this.bz.history(actorOf(req), id, q);
  }

  @Get('bug/:id/attachment')
  attachments(@Req() req: BugzillaRequest, @Param('id') id: string, @Query() q: Params): Promise<Params> {
    return this.bz.bugAttachments(actorOf(req), id, q);
  }

  @Post('bug/:id/attachment')
  attach(@Req() req: BugzillaRequest, @Param('id') id: string, @Body() body: unknown): Promise<Params> {
    return this.bz.addAttachment(actorOf(req), id, body);
  }

  @Get(['product_accessible', 'product_selectable', 'product_enterable'])
  productIds(): Promise<Params> {
    return this.bz.productIds();
  }

  @Get('product')
  products(@Req() req: BugzillaRequest, @Query() q: Params): Promise<Params> {
    return this.bz.products(actorOf(req), undefined, q);
  }

  /** Also `/rest/product/get?ids=…`, which python-bugzilla calls: "get" means "by the query". */
  @Get('product/:idOrName')
  product(@Req() req: BugzillaRequest, @Param('idOrName') idOrName: string, @Query() q: Params): Promise<Params> {
    return this.bz.products(actorOf(req), idOrName, q);
  }

  @Get('field/bug')
  fields(@Query() q: Params): Promise<Params> {
    return this.bz.fields(q);
  }

  @Get('field/bug/:idOrName')
  field(@Param('idOrName') idOrName: string, @Query() q: Params): Promise<Params> {
    return this.bz.fields(q, idOrName);
  }
}

/** Registered after BugzillaController: anything else under /rest is Bugzilla's "no such resource". */
@ApiExcludeController()
@UseFilters(BugzillaErrorFilter)
@Public()
@Controller('rest')
export class BugzillaFallbackController {
  @All(['', '*path'])
  notFound(@Req() req: BugzillaRequest): never {
    throw new BugzillaError(32614, `A REST API resource was not found for "${req.method} ${req.path}".`);
  }
}
