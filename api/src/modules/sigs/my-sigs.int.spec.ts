import { login, makeUser } from '../../testing/factories';
import { makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';

describe('my SIGs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the SIGs I belong to, leads first, and nobody else’s', async () => {
    const me = await makeUser(t.ds);
    const other = await makeUser(t.ds);
    await makeSig(t.ds, { slug: 'zz-testing', members: [[me.user.id, 'member']] });
    await makeSig(t.ds, {
      slug: 'kernel-x',
      members: [
        [me.user.id, 'lead'],
        [other.user.id, 'member'],
      ],
    });
    await makeSig(t.ds, { slug: 'not-mine', members: [[other.user.id, 'lead']] });
    const s = await login(t.baseUrl, me.user.username);
    const res = await t.http().get('/api/v1/me/sigs').set('cookie', s.cookie).expect(200);
    expect(res.body.map((r: { slug: string; role: string }) => [r.slug, r.role])).toEqual([
      ['kernel-x', 'lead'],
      ['zz-testing', 'member'],
    ]);
    expect(res.body[0]).toMatchObject({ nameEn: 'kernel-x SIG', status: 'active', expiresAt: null });
  });

  it('needs a login', async () => {
    await t.http().get('/api/v1/me/sigs').expect(401);
  });
});
