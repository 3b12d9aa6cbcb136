import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type MirrorTree = Map<string, Buffer>;

export interface FakeMirrorOptions {
  /** Serve over https with a self-signed certificate (which a verifying client rejects). */
  tlsSelfSigned?: boolean;
  /** Answer every request after this many milliseconds. */
  delayMs?: number;
  /** Answer every request with HTTP 500. */
  failing?: boolean;
  /** Paths whose HEAD/GET answers a shorter file than the real one (a broken sync). */
  truncated?: Set<string>;
}

let cert: { key: Buffer; cert: Buffer } | null = null;
function selfSigned(): { key: Buffer; cert: Buffer } {
  if (cert) return cert;
  const dir = mkdtempSync(join(tmpdir(), 'och-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    cert = { key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) };
    return cert;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A mirror (or the master) on loopback: serves a tree of files held in memory, nginx-style
 * autoindex pages for directories, HEAD with Content-Length, and misbehaves on request (slow,
 * 500s, a self-signed certificate, truncated files). Records every request it gets.
 */
export class FakeMirror {
  tree: MirrorTree;
  readonly requests: string[] = [];
  private server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  port = 0;

  constructor(
    tree: MirrorTree = new Map(),
    readonly options: FakeMirrorOptions = {},
  ) {
    this.tree = new Map(tree);
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    this.server = options.tlsSelfSigned ? createHttpsServer(selfSigned(), handler) : createHttpServer(handler);
    this.server.keepAliveTimeout = 1000;
  }

  get url(): string {
    return `${this.options.tlsSelfSigned ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** GET requests for paths matching, e.g. which mirror served repomd.xml. */
  served(match: RegExp): string[] {
    return this.requests.filter((r) => match.test(r));
  }

  setTime(unixSeconds: number): void {
    this.tree.set('TIME', Buffer.from(`${unixSeconds}\n`));
  }

  /** Adds every file below a directory on disk under `prefix/` (for repositories createrepo_c made). */
  addDirectory(prefix: string, dir: string): void {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) this.addDirectory(`${prefix}/${name}`, full);
      else this.tree.set(`${prefix}/${name}`, readFileSync(full));
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/^\/+/, '');
    this.requests.push(`${req.method} /${path}`);
    const answer = () => {
      if (this.options.failing) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error');
        return;
      }
      if (path === '' || path.endsWith('/')) return this.index(path, res);
      let body = this.tree.get(path);
      if (!body) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      if (this.options.truncated?.has(path)) body = body.subarray(0, Math.floor(body.length / 2));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (!this.options.delayMs) return answer();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!res.destroyed) answer();
    }, this.options.delayMs);
    this.timers.add(timer);
  }

  private index(dir: string, res: ServerResponse): void {
    const children = new Set<string>();
    for (const key of this.tree.keys()) {
      if (!key.startsWith(dir)) continue;
      const rest = key.slice(dir.length);
      const slash = rest.indexOf('/');
      children.add(slash < 0 ? rest : rest.slice(0, slash + 1));
    }
    if (!children.size) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const rows = [...children]
      .sort()
      .map(
        (c) =>
          `<a href="${encodeURIComponent(c.replace(/\/$/, ''))}${c.endsWith('/') ? '/' : ''}">${c}</a>    27-Nov-2026 03:00    -`,
      );
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      `<html><head><title>Index of /${dir}</title></head><body><h1>Index of /${dir}</h1><hr><pre><a href="../">../</a>\n${rows.join('\n')}\n</pre><hr></body></html>`,
    );
  }
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A repomd.xml whose revision and checksum change with `revision`. */
export function repomdXml(revision: number, label = 'primary'): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>${revision}</revision>
  <data type="${label}">
    <checksum type="sha256">${sha256(Buffer.from(`${label}${revision}`))}</checksum>
    <location href="repodata/${label}.xml.gz"/>
    <timestamp>${revision}</timestamp>
    <size>1234</size>
  </data>
</repomd>
`);
}

export interface OcTree {
  tree: MirrorTree;
  /** The OpenCloudOS 9.2 ISOs (x86_64 and aarch64): everything, minimal, netinst. */
  isos92: string[];
  time: number;
}

/**
 * The master's layout from OPENCLOUDOS.md, with small stand-ins for the images: 9.2 with per-ISO
 * `.sha256` + `.sha256.gpg`, 8.6 with a BSD-style CHECKSUM, Stream 23 with a GNU checksum.txt,
 * a cloud image, the 9 package repositories' repomd.xml, the signing key and TIME.
 */
export function openCloudOsTree(time = Math.floor(Date.now() / 1000)): OcTree {
  const tree: MirrorTree = new Map();
  const isos92: string[] = [];
  const blob = (n: number) => randomBytes(n);
  for (const arch of ['x86_64', 'aarch64']) {
    const dir = `opencloudos/9.2/isos/${arch}`;
    for (const variant of ['everything', 'minimal', 'netinst']) {
      const name = `OpenCloudOS-9.2-${arch}-${variant}.iso`;
      const body = blob(variant === 'everything' ? 4096 : variant === 'minimal' ? 2048 : 1024);
      tree.set(`${dir}/${name}`, body);
      tree.set(`${dir}/${name}.sha256`, Buffer.from(`${sha256(body)}  ${name}\n`));
      tree.set(
        `${dir}/${name}.sha256.gpg`,
        Buffer.from('-----BEGIN PGP SIGNATURE-----\nfake\n-----END PGP SIGNATURE-----\n'),
      );
      isos92.push(`${dir}/${name}`);
    }
  }
  const cloud = blob(3000);
  tree.set('opencloudos/9.2/images/x86_64/OpenCloudOS-9.2-x86_64-GenericCloud.qcow2', cloud);
  tree.set(
    'opencloudos/9.2/images/x86_64/CHECKSUM',
    Buffer.from(`SHA256 (OpenCloudOS-9.2-x86_64-GenericCloud.qcow2) = ${sha256(cloud)}\n`),
  );
  const lines86: string[] = [];
  for (const v of ['dvd1', 'minimal']) {
    const name = `opencloudos-8.6-x86_64-${v}.iso`;
    const body = blob(1500);
    tree.set(`opencloudos/8.6/isos/x86_64/${name}`, body);
    lines86.push(`SHA256 (${name}) = ${sha256(body)}`);
  }
  tree.set('opencloudos/8.6/isos/x86_64/CHECKSUM', Buffer.from(`${lines86.join('\n')}\n`));
  const streamLines: string[] = [];
  for (const v of ['netinst', 'everything']) {
    const name = `OpenCloudOS-Stream-23-20240101-x86_64-${v}.iso`;
    const body = blob(1200);
    tree.set(`opencloudos-stream/releases/23/images/x86_64/${name}`, body);
    streamLines.push(`${sha256(body)}  ${name}`);
  }
  tree.set('opencloudos-stream/releases/23/images/x86_64/checksum.txt', Buffer.from(`${streamLines.join('\n')}\n`));
  for (const repo of ['BaseOS', 'AppStream', 'extras']) {
    for (const arch of ['x86_64', 'aarch64']) {
      tree.set(`opencloudos/9/${repo}/${arch}/os/repodata/repomd.xml`, repomdXml(time, `${repo}-${arch}`));
    }
  }
  tree.set('opencloudos/keys/RPM-GPG-KEY-OpenCloudOS-9', Buffer.from('-----BEGIN PGP PUBLIC KEY BLOCK-----\nfake\n'));
  tree.set('TIME', Buffer.from(`${time}\n`));
  return { tree, isos92, time };
}

/** A copy of a tree as a mirror that last synced `behindSeconds` ago has it: older TIME and repomd.xml. */
export function staleCopy(tree: MirrorTree, masterTime: number, behindSeconds: number): MirrorTree {
  const copy = new Map(tree);
  const then = masterTime - behindSeconds;
  copy.set('TIME', Buffer.from(`${then}\n`));
  for (const key of copy.keys()) {
    const m = /^opencloudos\/9\/(\w+)\/(\w+)\/os\/repodata\/repomd\.xml$/.exec(key);
    if (m) copy.set(key, repomdXml(then, `${m[1]}-${m[2]}`));
  }
  return copy;
}

/** An approved mirror row straight in the database (the registry's own tests go through the API). */
export async function makeMirror(
  ds: import('typeorm').DataSource,
  opts: {
    name: string;
    country: string;
    continent: string;
    httpUrl?: string | null;
    httpsUrl?: string | null;
    bandwidthMbps?: number;
    ownerId?: number | null;
    contactEmail?: string;
  },
): Promise<number> {
  const rows = await ds.query<{ id: number }[]>(
    `INSERT INTO mirrors (name, sponsor, country, continent, bandwidth_mbps, contact_email, owner_id, https_url, http_url,
                          status, approved_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', now()) RETURNING id`,
    [
      opts.name,
      `${opts.name} sponsor`,
      opts.country,
      opts.continent,
      opts.bandwidthMbps ?? 1000,
      opts.contactEmail ?? `ops@${opts.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example`,
      opts.ownerId ?? null,
      opts.httpsUrl ?? null,
      opts.httpUrl ?? null,
    ],
  );
  return rows[0].id;
}
