import { Inject, Injectable, Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { normaliseCountry } from './mirror-geo';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** An IPv4 or IPv6 address as a number on one line (IPv4 in the ::ffff:0:0/96 block, as IPv6 maps it). */
export function ipToBigInt(raw: string): bigint | null {
  let ip = raw.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) ip = mapped[1];
  const kind = isIP(ip);
  if (kind === 4) {
    const n = ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
    return 0xffff00000000n | n;
  }
  if (kind !== 6) return null;
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (embedded) {
    const [a, b, c, d] = embedded[1].split('.').map(Number);
    ip = `${ip.slice(0, -embedded[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = ip.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const zeros = 8 - head.length - tail.length;
  const groups = [...head, ...Array<string>(halves.length === 2 ? zeros : 0).fill('0'), ...tail];
  if (groups.length !== 8) return null;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/**
 * A country database in DB-IP's free "IP to Country Lite" CSV shape — `first,last,CC` per line,
 * IPv4 and IPv6, quotes optional — loaded into sorted arrays and searched by bisection.
 */
export class GeoIpDatabase {
  private readonly starts: bigint[] = [];
  private readonly ends: bigint[] = [];
  private readonly countries: string[] = [];

  constructor(csv: string) {
    const rows: [bigint, bigint, string][] = [];
    for (const line of csv.split(/\r?\n/)) {
      const cells = line.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
      if (cells.length < 3) continue;
      const first = ipToBigInt(cells[0]);
      const last = ipToBigInt(cells[1]);
      const cc = normaliseCountry(cells[2]);
      if (first === null || last === null || !cc || last < first) continue;
      rows.push([first, last, cc]);
    }
    rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [first, last, cc] of rows) {
      this.starts.push(first);
      this.ends.push(last);
      this.countries.push(cc);
    }
  }

  get size(): number {
    return this.starts.length;
  }

  lookup(ip: string): string | null {
    const n = ipToBigInt(ip);
    if (n === null) return null;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= n) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && n <= this.ends[hi] ? this.countries[hi] : null;
  }
}

/**
 * Where a download request comes from: `?country=` wins; then the GeoIP database
 * (MIRROR_GEOIP_CSV) on the client's address; then the trusted proxy's country header.
 */
@Injectable()
export class ClientCountry {
  private readonly log = new Logger(ClientCountry.name);
  private readonly geoip: GeoIpDatabase | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.geoip = null;
    if (config.mirrorGeoipCsv) {
      const db = new GeoIpDatabase(readFileSync(config.mirrorGeoipCsv, 'utf8'));
      this.log.log(`GeoIP: ${db.size} ranges from ${config.mirrorGeoipCsv}`);
      this.geoip = db;
    }
  }

  private clientAddress(req: IncomingMessage): string {
    const direct = req.socket.remoteAddress ?? '';
    if (!this.config.trustProxy) return direct;
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    return first || direct;
  }

  /** `override` is the raw ?country= value (null when absent); an invalid one yields null. */
  of(req: IncomingMessage, override: string | null): string | null {
    if (override !== null) return normaliseCountry(override);
    const fromDb = this.geoip?.lookup(this.clientAddress(req));
    if (fromDb) return fromDb;
    if (!this.config.trustProxy && !LOOPBACK.test(req.socket.remoteAddress ?? '')) return null;
    return normaliseCountry(req.headers[this.config.mirrorCountryHeader]);
  }
}
