import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext } from '../support/browser';
import { apiSession, createActiveSig, grantSiteRole, type TestSig } from '../support/sigs';
import { createVerifiedUser, type TestUser } from '../support/users';

async function logIn(page: Page, user: TestUser, next: string): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === next);
}

describe('bug tracker administration', () => {
  let browser: Browser;
  let lead: TestUser;
  let sig: TestSig;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    const adminUser = await createVerifiedUser();
    await grantSiteRole(adminUser.username, 'admin');
    lead = await createVerifiedUser();
    sig = await createActiveSig(await apiSession(adminUser), [lead.username]);
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser.close();
  });

  it("lets a lead set and clear the SIG's default bug assignee on the manage page, without JavaScript", async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    await logIn(page, lead, `/sigs/${sig.slug}/manage`);
    const select = page.getByLabel('Assignee', { exact: true });
    expect(await select.inputValue()).toBe('');
    await select.selectOption(lead.username);
    await page.getByRole('button', { name: 'Save assignee' }).click();
    await page.getByText(`New bugs now go to ${lead.username}.`).waitFor();
    await page.goto(`/sigs/${sig.slug}/manage`);
    expect(await page.getByLabel('Assignee', { exact: true }).inputValue()).toBe(lead.username);

    await page.getByLabel('Assignee', { exact: true }).selectOption('');
    await page.getByRole('button', { name: 'Save assignee' }).click();
    await page.getByText('New bugs are now left unassigned.').waitFor();
    expect(await page.getByLabel('Assignee', { exact: true }).inputValue()).toBe('');
  });
});
