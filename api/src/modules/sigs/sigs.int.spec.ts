import { OutboxEntity } from '../../queue/outbox.entity';
import { login, Login, makeUser, MadeUser } from '../../testing/factories';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { SigMembershipEntity } from './sig-membership.entity';

describe('SIGs: creation, proposals, lifecycle and listing', () => {
  let t: TestApp;
  let admin: MadeUser;
  let sa: Login;
  const call = (who: Login | null, method: Parameters<typeof as>[2], path: string, body?: object) =>
    as(t.baseUrl, who, method, path, body);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await makeUser(t.ds, { roles: ['admin'] });
    sa = await login(t.baseUrl, admin.user.username);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets an admin create an active SIG whose leads and maintainers come from the founders', async () => {
    const lead = await makeUser(t.ds);
    const other = await makeUser(t.ds);
    const res = await call(sa, 'post', '/api/v1/sigs', {
      slug: 'kernel',
      nameZh: '内核',
      nameEn: 'Kernel',
      description: '# Kernel SIG\n\nMaintains the **kernel** package.',
      mailingList: 'sig-kernel@lists.opencloudos.org',
      meetingCadence: 'biweekly',
      meetingUrl: 'https://meeting.tencent.com/kernel',
      subProjects: ['kernel', 'kernel-tools'],
      founders: [lead.user.username, other.user.username],
      leads: [lead.user.username],
    }).expect(201);
    expect(res.body).toMatchObject({
      slug: 'kernel',
      status: 'active',
      memberCount: 2,
      packageCount: 0,
      openBugCount: 0,
      meetingCadence: 'biweekly',
      subProjects: ['kernel', 'kernel-tools'],
      memberCounts: { lead: 1, maintainer: 1, committer: 0, member: 0, total: 2 },
      viewer: { role: null, canManage: true, canGovern: true },
    });
    expect(res.body.approvedAt).not.toBeNull();
    expect(res.body.leads.map((l: { username: string }) => l.username)).toEqual([lead.user.username]);
    expect(res.body.membersByRole.maintainer[0].username).toBe(other.user.username);
    expect(res.body.recentActivity[0]).toMatchObject({ kind: 'sig.created', actor: admin.user.username });

    const dup = await call(sa, 'post', '/api/v1/sigs', { slug: 'kernel', nameZh: 'x', nameEn: 'x' }).expect(409);
    expect(dup.body.code).toBe('slug_taken');

    // the lead's roles now include the SIG role and the ones below it
    const sl = await login(t.baseUrl, lead.user.username);
    const me = await call(sl, 'get', '/api/v1/me').expect(200);
    expect(me.body.roles).toEqual(
      expect.arrayContaining(['sig:kernel:lead', 'sig:kernel:maintainer', 'sig:kernel:member']),
    );
  });

  it('takes a proposal from any member only with three founders, and the TOC activates it', async () => {
    const proposer = await makeUser(t.ds);
    const f2 = await makeUser(t.ds);
    const f3 = await makeUser(t.ds);
    const sp = await login(t.baseUrl, proposer.user.username);
    const body = { slug: 'riscv', nameZh: 'RISC-V 适配', nameEn: 'RISC-V', founders: [f2.user.username] };
    const few = await call(sp, 'post', '/api/v1/sigs', body).expect(400);
    expect(few.body).toMatchObject({ code: 'too_few_founders', errors: [{ field: 'founders' }] });
    const unknown = await call(sp, 'post', '/api/v1/sigs', {
      ...body,
      founders: [f2.user.username, 'nobody-here'],
    }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'unknown_user', errors: [{ field: 'founders' }] });

    const ok = await call(sp, 'post', '/api/v1/sigs', {
      ...body,
      founders: [f2.user.username, f3.user.username],
    }).expect(201);
    expect(ok.body).toMatchObject({ status: 'proposed', approvedAt: null, memberCounts: { lead: 1, maintainer: 2 } });
    expect(ok.body.leads[0].username).toBe(proposer.user.username);

    // proposed SIGs do not take join requests and only the TOC may activate them
    const outsider = await login(t.baseUrl, (await makeUser(t.ds)).user.username);
    await call(outsider, 'post', '/api/v1/sigs/riscv/join-requests', {}).expect(409);
    await call(sp, 'post', '/api/v1/sigs/riscv/activate').expect(403);
    await call(null, 'post', '/api/v1/sigs/riscv/activate').expect(401);
    const toc = await makeUser(t.ds, { roles: ['toc'] });
    const st = await login(t.baseUrl, toc.user.username);
    const active = await call(st, 'post', '/api/v1/sigs/riscv/activate').expect(200);
    expect(active.body.status).toBe('active');
    expect(active.body.approvedAt).not.toBeNull();
    await call(st, 'post', '/api/v1/sigs/riscv/activate').expect(409);

    const audit = await t.ds.getRepository(AuditEntryEntity).findOneByOrFail({ action: 'sig.activate' });
    expect(audit).toMatchObject({ actorId: toc.user.id, targetType: 'sig', targetId: 'riscv' });
  });

  it('lets leads edit the SIG but keeps the TOC liaison to admins and the TOC', async () => {
    const lead = await makeUser(t.ds);
    const member = await makeUser(t.ds);
    const sig = await makeSig(t.ds, {
      members: [
        [lead.user.id, 'lead'],
        [member.user.id, 'member'],
      ],
    });
    const sl = await login(t.baseUrl, lead.user.username);
    const sm = await login(t.baseUrl, member.user.username);
    const res = await call(sl, 'patch', `/api/v1/sigs/${sig.slug}`, {
      nameEn: 'Renamed',
      chat: 'WeChat group OpenCloudOS-Kernel',
      meetingCadence: null,
    }).expect(200);
    expect(res.body).toMatchObject({
      nameEn: 'Renamed',
      chat: 'WeChat group OpenCloudOS-Kernel',
      meetingCadence: null,
    });
    expect(res.body.recentActivity[0]).toMatchObject({ kind: 'sig.updated', details: { fields: ['nameEn', 'chat'] } });
    await call(sm, 'patch', `/api/v1/sigs/${sig.slug}`, { nameEn: 'Mine' }).expect(403);
    const liaison = await call(sl, 'patch', `/api/v1/sigs/${sig.slug}`, { tocLiaison: lead.user.username }).expect(403);
    expect(liaison.body.code).toBe('toc_only');
    const byAdmin = await call(sa, 'patch', `/api/v1/sigs/${sig.slug}`, { tocLiaison: admin.user.username }).expect(
      200,
    );
    expect(byAdmin.body.tocLiaison.username).toBe(admin.user.username);
    const bad = await call(sl, 'patch', `/api/v1/sigs/${sig.slug}`, {
      meetingCadence: 'daily',
      mailingList: 'not an address',
      slug: 'renamed',
    }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'mailingList',
      'meetingCadence',
      'slug',
    ]);
  });

  it('archives only a SIG that owns no packages, then refuses new members', async () => {
    const lead = await makeUser(t.ds);
    const sig = await makeSig(t.ds, { members: [[lead.user.id, 'lead']] });
    const pkg = await makePackage(t.ds, sig.id);
    const sl = await login(t.baseUrl, lead.user.username);
    await call(sl, 'post', `/api/v1/sigs/${sig.slug}/archive`).expect(403);
    const owns = await call(sa, 'post', `/api/v1/sigs/${sig.slug}/archive`).expect(409);
    expect(owns.body.code).toBe('sig_owns_packages');
    await call(sa, 'delete', `/api/v1/packages/${pkg.name}`).expect(204);
    const archived = await call(sa, 'post', `/api/v1/sigs/${sig.slug}/archive`).expect(200);
    expect(archived.body).toMatchObject({ status: 'archived' });
    expect(archived.body.archivedAt).not.toBeNull();
    const joiner = await login(t.baseUrl, (await makeUser(t.ds)).user.username);
    await call(joiner, 'post', `/api/v1/sigs/${sig.slug}/join-requests`, {}).expect(409);
    // archived memberships grant no roles
    const me = await call(sl, 'get', '/api/v1/me').expect(200);
    expect(me.body.roles).not.toContain(`sig:${sig.slug}:lead`);
  });

  it('lists SIGs with member and package counts, filters, search and keyset pages', async () => {
    const u = await makeUser(t.ds);
    const a = await makeSig(t.ds, { slug: 'listing-alpha', members: [[u.user.id, 'lead']] });
    await makePackage(t.ds, a.id);
    await makePackage(t.ds, a.id);
    await makeSig(t.ds, { slug: 'listing-beta', status: 'proposed' });
    await makeSig(t.ds, { slug: 'listing-gamma', status: 'archived' });
    const found = await call(null, 'get', '/api/v1/sigs?q=listing-').expect(200);
    expect(found.body.items.map((s: { slug: string }) => s.slug)).toEqual([
      'listing-alpha',
      'listing-beta',
      'listing-gamma',
    ]);
    expect(found.body.items[0]).toMatchObject({ memberCount: 1, packageCount: 2, status: 'active' });
    const proposed = await call(null, 'get', '/api/v1/sigs?q=LISTING&status=proposed').expect(200);
    expect(proposed.body.items.map((s: { slug: string }) => s.slug)).toEqual(['listing-beta']);
    const zh = await call(null, 'get', `/api/v1/sigs?q=${encodeURIComponent('listing-gamma 兴趣')}`).expect(200);
    expect(zh.body.items).toHaveLength(1);
    const p1 = await call(null, 'get', '/api/v1/sigs?q=listing&limit=2').expect(200);
    expect(p1.body.items).toHaveLength(2);
    const p2 = await call(null, 'get', `/api/v1/sigs?q=listing&limit=2&cursor=${p1.body.nextCursor}`).expect(200);
    expect(p2.body.items.map((s: { slug: string }) => s.slug)).toEqual(['listing-gamma']);
    expect(p2.body.nextCursor).toBeNull();
    await call(null, 'get', '/api/v1/sigs?status=dead').expect(400);
    await call(null, 'get', '/api/v1/sigs?q=%25%5F').expect(200);
  });

  it('answers unknown or malformed SIG slugs with 404, not 500', async () => {
    await call(null, 'get', '/api/v1/sigs/no-such-sig').expect(404);
    await call(null, 'get', '/api/v1/sigs/Bad%20Slug').expect(404);
    await call(null, 'get', `/api/v1/sigs/${'x'.repeat(300)}`).expect(404);
    await call(sa, 'post', '/api/v1/sigs/no-such-sig/join-requests', {}).expect(404);
    await call(sa, 'patch', '/api/v1/sigs/no-such-sig/members/nobody', { role: 'lead' }).expect(404);
    await call(sa, 'post', '/api/v1/sigs/kernel/join-requests/abc/approve', {}).expect(404);
  });

  it('keeps the public activity log free of private messages', async () => {
    const lead = await makeUser(t.ds);
    const joiner = await makeUser(t.ds);
    const sig = await makeSig(t.ds, { members: [[lead.user.id, 'lead']] });
    const sj = await login(t.baseUrl, joiner.user.username);
    const sl = await login(t.baseUrl, lead.user.username);
    const req = await call(sj, 'post', `/api/v1/sigs/${sig.slug}/join-requests`, {
      message: 'my private phone is 123',
    }).expect(201);
    await call(sl, 'post', `/api/v1/sigs/${sig.slug}/join-requests/${req.body.id}/approve`, {}).expect(200);
    const log = await call(null, 'get', `/api/v1/sigs/${sig.slug}/activity`).expect(200);
    expect(log.body.items[0]).toMatchObject({
      kind: 'member.joined',
      actor: lead.user.username,
      details: { username: joiner.user.username, role: 'member', via: 'request' },
    });
    expect(JSON.stringify(log.body)).not.toContain('123');
    expect(await t.ds.getRepository(SigMembershipEntity).countBy({ sigId: sig.id })).toBe(2);
    const mail = await t.ds
      .getRepository(OutboxEntity)
      .find({ where: { jobName: 'mail.send' }, order: { id: 'DESC' }, take: 5 });
    expect(mail.some((r) => (r.payload as { to: string }).to === joiner.user.email)).toBe(true);
  });
});
