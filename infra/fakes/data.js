'use strict';
// Deterministic package names for the fakes: real OpenCloudOS/Fedora-style names first, then
// language families (python3-*, perl-*, golang-github-*, rubygem-*, nodejs-*, texlive-*) built
// from a fixed word list, so 2,500 names look like a distribution and are the same on every run.

const CORE = `acl attr audit authselect autoconf automake basesystem bash bc bind binutils bison bzip2
ca-certificates chrony cmake coreutils cpio cracklib createrepo_c cronie cryptsetup cups curl
cyrus-sasl dbus dhcp diffutils dnf dosfstools dracut e2fsprogs elfutils emacs ethtool expat file
findutils firewalld flex fontconfig freetype gawk gcc gdb gdbm gettext git glib2 glibc gmp gnupg2
gnutls gperf grep groff grub2 gzip harfbuzz hostname httpd hwdata iproute iptables iputils irqbalance
jansson jq json-c kbd kernel keyutils kmod krb5 less libarchive libcap libdnf libffi libgcrypt
libidn2 libmodulemd libnl3 libpng librepo libseccomp libselinux libsolv libssh libtool libuser
libxml2 libxslt libyaml llvm logrotate lsof lua lvm2 lz4 m4 make man-db mariadb mdadm memcached
meson mpfr ncurses net-tools nettle nfs-utils nginx ninja-build nodejs nspr nss numactl openldap
openssh openssl p11-kit pam pcre2 perl pkgconf policycoreutils polkit popt postfix postgresql
procps-ng psmisc python3 qemu readline redis rpm rsync rsyslog ruby rust samba sed selinux-policy
shadow-utils sqlite strace sudo systemd tar tcpdump tmux tuned tzdata unzip util-linux valgrind vim
wget which xfsprogs xz yum zlib zsh zstd`
  .split(/\s+/)
  .filter(Boolean);

const WORDS = `aiohttp alembic ansible arrow asn1 async attrs babel bcrypt beaker billiard blinker boto
cachetools certifi cffi chardet click colorama configobj cryptography cython dateutil decorator
distro django docutils dulwich flask future gevent greenlet gunicorn html5lib httplib2 idna
imagesize iniparse jinja2 jmespath jsonpatch jsonschema kazoo kombu lxml mako markdown markupsafe
mock netaddr netifaces numpy oauthlib packaging paramiko pbr pexpect pillow pluggy ply prettytable
psutil pyasn1 pycparser pygments pyparsing pyserial pysocks pytest pytz pyyaml requests rsa
setuptools simplejson six sqlalchemy tempita toml tornado urllib3 wcwidth webob werkzeug wheel
yaml zope`
  .split(/\s+/)
  .filter(Boolean);

const FAMILIES = [
  (w) => `python-${w}`,
  (w) => `perl-${w.charAt(0).toUpperCase()}${w.slice(1)}`,
  (w) => `golang-github-${w}`,
  (w) => `rubygem-${w}`,
  (w) => `nodejs-${w}`,
  (w) => `texlive-${w}`,
  (w) => `lib${w}`,
  (w) => `${w}-devel-tools`,
];

/** `count` distinct, valid package names; the same list every time. */
function packageNames(count) {
  const out = CORE.slice(0, count);
  const seen = new Set(out);
  for (let round = 0; out.length < count; round++) {
    for (const family of FAMILIES) {
      for (const [j, w] of WORDS.entries()) {
        if (out.length >= count) break;
        const name = round === 0 ? family(w) : family(`${w}-${WORDS[(j * 7 + round * 13) % WORDS.length]}`);
        if (!seen.has(name)) {
          seen.add(name);
          out.push(name);
        }
      }
    }
  }
  return out;
}

/** A small deterministic PRNG (mulberry32), so generated data is reproducible from a seed. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

module.exports = { packageNames, prng, CORE_PACKAGES: CORE };
