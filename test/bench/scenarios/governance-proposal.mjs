import { randomBytes } from 'node:crypto';
import { seedSigs } from '../lib/seed-sigs.mjs';

const hex = () => randomBytes(32).toString('hex');

/**
 * The proposal page under load: a TOC motion in the middle of its roll-call vote (15 seats, 12
 * ballots, 40 comments) and a closed Schulze election's detail and published result, fetched as
 * the page does. Baseline: the SQL the API ran for those requests, replayed with pg.
 */
export default {
  name: 'governance-proposal',
  async setup(ctx) {
    await seedSigs(ctx.db);
    const { username, token } = await ctx.defaultUser();
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const api = async (method, path, body) => {
      const res = await ctx.fetch(path, { method, headers: auth, body: body ? JSON.stringify(body) : undefined });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const [{ id: me }] = (await ctx.db.query(`SELECT id FROM users WHERE username = $1`, [username])).rows;
    // the bench user chairs a full TOC of 15 (itself and 14 bench users)
    await ctx.db.query(
      `INSERT INTO gov_body_members (body_id, user_id, office, term_start, term_end)
       SELECT b.id, u.id, CASE WHEN u.id = $1 THEN 'chair' END, now() - interval '1 day', now() + interval '1 year'
         FROM gov_bodies b, users u
        WHERE b.slug = 'toc' AND (u.id = $1 OR u.username IN (SELECT 'benchuser' || g FROM generate_series(1, 14) g))
       ON CONFLICT DO NOTHING`,
      [me],
    );

    const motion = await api('POST', '/api/v1/governance/proposals', {
      body: 'toc',
      kind: 'motion',
      title: 'Adopt the packaging guidelines v3',
      text: '## Summary\n\nEvery package gets a `%check` section.\n\n'.repeat(20),
    });
    await api('POST', `/api/v1/governance/proposals/${motion.id}/open`, { hours: 72 });
    await ctx.db.query(
      `WITH v AS (SELECT e.user_id, row_number() OVER (ORDER BY e.user_id) AS n FROM gov_electorate e
                   WHERE e.proposal_id = $1 AND e.user_id <> $2)
       INSERT INTO gov_ballots (proposal_id, ballot_key, voter_id, receipt, choice, cast_at)
       SELECT $1, md5(random()::text) || md5(random()::text), v.user_id, md5(random()::text) || md5(random()::text),
              jsonb_build_object('vote', (ARRAY['yes', 'no', 'abstain'])[1 + n % 3]), now() - n * interval '1 minute'
         FROM v WHERE n <= 12`,
      [motion.id, me],
    );
    await ctx.db.query(
      `UPDATE gov_electorate e SET voted = true WHERE e.proposal_id = $1 AND e.user_id IN (SELECT voter_id FROM gov_ballots WHERE proposal_id = $1)`,
      [motion.id],
    );
    await ctx.db.query(
      `INSERT INTO gov_comments (proposal_id, author_id, body)
       SELECT $1, u.id, 'I think **we should** adopt this, with one change: ' || g
         FROM generate_series(1, 40) g JOIN users u ON u.username = 'benchuser' || (g % 14 + 1)`,
      [motion.id],
    );

    // an election counted for real: 14 ballots straight into the box, the chair's last one closes it
    const options = Array.from({ length: 10 }, (_, i) => ({ key: `c${i}`, label: `Candidate ${i}` }));
    const election = await api('POST', '/api/v1/governance/proposals', {
      body: 'toc',
      kind: 'election',
      title: 'Elect the TOC secretary',
      options,
      noneOfTheAbove: true,
    });
    await api('POST', `/api/v1/governance/proposals/${election.id}/open`, { hours: 96 });
    const voters = (
      await ctx.db.query(`SELECT user_id FROM gov_electorate WHERE proposal_id = $1 AND user_id <> $2`, [
        election.id,
        me,
      ])
    ).rows;
    for (const [i, { user_id: uid }] of voters.entries()) {
      const ranks = Object.fromEntries(options.map((o, k) => [o.key, ((k + i) % options.length) + 1]));
      await ctx.db.query(
        `INSERT INTO gov_ballots (proposal_id, ballot_key, voter_id, receipt, choice, cast_at) VALUES ($1, $2, NULL, $3, $4, NULL)`,
        [election.id, hex(), hex(), JSON.stringify({ ranks })],
      );
      await ctx.db.query(`UPDATE gov_electorate SET voted = true WHERE proposal_id = $1 AND user_id = $2`, [
        election.id,
        uid,
      ]);
    }
    const last = await api('PUT', `/api/v1/governance/proposals/${election.id}/ballot`, { ranks: { c3: 1, c1: 2 } });
    if (!last.closed) throw new Error('the election did not close with its last ballot');

    return {
      rawSql: true,
      targets: { p95: 50 },
      requests: [
        { method: 'GET', path: `/api/v1/governance/proposals/${motion.id}` },
        { method: 'GET', path: `/api/v1/governance/proposals/${motion.id}/comments` },
        { method: 'GET', path: `/api/v1/governance/proposals/${election.id}` },
        { method: 'GET', path: `/api/v1/governance/proposals/${election.id}/result` },
      ],
    };
  },
};
