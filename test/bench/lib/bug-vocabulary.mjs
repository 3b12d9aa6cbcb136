/**
 * Word lists for the generated bug set, roughly in order of how often they occur: the generator
 * draws with Zipf-like odds (rank r has weight ~1/r), so the first entries are the common words
 * and the tail is rare.
 */

/** Packages by how many bugs they get: the first ones are the usual suspects. */
const CORE_PACKAGES = [
  'kernel',
  'systemd',
  'anaconda',
  'glibc',
  'dnf',
  'openssl',
  'gcc',
  'python3',
  'NetworkManager',
  'grub2',
  'firewalld',
  'selinux-policy',
  'openssh',
  'rpm',
  'podman',
  'docker-ce',
  'containerd',
  'libvirt',
  'qemu-kvm',
  'lvm2',
  'xfsprogs',
  'e2fsprogs',
  'util-linux',
  'coreutils',
  'bash',
  'curl',
  'wget',
  'nginx',
  'httpd',
  'mariadb',
  'postgresql',
  'redis',
  'java-17-openjdk',
  'java-11-openjdk',
  'golang',
  'rust',
  'nodejs',
  'perl',
  'ruby',
  'php',
  'git',
  'vim',
  'emacs',
  'tmux',
  'sudo',
  'shadow-utils',
  'pam',
  'sssd',
  'krb5',
  'chrony',
  'ntp',
  'rsyslog',
  'audit',
  'cronie',
  'logrotate',
  'dracut',
  'kmod',
  'linux-firmware',
  'microcode_ctl',
  'tuned',
  'irqbalance',
  'numactl',
  'perf',
  'bpftrace',
  'bcc',
  'strace',
  'gdb',
  'valgrind',
  'ltrace',
  'sysstat',
  'iproute',
  'iptables',
  'nftables',
  'ethtool',
  'bind',
  'dhcp',
  'dnsmasq',
  'nfs-utils',
  'samba',
  'cifs-utils',
  'iscsi-initiator-utils',
  'device-mapper-multipath',
  'mdadm',
  'cryptsetup',
  'parted',
  'gdisk',
  'btrfs-progs',
  'smartmontools',
  'nvme-cli',
  'sg3_utils',
  'ca-certificates',
  'gnutls',
  'nss',
  'libgcrypt',
  'crypto-policies',
  'ipa',
  'keepalived',
  'haproxy',
  'pacemaker',
  'corosync',
  'cloud-init',
  'cockpit',
  'tomcat',
  'maven',
  'ansible-core',
  'python3-pip',
  'python-blivet',
  'python3-dnf',
  'libdnf',
  'createrepo_c',
  'mock',
  'rpm-build',
  'koji',
  'glib2',
  'gtk3',
  'gnome-shell',
  'mutter',
  'xorg-x11-server',
  'mesa',
  'wayland',
  'pipewire',
  'pulseaudio',
  'bluez',
  'cups',
  'ibus',
  'ibus-libpinyin',
  'fcitx5',
  'google-noto-cjk-fonts',
  'wqy-microhei-fonts',
  'fontconfig',
  'firefox',
  'thunderbird',
  'libreoffice',
  'gimp',
  'ffmpeg',
  'gstreamer1',
  'libjpeg-turbo',
  'libpng',
  'zlib',
  'xz',
  'zstd',
  'bzip2',
  'tar',
  'gzip',
  'unzip',
  'libarchive',
  'sqlite',
  'libxml2',
  'expat',
  'json-c',
  'protobuf',
  'grpc',
  'etcd',
  'kubernetes',
  'cri-o',
  'runc',
  'crun',
  'buildah',
  'skopeo',
  'helm',
  'prometheus',
  'grafana',
  'node_exporter',
  'zabbix',
  'nagios',
  'elasticsearch',
  'kafka',
  'zookeeper',
  'rabbitmq-server',
  'memcached',
  'mongodb',
  'mysql',
  'openldap',
  'freeradius',
  'postfix',
  'dovecot',
  'sendmail',
  'squid',
  'varnish',
  'lighttpd',
  'irqbalance-tools',
  'dpdk',
  'ovs',
  'openvswitch',
  'libbpf',
  'xdp-tools',
  'rdma-core',
  'infiniband-diags',
  'opensm',
  'mlnx-ofed',
  'intel-gpu-tools',
  'nvidia-driver',
  'cuda',
  'opencl-headers',
  'tpm2-tools',
  'tpm2-tss',
  'clevis',
  'tang',
  'fapolicyd',
  'aide',
  'openscap',
  'scap-security-guide',
  'lynis',
  'clamav',
  'fail2ban',
  'policycoreutils',
  'setroubleshoot',
  'libselinux',
  'libsepol',
  'checkpolicy',
];

const PREFIXES = [
  'python3-',
  'perl-',
  'golang-github-',
  'rubygem-',
  'nodejs-',
  'rust-',
  'php-',
  'lib',
  'texlive-',
  'R-',
];
const STEMS = [
  'requests',
  'urllib3',
  'six',
  'yaml',
  'jinja2',
  'setuptools',
  'wheel',
  'cryptography',
  'idna',
  'chardet',
  'dateutil',
  'pytz',
  'numpy',
  'scipy',
  'pandas',
  'lxml',
  'pillow',
  'psutil',
  'paramiko',
  'dbus',
  'gobject',
  'cairo',
  'xml-parser',
  'json',
  'http-tiny',
  'io-socket-ssl',
  'net-ssleay',
  'test-simple',
  'uri',
  'dbi',
  'cobra',
  'viper',
  'logrus',
  'testify',
  'protobuf',
  'grpc',
  'yaml-v3',
  'x-sys',
  'x-net',
  'x-crypto',
  'rack',
  'rake',
  'bundler',
  'nokogiri',
  'thor',
  'json-pure',
  'serde',
  'tokio',
  'clap',
  'regex',
  'rand',
  'libc',
  'log',
  'syn',
  'quote',
  'proc-macro2',
  'anyhow',
  'thiserror',
  'hyper',
  'futures',
  'express',
  'lodash',
  'semver',
  'debug',
  'mime',
  'async',
  'commander',
  'glob',
  'minimatch',
  'uuid',
  'ssh2',
  'usb',
  'evdev',
  'inih',
  'tirpc',
  'nl3',
  'cap-ng',
  'seccomp',
  'ffi',
  'yaml-cpp',
  'event',
  'uv',
  'ev',
  'curl-devel',
  'ssh',
  'pcap',
  'nfnetlink',
  'mnl',
  'nftnl',
  'netfilter',
];
const SUFFIXES = ['', '-devel', '-libs', '-tools', '-doc', '-utils', '-common', '-static'];

/** About 2,000 distinct, plausible package names; popular ones first. */
export function packageNames(target = 2000) {
  const names = new Set(CORE_PACKAGES);
  for (const suffix of SUFFIXES) {
    for (const stem of STEMS) {
      for (const prefix of PREFIXES) {
        if (names.size >= target) return [...names];
        names.add(`${prefix}${stem}${suffix}`);
      }
    }
  }
  return [...names];
}

/** English words of bug reports: glue words and symptoms first, then components and jargon. */
export const ENGLISH = `
fails on after with when the to in error boot crash not is a of and fix update cannot install
upgrade panic kernel network hang timeout missing wrong broken memory leak disk failed service start
segfault driver package dependency performance regression slow high cpu usage warning message log
oops null pointer dereference lockup soft hard rcu stall watchdog bug BUG unable handle page fault
nvme sata scsi raid lvm xfs ext4 btrfs mount umount fstab filesystem corruption journal quota inode
network interface link down up packet loss drop tcp udp ipv6 ipv4 dns dhcp route bond bridge vlan
mtu offload checksum rx tx queue ring buffer irq affinity numa hugepage swap oom killer cgroup
container image pull push registry rootless overlay storage volume pod namespace seccomp capability
selinux denial avc context label policy permission denied sudo pam login ssh key certificate expired
tls handshake cipher fips openssl ssl x509 signature gpg repo metadata mirror repomd checksum mismatch
installer anaconda kickstart iso uefi bios secure grub bootloader initramfs dracut firmware microcode
virtual machine kvm qemu libvirt guest host migration snapshot vcpu passthrough sriov vfio iommu
build compile link linker gcc clang cmake make rpmbuild spec patch source tarball upstream rebase
python java golang rust nodejs perl ruby php module import version incompatible deprecated removed
systemd unit restart reload timer socket journald coredump core dump backtrace stack trace gdb
desktop gnome wayland xorg display resolution monitor hidpi scaling font rendering input method chinese
audio sound bluetooth wifi wireless usb keyboard mouse touchpad suspend resume hibernate battery power
time chrony ntp timezone clock drift leap locale language translation typo documentation manpage
cve vulnerability security advisory embargo exploit overflow injection escalation privilege bypass
aarch64 x86_64 loongarch64 arm64 amd intel hygon phytium kunpeng zhaoxin server laptop cloud instance
regression since between works fine expected actual steps reproduce always sometimes intermittent random
please attach logs output dmesg journalctl sosreport rpm verify confirmed duplicate fixed upstream
backport release candidate testing stable branch nightly compose mirror sync delayed outdated stale
`
  .trim()
  .split(/\s+/);

/** Chinese phrases of bug reports (no spaces inside: they form CJK runs), common ones first. */
export const CHINESE = `
问题 无法 失败 内核崩溃 安装程序 网络丢包 磁盘识别 性能下降 升级失败 启动失败 报错 异常 超时 重启后
系统卡死 内存泄漏 服务无法启动 驱动加载失败 文件系统损坏 权限不足 依赖冲突 软件包缺失 编译错误 段错误
死锁 配置文件 日志报错 虚拟机 容器 镜像 网卡 显卡 固件 引导 分区 挂载 防火墙 证书过期 时间同步
中文输入法 字体显示 桌面环境 登录失败 密码策略 安全漏洞 补丁 回归 高负载下 偶现 必现 复现步骤 期望结果
实际结果 环境信息 请提供日志 已确认 已修复 上游已修复 建议 需求 请求 支持 兼容性 新版本 旧版本 降级
软件源 镜像站 元数据 校验失败 签名错误 仓库 下载缓慢 连接被拒绝 域名解析 路由 网桥 绑定 虚拟网卡
存储 阵列 逻辑卷 快照 备份 恢复 数据丢失 只读 空间不足 索引节点 磁盘满 读写错误 坏块 固态硬盘
处理器 多核 调度 中断 负载均衡 大页内存 交换分区 内存不足 进程被杀 资源限制 控制组 命名空间
图形界面 分辨率 多显示器 缩放 黑屏 闪屏 花屏 声音 蓝牙 无线网络 休眠 唤醒 电源管理 风扇
时区 语言包 翻译 文档错误 手册页 拼写错误 帮助信息 命令行 参数 选项 默认值 配置项 环境变量
安全更新 权限提升 缓冲区溢出 拒绝服务 远程代码执行 信息泄露 加密 解密 密钥 公钥 私钥 国密算法
国产芯片 海光 飞腾 鲲鹏 兆芯 龙芯 申威 服务器 笔记本 云主机 裸金属 物理机 容器镜像 基础镜像
`
  .trim()
  .split(/\s+/);

/** Sample assignee-ish usernames: pinyin names, then handles. */
const SURNAMES = [
  'zhang',
  'wang',
  'li',
  'zhao',
  'liu',
  'chen',
  'yang',
  'huang',
  'zhou',
  'wu',
  'xu',
  'sun',
  'ma',
  'zhu',
  'hu',
  'guo',
  'he',
  'lin',
  'luo',
  'gao',
];
const GIVEN = [
  'wei',
  'fang',
  'na',
  'min',
  'jing',
  'lei',
  'jun',
  'yang',
  'yong',
  'yan',
  'jie',
  'tao',
  'ming',
  'chao',
  'xiuying',
  'hua',
  'ping',
  'gang',
  'hui',
  'bo',
];
const HANDLES = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'oscar',
  'peggy',
  'trent',
  'victor',
  'walter',
];

/** `n` distinct usernames, the most active (by Zipf rank) first. */
export function userNames(n = 10000) {
  const base = [...SURNAMES.flatMap((s) => GIVEN.map((g) => `${s}${g}`)), ...HANDLES];
  const out = [...base];
  for (let i = 1; out.length < n; i++) for (const b of base) if (out.length < n) out.push(`${b}${i}`);
  return out.slice(0, n);
}
