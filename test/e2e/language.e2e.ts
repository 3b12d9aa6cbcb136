import type { Browser } from 'playwright-core';
import { launchBrowser, newContext } from '../support/browser';

describe('language', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser.close();
  });

  it('starts in English for an English browser, switches to Chinese from the header and remembers it', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto('/');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Download' }).waitFor();

    await page.getByRole('button', { name: '简体中文' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    expect(new URL(page.url()).pathname).toBe('/');
    const zhNav = page.getByRole('navigation', { name: '主导航' });
    await zhNav.getByRole('link', { name: '下载' }).waitFor();
    await zhNav.getByRole('link', { name: '社区治理' }).waitFor();

    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === 'och_lang')?.value).toBe('zh-CN');

    // Remembered: a new page load, still with an English Accept-Language, stays Chinese.
    await page.goto('/mirrors');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByRole('heading', { name: '镜像站' }).waitFor();
    await page.getByRole('button', { name: 'English' }).waitFor();

    await context.close();
  });

  it('serves Chinese to a browser that prefers Chinese', async () => {
    const context = await newContext(browser, {
      locale: 'zh-CN',
      extraHTTPHeaders: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    const page = await context.newPage();
    await page.goto('/');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByRole('link', { name: '登录' }).waitFor();
    await context.close();
  });
});
