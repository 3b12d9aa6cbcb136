import request from 'supertest';
import { FakeGitee } from '../../testing/fake-gitee';
import { login, makeUser } from '../../testing/factories';
import { startTestApp, TestApp } from '../../testing/test-app';
import { UserEntity } from '../users/user.entity';

function cookiesOf(res: request.Response): string[] {
  return ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
}

/** Walks the browser's redirects: our start → Gitee authorize → our callback. */
async function giteeDance(
  t: TestApp,
  sessionCookie?: string,
): Promise<{ callback: request.Response; cookies: string[] }> {
  let start = t.http().get('/api/v1/auth/gitee');
  if (sessionCookie) start = start.set('cookie', sessionCookie);
  const started = await start.expect(302);
  const authorizeUrl = started.headers.location;
  const stateCookie = cookiesOf(started).find((c) => c.startsWith('och_oauth_state='));
  expect(stateCookie).toBeDefined();
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const back = new URL(consent.headers.get('location')!);
  const callback = await t
    .http()
    .get(back.pathname + back.search)
    .set('cookie', [stateCookie!, ...(sessionCookie ? [sessionCookie] : [])].join('; '));
  return { callback, cookies: cookiesOf(callback) };
}

describe('login with Gitee (OAuth2 against a fake Gitee)', () => {
  let t: TestApp;
  let gitee: FakeGitee;

  beforeAll(async () => {
    gitee = await new FakeGitee().start();
    t = await startTestApp({
      GITEE_BASE_URL: gitee.url,
      GITEE_CLIENT_ID: gitee.clientId,
      GITEE_CLIENT_SECRET: gitee.clientSecret,
    });
  });
  afterAll(async () => {
    await t.close();
    await gitee.stop();
  });

  it('advertises the provider and sends the browser to Gitee with a state', async () => {
    await t.http().get('/api/v1/auth/providers').expect(200, { gitee: true });
    const res = await t.http().get('/api/v1/auth/gitee').expect(302);
    const target = new URL(res.headers.location);
    expect(target.origin + target.pathname).toBe(`${gitee.url}/oauth/authorize`);
    expect(target.searchParams.get('client_id')).toBe(gitee.clientId);
    expect(target.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:3000/api/v1/auth/gitee/callback');
    expect(target.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('creates an account on first login and logs the same account in next time', async () => {
    gitee.nextUser = { id: 4242, login: 'Kernel_Hacker', name: '内核黑客', email: 'kh@example.test' };
    const first = await giteeDance(t);
    expect(first.callback.status).toBe(303);
    expect(first.callback.headers.location).toBe('/profile');
    const session = first.cookies.find((c) => c.startsWith('och_session='))!;
    const me = await t.http().get('/api/v1/me').set('cookie', session).expect(200);
    expect(me.body).toMatchObject({
      username: 'kernel_hacker',
      gitee: { login: 'Kernel_Hacker' },
      displayName: '内核黑客',
      emailVerified: true,
    });

    const second = await giteeDance(t);
    const again = await t
      .http()
      .get('/api/v1/me')
      .set(
        'cookie',
        second.cookies.find((c) => c.startsWith('och_session='))!,
      )
      .expect(200);
    expect(again.body.id).toBe(me.body.id);
    expect(await t.ds.getRepository(UserEntity).countBy({ giteeId: '4242' })).toBe(1);
  });

  it('links Gitee to the logged-in account, and refuses a Gitee account linked elsewhere', async () => {
    const { user } = await makeUser(t.ds);
    const s = await login(t.baseUrl, user.username);
    gitee.nextUser = { id: 5151, login: 'linker', name: 'L', email: null };
    const linked = await giteeDance(t, s.cookie);
    expect(linked.callback.headers.location).toBe('/profile?linked=gitee');
    const me = await t.http().get('/api/v1/me').set('cookie', s.cookie).expect(200);
    expect(me.body.gitee).toEqual({ login: 'linker' });

    const other = await makeUser(t.ds);
    const so = await login(t.baseUrl, other.user.username);
    const refused = await giteeDance(t, so.cookie);
    expect(refused.callback.headers.location).toBe('/profile?error=gitee_in_use');

    await t.http().delete('/api/v1/me/gitee').set('cookie', s.cookie).set('x-csrf-token', s.csrf).expect(204);
    expect((await t.http().get('/api/v1/me').set('cookie', s.cookie)).body.gitee).toBeNull();
  });

  it('does not take over an existing account that has the same e-mail', async () => {
    const { user } = await makeUser(t.ds, { email: 'same@example.test' });
    gitee.nextUser = { id: 7777, login: 'sameperson', name: 'S', email: 'same@example.test' };
    const res = await giteeDance(t);
    expect(res.callback.headers.location).toBe('/login?error=gitee_email_in_use');
    expect(res.cookies.some((c) => c.startsWith('och_session='))).toBe(false);
    expect((await t.ds.getRepository(UserEntity).findOneByOrFail({ id: user.id })).giteeId).toBeNull();
  });

  it('rejects a callback whose state does not match, and a denied consent', async () => {
    const forged = await t.http().get('/api/v1/auth/gitee/callback?code=abc&state=forged').expect(303);
    expect(forged.headers.location).toBe('/login?error=gitee_failed');
    gitee.deny = true;
    try {
      const denied = await giteeDance(t);
      expect(denied.callback.headers.location).toBe('/login?error=gitee_failed');
    } finally {
      gitee.deny = false;
    }
  });
});

describe('Gitee login when not configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is hidden and its routes answer 404', async () => {
    await t.http().get('/api/v1/auth/providers').expect(200, { gitee: false });
    await t.http().get('/api/v1/auth/gitee').expect(404);
  });
});
