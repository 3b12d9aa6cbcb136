import request from 'supertest';
import { makeUser, login, type Login } from '../../testing/factories';
import { FakeMirror, makeMirror, openCloudOsTree, staleCopy } from '../../testing/fake-mirror';
import { startTestApp, type TestApp } from '../../testing/test-app';
import { MirrorDirectory } from './mirror-directory.service';
import { MirrorProbeService } from './mirror-probe.service';
import { MirrorEntity, ReleaseArtefactEntity } from './mirror.entity';
import { ReleaseImportService } from './release-import.service';

const HOUR = 3600;
const DAY = 24 * HOUR;

describe('downloads & mirrors: catalogue, registry, probes, redirects and metalinks against fake mirrors', () => {
  const oc = openCloudOsTree();
  const everythingX86 = 'opencloudos/9.2/isos/x86_64/OpenCloudOS-9.2-x86_64-everything.iso';
  const minimalX86 = 'opencloudos/9.2/isos/x86_64/OpenCloudOS-9.2-x86_64-minimal.iso';
  const master = new FakeMirror(oc.tree);
  const fleet = {
    cnFresh: new FakeMirror(oc.tree),
    deFresh: new FakeMirror(oc.tree),
    jpTruncated: new FakeMirror(oc.tree, { truncated: new Set([everythingX86]) }),
    cnStale: new FakeMirror(staleCopy(oc.tree, oc.time, 2 * DAY - HOUR)),
    usStale: new FakeMirror(staleCopy(oc.tree, oc.time, 3 * DAY)),
    slow: new FakeMirror(oc.tree, { delayMs: 2500 }),
    badTls: new FakeMirror(oc.tree, { tlsSelfSigned: true }),
    failing: new FakeMirror(oc.tree, { failing: true }),
  };
  const ids: Record<keyof typeof fleet, number> = {} as Record<keyof typeof fleet, number>;
  let t: TestApp;
  let admin: Login;
  let operator: Login;
  let operatorId: number;
  let stranger: Login;

  const as = (who: Login | null) => ({
    get: (url: string) => (who ? request(t.baseUrl).get(url).set('cookie', who.cookie) : request(t.baseUrl).get(url)),
    post: (url: string, body: object = {}) =>
      request(t.baseUrl).post(url).set('cookie', who!.cookie).set('x-csrf-token', who!.csrf).send(body),
    head: (url: string) => request(t.baseUrl).head(url),
    patch: (url: string, body: object) =>
      request(t.baseUrl).patch(url).set('cookie', who!.cookie).set('x-csrf-token', who!.csrf).send(body),
  });
  const mirror = (id: number) => t.ds.getRepository(MirrorEntity).findOneByOrFail({ id });
  const sweep = () => t.app.get(MirrorProbeService).sweep();
  /** After writing to the database behind the API's back: its mirror table is cached. */
  const forget = () => t.app.get(MirrorDirectory).invalidate();

  beforeAll(async () => {
    await Promise.all([master.start(), ...Object.values(fleet).map((m) => m.start())]);
    t = await startTestApp({
      MIRROR_MASTER_URL: master.url,
      MIRROR_PROBE_TIMEOUT_MS: '1000',
      MIRROR_CACHE_SECONDS: '60',
      MIRROR_DISABLE_AFTER: '2',
      MIRROR_STALE_HOURS: '6',
    });
    const a = await makeUser(t.ds, { roles: ['admin'] });
    admin = await login(t.baseUrl, a.user.username);
    const o = await makeUser(t.ds);
    operatorId = o.user.id;
    operator = await login(t.baseUrl, o.user.username);
    stranger = await login(t.baseUrl, (await makeUser(t.ds)).user.username);
    const place: Record<keyof typeof fleet, [string, string]> = {
      cnFresh: ['CN', 'AS'],
      deFresh: ['DE', 'EU'],
      jpTruncated: ['JP', 'AS'],
      cnStale: ['CN', 'AS'],
      usStale: ['US', 'NA'],
      slow: ['FR', 'EU'],
      badTls: ['SG', 'AS'],
      failing: ['KR', 'AS'],
    };
    for (const [name, fake] of Object.entries(fleet) as [keyof typeof fleet, FakeMirror][]) {
      ids[name] = await makeMirror(t.ds, {
        name,
        country: place[name][0],
        continent: place[name][1],
        ...(fake.options.tlsSelfSigned ? { httpsUrl: fake.url } : { httpUrl: fake.url }),
        ownerId: name === 'failing' ? operatorId : null,
      });
    }
  }, 30_000);

  afterAll(async () => {
    await t?.close();
    await Promise.all([master.stop(), ...Object.values(fleet).map((m) => m.stop())]);
  });

  describe('catalogue', () => {
    it('creates releases as an admin only, and validates every field', async () => {
      const release = { family: 'opencloudos', version: '9.2', name: 'OpenCloudOS 9.2', path: 'opencloudos/9.2' };
      await as(stranger).post('/api/v1/admin/releases', release).expect(403);
      const bad = await as(admin)
        .post('/api/v1/admin/releases', { ...release, version: '9.x', path: '../etc', colour: 'red' })
        .expect(400);
      expect(bad.body.code).toBe('validation_failed');
      expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
        'colour',
        'path',
        'version',
      ]);
      await as(admin)
        .post('/api/v1/admin/releases', {
          ...release,
          isLatest: true,
          releasedOn: '2024-05-01',
          eolOn: '2032-05-31',
          signingKeyPath: 'opencloudos/keys/RPM-GPG-KEY-OpenCloudOS-9',
        })
        .expect(201);
      await as(admin)
        .post('/api/v1/admin/releases', {
          family: 'opencloudos',
          version: '8.6',
          name: 'OpenCloudOS 8.6',
          path: 'opencloudos/8.6',
          isLatest: true,
        })
        .expect(201);
      await as(admin)
        .post('/api/v1/admin/releases', {
          family: 'stream',
          version: '23',
          name: 'OpenCloudOS Stream 23',
          path: 'opencloudos-stream/releases/23',
          isLatest: true,
        })
        .expect(201);
      const dup = await as(admin).post('/api/v1/admin/releases', release).expect(409);
      expect(dup.body.code).toBe('release_exists');
      // only one latest per family: 8.6 took it from 9.2, give it back
      await as(admin).patch('/api/v1/admin/releases/opencloudos/9.2', { isLatest: true }).expect(200);
      const list = await as(admin).get('/api/v1/admin/releases').expect(200);
      expect((list.body.items as { version: string; isLatest: boolean }[]).map((r) => [r.version, r.isLatest])).toEqual(
        [
          ['9.2', true],
          ['8.6', false],
          ['23', true],
        ],
      );
    });

    it('queues an import through the outbox', async () => {
      await as(admin).post('/api/v1/admin/releases/opencloudos/9.2/import').expect(202);
      const [row] = await t.ds.query<{ job_name: string; payload: { releaseId: number } }[]>(
        `SELECT job_name, payload FROM outbox WHERE job_name = 'mirrors.import-release'`,
      );
      expect(row.payload.releaseId).toBeGreaterThan(0);
      await as(admin).post('/api/v1/admin/releases/opencloudos/7.1/import').expect(404);
    });

    it('imports the ISOs, cloud images and checksums of each layout from the master, idempotently', async () => {
      const importer = t.app.get(ReleaseImportService);
      const releases = await t.ds.query<{ id: number; version: string }[]>(
        `SELECT id, version FROM releases ORDER BY id`,
      );
      const byVersion = Object.fromEntries(releases.map((r) => [r.version, r.id]));
      expect(await importer.importRelease(byVersion['9.2'])).toEqual({
        artefacts: 7,
        added: 7,
        updated: 0,
        removed: 0,
      });
      expect(await importer.importRelease(byVersion['8.6'])).toMatchObject({ artefacts: 2, added: 2 });
      expect(await importer.importRelease(byVersion['23'])).toMatchObject({ artefacts: 2, added: 2 });
      expect(await importer.importRelease(byVersion['9.2'])).toEqual({
        artefacts: 7,
        added: 0,
        updated: 0,
        removed: 0,
      });

      const repo = t.ds.getRepository(ReleaseArtefactEntity);
      const everything = await repo.findOneByOrFail({ path: everythingX86 });
      expect(everything).toMatchObject({
        arch: 'x86_64',
        variant: 'everything',
        size: oc.tree.get(everythingX86)!.length,
        checksumPath: `${everythingX86}.sha256`,
        signaturePath: `${everythingX86}.sha256.gpg`,
      });
      expect(oc.tree.get(`${everythingX86}.sha256`)!.toString()).toContain(everything.sha256!);
      const cloud = await repo.findOneByOrFail({ variant: 'cloud' });
      expect(cloud.checksumPath).toBe('opencloudos/9.2/images/x86_64/CHECKSUM');
      const dvd = await repo.findOneByOrFail({ path: 'opencloudos/8.6/isos/x86_64/opencloudos-8.6-x86_64-dvd1.iso' });
      expect(dvd).toMatchObject({ variant: 'dvd', checksumPath: 'opencloudos/8.6/isos/x86_64/CHECKSUM' });
      expect(dvd.sha256).toMatch(/^[0-9a-f]{64}$/);
      const stream = await repo.findBy({ variant: 'netinst', arch: 'x86_64' });
      expect(stream.map((a) => a.checksumPath)).toContain('opencloudos-stream/releases/23/images/x86_64/checksum.txt');

      // a file that left the master leaves the catalogue; one that changed is updated
      const gone = 'opencloudos/8.6/isos/x86_64/opencloudos-8.6-x86_64-minimal.iso';
      master.tree.delete(gone);
      expect(await importer.importRelease(byVersion['8.6'])).toEqual({
        artefacts: 1,
        added: 0,
        updated: 0,
        removed: 1,
      });
      master.tree.set(gone, oc.tree.get(gone)!);
    });

    it('hides drafts from visitors until an admin publishes them', async () => {
      const before = await as(null).get('/api/v1/releases').expect(200);
      expect(before.body.items).toEqual([]);
      await as(null).get(`/download/${everythingX86}`).expect(404);
      for (const [family, version] of [
        ['opencloudos', '9.2'],
        ['opencloudos', '8.6'],
        ['stream', '23'],
      ]) {
        await as(admin).patch(`/api/v1/admin/releases/${family}/${version}`, { status: 'published' }).expect(200);
      }
      const after = await as(null).get('/api/v1/releases').expect(200);
      const r92 = (after.body.items as { version: string; artefacts: { variant: string; arch: string }[] }[])[0];
      expect(r92.version).toBe('9.2');
      expect(r92.artefacts.map((a) => `${a.arch}/${a.variant}`)).toEqual([
        'aarch64/everything',
        'aarch64/minimal',
        'aarch64/netinst',
        'x86_64/everything',
        'x86_64/minimal',
        'x86_64/netinst',
        'x86_64/cloud',
      ]);
      await as(null).get('/api/v1/releases/opencloudos/9.x').expect(400);
      await as(null).get('/api/v1/releases/opencloudos/9.9').expect(404);
    });
  });

  describe('registry', () => {
    let id: number;

    it('lets an operator register a mirror, which waits for an admin', async () => {
      const bad = await as(operator)
        .post('/api/v1/mirrors', {
          name: 'x',
          sponsor: '',
          country: 'ZZZ',
          bandwidthMbps: 0,
          contactEmail: 'nope',
          httpUrl: 'ftp://example.org',
          content: ['isos', 'bananas'],
        })
        .expect(400);
      expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
        'bandwidthMbps',
        'contactEmail',
        'content',
        'country',
        'httpUrl',
        'name',
        'sponsor',
      ]);
      const noUrl = await as(operator)
        .post('/api/v1/mirrors', {
          name: 'mirror.example.org',
          sponsor: 'Example U',
          country: 'CN',
          bandwidthMbps: 100,
          contactEmail: 'ops@example.org',
        })
        .expect(400);
      expect(noUrl.body.errors[0].field).toBe('httpsUrl');
      const unknownCountry = await as(operator)
        .post('/api/v1/mirrors', {
          name: 'mirror.example.org',
          sponsor: 'Example U',
          country: 'ZZ',
          bandwidthMbps: 100,
          contactEmail: 'ops@example.org',
          httpUrl: 'http://mirror.example.org',
        })
        .expect(400);
      expect(unknownCountry.body.errors[0].field).toBe('country');
      const res = await as(operator)
        .post('/api/v1/mirrors', {
          name: 'mirror.example.org',
          sponsor: 'Example University',
          country: 'cn',
          bandwidthMbps: 1000,
          contactEmail: 'ops@example.org',
          httpsUrl: 'https://mirror.example.org/',
          rsyncUrl: 'rsync://mirror.example.org/opencloudos',
        })
        .expect(201);
      id = res.body.id as number;
      expect(res.body).toMatchObject({
        status: 'pending',
        country: 'CN',
        continent: 'AS',
        httpsUrl: 'https://mirror.example.org',
      });
      await as(operator)
        .post('/api/v1/mirrors', {
          name: 'mirror.example.org',
          sponsor: 'Again',
          country: 'CN',
          bandwidthMbps: 1,
          contactEmail: 'a@b.org',
          httpUrl: 'http://a.org',
        })
        .expect(409);
      const pub = await as(null).get('/api/v1/mirrors').expect(200);
      expect((pub.body.items as { name: string }[]).map((m) => m.name)).not.toContain('mirror.example.org');
      await as(null).get(`/api/v1/mirrors/${id}`).expect(404);
      await as(stranger).patch(`/api/v1/mirrors/${id}`, { bandwidthMbps: 5 }).expect(404);
      const mine = await as(operator).get('/api/v1/mirrors/mine').expect(200);
      expect((mine.body.items as { id: number }[]).map((m) => m.id)).toContain(id);
    });

    it('lets an admin approve and disable it, and only its operator or an admin edit it', async () => {
      await as(operator).post(`/api/v1/mirrors/${id}/approve`).expect(403);
      const pending = await as(admin).get('/api/v1/admin/mirrors?status=pending').expect(200);
      expect((pending.body.items as { id: number }[]).map((m) => m.id)).toEqual([id]);
      await as(admin).post(`/api/v1/mirrors/${id}/approve`).expect(200);
      await as(admin).post(`/api/v1/mirrors/${id}/approve`).expect(409);
      const pub = await as(null).get(`/api/v1/mirrors/${id}`).expect(200);
      expect(pub.body.contactEmail).toBeUndefined();
      await as(stranger).patch(`/api/v1/mirrors/${id}`, { bandwidthMbps: 5 }).expect(403);
      const edited = await as(operator)
        .patch(`/api/v1/mirrors/${id}`, { bandwidthMbps: 10000, country: 'DE' })
        .expect(200);
      expect(edited.body).toMatchObject({ bandwidthMbps: 10000, country: 'DE', continent: 'EU', status: 'active' });
      await as(operator).patch(`/api/v1/mirrors/${id}`, { httpsUrl: null }).expect(400);
      await as(operator).patch(`/api/v1/mirrors/${id}`, { status: 'active' }).expect(400);
      const disabled = await as(admin).post(`/api/v1/mirrors/${id}/disable`, { reason: 'serves malware' }).expect(200);
      expect(disabled.body).toMatchObject({ status: 'disabled', disabledReason: 'serves malware' });
      await as(null).get('/api/v1/mirrors/abc').expect(404);
      // out of the way of the probe tests below (its URL does not resolve)
      await t.ds.query(`DELETE FROM mirrors WHERE id = $1`, [id]);
    });
  });

  describe('probes', () => {
    it('sorts the fleet into buckets from TIME, repomd.xml, TLS, latency and the ISOs', async () => {
      const started = Date.now();
      const result = await sweep();
      // the slow mirror is cut off at the per-mirror timeout, which bounds the sweep
      expect(Date.now() - started).toBeLessThan(2 * 1000 + 1500);
      expect(result).toMatchObject({ probed: 8, ok: 5, failed: 3 });
      const by = async (name: keyof typeof fleet) => mirror(ids[name]);
      expect(await by('cnFresh')).toMatchObject({
        bucket: 'up-to-date',
        lagSeconds: 0,
        protocolsUp: ['http'],
        missingPaths: [],
      });
      expect((await by('cnFresh')).freshRepos).toHaveLength(6);
      expect((await by('cnFresh')).score).not.toBeNull();
      expect((await by('cnFresh')).lastSyncAt?.getTime()).toBe(oc.time * 1000);
      expect(await by('cnStale')).toMatchObject({ bucket: '2d', freshRepos: [] });
      expect(await by('usStale')).toMatchObject({ bucket: '1w' });
      expect(await by('jpTruncated')).toMatchObject({ bucket: 'up-to-date', missingPaths: [everythingX86] });
      expect(await by('slow')).toMatchObject({ bucket: 'unreachable', protocolsUp: [] });
      expect((await by('slow')).lastError).toMatch(/timed out/);
      expect(await by('badTls')).toMatchObject({ bucket: 'unreachable', tlsValid: false });
      expect(await by('failing')).toMatchObject({ bucket: 'unreachable', consecutiveFailures: 1, status: 'active' });
      const [{ n }] = await t.ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM mirror_probes`);
      expect(n).toBe(8);
    });

    it('serves the status board as JSON, with filters', async () => {
      const all = await as(null).get('/api/v1/mirrors/status').expect(200);
      const items = all.body.items as { name: string; bucket: string; uptime7d: (number | null)[] }[];
      expect(items.map((m) => m.bucket)).toEqual([
        'up-to-date',
        'up-to-date',
        'up-to-date',
        '2d',
        '1w',
        'unreachable',
        'unreachable',
        'unreachable',
      ]);
      expect(items[0].uptime7d).toHaveLength(7);
      expect(items[0].uptime7d[6]).toBe(1);
      const fresh = await as(null).get('/api/v1/mirrors/status?bucket=up-to-date&continent=as').expect(200);
      expect((fresh.body.items as { name: string }[]).map((m) => m.name).sort()).toEqual(['cnFresh', 'jpTruncated']);
      await as(null).get('/api/v1/mirrors/status?country=China').expect(400);
      await as(null).get('/api/v1/mirrors/status?bucket=fresh').expect(400);
    });
  });

  describe('serving', () => {
    const location = (res: request.Response): string => new URL(res.headers.location).origin;

    it('redirects to a fresh mirror in the visitor’s country, then continent, then anywhere', async () => {
      const cn = await as(null).get(`/download/${everythingX86}?country=CN`).expect(302);
      expect(location(cn)).toBe(fleet.cnFresh.url);
      expect(cn.headers.location).toBe(`${fleet.cnFresh.url}/${everythingX86}`);
      expect(cn.headers.link).toContain('rel=duplicate');
      expect(cn.headers.link).toContain(master.url);
      // the trusted proxy's header (we are on loopback)
      const de = await as(null).get(`/download/${everythingX86}`).set('x-client-country', 'DE').expect(302);
      expect(location(de)).toBe(fleet.deFresh.url);
      // Japan: the Japanese mirror's copy of this ISO is truncated, so Asia; the minimal ISO it has
      const jp = await as(null).get(`/download/${everythingX86}?country=JP`).expect(302);
      expect(location(jp)).toBe(fleet.cnFresh.url);
      const jpMinimal = await as(null).get(`/download/${minimalX86}?country=jp`).expect(302);
      expect(location(jpMinimal)).toBe(fleet.jpTruncated.url);
      // nobody in South America: any fresh mirror, never a stale, slow, broken or insecure one
      const fine = new Set([fleet.cnFresh.url, fleet.deFresh.url, fleet.jpTruncated.url]);
      for (let i = 0; i < 20; i++) {
        const br = await as(null).get(`/download/${minimalX86}?country=BR`).expect(302);
        expect(fine.has(location(br))).toBe(true);
      }
      // the US mirror is 3 days behind: Americans get a fresh one elsewhere
      const us = await as(null).get(`/download/${minimalX86}?country=US`).expect(302);
      expect(location(us)).not.toBe(fleet.usStale.url);
      // checksum and signature files are part of the catalogue too
      await as(null).get(`/download/${everythingX86}.sha256?country=CN`).expect(302);
      await as(null).head(`/download/${everythingX86}.sha256.gpg?country=CN`).expect(302);
    });

    it('answers repeated redirects before the framework, exactly as the controller does', async () => {
      forget();
      // the first request after a change loads the mirror table through the controller (Nest sets X-Request-Id) …
      const slow = await as(null).get(`/download/${everythingX86}?country=CN`).expect(302);
      expect(slow.headers['x-request-id']).toBeDefined();
      // … the next ones are answered on the HTTP server itself
      const fast = await as(null).get(`/download/${everythingX86}?country=CN`).expect(302);
      expect(fast.headers['x-request-id']).toBeUndefined();
      expect(fast.headers.location).toBe(slow.headers.location);
      expect(fast.headers['x-mirror']).toBe('cnFresh');
      expect(fast.headers.link).toContain('rel=duplicate');
      const viaHeader = await as(null).head(`/download/${minimalX86}`).set('x-client-country', 'DE').expect(302);
      expect(viaHeader.headers['x-request-id']).toBeUndefined();
      expect(new URL(viaHeader.headers.location).origin).toBe(fleet.deFresh.url);
      // what the fast path does not know falls through to the controller's answers
      const unknown = await request(t.baseUrl).get('/download/opencloudos/9.2/nope.iso').expect(404);
      expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
      await as(null).get(`/download/${everythingX86}?country=CHN`).expect(400);
      await as(null).get(`/download/${everythingX86}?country=CN&x=1`).expect(400);
      await request(t.baseUrl).post(`/download/${everythingX86}`).expect(404);
    });

    it('falls back to the master when no mirror qualifies', async () => {
      // Stream 23 is not the latest of anything the probes check, but a fresh mirror may still serve it
      const res = await as(null).get('/download/opencloudos-stream/releases/23/images/x86_64/checksum.txt').expect(302);
      expect(res.headers.location).toMatch(/\/opencloudos-stream\/releases\/23\/images\/x86_64\/checksum\.txt$/);
      await t.ds.query(`UPDATE mirrors SET missing_paths = ARRAY[$1]`, [everythingX86]);
      forget();
      const fallback = await as(null).get(`/download/${everythingX86}?country=CN`).expect(302);
      expect(fallback.headers.location).toBe(`${master.url}/${everythingX86}`);
      expect(fallback.headers['x-mirror']).toBe('master');
      await t.ds.query(`UPDATE mirrors SET missing_paths = '{}' WHERE id <> $1`, [ids.jpTruncated]);
      await t.ds.query(`UPDATE mirrors SET missing_paths = ARRAY[$1] WHERE id = $2`, [everythingX86, ids.jpTruncated]);
      forget();
    });

    it.each([
      ['an unknown file', '/download/opencloudos/9.2/isos/x86_64/OpenCloudOS-9.2-x86_64-secret.iso'],
      ['a directory', '/download/opencloudos/9.2/isos/x86_64'],
      ['a parent segment', `/download/opencloudos/9.2/../9.2/isos/x86_64/OpenCloudOS-9.2-x86_64-everything.iso`],
      [
        'an encoded parent segment',
        '/download/opencloudos/9.2/%2e%2e/9.2/isos/x86_64/OpenCloudOS-9.2-x86_64-everything.iso',
      ],
      ['an encoded slash', '/download/opencloudos%2F9.2%2Fisos%2Fx86_64%2FOpenCloudOS-9.2-x86_64-everything.iso'],
      ['a doubled slash', '/download/opencloudos//9.2/isos/x86_64/OpenCloudOS-9.2-x86_64-everything.iso'],
      ['an absolute URL', '/download/http://evil.example/x.iso'],
      ['a backslash', '/download/opencloudos\\9.2'],
    ])('answers 404 for %s, never a redirect', async (_what, url) => {
      const res = await request(t.baseUrl).get(url);
      expect(res.status).toBe(404);
      expect(res.headers.location).toBeUndefined();
    });

    it('rejects a malformed country with 400', async () => {
      const res = await as(null).get(`/download/${everythingX86}?country=CHN`).expect(400);
      expect(res.body.code).toBe('validation_failed');
    });

    it('writes a metalink dnf can use: fresh mirrors best first, the master last, stale ones left out', async () => {
      const res = await as(null).get('/metalink?repo=BaseOS&arch=x86_64&release=9&country=CN').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/metalink\+xml/);
      const body = res.text;
      const repomd = oc.tree.get('opencloudos/9/BaseOS/x86_64/os/repodata/repomd.xml')!;
      const { createHash } = await import('node:crypto');
      expect(body).toContain(`<hash type="sha256">${createHash('sha256').update(repomd).digest('hex')}</hash>`);
      expect(body).toContain(`<size>${repomd.length}</size>`);
      expect(body).toContain(`<mm0:timestamp>${oc.time}</mm0:timestamp>`);
      const urls = [...body.matchAll(/preference="(\d+)">([^<]+)</g)].map((m) => [Number(m[1]), m[2]] as const);
      expect(urls.map(([, u]) => new URL(u).origin)).toEqual([
        fleet.cnFresh.url,
        fleet.jpTruncated.url,
        fleet.deFresh.url,
        master.url,
      ]);
      expect(urls[0][1]).toBe(`${fleet.cnFresh.url}/opencloudos/9/BaseOS/x86_64/os/repodata/repomd.xml`);
      const prefs = urls.map(([p]) => p);
      expect([...prefs].sort((a, b) => b - a)).toEqual(prefs);
      const list = await as(null).get('/mirrorlist?repo=AppStream&arch=aarch64&country=DE').expect(200);
      expect(list.text.trim().split('\n')).toEqual([
        `${fleet.deFresh.url}/opencloudos/9/AppStream/aarch64/os/`,
        expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/opencloudos\/9\/AppStream\/aarch64\/os\/$/),
        expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/opencloudos\/9\/AppStream\/aarch64\/os\/$/),
        `${master.url}/opencloudos/9/AppStream/aarch64/os/`,
      ]);
      await as(null).get('/metalink?repo=Extras&arch=x86_64').expect(400);
      const minor = await as(null).get('/metalink?repo=BaseOS&arch=x86_64&release=9.2').expect(200);
      expect(minor.text).toContain('/opencloudos/9/BaseOS/x86_64/os/repodata/repomd.xml');
      await as(null).get('/metalink?repo=BaseOS&arch=x86_64&release=nine').expect(400);
      await as(null).get('/metalink?repo=BaseOS&arch=x86_64&release=8').expect(404);
      await as(null).get('/metalink?repo=BaseOS&arch=loongarch64').expect(404);
    });

    it('lists the mirrors that have a file for the download page', async () => {
      const res = await as(null)
        .get(`/api/v1/downloads/file?path=${encodeURIComponent(everythingX86)}&country=CN`)
        .expect(200);
      expect(res.body.artefact.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(res.body.signingKeyUrl).toBe(`${master.url}/opencloudos/keys/RPM-GPG-KEY-OpenCloudOS-9`);
      expect((res.body.mirrors as { name: string }[]).map((m) => m.name)).toEqual([
        'cnFresh',
        'deFresh',
        new URL(master.url).host,
      ]);
      await as(null).get('/api/v1/downloads/file?path=..%2Fetc%2Fpasswd').expect(404);
    });
  });

  describe('auto-disable', () => {
    it('disables a mirror after repeated failures, tells its operator, and re-enables it on recovery', async () => {
      await sweep();
      const failing = await mirror(ids.failing);
      expect(failing).toMatchObject({ status: 'disabled', autoDisabled: true, consecutiveFailures: 2 });
      expect(failing.disabledReason).toMatch(/^auto: http: HTTP 500/);
      const notes = await t.ds.query<{ kind: string; title: string }[]>(
        `SELECT kind, title FROM notifications WHERE user_id = $1 ORDER BY id`,
        [operatorId],
      );
      expect(notes).toEqual([{ kind: 'mirror.disabled', title: 'Mirror failing was disabled after 2 failed checks' }]);
      // the mirrors without an operator account are mailed at their contact address
      const mails = await t.ds.query<{ payload: { to: string; subject: string } }[]>(
        `SELECT payload FROM outbox WHERE job_name = 'mail.send' ORDER BY id`,
      );
      expect(mails.map((m) => m.payload.to)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^ops@slow\.example$/),
          expect.stringMatching(/^ops@badtls\.example$/),
        ]),
      );
      // a disabled mirror gets no traffic
      const res = await as(null).get(`/download/${minimalX86}?country=KR`).expect(302);
      expect(res.headers.location).not.toContain(String(fleet.failing.port));

      fleet.failing.options.failing = false;
      const result = await sweep();
      expect(result.enabled).toBe(1);
      expect(await mirror(ids.failing)).toMatchObject({ status: 'active', autoDisabled: false, bucket: 'up-to-date' });
      const after = await t.ds.query<{ kind: string }[]>(
        `SELECT kind FROM notifications WHERE user_id = $1 ORDER BY id`,
        [operatorId],
      );
      expect(after.map((n) => n.kind)).toEqual(['mirror.disabled', 'mirror.enabled']);
      const kr = await as(null).get(`/download/${minimalX86}?country=KR`).expect(302);
      expect(new URL(kr.headers.location).origin).toBe(fleet.failing.url);
    });

    it('leaves a mirror an admin disabled alone', async () => {
      await as(admin).post(`/api/v1/mirrors/${ids.cnFresh}/disable`, {}).expect(200);
      await sweep();
      expect(await mirror(ids.cnFresh)).toMatchObject({ status: 'disabled', autoDisabled: false });
      await as(admin).post(`/api/v1/mirrors/${ids.cnFresh}/enable`).expect(200);
    });
  });
});
