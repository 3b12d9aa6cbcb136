import type { IncomingMessage } from 'node:http';
import { loadConfig } from '../../config/config';
import { ClientCountry, GeoIpDatabase, ipToBigInt } from './mirror-geoip';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CSV = [
  '1.0.0.0,1.0.0.255,AU',
  '"1.0.1.0","1.0.3.255","CN"',
  '8.8.8.0,8.8.8.255,US',
  '127.0.0.0,127.255.255.255,DE',
  '2001:da8::,2001:dbf:ffff:ffff:ffff:ffff:ffff:ffff,CN',
  '2a00:1450::,2a00:1450:ffff:ffff:ffff:ffff:ffff:ffff,IE',
  'garbage line',
  '9.9.9.9,9.9.9.0,US',
  '10.0.0.0,10.255.255.255,ZZ',
].join('\n');

const req = (remote: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress: remote }, headers }) as unknown as IncomingMessage;

describe('GeoIP', () => {
  it('reads addresses of both families onto one line', () => {
    expect(ipToBigInt('0.0.0.1')).toBe(0xffff00000001n);
    expect(ipToBigInt('::ffff:1.2.3.4')).toBe(ipToBigInt('1.2.3.4'));
    expect(ipToBigInt('::1')).toBe(1n);
    expect(ipToBigInt('2001:db8::8a2e:370:7334')).toBe(0x20010db80000000000008a2e03707334n);
    expect(ipToBigInt('64:ff9b::192.0.2.33')).toBe(0x0064ff9b0000000000000000c0000221n);
    expect(ipToBigInt('not an ip')).toBeNull();
  });

  it('finds the country of IPv4 and IPv6 addresses, skipping bad rows and unknown codes', () => {
    const db = new GeoIpDatabase(CSV);
    expect(db.size).toBe(6);
    expect(db.lookup('1.0.0.7')).toBe('AU');
    expect(db.lookup('1.0.2.200')).toBe('CN');
    expect(db.lookup('1.0.4.0')).toBeNull();
    expect(db.lookup('8.8.8.8')).toBe('US');
    expect(db.lookup('::ffff:8.8.8.8')).toBe('US');
    expect(db.lookup('2001:da8:8000::1')).toBe('CN');
    expect(db.lookup('2a00:1450:4001:81d::200e')).toBe('IE');
    expect(db.lookup('2a01::1')).toBeNull();
    expect(db.lookup('10.1.2.3')).toBeNull();
    expect(db.lookup('0.0.0.0')).toBeNull();
  });

  it('lets ?country= win, then the database, then the trusted proxy header', () => {
    const dir = mkdtempSync(join(tmpdir(), 'och-geoip-'));
    writeFileSync(join(dir, 'db.csv'), CSV);
    const withDb = new ClientCountry(loadConfig({ NODE_ENV: 'test', MIRROR_GEOIP_CSV: join(dir, 'db.csv') }));
    const without = new ClientCountry(loadConfig({ NODE_ENV: 'test' }));
    expect(withDb.of(req('8.8.8.8'), 'jp')).toBe('JP');
    expect(withDb.of(req('8.8.8.8'), 'nope')).toBeNull();
    expect(withDb.of(req('8.8.8.8'), null)).toBe('US');
    expect(withDb.of(req('127.0.0.1', { 'x-client-country': 'FR' }), null)).toBe('DE');
    // an address the database does not know: the proxy's header, from loopback only
    expect(withDb.of(req('1.0.4.1', { 'x-client-country': 'FR' }), null)).toBeNull();
    expect(without.of(req('127.0.0.1', { 'x-client-country': 'FR' }), null)).toBe('FR');
    expect(without.of(req('8.8.8.8', { 'x-client-country': 'FR' }), null)).toBeNull();
    // behind a trusted proxy the forwarded address is the client's
    const proxied = new ClientCountry(
      loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'true', MIRROR_GEOIP_CSV: join(dir, 'db.csv') }),
    );
    expect(proxied.of(req('10.0.0.1', { 'x-forwarded-for': '2001:da8::5, 10.0.0.2' }), null)).toBe('CN');
  });
});
