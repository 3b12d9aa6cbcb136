// Development mail catcher: an SMTP server on loopback that prints each mail (so the verification
// link of a fresh registration is right there in the `npm start` log) and keeps it in .data/mail.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const require = createRequire(join(ROOT, 'api/package.json'));

function decode(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = Object.fromEntries(
    head
      .split('\r\n')
      .map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])
      .filter(([k]) => k),
  );
  let body = raw.slice(split + 4);
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (enc === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    body = Buffer.from(
      body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  }
  const subject = (headers.subject ?? '')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?b\?([^?]*)\?=/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
  return { subject, body };
}

export async function startMailCatcher(port, dataDir) {
  const { SMTPServer } = require('smtp-server');
  const dir = join(dataDir, 'mail');
  mkdirSync(dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
        const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.eml`);
        writeFileSync(file, raw);
        const { subject, body } = decode(raw);
        console.log(`[mail] to ${to}: ${subject}\n${body.replace(/^/gm, '[mail]   ')}`);
        callback();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}
