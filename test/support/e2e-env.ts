import path from 'node:path';

/** Screenshots and process logs (gitignored). */
export const ARTIFACTS_DIR = path.resolve(__dirname, '..', 'artifacts');

/** Where globalSetup put the product and its mail sink. */
export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: run the e2e suites through jest.config.js (globalSetup)');
  return url.replace(/\/$/, '');
}

export function mailboxUrl(): string {
  const url = process.env.E2E_MAILBOX_URL;
  if (!url) throw new Error('E2E_MAILBOX_URL is not set: run the e2e suites through jest.config.js (globalSetup)');
  return url;
}

/** A short random suffix that keeps usernames and emails unique across tests and runs. */
export function unique(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
