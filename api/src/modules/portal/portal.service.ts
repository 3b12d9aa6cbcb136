import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OPEN_STATUSES } from '../bugs/quicksearch';
import type { DecisionView, PortalStatsView } from './portal.dto';

/** The front page's live numbers: cheap counts (a few ms each), cached briefly by the caller's CDN. */
@Injectable()
export class PortalService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async stats(): Promise<PortalStatsView> {
    const [[counts], decisions] = await Promise.all([
      this.dataSource.query<
        { packages: number; sigs: number; open_bugs: number; open_votes: number; mirrors: number }[]
      >(
        `SELECT (SELECT count(*)::int FROM packages) AS packages,
                (SELECT count(*)::int FROM sigs WHERE status = 'active') AS sigs,
                (SELECT count(*)::int FROM bugs WHERE status = ANY($1) AND (NOT is_private OR (embargo_until IS NOT NULL AND embargo_until <= now()))) AS open_bugs,
                (SELECT count(*)::int FROM gov_proposals WHERE status = 'voting') AS open_votes,
                (SELECT count(*)::int FROM mirrors WHERE status = 'active' AND bucket = 'up-to-date') AS mirrors`,
        [OPEN_STATUSES],
      ),
      this.decisions(5),
    ]);
    return {
      packages: counts.packages,
      sigs: counts.sigs,
      openBugs: counts.open_bugs,
      openVotes: counts.open_votes,
      upToDateMirrors: counts.mirrors,
      decisions,
    };
  }

  async decisions(limit: number): Promise<DecisionView[]> {
    const rows = await this.dataSource.query<
      { id: number; title: string; body: string; kind: string; outcome: string; closed_at: Date }[]
    >(
      `SELECT p.id, p.title, b.slug AS body, p.kind, p.outcome, p.closed_at
         FROM gov_proposals p JOIN gov_bodies b ON b.id = p.body_id
        WHERE p.status = 'closed' ORDER BY p.closed_at DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      body: r.body,
      kind: r.kind,
      outcome: r.outcome,
      closedAt: r.closed_at.toISOString(),
    }));
  }
}
