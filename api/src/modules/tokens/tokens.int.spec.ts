import { ApiTokenEntity } from './api-token.entity';
import { login, makeUser } from '../../testing/factories';
import { startTestApp, TestApp } from '../../testing/test-app';
import { AuditEntryEntity } from '../audit/audit-entry.entity';

describe('personal API tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the secret once, stores only its hash, and accepts it as a Bearer token', async () => {
    const { user } = await makeUser(t.ds);
    const s = await login(t.baseUrl, user.username);
    const created = await t
      .http()
      .post('/api/v1/me/tokens')
      .set('cookie', s.cookie)
      .set('x-csrf-token', s.csrf)
      .send({ name: 'python-bugzilla', expiresInDays: 30 })
      .expect(201);
    const secret = created.body.token as string;
    expect(secret).toMatch(/^och_[0-9A-Za-z]{40}$/);
    expect(created.body.prefix).toBe(secret.slice(0, 12));

    const row = await t.ds.getRepository(ApiTokenEntity).findOneByOrFail({ id: created.body.id });
    expect(row.tokenHash).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret.slice(12));

    const list = await t.http().get('/api/v1/me/tokens').set('cookie', s.cookie).expect(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).not.toHaveProperty('token');

    const me = await t.http().get('/api/v1/me').set('authorization', `Bearer ${secret}`).expect(200);
    expect(me.body.username).toBe(user.username);
    // Bugzilla clients send the key in this header
    await t.http().get('/api/v1/me').set('x-bugzilla-api-key', secret).expect(200);
    // tokens are not subject to CSRF (browsers never send them on their own)
    await t.http().patch('/api/v1/me').set('authorization', `Bearer ${secret}`).send({ locale: 'zh-CN' }).expect(200);
  });

  it('stops accepting a token the moment it is revoked, and audits both events', async () => {
    const { user } = await makeUser(t.ds);
    const s = await login(t.baseUrl, user.username);
    const created = await t
      .http()
      .post('/api/v1/me/tokens')
      .set('cookie', s.cookie)
      .set('x-csrf-token', s.csrf)
      .send({ name: 'ci' })
      .expect(201);
    await t
      .http()
      .delete(`/api/v1/me/tokens/${created.body.id}`)
      .set('cookie', s.cookie)
      .set('x-csrf-token', s.csrf)
      .expect(204);
    const res = await t.http().get('/api/v1/me').set('authorization', `Bearer ${created.body.token}`).expect(401);
    expect(res.body.detail).toMatch(/revoked/);
    const actions = (await t.ds.getRepository(AuditEntryEntity).findBy({ actorId: user.id })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['token.create', 'token.revoke']));
    const list = await t.http().get('/api/v1/me/tokens').set('cookie', s.cookie).expect(200);
    expect(list.body).toHaveLength(0);
  });

  it("cannot see or revoke another user's token", async () => {
    const a = await makeUser(t.ds);
    const b = await makeUser(t.ds);
    const sa = await login(t.baseUrl, a.user.username);
    const sb = await login(t.baseUrl, b.user.username);
    const created = await t
      .http()
      .post('/api/v1/me/tokens')
      .set('cookie', sa.cookie)
      .set('x-csrf-token', sa.csrf)
      .send({ name: 'mine' })
      .expect(201);
    await t
      .http()
      .delete(`/api/v1/me/tokens/${created.body.id}`)
      .set('cookie', sb.cookie)
      .set('x-csrf-token', sb.csrf)
      .expect(404);
    const listB = await t.http().get('/api/v1/me/tokens').set('cookie', sb.cookie).expect(200);
    expect(listB.body).toEqual([]);
    await t.http().get('/api/v1/me').set('authorization', `Bearer ${created.body.token}`).expect(200);
  });

  it('rejects malformed ids, names and expiries with 4xx', async () => {
    const { user } = await makeUser(t.ds);
    const s = await login(t.baseUrl, user.username);
    const auth = (r: import('supertest').Test) => r.set('cookie', s.cookie).set('x-csrf-token', s.csrf);
    await auth(t.http().delete('/api/v1/me/tokens/abc')).expect(404);
    await auth(t.http().delete('/api/v1/me/tokens/99999999999')).expect(404);
    const r1 = await auth(t.http().post('/api/v1/me/tokens')).send({ name: '' }).expect(400);
    expect(r1.body.errors[0].field).toBe('name');
    await auth(t.http().post('/api/v1/me/tokens')).send({ name: 'x', expiresInDays: 0 }).expect(400);
    await auth(t.http().post('/api/v1/me/tokens')).send({ name: 'x', expiresInDays: '5' }).expect(400);
  });

  it('treats a malformed or unknown bearer token as an error, not as anonymous', async () => {
    await t.http().get('/api/health/live').set('authorization', 'Bearer nope').expect(401);
    await t.http().get('/api/v1/me').set('authorization', 'Basic Zm9vOmJhcg==').expect(401);
    await t
      .http()
      .get('/api/v1/me')
      .set('authorization', `Bearer och_${'a'.repeat(40)}`)
      .expect(401);
  });
});
