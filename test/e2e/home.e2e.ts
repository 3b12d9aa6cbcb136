import { expectAccessible } from '../support/a11y';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { Client } from 'pg';
import { launchBrowser, newContext } from '../support/browser';
import { ARTIFACTS_DIR, baseUrl } from '../support/e2e-env';

describe('home page', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser.close();
  });

  it('renders on the server, so plain HTTP gets the content without running any script', async () => {
    const response = await fetch(`${baseUrl()}/`, { headers: { 'accept-language': 'en' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('OpenCloudOS Hub');
    expect(html).toContain('A stable, secure, high-performance Linux for servers');
    // the current release from the catalogue, or the general line while it has none
    expect(html).toMatch(/The current release|OpenCloudOS 9 is the current release\./);
    expect(html).toContain('href="/governance"');
    // the live numbers, rendered on the server from the API
    expect(html).toMatch(/<strong[^>]*>[\d,]+<\/strong> active SIGs/);
    expect(html).toMatch(/<strong[^>]*>[\d,]+<\/strong> open bugs/);
  });

  it('shows the numbers the database holds', async () => {
    const db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    // counted here by the rules a visitor expects, not by the API's query: private bugs and
    // proposed or archived SIGs do not count, mirrors only when active and up to date
    const counts = async () =>
      (
        await db.query<Record<string, number>>(
          `SELECT (SELECT count(*)::int FROM packages) AS packages,
                  (SELECT count(*)::int FROM sigs WHERE status = 'active') AS sigs,
                  (SELECT count(*)::int FROM bugs WHERE status IN ('UNCONFIRMED', 'CONFIRMED', 'IN_PROGRESS')
                      AND (NOT is_private OR embargo_until <= now())) AS bugs,
                  (SELECT count(*)::int FROM mirrors WHERE status = 'active' AND bucket = 'up-to-date') AS mirrors,
                  (SELECT count(*)::int FROM gov_proposals WHERE status = 'voting') AS votes`,
        )
      ).rows[0];
    const shown = async () => {
      const html = await (await fetch(`${baseUrl()}/`, { headers: { 'accept-language': 'en' } })).text();
      const number = (label: string) => {
        const digits = new RegExp(`<strong[^>]*>([\\d,]+)</strong> ${label}`).exec(html)?.[1];
        if (digits === undefined) throw new Error(`no number before "${label}" on the home page`);
        return Number(digits.replace(/,/g, ''));
      };
      return {
        packages: number('packages'),
        sigs: number('active SIGs'),
        bugs: number('open bugs'),
        mirrors: number('mirrors up to date'),
        votes: number('votes open'),
      };
    };
    try {
      // the workers may move a mirror or close a vote between the two reads: read until they agree
      let [page, held] = [await shown(), await counts()];
      for (let i = 0; i < 3 && JSON.stringify(page) !== JSON.stringify(held); i++) {
        [page, held] = [await shown(), await counts()];
      }
      expect(page).toEqual(held);
    } finally {
      await db.end();
    }
  });

  it('points to every area, each of which answers with a page', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto('/');
    await expectAccessible(page);
    for (const [name, href] of [
      ['Download', '/download'],
      ['Mirrors', '/mirrors'],
      ['SIGs', '/sigs'],
      ['Bugs', '/bugs'],
      ['Governance', '/governance'],
      ['千百双扶 programme', '/programme'],
    ] as const) {
      const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
      expect(await link.getAttribute('href')).toBe(href);
      const response = await fetch(`${baseUrl()}${href}`, { headers: { 'accept-language': 'en' } });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<h1');
      expect(html).not.toContain('Coming soon');
    }
    await context.close();
  });

  it('looks like a page: a screenshot is saved to test/artifacts/home.png', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = path.join(ARTIFACTS_DIR, 'home.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    await context.close();
  });
});
