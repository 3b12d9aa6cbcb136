import { startStack, type Stack } from './stack';
import { startMailSink, type MailSink } from './mail-sink';

declare global {
  // Shared with global-teardown.ts, which Jest runs in the same realm.
  var __E2E_STOP__: (() => Promise<void>) | undefined;
}

/**
 * Starts the product once for all suites and tells them where it is through the environment.
 * With E2E_BASE_URL already set, tests run against that server instead (a developer's running
 * instance); only the mail sink is started then, on E2E_SMTP_PORT if given, and mail-reading
 * tests need that server's SMTP_URL to point at it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.E2E_BASE_URL) {
    const sink: MailSink = await startMailSink(Number(process.env.E2E_SMTP_PORT ?? 0));
    process.env.E2E_MAILBOX_URL = sink.httpUrl;
    globalThis.__E2E_STOP__ = () => sink.stop();
    console.log(`\ne2e: using ${process.env.E2E_BASE_URL}; mail sink on smtp://127.0.0.1:${sink.smtpPort}`);
    return;
  }
  const stack: Stack = await startStack();
  process.env.E2E_BASE_URL = stack.baseUrl;
  process.env.E2E_MAILBOX_URL = stack.mailboxUrl;
  process.env.E2E_DATABASE_URL = stack.databaseUrl;
  globalThis.__E2E_STOP__ = stack.stop;
}
