import * as argon2 from 'argon2';
import { DataSource, EntityManager } from 'typeorm';
import type { SigRole } from '../../modules/sigs/sig-membership.entity';
import type { MeetingCadence, SigStatus } from '../../modules/sigs/sig.entity';
import { UserEntity } from '../../modules/users/user.entity';
import type { DemoUser } from './demo.seed';

/** A few more plausible community members, beside demo.seed's; same demo password. */
export const SIG_DEMO_USERS: DemoUser[] = [
  { username: 'chenjing', email: 'chenjing@opencloudos.example', displayName: '陈静', locale: 'zh-CN', roles: [] },
  { username: 'lihua', email: 'lihua@opencloudos.example', displayName: '李华', locale: 'zh-CN', roles: [] },
  { username: 'zhaolei', email: 'zhaolei@opencloudos.example', displayName: '赵磊', locale: 'zh-CN', roles: [] },
  { username: 'sunmei', email: 'sunmei@opencloudos.example', displayName: '孙梅', locale: 'zh-CN', roles: [] },
  { username: 'huangtao', email: 'huangtao@opencloudos.example', displayName: '黄涛', locale: 'zh-CN', roles: [] },
  { username: 'bob', email: 'bob@opencloudos.example', displayName: 'Bob Martin', locale: 'en', roles: [] },
];

interface DemoSig {
  slug: string;
  nameZh: string;
  nameEn: string;
  description: string;
  status?: SigStatus;
  cadence: MeetingCadence | null;
  subProjects?: string[];
  members: Array<[string, SigRole]>;
  packages: string[];
}

const words = (s: string): string[] => s.trim().split(/\s+/);

/** The SIGs OpenCloudOS has, plus `default` and `deprecated` (see shared/fixtures/OPENCLOUDOS.md). */
export const DEMO_SIGS: DemoSig[] = [
  {
    slug: 'release',
    nameZh: '发布',
    nameEn: 'Release',
    description:
      '## 发布 SIG\n\nPlans OpenCloudOS releases, owns the installer, release branding and the ISO build.\n\n- 版本规划与发布节奏\n- 安装器与镜像',
    cadence: 'biweekly',
    subProjects: ['installer', 'iso-build', 'branding'],
    members: [
      ['zhangwei', 'lead'],
      ['alice', 'maintainer'],
      ['wangfang', 'member'],
    ],
    packages:
      words(`anaconda lorax pykickstart python-blivet libblockdev os-prober opencloudos-release opencloudos-logos
      opencloudos-repos initial-setup efibootmgr shim mokutil syslinux kickstart-tests anaconda-user-help
      opencloudos-indexhtml opencloudos-backgrounds plymouth`),
  },
  {
    slug: 'infrastructure',
    nameZh: '基础设施',
    nameEn: 'Infrastructure',
    description: 'Build, CI and repository infrastructure: Koji, the Gitee gate, mirrors and package tooling.',
    cadence: 'weekly',
    subProjects: ['koji', 'gitee-gate-ci', 'mirrors'],
    members: [
      ['lihua', 'lead'],
      ['bob', 'maintainer'],
      ['admin', 'member'],
    ],
    packages: words(`rpm dnf libdnf dnf-plugins-core librepo libsolv libmodulemd libcomps createrepo_c koji mock
      rpmdevtools rpmlint yum-utils python-rpm-macros redhat-rpm-config dwz debugedit gpgme`),
  },
  {
    slug: 'stream',
    nameZh: 'Stream',
    nameEn: 'Stream',
    description: 'OpenCloudOS Stream: the upstream-first development line and its newer toolchains.',
    cadence: 'biweekly',
    members: [
      ['alice', 'lead'],
      ['chenjing', 'committer'],
      ['bob', 'member'],
    ],
    packages: words(`gcc glibc binutils llvm clang lld rust cargo golang python3 python3.11 perl ruby nodejs
      java-17-openjdk java-21-openjdk cmake make autoconf automake libtool gdb meson ninja-build pkgconf bison flex
      m4 gettext`),
  },
  {
    slug: 'kernel',
    nameZh: '内核',
    nameEn: 'Kernel',
    description:
      '# 内核 SIG\n\nMaintains the OpenCloudOS kernel (`kernel`, based on upstream LTS) and the tools that ship with it.',
    cadence: 'weekly',
    subProjects: ['kernel', 'kernel-tools', 'kdump'],
    members: [
      ['zhaolei', 'lead'],
      ['chenjing', 'maintainer'],
      ['alice', 'member'],
    ],
    packages: words(`kernel linux-firmware kmod dracut grub2 bpftool kexec-tools makedumpfile crash microcode_ctl
      ethtool iproute perf trace-cmd kpatch numactl irqbalance libbpf bcc systemtap`),
  },
  {
    slug: 'security-response',
    nameZh: '安全应急响应',
    nameEn: 'Security response',
    description: 'Handles vulnerability reports, CVE triage and security advisories (OCSA) for every release.',
    cadence: 'weekly',
    members: [
      ['liuyang', 'lead'],
      ['huangtao', 'maintainer'],
      ['zhangwei', 'member'],
    ],
    packages: words(`openssl gnutls nss nspr libgcrypt libgpg-error gnupg2 openssh sudo audit selinux-policy
      libselinux policycoreutils shadow-utils pam krb5 cyrus-sasl ca-certificates nettle p11-kit libssh
      crypto-policies fapolicyd aide tpm2-tools tpm2-tss libseccomp libcap libsepol`),
  },
  {
    slug: 'testing',
    nameZh: '测试',
    nameEn: 'Testing',
    description: 'Release testing, the compatibility test suites and the test infrastructure.',
    cadence: 'biweekly',
    members: [
      ['sunmei', 'lead'],
      ['wangfang', 'member'],
    ],
    packages: words(`ltp stress-ng fio iperf3 sysbench valgrind expect tcl python-pytest python-mock beakerlib
      dejagnu lcov`),
  },
  {
    slug: 'ops-tools',
    nameZh: '运维工具',
    nameEn: 'Ops tools',
    description: 'Operations tooling for servers and clouds: monitoring, tuning, automation and diagnostics.',
    cadence: 'monthly',
    members: [
      ['wangfang', 'lead'],
      ['bob', 'maintainer'],
    ],
    packages: words(`ansible-core cockpit tuned sysstat htop iotop strace ltrace tmux screen rsync chrony cronie
      logrotate rsyslog sos pcp lsof procps-ng psmisc net-tools bind-utils tcpdump nmap cloud-init
      prometheus-node-exporter`),
  },
  {
    slug: 'marketing',
    nameZh: '品宣',
    nameEn: 'Marketing',
    description: 'Community communication: the website, events, release announcements and social media.',
    cadence: 'monthly',
    members: [['chenjing', 'lead']],
    packages: words(`opencloudos-docs opencloudos-website`),
  },
  {
    slug: 'hardware-adaptation',
    nameZh: '适配',
    nameEn: 'Hardware adaptation',
    description: 'Hardware and platform enablement: x86_64, aarch64 and loongarch64 servers, firmware and drivers.',
    cadence: 'biweekly',
    members: [
      ['huangtao', 'lead'],
      ['zhaolei', 'member'],
    ],
    packages: words(`pciutils usbutils dmidecode lshw smartmontools nvme-cli mdadm lvm2 device-mapper-multipath
      rdma-core ipmitool OpenIPMI hwloc edk2 qemu libvirt virt-install seabios ndctl`),
  },
  {
    slug: 'default',
    nameZh: '默认',
    nameEn: 'Default',
    description: 'Packages no other SIG has claimed yet. Leads of other SIGs may ask to take them over.',
    cadence: null,
    members: [['zhangwei', 'lead']],
    packages: words(`bash coreutils util-linux systemd glib2 zlib xz bzip2 gzip tar sed grep gawk findutils diffutils
      less vim-enhanced nano emacs curl wget openldap sqlite postgresql mariadb redis httpd nginx php libxml2
      libxslt expat json-c jansson pcre2 ncurses readline libffi gmp mpfr libmpc elfutils file which hostname
      iputils NetworkManager firewalld iptables nftables dbus-broker polkit e2fsprogs xfsprogs btrfs-progs
      dosfstools parted gdisk cpio zstd lz4 libarchive podman buildah skopeo runc crun conmon containers-common
      git subversion mercurial patch unzip zip p7zip jq yq libyaml libevent libuv openblas lapack fftw boost
      protobuf grpc abseil-cpp icu harfbuzz freetype fontconfig cairo pango gtk3 mesa libdrm wayland
      pipewire alsa-lib pulseaudio cups ghostscript poppler ImageMagick graphviz texinfo man-db man-pages
      groff kbd langpacks glibc-langpack-zh tzdata timedatex mailcap shared-mime-info hwdata pigz
      libpng libjpeg-turbo libtiff libwebp giflib lcms2 openjpeg2 keyutils libnl3 libpcap libmnl libnftnl
      ipset conntrack-tools openvswitch dnsmasq bind unbound haproxy keepalived squid samba nfs-utils
      rpcbind autofs cifs-utils memcached rabbitmq-server erlang`),
  },
  {
    slug: 'deprecated',
    nameZh: '弃用',
    nameEn: 'Deprecated',
    description: 'Packages kept only for compatibility and no longer maintained; they leave the next release.',
    cadence: null,
    members: [['zhangwei', 'lead']],
    packages: words(`python2 ntp network-scripts authconfig yum sendmail python-nose gtk2 qt5-qtwebkit`),
  },
  {
    slug: 'rust-lang',
    nameZh: 'Rust 语言',
    nameEn: 'Rust language',
    description: 'Proposed: package the Rust ecosystem (crates as RPMs) and keep the toolchain current.',
    status: 'proposed',
    cadence: 'monthly',
    members: [
      ['alice', 'lead'],
      ['bob', 'maintainer'],
      ['sunmei', 'maintainer'],
    ],
    packages: [],
  },
];

const UPSTREAMS: Record<string, [string, string]> = {
  kernel: ['https://www.kernel.org', 'The Linux kernel'],
  glibc: ['https://www.gnu.org/software/libc/', 'The GNU C library'],
  systemd: ['https://systemd.io', 'System and service manager'],
  openssl: ['https://www.openssl.org', 'TLS and cryptography toolkit'],
  python3: ['https://www.python.org', 'The Python 3 interpreter'],
  gcc: ['https://gcc.gnu.org', 'The GNU Compiler Collection'],
  nginx: ['https://nginx.org', 'HTTP and reverse proxy server'],
  bash: ['https://www.gnu.org/software/bash/', 'The GNU Bourne Again shell'],
  rpm: ['https://rpm.org', 'The RPM package manager'],
  dnf: ['https://github.com/rpm-software-management/dnf', 'Package manager'],
  anaconda: ['https://github.com/rhinstaller/anaconda', 'The system installer'],
  openssh: ['https://www.openssh.com', 'Secure shell client and server'],
};

async function ensureUsers(m: EntityManager, password: string): Promise<string[]> {
  const created: string[] = [];
  let hash: string | undefined;
  for (const u of SIG_DEMO_USERS) {
    const exists = await m
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('lower(u.username) = :n', { n: u.username })
      .getExists();
    if (exists) continue;
    hash ??= await argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    await m.getRepository(UserEntity).insert({
      username: u.username,
      email: u.email,
      displayName: u.displayName,
      locale: u.locale,
      passwordHash: hash,
      emailVerifiedAt: new Date(),
    });
    created.push(u.username);
  }
  return created;
}

/**
 * Demo SIGs, memberships, a few hundred packages, a proposal and a pending join request. Only
 * adds what is missing (by slug, by (SIG, user), by package name), so it is safe on every start.
 */
export async function seedSigs(
  ds: DataSource,
  password: string,
): Promise<{ users: string[]; sigs: string[]; packages: number }> {
  return ds.transaction(async (m) => {
    const users = await ensureUsers(m, password);
    const idOf = new Map<string, number>(
      (await m.query<{ id: number; username: string }[]>(`SELECT id, username FROM users`)).map((r) => [
        r.username,
        r.id,
      ]),
    );
    const sigs: string[] = [];
    let packages = 0;
    for (const s of DEMO_SIGS) {
      const status = s.status ?? 'active';
      const inserted = await m.query<{ id: number }[]>(
        `INSERT INTO sigs (slug, name_zh, name_en, description, status, mailing_list, meeting_cadence, meeting_url,
                           sub_projects, approved_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (slug) DO NOTHING RETURNING id`,
        [
          s.slug,
          s.nameZh,
          s.nameEn,
          s.description,
          status,
          `sig-${s.slug}@lists.opencloudos.org`,
          s.cadence,
          s.cadence ? `https://meeting.tencent.com/opencloudos-${s.slug}` : null,
          s.subProjects ?? [],
          status === 'active' ? new Date() : null,
        ],
      );
      const sigId = (await m.query<{ id: number }[]>(`SELECT id FROM sigs WHERE slug = $1`, [s.slug]))[0].id;
      if (inserted.length) {
        sigs.push(s.slug);
        await m.query(`INSERT INTO sig_activity (sig_id, actor_id, kind, details) VALUES ($1, NULL, $2, $3::jsonb)`, [
          sigId,
          status === 'proposed' ? 'sig.proposed' : 'sig.created',
          JSON.stringify({
            founders: s.members.map(([u]) => u),
            leads: s.members.filter(([, r]) => r === 'lead').map(([u]) => u),
          }),
        ]);
      }
      for (const [username, role] of s.members) {
        const uid = idOf.get(username);
        if (!uid) continue; // a demo user renamed or removed: skip rather than fail the start
        await m.query(
          `INSERT INTO sig_memberships (sig_id, user_id, role) VALUES ($1, $2, $3)
           ON CONFLICT ON CONSTRAINT uq_sig_memberships_sig_user DO NOTHING`,
          [sigId, uid, role],
        );
      }
      for (const name of s.packages) {
        const [url, description] = UPSTREAMS[name] ?? [null, ''];
        const res = await m.query<{ id: number }[]>(
          `INSERT INTO packages (name, description, upstream_url, branches, sig_id)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING id`,
          [name, description, url, ['master', 'oc8', 'oc9'], sigId],
        );
        packages += res.length;
      }
    }
    // something for the kernel leads to decide
    const kernel = (await m.query<{ id: number }[]>(`SELECT id FROM sigs WHERE slug = 'kernel'`))[0]?.id;
    const wangfang = idOf.get('wangfang');
    if (kernel && wangfang) {
      await m.query(
        `INSERT INTO sig_join_requests (sig_id, user_id, message)
         SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM sig_join_requests WHERE sig_id = $1 AND user_id = $2)
           AND NOT EXISTS (SELECT 1 FROM sig_memberships WHERE sig_id = $1 AND user_id = $2)`,
        [kernel, wangfang, '我在做 5.4 到 6.6 内核的网络驱动回合，希望加入内核 SIG。'],
      );
    }
    return { users, sigs, packages };
  });
}
