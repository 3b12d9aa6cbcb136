import http from 'node:http';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail, type ParsedMail } from './mime';

export interface SinkMessage extends ParsedMail {
  id: number;
  /** Envelope recipients, lower-cased: what the mail was really sent to. */
  recipients: string[];
  receivedAt: string;
  raw: string;
}

export interface MailSink {
  smtpPort: number;
  /** http://127.0.0.1:<port>/messages lists what arrived, as JSON (DELETE clears it). */
  httpUrl: string;
  messages: SinkMessage[];
  stop(): Promise<void>;
}

function listen(server: net.Server, port = 0): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

/**
 * An SMTP server that accepts everything and keeps it, plus a small HTTP view of it. The HTTP
 * side exists because Jest runs test files in their own module realm: they reach the sink
 * started by globalSetup over the loopback, like any other client.
 */
export async function startMailSink(smtpPortWanted = 0): Promise<MailSink> {
  const messages: SinkMessage[] = [];
  let nextId = 1;

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          id: nextId++,
          recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
          receivedAt: new Date().toISOString(),
          raw,
          ...parseMail(raw),
        });
        callback();
      });
    },
  });
  await listen(smtp.server, smtpPortWanted);
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const web = http.createServer((req, res) => {
    if (req.url === '/messages' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(messages));
    } else if (req.url === '/messages' && req.method === 'DELETE') {
      messages.length = 0;
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await listen(web);
  const httpPort = (web.address() as AddressInfo).port;

  return {
    smtpPort,
    httpUrl: `http://127.0.0.1:${httpPort}/messages`,
    messages,
    async stop() {
      web.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => web.close(() => resolve())),
        new Promise<void>((resolve) => smtp.close(() => resolve())),
      ]);
    },
  };
}
