import { expectAccessible } from '../support/a11y';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext, logIn } from '../support/browser';
import { ARTIFACTS_DIR } from '../support/e2e-env';
import { apiSession, createActiveSig, createPackage, grantSiteRole } from '../support/sigs';
import { createVerifiedUser } from '../support/users';

describe('Packages', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function freshPage(): Promise<Page> {
    const context = await newContext(browser);
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser.close();
  });

  it('moves a package to another SIG when a lead of each side agrees on the package page', async () => {
    const adminUser = await createVerifiedUser();
    await grantSiteRole(adminUser.username, 'admin');
    const admin = await apiSession(adminUser);
    const leadA = await createVerifiedUser();
    const leadB = await createVerifiedUser();
    const sigA = await createActiveSig(admin, [leadA.username]);
    const sigB = await createActiveSig(admin, [leadB.username]);
    const pkg = await createPackage(admin, sigA.slug);
    const packagePath = `/packages/${pkg.name}`;

    const pageA = await freshPage();
    await logIn(pageA, leadA, `/sigs/${sigA.slug}`);
    await pageA.getByRole('link', { name: pkg.name }).click();
    await pageA.waitForURL(`**${packagePath}`);
    await pageA.getByRole('heading', { name: pkg.name, level: 1 }).waitFor();
    await expectAccessible(pageA);
    await pageA.getByLabel('Target SIG (slug)').fill(sigB.slug);
    await pageA.getByLabel('Reason').fill('Group B maintains the rest of this stack.');
    await pageA.getByRole('button', { name: 'Request transfer' }).click();
    await pageA.getByText('The transfer has been requested.').waitFor();

    const pageB = await freshPage();
    await logIn(pageB, leadB, packagePath);
    await pageB.getByText('Group B maintains the rest of this stack.').waitFor();
    await pageB.getByRole('button', { name: 'Approve transfer' }).click();
    await pageB.getByText('You approved the transfer.').waitFor();
    await pageB.getByText('Completed').waitFor();
    await pageB.screenshot({ path: path.join(ARTIFACTS_DIR, 'package.png'), fullPage: true });

    await pageB.reload();
    const owner = pageB.locator('dt', { hasText: 'Owning SIG' }).locator('+ dd');
    await owner.getByRole('link', { name: sigB.nameEn }).waitFor();

    await pageB.goto(`/packages?sig=${sigB.slug}`);
    await pageB.getByRole('link', { name: pkg.name }).waitFor();
  });

  it('lets a user propose a SIG, which an admin activates, and refuses to archive a SIG that owns packages', async () => {
    const adminUser = await createVerifiedUser();
    await grantSiteRole(adminUser.username, 'admin');
    const [proposer, second, third] = await Promise.all([
      createVerifiedUser(),
      createVerifiedUser(),
      createVerifiedUser(),
    ]);
    const slug = `e2e-p-${Date.now().toString(36)}`;

    const page = await freshPage();
    await logIn(page, proposer, '/sigs');
    await page.getByRole('link', { name: 'Propose a SIG' }).click();
    await page.waitForURL('**/sigs/propose');
    await page.getByLabel('Slug').fill(slug);
    await page.getByLabel('Chinese name').fill('提案小组');
    await page.getByLabel('English name').fill('Proposed group');
    await page.getByLabel('Founders').fill(`${proposer.username}, ${second.username} ${third.username}`);
    await page.getByRole('button', { name: 'Submit proposal' }).click();
    await page.waitForURL(`**/sigs/${slug}`);
    await page.getByRole('heading', { name: 'Proposed group', level: 1 }).waitFor();

    const adminPage = await freshPage();
    await logIn(adminPage, adminUser, `/sigs/${slug}`);
    await adminPage.getByRole('button', { name: 'Activate SIG' }).click();
    await adminPage.getByText('The SIG is now active.').waitFor();
    await createPackage(await apiSession(adminUser), slug);
    await adminPage.reload();
    await adminPage.getByRole('button', { name: 'Archive SIG' }).click();
    await adminPage.getByText('The SIG still owns packages; transfer them to another SIG first.').waitFor();
  });

  it('answers 404 for an unknown package', async () => {
    const page = await freshPage();
    const response = await page.goto('/packages/no-such-package-e2e');
    expect(response?.status()).toBe(404);
  });
});
