// 500 approved, fresh mirrors and an OpenCloudOS 9.2 ISO for the mirrors-* scenarios, written as
// the probe worker would leave them. Idempotent: a second call adds nothing.

export const BENCH_ISO = 'opencloudos/9.2/isos/x86_64/OpenCloudOS-9.2-x86_64-everything.iso';
export const BENCH_MIRRORS = 500;

const COUNTRIES = [
  ['CN', 'AS', 30],
  ['JP', 'AS', 5],
  ['SG', 'AS', 5],
  ['KR', 'AS', 3],
  ['DE', 'EU', 10],
  ['FR', 'EU', 6],
  ['GB', 'EU', 6],
  ['NL', 'EU', 5],
  ['US', 'NA', 15],
  ['CA', 'NA', 4],
  ['BR', 'SA', 4],
  ['AU', 'OC', 4],
  ['ZA', 'AF', 3],
];

export function countryOf(i) {
  const total = COUNTRIES.reduce((a, c) => a + c[2], 0);
  let slot = (i * 37) % total;
  for (const c of COUNTRIES) {
    if (slot < c[2]) return c;
    slot -= c[2];
  }
  return COUNTRIES[0];
}

export async function seedBenchMirrors(
  db,
  { count = BENCH_MIRRORS, urlOf = (i) => `http://m${i}.bench.invalid` } = {},
) {
  const { rows } = await db.query(
    `INSERT INTO releases (family, version, name, path, status, is_latest)
     VALUES ('opencloudos', '9.2', 'OpenCloudOS 9.2', 'opencloudos/9.2', 'published', true)
     ON CONFLICT (family, version) DO UPDATE SET status = 'published' RETURNING id`,
  );
  await db.query(
    `INSERT INTO release_artefacts (release_id, arch, variant, path, size, sha256, checksum_path)
     VALUES ($1, 'x86_64', 'everything', $2, 12304646144, repeat('ab', 32), $3) ON CONFLICT (path) DO NOTHING`,
    [rows[0].id, BENCH_ISO, `${BENCH_ISO}.sha256`],
  );
  await db.query(
    `INSERT INTO mirror_master_repos (repo_key, size, timestamp, md5, sha1, sha256, sha512)
     VALUES ('9/BaseOS/x86_64', 3112, 1764200000, repeat('a', 32), repeat('b', 40), repeat('c', 64), repeat('d', 128))
     ON CONFLICT (repo_key) DO NOTHING`,
  );
  const names = [];
  const params = [];
  for (let i = 0; i < count; i++) {
    const [country, continent] = countryOf(i);
    names.push(`($${params.length + 1}, 'Bench sponsor', $${params.length + 2}, $${params.length + 3}, $${params.length + 4},
      'ops@bench.invalid', $${params.length + 5}, 'active', now(), 'up-to-date', 0, '{http}', '{9/BaseOS/x86_64}', $${params.length + 6})`);
    params.push(
      `bench-mirror-${String(i).padStart(3, '0')}`,
      country,
      continent,
      100 + ((i * 97) % 10_000),
      urlOf(i),
      1 + (i % 7) / 3,
    );
  }
  await db.query(
    `INSERT INTO mirrors (name, sponsor, country, continent, bandwidth_mbps, contact_email, http_url, status, approved_at,
                          bucket, lag_seconds, protocols_up, fresh_repos, score)
     VALUES ${names.join(',\n')}
     ON CONFLICT (name) DO UPDATE SET http_url = EXCLUDED.http_url, status = 'active', bucket = 'up-to-date', lag_seconds = 0,
       protocols_up = '{http}', fresh_repos = '{9/BaseOS/x86_64}', missing_paths = '{}', consecutive_failures = 0, auto_disabled = false`,
    params,
  );
}
