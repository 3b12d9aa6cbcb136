import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../common/crypto';
import { login, makeUser } from '../../testing/factories';
import { seat } from '../../testing/governance';
import { as } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { ApiTokenEntity } from '../tokens/api-token.entity';
import { UserEntity } from '../users/user.entity';
import { parseDebianTally } from './tally';

/**
 * The 339 ballots of the Debian Project Leader election 2020, published by the Debian secretary
 * (https://www.debian.org/vote/2020/vote_001_tally.txt, fixtures/debian-leader2020.tally.txt), cast
 * one by one through the API by 339 voters, must reproduce the published outcome: Jonathan Carter
 * elected, every candidate ahead of None Of The Above.
 */
describe('a real Condorcet election replayed through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BALLOT_KEY: 'debian-replay-ballot-key-0123456789' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('elects Jonathan Carter with the published pairwise counts', async () => {
    const keys = ['carter', 'chandran', 'gupta', 'nota'];
    const text = readFileSync(join(__dirname, 'tally', 'fixtures', 'debian-leader2020.tally.txt'), 'utf8');
    const ballots = parseDebianTally(text, keys);
    expect(ballots).toHaveLength(339);

    const admin = await makeUser(t.ds, { roles: ['admin'] });
    const sa = await login(t.baseUrl, admin.user.username);
    await as(t.baseUrl, sa, 'post', '/api/v1/governance/bodies', {
      slug: 'debian',
      nameZh: 'Debian 开发者',
      nameEn: 'Debian developers',
    }).expect(201);
    // 339 developers with an API token each, written straight to the database (logging in 339
    // times over HTTP would only measure argon2)
    const prefix = randomBytes(3).toString('hex');
    const inserted = await t.ds.getRepository(UserEntity).insert(
      ballots.map((_, i) => ({
        username: `dd${prefix}${i}`,
        email: `dd${prefix}${i}@debian.example`,
        emailVerifiedAt: new Date(),
      })),
    );
    const ids = inserted.identifiers.map((r) => (r as { id: number }).id);
    const tokens = ids.map(() => `och_${randomBytes(20).toString('hex')}`);
    await t.ds.getRepository(ApiTokenEntity).insert(
      ids.map((userId, i) => ({
        userId,
        name: 'vote',
        prefix: tokens[i].slice(0, 12),
        tokenHash: sha256Hex(tokens[i]),
      })),
    );
    await seat(t.ds, 'debian', [[admin.user.id, 'chair']]);
    await seat(
      t.ds,
      'debian',
      ids.map((id): [number, null] => [id, null]),
    );

    const created = await as(t.baseUrl, sa, 'post', '/api/v1/governance/proposals', {
      body: 'debian',
      kind: 'election',
      title: 'Debian Project Leader Election 2020',
      options: [
        { key: 'carter', label: 'Jonathan Carter' },
        { key: 'chandran', label: 'Sruthi Chandran' },
        { key: 'gupta', label: 'Brian Gupta' },
      ],
      noneOfTheAbove: true,
    }).expect(201);
    const id = created.body.id as number;
    await as(t.baseUrl, sa, 'post', `/api/v1/governance/proposals/${id}/open`, { hours: 336 }).expect(200);

    // ten voters at a time, as a real close-of-poll rush would
    const cast = async (i: number) => {
      const ranks = Object.fromEntries(
        ballots[i].flatMap((rank, j) => (rank === null ? [] : [[keys[j], rank] as [string, number]])),
      );
      const res = await t
        .http()
        .put(`/api/v1/governance/proposals/${id}/ballot`)
        .set('authorization', `Bearer ${tokens[i]}`)
        .send({ ranks });
      return res.status;
    };
    for (let i = 0; i < ballots.length; i += 10) {
      const batch = ballots.slice(i, i + 10).map((_, k) => cast(i + k));
      expect(new Set(await Promise.all(batch))).toEqual(new Set([200]));
    }
    // the admin, also eligible, never votes: the chair closes by deadline as Debian's secretary does
    await t.ds.query(`UPDATE gov_proposals SET voting_closes_at = now() WHERE id = $1`, [id]);
    const { GovLifecycleService } = await import('./gov-lifecycle.service');
    expect(await t.app.get(GovLifecycleService).close(id, 'deadline')).toBe(true);

    const res = await t.http().get(`/api/v1/governance/proposals/${id}/result`).expect(200);
    const result = res.body.result;
    expect(result).toMatchObject({ outcome: 'passed', winners: ['carter'], turnout: 339, electorate: 340 });
    expect(result.tally.order).toEqual(['carter', 'chandran', 'gupta', 'nota']);
    expect(result.tally.pairwise).toEqual([
      [0, 258, 281, 301],
      [57, 0, 163, 244],
      [40, 114, 0, 194],
      [34, 76, 125, 0],
    ]);
    // the published ballot list carries the same votes, in Debian's notation
    const published = (result.ballots as { vote: string }[]).map((b) => b.vote).sort();
    const given = text
      .split(/\r?\n/)
      .map((l) => /^V:\s*(\S+)/.exec(l)?.[1])
      .filter((v): v is string => !!v)
      .sort();
    expect(published).toEqual(given);
  });
});
