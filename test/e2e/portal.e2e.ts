import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, newContext } from '../support/browser';
import { createBugProduct, fileBug } from '../support/bugs';
import { baseUrl, unique } from '../support/e2e-env';
import { signIn } from '../support/governance';
import { apiSession, createActiveSig, grantSiteRole, type ApiSession } from '../support/sigs';
import { createVerifiedUser, type TestUser } from '../support/users';

/**
 * Release pages, news, feeds and the SEO plumbing, against the built product. The release is one
 * of its own (an old 8.x, never the latest), so the download suites keep theirs.
 */
describe('portal: releases, news, feeds and SEO', () => {
  let browser: Browser;
  let context: BrowserContext;
  let adminUser: TestUser;
  let admin: ApiSession;
  const word = `lhissue${unique()}`;
  const version = `8.${Math.floor(Math.random() * 900) + 100}`;
  const newsSlug = `e2e-news-${unique()}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    adminUser = await createVerifiedUser();
    await grantSiteRole(adminUser.username, 'admin');
    admin = await apiSession(adminUser);
    const created = await admin.call('POST', '/api/v1/admin/releases', {
      family: 'opencloudos',
      version,
      name: `OpenCloudOS ${version}`,
      path: `opencloudos/${version}`,
      status: 'published',
      releasedOn: '2023-03-31',
      fullSupportUntil: '2026-12-31',
      eolOn: '2029-05-31',
    });
    expect(created.status).toBe(201);
    const page = await admin.call('PATCH', `/api/v1/admin/portal/releases/${version}`, {
      kernel: '5.4.119',
      taglineEn: 'The last 8.x point release',
      taglineZh: '8.x 最后一个小版本，龙芯移植预览',
      highlightsEn: '## Notable features\n\n- **cgroup v2** backports\n- <script>alert(1)</script> stays text',
      changelog: '- openssl security updates',
      knownIssuesQuery: word,
    });
    expect(page.status).toBe(200);
    const sig = await createActiveSig(admin, [adminUser.username]);
    const product = await createBugProduct(sig.slug);
    const bug = { product: product.name, component: product.component, version: product.version };
    await fileBug(admin, { ...bug, summary: `Installer hangs ${word}` });
    await fileBug(admin, { ...bug, summary: `Embargoed hole ${word}`, isPrivate: true });
    const news = await admin.call('POST', '/api/v1/admin/portal/posts', {
      kind: 'news',
      slug: newsSlug,
      titleEn: `OpenCloudOS ${version} & friends`,
      titleZh: `OpenCloudOS ${version} 发布`,
      summaryEn: 'A point release.',
      bodyEn: 'Read the release page.',
      status: 'published',
    });
    expect(news.status).toBe(201);
  });
  afterEach(async () => {
    await context?.close();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('shows a release: Markdown highlights, lifecycle, a downloads link and the public known issues only', async () => {
    context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto(`/releases/${version}`);
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: `OpenCloudOS ${version}` }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Notable features' }).waitFor();
    expect(await page.locator('.markdown strong').first().textContent()).toBe('cgroup v2');
    expect(await page.locator('.markdown script').count()).toBe(0);
    expect(await page.getByText('<script>alert(1)</script> stays text').count()).toBe(1);
    expect(await page.getByText('5.4.119').count()).toBeGreaterThan(0);
    const download = page.getByRole('link', { name: `All downloads of OpenCloudOS ${version}` });
    expect(await download.getAttribute('href')).toBe(`/download?release=opencloudos-${version}`);
    const issues = page.locator('section[aria-labelledby="known-issues"]');
    await issues.getByRole('link', { name: new RegExp(`Installer hangs ${word}`) }).waitFor();
    expect(await issues.getByText('Embargoed hole').count()).toBe(0);
    await page.goto('/releases');
    await page.getByRole('link', { name: `OpenCloudOS ${version}`, exact: true }).waitFor();
  });

  it('lets an admin edit a release page in a plain form', async () => {
    context = await newContext(browser, { javaScriptEnabled: false });
    await signIn(context, adminUser);
    const page = await context.newPage();
    await page.goto(`/releases/${version}`);
    await page.getByRole('link', { name: 'Edit this page' }).click();
    await page.getByLabel('Kernel version').fill('5.4.203');
    await page.getByLabel('Highlights (English, Markdown)').fill('## Now with *emphasis*');
    await page.getByLabel('End of life').fill('2030-05-31');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    await page.getByRole('link', { name: 'Back to the release page' }).click();
    await page.getByRole('heading', { level: 2, name: 'Now with emphasis' }).waitFor();
    expect(await page.getByText('5.4.203').count()).toBeGreaterThan(0);
    expect(await page.getByText('May 31, 2030').count()).toBe(1);

    // someone who is not an admin gets no form
    const other = await createVerifiedUser();
    const visitor = await newContext(browser, { javaScriptEnabled: false });
    await signIn(visitor, other);
    const res = await (await visitor.newPage()).goto(`/releases/${version}/edit`);
    expect(res?.status()).toBe(403);
    await visitor.close();
  });

  it('publishes news with an Atom feed the pages link to', async () => {
    const feed = await fetch(`${baseUrl()}/api/v1/portal/news.atom`);
    expect(feed.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const xml = await feed.text();
    expect(xml).toContain(`<id>${baseUrl()}/news/${newsSlug}</id>`);
    expect(xml).toContain(`OpenCloudOS ${version} &amp; friends`);
    const releases = await (await fetch(`${baseUrl()}/api/v1/portal/releases.atom`)).text();
    expect(releases).toContain(`${baseUrl()}/releases/${version}`);

    context = await newContext(browser);
    const page = await context.newPage();
    await page.goto('/news');
    await page.getByRole('link', { name: `OpenCloudOS ${version} & friends` }).click();
    await page.waitForURL(`**/news/${newsSlug}`);
    await page.getByText('Read the release page.').waitFor();
    const feeds = await page
      .locator('link[rel="alternate"][type="application/atom+xml"]')
      .evaluateAll((links) => links.map((l) => l.getAttribute('href')));
    expect(feeds).toEqual(expect.arrayContaining(['/api/v1/portal/news.atom', '/api/v1/portal/releases.atom']));
  });

  it('serves sitemap.xml, robots.txt, hreflang alternates, a canonical URL and Open Graph tags', async () => {
    const sitemap = await fetch(`${baseUrl()}/sitemap.xml`);
    expect(sitemap.headers.get('content-type')).toMatch(/^application\/xml/);
    const xml = await sitemap.text();
    expect(xml).toContain(`<loc>${baseUrl()}/releases/${version}</loc>`);
    expect(xml).toContain(`<loc>${baseUrl()}/news/${newsSlug}</loc>`);
    expect(xml).toContain(`hreflang="zh-CN" href="${baseUrl()}/releases/${version}?lang=zh-CN"`);
    const robots = await (await fetch(`${baseUrl()}/robots.txt`)).text();
    expect(robots).toContain(`Sitemap: ${baseUrl()}/sitemap.xml`);
    expect(robots).toMatch(/^Disallow: \/api\/$/m);

    const html = await (await fetch(`${baseUrl()}/releases/${version}?lang=zh-CN`)).text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain(`<link rel="canonical" href="${baseUrl()}/releases/${version}?lang=zh-CN"`);
    expect(html).toContain(`<link rel="alternate" hreflang="en" href="${baseUrl()}/releases/${version}?lang=en"`);
    expect(html).toContain(`<link rel="alternate" hreflang="x-default" href="${baseUrl()}/releases/${version}"`);
    expect(html).toContain(`<meta property="og:title" content="OpenCloudOS ${version}"`);
    expect(html).toContain('<meta property="og:locale" content="zh_CN"');
    expect(html).toContain('8.x 最后一个小版本');
    const en = await (await fetch(`${baseUrl()}/releases/${version}`, { headers: { 'accept-language': 'en' } })).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain(`<link rel="canonical" href="${baseUrl()}/releases/${version}"`);
  });

  it('finds the release by Chinese words in the site search, under its own type filter', async () => {
    context = await newContext(browser, { locale: 'zh-CN', extraHTTPHeaders: { 'accept-language': 'zh-CN' } });
    const page = await context.newPage();
    await page.goto(`/search?q=${encodeURIComponent('龙芯移植')}`);
    await page.locator('nav.tabs').getByRole('link', { name: '版本', exact: true }).click();
    await page.waitForURL(/type=releases/);
    await page.getByRole('link', { name: `OpenCloudOS ${version}`, exact: true }).click();
    await page.waitForURL(`**/releases/${version}`);
    await page.getByRole('heading', { level: 1, name: `OpenCloudOS ${version}` }).waitFor();
  });
});
