import { OutboxEntity } from '../../queue/outbox.entity';
import { login, makeUser, TEST_PASSWORD } from '../../testing/factories';
import { startTestApp, TestApp } from '../../testing/test-app';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { UserEntity } from '../users/user.entity';

/** The link mailed for a token, read back from the outbox row the request wrote. */
async function mailedToken(t: TestApp, to: string, path: string): Promise<string> {
  const rows = await t.ds.getRepository(OutboxEntity).find({ where: { jobName: 'mail.send' }, order: { id: 'DESC' } });
  const row = rows.find(
    (r) => (r.payload as { to: string }).to === to && (r.payload as { text: string }).text.includes(path),
  );
  if (!row) throw new Error(`no ${path} mail to ${to}`);
  const m = /token=([A-Za-z0-9_-]+)/.exec((row.payload as { text: string }).text);
  return m![1];
}

describe('accounts and sessions (real PostgreSQL and Redis)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers, mails a verification link through the outbox, verifies once, then logs in', async () => {
    const reg = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'Mei@Example.test', username: 'mei', password: 'a long enough secret', locale: 'zh-CN' })
      .expect(201);
    expect(reg.body).toEqual({ id: expect.any(Number), username: 'mei', email: 'Mei@Example.test' });

    // unverified accounts cannot log in yet
    const early = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ login: 'mei', password: 'a long enough secret' })
      .expect(403);
    expect(early.body.code).toBe('email_not_verified');

    const token = await mailedToken(t, 'Mei@Example.test', '/verify-email');
    const outbox = await t.ds.getRepository(OutboxEntity).findOneByOrFail({ jobName: 'mail.send' });
    expect((outbox.payload as { subject: string }).subject).toContain('确认'); // the user's locale picks the language

    await t.http().post('/api/v1/auth/verify-email').send({ token }).expect(200, { verified: true });
    const again = await t.http().post('/api/v1/auth/verify-email').send({ token }).expect(400);
    expect(again.body.code).toBe('invalid_token');

    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ login: 'MEI@example.test', password: 'a long enough secret' })
      .expect(200);
    expect(res.body.user).toMatchObject({ username: 'mei', emailVerified: true, locale: 'zh-CN', roles: [] });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'])[0];
    expect(cookie).toMatch(/^och_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // PUBLIC_URL is http here
  });

  it('refuses duplicate usernames and e-mails regardless of case, with the field named', async () => {
    await makeUser(t.ds, { username: 'taken', email: 'taken@example.test' });
    const u = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'new@example.test', username: 'TAKEN'.toLowerCase(), password: 'x'.repeat(12) })
      .expect(409);
    expect(u.body).toMatchObject({ status: 409, code: 'username_taken', errors: [{ field: 'username' }] });
    const e = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'TAKEN@example.test', username: 'fresh1', password: 'x'.repeat(12) })
      .expect(409);
    expect(e.body.code).toBe('email_taken');
    expect(await t.ds.getRepository(UserEntity).countBy({ username: 'fresh1' })).toBe(0);
  });

  it('answers bad input with problem+json listing every bad field and unknown property', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'not-an-email', username: '1x', password: 'short', isAdmin: true })
      .expect(400)
      .expect('content-type', /application\/problem\+json/);
    expect(res.body.code).toBe('validation_failed');
    const fields = (res.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(['email', 'isAdmin', 'password', 'username']);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts/); // no stack trace
  });

  it('answers malformed JSON, oversized bodies and unknown routes with 4xx problems', async () => {
    const bad = await t
      .http()
      .post('/api/v1/auth/register')
      .set('content-type', 'application/json')
      .send('{"email":')
      .expect(400);
    expect(bad.body.status).toBe(400);
    const big = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'a@b.c', username: 'big', password: 'x'.repeat(2_000_000) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('payload_too_large');
    const missing = await t.http().get('/api/v1/nope').expect(404);
    expect(missing.body.code).toBe('not_found');
  });

  it('rejects a wrong password without saying whether the user exists, and audits the failure', async () => {
    const { user } = await makeUser(t.ds);
    const wrong = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ login: user.username, password: 'wrong password!' })
      .expect(401);
    const nobody = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ login: 'nobody-here', password: 'wrong password!' })
      .expect(401);
    expect(wrong.body.detail).toBe(nobody.body.detail);
    const entries = await t.ds
      .getRepository(AuditEntryEntity)
      .findBy({ action: 'auth.login_failed', actorId: user.id });
    expect(entries).toHaveLength(1);
    expect(entries[0].ip).toBe('127.0.0.1');
  });

  it('validates the login body before passport runs', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ login: 42 }).expect(400);
    expect((res.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual(['login', 'password']);
  });

  it('requires the CSRF token for unsafe requests made with the session cookie', async () => {
    const { user } = await makeUser(t.ds);
    const s = await login(t.baseUrl, user.username);
    const none = await t.http().patch('/api/v1/me').set('cookie', s.cookie).send({ displayName: 'X' }).expect(403);
    expect(none.body.code).toBe('csrf_failed');
    await t
      .http()
      .patch('/api/v1/me')
      .set('cookie', s.cookie)
      .set('x-csrf-token', 'A'.repeat(43))
      .send({ displayName: 'X' })
      .expect(403);
    const ok = await t
      .http()
      .patch('/api/v1/me')
      .set('cookie', s.cookie)
      .set('x-csrf-token', s.csrf)
      .send({ displayName: '  Mei Lin ' })
      .expect(200);
    expect(ok.body.displayName).toBe('Mei Lin');
    // reads need no token
    await t.http().get('/api/v1/me').set('cookie', s.cookie).expect(200);
  });

  it('refuses cross-site posts to login and registration', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .set('origin', 'https://evil.example')
      .send({ login: 'x', password: 'y' })
      .expect(403);
    expect(res.body.code).toBe('csrf_failed');
    await t
      .http()
      .post('/api/v1/auth/login')
      .set('origin', 'http://127.0.0.1:3000')
      .send({ login: 'x', password: 'yyyy' })
      .expect(401);
  });

  it('reports the session and logs out, after which the cookie is dead', async () => {
    const { user } = await makeUser(t.ds);
    const s = await login(t.baseUrl, user.username);
    const session = await t.http().get('/api/v1/auth/session').set('cookie', s.cookie).expect(200);
    expect(session.body).toMatchObject({ user: { username: user.username }, csrfToken: s.csrf });
    await t.http().post('/api/v1/auth/logout').set('cookie', s.cookie).set('x-csrf-token', s.csrf).expect(204);
    await t.http().get('/api/v1/me').set('cookie', s.cookie).expect(401);
    const anon = await t.http().get('/api/v1/auth/session').expect(200);
    expect(anon.body).toEqual({ user: null, csrfToken: null });
  });

  it('resets a forgotten password by mail, ending every session, without revealing unknown e-mails', async () => {
    const { user } = await makeUser(t.ds);
    const s = await login(t.baseUrl, user.username);
    await t.http().post('/api/v1/auth/password/forgot').send({ email: 'nobody@example.test' }).expect(202);
    await t.http().post('/api/v1/auth/password/forgot').send({ email: user.email.toUpperCase() }).expect(202);
    const token = await mailedToken(t, user.email, '/reset-password');
    await t.http().post('/api/v1/auth/password/reset').send({ token, password: 'short' }).expect(400);
    await t.http().post('/api/v1/auth/password/reset').send({ token, password: 'a brand new password' }).expect(204);
    await t.http().post('/api/v1/auth/password/reset').send({ token, password: 'another new password' }).expect(400);
    await t.http().get('/api/v1/me').set('cookie', s.cookie).expect(401);
    await t.http().post('/api/v1/auth/login').send({ login: user.username, password: TEST_PASSWORD }).expect(401);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ login: user.username, password: 'a brand new password' })
      .expect(200);
  });

  it('changes the password only with the current one and keeps the current session', async () => {
    const { user } = await makeUser(t.ds);
    const s = await login(t.baseUrl, user.username);
    const other = await login(t.baseUrl, user.username);
    const wrong = await t
      .http()
      .post('/api/v1/me/password')
      .set('cookie', s.cookie)
      .set('x-csrf-token', s.csrf)
      .send({ currentPassword: 'nope nope nope', newPassword: 'the next password' })
      .expect(400);
    expect(wrong.body.code).toBe('wrong_password');
    await t
      .http()
      .post('/api/v1/me/password')
      .set('cookie', s.cookie)
      .set('x-csrf-token', s.csrf)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'the next password' })
      .expect(204);
    await t.http().get('/api/v1/me').set('cookie', s.cookie).expect(200);
    await t.http().get('/api/v1/me').set('cookie', other.cookie).expect(401);
  });

  it('keeps the audit log append-only in the database itself', async () => {
    await expect(t.ds.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    expect(await t.ds.getRepository(AuditEntryEntity).count()).toBeGreaterThan(0);
  });
});

describe('rate limiting of login (Redis-backed)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ THROTTLE_AUTH_LIMIT: '3', THROTTLE_AUTH_TTL_SECONDS: '60' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 with Retry-After after the configured number of attempts', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.http().post('/api/v1/auth/login').send({ login: 'someone', password: 'guess guess' });
      codes.push(res.status);
      if (res.status === 429) {
        expect(res.body.code).toBe('rate_limited');
        expect(res.headers['retry-after']).toBeDefined();
      }
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    // the in-process web app calls from loopback on behalf of visitors: each visitor has their own budget
    const visitor = await t
      .http()
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', '203.0.113.7')
      .send({ login: 'someone', password: 'guess guess' });
    expect(visitor.status).toBe(401);
    // other routes are not limited by it
    await t.http().get('/api/health/live').expect(200);
  });
});
