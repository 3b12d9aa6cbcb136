import { expectAccessible } from '../support/a11y';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext, logIn } from '../support/browser';
import { ARTIFACTS_DIR } from '../support/e2e-env';
import {
  apiSession,
  createActiveSig,
  grantSiteRole,
  setMembershipExpiry,
  type ApiSession,
  type TestSig,
} from '../support/sigs';
import { createVerifiedUser, type TestUser } from '../support/users';

describe('SIGs', () => {
  let browser: Browser;
  let admin: ApiSession;
  let lead: TestUser;
  let sig: TestSig;
  const contexts: BrowserContext[] = [];

  async function freshPage(options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
    const context = await newContext(browser, options);
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    const adminUser = await createVerifiedUser();
    await grantSiteRole(adminUser.username, 'admin');
    admin = await apiSession(adminUser);
    lead = await createVerifiedUser();
    sig = await createActiveSig(admin, [lead.username]);
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser.close();
  });

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])(
    'lets a user ask to join, a lead approve on the manage page, and the user find it under My SIGs, %s',
    async (_mode, javaScriptEnabled) => {
      const requester = await createVerifiedUser();

      const page = await freshPage({ javaScriptEnabled });
      await logIn(page, requester, `/sigs/${sig.slug}`);
      await page.getByRole('heading', { name: sig.nameEn, level: 1 }).waitFor();
      await page.getByLabel('Why do you want to join?').fill('I package kernels for a living.');
      await page.getByRole('button', { name: 'Request to join' }).click();
      await page.getByText('Your request has been sent.').waitFor();
      await page.getByText('Your request to join is waiting for a decision.').waitFor();
      await page.getByRole('button', { name: 'Withdraw request' }).waitFor();
      if (javaScriptEnabled) await expectAccessible(page);

      const leadPage = await freshPage({ javaScriptEnabled });
      await logIn(leadPage, lead, `/sigs/${sig.slug}`);
      await leadPage.getByRole('link', { name: 'Manage this SIG' }).click();
      await leadPage.waitForURL(`**/sigs/${sig.slug}/manage`);
      await leadPage.getByText('I package kernels for a living.').waitFor();
      if (javaScriptEnabled) await expectAccessible(leadPage);
      if (javaScriptEnabled) {
        await leadPage.screenshot({ path: path.join(ARTIFACTS_DIR, 'sig-manage.png'), fullPage: true });
      }
      await leadPage.getByRole('button', { name: `Approve the request of ${requester.username}` }).click();
      await leadPage.getByText(`${requester.username} is now a member.`).waitFor();
      await leadPage.getByRole('row', { name: new RegExp(requester.username) }).waitFor();

      await page.goto('/profile');
      const mySigs = page.getByRole('region', { name: 'My SIGs' });
      await mySigs.getByRole('link', { name: sig.nameEn }).waitFor();
      expect(await mySigs.textContent()).toContain('Member');
      if (javaScriptEnabled) await expectAccessible(page);
      if (javaScriptEnabled)
        await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'profile-sigs.png'), fullPage: true });

      await page.goto('/notifications');
      await page.getByText(`Welcome to the ${sig.nameEn} SIG`).first().waitFor();

      await page.goto(`/sigs/${sig.slug}`);
      await page.getByText('You are a Member of this SIG.').waitFor();
      await page.getByRole('button', { name: 'Leave this SIG' }).waitFor();
    },
  );

  it('shows the directory to a visitor in English and in 简体中文, and opens a SIG', async () => {
    const page = await freshPage();
    await page.goto(`/sigs?q=${sig.slug}`);
    await expectAccessible(page);
    await page.getByRole('heading', { name: 'Special interest groups' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(sig.slug) });
    await row.getByRole('link', { name: sig.nameEn }).waitFor();
    expect(await row.textContent()).not.toContain(sig.nameZh);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'sigs.png'), fullPage: true });

    await page.getByRole('button', { name: /Switch language to 简体中文/ }).click();
    await page.getByRole('heading', { name: '特别兴趣小组（SIG）' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    const zhRow = page.getByRole('row', { name: new RegExp(sig.slug) });
    await zhRow.getByRole('link', { name: sig.nameZh }).click();

    await page.waitForURL(`**/sigs/${sig.slug}`);
    await page.getByRole('heading', { name: sig.nameZh, level: 1 }).waitFor();
    await page.getByText('It has a second paragraph.').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'sig.png'), fullPage: true });
    await page.getByRole('link', { name: '登录后加入' }).waitFor();
    await page.getByRole('link', { name: `sig-${sig.slug.slice(4)}@lists.example.test` }).waitFor();
  });

  it('answers 404 for an unknown SIG and keeps a visitor out of the manage page', async () => {
    const page = await freshPage();
    const missing = await page.goto('/sigs/no-such-sig-here');
    expect(missing?.status()).toBe(404);
    await page.goto(`/sigs/${sig.slug}/manage`);
    await page.waitForURL(`**/login?next=${encodeURIComponent(`/sigs/${sig.slug}/manage`)}`);
  });

  it('refuses the manage page to a logged-in user who does not lead the SIG', async () => {
    const outsider = await createVerifiedUser();
    const page = await freshPage();
    await logIn(page, outsider, '/profile');
    await page.getByRole('region', { name: 'My SIGs' }).getByText('You are not in any SIG yet.').waitFor();
    const refused = await page.goto(`/sigs/${sig.slug}/manage`);
    expect(refused?.status()).toBe(403);
    await page.goto(`/sigs/${sig.slug}`);
    expect(await page.getByRole('link', { name: 'Manage this SIG' }).count()).toBe(0);
  });

  it('lets a member whose membership ends soon renew it from the SIG page', async () => {
    const member = await createVerifiedUser();
    const renewing = await createActiveSig(admin, [member.username]);
    await setMembershipExpiry(renewing.slug, member.username, 5);
    const page = await freshPage();
    await logIn(page, member, '/profile');
    await page.goto(`/sigs/${renewing.slug}`);
    await page.getByText(/Your membership ends on/).waitFor();
    await page.getByRole('button', { name: 'Renew for a year' }).click();
    await page.getByText('Your membership has been renewed.').waitFor();
    expect(await page.getByRole('button', { name: 'Renew for a year' }).count()).toBe(0);
  });
});
