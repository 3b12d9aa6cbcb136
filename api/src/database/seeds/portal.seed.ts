import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

/** Releases the mirrors seed does not have: 9.4 becomes the current one, 8.8 the last 8.x. */
const EXTRA_RELEASES = [
  {
    version: '9.4',
    releasedOn: '2025-06-30',
    fullSupportUntil: '2029-12-31',
    eolOn: '2032-06-30',
    key: 'opencloudos/keys/RPM-GPG-KEY-OpenCloudOS-9',
    files: [
      ['x86_64', 'everything', 'isos/x86_64/OpenCloudOS-9.4-x86_64-everything.iso', 12_080],
      ['x86_64', 'minimal', 'isos/x86_64/OpenCloudOS-9.4-x86_64-minimal.iso', 1_744],
      ['x86_64', 'netinst', 'isos/x86_64/OpenCloudOS-9.4-x86_64-netinst.iso', 842],
      ['aarch64', 'everything', 'isos/aarch64/OpenCloudOS-9.4-aarch64-everything.iso', 10_702],
      ['aarch64', 'minimal', 'isos/aarch64/OpenCloudOS-9.4-aarch64-minimal.iso', 1_590],
      ['loongarch64', 'everything', 'isos/loongarch64/OpenCloudOS-9.4-loongarch64-everything.iso', 9_870],
    ],
  },
  {
    version: '8.8',
    releasedOn: '2023-03-31',
    fullSupportUntil: '2026-12-31',
    eolOn: '2029-05-31',
    key: 'opencloudos/keys/RPM-GPG-KEY-OpenCloudOS-8',
    files: [
      ['x86_64', 'dvd', 'isos/x86_64/opencloudos-8.8-x86_64-dvd1.iso', 9_730],
      ['x86_64', 'minimal', 'isos/x86_64/opencloudos-8.8-x86_64-minimal.iso', 2_012],
      ['aarch64', 'dvd', 'isos/aarch64/opencloudos-8.8-aarch64-dvd1.iso', 8_866],
    ],
  },
] as const;

interface DemoPage {
  family: 'opencloudos' | 'stream';
  version: string;
  kernel: string;
  taglineEn: string;
  taglineZh: string;
  highlightsEn: string;
  highlightsZh: string;
  changelog: string;
  knownIssuesQuery: string;
}

const PAGES: DemoPage[] = [
  {
    family: 'opencloudos',
    version: '9.4',
    kernel: '6.6',
    taglineEn: 'Kernel 6.6 LTS, LoongArch images, faster boots and a smaller attack surface',
    taglineZh: '6.6 LTS 内核、龙芯架构镜像、更快的启动和更小的攻击面',
    highlightsEn: `## Notable features

- **Kernel 6.6 LTS** with EEVDF scheduling, io_uring improvements and MGLRU on by default
- **LoongArch (loongarch64)** installation images next to x86_64 and aarch64
- OpenSSL 3.0 with the SM2/SM3/SM4 national algorithms enabled in the default crypto policy
- GCC 12, glibc 2.38, systemd 254, Python 3.11, Podman 4.9

## Performance

- Boot to login prompt **18% faster** on a 4-vCPU cloud instance (systemd-analyze, 9.2 → 9.4)
- nginx TLS handshakes **+12%** per core with the kernel's TLS offload and OpenSSL 3 providers
- MySQL sysbench read-write **+7%** from the scheduler and page-cache changes`,
    highlightsZh: `## 主要特性

- **6.6 LTS 内核**：EEVDF 调度器、io_uring 改进，默认开启 MGLRU
- 新增 **龙芯（loongarch64）** 安装镜像，与 x86_64、aarch64 同步发布
- OpenSSL 3.0 默认加密策略启用 SM2/SM3/SM4 国密算法
- GCC 12、glibc 2.38、systemd 254、Python 3.11、Podman 4.9

## 性能

- 4 vCPU 云主机上从开机到登录提示符 **快 18%**（systemd-analyze，9.2 → 9.4）
- 借助内核 TLS 卸载与 OpenSSL 3 provider，nginx 单核 TLS 握手 **提升 12%**
- 调度器与页缓存改进使 MySQL sysbench 读写 **提升 7%**`,
    changelog: `### 9.4 (2025-06-30)

- kernel 6.6.47 → 6.6.88; \`kernel-tools\` split into its own package
- openssl 3.0.12 → 3.0.15 (CVE-2024-5535, CVE-2024-6119)
- systemd 252 → 254; \`systemd-oomd\` enabled on servers with more than 8 GiB
- dnf 4.14 → 4.18, \`dnf needs-restarting\` now in the base image
- New: \`loongarch64\` everything ISO; Anaconda installs on LoongArch UEFI machines
- Removed: Python 3.9 (use 3.11), \`network-scripts\` (use NetworkManager)`,
    knownIssuesQuery: 'version:9.4',
  },
  {
    family: 'opencloudos',
    version: '9.2',
    kernel: '6.6',
    taglineEn: 'The first 9.x on kernel 6.6, with confidential-computing support',
    taglineZh: '首个基于 6.6 内核的 9.x 版本，支持机密计算',
    highlightsEn: `## Notable features

- Kernel moves from 6.1 to **6.6 LTS**
- Intel TDX and AMD SEV-SNP guest support for confidential virtual machines
- \`rpm\` 4.18 with sequoia-based signature checks

## Performance

- Redis GET throughput **+9%** over 9.0 on the same cloud instance`,
    highlightsZh: `## 主要特性

- 内核从 6.1 升级到 **6.6 LTS**
- 支持 Intel TDX 与 AMD SEV-SNP 机密虚拟机
- \`rpm\` 4.18，使用 sequoia 校验签名

## 性能

- 相同云主机上 Redis GET 吞吐比 9.0 **提升 9%**`,
    changelog: `### 9.2 (2024-09-30)

- kernel 6.1 → 6.6.47
- rpm 4.16 → 4.18
- New: confidential-computing guest kernels and \`tdx-tools\``,
    knownIssuesQuery: 'version:9.2',
  },
  {
    family: 'opencloudos',
    version: '8.8',
    kernel: '5.4.119',
    taglineEn: 'The last 8.x point release: a drop-in successor for CentOS 8',
    taglineZh: '8.x 最后一个小版本：CentOS 8 的平滑替代',
    highlightsEn: `## Notable features

- Binary compatible with CentOS 8 / RHEL 8 userspace; migrate in place with \`migrate2opencloudos\`
- TencentOS kernel 5.4.119 with cgroup v2 backports and \`bpftool\`
- Security updates until the end of full support, then critical fixes until end of life`,
    highlightsZh: `## 主要特性

- 与 CentOS 8 / RHEL 8 用户态二进制兼容，可用 \`migrate2opencloudos\` 原地迁移
- TencentOS 5.4.119 内核，回合 cgroup v2 与 \`bpftool\`
- 全面支持期内提供安全更新，之后至生命周期结束提供关键修复`,
    changelog: `### 8.8 (2023-03-31)

- kernel 5.4.119-20.0009 → 5.4.119-20.0011
- openssl 1.1.1k security updates
- New: \`migrate2opencloudos\` handles CentOS 8.5 hosts with EPEL enabled`,
    knownIssuesQuery: 'version:8.8',
  },
  {
    family: 'stream',
    version: '23',
    kernel: '6.6',
    taglineEn: 'The upstream-first rolling base where OpenCloudOS 9 is made',
    taglineZh: '面向上游的滚动基础版本，OpenCloudOS 9 在这里孕育',
    highlightsEn: `## What Stream is

OpenCloudOS Stream is **L1** of the distribution: built from upstream sources by the community,
ahead of the stable 9.x releases. Use it to test what comes next and to contribute fixes early.

- Kernel 6.6, GCC 12, glibc 2.38, LLVM 17
- Monthly image snapshots (\`OpenCloudOS-Stream-23-YYYYMMDD\`)`,
    highlightsZh: `## 什么是 Stream

OpenCloudOS Stream 是发行版的 **L1**：由社区从上游源码构建，先于 9.x 稳定版本。
用它来试用下一步的变化，并尽早贡献修复。

- 6.6 内核、GCC 12、glibc 2.38、LLVM 17
- 每月发布镜像快照（\`OpenCloudOS-Stream-23-YYYYMMDD\`）`,
    changelog: `### 2024-03-01 snapshot

- kernel 6.6.15, systemd 254.9
- New: netinst images for aarch64`,
    knownIssuesQuery: 'version:23',
  },
];

const NEWS = [
  {
    slug: 'opencloudos-9-4-released',
    titleEn: 'OpenCloudOS 9.4 is out',
    titleZh: 'OpenCloudOS 9.4 正式发布',
    summaryEn: 'Kernel 6.6 LTS, LoongArch installation images and faster boots.',
    summaryZh: '6.6 LTS 内核、龙芯安装镜像以及更快的启动速度。',
    bodyEn:
      'OpenCloudOS 9.4 is available from all mirrors today. See the [release page](/releases/9.4) for the highlights, the changelog and the known issues, and [download](/download) an image.',
    bodyZh:
      'OpenCloudOS 9.4 今日起可从所有镜像站下载。亮点、变更日志和已知问题见[版本页面](/releases/9.4)，镜像请到[下载页面](/download)。',
    daysAgo: 20,
  },
  {
    slug: 'centos-migration-programme-opens',
    titleEn: 'The 千百双扶 migration programme takes applications',
    titleZh: '“千百双扶”迁移计划开始接受申请',
    summaryEn: 'Small and medium enterprises leaving CentOS can apply for help from the community.',
    summaryZh: '正在告别 CentOS 的中小企业可以申请社区的迁移帮助。',
    bodyEn: 'Tell us about your servers and your timeline on the [programme page](/programme).',
    bodyZh: '请在[计划页面](/programme)介绍您的服务器和迁移时间表。',
    daysAgo: 45,
  },
];

const PAGES_CMS = [
  {
    slug: 'about',
    titleEn: 'About OpenCloudOS',
    titleZh: '关于 OpenCloudOS',
    bodyEn:
      'OpenCloudOS is a Linux distribution built by an open community of companies and individuals. It comes in three layers: **L1** (Stream, built from upstream), **L2** (the community-supported stable releases) and **L3** (commercial editions by member companies).',
    bodyZh:
      'OpenCloudOS 是由企业与个人组成的开放社区共同打造的 Linux 发行版，分为三层：**L1**（Stream，从上游构建）、**L2**（社区支持的稳定版本）和 **L3**（成员企业的商业版本）。',
  },
  {
    slug: 'code-of-conduct',
    titleEn: 'Code of conduct',
    titleZh: '行为准则',
    bodyEn:
      'Be respectful, be constructive, assume good faith. Harassment of any kind is not tolerated. Report problems to conduct@opencloudos.org.',
    bodyZh: '互相尊重，建设性地交流，善意地理解他人。不容忍任何形式的骚扰。问题请报告至 conduct@opencloudos.org。',
  },
];

const fakeSha = (s: string): string => createHash('sha256').update(`demo:${s}`).digest('hex');

/**
 * The portal's demo content: OpenCloudOS 9.4 (current) and 8.8 added to the catalogue, a page for
 * 9.4, 9.2, 8.8 and Stream 23, two news posts, the about and code-of-conduct pages. Runs after the
 * mirrors seed; only adds what is missing (an admin's edits survive a restart).
 */
export async function seedPortal(ds: DataSource): Promise<{ releases: number; pages: number; posts: number }> {
  return ds.transaction(async (m) => {
    let releases = 0;
    let pages = 0;
    let posts = 0;
    for (const r of EXTRA_RELEASES) {
      const path = `opencloudos/${r.version}`;
      const inserted = await m.query<{ id: number }[]>(
        `INSERT INTO releases (family, version, name, path, status, is_latest, released_on, full_support_until, eol_on, signing_key_path, imported_at)
         VALUES ('opencloudos', $1, $2, $3, 'published', false, $4, $5, $6, $7, now())
         ON CONFLICT (family, version) DO NOTHING RETURNING id`,
        [r.version, `OpenCloudOS ${r.version}`, path, r.releasedOn, r.fullSupportUntil, r.eolOn, r.key],
      );
      if (!inserted.length) continue;
      releases++;
      if (r.version === '9.4') {
        await m.query(`UPDATE releases SET is_latest = (id = $1) WHERE family = 'opencloudos'`, [inserted[0].id]);
      }
      for (const [arch, variant, file, mib] of r.files) {
        const full = `${path}/${file}`;
        const own = r.version === '9.4';
        const dir = full.slice(0, full.lastIndexOf('/'));
        await m.query(
          `INSERT INTO release_artefacts (release_id, arch, variant, path, size, sha256, checksum_path, signature_path)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (path) DO NOTHING`,
          [
            inserted[0].id,
            arch,
            variant,
            full,
            mib * 1024 * 1024,
            fakeSha(full),
            own ? `${full}.sha256` : `${dir}/CHECKSUM`,
            own ? `${full}.sha256.gpg` : `${dir}/CHECKSUM.asc`,
          ],
        );
      }
    }
    for (const p of PAGES) {
      const res = await m.query<{ release_id: number }[]>(
        `INSERT INTO release_pages (release_id, kernel, tagline_en, tagline_zh, highlights_en, highlights_zh, changelog, known_issues_query)
         SELECT id, $3, $4, $5, $6, $7, $8, $9 FROM releases WHERE family = $1 AND version = $2
         ON CONFLICT (release_id) DO NOTHING RETURNING release_id`,
        [
          p.family,
          p.version,
          p.kernel,
          p.taglineEn,
          p.taglineZh,
          p.highlightsEn,
          p.highlightsZh,
          p.changelog,
          p.knownIssuesQuery,
        ],
      );
      pages += res.length;
    }
    const admin = await m.query<{ id: number }[]>(`SELECT id FROM users WHERE lower(username) = 'admin'`);
    const authorId = admin[0]?.id ?? null;
    for (const n of NEWS) {
      const res = await m.query<unknown[]>(
        `INSERT INTO content_posts (kind, slug, title_en, title_zh, summary_en, summary_zh, body_en, body_zh, status, published_at, author_id)
         VALUES ('news', $1, $2, $3, $4, $5, $6, $7, 'published', now() - make_interval(days => $8), $9)
         ON CONFLICT (kind, slug) DO NOTHING RETURNING id`,
        [n.slug, n.titleEn, n.titleZh, n.summaryEn, n.summaryZh, n.bodyEn, n.bodyZh, n.daysAgo, authorId],
      );
      posts += res.length;
    }
    for (const p of PAGES_CMS) {
      const res = await m.query<unknown[]>(
        `INSERT INTO content_posts (kind, slug, title_en, title_zh, body_en, body_zh, status, published_at, author_id)
         VALUES ('page', $1, $2, $3, $4, $5, 'published', now(), $6)
         ON CONFLICT (kind, slug) DO NOTHING RETURNING id`,
        [p.slug, p.titleEn, p.titleZh, p.bodyEn, p.bodyZh, authorId],
      );
      posts += res.length;
    }
    return { releases, pages, posts };
  });
}
