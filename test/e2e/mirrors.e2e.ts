import { expectAccessible } from '../support/a11y';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext, logIn } from '../support/browser';
import { baseUrl } from '../support/e2e-env';
import { seedMirrorFixtures } from '../support/mirrors';
import { grantSiteRole } from '../support/sigs';
import { createVerifiedUser } from '../support/users';

describe('Mirror status board', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function freshPage(options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
    const context = await newContext(browser, options);
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    await seedMirrorFixtures();
    browser = await launchBrowser();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser.close();
  });

  it('shows each mirror’s freshness, protocols, score and a week of uptime, freshest first', async () => {
    const page = await freshPage();
    await page.goto('/mirrors');
    await page.getByRole('heading', { name: 'Mirror status', level: 1 }).waitFor();
    await expectAccessible(page);
    const order = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-mirror')));
    expect(order.filter((n) => n?.startsWith('e2e-'))).toEqual(['e2e-cn', 'e2e-de', 'e2e-stale', 'e2e-down']);
    const cn = page.locator('tr[data-mirror="e2e-cn"]');
    expect(await cn.locator('[data-bucket]').getAttribute('data-bucket')).toBe('up-to-date');
    await cn.getByText('Up to date').waitFor();
    expect(await cn.locator('svg rect').count()).toBe(7);
    const down = page.locator('tr[data-mirror="e2e-down"]');
    await down.getByText('Unreachable').waitFor();
    await down.getByText('invalid TLS certificate').waitFor();
    expect(await down.getByRole('link', { name: 'https' }).getAttribute('title')).toBe('https: not answering');
    // colour-coded: a fresh and an unreachable mirror do not look alike
    const colour = (row: typeof cn) =>
      row.locator('[data-bucket]').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await colour(cn)).not.toBe(await colour(down));
  });

  it('filters without JavaScript and offers the same list as JSON', async () => {
    const page = await freshPage({ javaScriptEnabled: false });
    await page.goto('/mirrors');
    await page.getByLabel('Freshness').selectOption('unreachable');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((url) => url.searchParams.get('bucket') === 'unreachable');
    const names = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-mirror')));
    expect(names).toContain('e2e-down');
    expect(names).not.toContain('e2e-cn');
    const json = await page.getByRole('link', { name: 'This list as JSON' }).getAttribute('href');
    expect(json).toBe('/api/v1/mirrors/status?bucket=unreachable');
    const res = await fetch(`${baseUrl()}${json}`);
    const body = (await res.json()) as { items: { name: string; uptime7d: unknown[] }[] };
    expect(body.items.map((m) => m.name)).toContain('e2e-down');
    expect(body.items.every((m) => m.uptime7d.length === 7)).toBe(true);
  });

  it('lets an operator register a mirror without JavaScript and an admin approve it', async () => {
    const operator = await createVerifiedUser();
    const page = await freshPage({ javaScriptEnabled: false });
    await logIn(page, operator, '/mirrors/register');
    const name = `mirror-${operator.username}.example.org`.slice(0, 60);
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Sponsor', { exact: true }).fill('Example University');
    await page.getByLabel('Country code').fill('zz');
    await page.getByLabel('Bandwidth (Mbit/s)').fill('1000');
    await page.getByLabel('HTTPS URL').fill('https://mirror.example.org');
    await page.getByRole('button', { name: 'Register' }).click();
    // the API's field errors come back next to the field, the typed values kept
    await page.getByText('country must be an ISO 3166-1 alpha-2 code').waitFor();
    expect(await page.getByLabel('Country code').inputValue()).toBe('ZZ');
    expect(await page.getByLabel('Sponsor', { exact: true }).inputValue()).toBe('Example University');
    await page.getByLabel('Country code').fill('de');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.waitForURL((url) => url.pathname === '/mirrors/manage');
    await page.getByText('your mirror is registered and waits for an admin').waitFor();
    await page.locator(`tr[data-mirror="${name}"]`).getByText('Waiting for approval').waitFor();

    const adminUser = await createVerifiedUser();
    await grantSiteRole(adminUser.username, 'admin');
    const admin = await freshPage();
    await logIn(admin, adminUser, '/mirrors/manage');
    const row = admin.getByRole('region', { name: 'All mirrors (admins)' }).locator(`tr[data-mirror="${name}"]`);
    await row.getByRole('button', { name: 'Approve' }).click();
    await admin.getByText(`${name} is approved.`).waitFor();
    await row.getByRole('button', { name: 'Disable' }).waitFor();
    await admin.goto('/mirrors?country=DE');
    await admin.locator(`tr[data-mirror="${name}"]`).getByText('Unknown').waitFor();
  });
});
