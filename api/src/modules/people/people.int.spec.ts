import { fileBug, makeBugProducts } from '../../testing/bugs';
import { login, makeUser } from '../../testing/factories';
import { openVote, propose, seat } from '../../testing/governance';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';

describe("a person's public page", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BALLOT_KEY: 'people-ballot-key-0123456789abcdef' });
    await makeBugProducts(t.ds);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows SIGs, seats, public bugs and comments and roll-call votes, and never the e-mail or a secret vote', async () => {
    const alice = await makeUser(t.ds, { username: 'alice-p' });
    const other = await makeUser(t.ds);
    const a = await login(t.baseUrl, alice.user.username);
    const o = await login(t.baseUrl, other.user.username);
    const sig = await makeSig(t.ds, { slug: 'kernel', members: [[alice.user.id, 'maintainer']] });
    await makePackage(t.ds, sig.id, 'kernel');
    const publicBug = await fileBug(t.baseUrl, a, { component: 'kernel', summary: 'Public panic' });
    await fileBug(t.baseUrl, a, { component: 'kernel', summary: 'Secret escape', isPrivate: true });
    await as(t.baseUrl, a, 'post', `/api/v1/bugs/${publicBug}/comments`, { body: 'Still happens on 9.2.' }).expect(201);
    await seat(t.ds, 'toc', [
      [alice.user.id, 'secretary'],
      [other.user.id, 'chair'],
    ]);
    const motion = await propose(t.baseUrl, o, { body: 'toc', kind: 'motion', title: 'Roll-call motion' });
    await openVote(t.baseUrl, o, motion);
    await as(t.baseUrl, a, 'put', `/api/v1/governance/proposals/${motion}/ballot`, { vote: 'no' }).expect(200);
    const election = await propose(t.baseUrl, o, {
      body: 'toc',
      kind: 'election',
      title: 'Secret election',
      options: [
        { key: 'x', label: 'X' },
        { key: 'y', label: 'Y' },
      ],
    });
    await openVote(t.baseUrl, o, election, 96);
    await as(t.baseUrl, a, 'put', `/api/v1/governance/proposals/${election}/ballot`, { ranks: { y: 1 } }).expect(200);

    const page = await t.http().get('/api/v1/people/alice-p').expect(200);
    expect(page.body).toMatchObject({
      username: 'alice-p',
      sigs: [{ slug: 'kernel', role: 'maintainer' }],
      seats: [{ body: 'toc', office: 'secretary' }],
      bugs: [{ id: publicBug, summary: 'Public panic' }],
      comments: [{ bugId: publicBug, excerpt: 'Still happens on 9.2.' }],
      votes: [{ proposalId: motion, title: 'Roll-call motion', vote: 'no' }],
    });
    expect(JSON.stringify(page.body)).not.toContain(alice.user.email);
    // the reporter sees their own private bug on their page
    const own = await as(t.baseUrl, a, 'get', '/api/v1/people/alice-p').expect(200);
    expect(own.body.bugs.map((b: { summary: string }) => b.summary)).toEqual(['Secret escape', 'Public panic']);
  });

  it('shows the linked Gitee login (never its account id) and whether the CLA in force is signed', async () => {
    const bo = await makeUser(t.ds, { username: 'bo-gitee' });
    await t.ds.query(`UPDATE users SET gitee_id = 987654321, gitee_login = 'bo-on-gitee' WHERE id = $1`, [bo.user.id]);
    const before = await t.http().get('/api/v1/people/bo-gitee').expect(200);
    expect(before.body).toMatchObject({ gitee: 'bo-on-gitee', claSigned: false });
    expect(JSON.stringify(before.body)).not.toContain('987654321');
    const b = await login(t.baseUrl, bo.user.username);
    const cla = (await t.http().get('/api/v1/cla').expect(200)).body as { version: string; sha256: string };
    await as(t.baseUrl, b, 'post', '/api/v1/me/cla', {
      ...cla,
      text: undefined,
      fullName: 'Bo Li',
      agree: true,
    }).expect(200);
    expect((await t.http().get('/api/v1/people/bo-gitee').expect(200)).body.claSigned).toBe(true);
  });

  it('answers 404 for unknown and disabled people and for malformed names', async () => {
    await t.http().get('/api/v1/people/nobody-here').expect(404);
    const gone = await makeUser(t.ds);
    await t.ds.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [gone.user.id]);
    await t.http().get(`/api/v1/people/${gone.user.username}`).expect(404);
    await t.http().get('/api/v1/people/%3Cscript%3E').expect(404);
  });
});
