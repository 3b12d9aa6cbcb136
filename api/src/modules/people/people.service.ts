import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../common/actor';
import { notFound } from '../../common/errors';
import { bugViewer, visibleBugRawSql } from '../bugs/bug-access';
import { voteString } from '../governance/ballot-choice';
import { ClaService } from '../join/cla.service';
import type { BallotChoice, GovOptionEntity } from '../governance/governance.entity';
import type { PersonView } from './people.dto';

const RECENT = 10;

/**
 * A person's public page: what they do in the community, never their e-mail. Bugs and comments
 * pass the tracker's visibility rule for the viewer; only roll-call votes are shown, which are
 * public by design; a secret ballot has no voter to find.
 */
@Injectable()
export class PeopleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cla: ClaService,
  ) {}

  async get(viewer: Actor | null, username: string): Promise<PersonView> {
    const db = this.dataSource;
    const [user] = await db.query<
      { id: number; username: string; display_name: string | null; gitee_login: string | null; created_at: Date }[]
    >(
      `SELECT id, username, display_name, gitee_login, created_at FROM users
        WHERE lower(username) = lower($1) AND disabled_at IS NULL`,
      [username],
    );
    if (!user) throw notFound('User');
    const bv = bugViewer(viewer);
    const vis = visibleBugRawSql('b', bv, 2);
    const privateComments = bv.seesAllPrivate ? '' : 'AND NOT c.is_private';
    const [claSigned, sigs, seats, bugs, comments, ballots] = await Promise.all([
      this.cla.hasSigned(user.id),
      db.query<{ slug: string; name_en: string; name_zh: string; role: string }[]>(
        `SELECT s.slug, s.name_en, s.name_zh, m.role FROM sig_memberships m JOIN sigs s ON s.id = m.sig_id
          WHERE m.user_id = $1 AND s.status = 'active' AND (m.expires_at IS NULL OR m.expires_at > now())
          ORDER BY array_position(ARRAY['lead', 'maintainer', 'committer', 'member']::varchar[], m.role), s.slug`,
        [user.id],
      ),
      db.query<{ slug: string; name_en: string; name_zh: string; office: string | null; term_end: Date }[]>(
        `SELECT b.slug, b.name_en, b.name_zh, bm.office, bm.term_end FROM gov_body_members bm
           JOIN gov_bodies b ON b.id = bm.body_id
          WHERE bm.user_id = $1 AND bm.term_start <= now() AND bm.term_end > now() ORDER BY b.id`,
        [user.id],
      ),
      db.query<{ id: number; summary: string; status: string; created_at: Date }[]>(
        `SELECT b.id, b.summary, b.status, b.created_at FROM bugs b
          WHERE b.reporter_id = $1 AND ${vis.sql} ORDER BY b.id DESC LIMIT ${RECENT}`,
        [user.id, ...vis.params],
      ),
      db.query<{ bug_id: number; summary: string; body: string; created_at: Date }[]>(
        `SELECT c.bug_id, b.summary, left(c.body, 200) AS body, c.created_at FROM bug_comments c
           JOIN bugs b ON b.id = c.bug_id
          WHERE c.author_id = $1 AND c.count > 0 ${privateComments} AND ${vis.sql}
          ORDER BY c.id DESC LIMIT ${RECENT}`,
        [user.id, ...vis.params],
      ),
      db.query<{ proposal_id: number; title: string; choice: BallotChoice; cast_at: Date }[]>(
        `SELECT g.proposal_id, p.title, g.choice, g.cast_at FROM gov_ballots g JOIN gov_proposals p ON p.id = g.proposal_id
          WHERE g.voter_id = $1 AND p.ballot_mode = 'roll_call' AND p.status <> 'draft'
          ORDER BY g.cast_at DESC LIMIT ${RECENT}`,
        [user.id],
      ),
    ]);
    const options = new Map<number, GovOptionEntity[]>();
    for (const b of ballots) {
      if ('ranks' in b.choice && !options.has(b.proposal_id)) {
        options.set(
          b.proposal_id,
          await db.query(`SELECT key, position FROM gov_options WHERE proposal_id = $1 ORDER BY position`, [
            b.proposal_id,
          ]),
        );
      }
    }
    return {
      username: user.username,
      displayName: user.display_name,
      gitee: user.gitee_login,
      claSigned,
      joinedAt: user.created_at.toISOString(),
      sigs: sigs.map((s) => ({ slug: s.slug, nameEn: s.name_en, nameZh: s.name_zh, role: s.role })),
      seats: seats.map((s) => ({
        body: s.slug,
        nameEn: s.name_en,
        nameZh: s.name_zh,
        office: s.office,
        termEnd: s.term_end.toISOString(),
      })),
      bugs: bugs.map((b) => ({
        id: b.id,
        summary: b.summary,
        status: b.status,
        createdAt: b.created_at.toISOString(),
      })),
      comments: comments.map((c) => ({
        bugId: c.bug_id,
        summary: c.summary,
        excerpt: c.body,
        createdAt: c.created_at.toISOString(),
      })),
      votes: ballots.map((b) => ({
        proposalId: b.proposal_id,
        title: b.title,
        vote: voteString(options.get(b.proposal_id) ?? [], b.choice),
        castAt: b.cast_at.toISOString(),
      })),
    };
  }
}
