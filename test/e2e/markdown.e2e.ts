import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext } from '../support/browser';
import { baseUrl } from '../support/e2e-env';
import { apiSession, createActiveSig, grantSiteRole, type ApiSession, type TestSig } from '../support/sigs';
import { createVerifiedUser } from '../support/users';
import { findDangers } from '../support/markdown-dangers';
import { XSS_CORPUS } from '../support/xss-corpus';

/** The API's limit on a SIG description (SigFieldsDto). */
const DESCRIPTION_MAX = 20000;

/**
 * The corpus as few descriptions as fit, each payload under a heading that names it, so a failure
 * points at the payload that caused it.
 */
function hostileDescriptions(): string[] {
  const descriptions: string[] = [];
  let current = '';
  for (const payload of XSS_CORPUS) {
    const block = `### Payload ${payload.n}\n\n${payload.source}\n\n`;
    if (block.length > DESCRIPTION_MAX) throw new Error(`payload ${payload.n} alone is too long for a description`);
    if (current.length + block.length > DESCRIPTION_MAX) {
      descriptions.push(current);
      current = '';
    }
    current += block;
  }
  return current === '' ? descriptions : [...descriptions, current];
}

const ORDINARY = [
  '## Release plan',
  '',
  'We ship **twice** a year; see https://example.com/plan for the _details_ and ~~old~~ dates.',
  '',
  '- kernel',
  '- toolchain',
  '',
  '- [x] branch created',
  '- [ ] mass rebuild',
  '',
  '```sh',
  'dnf install kernel',
  '```',
  '',
  '| Branch | Status |',
  '| ------ | -----: |',
  '| oc9    | active |',
  '',
  'Read [the guide](https://docs.example.com/guide "Guide") or [the SIG list](/sigs).',
  '',
  'Raw <b>HTML</b> stays text.',
].join('\n');

describe('Markdown in user text', () => {
  let browser: Browser;
  let admin: ApiSession;
  let hostile: TestSig[];
  let ordinary: TestSig;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    const adminUser = await createVerifiedUser();
    await grantSiteRole(adminUser.username, 'admin');
    admin = await apiSession(adminUser);
    const lead = await createVerifiedUser();
    hostile = [];
    for (const description of hostileDescriptions())
      hostile.push(await createActiveSig(admin, [lead.username], { description }));
    ordinary = await createActiveSig(admin, [lead.username], { description: ORDINARY });
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser.close();
  });

  /**
   * A page that records every sign of a payload running: calls of `window.__xss`, dialogs, and
   * navigations away from the page. The page's Content-Security-Policy is bypassed on purpose: it
   * would block inline handlers by itself, and this suite proves the sanitiser alone keeps them out.
   */
  async function watchedPage(javaScriptEnabled: boolean) {
    const context = await newContext(browser, { javaScriptEnabled, bypassCSP: true });
    contexts.push(context);
    // nothing leaves the machine: payload images and links point at example.com
    await context.route(
      (url) => !url.href.startsWith(baseUrl()),
      (route) => route.abort(),
    );
    await context.addInitScript(() => {
      const calls: number[] = [];
      Object.assign(window, { __xssCalls: calls, __xss: (n: number) => calls.push(n) });
    });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    return { page, dialogs, navigations };
  }

  async function xssCalls(page: Page): Promise<number[]> {
    return page.evaluate(() => (window as unknown as { __xssCalls?: number[] }).__xssCalls ?? []);
  }

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])('shows every payload of the hostile corpus as inert content, %s', async (_mode, javaScriptEnabled) => {
    for (const sig of hostile) {
      const { page, dialogs, navigations } = await watchedPage(javaScriptEnabled);
      const path = `/sigs/${sig.slug}`;
      await page.goto(path, { waitUntil: 'load' });
      await page.getByRole('heading', { name: sig.nameEn, level: 1 }).waitFor();
      await page.locator('.markdown h3').first().waitFor();
      // a refresh, a handler on a failed image or a hydration pass may act a moment after load
      await page.waitForTimeout(750);

      // one comparison, so that a failure lists every sign at once
      expect({
        navigatedAway: navigations.filter((url) => new URL(url).pathname !== path),
        dialogs,
        executedPayloads: javaScriptEnabled ? await xssCalls(page) : [],
        dangers: await page.locator('.markdown').evaluateAll(findDangers),
      }).toEqual({ navigatedAway: [], dialogs: [], executedPayloads: [], dangers: [] });
      // the payloads are there, shown as text (not dropped), e.g. the script tag of payload 1
      const text = await page.locator('.markdown').innerText();
      expect(text).toContain('<script>__xss(1)</script>');
      expect(await page.locator('.markdown h3').count()).toBeGreaterThan(0);
    }
  });

  it('renders ordinary Markdown: headings, lists, task lists, code, tables and safe links', async () => {
    const { page } = await watchedPage(true);
    await page.goto(`/sigs/${ordinary.slug}`);
    const markdown = page.locator('.markdown');
    await markdown.getByRole('heading', { name: 'Release plan', level: 2 }).waitFor();
    expect(await markdown.locator('strong').innerText()).toBe('twice');
    expect(await markdown.locator('em').innerText()).toBe('details');
    expect(await markdown.locator('del').innerText()).toBe('old');
    expect(await markdown.getByRole('listitem').allInnerTexts()).toEqual(
      expect.arrayContaining(['kernel', 'toolchain']),
    );
    const boxes = markdown.getByRole('checkbox');
    expect(await boxes.count()).toBe(2);
    expect(await boxes.first().isChecked()).toBe(true);
    expect(await boxes.first().isDisabled()).toBe(true);
    expect(await markdown.locator('pre code.language-sh').innerText()).toContain('dnf install kernel');
    await markdown.getByRole('columnheader', { name: 'Branch' }).waitFor();
    await markdown.getByRole('cell', { name: 'oc9' }).waitFor();
    expect(await markdown.locator('.table-wrap table').count()).toBe(1);

    const guide = markdown.getByRole('link', { name: 'the guide' });
    expect(await guide.getAttribute('href')).toBe('https://docs.example.com/guide');
    expect(await guide.getAttribute('title')).toBe('Guide');
    expect(await guide.getAttribute('rel')).toBe('nofollow noopener noreferrer ugc');
    expect(await guide.getAttribute('target')).toBeNull();
    expect(await markdown.getByRole('link', { name: 'the SIG list' }).getAttribute('href')).toBe('/sigs');
    // a bare URL becomes a link
    const bare = markdown.getByRole('link', { name: 'https://example.com/plan' });
    expect(await bare.getAttribute('href')).toBe('https://example.com/plan');

    expect(await markdown.innerText()).toContain('Raw <b>HTML</b> stays text.');
    expect(await markdown.locator('b').count()).toBe(0);
  });

  it('keeps the "no description" text for a SIG without one', async () => {
    const lead = await createVerifiedUser();
    const bare = await createActiveSig(admin, [lead.username], { description: '' });
    const { page } = await watchedPage(false);
    await page.goto(`/sigs/${bare.slug}`);
    await page.getByRole('heading', { name: bare.nameEn, level: 1 }).waitFor();
    expect(await page.locator('.markdown').count()).toBe(0);
    await page.getByRole('region', { name: 'About' }).getByText('This SIG has no description yet.').waitFor();
  });
});
