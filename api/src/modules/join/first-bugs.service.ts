import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { bugViewer, visibleBugRawSql } from '../bugs/bug-access';
import type { FirstBugsView } from './join.dto';

/**
 * Open bugs a newcomer can start with: those carrying one of FIRST_BUG_KEYWORDS. Only public
 * bugs (as an anonymous visitor sees them), whoever asks, so the list is the same for everyone.
 */
@Injectable()
export class FirstBugsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(limit: number): Promise<FirstBugsView> {
    const keywords = this.config.firstBugKeywords;
    if (!keywords.length) return { keywords, items: [] };
    const vis = visibleBugRawSql('b', bugViewer(null), 3);
    const rows = await this.dataSource.query<
      {
        id: number;
        summary: string;
        status: string;
        keywords: string[];
        component: string | null;
        sig_slug: string | null;
        created_at: Date;
      }[]
    >(
      `SELECT b.id, b.summary, b.status, b.keywords, c.name AS component, s.slug AS sig_slug, b.created_at
         FROM bugs b
         LEFT JOIN bug_components c ON c.id = b.component_id
         LEFT JOIN sigs s ON s.id = b.sig_id
        WHERE b.status NOT IN ('RESOLVED', 'VERIFIED')
          AND EXISTS (SELECT 1 FROM unnest(b.keywords) k WHERE lower(k) = ANY($1))
          AND ${vis.sql}
        ORDER BY b.id DESC LIMIT $2`,
      [keywords, limit, ...vis.params],
    );
    return {
      keywords,
      items: rows.map((r) => ({
        id: r.id,
        summary: r.summary,
        status: r.status,
        keywords: r.keywords,
        component: r.component,
        sig: r.sig_slug,
        createdAt: r.created_at.toISOString(),
      })),
    };
  }
}
