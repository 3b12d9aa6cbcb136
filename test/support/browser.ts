import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';
import { baseUrl } from './e2e-env';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The system Chromium (never a downloaded one), headless. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** A fresh profile (no cookies) pointed at the product, English unless told otherwise. */
export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: baseUrl(),
    locale: 'en-US',
    extraHTTPHeaders: { 'accept-language': 'en' },
    viewport: { width: 1280, height: 800 },
    ...options,
  });
}
