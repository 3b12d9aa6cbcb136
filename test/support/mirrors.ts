import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { baseUrl } from './e2e-env';

/** Hosts the fixture mirrors claim; the browser never reaches them (tests route them). */
export const MIRROR_HOSTS = {
  cn: 'http://mirror-cn.e2e.test',
  de: 'http://mirror-de.e2e.test',
  down: 'https://mirror-down.e2e.test',
  stale: 'http://mirror-stale.e2e.test',
} as const;

export const ISO_EVERYTHING = 'opencloudos/9.2/isos/x86_64/OpenCloudOS-9.2-x86_64-everything.iso';
export const ISO_MINIMAL = 'opencloudos/9.2/isos/x86_64/OpenCloudOS-9.2-x86_64-minimal.iso';
export const ISO_ARM = 'opencloudos/9.2/isos/aarch64/OpenCloudOS-9.2-aarch64-everything.iso';

export const shaOf = (path: string): string => createHash('sha256').update(path).digest('hex');

let seeded: Promise<void> | null = null;

/**
 * A published OpenCloudOS 9.2 with three ISOs and four mirrors in known states (fresh in CN,
 * a day behind in DE, unreachable with a bad certificate, a week behind), written straight into
 * the suite's database as the probe worker would leave them; then waits until the API's mirror
 * cache has picked them up.
 */
export function seedMirrorFixtures(): Promise<void> {
  seeded ??= (async () => {
    const url = process.env.E2E_DATABASE_URL;
    if (!url) throw new Error('E2E_DATABASE_URL is not set');
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      await db.query('BEGIN');
      const [release] = (
        await db.query<{ id: number }>(
          `INSERT INTO releases (family, version, name, path, status, is_latest, released_on, full_support_until, eol_on, signing_key_path)
           VALUES ('opencloudos', '9.2', 'OpenCloudOS 9.2', 'opencloudos/9.2', 'published', true, '2024-09-30', '2029-12-31', '2032-06-30',
                   'opencloudos/keys/RPM-GPG-KEY-OpenCloudOS-9')
           ON CONFLICT (family, version) DO UPDATE SET status = 'published' RETURNING id`,
        )
      ).rows;
      for (const [path, arch, variant, size] of [
        [ISO_EVERYTHING, 'x86_64', 'everything', 12_304_646_144],
        [ISO_MINIMAL, 'x86_64', 'minimal', 1_795_162_112],
        [ISO_ARM, 'aarch64', 'everything', 10_915_676_160],
      ] as const) {
        await db.query(
          `INSERT INTO release_artefacts (release_id, arch, variant, path, size, sha256, checksum_path, signature_path)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (path) DO NOTHING`,
          [release!.id, arch, variant, path, size, shaOf(path), `${path}.sha256`, `${path}.sha256.gpg`],
        );
      }
      const fleet: [
        string,
        string,
        string,
        string,
        string | null,
        string | null,
        string,
        number | null,
        string[],
        boolean | null,
        number,
      ][] = [
        ['e2e-cn', 'CN', 'AS', 'Example Cloud Beijing', null, MIRROR_HOSTS.cn, 'up-to-date', 0, ['http'], null, 1],
        ['e2e-de', 'DE', 'EU', 'Beispiel Hochschule', null, MIRROR_HOSTS.de, '1d', 20 * 3600, ['http'], null, 0.9],
        ['e2e-down', 'US', 'NA', 'Example Hosting', MIRROR_HOSTS.down, null, 'unreachable', null, [], false, 0.3],
        ['e2e-stale', 'BR', 'SA', 'Universidade Exemplo', null, MIRROR_HOSTS.stale, '1w', 5 * 86400, ['http'], null, 1],
      ];
      for (const [name, country, continent, sponsor, https, http, bucket, lag, up, tls, uptime] of fleet) {
        const [row] = (
          await db.query<{ id: number }>(
            `INSERT INTO mirrors (name, sponsor, country, continent, bandwidth_mbps, contact_email, https_url, http_url, status, approved_at,
                                  bucket, lag_seconds, protocols_up, tls_valid, score, last_probe_at, last_sync_at)
             VALUES ($1, $2, $3, $4, 1000, 'ops@example.org', $5, $6, 'active', now(), $7, $8, $9, $10, $11, now(),
                     CASE WHEN $8::int IS NULL THEN NULL ELSE now() - make_interval(secs => $8::int) END)
             ON CONFLICT (name) DO NOTHING RETURNING id`,
            [
              name,
              sponsor,
              country,
              continent,
              https,
              http,
              bucket,
              lag,
              up,
              tls,
              lag === null ? null : lag / 3600 + 1,
            ],
          )
        ).rows;
        if (!row) continue;
        await db.query(
          `INSERT INTO mirror_probes (mirror_id, probed_at, ok, bucket, lag_seconds, duration_ms, completion, protocols_up)
           SELECT $1, now() - make_interval(hours => g * 6), ((g * 37) % 100) < $2::float8 * 100, $3, $4, 500, 1, $5
             FROM generate_series(0, 27) AS g`,
          [row.id, uptime, bucket, lag, up],
        );
      }
      await db.query('COMMIT');
    } finally {
      await db.end();
    }
    // the API re-reads its mirror table every MIRROR_CACHE_SECONDS
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await fetch(`${baseUrl()}/download/${ISO_EVERYTHING}?country=CN`, { redirect: 'manual' });
      if (res.headers.get('location')?.startsWith(MIRROR_HOSTS.cn)) return;
      if (Date.now() > deadline) throw new Error(`the API does not redirect to the fixture mirror (${res.status})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return seeded;
}
