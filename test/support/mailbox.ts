import { mailboxUrl } from './e2e-env';
import { mailLinks } from './mime';
import type { SinkMessage } from './mail-sink';

export type { SinkMessage } from './mail-sink';

/** Waits until a mail to `to` matching `match` arrives in the sink (mail goes out via the workers). */
export async function waitForMail(
  to: string,
  match: (mail: SinkMessage) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<SinkMessage> {
  const deadline = Date.now() + timeoutMs;
  const recipient = to.toLowerCase();
  for (;;) {
    const response = await fetch(mailboxUrl());
    const messages = (await response.json()) as SinkMessage[];
    const found = messages.find((mail) => mail.recipients.includes(recipient) && match(mail));
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = messages.map((mail) => `${mail.recipients.join(',')}: ${mail.subject}`).join('\n  ');
      throw new Error(`no mail to ${to} within ${timeoutMs} ms; the sink holds:\n  ${seen || '(nothing)'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The first link in a mail whose path matches, e.g. linkIn(mail, '/verify-email'). */
export function linkIn(mail: SinkMessage, pathPrefix: string): string {
  const link = mailLinks(mail).find((url) => new URL(url).pathname.startsWith(pathPrefix));
  if (!link) throw new Error(`no ${pathPrefix} link in mail "${mail.subject}":\n${mail.text || mail.html}`);
  return link;
}
