import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FakeMirror, makeMirror, openCloudOsTree } from '../../testing/fake-mirror';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { MirrorProbeService } from './mirror-probe.service';

const run = promisify(execFile);
const ARCH = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
const REPO_DIR = `opencloudos/9/BaseOS/${ARCH}/os`;

/** A tiny noarch RPM, built with the real rpmbuild. */
async function buildRpm(top: string, home: string, name: string): Promise<string> {
  mkdirSync(top, { recursive: true });
  const spec = join(top, `${name}.spec`);
  writeFileSync(
    spec,
    `Name: ${name}\nVersion: 1.0\nRelease: 1\nSummary: ${name}\nLicense: MIT\nBuildArch: noarch\n\n%description\n${name}\n\n%files\n`,
  );
  await run('rpmbuild', ['-bb', '--define', `_topdir ${top}`, spec], { env: { ...process.env, HOME: home } });
  return join(top, 'RPMS', 'noarch', `${name}-1.0-1.noarch.rpm`);
}

/** A repository with these packages, indexed by the real createrepo_c. */
async function makeRepo(dir: string, rpms: string[]): Promise<string> {
  mkdirSync(join(dir, 'Packages'), { recursive: true });
  for (const rpm of rpms) await run('cp', [rpm, join(dir, 'Packages')]);
  await run('createrepo_c', ['--quiet', dir]);
  return dir;
}

describe('the real dnf installs through our metalink', () => {
  const work = mkdtempSync(join(tmpdir(), 'och-dnf-'));
  const home = join(work, 'home');
  const oc = openCloudOsTree();
  let master: FakeMirror;
  let healthy: FakeMirror;
  let stale: FakeMirror;
  let t: TestApp;

  beforeAll(async () => {
    mkdirSync(home, { recursive: true });
    // Debian's rpm keeps its database under ~/.rpmdb inside the install root otherwise
    writeFileSync(join(home, '.rpmmacros'), '%_dbpath /var/lib/rpm\n');
    const top = join(work, 'rpmbuild');
    const old = await buildRpm(top, home, 'och-old');
    const fresh = await buildRpm(top, home, 'och-fresh');
    const staleRepo = await makeRepo(join(work, 'stale'), [old]);
    const freshRepo = await makeRepo(join(work, 'fresh'), [old, fresh]);

    master = new FakeMirror(oc.tree);
    master.addDirectory(REPO_DIR, freshRepo);
    healthy = new FakeMirror(master.tree);
    const staleTree = new Map(oc.tree);
    staleTree.set('TIME', Buffer.from(`${oc.time - 3 * 86_400}\n`));
    stale = new FakeMirror(staleTree);
    stale.addDirectory(REPO_DIR, staleRepo);
    await Promise.all([master.start(), healthy.start(), stale.start()]);

    t = await startTestApp({
      MIRROR_MASTER_URL: master.url,
      MIRROR_CACHE_SECONDS: '0',
      MIRROR_PROBE_TIMEOUT_MS: '3000',
    });
    await t.ds.query(
      `INSERT INTO releases (family, version, name, path, status, is_latest) VALUES ('opencloudos', '9.2', 'OpenCloudOS 9.2', 'opencloudos/9.2', 'published', true)`,
    );
    // the stale mirror is in the visitor's country: it would come first if it were listed
    await makeMirror(t.ds, { name: 'stale-cn', country: 'CN', continent: 'AS', httpUrl: stale.url });
    await makeMirror(t.ds, { name: 'healthy-de', country: 'DE', continent: 'EU', httpUrl: healthy.url });
    await t.app.get(MirrorProbeService).sweep();
    // from here on, only dnf's requests
    for (const m of [master, healthy, stale]) m.requests.length = 0;
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await Promise.all([master?.stop(), healthy?.stop(), stale?.stop()]);
    rmSync(work, { recursive: true, force: true });
  });

  it('installs a package only the fresh repository has from the healthy mirror, and skips the stale one', async () => {
    const repos = join(work, 'repos.d');
    mkdirSync(repos, { recursive: true });
    writeFileSync(
      join(repos, 'oc.repo'),
      `[oc-baseos]\nname=OpenCloudOS 9 BaseOS\nmetalink=${t.baseUrl}/metalink?repo=BaseOS&arch=$basearch&country=CN\nenabled=1\ngpgcheck=0\n`,
    );
    const root = join(work, 'root');
    const { stdout, stderr } = await run(
      'dnf',
      [
        '-y',
        `--installroot=${root}`,
        '--releasever=9',
        `--setopt=reposdir=${repos}`,
        `--setopt=cachedir=${join(work, 'cache')}`,
        '--setopt=install_weak_deps=False',
        '--setopt=skip_if_unavailable=False',
        '--disablerepo=*',
        '--enablerepo=oc-baseos',
        '--nogpgcheck',
        'install',
        'och-fresh',
      ],
      { env: { ...process.env, HOME: home }, timeout: 60_000 },
    ).catch((err: unknown) => {
      const e = err as Error & { stdout?: string; stderr?: string };
      throw new Error(`dnf failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    });
    expect(`${stdout}${stderr}`).toMatch(/Complete!|Installed/);
    expect(healthy.served(/^GET \/.*\/repodata\/repomd\.xml$/)).toHaveLength(1);
    expect(healthy.served(/och-fresh-1\.0-1\.noarch\.rpm$/)).toHaveLength(1);
    expect(stale.served(/repodata|Packages/)).toEqual([]);
    expect(master.served(/repodata|Packages/)).toEqual([]);
    expect(readdirSync(join(root, 'var', 'lib', 'rpm')).length).toBeGreaterThan(0);
  });
});
