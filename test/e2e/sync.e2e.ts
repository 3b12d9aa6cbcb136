import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createBugProduct, fileBug } from '../support/bugs';
import { launchBrowser, newContext } from '../support/browser';
import { ARTIFACTS_DIR, baseUrl, unique } from '../support/e2e-env';
import { apiSession, createActiveSig, createPackage, grantSiteRole } from '../support/sigs';
import { createVerifiedUser } from '../support/users';

const execFileAsync = promisify(execFile);

/**
 * What the sync workers would have written (builds from Koji, the fixing commit from a Gitee push,
 * the release, the prober's view of two mirrors), straight into the suite's database: the shared
 * product runs without fake Gitee or Koji, and the workers' logic has its own integration tests.
 */
async function sql(statement: string): Promise<string> {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error('E2E_DATABASE_URL is not set: sync data can only be made in the suite database');
  const { stdout } = await execFileAsync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-At', '-d', url, '-c', statement]);
  return stdout.trim();
}

interface Trail {
  releases: { release: string; mirrors: { carrying: number; mirrors: number; composed: boolean } | null }[];
}

describe('Builds and the fix trail', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const mirrorPrefix = `e2e-sync-${unique()}`;
  let pkg: string;
  let sigSlug: string;
  let bug: number;
  let fixNvr: string;
  const sha = `${unique()}`
    .replace(/[^0-9a-f]/g, 'a')
    .padEnd(40, 'c')
    .slice(0, 40);

  async function freshPage(javaScriptEnabled = true): Promise<Page> {
    const context = await newContext(browser, { javaScriptEnabled });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    const adminUser = await createVerifiedUser();
    await grantSiteRole(adminUser.username, 'admin');
    const admin = await apiSession(adminUser);
    const lead = await createVerifiedUser();
    sigSlug = (await createActiveSig(admin, [lead.username])).slug;
    pkg = (await createPackage(admin, sigSlug)).name;
    const product = await createBugProduct(sigSlug);
    const reporter = await apiSession(await createVerifiedUser());
    bug = await fileBug(reporter, {
      product: product.name,
      component: pkg,
      version: product.version,
      summary: 'TLS handshake fails against old servers',
    });
    fixNvr = `${pkg}-1.2-3.oc9`;
    const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
    const build = (id: number, nvr: string, release: string, state: string, extra: string) =>
      `INSERT INTO builds (system, external_id, package_id, package_name, nvr, target, release, arches, state, owner,
         source_commit, started_at, finished_at, tags, tagged_at, task_id, task_url, log_url)
       SELECT 'koji', ${id}, p.id, p.name, ${q(nvr)}, 'dist-oc${release}', ${q(release)}, '{aarch64,x86_64}', ${q(state)},
         'kojiadmin', ${extra}, ${id * 10}, 'https://koji.example.test/koji/taskinfo?taskID=${id * 10}',
         'https://koji.example.test/koji/taskinfo?taskID=${id * 10}#logs'
       FROM packages p WHERE p.name = ${q(pkg)}`;
    const base = 900_000_000 + Math.floor(Math.random() * 90_000_000);
    await sql(
      [
        // 9: an older good build, then the fixing build, tagged into dist-oc9
        build(
          base,
          `${pkg}-1.2-2.oc9`,
          '9',
          'COMPLETE',
          `NULL, now() - interval '3 days', now() - interval '3 days', '{}', NULL`,
        ),
        build(
          base + 1,
          fixNvr,
          '9',
          'COMPLETE',
          `${q(sha)}, '2020-01-02', '2020-01-02 01:00', '{dist-oc9}', '2020-01-03'`,
        ),
        // 8: the last build failed
        build(
          base + 2,
          `${pkg}-1.2-3.oc8`,
          '8',
          'FAILED',
          `NULL, now() - interval '1 hour', now() - interval '50 minutes', '{}', NULL`,
        ),
        `INSERT INTO sync_commit_bug_links (commit_sha, bug_id, repo, branch, url, fixes, commented_at, created_at)
         VALUES (${q(sha)}, ${bug}, ${q(`src-opencloudos-rpms/${pkg}`)}, 'oc9', ${q(`https://gitee.com/src-opencloudos-rpms/${pkg}/commit/${sha}`)}, true, now(), '2020-01-01')`,
        `UPDATE bugs SET fixed_in = ${q(fixNvr)} WHERE id = ${bug}`,
        `INSERT INTO sync_bug_fix_releases (bug_id, release, build_id, released_at, notified_at)
         SELECT ${bug}, '9', id, '2020-01-03', '2020-01-03' FROM builds WHERE nvr = ${q(fixNvr)}`,
        `INSERT INTO mirror_master_repos (repo_key, size, timestamp, md5, sha1, sha256, sha512)
         VALUES ('9/E2ESync/x86_64', 1, extract(epoch FROM now())::bigint - 60, repeat('a', 32), repeat('a', 40), repeat('a', 64), repeat('a', 128))
         ON CONFLICT DO NOTHING`,
        // two repository mirrors that synced after every compose, one that is behind
        ...['a', 'b', 'c'].map(
          (
            n,
          ) => `INSERT INTO mirrors (name, sponsor, country, continent, bandwidth_mbps, contact_email, https_url, status,
               content, last_sync_at, last_probe_at)
             VALUES (${q(`${mirrorPrefix}-${n}`)}, 'E2E', 'CN', 'AS', 100, 'ops@example.test', ${q(`https://${mirrorPrefix}-${n}.example.test`)},
               'active', '{repos}', ${n === 'c' ? `'2020-01-01'` : `now() + interval '1 day'`}, now())`,
        ),
      ].join(';\n'),
    );
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await sql(
      `DELETE FROM mirrors WHERE name LIKE '${mirrorPrefix}-%'; DELETE FROM mirror_master_repos WHERE repo_key = '9/E2ESync/x86_64'`,
    );
    await browser.close();
  });

  it('shows the latest build per release and architecture, the history, and the SIG’s failing build', async () => {
    const page = await freshPage();
    await page.goto(`/packages/${pkg}`);
    const latest = page.getByRole('region', { name: 'Latest builds' });
    const row9 = latest.locator('tr[data-release="9"][data-arch="x86_64"]');
    await row9.getByText(fixNvr).waitFor();
    await row9.getByText('Complete').waitFor();
    await row9.getByText('In the dist-oc9 repository').waitFor();
    await latest.locator('tr[data-release="8"][data-arch="aarch64"]').getByText('Failed').waitFor();
    const history = page.getByRole('region', { name: 'Build history' });
    expect(await history.getByRole('listitem').count()).toBe(3);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'package-builds.png'), fullPage: true });

    // the SIG's page lists the failing package, without JavaScript too
    const plain = await freshPage(false);
    await plain.goto(`/sigs/${sigSlug}`);
    const failing = plain.getByRole('region', { name: /Failing builds/ });
    await failing.getByRole('link', { name: pkg }).waitFor();
    await failing.getByText(`${pkg}-1.2-3.oc8`).waitFor();
  });

  it('shows the fix trail of a bug: commit, build, tag, fix released and the mirror share, in both languages', async () => {
    const trail = (await (await fetch(`${baseUrl()}/api/v1/bugs/${bug}/builds`)).json()) as Trail;
    const mirrors = trail.releases[0]?.mirrors ?? null;
    expect(mirrors).toMatchObject({ composed: true });
    expect(mirrors!.carrying).toBeGreaterThanOrEqual(2);

    const page = await freshPage();
    await page.goto(`/bugs/${bug}`);
    const section = page.getByRole('region', { name: 'Fix trail' });
    const release = section.getByRole('article', { name: /OpenCloudOS 9/ });
    await release.getByText(sha.slice(0, 12)).waitFor();
    await release.getByRole('link', { name: fixNvr }).waitFor();
    await release.getByText('Tagged into dist-oc9').waitFor();
    await release.getByText(`Fix released in ${fixNvr}`).waitFor();
    await release.getByText(`${mirrors!.carrying} of ${mirrors!.mirrors} mirrors`).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'bug-fix-trail.png'), fullPage: true });

    const zh = await freshPage(false);
    await zh.context().addCookies([{ name: 'och_lang', value: 'zh-CN', url: baseUrl() }]);
    await zh.goto(`/bugs/${bug}`);
    const zhSection = zh.getByRole('region', { name: '修复追踪' });
    await zhSection.getByText('修复已发布', { exact: true }).first().waitFor();
    await zhSection.getByText(`个镜像站中已有 ${mirrors!.carrying} 个`).waitFor();
  });
});
