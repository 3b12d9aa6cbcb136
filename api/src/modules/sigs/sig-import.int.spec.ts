import { login, Login, makeUser } from '../../testing/factories';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { PackageTransferEntity } from '../packages/package-transfer.entity';
import { PackageEntity } from '../packages/package.entity';
import { UserEntity } from '../users/user.entity';
import { SigMembershipEntity } from './sig-membership.entity';
import { SigEntity } from './sig.entity';

const SIG_INFO = `
name: Ops-tools
name_zh: 运维工具
description: |
  The **Ops tools** SIG maintains operations tooling.
mailing_list: sig-ops@lists.opencloudos.org
meeting_url: https://meeting.tencent.com/ops
meeting_cadence: monthly
maintainers:
  - gitee_id: ops-lead-gitee
    name: Ops Lead
    email: ops@example.test
    organization: Tencent
  - gitee_id: not-on-the-hub
    name: Someone
repositories:
  - ansible
  - repo: [src-opencloudos-rpms/saltstack]
`;

const PACKAGES = `
sigs:
  - name: Ops-tools
    intro: Operations tooling
    reviewers: [ops-lead-gitee]
    packages: [ansible, cockpit]
  - name: Kernel-imp
    intro: Kernel and friends
    reviewers: []
    packages: [kernel-imp-a, kernel-imp-b]
`;

describe('SIG import and export (sig-info.yaml, packages.yaml)', () => {
  let t: TestApp;
  let sa: Login;
  const call = (who: Login | null, method: Parameters<typeof as>[2], path: string, body?: object) =>
    as(t.baseUrl, who, method, path, body);
  const yamlPost = (who: Login, path: string, text: string) =>
    as(t.baseUrl, who, 'post', path).set('content-type', 'application/yaml').send(text);

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await makeUser(t.ds, { roles: ['admin'] });
    sa = await login(t.baseUrl, admin.user.username);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows a dry-run diff, applies it in one go, and changes nothing when run again', async () => {
    const opsLead = await makeUser(t.ds);
    await t.ds.getRepository(UserEntity).update({ id: opsLead.user.id }, { giteeLogin: 'ops-lead-gitee' });
    const files = {
      files: [
        { name: 'sig/ops/sig-info.yaml', content: SIG_INFO },
        { name: 'packages.yaml', content: PACKAGES },
      ],
    };

    const dry = await call(sa, 'post', '/api/v1/admin/sigs/import?dryRun=true', files).expect(200);
    expect(dry.body).toMatchObject({ dryRun: true, applied: false, valid: true, problems: [] });
    expect(dry.body.summary).toEqual({ sigs: 2, packages: 5, changes: 8 });
    expect(dry.body.changes).toEqual(
      expect.arrayContaining([
        { kind: 'sig.create', target: 'ops-tools', details: { nameEn: 'Ops-tools', nameZh: '运维工具' } },
        { kind: 'member.add', target: 'ops-tools', details: { username: opsLead.user.username, role: 'maintainer' } },
        { kind: 'package.create', target: 'saltstack', details: { sig: 'ops-tools' } },
        { kind: 'package.create', target: 'kernel-imp-b', details: { sig: 'kernel-imp' } },
      ]),
    );
    expect(dry.body.warnings).toEqual([
      expect.objectContaining({ path: 'maintainers[1]', message: expect.stringContaining('not-on-the-hub') }),
    ]);
    expect(await t.ds.getRepository(SigEntity).countBy({ slug: 'ops-tools' })).toBe(0);

    const applied = await call(sa, 'post', '/api/v1/admin/sigs/import', files).expect(200);
    expect(applied.body).toMatchObject({ dryRun: false, applied: true, valid: true });
    const ops = await t.ds.getRepository(SigEntity).findOneByOrFail({ slug: 'ops-tools' });
    expect(ops).toMatchObject({
      status: 'active',
      nameZh: '运维工具',
      mailingList: 'sig-ops@lists.opencloudos.org',
      meetingCadence: 'monthly',
      reviewers: ['ops-lead-gitee'],
    });
    expect(ops.description).toContain('**Ops tools**');
    const kimp = await t.ds.getRepository(SigEntity).findOneByOrFail({ slug: 'kernel-imp' });
    expect(kimp.description).toBe('Kernel and friends');
    expect(await t.ds.getRepository(PackageEntity).countBy({ sigId: ops.id })).toBe(3);
    expect(
      (await t.ds.getRepository(SigMembershipEntity).findOneByOrFail({ sigId: ops.id, userId: opsLead.user.id })).role,
    ).toBe('maintainer');
    expect(await t.ds.getRepository(AuditEntryEntity).countBy({ action: 'sigs.import' })).toBe(1);

    const again = await call(sa, 'post', '/api/v1/admin/sigs/import', files).expect(200);
    expect(again.body).toMatchObject({ applied: false, valid: true, changes: [] });

    // what the Hub exports imports back without a change
    const exported = await call(sa, 'get', '/api/v1/admin/sigs/export').expect(200);
    const names = exported.body.files.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['packages.yaml', 'sig/ops-tools/sig-info.yaml']));
    const round = await call(sa, 'post', '/api/v1/admin/sigs/import?dryRun=true', exported.body).expect(200);
    expect(round.body).toMatchObject({ valid: true, problems: [], changes: [] });
  });

  it('reports unknown keys, doubly-owned and ownerless packages, and applies nothing', async () => {
    const sig = await makeSig(t.ds, { slug: 'imp-existing' });
    await makePackage(t.ds, sig.id, 'left-behind');
    const before = await t.ds.getRepository(SigEntity).count();
    const bad = `
sigs:
  - name: imp-one
    intro: One
    packages: [shared-pkg, fine-pkg]
    owner: someone
  - name: imp-two
    packages: [shared-pkg]
  - intro: nameless
    packages: [orphan-pkg]
`;
    const dry = await yamlPost(sa, '/api/v1/admin/sigs/import?dryRun=true', bad).expect(200);
    expect(dry.body.valid).toBe(false);
    const messages = dry.body.problems.map((p: { path: string; message: string }) => `${p.path}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sigs\[0\]\.owner: unknown key "owner"/),
        expect.stringMatching(/^sigs\[1\]\.packages\[0\]: package "shared-pkg" is listed by two SIGs/),
        expect.stringMatching(/^sigs\[2\]\.packages: package "orphan-pkg" is owned by no SIG/),
        expect.stringMatching(/package "left-behind" .* would be owned by no SIG/),
      ]),
    );
    const res = await yamlPost(sa, '/api/v1/admin/sigs/import', bad).expect(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('import_invalid');
    expect(res.body.errors.length).toBe(dry.body.problems.length);
    expect(await t.ds.getRepository(SigEntity).count()).toBe(before);
    expect(await t.ds.getRepository(PackageEntity).countBy({ name: 'fine-pkg' })).toBe(0);
  });

  it('moves a package between SIGs through an import and keeps that in its history', async () => {
    const a = await makeSig(t.ds, { slug: 'imp-from' });
    await makeSig(t.ds, { slug: 'imp-to' });
    await makePackage(t.ds, a.id, 'wanderer');
    const res = await yamlPost(sa, '/api/v1/admin/sigs/import', 'name: imp-to\nrepositories: [wanderer]\n').expect(200);
    expect(res.body.changes).toEqual([
      { kind: 'package.move', target: 'wanderer', details: { from: 'imp-from', to: 'imp-to' } },
    ]);
    const pkg = await call(null, 'get', '/api/v1/packages/wanderer').expect(200);
    expect(pkg.body.sig.slug).toBe('imp-to');
    expect(pkg.body.transfers[0]).toMatchObject({ status: 'completed', reason: 'import' });
    expect(await t.ds.getRepository(PackageTransferEntity).countBy({ packageId: pkg.body.id })).toBe(1);
  });

  it('says where YAML is malformed and refuses bodies of the wrong shape or from non-admins', async () => {
    const broken = await yamlPost(sa, '/api/v1/admin/sigs/import?dryRun=true', 'name: [unclosed\n').expect(200);
    expect(broken.body.valid).toBe(false);
    expect(broken.body.problems[0]).toMatchObject({ file: 'request.yaml', message: expect.stringContaining('YAML') });
    expect(broken.body.problems[0].path).toMatch(/^line \d+$/);
    const neither = await yamlPost(sa, '/api/v1/admin/sigs/import?dryRun=true', 'hello: world\n').expect(200);
    expect(neither.body.problems[0].message).toContain('neither');
    await call(sa, 'post', '/api/v1/admin/sigs/import', { files: 'nope' }).expect(400);
    await call(sa, 'post', '/api/v1/admin/sigs/import', { files: [{ name: 'a' }] }).expect(400);
    await call(sa, 'post', '/api/v1/admin/sigs/import', { other: 1 }).expect(400);
    await yamlPost(sa, '/api/v1/admin/sigs/import', '   ').expect(400);
    await call(sa, 'post', '/api/v1/admin/sigs/import?dryRun=maybe', { files: [] }).expect(400);
    const member = await login(t.baseUrl, (await makeUser(t.ds)).user.username);
    await yamlPost(member, '/api/v1/admin/sigs/import', 'name: x\n').expect(403);
    await call(null, 'get', '/api/v1/admin/sigs/export').expect(401);
  });
});
