import { expectAccessible } from '../support/a11y';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext } from '../support/browser';
import { ISO_ARM, ISO_EVERYTHING, ISO_MINIMAL, MIRROR_HOSTS, seedMirrorFixtures, shaOf } from '../support/mirrors';

describe('Download page', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function freshPage(options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
    const context = await newContext(browser, options);
    contexts.push(context);
    // the fixture mirrors do not exist: answer for them, so following a redirect ends on a page
    await context.route(/^https?:\/\/mirror-[a-z]+\.e2e\.test\//, (route) =>
      route.fulfill({ status: 200, contentType: 'text/plain', body: 'mirror' }),
    );
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

  it('picks release, architecture and image, verifies and downloads without JavaScript', async () => {
    const page = await freshPage({
      javaScriptEnabled: false,
      extraHTTPHeaders: { 'accept-language': 'en', 'x-client-country': 'CN' },
    });
    await page.goto('/download');
    await page.getByRole('heading', { name: 'Download OpenCloudOS', level: 1 }).waitFor();
    await expectAccessible(page);
    // the latest OpenCloudOS, x86_64, the everything ISO by default
    expect(await page.getByLabel('Release', { exact: true }).inputValue()).toBe('opencloudos-9.2');
    expect(await page.getByTestId('file-name').textContent()).toBe('OpenCloudOS-9.2-x86_64-everything.iso');
    expect(await page.getByTestId('sha256').textContent()).toBe(shaOf(ISO_EVERYTHING));
    await page.getByText('(12,304,646,144 bytes)').waitFor();
    await page
      .getByText(`echo "${shaOf(ISO_EVERYTHING)}  OpenCloudOS-9.2-x86_64-everything.iso" | sha256sum -c -`)
      .waitFor();
    await page
      .getByText(
        'gpg --verify OpenCloudOS-9.2-x86_64-everything.iso.sha256.gpg OpenCloudOS-9.2-x86_64-everything.iso.sha256',
      )
      .waitFor();
    // the mirror list: fresh mirrors with the file, the master last; never the unreachable or stale ones
    const names = await page
      .getByRole('region', { name: 'Mirrors with this file' })
      .getByRole('rowheader')
      .allTextContents();
    // the German mirror is 20 hours behind (more than MIRROR_STALE_HOURS): not offered
    expect(names.map((n) => n.split(/[\s·]/)[0])).toEqual(['e2e-cn', 'mirrors.opencloudos.tech']);

    await page.getByLabel('Architecture', { exact: true }).selectOption('aarch64');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('arch') === 'aarch64');
    expect(await page.getByTestId('file-name').textContent()).toBe('OpenCloudOS-9.2-aarch64-everything.iso');
    expect(await page.getByTestId('sha256').textContent()).toBe(shaOf(ISO_ARM));

    await page.getByRole('link', { name: 'Download from the best mirror' }).click();
    await page.waitForURL(`${MIRROR_HOSTS.cn}/${ISO_ARM}`);
  });

  it('updates the image as soon as a choice changes, with JavaScript', async () => {
    const page = await freshPage();
    await page.goto('/download');
    await page.waitForLoadState('networkidle'); // a choice made before hydration is a plain form field
    await page.getByLabel('Image', { exact: true }).selectOption('minimal');
    await page.waitForURL((url) => url.searchParams.get('variant') === 'minimal');
    await page.getByTestId('file-name').filter({ hasText: 'OpenCloudOS-9.2-x86_64-minimal.iso' }).waitFor();
    expect(await page.getByTestId('sha256').textContent()).toBe(shaOf(ISO_MINIMAL));
    await page.getByRole('link', { name: 'Minimal' }).first().waitFor();
  });

  it('never redirects outside the catalogue', async () => {
    const page = await freshPage();
    for (const path of [
      '/download/opencloudos/9.2/../../etc/passwd',
      '/download/opencloudos%2F9.2%2Fsecret.iso',
      '/download/nope.iso',
    ]) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      expect(response.status()).toBe(404);
    }
  });

  it('speaks Chinese to Chinese readers', async () => {
    const page = await freshPage({ locale: 'zh-CN', extraHTTPHeaders: { 'accept-language': 'zh-CN' } });
    await page.goto('/download');
    await page.getByRole('heading', { name: '下载 OpenCloudOS', level: 1 }).waitFor();
    await page.getByRole('link', { name: '从最佳镜像站下载' }).waitFor();
  });
});
