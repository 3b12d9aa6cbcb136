import { QueryFailedError } from 'typeorm';
import { login, Login, makeUser, MadeUser } from '../../testing/factories';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { PackageEntity } from './package.entity';

describe('packages and their ownership transfers', () => {
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

  /** Two SIGs, each with its own lead, and a package owned by the first. */
  async function twoSigs() {
    const [la, lb] = await Promise.all([makeUser(t.ds), makeUser(t.ds)]);
    const a = await makeSig(t.ds, { members: [[la.user.id, 'lead']] });
    const b = await makeSig(t.ds, { members: [[lb.user.id, 'lead']] });
    const pkg = await makePackage(t.ds, a.id);
    return { a, b, pkg, sla: await login(t.baseUrl, la.user.username), slb: await login(t.baseUrl, lb.user.username) };
  }

  it('lets admins create, edit and delete packages, each owned by exactly one SIG', async () => {
    const lead = await makeUser(t.ds);
    const sig = await makeSig(t.ds, { members: [[lead.user.id, 'lead']] });
    const sl = await login(t.baseUrl, lead.user.username);
    const body = { name: 'openssl', sig: sig.slug, description: 'TLS toolkit', branches: ['oc8', 'oc9'] };
    await call(sl, 'post', '/api/v1/packages', body).expect(403);
    await call(null, 'post', '/api/v1/packages', body).expect(401);
    const res = await call(sa, 'post', '/api/v1/packages', {
      ...body,
      upstreamUrl: 'https://www.openssl.org',
    }).expect(201);
    expect(res.body).toMatchObject({
      name: 'openssl',
      sig: { slug: sig.slug },
      branches: ['oc8', 'oc9'],
      upstreamUrl: 'https://www.openssl.org',
      transfers: [],
    });
    const dup = await call(sa, 'post', '/api/v1/packages', body).expect(409);
    expect(dup.body.code).toBe('package_exists');
    await call(sa, 'post', '/api/v1/packages', { ...body, name: 'x y' }).expect(400);
    await call(sa, 'post', '/api/v1/packages', { ...body, name: 'other', sig: 'no-such-sig' }).expect(404);

    // the owning SIG's lead may edit descriptive fields; strangers may not
    const edited = await call(sl, 'patch', '/api/v1/packages/openssl', { reviewers: ['gitee-bob'] }).expect(200);
    expect(edited.body.reviewers).toEqual(['gitee-bob']);
    const stranger = await login(t.baseUrl, (await makeUser(t.ds)).user.username);
    await call(stranger, 'patch', '/api/v1/packages/openssl', { description: 'mine' }).expect(403);
    await call(sl, 'patch', '/api/v1/packages/openssl', { sig: 'elsewhere' }).expect(400);

    const list = await call(null, 'get', `/api/v1/packages?sig=${sig.slug}`).expect(200);
    expect(list.body.items.map((p: { name: string }) => p.name)).toEqual(['openssl']);
    const sigList = await call(null, 'get', `/api/v1/sigs/${sig.slug}/packages`).expect(200);
    expect(sigList.body.items).toHaveLength(1);
    const search = await call(null, 'get', '/api/v1/packages?q=SSL').expect(200);
    expect(search.body.items.map((p: { name: string }) => p.name)).toContain('openssl');

    await call(sl, 'delete', '/api/v1/packages/openssl').expect(403);
    await call(sa, 'delete', '/api/v1/packages/openssl').expect(204);
    await call(null, 'get', '/api/v1/packages/openssl').expect(404);
    await call(null, 'get', '/api/v1/packages/%2E%2E').expect(404);
  });

  it('refuses a package without an owning SIG in the database itself', async () => {
    await expect(t.ds.query(`INSERT INTO packages (name, sig_id) VALUES ('orphan', NULL)`)).rejects.toBeInstanceOf(
      QueryFailedError,
    );
    const sig = await makeSig(t.ds);
    await makePackage(t.ds, sig.id, 'twice');
    const other = await makeSig(t.ds);
    await expect(makePackage(t.ds, other.id, 'twice')).rejects.toBeInstanceOf(QueryFailedError);
  });

  it('moves a package once the leads of both SIGs approve, and keeps the history', async () => {
    const { a, b, pkg, sla, slb } = await twoSigs();
    const stranger = await login(t.baseUrl, (await makeUser(t.ds)).user.username);
    await call(stranger, 'post', `/api/v1/packages/${pkg.name}/transfers`, { toSig: b.slug }).expect(403);
    await call(sla, 'post', `/api/v1/packages/${pkg.name}/transfers`, { toSig: a.slug }).expect(409);
    const req = await call(sla, 'post', `/api/v1/packages/${pkg.name}/transfers`, {
      toSig: b.slug,
      reason: 'b maintains the rest of the stack',
    }).expect(201);
    expect(req.body).toMatchObject({ status: 'pending', from: { slug: a.slug }, to: { slug: b.slug } });
    expect(req.body.fromApprovedBy).not.toBeNull();
    expect(req.body.toApprovedBy).toBeNull();
    await call(slb, 'post', `/api/v1/packages/${pkg.name}/transfers`, { toSig: b.slug }).expect(409);
    // approving again from the same side changes nothing
    const same = await call(sla, 'post', `/api/v1/packages/${pkg.name}/transfers/${req.body.id}/approve`).expect(200);
    expect(same.body.status).toBe('pending');
    await call(stranger, 'post', `/api/v1/packages/${pkg.name}/transfers/${req.body.id}/approve`).expect(403);
    const done = await call(slb, 'post', `/api/v1/packages/${pkg.name}/transfers/${req.body.id}/approve`).expect(200);
    expect(done.body.status).toBe('completed');
    const now = await call(null, 'get', `/api/v1/packages/${pkg.name}`).expect(200);
    expect(now.body.sig.slug).toBe(b.slug);
    expect(now.body.transfers.map((x: { id: number }) => x.id)).toEqual([req.body.id]);
    const outA = await call(null, 'get', `/api/v1/sigs/${a.slug}/activity`).expect(200);
    expect(outA.body.items[0]).toMatchObject({ kind: 'package.transferred_out', details: { package: pkg.name } });
    const hist = await call(null, 'get', `/api/v1/sigs/${b.slug}/transfers?status=completed`).expect(200);
    expect(hist.body.items).toHaveLength(1);
    expect(
      await t.ds.getRepository(AuditEntryEntity).countBy({ action: 'package.transfer_complete', targetId: pkg.name }),
    ).toBe(1);
  });

  it('lets an admin approve a transfer alone, and two approvers at once complete it exactly once', async () => {
    const { b, pkg, slb } = await twoSigs();
    const req = await call(slb, 'post', `/api/v1/packages/${pkg.name}/transfers`, { toSig: b.slug }).expect(201);
    const path = `/api/v1/packages/${pkg.name}/transfers/${req.body.id}/approve`;
    const admin2 = await login(t.baseUrl, (await makeUser(t.ds, { roles: ['admin'] })).user.username);
    const results = await Promise.all([call(sa, 'post', path), call(admin2, 'post', path)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await t.ds.getRepository(PackageEntity).findOneByOrFail({ id: pkg.id })).sigId).toBe(b.id);
    expect(
      await t.ds.getRepository(AuditEntryEntity).countBy({ action: 'package.transfer_complete', targetId: pkg.name }),
    ).toBe(1);
  });

  it('lets a lead of either side reject and only the requester cancel', async () => {
    const { b, pkg, sla, slb } = await twoSigs();
    const r1 = await call(sla, 'post', `/api/v1/packages/${pkg.name}/transfers`, { toSig: b.slug }).expect(201);
    await call(slb, 'post', `/api/v1/packages/${pkg.name}/transfers/${r1.body.id}/cancel`).expect(403);
    const rej = await call(slb, 'post', `/api/v1/packages/${pkg.name}/transfers/${r1.body.id}/reject`).expect(200);
    expect(rej.body.status).toBe('rejected');
    const r2 = await call(sla, 'post', `/api/v1/packages/${pkg.name}/transfers`, { toSig: b.slug }).expect(201);
    const can = await call(sla, 'post', `/api/v1/packages/${pkg.name}/transfers/${r2.body.id}/cancel`).expect(200);
    expect(can.body.status).toBe('cancelled');
    await call(slb, 'post', `/api/v1/packages/${pkg.name}/transfers/${r2.body.id}/approve`).expect(409);
    const hist = await call(null, 'get', `/api/v1/packages/${pkg.name}/transfers`).expect(200);
    expect(hist.body.items.map((x: { status: string }) => x.status)).toEqual(['cancelled', 'rejected']);
    expect((await t.ds.getRepository(PackageEntity).findOneByOrFail({ id: pkg.id })).sigId).not.toBe(b.id);
  });

  it('completes at once when the requester leads both SIGs, and never into an archived SIG', async () => {
    const lead = await makeUser(t.ds);
    const a = await makeSig(t.ds, { members: [[lead.user.id, 'lead']] });
    const b = await makeSig(t.ds, { members: [[lead.user.id, 'lead']] });
    const gone = await makeSig(t.ds, { status: 'archived', members: [[lead.user.id, 'lead']] });
    const pkg = await makePackage(t.ds, a.id);
    const sl = await login(t.baseUrl, lead.user.username);
    const r = await call(sl, 'post', `/api/v1/packages/${pkg.name}/transfers`, { toSig: b.slug }).expect(201);
    expect(r.body.status).toBe('completed');
    const arch = await call(sl, 'post', `/api/v1/packages/${pkg.name}/transfers`, { toSig: gone.slug }).expect(409);
    expect(arch.body.code).toBe('sig_archived');
  });
});
