import { makeBugProducts, fileBug } from '../../testing/bugs';
import { login, Login, makeUser } from '../../testing/factories';
import { propose, seat } from '../../testing/governance';
import { as, makePackage, makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';

describe('site search: one box over bugs, packages, SIGs and proposals', () => {
  let t: TestApp;
  let reporter: Login;
  let chair: Login;
  let privateBug: number;

  beforeAll(async () => {
    t = await startTestApp({ BALLOT_KEY: 'site-search-ballot-key-0123456789' });
    await makeBugProducts(t.ds);
    const u = await makeUser(t.ds);
    const c = await makeUser(t.ds);
    reporter = await login(t.baseUrl, u.user.username);
    chair = await login(t.baseUrl, c.user.username);
    const sig = await makeSig(t.ds, { slug: 'virtualization' });
    await t.ds.query(`UPDATE sigs SET name_zh = '虚拟化', name_en = 'Virtualization' WHERE id = $1`, [sig.id]);
    await makePackage(t.ds, sig.id, 'qemu-kvm');
    await makePackage(t.ds, sig.id, 'qemu-guest-agent');
    await makePackage(t.ds, sig.id, 'libvirt');
    await t.ds.query(`UPDATE packages SET description = 'QEMU is a generic machine emulator' WHERE name = 'libvirt'`);
    await fileBug(t.baseUrl, reporter, { component: 'qemu-kvm', summary: 'qemu-kvm crashes on 虚拟机 live migration' });
    privateBug = await fileBug(t.baseUrl, reporter, {
      component: 'qemu-kvm',
      summary: 'qemu escape via virtio (embargoed)',
      isPrivate: true,
    });
    await seat(t.ds, 'toc', [[c.user.id, 'chair']]);
    const id = await propose(t.baseUrl, chair, { body: 'toc', kind: 'policy', title: 'QEMU packaging policy' });
    await as(t.baseUrl, chair, 'post', `/api/v1/governance/proposals/${id}/discussion`).expect(200);
    await propose(t.baseUrl, chair, { body: 'toc', kind: 'motion', title: 'Draft: drop qemu from 8.x' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds everything called qemu, exact and prefix matches first', async () => {
    const res = await t.http().get('/api/v1/search').query({ q: 'qemu' }).expect(200);
    expect(res.body.packages.items.map((p: { name: string }) => p.name)).toEqual([
      'qemu-kvm',
      'qemu-guest-agent',
      'libvirt',
    ]);
    expect(res.body.packages.items[0].sig).toBe('virtualization');
    expect(res.body.bugs.items.map((b: { summary: string }) => b.summary)).toEqual([
      'qemu-kvm crashes on 虚拟机 live migration',
    ]);
    // drafts stay with their body
    expect(res.body.proposals.items.map((p: { title: string }) => p.title)).toEqual(['QEMU packaging policy']);
  });

  it('finds SIGs and bugs by their Chinese names', async () => {
    const sigs = await t.http().get('/api/v1/search').query({ q: '虚拟化', type: 'sigs' }).expect(200);
    expect(sigs.body).toMatchObject({
      sigs: { items: [{ slug: 'virtualization', nameZh: '虚拟化' }] },
      bugs: null,
      packages: null,
    });
    const bugs = await t.http().get('/api/v1/search').query({ q: '虚拟机', type: 'bugs' }).expect(200);
    expect(bugs.body.bugs.items).toHaveLength(1);
  });

  it('shows a private bug to its reporter only', async () => {
    const visitor = await t.http().get('/api/v1/search').query({ q: 'escape', type: 'bugs' }).expect(200);
    expect(visitor.body.bugs.items).toEqual([]);
    const mine = await as(t.baseUrl, reporter, 'get', '/api/v1/search?q=escape&type=bugs').expect(200);
    expect(mine.body.bugs.items.map((b: { id: number }) => b.id)).toEqual([privateBug]);
  });

  it('pages by type and refuses empty or unknown queries', async () => {
    const one = await t.http().get('/api/v1/search').query({ q: 'qemu', type: 'packages', limit: 1 }).expect(200);
    expect(one.body.packages).toMatchObject({ items: [{ name: 'qemu-kvm' }], more: true });
    await t.http().get('/api/v1/search').query({ q: '' }).expect(400);
    await t.http().get('/api/v1/search').query({ q: 'x', type: 'everything' }).expect(400);
    const pct = await t.http().get('/api/v1/search').query({ q: '100%_' }).expect(200);
    expect(pct.body.packages.items).toEqual([]);
  });
});
