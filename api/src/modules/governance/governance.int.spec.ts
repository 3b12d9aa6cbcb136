import { createHash, createHmac } from 'node:crypto';
import { OutboxEntity } from '../../queue/outbox.entity';
import { login, Login, makeUser, MadeUser } from '../../testing/factories';
import { openVote, propose, seat } from '../../testing/governance';
import { as, makePackage } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { NotificationEntity } from '../notifications/notification.entity';
import { SigEntity } from '../sigs/sig.entity';
import { receiptFor } from './ballot-keys';
import { GovLifecycleService } from './gov-lifecycle.service';

interface Person {
  made: MadeUser;
  login: Login;
}

describe('governance: bodies, proposals, ballots and published results', () => {
  let t: TestApp;
  let admin: Person;
  let chair: Person;
  let secretary: Person;
  let members: Person[];
  let outsider: Person;
  const call = (who: Person | null, method: Parameters<typeof as>[2], path: string, body?: object) =>
    as(t.baseUrl, who?.login ?? null, method, path, body);
  const person = async (opts: Parameters<typeof makeUser>[1] = {}): Promise<Person> => {
    const made = await makeUser(t.ds, opts);
    return { made, login: await login(t.baseUrl, made.user.username) };
  };
  const lifecycle = () => t.app.get(GovLifecycleService);

  beforeAll(async () => {
    t = await startTestApp({ BALLOT_KEY: 'test-ballot-key-0123456789abcdef' });
    admin = await person({ roles: ['admin'] });
    chair = await person();
    secretary = await person();
    members = [await person(), await person(), await person()];
    outsider = await person();
    await seat(t.ds, 'toc', [
      [chair.made.user.id, 'chair'],
      [secretary.made.user.id, 'secretary'],
      ...members.map((m): [number, null] => [m.made.user.id, null]),
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('bodies', () => {
    it('lists the TOC and the council with their current members, officers first', async () => {
      const list = await call(null, 'get', '/api/v1/governance/bodies').expect(200);
      expect(list.body.items.map((b: { slug: string }) => b.slug)).toEqual(['toc', 'council']);
      expect(list.body.items[0]).toMatchObject({ maxSeats: 15, termMonths: 36, memberCount: 5 });
      const toc = await call(null, 'get', '/api/v1/governance/bodies/toc').expect(200);
      expect(toc.body.members.slice(0, 2).map((m: { office: string }) => m.office)).toEqual(['chair', 'secretary']);
    });

    it('lets only admins seat members, and never beyond the seats', async () => {
      await call(admin, 'post', '/api/v1/governance/bodies', {
        slug: 'sigcc',
        nameZh: 'SIG 协调委员会',
        nameEn: 'SIG Coordination Committee',
        maxSeats: 2,
      }).expect(201);
      const a = await person();
      const b = await person();
      const c = await person();
      await call(chair, 'post', '/api/v1/governance/bodies/sigcc/members', { username: a.made.user.username }).expect(
        403,
      );
      await call(admin, 'post', '/api/v1/governance/bodies/sigcc/members', {
        username: a.made.user.username,
        office: 'chair',
      }).expect(201);
      const second = await call(admin, 'post', '/api/v1/governance/bodies/sigcc/members', {
        username: b.made.user.username,
      }).expect(201);
      expect(second.body.members).toHaveLength(2);
      const full = await call(admin, 'post', '/api/v1/governance/bodies/sigcc/members', {
        username: c.made.user.username,
      }).expect(409);
      expect(full.body.code).toBe('no_free_seat');
      await call(admin, 'post', '/api/v1/governance/bodies/sigcc/members', { username: a.made.user.username }).expect(
        409,
      );
      const bad = await call(admin, 'post', '/api/v1/governance/bodies/sigcc/members', {
        username: 'nobody-here',
      }).expect(400);
      expect(bad.body.code).toBe('unknown_user');
      // ending a term frees the seat and keeps the history
      const row = second.body.members.find(
        (m: { user: { username: string } }) => m.user.username === b.made.user.username,
      );
      const ended = await call(admin, 'delete', `/api/v1/governance/bodies/sigcc/members/${row.id}`).expect(200);
      expect(ended.body.past.map((m: { user: { username: string } }) => m.user.username)).toContain(
        b.made.user.username,
      );
      await call(admin, 'post', '/api/v1/governance/bodies/sigcc/members', { username: c.made.user.username }).expect(
        201,
      );
      await call(admin, 'post', '/api/v1/governance/bodies', { slug: 'sigcc', nameZh: 'x', nameEn: 'x' }).expect(409);
      await call(admin, 'post', '/api/v1/governance/bodies', { slug: 'Bad Slug', nameZh: 'x', nameEn: 'x' }).expect(
        400,
      );
    });

    it('gives members in term the body roles, and takes voting rights away when a term has ended', async () => {
      const me = await call(chair, 'get', '/api/v1/me').expect(200);
      expect(me.body.roles).toEqual(expect.arrayContaining(['body:toc:member', 'body:toc:chair']));
      const expired = await person();
      await seat(t.ds, 'toc', [[expired.made.user.id, null]], {
        start: new Date(Date.now() - 4 * 365 * 24 * 3600_000),
        end: new Date(Date.now() - 3600_000),
      });
      const id = await propose(t.baseUrl, chair.login, {
        body: 'toc',
        kind: 'motion',
        title: 'Terms end voting rights',
      });
      await call(expired, 'post', '/api/v1/governance/proposals', {
        body: 'toc',
        kind: 'motion',
        title: 'I am no longer in',
      }).expect(403);
      await openVote(t.baseUrl, chair.login, id);
      const p = await call(expired, 'get', `/api/v1/governance/proposals/${id}`).expect(200);
      expect(p.body.eligibleCount).toBe(5);
      expect(p.body.viewer.eligible).toBe(false);
      const res = await call(expired, 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'yes' }).expect(403);
      expect(res.body.code).toBe('not_eligible');
    });
  });

  describe('a roll-call TOC motion', () => {
    let id: number;

    it('goes from draft through discussion to voting, with drafts hidden from outsiders', async () => {
      id = await propose(t.baseUrl, members[0].login, {
        body: 'toc',
        kind: 'motion',
        title: 'Adopt the 2027 release schedule',
        text: 'OC 9.4 in **June**.',
      });
      const draft = await call(members[0], 'get', `/api/v1/governance/proposals/${id}`).expect(200);
      expect(draft.body).toMatchObject({
        status: 'draft',
        method: 'motion',
        ballotMode: 'roll_call',
        rules: { quorumPercent: 50, threshold: 'simple' },
      });
      await call(outsider, 'get', `/api/v1/governance/proposals/${id}`).expect(404);
      await call(null, 'get', `/api/v1/governance/proposals/${id}`).expect(404);
      await call(outsider, 'post', `/api/v1/governance/proposals/${id}/discussion`).expect(404);
      await call(members[0], 'patch', `/api/v1/governance/proposals/${id}`, { rules: { quorumPercent: 60 } }).expect(
        200,
      );
      await call(members[0], 'post', `/api/v1/governance/proposals/${id}/discussion`).expect(200);
      await call(outsider, 'post', `/api/v1/governance/proposals/${id}/comments`, {
        body: 'Please keep 9.2 alive longer.',
      }).expect(201);
      const comments = await call(null, 'get', `/api/v1/governance/proposals/${id}/comments`).expect(200);
      expect(comments.body.items[0]).toMatchObject({ author: { username: outsider.made.user.username } });
      // only officers open the vote, within the rules' window
      await call(members[0], 'post', `/api/v1/governance/proposals/${id}/open`, { hours: 48 }).expect(403);
      const short = await call(chair, 'post', `/api/v1/governance/proposals/${id}/open`, { hours: 2 }).expect(409);
      expect(short.body.code).toBe('window_out_of_bounds');
      const open = await call(secretary, 'post', `/api/v1/governance/proposals/${id}/open`, { hours: 48 }).expect(200);
      expect(open.body).toMatchObject({ status: 'voting', rulesFrozen: true, eligibleCount: 5, votedCount: 0 });
      await call(members[0], 'patch', `/api/v1/governance/proposals/${id}`, { title: 'Changed after opening' }).expect(
        409,
      );
      // the close is already waiting in the outbox for its time
      const job = await t.ds.getRepository(OutboxEntity).findOneByOrFail({
        jobName: 'governance.close',
        jobId: `governance.close.${id}.${new Date(open.body.votingClosesAt).getTime()}`,
      });
      expect(job.availableAt.toISOString()).toBe(open.body.votingClosesAt);
    });

    it('refuses malformed and misplaced ballots with a clear 4xx', async () => {
      const bad = await call(members[0], 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'maybe' }).expect(
        400,
      );
      expect(bad.body.code).toBe('validation_failed');
      const wrong = await call(members[0], 'put', `/api/v1/governance/proposals/${id}/ballot`, {
        ranks: { a: 1 },
      }).expect(400);
      expect(wrong.body.code).toBe('invalid_ballot');
      await call(members[0], 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'yes', extra: 1 }).expect(400);
      await call(outsider, 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'yes' }).expect(403);
      await call(null, 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'yes' }).expect(401);
      await call(members[0], 'put', `/api/v1/governance/proposals/999999/ballot`, { vote: 'yes' }).expect(404);
    });

    it('keeps one ballot per voter when the same voter submits many at once', async () => {
      const votes = ['yes', 'no', 'abstain', 'yes', 'no', 'yes', 'abstain', 'yes'] as const;
      const results = await Promise.all(
        votes.map((vote) => call(members[1], 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote })),
      );
      expect(results.map((r) => r.status)).toEqual(votes.map(() => 200));
      const [{ n }] = await t.ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM gov_ballots WHERE proposal_id = $1`,
        [id],
      );
      expect(n).toBe(1);
      const p = await call(null, 'get', `/api/v1/governance/proposals/${id}`).expect(200);
      expect(p.body.votedCount).toBe(1);
      expect(p.body.rollCall).toHaveLength(1);
      expect(p.body.rollCall[0].voter.username).toBe(members[1].made.user.username);
    });

    it('shows who voted what, lets voters change their mind, and closes early once everyone has voted', async () => {
      await call(members[1], 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'no' }).expect(200);
      for (const [who, vote] of [
        [chair, 'yes'],
        [secretary, 'yes'],
        [members[0], 'yes'],
        [members[1], 'yes'],
      ] as const) {
        const r = await call(who, 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote }).expect(200);
        expect(r.body.closed).toBe(false);
      }
      const mine = await call(members[1], 'get', `/api/v1/governance/proposals/${id}/ballot`).expect(200);
      expect(mine.body.choice).toEqual({ vote: 'yes' });
      await call(null, 'get', `/api/v1/governance/proposals/${id}/result`).expect(404);
      const last = await call(members[2], 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'no' }).expect(
        200,
      );
      expect(last.body.closed).toBe(true);
      const p = await call(null, 'get', `/api/v1/governance/proposals/${id}`).expect(200);
      expect(p.body).toMatchObject({ status: 'closed', outcome: 'passed', votedCount: 5 });
      const result = await call(null, 'get', `/api/v1/governance/proposals/${id}/result`).expect(200);
      expect(result.body.result).toMatchObject({
        outcome: 'passed',
        electorate: 5,
        turnout: 5,
        quorumNeeded: 3,
        quorumMet: true,
        closedBecause: 'all_voted',
        tally: { yes: 4, no: 1, abstain: 0 },
      });
      expect(result.body.result.ballots.map((b: { voter: string }) => b.voter).sort()).toEqual(
        [chair, secretary, ...members].map((x) => x.made.user.username).sort(),
      );
      expect(p.body.resultSha256).toBe(result.body.sha256);
      const sheet = await call(null, 'get', `/api/v1/governance/proposals/${id}/tally.txt`).expect(200);
      expect(sheet.headers['content-type']).toMatch(/^text\/plain/);
      expect(sheet.text).toContain('Adopt the 2027 release schedule');
      expect(sheet.text).toContain(members[2].made.user.username);
    });

    it('refuses a vote after the close and never changes a published result', async () => {
      const late = await call(members[2], 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'yes' }).expect(
        409,
      );
      expect(late.body.code).toBe('voting_closed');
      await expect(t.ds.query(`UPDATE gov_proposals SET outcome = 'failed' WHERE id = $1`, [id])).rejects.toThrow(
        /cannot change/,
      );
      await expect(t.ds.query(`UPDATE gov_proposals SET result = '{}' WHERE id = $1`, [id])).rejects.toThrow(
        /cannot change/,
      );
      await call(chair, 'post', `/api/v1/governance/proposals/${id}/withdraw`).expect(409);
    });

    it('keeps an audit trail whose hash chain verifies, and shows a tampered row', async () => {
      const trail = await call(null, 'get', `/api/v1/governance/proposals/${id}/audit`).expect(200);
      expect(trail.body.chainOk).toBe(true);
      expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining([
          'proposal.created',
          'proposal.discussion',
          'voting.opened',
          'ballot.cast',
          'ballot.changed',
          'voting.closed',
        ]),
      );
      await expect(t.ds.query(`UPDATE gov_audit SET data = '{}' WHERE proposal_id = $1`, [id])).rejects.toThrow(
        /append-only/,
      );
      // someone who gets past the trigger still cannot hide it
      const victim = trail.body.items.find((e: { action: string }) => e.action === 'ballot.cast');
      await t.ds.query(`ALTER TABLE gov_audit DISABLE TRIGGER tr_gov_audit_append_only`);
      // a value no ballot carries: the first ballot cast here races eight votes, so it may already say "no"
      await t.ds.query(`UPDATE gov_audit SET data = '{"vote":"forged"}' WHERE id = $1`, [victim.id]);
      await t.ds.query(`ALTER TABLE gov_audit ENABLE TRIGGER tr_gov_audit_append_only`);
      const after = await call(null, 'get', `/api/v1/governance/proposals/${id}/audit`).expect(200);
      expect(after.body).toMatchObject({ chainOk: false, brokenAt: victim.id });
      // put it back so later tests see a sound chain
      await t.ds.query(`ALTER TABLE gov_audit DISABLE TRIGGER tr_gov_audit_append_only`);
      await t.ds.query(`UPDATE gov_audit SET data = $2::jsonb WHERE id = $1`, [victim.id, JSON.stringify(victim.data)]);
      await t.ds.query(`ALTER TABLE gov_audit ENABLE TRIGGER tr_gov_audit_append_only`);
      expect((await call(null, 'get', `/api/v1/governance/proposals/${id}/audit`).expect(200)).body.chainOk).toBe(true);
    });
  });

  describe('quorum, thresholds and the clock', () => {
    it('closes on time without anyone visiting, and fails for lack of quorum', async () => {
      const id = await propose(t.baseUrl, chair.login, { body: 'toc', kind: 'motion', title: 'A quiet motion' });
      await openVote(t.baseUrl, chair.login, id, 24);
      await call(members[0], 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'yes' }).expect(200);
      expect(await lifecycle().close(id, 'deadline')).toBe(false); // not yet due
      await t.ds.query(`UPDATE gov_proposals SET voting_closes_at = now() - interval '1 second' WHERE id = $1`, [id]);
      const ran = await lifecycle().tick();
      expect(ran.closed).toBe(1);
      const r = await call(null, 'get', `/api/v1/governance/proposals/${id}/result`).expect(200);
      expect(r.body.result).toMatchObject({
        outcome: 'no_quorum',
        quorumNeeded: 3,
        turnout: 1,
        closedBecause: 'deadline',
      });
      expect(await lifecycle().close(id, 'deadline')).toBe(false); // a late duplicate job does nothing
    });

    it('needs two thirds for a charter change', async () => {
      const id = await propose(t.baseUrl, chair.login, { body: 'toc', kind: 'charter', title: 'Amend article 7' });
      const p = await call(chair, 'get', `/api/v1/governance/proposals/${id}`).expect(200);
      expect(p.body.rules).toMatchObject({ threshold: 'two_thirds', quorumPercent: 67 });
      await openVote(t.baseUrl, chair.login, id, 48);
      const votes = ['yes', 'yes', 'yes', 'no', 'no'];
      const voters = [chair, secretary, ...members];
      for (let i = 0; i < voters.length; i++) {
        await call(voters[i], 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: votes[i] }).expect(200);
      }
      const r = await call(null, 'get', `/api/v1/governance/proposals/${id}/result`).expect(200);
      expect(r.body.result).toMatchObject({ outcome: 'failed', tally: { yes: 3, no: 2 } });
    });

    it('lets only the chair extend, within the longest window, and the old close job then does nothing', async () => {
      const id = await propose(t.baseUrl, chair.login, { body: 'toc', kind: 'motion', title: 'Needs more time' });
      await openVote(t.baseUrl, chair.login, id, 24);
      await call(secretary, 'post', `/api/v1/governance/proposals/${id}/extend`, {
        hours: 24,
        reason: 'Holiday week',
      }).expect(403);
      await call(chair, 'post', `/api/v1/governance/proposals/${id}/extend`, { hours: 24 }).expect(400);
      const far = await call(chair, 'post', `/api/v1/governance/proposals/${id}/extend`, {
        hours: 24 * 14,
        reason: 'Far too long',
      }).expect(409);
      expect(far.body.code).toBe('window_out_of_bounds');
      const ok = await call(chair, 'post', `/api/v1/governance/proposals/${id}/extend`, {
        hours: 24,
        reason: 'Holiday week',
      }).expect(200);
      const closes = new Date(ok.body.votingClosesAt).getTime();
      expect(closes - new Date(ok.body.openedAt).getTime()).toBeGreaterThanOrEqual(48 * 3600_000 - 1000);
      // the first close time passes: its job runs and finds the vote still open
      await t.ds.query(`UPDATE gov_proposals SET voting_closes_at = now() + interval '1 hour' WHERE id = $1`, [id]);
      expect(await lifecycle().close(id, 'deadline')).toBe(false);
      const trail = await call(null, 'get', `/api/v1/governance/proposals/${id}/audit`).expect(200);
      expect(trail.body.items.find((e: { action: string }) => e.action === 'voting.extended').data.reason).toBe(
        'Holiday week',
      );
    });

    it('reminds those who have not voted, once, a day before the close', async () => {
      const id = await propose(t.baseUrl, chair.login, { body: 'toc', kind: 'motion', title: 'Remind me' });
      await openVote(t.baseUrl, chair.login, id, 24);
      await call(chair, 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'yes' }).expect(200);
      const count = async (userId: number) =>
        t.ds
          .getRepository(NotificationEntity)
          .count({ where: { userId, kind: 'governance.reminder', link: `/governance/proposals/${id}` } });
      expect(await count(members[0].made.user.id)).toBe(0);
      await lifecycle().tick();
      await lifecycle().tick();
      expect(await count(members[0].made.user.id)).toBe(1);
      expect(await count(chair.made.user.id)).toBe(0);
    });
  });

  describe('a secret election', () => {
    let id: number;
    const secrets = new Map<number, string>();

    it('is ranked, secret and counted by Schulze with None of the above', async () => {
      id = await propose(t.baseUrl, chair.login, {
        body: 'toc',
        kind: 'election',
        title: 'Elect the TOC chair 2027',
        options: [
          { key: 'alice', label: 'Alice' },
          { key: 'bob', label: 'Bob' },
          { key: 'carol', label: 'Carol' },
        ],
        noneOfTheAbove: true,
      });
      const p = await call(chair, 'get', `/api/v1/governance/proposals/${id}`).expect(200);
      expect(p.body).toMatchObject({ method: 'schulze', ballotMode: 'secret', seats: 1 });
      expect(p.body.options.map((o: { key: string }) => o.key)).toEqual(['alice', 'bob', 'carol', 'nota']);
      await call(chair, 'put', `/api/v1/governance/proposals/${id}/ballot`, { ranks: { alice: 1 } }).expect(409);
      await openVote(t.baseUrl, chair.login, id, 72);
      const bad = await call(chair, 'put', `/api/v1/governance/proposals/${id}/ballot`, { ranks: { dave: 1 } }).expect(
        400,
      );
      expect(bad.body.code).toBe('unknown_option');
      await call(chair, 'put', `/api/v1/governance/proposals/${id}/ballot`, { ranks: { alice: 0 } }).expect(400);
      await call(chair, 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'yes' }).expect(400);
    });

    it('gives each voter a receipt only their secret reproduces, and lets them change the ballot', async () => {
      const first = await call(chair, 'put', `/api/v1/governance/proposals/${id}/ballot`, {
        ranks: { bob: 1, alice: 2 },
      }).expect(200);
      expect(first.body.secret).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      expect(first.body.receipt).toBe(receiptFor(first.body.secret, id));
      // changing the ballot with the same secret keeps the receipt
      const again = await call(chair, 'put', `/api/v1/governance/proposals/${id}/ballot`, {
        ranks: { alice: 1, bob: 2, carol: 3 },
        secret: first.body.secret,
      }).expect(200);
      expect(again.body).toMatchObject({ receipt: first.body.receipt, secret: null });
      secrets.set(chair.made.user.id, first.body.secret);
      const check = await call(null, 'post', `/api/v1/governance/proposals/${id}/receipt-check`, {
        secret: first.body.secret,
      }).expect(200);
      expect(check.body).toMatchObject({ receipt: first.body.receipt, counted: true, vote: null });
      const stranger = await call(null, 'post', `/api/v1/governance/proposals/${id}/receipt-check`, {
        secret: 'x'.repeat(24),
      }).expect(200);
      expect(stranger.body.counted).toBe(false);
      const p = await call(null, 'get', `/api/v1/governance/proposals/${id}`).expect(200);
      expect(p.body).toMatchObject({ votedCount: 1, rollCall: [] });
    });

    it('stores nothing that joins a secret ballot to its voter', async () => {
      const rows = await t.ds.query<Record<string, unknown>[]>(`SELECT * FROM gov_ballots WHERE proposal_id = $1`, [
        id,
      ]);
      expect(rows).toHaveLength(1);
      const row = rows[0];
      expect(row.voter_id).toBeNull();
      expect(row.cast_at).toBeNull();
      const columns = await t.ds.query<{ column_name: string }[]>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'gov_ballots' ORDER BY ordinal_position`,
      );
      expect(columns.map((c) => c.column_name)).toEqual([
        'proposal_id',
        'ballot_key',
        'voter_id',
        'receipt',
        'choice',
        'cast_at',
      ]);
      // nothing an attacker with the database alone can compute from the voter's id matches the row
      const uid = chair.made.user.id;
      const guesses = [String(uid), `${id}:${uid}`, `och-ballot:${id}:${uid}`, chair.made.user.username];
      const candidates = guesses.flatMap((g) => [
        createHash('sha256').update(g).digest('hex'),
        createHmac('sha256', '').update(g).digest('hex'),
        createHmac('sha256', t.config.sessionSecret).update(g).digest('hex'),
      ]);
      for (const value of [row.ballot_key, row.receipt]) expect(candidates).not.toContain(String(value).trim());
      // and no other governance table holds the ballot's key or receipt
      const dump =
        JSON.stringify(await t.ds.query(`SELECT * FROM gov_electorate WHERE proposal_id = $1`, [id])) +
        JSON.stringify(await t.ds.query(`SELECT * FROM gov_audit WHERE proposal_id = $1`, [id]));
      expect(dump).not.toContain(String(row.ballot_key).trim());
      expect(dump).not.toContain(String(row.receipt).trim());
    });

    it('publishes the pairwise and strongest-path matrices and an anonymous ballot list with receipts', async () => {
      const voters = [secretary, ...members];
      const rankings = [
        { bob: 1, alice: 2, carol: 3 },
        { alice: 1, carol: 2 },
        { carol: 1, alice: 2, bob: 3 },
        { alice: 1, bob: 1, nota: 2 },
      ];
      for (let i = 0; i < voters.length; i++) {
        const r = await call(voters[i], 'put', `/api/v1/governance/proposals/${id}/ballot`, {
          ranks: rankings[i],
        }).expect(200);
        secrets.set(voters[i].made.user.id, r.body.secret);
      }
      const r = await call(null, 'get', `/api/v1/governance/proposals/${id}/result`).expect(200);
      const result = r.body.result;
      expect(result).toMatchObject({
        outcome: 'passed',
        winners: ['alice'],
        turnout: 5,
        ballotMode: 'secret',
        closedBecause: 'all_voted',
      });
      expect(result.tally.pairwise).toHaveLength(4);
      expect(result.tally.strongest).toHaveLength(4);
      // alice is preferred to bob by 3 ballots, bob to alice by 1
      expect(result.tally.pairwise[0][1]).toBe(3);
      expect(result.tally.pairwise[1][0]).toBe(1);
      for (const b of result.ballots) expect(Object.keys(b).sort()).toEqual(['receipt', 'vote']);
      // every ballot was rewritten with the last one: one transaction id, no trace of who came when
      const [{ n }] = await t.ds.query<{ n: number }[]>(
        `SELECT count(DISTINCT xmin::text)::int AS n FROM gov_ballots WHERE proposal_id = $1`,
        [id],
      );
      expect(n).toBe(1);
      const receipts = result.ballots.map((b: { receipt: string }) => b.receipt);
      expect(receipts).toEqual([...receipts].sort());
      // every voter finds their ballot, as counted
      for (const [, secret] of secrets) {
        const c = await call(null, 'post', `/api/v1/governance/proposals/${id}/receipt-check`, { secret }).expect(200);
        expect(c.body.counted).toBe(true);
        expect(c.body.vote).toMatch(/^[0-9a-z-]{4}$/);
      }
    });
  });

  describe('SIG lifecycle decisions', () => {
    it('turns a SIG proposal into a TOC vote whose outcome activates the SIG', async () => {
      const founders = [outsider, await person(), await person()];
      const res = await call(outsider, 'post', '/api/v1/sigs', {
        slug: 'rust',
        nameZh: 'Rust',
        nameEn: 'Rust',
        description: 'Rust toolchain packaging.',
        founders: founders.map((f) => f.made.user.username),
      }).expect(201);
      expect(res.body.status).toBe('proposed');
      const proposalId = res.body.creationProposalId as number;
      expect(proposalId).toEqual(expect.any(Number));
      const p = await call(null, 'get', `/api/v1/governance/proposals/${proposalId}`).expect(200);
      expect(p.body).toMatchObject({
        kind: 'sig_create',
        status: 'discussion',
        body: 'toc',
        sig: { slug: 'rust', status: 'proposed' },
      });
      await openVote(t.baseUrl, chair.login, proposalId, 48);
      for (const who of [chair, secretary, members[0]]) {
        await call(who, 'put', `/api/v1/governance/proposals/${proposalId}/ballot`, { vote: 'yes' }).expect(200);
      }
      await call(members[1], 'put', `/api/v1/governance/proposals/${proposalId}/ballot`, { vote: 'no' }).expect(200);
      await call(members[2], 'put', `/api/v1/governance/proposals/${proposalId}/ballot`, { vote: 'abstain' }).expect(
        200,
      );
      const sig = await call(null, 'get', '/api/v1/sigs/rust').expect(200);
      expect(sig.body.status).toBe('active');
      const r = await call(null, 'get', `/api/v1/governance/proposals/${proposalId}/result`).expect(200);
      expect(r.body.result.applied).toEqual({ action: 'sig.activate', ok: true });
    });

    it('rejects a SIG the TOC votes down', async () => {
      const founders = [outsider, await person(), await person()];
      const res = await call(outsider, 'post', '/api/v1/sigs', {
        slug: 'cobol',
        nameZh: 'COBOL',
        nameEn: 'COBOL',
        founders: founders.map((f) => f.made.user.username),
      }).expect(201);
      const proposalId = res.body.creationProposalId as number;
      await openVote(t.baseUrl, chair.login, proposalId, 48);
      for (const who of [chair, secretary, ...members]) {
        await call(who, 'put', `/api/v1/governance/proposals/${proposalId}/ballot`, { vote: 'no' }).expect(200);
      }
      const sig = await t.ds.getRepository(SigEntity).findOneByOrFail({ slug: 'cobol' });
      expect(sig.status).toBe('archived');
      expect(sig.approvedAt).toBeNull();
    });

    it('archives a SIG by vote only once its packages have moved, and says so in the result', async () => {
      const sig = await t.ds.getRepository(SigEntity).findOneByOrFail({ slug: 'rust' });
      const pkg = await makePackage(t.ds, sig.id);
      await call(chair, 'post', '/api/v1/governance/proposals', {
        body: 'toc',
        kind: 'sig_archive',
        title: 'Archive nothing',
      }).expect(400);
      const id = await propose(t.baseUrl, chair.login, {
        body: 'toc',
        kind: 'sig_archive',
        title: 'Archive Rust',
        sig: 'rust',
      });
      await openVote(t.baseUrl, chair.login, id, 48);
      for (const who of [chair, secretary, ...members]) {
        await call(who, 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'yes' }).expect(200);
      }
      const r = await call(null, 'get', `/api/v1/governance/proposals/${id}/result`).expect(200);
      expect(r.body.result.outcome).toBe('passed');
      expect(r.body.result.applied).toMatchObject({ action: 'sig.archive', ok: false });
      expect((await t.ds.getRepository(SigEntity).findOneByOrFail({ slug: 'rust' })).status).toBe('active');
      await t.ds.query(`DELETE FROM packages WHERE id = $1`, [pkg.id]);
      const again = await propose(t.baseUrl, chair.login, {
        body: 'toc',
        kind: 'sig_archive',
        title: 'Archive Rust, again',
        sig: 'rust',
      });
      await openVote(t.baseUrl, chair.login, again, 48);
      for (const who of [chair, secretary, ...members]) {
        await call(who, 'put', `/api/v1/governance/proposals/${again}/ballot`, { vote: 'yes' }).expect(200);
      }
      const archived = await t.ds.getRepository(SigEntity).findOneByOrFail({ slug: 'rust' });
      expect(archived).toMatchObject({ status: 'archived', archivalProposalId: again });
    });
  });

  describe('computed electorates and exceptions', () => {
    it('snapshots SIG maintainers when voting opens and lets officers add exceptions until the cut-off', async () => {
      const maintainer = await person();
      const late = await person();
      await t.ds.query(
        `INSERT INTO sigs (slug, name_zh, name_en, status, approved_at) VALUES ('electorate-sig', 'E', 'E', 'active', now())`,
      );
      const [{ id: sigId }] = await t.ds.query<{ id: number }[]>(`SELECT id FROM sigs WHERE slug = 'electorate-sig'`);
      await t.ds.query(`INSERT INTO sig_memberships (sig_id, user_id, role) VALUES ($1, $2, 'maintainer')`, [
        sigId,
        maintainer.made.user.id,
      ]);
      const id = await propose(t.baseUrl, chair.login, {
        body: 'toc',
        kind: 'policy',
        title: 'Maintainers decide the packaging guidelines',
        electorate: 'sig_maintainers',
      });
      await call(chair, 'post', `/api/v1/governance/proposals/${id}/discussion`).expect(200);
      await call(late, 'post', `/api/v1/governance/proposals/${id}/eligibility-requests`, {
        reason: 'I maintain packages upstream.',
      }).expect(201);
      await call(late, 'post', `/api/v1/governance/proposals/${id}/eligibility-requests`, {
        reason: 'Asking twice.',
      }).expect(409);
      await call(late, 'get', `/api/v1/governance/proposals/${id}/eligibility-requests`).expect(403);
      const list = await call(secretary, 'get', `/api/v1/governance/proposals/${id}/eligibility-requests`).expect(200);
      expect(list.body.items).toHaveLength(1);
      await openVote(t.baseUrl, chair.login, id, 48);
      // a maintainer joining after the snapshot does not vote
      const newcomer = await person();
      await t.ds.query(`INSERT INTO sig_memberships (sig_id, user_id, role) VALUES ($1, $2, 'maintainer')`, [
        sigId,
        newcomer.made.user.id,
      ]);
      await call(newcomer, 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'yes' }).expect(403);
      await call(late, 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'yes' }).expect(403);
      await call(
        members[0],
        'post',
        `/api/v1/governance/proposals/${id}/eligibility-requests/${list.body.items[0].id}/approve`,
      ).expect(403);
      await call(
        secretary,
        'post',
        `/api/v1/governance/proposals/${id}/eligibility-requests/${list.body.items[0].id}/approve`,
      ).expect(200);
      await call(late, 'put', `/api/v1/governance/proposals/${id}/ballot`, { vote: 'yes' }).expect(200);
      const p = await call(maintainer, 'get', `/api/v1/governance/proposals/${id}`).expect(200);
      expect(p.body).toMatchObject({ eligibleCount: 2, viewer: { eligible: true } });
      // the newcomer asks after the cut-off
      await t.ds.query(`UPDATE gov_proposals SET exceptions_close_at = now() - interval '1 second' WHERE id = $1`, [
        id,
      ]);
      const closed = await call(newcomer, 'post', `/api/v1/governance/proposals/${id}/eligibility-requests`, {
        reason: 'Please let me vote.',
      }).expect(409);
      expect(closed.body.code).toBe('exceptions_closed');
    });
  });

  describe('body rules and simpler counts', () => {
    it("lets admins set a body's default rules per kind, which new proposals start from", async () => {
      await call(chair, 'put', '/api/v1/governance/bodies/council/rules/policy', { threshold: 'three_to_one' }).expect(
        403,
      );
      const bad = await call(admin, 'put', '/api/v1/governance/bodies/council/rules/policy', {
        minHours: 500,
        maxHours: 100,
      }).expect(400);
      expect(bad.body.code).toBe('invalid_rules');
      await call(admin, 'put', '/api/v1/governance/bodies/council/rules/nonsense', { threshold: 'simple' }).expect(404);
      const set = await call(admin, 'put', '/api/v1/governance/bodies/council/rules/policy', {
        threshold: 'three_to_one',
        quorumPercent: 75,
        ballotMode: 'secret',
      }).expect(200);
      expect(set.body.rules.find((r: { kind: string }) => r.kind === 'policy')).toMatchObject({
        ballotMode: 'secret',
        rules: { threshold: 'three_to_one', quorumPercent: 75, abstentions: 'count_for_quorum' },
      });
      await seat(t.ds, 'council', [[members[0].made.user.id, null]]);
      const id = await propose(t.baseUrl, members[0].login, {
        body: 'council',
        kind: 'policy',
        title: 'Trademark policy',
      });
      const p = await call(members[0], 'get', `/api/v1/governance/proposals/${id}`).expect(200);
      expect(p.body).toMatchObject({ ballotMode: 'secret', rules: { threshold: 'three_to_one', quorumPercent: 75 } });
      const renamed = await call(admin, 'patch', '/api/v1/governance/bodies/council', {
        description: 'Member organisations.',
      }).expect(200);
      expect(renamed.body.description).toBe('Member organisations.');
    });

    it('fills two seats by approval, and one by plurality', async () => {
      const options = [
        { key: 'ann', label: 'Ann' },
        { key: 'ben', label: 'Ben' },
        { key: 'cai', label: 'Cai' },
      ];
      const approval = await propose(t.baseUrl, chair.login, {
        body: 'toc',
        kind: 'election',
        title: 'Two release managers',
        method: 'approval',
        seats: 2,
        options,
      });
      await openVote(t.baseUrl, chair.login, approval, 72);
      const bad = await call(chair, 'put', `/api/v1/governance/proposals/${approval}/ballot`, {
        approve: ['zed'],
      }).expect(400);
      expect(bad.body.code).toBe('unknown_option');
      const approvals = [['ann', 'ben'], ['ann'], ['ben', 'cai'], ['ann', 'cai'], ['ann', 'ben']];
      const voters = [chair, secretary, ...members];
      for (let i = 0; i < voters.length; i++) {
        await call(voters[i], 'put', `/api/v1/governance/proposals/${approval}/ballot`, {
          approve: approvals[i],
        }).expect(200);
      }
      const a = await call(null, 'get', `/api/v1/governance/proposals/${approval}/result`).expect(200);
      expect(a.body.result).toMatchObject({
        outcome: 'passed',
        winners: ['ann', 'ben'],
        tally: { counts: { ann: 4, ben: 3, cai: 2 } },
      });

      const plurality = await propose(t.baseUrl, chair.login, {
        body: 'toc',
        kind: 'election',
        title: 'Mascot',
        method: 'plurality',
        options,
      });
      await openVote(t.baseUrl, chair.login, plurality, 72);
      const picks = ['cai', 'cai', 'ben', 'ann', 'cai'];
      for (let i = 0; i < voters.length; i++) {
        await call(voters[i], 'put', `/api/v1/governance/proposals/${plurality}/ballot`, { pick: picks[i] }).expect(
          200,
        );
      }
      const r = await call(null, 'get', `/api/v1/governance/proposals/${plurality}/result`).expect(200);
      expect(r.body.result).toMatchObject({ winners: ['cai'], tally: { counts: { ann: 1, ben: 1, cai: 3 } } });
      const sheet = await call(null, 'get', `/api/v1/governance/proposals/${plurality}/tally.txt`).expect(200);
      expect(sheet.text).toMatch(/cai/);
    });

    it('refuses elections without options, motions with options, and SIG creation by hand', async () => {
      const a = await call(chair, 'post', '/api/v1/governance/proposals', {
        body: 'toc',
        kind: 'election',
        title: 'No options',
      }).expect(400);
      expect(a.body.code).toBe('options_required');
      const b = await call(chair, 'post', '/api/v1/governance/proposals', {
        body: 'toc',
        kind: 'motion',
        title: 'With options',
        options: [
          { key: 'a', label: 'A' },
          { key: 'b', label: 'B' },
        ],
      }).expect(400);
      expect(b.body.code).toBe('options_not_allowed');
      const c = await call(chair, 'post', '/api/v1/governance/proposals', {
        body: 'toc',
        kind: 'sig_create',
        title: 'A SIG',
      }).expect(400);
      expect(c.body.code).toBe('use_sig_proposal');
      const d = await call(chair, 'post', '/api/v1/governance/proposals', {
        body: 'toc',
        kind: 'election',
        title: 'Duplicate keys',
        options: [
          { key: 'a', label: 'A' },
          { key: 'a', label: 'B' },
        ],
      }).expect(400);
      expect(d.body.code).toBe('duplicate_option');
      await call(chair, 'post', '/api/v1/governance/proposals', {
        body: 'nope',
        kind: 'motion',
        title: 'Nowhere',
      }).expect(404);
    });
  });
});
