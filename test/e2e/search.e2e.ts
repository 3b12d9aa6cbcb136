import { expectAccessible } from '../support/a11y';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, newContext } from '../support/browser';
import { apiSession, createActiveSig, createPackage, grantSiteRole } from '../support/sigs';
import { createVerifiedUser } from '../support/users';

describe('site search', () => {
  let browser: Browser;
  let context: BrowserContext;
  let sigName: string;
  let pkg: string;
  let chinesePkg: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    const adminUser = await createVerifiedUser();
    await grantSiteRole(adminUser.username, 'admin');
    const admin = await apiSession(adminUser);
    const sig = await createActiveSig(admin, [adminUser.username]);
    sigName = sig.nameEn;
    pkg = (await createPackage(admin, sig.slug)).name;
    chinesePkg = (await createPackage(admin, sig.slug, { description: '高性能网络数据包捕获与分析工具' })).name;
  });
  afterEach(async () => {
    await context.close();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('jumps to the search box with "/" from any page and finds packages and SIGs', async () => {
    context = await newContext(browser);
    const page = await context.newPage();
    await page.goto('/sigs');
    await page.waitForLoadState('networkidle');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('site-search');
    await page.keyboard.type(pkg);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=/);
    await page.getByRole('heading', { name: 'Packages', level: 2 }).waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: pkg }).click();
    await page.waitForURL(`**/packages/${pkg}`);
    await expectAccessible(page);

    await page.goto(`/search?q=${encodeURIComponent(sigName)}&type=sigs`);
    await page.getByRole('link', { name: sigName }).waitFor();
    expect(await page.getByRole('heading', { name: 'Packages', level: 2 }).count()).toBe(0);
  });

  it('takes a Chinese reader from a Chinese query in the header to the package', async () => {
    context = await newContext(browser, { locale: 'zh-CN', extraHTTPHeaders: { 'accept-language': 'zh-CN' } });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('站内搜索').fill('数据包捕获');
    await page.getByLabel('站内搜索').press('Enter');
    await page.waitForURL(/\/search\?q=/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('数据包捕获');
    await page.getByRole('link', { name: chinesePkg }).click();
    await page.waitForURL(`**/packages/${chinesePkg}`);
    await page.getByRole('heading', { name: chinesePkg, level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  it('says so when nothing matches, without JavaScript too', async () => {
    context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Search the site').fill('zzzz-nothing-here');
    await page.getByLabel('Search the site').press('Enter');
    await page.getByText('Nothing matches “zzzz-nothing-here”.').waitFor();
  });
});
