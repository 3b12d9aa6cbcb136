import { expectAccessible } from '../support/a11y';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext, logIn } from '../support/browser';
import { addComment, createBugProduct, fileBug, type TestProduct } from '../support/bugs';
import { ARTIFACTS_DIR, baseUrl, unique } from '../support/e2e-env';
import { findDangers } from '../support/markdown-dangers';
import {
  apiSession,
  createActiveSig,
  createPackage,
  grantSiteRole,
  type ApiSession,
  type TestSig,
} from '../support/sigs';
import { createVerifiedUser, type TestUser } from '../support/users';
import { XSS_CORPUS } from '../support/xss-corpus';

/** The API's limit on one comment (CommentInputDto). */
const COMMENT_MAX = 65535;

/** The corpus as few comments as fit, each payload under a heading that names it. */
function hostileComments(): string[] {
  const comments: string[] = [];
  let current = '';
  for (const payload of XSS_CORPUS) {
    const block = `### Payload ${payload.n}\n\n${payload.source}\n\n`;
    if (current.length + block.length > COMMENT_MAX) {
      comments.push(current);
      current = '';
    }
    current += block;
  }
  return current === '' ? comments : [...comments, current];
}

describe('Bugs', () => {
  let browser: Browser;
  let lead: TestUser;
  let reporter: TestUser;
  let reporterApi: ApiSession;
  let sig: TestSig;
  let pkg: string;
  let product: TestProduct;
  let existing: { id: number; summary: string };
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
    const admin = await apiSession(adminUser);
    lead = await createVerifiedUser();
    sig = await createActiveSig(admin, [lead.username]);
    pkg = (await createPackage(admin, sig.slug)).name;
    product = await createBugProduct(sig.slug);
    reporter = await createVerifiedUser();
    reporterApi = await apiSession(reporter);
    const summary = `kernel panic on boot with nvme driver after upgrade ${unique()}`;
    existing = {
      id: await fileBug(reporterApi, { product: product.name, component: pkg, version: product.version, summary }),
      summary,
    };
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser.close();
  });

  it('sends a visitor who wants to file a bug to the login page first', async () => {
    const page = await freshPage();
    await page.goto('/bugs/new');
    await page.waitForURL(`**/login?next=${encodeURIComponent('/bugs/new')}`);
  });

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])(
    'lets a user file a bug past a duplicate hint and comment in Markdown, and a SIG lead confirm it, %s',
    async (_mode, javaScriptEnabled) => {
      const user = await createVerifiedUser();
      const page = await freshPage({ javaScriptEnabled });
      await logIn(page, user, '/bugs/new');
      await page.getByRole('link', { name: product.name }).click();
      await page.getByRole('heading', { name: `A bug in ${product.name}` }).waitFor();
      // the description starts from the product's template
      expect(await page.getByLabel('Description').inputValue()).toContain('**Steps to reproduce**');
      if (javaScriptEnabled) await expectAccessible(page);

      await page.getByLabel('Component').fill(pkg);
      const summary = `kernel panic on boot with nvme driver ${javaScriptEnabled ? 'live' : 'checked'}`;
      await page.getByLabel('Summary').fill(summary);
      // with JavaScript the hints come as you type; without, from the "check" round trip
      if (!javaScriptEnabled) await page.getByRole('button', { name: 'Check for duplicates' }).click();
      const hints = page.locator('.duplicates');
      await hints.getByText('These existing bugs look similar:').waitFor();
      await hints.getByRole('link', { name: `#${existing.id} ${existing.summary}` }).waitFor();
      if (javaScriptEnabled) await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'bug-new.png'), fullPage: true });
      // what was typed survives the check
      expect(await page.getByLabel('Summary').inputValue()).toBe(summary);

      await page.getByLabel('Description').fill('It panics.\n\nSteps: `boot` the *new* kernel.');
      await page.getByRole('button', { name: 'File bug' }).click();
      await page.waitForURL(/\/bugs\/\d+$/);
      const bugPath = new URL(page.url()).pathname;
      await page.getByRole('heading', { name: summary, level: 1 }).waitFor();
      await page.locator('.badge', { hasText: 'Unconfirmed' }).first().waitFor();
      const description = page.getByRole('region', { name: 'Description' });
      expect(await description.locator('.markdown code').innerText()).toBe('boot');
      expect(await description.locator('.markdown em').innerText()).toBe('new');
      await page.getByRole('link', { name: pkg }).waitFor();
      if (javaScriptEnabled) await expectAccessible(page);

      await page.getByLabel('Comment', { exact: true }).fill('Also on **bare metal**:\n\n- node 1\n- node 2');
      await page.getByRole('button', { name: 'Comment', exact: true }).click();
      await page.getByText('Your comment has been added.').waitFor();
      const comments = page.getByRole('region', { name: /^Comments/ });
      expect(await comments.locator('.markdown strong').innerText()).toBe('bare metal');
      expect(await comments.locator('.markdown li').allInnerTexts()).toEqual(['node 1', 'node 2']);
      // a reporter may not confirm their own bug
      expect(await page.getByRole('option', { name: 'Confirmed' }).count()).toBe(0);

      const leadPage = await freshPage({ javaScriptEnabled });
      await logIn(leadPage, lead, bugPath);
      await leadPage.getByLabel('Status', { exact: true }).selectOption('CONFIRMED');
      await leadPage.getByRole('button', { name: 'Change status' }).click();
      await leadPage.getByText('The status has been changed.').waitFor();
      await leadPage.locator('header .badge', { hasText: 'Confirmed' }).waitFor();
      if (javaScriptEnabled)
        await leadPage.screenshot({ path: path.join(ARTIFACTS_DIR, 'bug-page.png'), fullPage: true });
    },
  );

  it('finds a bug by its Chinese summary with a Chinese query, in English and in 简体中文', async () => {
    const marker = unique();
    const summary = `安装程序在 UEFI 模式下无法识别固态硬盘 ${marker}`;
    const id = await fileBug(reporterApi, { product: product.name, component: 'General', version: '9.2', summary });
    const page = await freshPage();
    await page.goto('/bugs');
    await page.getByRole('heading', { name: 'Bugs', level: 1 }).waitFor();
    await expectAccessible(page);
    // typing before the page has hydrated would be wiped by it: wait until the scripts have run
    await page.waitForLoadState('networkidle');
    await page.getByRole('searchbox', { name: 'Search bugs' }).fill('无法识别固态硬盘');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/q=%E6%97%A0/);
    await page
      .getByRole('row', { name: new RegExp(marker) })
      .getByRole('link', { name: summary })
      .waitFor();
    // the search did filter: a recent bug without those words leaves the list (the unfiltered list
    // shown before the search holds both, so wait for it to go rather than count at once)
    await page.getByRole('link', { name: existing.summary }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: /Switch language to 简体中文/ }).click();
    await page.getByRole('heading', { name: '缺陷', level: 1 }).waitFor();
    // the same search, now typed into the Chinese page (once it has hydrated)
    await page.waitForLoadState('networkidle');
    await page.getByRole('searchbox', { name: '搜索缺陷' }).fill('识别固态硬盘');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.waitForURL(/q=%E8%AF%86/);
    await page
      .getByRole('row', { name: new RegExp(marker) })
      .getByRole('link', { name: summary })
      .click();
    await page.waitForURL(`**/bugs/${id}`);
    await page.getByRole('heading', { name: summary, level: 1 }).waitFor();
    await page.getByText('未确认').first().waitFor();
  });

  it('shows a private security bug to its reporter only: 404 and no search result for others', async () => {
    const marker = `embargoed${unique()}`;
    const summary = `sudo privilege escalation ${marker}`;
    const id = await fileBug(reporterApi, {
      product: product.name,
      component: pkg,
      version: '9.2',
      summary,
      isPrivate: true,
    });

    const own = await freshPage();
    await logIn(own, reporter, `/bugs/${id}`);
    await own.getByRole('heading', { name: summary, level: 1 }).waitFor();
    await own.locator('header .badge', { hasText: 'Private' }).waitFor();
    await own.goto(`/bugs?q=${marker}`);
    await own.getByRole('link', { name: summary }).waitFor();

    const stranger = await createVerifiedUser();
    const strangerPage = await freshPage();
    await logIn(strangerPage, stranger, '/bugs');
    const visitorPage = await freshPage();
    for (const page of [strangerPage, visitorPage]) {
      const response = await page.goto(`/bugs/${id}`);
      expect(response?.status()).toBe(404);
      expect(await page.content()).not.toContain(marker);
      await page.goto(`/bugs?q=${marker}`);
      await page.getByText('No bugs match this search.').waitFor();
      expect(await page.getByRole('link', { name: summary }).count()).toBe(0);
      // the feed names the query it answers, but lists no entry
      const feed = await page.request.get(`/api/v1/bugs/feed.atom?q=${marker}`);
      expect(await feed.text()).not.toContain('<entry>');
    }
  });

  it('shows every payload of the hostile corpus in comments as inert content', async () => {
    const summary = `hostile comments ${unique()}`;
    const id = await fileBug(reporterApi, { product: product.name, component: pkg, version: '9.2', summary });
    for (const comment of hostileComments()) await addComment(reporterApi, id, comment);

    for (const javaScriptEnabled of [true, false]) {
      const context = await newContext(browser, { javaScriptEnabled, bypassCSP: true });
      contexts.push(context);
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
      const bugPath = `/bugs/${id}`;
      await page.goto(bugPath, { waitUntil: 'load' });
      await page.getByRole('heading', { name: summary, level: 1 }).waitFor();
      await page.locator('.markdown h3').first().waitFor();
      await page.waitForTimeout(750);

      expect({
        navigatedAway: navigations.filter((url) => new URL(url).pathname !== bugPath),
        dialogs,
        executedPayloads: javaScriptEnabled
          ? await page.evaluate(() => (window as unknown as { __xssCalls?: number[] }).__xssCalls ?? [])
          : [],
        dangers: await page.locator('.markdown').evaluateAll(findDangers),
      }).toEqual({ navigatedAway: [], dialogs: [], executedPayloads: [], dangers: [] });
      const text = await page.locator('.comment .markdown').allInnerTexts();
      expect(text.join('\n')).toContain('<script>__xss(1)</script>');
      expect(await page.locator('.comment .markdown h3').count()).toBe(XSS_CORPUS.length);
    }
  });

  it('uploads an attachment and serves it as a download', async () => {
    const summary = `attachment ${unique()}`;
    const id = await fileBug(reporterApi, { product: product.name, component: pkg, version: '9.2', summary });
    const page = await freshPage({ javaScriptEnabled: false });
    await logIn(page, reporter, `/bugs/${id}`);
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'dmesg.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('[    0.000000] Linux version 6.6.47\n<script>__xss(0)</script>\n'),
    });
    await page.getByRole('textbox', { name: 'Description', exact: true }).fill('boot log');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('The attachment has been added.').waitFor();
    const link = page.getByRole('region', { name: /^Attachments/ }).getByRole('link', { name: 'dmesg.txt' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/attachments\/\d+\/raw$/);
    const download = await page.request.get(href ?? '');
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toMatch(/^attachment;/);
    expect(await download.text()).toContain('Linux version 6.6.47');
  });

  it("lets a reporter watch a SIG's bugs from the SIG page, without JavaScript", async () => {
    const page = await freshPage({ javaScriptEnabled: false });
    await logIn(page, reporter, `/sigs/${sig.slug}`);
    await page.getByRole('button', { name: "Watch this SIG's bugs" }).click();
    await page.getByText('You will get mail about every bug routed to this SIG.').waitFor();
    await page.getByText('1 watching').waitFor();
    await page.getByRole('button', { name: 'Stop watching its bugs' }).click();
    await page.getByText("You no longer watch this SIG's bugs.").waitFor();
    await page.getByText('0 watching').waitFor();
  });
});
