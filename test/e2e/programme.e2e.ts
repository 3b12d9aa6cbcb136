import { expectAccessible } from '../support/a11y';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, newContext } from '../support/browser';
import { waitForMail } from '../support/mailbox';
import { logIn, seatBody } from '../support/governance';
import { grantSiteRole } from '../support/sigs';
import { createVerifiedUser } from '../support/users';

describe('the 千百双扶 programme', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const freshPage = async (options: Parameters<typeof newContext>[1] = {}) => {
    const context = await newContext(browser, options);
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser.close();
  });

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])('takes an application, a reviewer accepts it, and the applicant is told, %s', async (_mode, javaScriptEnabled) => {
    const applicant = await createVerifiedUser();
    const reviewer = await createVerifiedUser();
    // council members review applications by default
    await seatBody('council', [[reviewer, null]]);
    const company = `Xiaoyun ${applicant.username}`;

    const page = await freshPage({ javaScriptEnabled });
    await logIn(page, applicant, '/programme');
    await page.waitForLoadState('networkidle');
    if (javaScriptEnabled) await expectAccessible(page);
    await page.getByLabel('Company name').fill(company);
    await page.getByLabel('Company size (employees)').selectOption('50-249');
    await page.getByLabel('Industry').fill('Manufacturing');
    await page.getByLabel('Operating systems and versions you run now').fill('CentOS 7.9');
    await page.getByLabel('Number of servers').fill('20000000');
    await page.getByLabel('When do you want to migrate?').selectOption('6m');
    await page.getByLabel('Migration assessment').check();
    await page.getByLabel('Training').check();
    await page.getByLabel('Contact person').fill('Wang');
    await page.getByRole('button', { name: 'Send the application' }).click();
    // an impossible server count comes back with the field marked and everything typed kept
    await page.locator('#field-serverCount[aria-invalid="true"]').waitFor();
    expect(await page.getByLabel('Company name').inputValue()).toBe(company);
    expect(await page.getByLabel('Training').isChecked()).toBe(true);
    await page.getByLabel('Number of servers').fill('320');
    await page.getByRole('button', { name: 'Send the application' }).click();
    await page.waitForURL(/\/programme\/applications\/\d+/);
    await page.getByText('your application has been received').waitFor();
    expect(await page.getByTestId('status').textContent()).toBe('Received');
    const url = new URL(page.url()).pathname;
    await waitForMail(applicant.email, (m) => m.subject.includes(company));

    const reviewerPage = await freshPage({ javaScriptEnabled });
    await logIn(reviewerPage, reviewer, '/programme/review');
    await reviewerPage.getByRole('link', { name: company }).click();
    await reviewerPage.waitForURL(`**${url}`);
    await reviewerPage.waitForLoadState('networkidle');
    await reviewerPage.getByLabel('Message', { exact: true }).fill('Check their MySQL versions first.');
    await reviewerPage.getByLabel('Note for reviewers only (hidden from the applicant)').check();
    await reviewerPage.getByRole('button', { name: 'Send' }).click();
    await reviewerPage.getByText('Check their MySQL versions first.').waitFor();
    await reviewerPage.getByLabel('New status').selectOption('accepted');
    await reviewerPage.getByLabel('Message to the applicant (optional)').fill('Welcome: an engineer will call you.');
    await reviewerPage.getByRole('button', { name: 'Save the decision' }).click();
    await reviewerPage.getByText('Saved; the applicant has been told.').waitFor();

    const mail = await waitForMail(applicant.email, (m) => m.subject.includes('accepted'));
    expect(mail.subject).toContain(company);
    await page.goto(url);
    expect(await page.getByTestId('status').textContent()).toBe('Accepted');
    await page.getByText('Welcome: an engineer will call you.').waitFor();
    if (javaScriptEnabled) await expectAccessible(page);
    expect(await page.getByText('Check their MySQL versions first.').count()).toBe(0);

    // nobody else can see it
    const stranger = await createVerifiedUser();
    const strangerPage = await freshPage({ javaScriptEnabled });
    await logIn(strangerPage, stranger, '/programme');
    const res = await strangerPage.goto(url);
    expect(res?.status()).toBe(404);
  });

  it('lets an admin export the applications as CSV', async () => {
    const admin = await createVerifiedUser();
    await grantSiteRole(admin.username, 'admin');
    const page = await freshPage();
    await logIn(page, admin, '/programme/review');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export all as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('qianbai-shuangfu-applications.csv');
  });
});
