import { fileBug, makeBugProducts } from '../../testing/bugs';
import { login, makeUser } from '../../testing/factories';
import { openVote, propose, seat } from '../../testing/governance';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';

describe('the portal: live numbers and the decisions feed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BALLOT_KEY: 'portal-ballot-key-0123456789abcdef' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts packages, active SIGs, open public bugs and open votes, and lists closed votes in Atom', async () => {
    await makeBugProducts(t.ds);
    const empty = await t.http().get('/api/v1/portal/stats').expect(200);
    expect(empty.body).toMatchObject({
      packages: 0,
      sigs: 0,
      openBugs: 0,
      openVotes: 0,
      upToDateMirrors: 0,
      decisions: [],
    });

    const sig = await makeSig(t.ds, { slug: 'kernel' });
    await makeSig(t.ds, { slug: 'gone', status: 'archived' });
    await makePackage(t.ds, sig.id, 'kernel');
    await makePackage(t.ds, sig.id, 'kernel-tools');
    const u = await makeUser(t.ds);
    const who = await login(t.baseUrl, u.user.username);
    await fileBug(t.baseUrl, who, { component: 'kernel' });
    await fileBug(t.baseUrl, who, { component: 'kernel', isPrivate: true });
    await seat(t.ds, 'toc', [[u.user.id, 'chair']]);
    const open = await propose(t.baseUrl, who, { body: 'toc', kind: 'motion', title: 'Still voting' });
    await openVote(t.baseUrl, who, open);
    const done = await propose(t.baseUrl, who, { body: 'toc', kind: 'motion', title: 'Adopt <rpmlint> & friends' });
    await openVote(t.baseUrl, who, done);
    await as(t.baseUrl, who, 'put', `/api/v1/governance/proposals/${done}/ballot`, { vote: 'yes' }).expect(200);

    const stats = await t.http().get('/api/v1/portal/stats').expect(200);
    expect(stats.body).toMatchObject({ packages: 2, sigs: 1, openBugs: 1, openVotes: 1 });
    const mirror = (name: string, status: string, bucket: string) =>
      t.ds.query(
        `INSERT INTO mirrors (name, sponsor, country, continent, bandwidth_mbps, contact_email, https_url, status, bucket)
         VALUES ($1, 'Sponsor', 'CN', 'AS', 1000, 'ops@example.test', $2, $3, $4)`,
        [name, `https://${name}.example.test`, status, bucket],
      );
    await mirror('fresh', 'active', 'up-to-date');
    await mirror('behind', 'active', '1d');
    await mirror('off', 'disabled', 'up-to-date');
    expect((await t.http().get('/api/v1/portal/stats').expect(200)).body.upToDateMirrors).toBe(1);
    expect(stats.body.decisions).toEqual([
      expect.objectContaining({ id: done, title: 'Adopt <rpmlint> & friends', outcome: 'passed', body: 'toc' }),
    ]);

    const feed = await t.http().get('/api/v1/governance/decisions.atom').expect(200);
    expect(feed.headers['content-type']).toMatch(/^application\/atom\+xml/);
    expect(feed.text).toContain('<title>[TOC] Adopt &lt;rpmlint&gt; &amp; friends: Passed</title>');
    expect(feed.text).toContain(`/governance/proposals/${done}</id>`);
    expect(feed.text).not.toContain('Still voting');
  });
});
