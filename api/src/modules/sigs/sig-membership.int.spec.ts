import { NotificationEntity } from '../notifications/notification.entity';
import { login, Login, makeUser } from '../../testing/factories';
import { as, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { SigMembershipEntity } from './sig-membership.entity';
import type { SigEntity } from './sig.entity';

describe('SIG membership: join requests, invites, roles and the last lead', () => {
  let t: TestApp;
  const call = (who: Login | null, method: Parameters<typeof as>[2], path: string, body?: object) =>
    as(t.baseUrl, who, method, path, body);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** A SIG with two leads and a maintainer, all logged in. */
  async function team() {
    const [l1, l2, mt] = await Promise.all([makeUser(t.ds), makeUser(t.ds), makeUser(t.ds)]);
    const sig = await makeSig(t.ds, {
      members: [
        [l1.user.id, 'lead'],
        [l2.user.id, 'lead'],
        [mt.user.id, 'maintainer'],
      ],
    });
    return {
      sig,
      l1,
      l2,
      mt,
      s1: await login(t.baseUrl, l1.user.username),
      s2: await login(t.baseUrl, l2.user.username),
      sm: await login(t.baseUrl, mt.user.username),
    };
  }

  const members = (sig: SigEntity) => t.ds.getRepository(SigMembershipEntity).find({ where: { sigId: sig.id } });

  it('takes one pending join request per user, which a maintainer approves and the requester hears about', async () => {
    const { sig, mt, sm, l1 } = await team();
    const joiner = await makeUser(t.ds);
    const sj = await login(t.baseUrl, joiner.user.username);
    const r = await call(sj, 'post', `/api/v1/sigs/${sig.slug}/join-requests`, { message: 'I package Rust.' }).expect(
      201,
    );
    expect(r.body).toMatchObject({ status: 'pending', message: 'I package Rust.', user: { id: joiner.user.id } });
    const again = await call(sj, 'post', `/api/v1/sigs/${sig.slug}/join-requests`, {}).expect(409);
    expect(again.body.code).toBe('join_request_pending');
    // leads and maintainers are told in the app
    expect(await t.ds.getRepository(NotificationEntity).countBy({ userId: l1.user.id, kind: 'sig.join_request' })).toBe(
      1,
    );

    // the requester cannot see the queue; the maintainer can
    await call(sj, 'get', `/api/v1/sigs/${sig.slug}/join-requests`).expect(403);
    const queue = await call(sm, 'get', `/api/v1/sigs/${sig.slug}/join-requests`).expect(200);
    expect(queue.body.items.map((x: { id: number }) => x.id)).toEqual([r.body.id]);

    await call(sj, 'post', `/api/v1/sigs/${sig.slug}/join-requests/${r.body.id}/approve`, {}).expect(403);
    const ok = await call(sm, 'post', `/api/v1/sigs/${sig.slug}/join-requests/${r.body.id}/approve`, {
      note: 'Welcome!',
    }).expect(200);
    expect(ok.body).toMatchObject({ status: 'approved', decidedBy: mt.user.username, decisionNote: 'Welcome!' });
    const note = await t.ds
      .getRepository(NotificationEntity)
      .findOneByOrFail({ userId: joiner.user.id, kind: 'sig.join_approved' });
    expect(note.link).toBe(`/sigs/${sig.slug}`);
    const detail = await call(sj, 'get', `/api/v1/sigs/${sig.slug}`).expect(200);
    expect(detail.body.viewer).toMatchObject({ role: 'member', canManage: false, canDecide: false });
    await call(sj, 'post', `/api/v1/sigs/${sig.slug}/join-requests`, {}).expect(409);
  });

  it('lets the requester withdraw, and a lead decline, with no membership made', async () => {
    const { sig, s1 } = await team();
    const a = await login(t.baseUrl, (await makeUser(t.ds)).user.username);
    const b = await login(t.baseUrl, (await makeUser(t.ds)).user.username);
    const ra = await call(a, 'post', `/api/v1/sigs/${sig.slug}/join-requests`, {}).expect(201);
    const rb = await call(b, 'post', `/api/v1/sigs/${sig.slug}/join-requests`, {}).expect(201);
    await call(b, 'post', `/api/v1/sigs/${sig.slug}/join-requests/${ra.body.id}/withdraw`).expect(404);
    await call(a, 'post', `/api/v1/sigs/${sig.slug}/join-requests/${ra.body.id}/withdraw`).expect(200);
    await call(s1, 'post', `/api/v1/sigs/${sig.slug}/join-requests/${ra.body.id}/approve`, {}).expect(409);
    const d = await call(s1, 'post', `/api/v1/sigs/${sig.slug}/join-requests/${rb.body.id}/decline`, {}).expect(200);
    expect(d.body.status).toBe('declined');
    expect(await members(sig)).toHaveLength(3);
    // a new request is possible after a decision
    await call(b, 'post', `/api/v1/sigs/${sig.slug}/join-requests`, {}).expect(201);
  });

  it('makes exactly one membership when two leads approve the same request at the same moment', async () => {
    const { sig, s1, s2 } = await team();
    const sj = await login(t.baseUrl, (await makeUser(t.ds)).user.username);
    const r = await call(sj, 'post', `/api/v1/sigs/${sig.slug}/join-requests`, {}).expect(201);
    const path = `/api/v1/sigs/${sig.slug}/join-requests/${r.body.id}/approve`;
    const results = await Promise.all([call(s1, 'post', path, {}), call(s2, 'post', path, {})]);
    expect(results.map((x) => x.status).sort()).toEqual([200, 409]);
    expect(results.find((x) => x.status === 409)!.body.code).toBe('request_not_pending');
    expect(await members(sig)).toHaveLength(4);
    expect(await t.ds.getRepository(AuditEntryEntity).countBy({ action: 'sig.join_approve', targetId: sig.slug })).toBe(
      1,
    );
  });

  it('keeps the last lead from leaving, even when both leads try to leave at once', async () => {
    const { sig, s1, s2 } = await team();
    const results = await Promise.all([
      call(s1, 'post', `/api/v1/sigs/${sig.slug}/leave`),
      call(s2, 'post', `/api/v1/sigs/${sig.slug}/leave`),
    ]);
    expect(results.map((x) => x.status).sort()).toEqual([204, 409]);
    expect(results.find((x) => x.status === 409)!.body.code).toBe('last_lead');
    const left = await members(sig);
    expect(left.filter((m) => m.role === 'lead')).toHaveLength(1);
  });

  it('keeps the last lead from being removed or demoted, even by two leads removing each other at once', async () => {
    const { sig, l1, l2, s1, s2, sm } = await team();
    const results = await Promise.all([
      call(s1, 'delete', `/api/v1/sigs/${sig.slug}/members/${l2.user.username}`),
      call(s2, 'delete', `/api/v1/sigs/${sig.slug}/members/${l1.user.username}`),
    ]);
    // the second one either finds its actor no longer a lead (403) or the target the last lead (409)
    expect(results.map((x) => x.status).sort()).toEqual([204, expect.any(Number)]);
    expect([403, 409]).toContain(results.find((x) => x.status !== 204)!.status);
    const leads = (await members(sig)).filter((m) => m.role === 'lead');
    expect(leads).toHaveLength(1);
    const remaining = leads[0].userId === l1.user.id ? { u: l1, s: s1 } : { u: l2, s: s2 };
    const demote = await call(remaining.s, 'patch', `/api/v1/sigs/${sig.slug}/members/${remaining.u.user.username}`, {
      role: 'member',
    }).expect(409);
    expect(demote.body.code).toBe('last_lead');
    await call(remaining.s, 'delete', `/api/v1/sigs/${sig.slug}/members/${remaining.u.user.username}`).expect(409);
    // maintainers cannot remove anyone
    await call(sm, 'delete', `/api/v1/sigs/${sig.slug}/members/${remaining.u.user.username}`).expect(403);
  });

  it('lets a lead promote a maintainer to lead, after which the old lead may leave', async () => {
    const { sig, mt, s1, s2, sm } = await team();
    await call(s2, 'post', `/api/v1/sigs/${sig.slug}/leave`).expect(204);
    const res = await call(s1, 'patch', `/api/v1/sigs/${sig.slug}/members/${mt.user.username}`, {
      role: 'lead',
    }).expect(200);
    expect(res.body).toMatchObject({ username: mt.user.username, role: 'lead', expiresAt: null });
    await call(s1, 'post', `/api/v1/sigs/${sig.slug}/leave`).expect(204);
    await call(sm, 'post', `/api/v1/sigs/${sig.slug}/leave`).expect(409);
    await call(s1, 'post', `/api/v1/sigs/${sig.slug}/leave`).expect(404);
    const changed = await t.ds.getRepository(AuditEntryEntity).findOneByOrFail({ action: 'sig.member_role_change' });
    expect(changed.details).toMatchObject({ userId: mt.user.id, from: 'maintainer', to: 'lead' });
    const bad = await call(sm, 'patch', `/api/v1/sigs/${sig.slug}/members/${mt.user.username}`, {
      role: 'king',
      expiresAt: 'tomorrow',
    }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['expiresAt', 'role']);
  });

  it('sends invites that only the invitee can accept, within the inviter’s powers', async () => {
    const { sig, sm, s1 } = await team();
    const guest = await makeUser(t.ds);
    const sg = await login(t.baseUrl, guest.user.username);
    const stranger = await login(t.baseUrl, (await makeUser(t.ds)).user.username);
    const tooHigh = await call(sm, 'post', `/api/v1/sigs/${sig.slug}/invites`, {
      username: guest.user.username,
      role: 'lead',
    }).expect(403);
    expect(tooHigh.body.code).toBe('sig_forbidden');
    await call(stranger, 'post', `/api/v1/sigs/${sig.slug}/invites`, { username: guest.user.username }).expect(403);
    const unknown = await call(sm, 'post', `/api/v1/sigs/${sig.slug}/invites`, { username: 'ghost-user' }).expect(400);
    expect(unknown.body.errors[0].field).toBe('username');
    const inv = await call(sm, 'post', `/api/v1/sigs/${sig.slug}/invites`, {
      username: guest.user.username,
      role: 'committer',
      message: 'Join us',
    }).expect(201);
    expect(inv.body).toMatchObject({ status: 'pending', role: 'committer', user: { username: guest.user.username } });
    await call(s1, 'post', `/api/v1/sigs/${sig.slug}/invites`, { username: guest.user.username }).expect(409);
    const pending = await call(s1, 'get', `/api/v1/sigs/${sig.slug}/invites`).expect(200);
    expect(pending.body.items).toHaveLength(1);
    const seen = await call(sg, 'get', `/api/v1/sigs/${sig.slug}`).expect(200);
    expect(seen.body.viewer.pendingInviteId).toBe(inv.body.id);

    await call(stranger, 'post', `/api/v1/sigs/${sig.slug}/invites/${inv.body.id}/accept`).expect(404);
    const acc = await call(sg, 'post', `/api/v1/sigs/${sig.slug}/invites/${inv.body.id}/accept`).expect(200);
    expect(acc.body.status).toBe('accepted');
    await call(sg, 'post', `/api/v1/sigs/${sig.slug}/invites/${inv.body.id}/accept`).expect(409);
    const m = await t.ds.getRepository(SigMembershipEntity).findOneByOrFail({ sigId: sig.id, userId: guest.user.id });
    expect(m.role).toBe('committer');

    // revoking
    const other = await makeUser(t.ds);
    const inv2 = await call(s1, 'post', `/api/v1/sigs/${sig.slug}/invites`, {
      username: other.user.username,
      role: 'maintainer',
    }).expect(201);
    await call(sg, 'delete', `/api/v1/sigs/${sig.slug}/invites/${inv2.body.id}`).expect(403);
    await call(s1, 'delete', `/api/v1/sigs/${sig.slug}/invites/${inv2.body.id}`).expect(204);
    const so = await login(t.baseUrl, other.user.username);
    await call(so, 'post', `/api/v1/sigs/${sig.slug}/invites/${inv2.body.id}/accept`).expect(409);
  });

  it('lists members by role with keyset pages and ignores expired memberships', async () => {
    const { sig, l1 } = await team();
    const expired = await makeUser(t.ds);
    await t.ds
      .getRepository(SigMembershipEntity)
      .insert({ sigId: sig.id, userId: expired.user.id, role: 'member', expiresAt: new Date(Date.now() - 1000) });
    const all = await call(null, 'get', `/api/v1/sigs/${sig.slug}/members?limit=2`).expect(200);
    expect(all.body.items).toHaveLength(2);
    const rest = await call(
      null,
      'get',
      `/api/v1/sigs/${sig.slug}/members?limit=2&cursor=${all.body.nextCursor}`,
    ).expect(200);
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
    const leads = await call(null, 'get', `/api/v1/sigs/${sig.slug}/members?role=lead`).expect(200);
    expect(leads.body.items.map((x: { id: number }) => x.id)).toContain(l1.user.id);
    // an expired member can ask to join again; approval replaces the old row
    const se = await login(t.baseUrl, expired.user.username);
    const r = await call(se, 'post', `/api/v1/sigs/${sig.slug}/join-requests`, {}).expect(201);
    const s1 = await login(t.baseUrl, l1.user.username);
    await call(s1, 'post', `/api/v1/sigs/${sig.slug}/join-requests/${r.body.id}/approve`, {}).expect(200);
    const row = await t.ds
      .getRepository(SigMembershipEntity)
      .findOneByOrFail({ sigId: sig.id, userId: expired.user.id });
    expect(row.expiresAt).toBeNull();
  });
});
