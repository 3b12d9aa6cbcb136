import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { type Actor, type AuthedRequest, requestMeta } from '../../common/actor';
import { IdPipe } from '../../common/id.pipe';
import { CursorQueryDto } from '../../common/pagination';
import { Authenticated, Public, RequireRole } from '../../common/policy';
import { SlugPipe, UsernamePipe } from '../sigs/sig-access';
import { attachmentView, BugAttachmentsService } from './bug-attachments.service';
import { BugFeedConfig, bugsAtom } from './bug-feed';
import { BugProductsService } from './bug-products.service';
import { BugSearchService } from './bug-search.service';
import { BugsService } from './bugs.service';
import {
  AffectsView,
  AttachmentView,
  BugDetailView,
  BugPage,
  BugSearchPage,
  BugSearchQueryDto,
  CommentInputDto,
  CommentRevisionView,
  CommentView,
  ComponentInputDto,
  CreateAttachmentDto,
  CreateBugDto,
  DuplicateCandidateView,
  DuplicateQueryDto,
  EditCommentDto,
  FeedQueryDto,
  HistoryEntryView,
  MailPrefsDto,
  MailPrefsView,
  MyBugsQueryDto,
  NeedinfoDto,
  ProductInputDto,
  ProductView,
  SavedSearchInputDto,
  SavedSearchView,
  SigWatchView,
  UpdateBugDto,
  VersionInputDto,
} from './dto/bugs.dto';
import { SavedSearchesService } from './saved-searches.service';

const actorOf = (req: AuthedRequest): Actor => req.actor as Actor;
const maybeActor = (req: AuthedRequest): Actor | null => req.actor ?? null;

@ApiTags('bugs')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/bugs')
export class BugsController {
  constructor(
    private readonly bugs: BugsService,
    private readonly search: BugSearchService,
    private readonly attachments: BugAttachmentsService,
    private readonly publicUrl: BugFeedConfig,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: BugSearchPage, description: 'Quicksearch plus structured filters; open bugs by default' })
  list(@Req() req: AuthedRequest, @Query() q: BugSearchQueryDto): Promise<BugSearchPage> {
    return this.search.search(maybeActor(req), q);
  }

  @Get('duplicates')
  @Public()
  @ApiOkResponse({ type: [DuplicateCandidateView], description: 'Up to 10 likely duplicates of a summary being typed' })
  duplicates(@Req() req: AuthedRequest, @Query() q: DuplicateQueryDto): Promise<DuplicateCandidateView[]> {
    return this.search.duplicates(maybeActor(req), q.product, q.summary);
  }

  @Get('feed.atom')
  @Public()
  @ApiProduces('application/atom+xml')
  @ApiOkResponse({ description: 'Atom feed of a search (public bugs only)' })
  async feed(@Query() q: FeedQueryDto, @Res() res: Response): Promise<void> {
    // Feeds are fetched without credentials and shared freely: they show what a visitor sees.
    const ids = await this.search.ids(null, { q: q.q }, q.limit ?? 50);
    const items = await this.search.listItems(ids);
    res.type('application/atom+xml; charset=utf-8');
    res.send(bugsAtom(this.publicUrl.url, q.q ?? '', items));
  }

  @Post()
  @Authenticated()
  @ApiCreatedResponse({ type: BugDetailView })
  create(@Req() req: AuthedRequest, @Body() dto: CreateBugDto): Promise<BugDetailView> {
    return this.bugs.create(actorOf(req), dto);
  }

  @Get(':id')
  @Public()
  @ApiOkResponse({ type: BugDetailView })
  get(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<BugDetailView> {
    return this.bugs.get(maybeActor(req), id);
  }

  @Patch(':id')
  @Authenticated()
  @ApiOkResponse({ type: BugDetailView, description: 'Changes fields, status and CC, optionally with a comment' })
  update(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateBugDto,
  ): Promise<BugDetailView> {
    return this.bugs.update(actorOf(req), id, dto);
  }

  @Get(':id/history')
  @Public()
  @ApiOkResponse({ type: [HistoryEntryView] })
  history(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<HistoryEntryView[]> {
    return this.bugs.history(maybeActor(req), id);
  }

  @Post(':id/comments')
  @Authenticated()
  @ApiCreatedResponse({ type: CommentView })
  comment(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: CommentInputDto,
  ): Promise<CommentView> {
    return this.bugs.addComment(actorOf(req), id, dto);
  }

  @Patch(':id/comments/:commentId')
  @Authenticated()
  @ApiOkResponse({ type: CommentView, description: 'The author edits their comment; the earlier text is kept' })
  editComment(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Param('commentId', IdPipe) commentId: number,
    @Body() dto: EditCommentDto,
  ): Promise<CommentView> {
    return this.bugs.editComment(actorOf(req), id, commentId, dto.body);
  }

  @Get(':id/comments/:commentId/revisions')
  @Public()
  @ApiOkResponse({ type: [CommentRevisionView] })
  revisions(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Param('commentId', IdPipe) commentId: number,
  ): Promise<CommentRevisionView[]> {
    return this.bugs.commentRevisions(maybeActor(req), id, commentId);
  }

  @Put(':id/affects-me')
  @Authenticated()
  @ApiOkResponse({ type: AffectsView, description: '"This affects me too"' })
  affects(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<AffectsView> {
    return this.bugs.setAffects(actorOf(req), id, true);
  }

  @Delete(':id/affects-me')
  @Authenticated()
  @ApiOkResponse({ type: AffectsView })
  unaffects(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<AffectsView> {
    return this.bugs.setAffects(actorOf(req), id, false);
  }

  @Post(':id/needinfo')
  @Authenticated()
  @ApiCreatedResponse({ type: BugDetailView, description: 'Ask someone for information: needinfo?(user)' })
  needinfo(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: NeedinfoDto,
  ): Promise<BugDetailView> {
    return this.bugs.requestNeedinfo(actorOf(req), id, dto);
  }

  @Delete(':id/needinfo/:username')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse()
  async clearNeedinfo(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Param('username', UsernamePipe) username: string,
  ): Promise<void> {
    await this.bugs.clearNeedinfo(actorOf(req), id, username);
  }

  @Get(':id/attachments')
  @Public()
  @ApiOkResponse({ type: [AttachmentView] })
  async listAttachments(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<AttachmentView[]> {
    // list() has checked the bug's visibility and filtered private attachments once for all
    return (await this.attachments.list(maybeActor(req), id)).map(attachmentView);
  }

  @Post(':id/attachments')
  @Authenticated()
  @ApiCreatedResponse({ type: AttachmentView, description: 'File content base64-encoded in `data`' })
  attach(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: CreateAttachmentDto,
  ): Promise<AttachmentView> {
    return this.attachments.create(actorOf(req), id, dto);
  }
}

@ApiTags('bugs')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: BugAttachmentsService) {}

  @Get(':id')
  @Public()
  @ApiOkResponse({ type: AttachmentView })
  meta(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<AttachmentView> {
    return this.attachments.meta(maybeActor(req), id);
  }

  @Get(':id/raw')
  @Public()
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file, always as a download (never rendered inline)' })
  async raw(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number, @Res() res: Response): Promise<void> {
    const { meta, data } = await this.attachments.content(maybeActor(req), id);
    // Served as a download, never inline, and never sniffed into HTML: a hostile .html or .svg
    // attachment cannot run in our origin.
    const safe = meta.contentType.startsWith('text/') ? 'text/plain; charset=utf-8' : 'application/octet-stream';
    res.setHeader('Content-Type', safe);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(meta.filename)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(data);
  }
}

@ApiTags('bugs')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1')
export class BugProductsController {
  constructor(
    private readonly products: BugProductsService,
    private readonly bugs: BugsService,
    private readonly saved: SavedSearchesService,
  ) {}

  @Get('bug-products')
  @Public()
  @ApiOkResponse({ type: [ProductView] })
  list(): Promise<ProductView[]> {
    return this.products.list();
  }

  @Get('admin/bug-products')
  @RequireRole('admin')
  @ApiOkResponse({ type: [ProductView], description: 'Every product, with inactive ones and inactive components' })
  listAll(): Promise<ProductView[]> {
    return this.products.list(true);
  }

  @Get('admin/bug-products/:name')
  @RequireRole('admin')
  @ApiOkResponse({ type: ProductView, description: 'One product (found ignoring case), inactive parts included' })
  getForAdmin(@Param('name') name: string): Promise<ProductView> {
    return this.products.get(name);
  }

  @Post('bug-products')
  @RequireRole('admin')
  @ApiCreatedResponse({ type: ProductView })
  createProduct(@Req() req: AuthedRequest, @Body() dto: ProductInputDto): Promise<ProductView> {
    return this.products.createProduct(actorOf(req), dto, requestMeta(req));
  }

  @Patch('bug-products/:name')
  @RequireRole('admin')
  @ApiOkResponse({ type: ProductView })
  updateProduct(
    @Req() req: AuthedRequest,
    @Param('name') name: string,
    @Body() dto: ProductInputDto,
  ): Promise<ProductView> {
    return this.products.updateProduct(actorOf(req), name, dto, requestMeta(req));
  }

  @Post('bug-products/:name/versions')
  @RequireRole('admin')
  @HttpCode(201)
  @ApiCreatedResponse({ type: ProductView, description: 'Adds a version; 409 version_exists when it is there already' })
  addVersion(
    @Req() req: AuthedRequest,
    @Param('name') name: string,
    @Body() dto: VersionInputDto,
  ): Promise<ProductView> {
    return this.products.createVersion(actorOf(req), name, dto, requestMeta(req));
  }

  @Put('bug-products/:name/versions')
  @RequireRole('admin')
  @ApiOkResponse({ type: ProductView, description: 'Adds a version, or (de)activates an existing one' })
  version(@Req() req: AuthedRequest, @Param('name') name: string, @Body() dto: VersionInputDto): Promise<ProductView> {
    return this.products.upsertVersion(actorOf(req), name, dto, requestMeta(req));
  }

  @Post('bug-products/:name/components')
  @RequireRole('admin')
  @HttpCode(201)
  @ApiCreatedResponse({
    type: ProductView,
    description:
      'Adds a general component; 409 component_exists when one has that name (ignoring case), 409 component_is_package when a package has it and packages are components of this product',
  })
  addComponent(
    @Req() req: AuthedRequest,
    @Param('name') name: string,
    @Body() dto: ComponentInputDto,
  ): Promise<ProductView> {
    return this.products.createComponent(actorOf(req), name, dto, requestMeta(req));
  }

  @Put('bug-products/:name/components')
  @RequireRole('admin')
  @ApiOkResponse({
    type: ProductView,
    description: 'Adds or changes a general component (routing SIG, default assignee)',
  })
  component(
    @Req() req: AuthedRequest,
    @Param('name') name: string,
    @Body() dto: ComponentInputDto,
  ): Promise<ProductView> {
    return this.products.upsertComponent(actorOf(req), name, dto, requestMeta(req));
  }

  @Get('me/bugs')
  @Authenticated()
  @ApiOkResponse({
    type: BugPage,
    description: 'Bugs I reported, am assigned, am CC on, or am asked for information on',
  })
  myBugs(@Req() req: AuthedRequest, @Query() q: MyBugsQueryDto): Promise<BugPage> {
    return this.bugs.myBugs(actorOf(req), q);
  }

  @Get('sigs/:slug/triage')
  @Public()
  @ApiOkResponse({ type: BugPage, description: 'Open bugs routed to the SIG that nobody has confirmed or taken' })
  triage(
    @Req() req: AuthedRequest,
    @Param('slug', SlugPipe) slug: string,
    @Query() q: CursorQueryDto,
  ): Promise<BugPage> {
    return this.bugs.triageQueue(maybeActor(req), slug, q.limit, q.cursor);
  }

  @Get('sigs/:slug/bug-watch')
  @Public()
  @ApiOkResponse({ type: SigWatchView })
  sigWatch(@Req() req: AuthedRequest, @Param('slug', SlugPipe) slug: string): Promise<SigWatchView> {
    return this.saved.sigWatch(maybeActor(req), slug);
  }

  @Put('sigs/:slug/bug-watch')
  @Authenticated()
  @ApiOkResponse({ type: SigWatchView, description: "Follow every bug routed to the SIG (mail as 'Watch')" })
  watchSig(@Req() req: AuthedRequest, @Param('slug', SlugPipe) slug: string): Promise<SigWatchView> {
    return this.saved.setSigWatch(actorOf(req), slug, true);
  }

  @Delete('sigs/:slug/bug-watch')
  @Authenticated()
  @ApiOkResponse({ type: SigWatchView })
  unwatchSig(@Req() req: AuthedRequest, @Param('slug', SlugPipe) slug: string): Promise<SigWatchView> {
    return this.saved.setSigWatch(actorOf(req), slug, false);
  }

  @Get('saved-searches')
  @Public()
  @ApiOkResponse({ type: [SavedSearchView], description: 'Mine and everyone’s shared searches' })
  savedSearches(@Req() req: AuthedRequest): Promise<SavedSearchView[]> {
    return this.saved.list(maybeActor(req));
  }

  @Post('saved-searches')
  @Authenticated()
  @ApiCreatedResponse({ type: SavedSearchView })
  saveSearch(@Req() req: AuthedRequest, @Body() dto: SavedSearchInputDto): Promise<SavedSearchView> {
    return this.saved.create(actorOf(req), dto);
  }

  @Get('saved-searches/:id')
  @Public()
  @ApiOkResponse({ type: SavedSearchView })
  savedSearch(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<SavedSearchView> {
    return this.saved.get(maybeActor(req), id);
  }

  @Delete('saved-searches/:id')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse()
  async deleteSearch(@Req() req: AuthedRequest, @Param('id', IdPipe) id: number): Promise<void> {
    await this.saved.remove(actorOf(req), id);
  }

  @Get('me/bug-mail')
  @Authenticated()
  @ApiOkResponse({ type: MailPrefsView, description: 'Which bug mail I get: event × my role on the bug' })
  mailPrefs(@Req() req: AuthedRequest): Promise<MailPrefsView> {
    return this.saved.mailPrefs(actorOf(req));
  }

  @Put('me/bug-mail')
  @Authenticated()
  @ApiOkResponse({ type: MailPrefsView })
  setMailPrefs(@Req() req: AuthedRequest, @Body() dto: MailPrefsDto): Promise<MailPrefsView> {
    return this.saved.setMailPrefs(actorOf(req), dto);
  }
}
