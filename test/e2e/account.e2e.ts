import { expectAccessible } from '../support/a11y';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext } from '../support/browser';
import { linkIn, waitForMail } from '../support/mailbox';
import { createVerifiedUser, makeUser } from '../support/users';

describe('account', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser.close();
  });

  beforeEach(async () => {
    context = await newContext(browser);
    page = await context.newPage();
  });

  afterEach(async () => {
    await context.close();
  });

  it('registers, verifies the email from the mail, logs in, creates a token shown once, revokes it and logs out', async () => {
    const user = makeUser();

    await page.goto('/register');
    await expectAccessible(page);
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();

    const mail = await waitForMail(user.email, (m) => /verify-email/.test(m.text + m.html));
    await page.goto(linkIn(mail, '/verify-email'));
    await page.getByText('Your email address is verified').waitFor();

    await page.getByRole('link', { name: 'Go to login' }).click();
    await page.getByLabel('Username or email').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.waitForURL('**/profile');
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await expectAccessible(page);
    expect(await page.locator('dd', { hasText: user.email }).count()).toBe(1);

    await page.getByRole('link', { name: 'Manage API tokens' }).click();
    await page.waitForURL('**/profile/tokens');
    await page.getByLabel('Token name').fill('ci-token');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = page.getByLabel('Token secret');
    await secret.waitFor();
    const value = await secret.inputValue();
    expect(value.length).toBeGreaterThan(16);
    await page.getByText('this is the only time it is shown').waitFor();
    await page.getByRole('row', { name: /ci-token/ }).waitFor();

    // Shown once: a fresh load of the page lists the token but no longer reveals its secret.
    await page.reload();
    await page.getByRole('row', { name: /ci-token/ }).waitFor();
    expect(await page.getByLabel('Token secret').count()).toBe(0);
    expect(await page.content()).not.toContain(value);

    await page.getByRole('button', { name: 'Revoke token ci-token' }).click();
    await page.getByText('The token has been revoked.').waitFor();
    expect(await page.getByRole('row', { name: /ci-token/ }).count()).toBe(0);

    await page.locator('summary', { hasText: user.username }).click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === 'och_session')).toBeUndefined();

    // Logged out for real: the profile now asks for a login again.
    await page.goto('/profile');
    await page.waitForURL('**/login?next=%2Fprofile');
  });

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])('shows the error and keeps the username after a wrong password, %s', async (_mode, javaScriptEnabled) => {
    const user = await createVerifiedUser();
    await context.close();
    context = await newContext(browser, { javaScriptEnabled });
    page = await context.newPage();

    await page.goto('/login');
    if (javaScriptEnabled) await expectAccessible(page);
    await page.getByLabel('Username or email').fill(user.username);
    await page.getByLabel('Password').fill('not-the-password-at-all');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The username, email or password is not correct.');
    expect(await page.getByLabel('Username or email').inputValue()).toBe(user.username);
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});
