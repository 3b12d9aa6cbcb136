import { expectAccessible } from '../support/a11y';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
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
