import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/actor';
import { isUniqueViolation } from '../../common/db-errors';
import { conflict, notFound } from '../../common/errors';
import { AuditService } from '../audit/audit.service';
import { BugSearchService } from '../bugs/bug-search.service';
import { ReleaseArtefactEntity, ReleaseEntity, type ReleaseFamily } from '../mirrors/mirror.entity';
import { artefactView } from '../mirrors/releases.service';
import { ContentPostEntity, type PostKind, ReleasePageEntity } from './content.entity';
import type {
  CreatePostDto,
  KnownIssuesView,
  PostListView,
  PostSummaryView,
  PostView,
  ReleasePageView,
  ReleaseSummaryView,
  SitemapEntryView,
  UpdatePostDto,
  UpdateReleasePageDto,
} from './dto/content.dto';

const KNOWN_ISSUES_SHOWN = 20;

/** `9.4` ↔ (opencloudos, 9.4); `stream-23` ↔ (stream, 23). */
export function releaseSlug(family: ReleaseFamily, version: string): string {
  return family === 'stream' ? `stream-${version}` : version;
}

export function parseReleaseSlug(slug: string): { family: ReleaseFamily; version: string } {
  return slug.startsWith('stream-')
    ? { family: 'stream', version: slug.slice('stream-'.length) }
    : { family: 'opencloudos', version: slug };
}

const byVersionDesc = (a: ReleaseEntity, b: ReleaseEntity): number => {
  const [a1, a2 = 0] = a.version.split('.').map(Number);
  const [b1, b2 = 0] = b.version.split('.').map(Number);
  return b1 - a1 || b2 - a2;
};

function summary(r: ReleaseEntity, p: ReleasePageEntity | undefined): ReleaseSummaryView {
  return {
    slug: releaseSlug(r.family, r.version),
    family: r.family,
    version: r.version,
    name: r.name,
    isLatest: r.isLatest,
    releasedOn: r.releasedOn,
    fullSupportUntil: r.fullSupportUntil,
    eolOn: r.eolOn,
    kernel: p?.kernel ?? '',
    taglineEn: p?.taglineEn ?? '',
    taglineZh: p?.taglineZh ?? '',
  };
}

function postSummary(p: ContentPostEntity): PostSummaryView {
  return {
    id: p.id,
    kind: p.kind,
    slug: p.slug,
    titleEn: p.titleEn,
    titleZh: p.titleZh,
    summaryEn: p.summaryEn,
    summaryZh: p.summaryZh,
    status: p.status,
    publishedAt: p.publishedAt?.toISOString() ?? null,
    updatedAt: p.updatedAt.toISOString(),
  };
}

/**
 * The portal's written content: what each release page says (on top of the mirrors area's release
 * catalogue), news posts and plain pages. Only published releases and posts are ever public.
 */
@Injectable()
export class ContentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly bugs: BugSearchService,
  ) {}

  async releases(): Promise<ReleaseSummaryView[]> {
    const releases = await this.dataSource.getRepository(ReleaseEntity).findBy({ status: 'published' });
    const pages = await this.dataSource.getRepository(ReleasePageEntity).find();
    const family = (f: ReleaseFamily) => (f === 'opencloudos' ? 0 : 1);
    return releases
      .sort((a, b) => family(a.family) - family(b.family) || byVersionDesc(a, b))
      .map((r) =>
        summary(
          r,
          pages.find((p) => p.releaseId === r.id),
        ),
      );
  }

  private async findRelease(slug: string, includeDrafts: boolean): Promise<ReleaseEntity> {
    const { family, version } = parseReleaseSlug(slug);
    const r = await this.dataSource.getRepository(ReleaseEntity).findOneBy({ family, version });
    if (!r || (r.status !== 'published' && !includeDrafts)) throw notFound('Release');
    return r;
  }

  async release(slug: string, includeDrafts = false): Promise<ReleasePageView> {
    const r = await this.findRelease(slug, includeDrafts);
    const [page, artefacts] = await Promise.all([
      this.dataSource.getRepository(ReleasePageEntity).findOneBy({ releaseId: r.id }),
      this.dataSource.getRepository(ReleaseArtefactEntity).findBy({ releaseId: r.id }),
    ]);
    return Object.assign(summary(r, page ?? undefined), {
      highlightsEn: page?.highlightsEn ?? '',
      highlightsZh: page?.highlightsZh ?? '',
      changelog: page?.changelog ?? '',
      artefacts: artefacts
        .sort((a, b) => a.arch.localeCompare(b.arch) || a.variant.localeCompare(b.variant))
        .map(artefactView),
      knownIssues: await this.knownIssues(page?.knownIssuesQuery ?? ''),
      updatedAt: page?.updatedAt.toISOString() ?? null,
    });
  }

  /** Searched as nobody (actor null), so a private or embargoed bug never shows, even to an admin. */
  private async knownIssues(query: string): Promise<KnownIssuesView> {
    if (!query) return { query, items: [], more: false };
    try {
      const page = await this.bugs.search(null, { q: query, limit: KNOWN_ISSUES_SHOWN });
      return { query, items: page.items, more: page.nextCursor !== null };
    } catch {
      // A quicksearch the tracker refuses (saved before a syntax change) must not take the page down.
      return { query, items: [], more: false };
    }
  }

  async updateRelease(
    actor: Actor,
    slug: string,
    dto: UpdateReleasePageDto,
    meta: RequestMeta,
  ): Promise<ReleasePageView> {
    const r = await this.findRelease(slug, true);
    // Validated DTOs carry every declared field, the unsent ones as undefined: only what was sent changes.
    const sent = defined(dto);
    const { releasedOn, fullSupportUntil, eolOn, ...content } = sent;
    await this.dataSource.transaction(async (m) => {
      const dates: Partial<ReleaseEntity> = {};
      if (releasedOn !== undefined) dates.releasedOn = releasedOn;
      if (fullSupportUntil !== undefined) dates.fullSupportUntil = fullSupportUntil;
      if (eolOn !== undefined) dates.eolOn = eolOn;
      if (Object.keys(dates).length) await m.getRepository(ReleaseEntity).update({ id: r.id }, dates);
      await m
        .getRepository(ReleasePageEntity)
        .createQueryBuilder()
        .insert()
        .values({ releaseId: r.id, ...content, updatedBy: actor.id })
        .orUpdate([...Object.keys(content).map((k) => snake(k)), 'updated_by', 'updated_at'], ['release_id'])
        .execute();
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'release.page.update',
        targetType: 'release',
        targetId: `${r.family}/${r.version}`,
        details: { fields: Object.keys(sent) },
        meta,
      });
    });
    return this.release(slug, true);
  }

  async posts(kind: PostKind, limit: number, offset: number, includeDrafts = false): Promise<PostListView> {
    const [rows, total] = await this.dataSource.getRepository(ContentPostEntity).findAndCount({
      where: includeDrafts ? { kind } : { kind, status: 'published' },
      order: { publishedAt: { direction: 'DESC', nulls: 'FIRST' }, id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items: rows.map(postSummary), total };
  }

  async post(kind: PostKind, slug: string, includeDrafts = false): Promise<PostView> {
    const p = await this.dataSource
      .getRepository(ContentPostEntity)
      .findOne({ where: { kind, slug }, relations: { author: true } });
    if (!p || (p.status !== 'published' && !includeDrafts)) throw notFound(kind === 'news' ? 'News post' : 'Page');
    return Object.assign(postSummary(p), { bodyEn: p.bodyEn, bodyZh: p.bodyZh, author: p.author?.displayName ?? null });
  }

  async createPost(actor: Actor, dto: CreatePostDto, meta: RequestMeta): Promise<PostView> {
    try {
      await this.dataSource.transaction(async (m) => {
        await m.getRepository(ContentPostEntity).insert({
          ...defined(dto),
          publishedAt: dto.status === 'published' ? new Date() : null,
          authorId: actor.id,
        });
        await this.audit.record(m, {
          actorId: actor.id,
          action: `${dto.kind}.create`,
          targetType: dto.kind,
          targetId: dto.slug,
          meta,
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('post_exists', 'There is already one with this address.');
      throw err;
    }
    return this.post(dto.kind, dto.slug, true);
  }

  async updatePost(
    actor: Actor,
    kind: PostKind,
    slug: string,
    dto: UpdatePostDto,
    meta: RequestMeta,
  ): Promise<PostView> {
    const repo = this.dataSource.getRepository(ContentPostEntity);
    const p = await repo.findOneBy({ kind, slug });
    if (!p) throw notFound(kind === 'news' ? 'News post' : 'Page');
    await this.dataSource.transaction(async (m) => {
      // The first publication fixes the date readers and feeds see; later edits do not move it.
      const publishedAt = dto.status === 'published' && !p.publishedAt ? new Date() : p.publishedAt;
      await m.getRepository(ContentPostEntity).update({ id: p.id }, { ...defined(dto), publishedAt });
      await this.audit.record(m, {
        actorId: actor.id,
        action: `${kind}.update`,
        targetType: kind,
        targetId: slug,
        details: { fields: Object.keys(defined(dto)) },
        meta,
      });
    });
    return this.post(kind, slug, true);
  }

  /** Every public page worth indexing, with the date it last changed where one is known. */
  async sitemap(): Promise<SitemapEntryView[]> {
    const rows = await this.dataSource.query<{ path: string; lastmod: Date | null }[]>(
      `SELECT '/releases/' || CASE WHEN r.family = 'stream' THEN 'stream-' ELSE '' END || r.version AS path,
              greatest(r.updated_at, p.updated_at) AS lastmod
         FROM releases r LEFT JOIN release_pages p ON p.release_id = r.id WHERE r.status = 'published'
       UNION ALL
       SELECT CASE WHEN kind = 'news' THEN '/news/' ELSE '/pages/' END || slug, updated_at
         FROM content_posts WHERE status = 'published'
       UNION ALL
       SELECT '/sigs/' || slug, updated_at FROM sigs WHERE status <> 'proposed'
       UNION ALL
       SELECT '/packages/' || name, updated_at FROM packages WHERE removed_at IS NULL
       UNION ALL
       SELECT '/governance/proposals/' || id, updated_at FROM gov_proposals WHERE status <> 'draft'`,
    );
    return rows.map((r) => ({ path: r.path, lastmod: r.lastmod ? r.lastmod.toISOString() : null }));
  }
}

function defined<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
