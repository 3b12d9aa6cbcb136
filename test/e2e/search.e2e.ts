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

  beforeAll(async () => {
    browser = await launchBrowser();
    const adminUser = await createVerifiedUser();
    await grantSiteRole(adminUser.username, 'admin');
    const admin = await apiSession(adminUser);
    const sig = await createActiveSig(admin, [adminUser.username]);
    sigName = sig.nameEn;
    pkg = (await createPackage(admin, sig.slug)).name;
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

  it('says so when nothing matches, without JavaScript too', async () => {
    context = await newContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Search the site').fill('zzzz-nothing-here');
    await page.getByLabel('Search the site').press('Enter');
    await page.getByText('Nothing matches “zzzz-nothing-here”.').waitFor();
  });
});
