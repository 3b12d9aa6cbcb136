import { FakeGiteeApi } from '../../testing/fake-gitee-api';
import { login, makeUser } from '../../testing/factories';
import { as } from '../../testing/sigs';
import { startTestApp, TestApp } from '../../testing/test-app';
import { CommunityFileService } from './community-file.service';
import { GiteeSyncService } from './gitee-sync.service';

const FILE = 'OpenCloudOS/rpm_info:packages.yaml';
const PACKAGES = `
sigs:
  - name: Ops-tools
    intro: Operations tooling
    reviewers: [ops-lead-gitee]
    packages: [ansible, cockpit]
  - name: Default
    intro: Packages no SIG has taken yet
    reviewers: []
    packages: [pkg-0000, pkg-0001]
`;

describe('packages.yaml from the community repository', () => {
  const gitee = new FakeGiteeApi();
  let t: TestApp;
  let community: CommunityFileService;

  beforeAll(async () => {
    await gitee.start();
    t = await startTestApp({
      SYNC_GITEE_API_URL: gitee.apiUrl,
      SYNC_GITEE_ORGS: 'src-opencloudos-rpms',
      SYNC_COMMUNITY_REPO: 'OpenCloudOS/rpm_info',
    });
    community = t.app.get(CommunityFileService);
  });
  afterAll(async () => {
    await t?.close();
    await gitee.stop();
  });

  const owners = async () =>
    Object.fromEntries(
      (
        await t.ds.query<{ name: string; slug: string }[]>(
          `SELECT p.name, s.slug FROM packages p JOIN sigs s ON s.id = p.sig_id ORDER BY p.name`,
        )
      ).map((r) => [r.name, r.slug]),
    );

  it('imports the file through the SIG import, skips it while unchanged, and reports conflicts without applying them', async () => {
    gitee.files.set(FILE, PACKAGES);
    const first = await community.sync();
    expect(first).toMatchObject({ outcome: 'applied', problems: [] });
    expect(await owners()).toEqual({
      ansible: 'ops-tools',
      cockpit: 'ops-tools',
      'pkg-0000': 'default',
      'pkg-0001': 'default',
    });

    // the repositories sync adopts the packages packages.yaml created (their SIG stays)
    gitee.generate('src-opencloudos-rpms', 2);
    await t.app.get(GiteeSyncService).syncOrg('src-opencloudos-rpms');
    expect((await owners())['pkg-0001']).toBe('default');

    gitee.requests.length = 0;
    expect(await community.sync()).toMatchObject({ outcome: 'unchanged' });
    expect(gitee.requests).toEqual(['GET /api/v5/repos/OpenCloudOS/rpm_info/contents/packages.yaml']);

    // cockpit claimed by two SIGs: nothing is applied, the problem is reported
    gitee.files.set(
      FILE,
      PACKAGES.replace('packages: [pkg-0000, pkg-0001]', 'packages: [pkg-0000, pkg-0001, cockpit]'),
    );
    const clash = await community.sync();
    expect(clash.outcome).toBe('conflicts');
    expect(clash.problems?.map((p) => p.message).join('\n')).toMatch(/cockpit/);
    expect((await owners()).cockpit).toBe('ops-tools');

    const admin = await login(t.baseUrl, (await makeUser(t.ds, { roles: ['admin'] })).user.username);
    const status = await as(t.baseUrl, admin, 'get', '/api/v1/admin/sync').expect(200);
    expect(status.body.packagesYaml).toMatchObject({
      file: 'OpenCloudOS/rpm_info:master:packages.yaml',
      report: { valid: false, problems: [expect.objectContaining({ message: expect.stringMatching(/cockpit/) })] },
    });
    expect(status.body.packagesYaml.sha).not.toBe(status.body.packagesYaml.appliedSha);

    // a moved package is applied once the file is consistent again
    gitee.files.set(
      FILE,
      PACKAGES.replace('[ansible, cockpit]', '[ansible]').replace('pkg-0001]', 'pkg-0001, cockpit]'),
    );
    expect(await community.sync()).toMatchObject({ outcome: 'applied' });
    expect((await owners()).cockpit).toBe('default');
  });

  it('reports a missing file and a Gitee failure without touching anything', async () => {
    gitee.files.delete(FILE);
    expect(await community.sync()).toEqual({ outcome: 'missing' });
    gitee.files.set(FILE, PACKAGES);
    gitee.faults = { rateLimit403: { count: 1, resetInSeconds: 3600 } };
    const failed = await community.sync();
    expect(failed.outcome).toBe('failed');
    expect(failed.error).toMatch(/rate limit/);
    gitee.faults = {};
  });
});
