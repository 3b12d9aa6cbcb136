import { DataSource, EntityManager } from 'typeorm';

interface DemoProduct {
  name: string;
  description: string;
  packageComponents: boolean;
  versions: string[];
  /** [name, description, owning SIG slug or null] */
  components: [string, string, string | null][];
  template: string;
}

const TEMPLATE = `**What happened / 问题现象**

**Steps to reproduce / 复现步骤**
1.

**Expected result / 期望结果**

**Environment / 环境** (\`cat /etc/os-release\`, \`uname -r\`, \`rpm -q <package>\`)
`;

/** The products OpenCloudOS's Bugzilla has, with their versions and general components. */
export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    name: 'OpenCloudOS',
    description: 'OpenCloudOS 8 and 9: packages, installation and everything else.',
    packageComponents: true,
    versions: ['8.5', '8.6', '8.8', '9.0', '9.2', '9.4'],
    components: [
      ['General', 'Anything that fits nowhere else', 'release'],
      ['Install', 'Installer, ISO images, first boot', 'release'],
    ],
    template: TEMPLATE,
  },
  {
    name: 'OpenCloudOS Stream',
    description: 'The upstream-tracking OpenCloudOS Stream.',
    packageComponents: true,
    versions: ['23'],
    components: [['General', 'Anything about Stream that is not a package', 'stream']],
    template: TEMPLATE,
  },
  {
    name: 'OpenCloudOS SIG',
    description: 'Requests to a Special Interest Group itself (membership, process, infrastructure).',
    packageComponents: false,
    versions: ['unspecified'],
    components: [
      ['Release', 'Release SIG', 'release'],
      ['Infrastructure', 'Infrastructure SIG', 'infrastructure'],
      ['Kernel', 'Kernel SIG', 'kernel'],
      ['Security', 'Security response SIG', 'security'],
    ],
    template: '',
  },
];

/** Products, versions and components; adds what is missing, changes nothing that exists. */
export async function seedBugProducts(m: EntityManager): Promise<void> {
  for (const [i, p] of DEMO_PRODUCTS.entries()) {
    await m.query(
      `INSERT INTO bug_products (name, description, package_components, bug_template, sort_key) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (name) DO NOTHING`,
      [p.name, p.description, p.packageComponents, p.template, i],
    );
    const [{ id }] = await m.query<{ id: number }[]>(`SELECT id FROM bug_products WHERE name = $1`, [p.name]);
    for (const [j, v] of p.versions.entries())
      await m.query(
        `INSERT INTO bug_versions (product_id, name, sort_key) VALUES ($1, $2, $3) ON CONFLICT ON CONSTRAINT uq_bug_versions_product_name DO NOTHING`,
        [id, v, j],
      );
    for (const [name, description, sig] of p.components)
      await m.query(
        `INSERT INTO bug_components (product_id, name, description, sig_id)
         VALUES ($1, $2, $3, (SELECT id FROM sigs WHERE slug = $4))
         ON CONFLICT ON CONSTRAINT uq_bug_components_product_name DO NOTHING`,
        [id, name, description, sig],
      );
  }
}

/** [summary, package or component, version, severity, reporter, status, comments, private] */
type DemoBug = [string, string, string, string, string, string, string[], boolean?];

const DEMO_BUGS: DemoBug[] = [
  [
    'kernel panic on boot with nvme driver after upgrade to 9.2',
    'kernel',
    '9.2',
    'critical',
    'alice',
    'CONFIRMED',
    ['Seen on two Lenovo servers.', '同样的问题，内核版本 6.6.47。'],
  ],
  [
    '安装程序在 UEFI 模式下无法识别 NVMe 磁盘',
    'anaconda',
    '9.0',
    'major',
    'wangfang',
    'UNCONFIRMED',
    ['复现步骤：使用 everything ISO 引导，进入磁盘选择页面。'],
  ],
  [
    'openssl 3.0 breaks legacy TLS 1.0 clients',
    'openssl',
    '9.2',
    'normal',
    'alice',
    'IN_PROGRESS',
    ['Use `update-crypto-policies --set LEGACY` as a workaround.'],
  ],
  [
    'dnf makecache 超时，镜像站元数据过期',
    'dnf',
    '9.2',
    'normal',
    'wangfang',
    'CONFIRMED',
    ['mirrors.opencloudos.tech 的 repomd.xml 比主站旧两天。'],
  ],
  [
    'systemd-resolved crashes when DNSSEC is enabled',
    'systemd',
    '9.0',
    'major',
    'bob',
    'RESOLVED',
    ['Fixed upstream in v252.'],
  ],
  [
    '内核 5.4 网络驱动 ixgbe 丢包',
    'kernel',
    '8.6',
    'major',
    'zhaolei',
    'CONFIRMED',
    ['高负载下 ifconfig 显示 rx_dropped 持续增长。'],
  ],
  ['Installer crashes when selecting Chinese keyboard layout', 'Install', '9.2', 'normal', 'bob', 'UNCONFIRMED', []],
  ['python3-blivet fails to detect LVM thin pools', 'python-blivet', '9.0', 'normal', 'alice', 'CONFIRMED', []],
  [
    'container image missing ca-certificates update',
    'ca-certificates',
    '9.2',
    'minor',
    'sunmei',
    'UNCONFIRMED',
    ['The bundle is from 2024.'],
  ],
  ['glibc: getaddrinfo slow with many interfaces', 'glibc', '9.2', 'normal', 'huangtao', 'CONFIRMED', []],
  [
    '安全：sudo 提权漏洞 (embargoed)',
    'sudo',
    '9.2',
    'critical',
    'liuyang',
    'CONFIRMED',
    ['Details under embargo. 细节保密中。'],
    true,
  ],
  ['Add loongarch64 images to the download page', 'General', '9.2', 'enhancement', 'chenjing', 'UNCONFIRMED', []],
];

/** A dozen bugs in both languages, one of them a private security bug; only when there are none. */
export async function seedBugs(ds: DataSource): Promise<{ bugs: number }> {
  return ds.transaction(async (m) => {
    await seedBugProducts(m);
    const [{ n }] = await m.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM bugs`);
    if (n > 0) return { bugs: 0 };
    const product = async (name: string) =>
      (await m.query<{ id: number }[]>(`SELECT id FROM bug_products WHERE name = $1`, [name]))[0].id;
    const oc = await product('OpenCloudOS');
    let created = 0;
    for (const [summary, comp, version, severity, reporter, status, comments, isPrivate] of DEMO_BUGS) {
      const user = (await m.query<{ id: number }[]>(`SELECT id FROM users WHERE username = $1`, [reporter]))[0];
      if (!user) continue;
      const pkg = (
        await m.query<{ id: number; sig_id: number }[]>(`SELECT id, sig_id FROM packages WHERE name = $1`, [comp])
      )[0];
      const general = pkg
        ? undefined
        : (
            await m.query<{ id: number; sig_id: number | null }[]>(
              `SELECT id, sig_id FROM bug_components WHERE product_id = $1 AND name = $2`,
              [oc, comp],
            )
          )[0];
      if (!pkg && !general) continue;
      const closed = status === 'RESOLVED' || status === 'VERIFIED';
      const [{ id }] = await m.query<{ id: number }[]>(
        `INSERT INTO bugs (product_id, version, component_id, package_id, sig_id, summary, status, resolution, severity,
                           reporter_id, is_private)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          oc,
          version,
          general?.id ?? null,
          pkg?.id ?? null,
          pkg?.sig_id ?? general?.sig_id ?? null,
          summary,
          status,
          closed ? 'FIXED' : null,
          severity,
          user.id,
          isPrivate ?? false,
        ],
      );
      const texts = [`${summary}\n\nReported from the demo data.`, ...comments];
      for (const [count, body] of texts.entries())
        await m.query(`INSERT INTO bug_comments (bug_id, count, author_id, body) VALUES ($1, $2, $3, $4)`, [
          id,
          count,
          user.id,
          body,
        ]);
      await m.query(
        `UPDATE bugs SET comment_count = $2, heat = $2 + CASE WHEN is_private THEN 50 ELSE 0 END,
                         search_vector = och_bug_search_vector(id),
                         summary_vector = to_tsvector('simple', och_cjk_split(summary)) WHERE id = $1`,
        [id, texts.length - 1],
      );
      created++;
    }
    await m.query(
      `INSERT INTO bug_term_stats (term, ndoc) SELECT word, ndoc FROM ts_stat('SELECT summary_vector FROM bugs WHERE summary_vector IS NOT NULL')
       ON CONFLICT (term) DO UPDATE SET ndoc = EXCLUDED.ndoc`,
    );
    return { bugs: created };
  });
}
