import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

interface DemoRelease {
  family: 'opencloudos' | 'stream';
  version: string;
  name: string;
  path: string;
  latest: boolean;
  releasedOn: string;
  fullSupportUntil: string | null;
  eolOn: string | null;
  key: string | null;
  files: [
    arch: string,
    variant: string,
    file: string,
    sizeMiB: number,
    checksum: 'own' | 'CHECKSUM' | 'checksum.txt',
  ][];
}

const iso9 = (v: string, arch: string, variant: string, mib: number): DemoRelease['files'][number] => [
  arch,
  variant,
  `isos/${arch}/OpenCloudOS-${v}-${arch}-${variant}.iso`,
  mib,
  'own',
];

const DEMO_RELEASES: DemoRelease[] = [
  {
    family: 'opencloudos',
    version: '9.2',
    name: 'OpenCloudOS 9.2',
    path: 'opencloudos/9.2',
    latest: true,
    releasedOn: '2024-09-30',
    fullSupportUntil: '2029-12-31',
    eolOn: '2032-06-30',
    key: 'opencloudos/keys/RPM-GPG-KEY-OpenCloudOS-9',
    files: [
      iso9('9.2', 'x86_64', 'everything', 11_734),
      iso9('9.2', 'x86_64', 'minimal', 1_712),
      iso9('9.2', 'x86_64', 'netinst', 828),
      iso9('9.2', 'aarch64', 'everything', 10_410),
      iso9('9.2', 'aarch64', 'minimal', 1_566),
      iso9('9.2', 'aarch64', 'netinst', 760),
      ['x86_64', 'cloud', 'images/x86_64/OpenCloudOS-9.2-x86_64-GenericCloud.qcow2', 612, 'CHECKSUM'],
    ],
  },
  {
    family: 'opencloudos',
    version: '9.0',
    name: 'OpenCloudOS 9.0',
    path: 'opencloudos/9.0',
    latest: false,
    releasedOn: '2023-06-30',
    fullSupportUntil: '2029-12-31',
    eolOn: '2032-06-30',
    key: 'opencloudos/keys/RPM-GPG-KEY-OpenCloudOS-9',
    files: [
      ['x86_64', 'everything', 'isos/x86_64/OpenCloudOS-9.0-x86_64-everything.iso', 10_820, 'CHECKSUM'],
      ['x86_64', 'minimal', 'isos/x86_64/OpenCloudOS-9.0-x86_64-minimal.iso', 1_630, 'CHECKSUM'],
      ['aarch64', 'everything', 'isos/aarch64/OpenCloudOS-9.0-aarch64-everything.iso', 9_950, 'CHECKSUM'],
    ],
  },
  {
    family: 'opencloudos',
    version: '8.6',
    name: 'OpenCloudOS 8.6',
    path: 'opencloudos/8.6',
    latest: false,
    releasedOn: '2022-04-30',
    fullSupportUntil: '2026-12-31',
    eolOn: '2029-05-31',
    key: 'opencloudos/keys/RPM-GPG-KEY-OpenCloudOS-8',
    files: [
      ['x86_64', 'dvd', 'isos/x86_64/opencloudos-8.6-x86_64-dvd1.iso', 9_215, 'CHECKSUM'],
      ['x86_64', 'minimal', 'isos/x86_64/opencloudos-8.6-x86_64-minimal.iso', 1_980, 'CHECKSUM'],
      ['aarch64', 'dvd', 'isos/aarch64/opencloudos-8.6-aarch64-dvd1.iso', 8_402, 'CHECKSUM'],
    ],
  },
  {
    family: 'stream',
    version: '23',
    name: 'OpenCloudOS Stream 23',
    path: 'opencloudos-stream/releases/23',
    latest: true,
    releasedOn: '2023-12-01',
    fullSupportUntil: null,
    eolOn: null,
    key: null,
    files: [
      ['x86_64', 'netinst', 'images/x86_64/OpenCloudOS-Stream-23-20240301-x86_64-netinst.iso', 905, 'checksum.txt'],
      [
        'x86_64',
        'everything',
        'images/x86_64/OpenCloudOS-Stream-23-20240301-x86_64-everything.iso',
        8_720,
        'checksum.txt',
      ],
      ['aarch64', 'netinst', 'images/aarch64/OpenCloudOS-Stream-23-20240301-aarch64-netinst.iso', 842, 'checksum.txt'],
    ],
  },
];

type Demo = [
  name: string,
  sponsor: string,
  country: string,
  continent: string,
  mbps: number,
  https: string | null,
  http: string | null,
  rsync: string | null,
  bucket: string,
  lagHours: number | null,
  uptime: number,
];

const DEMO_MIRRORS: Demo[] = [
  [
    'mirrors.opencloudos.tech',
    'OpenCloudOS Community',
    'CN',
    'AS',
    10_000,
    'https://mirrors.opencloudos.tech',
    'http://mirrors.opencloudos.tech',
    'rsync://mirrors.opencloudos.tech/opencloudos',
    'up-to-date',
    0,
    1,
  ],
  [
    'mirrors.tencent.com',
    'Tencent Cloud',
    'CN',
    'AS',
    20_000,
    'https://mirrors.tencent.com',
    'http://mirrors.tencent.com',
    null,
    'up-to-date',
    0,
    0.99,
  ],
  [
    'mirrors.pku.edu.cn',
    'Peking University',
    'CN',
    'AS',
    1_000,
    'https://mirrors.pku.edu.cn',
    null,
    'rsync://mirrors.pku.edu.cn/opencloudos',
    '1h',
    0.7,
    0.97,
  ],
  [
    'mirror.sjtu.edu.cn',
    'Shanghai Jiao Tong University',
    'CN',
    'AS',
    2_000,
    'https://mirror.sjtu.edu.cn',
    'http://mirror.sjtu.edu.cn',
    null,
    '6h',
    4,
    0.93,
  ],
  [
    'mirror.example.sg',
    'Example Networks Singapore',
    'SG',
    'AS',
    1_000,
    'https://mirror.example.sg',
    null,
    null,
    'up-to-date',
    0,
    1,
  ],
  [
    'ftp.example.de',
    'Example Hochschule',
    'DE',
    'EU',
    1_000,
    'https://ftp.example.de',
    'http://ftp.example.de',
    'rsync://ftp.example.de/opencloudos',
    '1d',
    20,
    0.9,
  ],
  [
    'mirror.example.us',
    'Example Cloud US',
    'US',
    'NA',
    10_000,
    'https://mirror.example.us',
    null,
    null,
    'unreachable',
    null,
    0.4,
  ],
  [
    'mirror.example.br',
    'Universidade Exemplo',
    'BR',
    'SA',
    500,
    null,
    'http://mirror.example.br',
    null,
    '1w',
    100,
    0.85,
  ],
];

const fakeSha = (s: string): string => createHash('sha256').update(`demo:${s}`).digest('hex');

/**
 * Demo releases (9.2 latest, 9.0, 8.6, Stream 23) with their images, and a fleet of mirrors with a
 * week of probe history, so /download and /mirrors have something to show before the probe worker
 * has run. Only adds what is missing.
 */
export async function seedMirrors(ds: DataSource): Promise<{ releases: number; mirrors: number }> {
  return ds.transaction(async (m) => {
    let releases = 0;
    let mirrors = 0;
    for (const r of DEMO_RELEASES) {
      const inserted = await m.query<{ id: number }[]>(
        `INSERT INTO releases (family, version, name, path, status, is_latest, released_on, full_support_until, eol_on, signing_key_path, imported_at)
         VALUES ($1, $2, $3, $4, 'published', $5, $6, $7, $8, $9, now())
         ON CONFLICT (family, version) DO NOTHING RETURNING id`,
        [r.family, r.version, r.name, r.path, r.latest, r.releasedOn, r.fullSupportUntil, r.eolOn, r.key],
      );
      if (!inserted.length) continue;
      releases++;
      for (const [arch, variant, file, mib, checksum] of r.files) {
        const path = `${r.path}/${file}`;
        const dir = path.slice(0, path.lastIndexOf('/'));
        const own = checksum === 'own';
        await m.query(
          `INSERT INTO release_artefacts (release_id, arch, variant, path, size, sha256, checksum_path, signature_path)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (path) DO NOTHING`,
          [
            inserted[0].id,
            arch,
            variant,
            path,
            mib * 1024 * 1024,
            fakeSha(path),
            own ? `${path}.sha256` : `${dir}/${checksum}`,
            own ? `${path}.sha256.gpg` : checksum === 'CHECKSUM' ? `${dir}/CHECKSUM.asc` : null,
          ],
        );
      }
    }
    for (const [
      name,
      sponsor,
      country,
      continent,
      mbps,
      https,
      http,
      rsync,
      bucket,
      lagHours,
      uptime,
    ] of DEMO_MIRRORS) {
      const lag = lagHours === null ? null : Math.round(lagHours * 3600);
      const up =
        bucket === 'unreachable'
          ? []
          : [https ? 'https' : null, http ? 'http' : null, rsync ? 'rsync' : null].filter(Boolean);
      const inserted = await m.query<{ id: number }[]>(
        `INSERT INTO mirrors (name, sponsor, sponsor_url, country, continent, bandwidth_mbps, contact_email, https_url, http_url, rsync_url,
                              status, approved_at, bucket, lag_seconds, latency_ms, tls_valid, protocols_up, last_probe_at, last_sync_at, score,
                              fresh_repos)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'active', now() - interval '30 days', $11::varchar, $12, $13, $14, $15,
                 now() - interval '7 minutes', CASE WHEN $12::int IS NULL THEN NULL ELSE now() - make_interval(secs => $12::int) END,
                 $16, CASE WHEN $11::varchar = 'up-to-date' THEN ARRAY['9/BaseOS/x86_64','9/AppStream/x86_64','9/extras/x86_64','9/BaseOS/aarch64','9/AppStream/aarch64','9/extras/aarch64'] ELSE '{}' END)
         ON CONFLICT (name) DO NOTHING RETURNING id`,
        [
          name,
          sponsor,
          `https://${name}`,
          country,
          continent,
          mbps,
          `mirror-admin@${name}`,
          https,
          http,
          rsync,
          bucket,
          lag,
          bucket === 'unreachable' ? null : 20 + (mbps % 97),
          https ? bucket !== 'unreachable' : null,
          up,
          lag === null ? null : Math.round(((lag / 3600 + 0.4 + 0.1) / uptime) * 1000) / 1000,
        ],
      );
      if (!inserted.length) continue;
      mirrors++;
      // a probe every 2 hours for a week, failing in proportion to the mirror's uptime
      await m.query(
        `INSERT INTO mirror_probes (mirror_id, probed_at, ok, bucket, lag_seconds, latency_ms, duration_ms, completion, protocols_up, tls_valid)
         SELECT $1, now() - make_interval(hours => g * 2), ok, CASE WHEN ok THEN $2 ELSE 'unreachable' END, CASE WHEN ok THEN $3::int END,
                40, 400 + (g * 37) % 200, CASE WHEN ok THEN 1 ELSE 0 END, CASE WHEN ok THEN $4::text[] ELSE '{}' END, NULL
           FROM (SELECT g, ((g * 7919) % 100) < $5::float8 * 100 AS ok FROM generate_series(0, 83) AS g) s`,
        [
          inserted[0].id,
          bucket === 'unreachable' ? 'up-to-date' : bucket,
          lag ?? 0,
          up.length ? up : ['https'],
          uptime,
        ],
      );
    }
    return { releases, mirrors };
  });
}
