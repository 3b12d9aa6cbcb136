import { Body, Controller, Get, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type Actor, type AuthedRequest, requestMeta } from '../../common/actor';
import { Public, RequireRole } from '../../common/policy';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ContentService } from './content.service';
import {
  CreatePostDto,
  PostListQueryDto,
  PostListView,
  PostParamsDto,
  PostView,
  ReleasePageView,
  ReleaseSlugParamsDto,
  ReleaseSummaryListView,
  SitemapView,
  UpdatePostDto,
  UpdateReleasePageDto,
} from './dto/content.dto';
import { newsAtom, releasesAtom } from './feeds';

const actorOf = (req: AuthedRequest): Actor => req.actor as Actor;

@ApiTags('portal')
@Controller('api/v1/portal')
export class ContentController {
  constructor(
    private readonly content: ContentService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('releases')
  @Public()
  @ApiOkResponse({ type: ReleaseSummaryListView })
  async releases(): Promise<ReleaseSummaryListView> {
    return { items: await this.content.releases() };
  }

  @Get('releases.atom')
  @Public()
  @ApiProduces('application/atom+xml')
  @ApiOkResponse({ description: 'Atom feed of published releases' })
  async releasesFeed(@Res() res: Response): Promise<void> {
    const items = await this.content.releases();
    res.type('application/atom+xml; charset=utf-8').send(releasesAtom(this.config.publicUrl, items));
  }

  @Get('releases/:slug')
  @Public()
  @ApiOkResponse({ type: ReleasePageView, description: 'A published release: dates, highlights, files, known issues' })
  release(@Param() p: ReleaseSlugParamsDto): Promise<ReleasePageView> {
    return this.content.release(p.slug);
  }

  @Get('news.atom')
  @Public()
  @ApiProduces('application/atom+xml')
  @ApiOkResponse({ description: 'Atom feed of published news' })
  async newsFeed(@Res() res: Response): Promise<void> {
    const { items } = await this.content.posts('news', 50, 0);
    res.type('application/atom+xml; charset=utf-8').send(newsAtom(this.config.publicUrl, items));
  }

  @Get('posts')
  @Public()
  @ApiOkResponse({ type: PostListView, description: 'Published news posts (or pages), newest first' })
  posts(@Query() q: PostListQueryDto): Promise<PostListView> {
    return this.content.posts(q.kind ?? 'news', q.limit ?? 20, q.offset ?? 0);
  }

  @Get('posts/:kind/:slug')
  @Public()
  @ApiOkResponse({ type: PostView })
  post(@Param() p: PostParamsDto): Promise<PostView> {
    return this.content.post(p.kind, p.slug);
  }

  @Get('sitemap')
  @Public()
  @ApiOkResponse({ type: SitemapView, description: 'Public pages with content, for sitemap.xml' })
  async sitemap(): Promise<SitemapView> {
    return { entries: await this.content.sitemap() };
  }
}

@ApiTags('portal')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('api/v1/admin/portal')
export class AdminContentController {
  constructor(private readonly content: ContentService) {}

  @Get('releases/:slug')
  @RequireRole('admin')
  @ApiOkResponse({ type: ReleasePageView, description: 'Drafts included' })
  release(@Param() p: ReleaseSlugParamsDto): Promise<ReleasePageView> {
    return this.content.release(p.slug, true);
  }

  @Patch('releases/:slug')
  @RequireRole('admin')
  @ApiOkResponse({
    type: ReleasePageView,
    description: 'Edit the page: dates, kernel, highlights, changelog, known issues',
  })
  updateRelease(
    @Req() req: AuthedRequest,
    @Param() p: ReleaseSlugParamsDto,
    @Body() dto: UpdateReleasePageDto,
  ): Promise<ReleasePageView> {
    return this.content.updateRelease(actorOf(req), p.slug, dto, requestMeta(req));
  }

  @Get('posts')
  @RequireRole('admin')
  @ApiOkResponse({ type: PostListView, description: 'Drafts included' })
  posts(@Query() q: PostListQueryDto): Promise<PostListView> {
    return this.content.posts(q.kind ?? 'news', q.limit ?? 20, q.offset ?? 0, true);
  }

  @Get('posts/:kind/:slug')
  @RequireRole('admin')
  @ApiOkResponse({ type: PostView, description: 'Drafts included' })
  post(@Param() p: PostParamsDto): Promise<PostView> {
    return this.content.post(p.kind, p.slug, true);
  }

  @Post('posts')
  @RequireRole('admin')
  @ApiCreatedResponse({ type: PostView })
  create(@Req() req: AuthedRequest, @Body() dto: CreatePostDto): Promise<PostView> {
    return this.content.createPost(actorOf(req), dto, requestMeta(req));
  }

  @Patch('posts/:kind/:slug')
  @RequireRole('admin')
  @ApiOkResponse({ type: PostView })
  update(@Req() req: AuthedRequest, @Param() p: PostParamsDto, @Body() dto: UpdatePostDto): Promise<PostView> {
    return this.content.updatePost(actorOf(req), p.kind, p.slug, dto, requestMeta(req));
  }
}
