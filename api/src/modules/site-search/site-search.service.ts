import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../common/actor';
import { BugSearchService } from '../bugs/bug-search.service';
import { likePattern } from '../sigs/sig-views';
import type {
  PackageHit,
  PageHit,
  ProposalHit,
  ReleaseHit,
  SigHit,
  SiteSearchQueryDto,
  SiteSearchResult,
} from './site-search.dto';

/**
 * One search box for the whole site. Bugs go through the tracker's own search (quicksearch syntax,
 * Chinese bigrams, visibility); packages, SIGs and proposals are small tables matched with ILIKE
 * (trigram indexes where they exist), exact and prefix matches first.
 */
@Injectable()
export class SiteSearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bugs: BugSearchService,
  ) {}

  async search(actor: Actor | null, q: SiteSearchQueryDto): Promise<SiteSearchResult> {
    const type = q.type ?? 'all';
    const limit = q.limit ?? (type === 'all' ? 5 : 25);
    const want = (t: string) => type === 'all' || type === t;
    const [bugs, packages, sigs, proposals, releases, pages] = await Promise.all([
      want('bugs') ? this.searchBugs(actor, q.q, limit) : null,
      want('packages') ? this.searchPackages(q.q, limit) : null,
      want('sigs') ? this.searchSigs(q.q, limit) : null,
      want('proposals') ? this.searchProposals(q.q, limit) : null,
      want('releases') ? this.searchReleases(q.q, limit) : null,
      want('pages') ? this.searchPages(q.q, limit) : null,
    ]);
    return { q: q.q, bugs, packages, sigs, proposals, releases, pages };
  }

  private async searchBugs(actor: Actor | null, text: string, limit: number) {
    const page = await this.bugs.search(actor, { q: text, limit });
    return { items: page.items, more: page.nextCursor !== null };
  }

  private async searchPackages(text: string, limit: number) {
    const rows = await this.dataSource.query<(PackageHit & { rank: number })[]>(
      `SELECT p.name, p.description, s.slug AS sig,
              CASE WHEN lower(p.name) = lower($1) THEN 0 WHEN p.name ILIKE $2 THEN 1 WHEN p.name ILIKE $3 THEN 2 ELSE 3 END AS rank
         FROM packages p LEFT JOIN sigs s ON s.id = p.sig_id
        WHERE p.name ILIKE $3 OR p.description ILIKE $3
        ORDER BY rank, length(p.name), p.name
        LIMIT $4`,
      [text, likePattern(text).slice(1), likePattern(text), limit + 1],
    );
    return {
      items: rows.slice(0, limit).map(({ name, description, sig }) => ({ name, description, sig })),
      more: rows.length > limit,
    };
  }

  private async searchSigs(text: string, limit: number) {
    const rows = await this.dataSource.query<(SigHit & { rank: number })[]>(
      `SELECT s.slug, s.name_en AS "nameEn", s.name_zh AS "nameZh", s.status,
              CASE WHEN s.slug = lower($1) THEN 0 WHEN s.name_en ILIKE $2 OR s.name_zh ILIKE $2 THEN 1 ELSE 2 END AS rank
         FROM sigs s
        WHERE s.slug ILIKE $2 OR s.name_en ILIKE $2 OR s.name_zh ILIKE $2 OR s.description ILIKE $2
        ORDER BY rank, (s.status = 'active') DESC, s.slug
        LIMIT $3`,
      [text, likePattern(text), limit + 1],
    );
    return {
      items: rows.slice(0, limit).map(({ slug, nameEn, nameZh, status }) => ({ slug, nameEn, nameZh, status })),
      more: rows.length > limit,
    };
  }

  /** Drafts are private to their body; everything from discussion on is public. */
  private async searchProposals(text: string, limit: number) {
    const rows = await this.dataSource.query<ProposalHit[]>(
      `SELECT p.id, p.title, b.slug AS body, p.kind, p.status, p.outcome
         FROM gov_proposals p JOIN gov_bodies b ON b.id = p.body_id
        WHERE p.status <> 'draft' AND (p.title ILIKE $1 OR p.text ILIKE $1)
        ORDER BY (p.title ILIKE $1) DESC, p.id DESC
        LIMIT $2`,
      [likePattern(text), limit + 1],
    );
    return { items: rows.slice(0, limit), more: rows.length > limit };
  }

  /**
   * Published releases by name, version ("9.4", "OpenCloudOS 9"), kernel or the words of their page
   * in either language; a handful of rows, so ILIKE is enough.
   */
  private async searchReleases(text: string, limit: number) {
    const rows = await this.dataSource.query<ReleaseHit[]>(
      `SELECT CASE WHEN r.family = 'stream' THEN 'stream-' ELSE '' END || r.version AS slug, r.name, r.family,
              coalesce(p.tagline_en, '') AS "taglineEn", coalesce(p.tagline_zh, '') AS "taglineZh"
         FROM releases r LEFT JOIN release_pages p ON p.release_id = r.id
        WHERE r.status = 'published'
          AND (r.name ILIKE $1 OR r.version = $2 OR p.kernel ILIKE $1 OR p.tagline_en ILIKE $1 OR p.tagline_zh ILIKE $1
               OR p.highlights_en ILIKE $1 OR p.highlights_zh ILIKE $1 OR p.changelog ILIKE $1)
        ORDER BY (r.name ILIKE $1 OR r.version = $2) DESC, r.released_on DESC NULLS LAST
        LIMIT $3`,
      [likePattern(text), text, limit + 1],
    );
    return { items: rows.slice(0, limit), more: rows.length > limit };
  }

  /** Published news posts and pages, titles first; drafts never. */
  private async searchPages(text: string, limit: number) {
    const rows = await this.dataSource.query<(PageHit & { published_at: Date | null })[]>(
      `SELECT kind, slug, title_en AS "titleEn", title_zh AS "titleZh", published_at
         FROM content_posts
        WHERE status = 'published'
          AND (title_en ILIKE $1 OR title_zh ILIKE $1 OR summary_en ILIKE $1 OR summary_zh ILIKE $1
               OR body_en ILIKE $1 OR body_zh ILIKE $1)
        ORDER BY (title_en ILIKE $1 OR title_zh ILIKE $1) DESC, published_at DESC
        LIMIT $2`,
      [likePattern(text), limit + 1],
    );
    return {
      items: rows.slice(0, limit).map(({ kind, slug, titleEn, titleZh, published_at }) => ({
        kind,
        slug,
        titleEn,
        titleZh,
        publishedAt: published_at ? published_at.toISOString() : null,
      })),
      more: rows.length > limit,
    };
  }
}
