import { login, makeUser } from '../../testing/factories';
import { makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { SigMembershipEntity } from './sig-membership.entity';

const DAY = 86400_000;

describe('membership expiry and self-renewal', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function memberExpiringIn(days: number | null) {
    const { user } = await makeUser(t.ds);
    const sig = await makeSig(t.ds, { members: [[user.id, 'member']] });
    const repo = t.ds.getRepository(SigMembershipEntity);
    await repo.update(
      { sigId: sig.id, userId: user.id },
      { expiresAt: days === null ? null : new Date(Date.now() + days * DAY), expiryWarnedAt: new Date() },
    );
    return { user, sig, session: await login(t.baseUrl, user.username) };
  }

  it('lets a member renew in the last 30 days, extending from the current end and clearing the warning', async () => {
    const { sig, session, user } = await memberExpiringIn(5);
    const page = await t.http().get(`/api/v1/sigs/${sig.slug}`).set('cookie', session.cookie).expect(200);
    expect(page.body.viewer).toMatchObject({ role: 'member', canRenew: true });
    expect(page.body.viewer.membershipExpiresAt).not.toBeNull();
    const before = await t.ds.getRepository(SigMembershipEntity).findOneByOrFail({ sigId: sig.id, userId: user.id });
    const res = await t
      .http()
      .post(`/api/v1/sigs/${sig.slug}/renew`)
      .set('cookie', session.cookie)
      .set('x-csrf-token', session.csrf)
      .expect(200);
    const after = await t.ds.getRepository(SigMembershipEntity).findOneByOrFail({ sigId: sig.id, userId: user.id });
    expect(after.expiresAt!.getTime() - before.expiresAt!.getTime()).toBe(365 * DAY);
    expect(new Date(res.body.expiresAt as string).getTime()).toBe(after.expiresAt!.getTime());
    expect(after.expiryWarnedAt).toBeNull();
    const activity = await t.http().get(`/api/v1/sigs/${sig.slug}/activity`).expect(200);
    expect(activity.body.items[0].kind).toBe('member.renewed');
  });

  it('refuses to renew too early or a membership that never expires', async () => {
    const early = await memberExpiringIn(90);
    const page = await t.http().get(`/api/v1/sigs/${early.sig.slug}`).set('cookie', early.session.cookie).expect(200);
    expect(page.body.viewer.canRenew).toBe(false);
    const r1 = await t
      .http()
      .post(`/api/v1/sigs/${early.sig.slug}/renew`)
      .set('cookie', early.session.cookie)
      .set('x-csrf-token', early.session.csrf)
      .expect(409);
    expect(r1.body.code).toBe('too_early_to_renew');
    const forever = await memberExpiringIn(null);
    const r2 = await t
      .http()
      .post(`/api/v1/sigs/${forever.sig.slug}/renew`)
      .set('cookie', forever.session.cookie)
      .set('x-csrf-token', forever.session.csrf)
      .expect(409);
    expect(r2.body.code).toBe('does_not_expire');
  });

  it('answers 404 to someone who is not a member', async () => {
    const { sig } = await memberExpiringIn(3);
    const stranger = await makeUser(t.ds);
    const s = await login(t.baseUrl, stranger.user.username);
    await t
      .http()
      .post(`/api/v1/sigs/${sig.slug}/renew`)
      .set('cookie', s.cookie)
      .set('x-csrf-token', s.csrf)
      .expect(404);
  });
});
