import { makeUser } from '../../testing/factories';
import { seat } from '../../testing/governance';
import { makeSig } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { RoleResolver } from './role-providers';

/** `holdersOf` is the inverse of `rolesFor`: whoever `rolesFor` grants R is among R's holders, and no one else. */
describe('RoleResolver.holdersOf', () => {
  let t: TestApp;
  let roles: RoleResolver;

  beforeAll(async () => {
    t = await startTestApp();
    roles = t.app.get(RoleResolver);
  });
  afterAll(() => t.close());

  it('answers SIG roles with the roles they imply, and skips expired and archived memberships', async () => {
    const [lead, maintainer, member, expired] = await Promise.all([1, 2, 3, 4].map(() => makeUser(t.ds)));
    const sig = await makeSig(t.ds, {
      members: [
        [lead.user.id, 'lead'],
        [maintainer.user.id, 'maintainer'],
        [member.user.id, 'member'],
        [expired.user.id, 'lead'],
      ],
    });
    await t.ds.query(`UPDATE sig_memberships SET expires_at = now() - interval '1 day' WHERE user_id = $1`, [
      expired.user.id,
    ]);
    const ids = (u: (typeof lead)[]) => u.map((x) => x.user.id).sort((a, b) => a - b);
    expect(await roles.holdersOf(`sig:${sig.slug}:lead`)).toEqual(ids([lead]));
    expect(await roles.holdersOf(`sig:${sig.slug}:maintainer`)).toEqual(ids([lead, maintainer]));
    expect(await roles.holdersOf(`sig:${sig.slug}:member`)).toEqual(ids([lead, maintainer, member]));
    expect(await roles.holdersOf(`sig:${sig.slug}:constructor`)).toEqual([]);
    for (const u of [lead, maintainer, member]) {
      for (const role of await roles.rolesFor(u.user.id)) {
        if (role.startsWith(`sig:${sig.slug}:`)) expect(await roles.holdersOf(role)).toContain(u.user.id);
      }
    }

    const archived = await makeSig(t.ds, { status: 'archived', members: [[lead.user.id, 'lead']] });
    expect(await roles.holdersOf(`sig:${archived.slug}:lead`)).toEqual([]);
  });

  it('answers body seats and offices within the running term only', async () => {
    const [chair, member, former] = await Promise.all([1, 2, 3].map(() => makeUser(t.ds)));
    await seat(t.ds, 'council', [
      [chair.user.id, 'chair'],
      [member.user.id, null],
    ]);
    await seat(t.ds, 'council', [[former.user.id, 'chair']], {
      start: new Date(Date.now() - 2 * 365 * 24 * 3600_000),
      end: new Date(Date.now() - 24 * 3600_000),
    });
    const council = await roles.holdersOf('body:council:member');
    expect(council).toEqual(expect.arrayContaining([chair.user.id, member.user.id]));
    expect(council).not.toContain(former.user.id);
    const chairs = await roles.holdersOf('body:council:chair');
    expect(chairs).toContain(chair.user.id);
    expect(chairs).not.toContain(member.user.id);
    expect(chairs).not.toContain(former.user.id);
  });

  it('answers any other role from the site roles', async () => {
    const triager = await makeUser(t.ds, { roles: ['triager'] });
    const plain = await makeUser(t.ds);
    const holders = await roles.holdersOf('triager');
    expect(holders).toContain(triager.user.id);
    expect(holders).not.toContain(plain.user.id);
  });
});
