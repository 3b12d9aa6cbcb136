import { makeBugProducts, fileBug, queuedMails } from '../../testing/bugs';
import { login, Login, makeUser, MadeUser } from '../../testing/factories';
import { seat } from '../../testing/governance';
import { as } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { sha256Hex } from '../../common/crypto';
import { GovLifecycleService } from '../governance/gov-lifecycle.service';
import { NotificationEntity } from '../notifications/notification.entity';
import { DEFAULT_CLA } from './default-cla';

interface Person {
  made: MadeUser;
  login: Login;
}

describe('the join path: CLA, first good bugs and notification settings', () => {
  let t: TestApp;
  let newcomer: Person;
  let other: Person;
  const call = (who: Person | null, method: Parameters<typeof as>[2], path: string, body?: object) =>
    as(t.baseUrl, who?.login ?? null, method, path, body);
  const person = async (opts: Parameters<typeof makeUser>[1] = {}): Promise<Person> => {
    const made = await makeUser(t.ds, opts);
    return { made, login: await login(t.baseUrl, made.user.username) };
  };

  beforeAll(async () => {
    t = await startTestApp({ CLA_VERSION: '2.1', FIRST_BUG_KEYWORDS: 'good-first-bug, EasyFix' });
    newcomer = await person();
    other = await person();
    await t.ds.query(`UPDATE users SET gitee_login = 'NewComer-1' WHERE id = $1`, [newcomer.made.user.id]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the agreement in force with its version and hash, to anyone', async () => {
    const res = await call(null, 'get', '/api/v1/cla').expect(200);
    expect(res.body).toEqual({ version: '2.1', sha256: sha256Hex(DEFAULT_CLA), text: DEFAULT_CLA });
  });

  it('records a signature of exactly the text read, once, and refuses a stale or half-hearted one', async () => {
    const { sha256 } = (await call(null, 'get', '/api/v1/cla')).body as { sha256: string };
    await call(null, 'post', '/api/v1/me/cla', { version: '2.1', sha256, fullName: 'Li Ming', agree: true }).expect(
      401,
    );
    const before = await call(newcomer, 'get', '/api/v1/me/cla').expect(200);
    expect(before.body).toMatchObject({ version: '2.1', signed: false, signature: null });
    const bad = await call(newcomer, 'post', '/api/v1/me/cla', { version: '2.1', sha256, fullName: 'L', agree: false });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['agree', 'fullName']);
    const stale = await call(newcomer, 'post', '/api/v1/me/cla', {
      version: '2.0',
      sha256,
      fullName: 'Li Ming',
      agree: true,
    }).expect(409);
    expect(stale.body.code).toBe('cla_changed');
    await call(newcomer, 'post', '/api/v1/me/cla', {
      version: '2.1',
      sha256: 'a'.repeat(64),
      fullName: 'Li Ming',
      agree: true,
    }).expect(409);
    const signed = await call(newcomer, 'post', '/api/v1/me/cla', {
      version: '2.1',
      sha256,
      fullName: ' Li Ming ',
      agree: true,
    }).expect(200);
    expect(signed.body).toMatchObject({ signed: true, signature: { version: '2.1', sha256, fullName: 'Li Ming' } });
    // signing again changes nothing
    await call(newcomer, 'post', '/api/v1/me/cla', { version: '2.1', sha256, fullName: 'Li Ming', agree: true }).expect(
      200,
    );
    const rows = await t.ds.query(`SELECT * FROM cla_signatures WHERE user_id = $1`, [newcomer.made.user.id]);
    expect(rows).toHaveLength(1);
    const audit = await t.ds.query(`SELECT * FROM audit_log WHERE action = 'cla.sign' AND actor_id = $1`, [
      newcomer.made.user.id,
    ]);
    expect(audit).toHaveLength(1);
  });

  it('asks again when the version in force is newer than the one signed', async () => {
    await t.ds.query(
      `INSERT INTO cla_signatures (user_id, version, text_sha256, full_name) VALUES ($1, '1.0', $2, 'Old Signer')`,
      [other.made.user.id, sha256Hex('an older text')],
    );
    const res = await call(other, 'get', '/api/v1/me/cla').expect(200);
    expect(res.body).toMatchObject({ signed: false, signature: { version: '1.0', fullName: 'Old Signer' } });
    const pub = await call(null, 'get', `/api/v1/cla/status?username=${other.made.user.username}`).expect(200);
    expect(pub.body.signed).toBe(false);
  });

  it('tells a CI bot whether a Gitee login signed, and nothing more', async () => {
    const res = await call(null, 'get', '/api/v1/cla/status?gitee=newcomer-1').expect(200);
    expect(res.body).toEqual({
      gitee: 'newcomer-1',
      signed: true,
      version: '2.1',
      signUrl: 'http://127.0.0.1:3000/join',
    });
    const unknown = await call(null, 'get', '/api/v1/cla/status?gitee=nobody-here').expect(200);
    expect(unknown.body).toMatchObject({ signed: false });
    expect(JSON.stringify(res.body)).not.toContain(newcomer.made.user.email);
    expect((await call(null, 'get', '/api/v1/cla/status')).status).toBe(400);
    expect((await call(null, 'get', '/api/v1/cla/status?gitee=a&username=bcd')).status).toBe(400);
    expect((await call(null, 'get', `/api/v1/cla/status?gitee=${encodeURIComponent("x' OR 1=1")}`)).status).toBe(400);
  });

  it('lists open public bugs with a first-good-bug keyword, and no others', async () => {
    await makeBugProducts(t.ds);
    const reporter = await person();
    const good = await fileBug(t.baseUrl, reporter.login, {
      component: 'General',
      summary: 'Typo in the installer welcome screen',
      keywords: ['easyfix'],
    });
    const hidden = await fileBug(t.baseUrl, reporter.login, {
      component: 'General',
      summary: 'Private first bug',
      keywords: ['good-first-bug'],
      isPrivate: true,
    });
    const plain = await fileBug(t.baseUrl, reporter.login, { component: 'General', summary: 'No keyword' });
    const done = await fileBug(t.baseUrl, reporter.login, {
      component: 'General',
      summary: 'Already fixed',
      keywords: ['good-first-bug'],
    });
    await t.ds.query(`UPDATE bugs SET status = 'RESOLVED', resolution = 'FIXED' WHERE id = $1`, [done]);
    const res = await call(reporter, 'get', '/api/v1/join/first-bugs').expect(200);
    expect(res.body.keywords).toEqual(['good-first-bug', 'easyfix']);
    const ids = res.body.items.map((b: { id: number }) => b.id);
    expect(ids).toEqual([good]);
    expect(ids).not.toContain(hidden);
    expect(ids).not.toContain(plain);
    expect(res.body.items[0]).toMatchObject({ summary: 'Typo in the installer welcome screen', component: 'General' });
    await call(null, 'get', '/api/v1/join/first-bugs?limit=0').expect(400);
  });

  it('lets people choose how they hear about governance, and the senders honour it', async () => {
    const res = await call(other, 'get', '/api/v1/me/notification-settings').expect(200);
    expect(res.body.settings).toContainEqual({ category: 'governance_votes', mode: 'email' });
    await call(other, 'put', '/api/v1/me/notification-settings', {
      settings: [{ category: 'governance_votes', mode: 'loud' }],
    }).expect(400);
    await call(other, 'put', '/api/v1/me/notification-settings', {
      settings: [{ category: 'bugs', mode: 'off' }],
    }).expect(400);
    const saved = await call(other, 'put', '/api/v1/me/notification-settings', {
      settings: [
        { category: 'governance_votes', mode: 'off' },
        { category: 'governance_reminders', mode: 'web' },
      ],
    }).expect(200);
    expect(saved.body.settings).toContainEqual({ category: 'governance_votes', mode: 'off' });
    expect(saved.body.settings).toContainEqual({ category: 'governance_reminders', mode: 'web' });
    expect(saved.body.settings).toContainEqual({ category: 'programme', mode: 'email' });

    // a real sender: opening a vote notifies the electorate
    const chair = await person();
    await seat(t.ds, 'toc', [
      [chair.made.user.id, 'chair'],
      [other.made.user.id, null],
    ]);
    const created = await call(chair, 'post', '/api/v1/governance/proposals', {
      body: 'toc',
      kind: 'motion',
      title: 'Adopt the join path',
    }).expect(201);
    await call(chair, 'post', `/api/v1/governance/proposals/${created.body.id}/open`, { hours: 48 }).expect(200);
    const opened = (uid: number) =>
      t.ds.getRepository(NotificationEntity).countBy({ userId: uid, kind: 'governance.voting_open' });
    expect(await opened(chair.made.user.id)).toBe(1);
    expect(await opened(other.made.user.id)).toBe(0);
    expect((await queuedMails(t.ds, chair.made.user.email)).length).toBeGreaterThan(0);
    expect(await queuedMails(t.ds, other.made.user.email)).toHaveLength(0);

    // reminders: in the app only
    await t.ds.query(`UPDATE gov_proposals SET voting_closes_at = now() + interval '2 hours' WHERE id = $1`, [
      created.body.id,
    ]);
    await t.app.get(GovLifecycleService).tick();
    expect(
      await t.ds.getRepository(NotificationEntity).countBy({ userId: other.made.user.id, kind: 'governance.reminder' }),
    ).toBe(1);
    expect(await queuedMails(t.ds, other.made.user.email)).toHaveLength(0);
  });
});
