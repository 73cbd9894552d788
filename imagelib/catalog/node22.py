"""Data of the Node.js 22 images (``node:22``, ``node:22-slim``, ``node:22-alpine``, distroless
``nodejs22-debian12``) and of their bases, with where each fact comes from.

Every entry is pinned to Node.js 22.13.0 (January 2025), the release for which both the official
Dockerfiles (github.com/nodejs/docker-node, commit 056ab875: ``22/bookworm``, ``22/bookworm-slim``,
``22/alpine3.21``; ``alpine3.21`` was the default Alpine then) and distroless
(github.com/GoogleContainerTools/distroless, commit c7a34a42: ``nodejs/BUILD``, ``base/base.bzl``,
``cc/BUILD``, ``private/repos/deb/bookworm.lock.json``) can be read. Package lists:

- ``DEBIAN_12_9``: the Debian packages of ``node:22-bookworm-slim`` 22.13.0 as recorded by the
  Docker official images' repo-info (``repos/node/local/22-bookworm-slim.md``); node adds none of
  its own (its Dockerfile purges what it installed), so this is the Debian 12.9 base.
- ``BUILDPACK_CURL`` / ``_SCM`` / ``_FULL``: what the three ``RUN apt-get install`` lines of
  buildpack-deps:bookworm (github.com/docker-library/buildpack-deps, ``debian/bookworm``) add on
  top of that base, resolved by ``apt-get --simulate --no-install-recommends`` against the Debian
  12 archive index. The names follow that resolution; the versions are the archive's at the time
  the data was made (newer than the image of January 2025 carried).
- ``ALPINE_3_21``: the apk packages of ``node:22-alpine3.21`` as recorded by repo-info
  (``repos/node/local/22-alpine3.21.md``, Alpine 3.21.3; ``libgcc`` and ``libstdc++`` are the
  ones node's layer adds). That record is of a later 22.x rebuild; the set of packages is the
  same, a few revisions may be newer than the January image had.
- ``DISTROLESS``: the ``deb.package`` lines of ``base/base.bzl`` and ``cc/BUILD`` with the
  versions of ``bookworm.lock.json``. The Node.js binary itself has no record in the image
  (distroless writes its control file only into the SBOM it publishes, not into the image).

Layers: one per ``RUN``/``COPY`` of the Dockerfiles (history lines as BuildKit writes them); for
distroless one per tar that ``base.bzl``, ``cc/BUILD`` and ``nodejs/BUILD`` list (rules_oci), with
history lines written by imagelib ("bazel: …") because those describe no command.

Sizes (``docker images``, uncompressed): node:22-slim 222.73 MB and node:22-alpine 159.18 MB from
repo-info; node:22 1.12 GB and gcr.io/distroless/nodejs22-debian12 141 MB from the listing in
"A Deeper Look into Node.js Docker Images" (labs.iximiuz.com, Node 22, late 2024). No published
compressed sizes were found: the download sizes are **estimates**, the uncompressed size times the
compression ratio of the most similar catalog image (node:14, node:14-alpine, python:3.12-slim).
"""

from __future__ import annotations

from . import data

NODE_VERSION = "22.13.0"
YARN_VERSION = "1.22.22"
# The npm bundled with 22.13.0: nodejs/node doc/changelogs/CHANGELOG_V22.md, "deps: upgrade npm to 10.9.2".
NPM_VERSION = "10.9.2"

SOURCES_DOCKER_NODE = "github.com/nodejs/docker-node@056ab875 (Node.js 22.13.0)"
SOURCES_REPO_INFO = "github.com/docker-library/repo-info repos/node/local/"
SOURCES_BUILDPACK = "github.com/docker-library/buildpack-deps debian/bookworm (curl, scm, full)"
SOURCES_DISTROLESS = "github.com/GoogleContainerTools/distroless@c7a34a42 (nodejs22, debian12)"
SOURCES_IXIMIUZ = "labs.iximiuz.com/tutorials/how-to-choose-nodejs-container-image (docker images)"


def rows(text: str) -> "list[tuple[str, str, str, str]]":
    """``name version arch [source]`` lines → (name, version, arch, source)."""
    out = []
    for line in text.strip().splitlines():
        words = line.split()
        out.append((words[0], words[1], words[2], words[3] if len(words) > 3 else words[0]))
    return out


def dpkg_stanza(name: str, version: str, arch: str, source: str, *, installed: bool = True) -> str:
    """One package's control fields as dpkg writes them (``status``) or distroless (``status.d/``)."""
    lines = [f"Package: {name}"]
    if installed:
        lines.append("Status: install ok installed")
    lines.append(f"Architecture: {arch}")
    if source != name:
        lines.append(f"Source: {source}")
    lines.append(f"Version: {version}")
    return "\n".join(lines) + "\n\n"


def dpkg_status(*lists: "list[tuple[str, str, str, str]]") -> str:
    return "".join(dpkg_stanza(*row) for packages in lists for row in packages)


def apk_installed(packages: "list[tuple[str, str, str, str]]") -> str:
    """``lib/apk/db/installed``: P (name), V (version), A (arch), L (license), o (origin)."""
    return "".join(
        f"P:{name}\nV:{version}\nA:x86_64\nL:{license}\no:{origin}\n\n" for name, version, license, origin in packages
    )


# Debian 12.9: node:22-bookworm-slim 22.13.0 per repo-info (name version arch [source])
DEBIAN_12_9 = rows(
    """
libacl1 2.3.1-3 amd64 acl
adduser 3.134 all
apt 2.6.1 amd64
libapt-pkg6.0 2.6.1 amd64 apt
libattr1 1:2.5.1-4 amd64 attr
libaudit-common 1:3.0.9-1 all audit
libaudit1 1:3.0.9-1 amd64 audit
base-files 12.4+deb12u9 amd64
base-passwd 3.6.1 amd64
bash 5.2.15-2+b7 amd64
libbz2-1.0 1.0.8-5+b1 amd64 bzip2
libdebconfclient0 0.270 amd64 cdebconf
coreutils 9.1-1 amd64
dash 0.5.12-2 amd64
libdb5.3 5.3.28+dfsg2-1 amd64 db5.3
debconf 1.5.82 all
debian-archive-keyring 2023.3+deb12u1 all
debianutils 5.7-0.5~deb12u1 amd64
diffutils 1:3.8-4 amd64
dpkg 1.21.22 amd64
e2fsprogs 1.47.0-2 amd64
libcom-err2 1.47.0-2 amd64 e2fsprogs
libext2fs2 1.47.0-2 amd64 e2fsprogs
libss2 1.47.0-2 amd64 e2fsprogs
logsave 1.47.0-2 amd64 e2fsprogs
findutils 4.9.0-4 amd64
gcc-12-base 12.2.0-14 amd64 gcc-12
libgcc-s1 12.2.0-14 amd64 gcc-12
libstdc++6 12.2.0-14 amd64 gcc-12
libc-bin 2.36-9+deb12u9 amd64 glibc
libc6 2.36-9+deb12u9 amd64 glibc
libgmp10 2:6.2.1+dfsg1-1.1 amd64 gmp
gpgv 2.2.40-1.1 amd64 gnupg2
libgnutls30 3.7.9-2+deb12u3 amd64 gnutls28
grep 3.8-5 amd64
gzip 1.12-1 amd64
hostname 3.23+nmu1 amd64
init-system-helpers 1.65.2 all
libcap-ng0 0.8.3-1+b3 amd64 libcap-ng
libcap2 1:2.66-4 amd64
libffi8 3.4.4-1 amd64 libffi
libgcrypt20 1.10.1-3 amd64
libgpg-error0 1.46-1 amd64 libgpg-error
libidn2-0 2.3.3-1+b1 amd64 libidn2
libmd0 1.0.4-2 amd64 libmd
libseccomp2 2.5.4-1+deb12u1 amd64 libseccomp
libselinux1 3.4-1+b6 amd64 libselinux
libsemanage-common 3.4-1 all libsemanage
libsemanage2 3.4-1+b5 amd64 libsemanage
libsepol2 3.4-2.1 amd64 libsepol
libtasn1-6 4.19.0-2 amd64
libunistring2 1.0-2 amd64 libunistring
libcrypt1 1:4.4.33-2 amd64 libxcrypt
libzstd1 1.5.4+dfsg2-5 amd64 libzstd
liblz4-1 1.9.4-1 amd64 lz4
mawk 1.3.4.20200120-3.1 amd64
libtinfo6 6.4-4 amd64 ncurses
ncurses-base 6.4-4 all ncurses
ncurses-bin 6.4-4 amd64 ncurses
libhogweed6 3.8.1-2 amd64 nettle
libnettle8 3.8.1-2 amd64 nettle
libp11-kit0 0.24.1-2 amd64 p11-kit
libpam-modules 1.5.2-6+deb12u1 amd64 pam
libpam-modules-bin 1.5.2-6+deb12u1 amd64 pam
libpam-runtime 1.5.2-6+deb12u1 all pam
libpam0g 1.5.2-6+deb12u1 amd64 pam
libpcre2-8-0 10.42-1 amd64 pcre2
perl-base 5.36.0-7+deb12u1 amd64 perl
sed 4.9-1 amd64
login 1:4.13+dfsg1-1+b1 amd64 shadow
passwd 1:4.13+dfsg1-1+b1 amd64 shadow
libsystemd0 252.33-1~deb12u1 amd64 systemd
libudev1 252.33-1~deb12u1 amd64 systemd
sysvinit-utils 3.06-4 amd64 sysvinit
tar 1.34+dfsg-1.2+deb12u1 amd64
tzdata 2024b-0+deb12u1 all
usr-is-merged 37~deb12u1 all usrmerge
bsdutils 1:2.38.1-5+deb12u3 amd64 util-linux
libblkid1 2.38.1-5+deb12u3 amd64 util-linux
libmount1 2.38.1-5+deb12u3 amd64 util-linux
libsmartcols1 2.38.1-5+deb12u3 amd64 util-linux
libuuid1 2.38.1-5+deb12u3 amd64 util-linux
mount 2.38.1-5+deb12u3 amd64 util-linux
util-linux 2.38.1-5+deb12u3 amd64
util-linux-extra 2.38.1-5+deb12u3 amd64 util-linux
libxxhash0 0.8.1-1 amd64 xxhash
liblzma5 5.4.1-0.2 amd64 xz-utils
zlib1g 1:1.2.13.dfsg-1 amd64 zlib
"""
)

# buildpack-deps:bookworm's layers: apt's resolution of each RUN line's packages over the layers below
BUILDPACK_CURL = rows(
    """
ca-certificates 20250419~deb12u2 all
curl 7.88.1-10+deb12u15 amd64
dirmngr 2.2.40-1.1+deb12u2 amd64 gnupg2
gnupg 2.2.40-1.1+deb12u2 all gnupg2
gnupg-l10n 2.2.40-1.1+deb12u2 all gnupg2
gnupg-utils 2.2.40-1.1+deb12u2 amd64 gnupg2
gpg 2.2.40-1.1+deb12u2 amd64 gnupg2
gpg-agent 2.2.40-1.1+deb12u2 amd64 gnupg2
gpg-wks-client 2.2.40-1.1+deb12u2 amd64 gnupg2
gpg-wks-server 2.2.40-1.1+deb12u2 amd64 gnupg2
gpgconf 2.2.40-1.1+deb12u2 amd64 gnupg2
gpgsm 2.2.40-1.1+deb12u2 amd64 gnupg2
libassuan0 2.5.5-5 amd64 libassuan
libbrotli1 1.0.9-2+deb12u1 amd64 brotli
libcurl4 7.88.1-10+deb12u15 amd64 curl
libgssapi-krb5-2 1.20.1-2+deb12u5 amd64 krb5
libk5crypto3 1.20.1-2+deb12u5 amd64 krb5
libkeyutils1 1.6.3-2 amd64 keyutils
libkrb5-3 1.20.1-2+deb12u5 amd64 krb5
libkrb5support0 1.20.1-2+deb12u5 amd64 krb5
libksba8 1.6.3-2 amd64 libksba
libldap-2.5-0 2.5.13+dfsg-5 amd64 openldap
libncursesw6 6.4-4 amd64 ncurses
libnghttp2-14 1.52.0-1+deb12u3 amd64 nghttp2
libnpth0 1.6-3 amd64 npth
libpsl5 0.21.2-1 amd64 libpsl
libreadline8 8.2-1.3 amd64 readline
librtmp1 2.4+20151223.gitfa8646d.1-2+b2 amd64 rtmpdump
libsasl2-2 2.1.28+dfsg-10+deb12u1 amd64 cyrus-sasl2
libsasl2-modules-db 2.1.28+dfsg-10+deb12u1 amd64 cyrus-sasl2
libsqlite3-0 3.40.1-2+deb12u2 amd64 sqlite3
libssh2-1 1.10.0-3+deb12u1 amd64 libssh2
libssl3 3.0.22-1~deb12u2 amd64 openssl
netbase 6.4 all
openssl 3.0.22-1~deb12u2 amd64
pinentry-curses 1.2.1-1 amd64 pinentry
readline-common 8.2-1.3 all readline
sq 0.27.0-2+b1 amd64 rust-sequoia-sq
wget 1.21.3-1+deb12u1 amd64
"""
)
BUILDPACK_SCM = rows(
    """
git 1:2.39.5-0+deb12u3 amd64
git-man 1:2.39.5-0+deb12u3 all git
libapr1 1.7.2-3+deb12u1 amd64 apr
libaprutil1 1.6.3-1+deb12u1 amd64 apr-util
libbsd0 0.11.7-2 amd64 libbsd
libcbor0.8 0.8.0-2+b1 amd64 libcbor
libcurl3-gnutls 7.88.1-10+deb12u15 amd64 curl
libedit2 3.1-20221030-2 amd64 libedit
liberror-perl 0.17029-2 all
libexpat1 2.5.0-1+deb12u5 amd64 expat
libfido2-1 1.12.0-2+b1 amd64 libfido2
libgdbm-compat4 1.23-3 amd64 gdbm
libgdbm6 1.23-3 amd64 gdbm
libnsl2 1.3.0-2 amd64 libnsl
libperl5.36 5.36.0-7+deb12u4 amd64 perl
libproc2-0 2:4.0.2-3 amd64 procps
libpython3-stdlib 3.11.2-1+b1 amd64 python3-defaults
libpython3.11-minimal 3.11.2-6+deb12u9 amd64 python3.11
libpython3.11-stdlib 3.11.2-6+deb12u9 amd64 python3.11
libserf-1-1 1.3.9-11 amd64 serf
libsvn1 1.14.2-4+deb12u1 amd64 subversion
libtirpc-common 1.3.3+ds-1 all libtirpc
libtirpc3 1.3.3+ds-1 amd64 libtirpc
libutf8proc2 2.8.0-1 amd64 utf8proc
media-types 10.0.0 all
mercurial 6.3.2-1+deb12u1 amd64
mercurial-common 6.3.2-1+deb12u1 all mercurial
openssh-client 1:9.2p1-2+deb12u10 amd64 openssh
perl 5.36.0-7+deb12u4 amd64
perl-modules-5.36 5.36.0-7+deb12u4 all perl
procps 2:4.0.2-3 amd64
python3 3.11.2-1+b1 amd64 python3-defaults
python3-minimal 3.11.2-1+b1 amd64 python3-defaults
python3.11 3.11.2-6+deb12u9 amd64
python3.11-minimal 3.11.2-6+deb12u9 amd64 python3.11
sensible-utils 0.0.17+nmu1 all
subversion 1.14.2-4+deb12u1 amd64
ucf 3.0043+nmu1+deb12u1 all
"""
)
BUILDPACK_FULL = rows(
    """
autoconf 2.71-3 all
automake 1:1.16.5-1.3 all automake-1.16
autotools-dev 20220109.1 all
binutils 2.40-2 amd64
binutils-common 2.40-2 amd64 binutils
binutils-x86-64-linux-gnu 2.40-2 amd64 binutils
bzip2 1.0.8-5+b1 amd64
comerr-dev 2.1-1.47.0-2+b2 amd64 e2fsprogs
cpp 4:12.2.0-3 amd64 gcc-defaults
cpp-12 12.2.0-14+deb12u1 amd64 gcc-12
default-libmysqlclient-dev 1.1.0 amd64 mysql-defaults
dpkg-dev 1.21.23 all dpkg
file 1:5.44-3 amd64
fontconfig 2.14.1-4 amd64
fontconfig-config 2.14.1-4 amd64 fontconfig
fonts-dejavu-core 2.37-6 all fonts-dejavu
g++ 4:12.2.0-3 amd64 gcc-defaults
g++-12 12.2.0-14+deb12u1 amd64 gcc-12
gcc 4:12.2.0-3 amd64 gcc-defaults
gcc-12 12.2.0-14+deb12u1 amd64
gir1.2-freedesktop 1.74.0-3 amd64 gobject-introspection
gir1.2-gdkpixbuf-2.0 2.42.10+dfsg-1+deb12u4 amd64 gdk-pixbuf
gir1.2-glib-2.0 1.74.0-3 amd64 gobject-introspection
gir1.2-rsvg-2.0 2.54.7+dfsg-1~deb12u2 amd64 librsvg
hicolor-icon-theme 0.17-2 all
icu-devtools 72.1-3+deb12u1 amd64 icu
imagemagick 8:6.9.11.60+dfsg-1.6+deb12u16 amd64
imagemagick-6-common 8:6.9.11.60+dfsg-1.6+deb12u16 all imagemagick
imagemagick-6.q16 8:6.9.11.60+dfsg-1.6+deb12u16 amd64 imagemagick
krb5-multidev 1.20.1-2+deb12u5 amd64 krb5
libaom3 3.6.0-1+deb12u3 amd64 aom
libasan8 12.2.0-14+deb12u1 amd64 gcc-12
libatomic1 12.2.0-14+deb12u1 amd64 gcc-12
libbinutils 2.40-2 amd64 binutils
libblkid-dev 2.38.1-5+deb12u3 amd64 util-linux
libbrotli-dev 1.0.9-2+deb12u1 amd64 brotli
libbz2-dev 1.0.8-5+b1 amd64 bzip2
libc-dev-bin 2.36-9+deb12u14 amd64 glibc
libc6-dev 2.36-9+deb12u14 amd64 glibc
libcairo-gobject2 1.16.0-7 amd64 cairo
libcairo-script-interpreter2 1.16.0-7 amd64 cairo
libcairo2 1.16.0-7 amd64 cairo
libcairo2-dev 1.16.0-7 amd64 cairo
libcc1-0 12.2.0-14+deb12u1 amd64 gcc-12
libcrypt-dev 1:4.4.33-2 amd64 libxcrypt
libctf-nobfd0 2.40-2 amd64 binutils
libctf0 2.40-2 amd64 binutils
libcurl4-openssl-dev 7.88.1-10+deb12u15 amd64 curl
libdatrie1 0.2.13-2+b1 amd64 libdatrie
libdav1d6 1.0.0-2+deb12u1 amd64 dav1d
libdb-dev 5.3.2 amd64 db-defaults
libdb5.3-dev 5.3.28+dfsg2-1 amd64 db5.3
libde265-0 1.0.11-1+deb12u4 amd64 libde265
libdeflate-dev 1.14-1 amd64 libdeflate
libdeflate0 1.14-1 amd64 libdeflate
libdjvulibre-dev 3.5.28-2.2~deb12u1 amd64 djvulibre
libdjvulibre-text 3.5.28-2.2~deb12u1 all djvulibre
libdjvulibre21 3.5.28-2.2~deb12u1 amd64 djvulibre
libdpkg-perl 1.21.23 all dpkg
libelf1 0.188-2.1 amd64 elfutils
libevent-2.1-7 2.1.12-stable-8+deb12u1 amd64 libevent
libevent-core-2.1-7 2.1.12-stable-8+deb12u1 amd64 libevent
libevent-dev 2.1.12-stable-8+deb12u1 amd64 libevent
libevent-extra-2.1-7 2.1.12-stable-8+deb12u1 amd64 libevent
libevent-openssl-2.1-7 2.1.12-stable-8+deb12u1 amd64 libevent
libevent-pthreads-2.1-7 2.1.12-stable-8+deb12u1 amd64 libevent
libexif-dev 0.6.24-1+deb12u1 amd64 libexif
libexif12 0.6.24-1+deb12u1 amd64 libexif
libexpat1-dev 2.5.0-1+deb12u5 amd64 expat
libffi-dev 3.4.4-1 amd64 libffi
libfftw3-double3 3.3.10-1 amd64 fftw3
libfontconfig-dev 2.14.1-4 amd64 fontconfig
libfontconfig1 2.14.1-4 amd64 fontconfig
libfreetype-dev 2.12.1+dfsg-5+deb12u4 amd64 freetype
libfreetype6 2.12.1+dfsg-5+deb12u4 amd64 freetype
libfreetype6-dev 2.12.1+dfsg-5+deb12u4 amd64 freetype
libfribidi0 1.0.8-2.1 amd64 fribidi
libgcc-12-dev 12.2.0-14+deb12u1 amd64 gcc-12
libgdbm-dev 1.23-3 amd64 gdbm
libgdk-pixbuf-2.0-0 2.42.10+dfsg-1+deb12u4 amd64 gdk-pixbuf
libgdk-pixbuf-2.0-dev 2.42.10+dfsg-1+deb12u4 amd64 gdk-pixbuf
libgdk-pixbuf2.0-bin 2.42.10+dfsg-1+deb12u4 amd64 gdk-pixbuf
libgdk-pixbuf2.0-common 2.42.10+dfsg-1+deb12u4 all gdk-pixbuf
libgirepository-1.0-1 1.74.0-3 amd64 gobject-introspection
libglib2.0-0 2.74.6-2+deb12u9 amd64 glib2.0
libglib2.0-bin 2.74.6-2+deb12u9 amd64 glib2.0
libglib2.0-data 2.74.6-2+deb12u9 all glib2.0
libglib2.0-dev 2.74.6-2+deb12u9 amd64 glib2.0
libglib2.0-dev-bin 2.74.6-2+deb12u9 amd64 glib2.0
libgmp-dev 2:6.2.1+dfsg1-1.1 amd64 gmp
libgmpxx4ldbl 2:6.2.1+dfsg1-1.1 amd64 gmp
libgomp1 12.2.0-14+deb12u1 amd64 gcc-12
libgprofng0 2.40-2 amd64 binutils
libgraphite2-3 1.3.14-1+deb12u1 amd64 graphite2
libgssrpc4 1.20.1-2+deb12u5 amd64 krb5
libharfbuzz0b 6.0.0+dfsg-3 amd64 harfbuzz
libheif1 1.15.1-1+deb12u2 amd64 libheif
libice-dev 2:1.0.10-1 amd64 libice
libice6 2:1.0.10-1 amd64 libice
libicu-dev 72.1-3+deb12u1 amd64 icu
libicu72 72.1-3+deb12u1 amd64 icu
libimath-3-1-29 3.1.6-1 amd64 imath
libimath-dev 3.1.6-1 amd64 imath
libisl23 0.25-1.1 amd64 isl
libitm1 12.2.0-14+deb12u1 amd64 gcc-12
libjansson4 2.14-2 amd64 jansson
libjbig-dev 2.1-6.1 amd64 jbigkit
libjbig0 2.1-6.1 amd64 jbigkit
libjpeg-dev 1:2.1.5-2 amd64 libjpeg-turbo
libjpeg62-turbo 1:2.1.5-2 amd64 libjpeg-turbo
libjpeg62-turbo-dev 1:2.1.5-2 amd64 libjpeg-turbo
libkadm5clnt-mit12 1.20.1-2+deb12u5 amd64 krb5
libkadm5srv-mit12 1.20.1-2+deb12u5 amd64 krb5
libkdb5-10 1.20.1-2+deb12u5 amd64 krb5
libkrb5-dev 1.20.1-2+deb12u5 amd64 krb5
liblcms2-2 2.14-2+deb12u1 amd64 lcms2
liblcms2-dev 2.14-2+deb12u1 amd64 lcms2
liblerc-dev 4.0.0+ds-2 amd64 lerc
liblerc4 4.0.0+ds-2 amd64 lerc
liblqr-1-0 0.4.2-2.1 amd64 liblqr
liblqr-1-0-dev 0.4.2-2.1 amd64 liblqr
liblsan0 12.2.0-14+deb12u1 amd64 gcc-12
libltdl-dev 2.4.7-7~deb12u1 amd64 libtool
libltdl7 2.4.7-7~deb12u1 amd64 libtool
liblzma-dev 5.4.1-1+deb12u2 amd64 xz-utils
liblzo2-2 2.10-2 amd64 lzo2
libmagic-mgc 1:5.44-3 amd64 file
libmagic1 1:5.44-3 amd64 file
libmagickcore-6-arch-config 8:6.9.11.60+dfsg-1.6+deb12u16 amd64 imagemagick
libmagickcore-6-headers 8:6.9.11.60+dfsg-1.6+deb12u16 all imagemagick
libmagickcore-6.q16-6 8:6.9.11.60+dfsg-1.6+deb12u16 amd64 imagemagick
libmagickcore-6.q16-6-extra 8:6.9.11.60+dfsg-1.6+deb12u16 amd64 imagemagick
libmagickcore-6.q16-dev 8:6.9.11.60+dfsg-1.6+deb12u16 amd64 imagemagick
libmagickcore-dev 8:6.9.11.60+dfsg-1.6+deb12u16 all imagemagick
libmagickwand-6-headers 8:6.9.11.60+dfsg-1.6+deb12u16 all imagemagick
libmagickwand-6.q16-6 8:6.9.11.60+dfsg-1.6+deb12u16 amd64 imagemagick
libmagickwand-6.q16-dev 8:6.9.11.60+dfsg-1.6+deb12u16 amd64 imagemagick
libmagickwand-dev 8:6.9.11.60+dfsg-1.6+deb12u16 all imagemagick
libmariadb-dev 1:10.11.19-0+deb12u1 amd64 mariadb
libmariadb-dev-compat 1:10.11.19-0+deb12u1 amd64 mariadb
libmariadb3 1:10.11.19-0+deb12u1 amd64 mariadb
libmaxminddb-dev 1.7.1-1 amd64 libmaxminddb
libmaxminddb0 1.7.1-1 amd64 libmaxminddb
libmount-dev 2.38.1-5+deb12u3 amd64 util-linux
libmpc3 1.3.1-1 amd64 mpclib3
libmpfr6 4.2.0-1 amd64 mpfr4
libncurses-dev 6.4-4 amd64 ncurses
libncurses5-dev 6.4-4 amd64 ncurses
libncurses6 6.4-4 amd64 ncurses
libncursesw5-dev 6.4-4 amd64 ncurses
libnsl-dev 1.3.0-2 amd64 libnsl
libnuma1 2.0.16-1 amd64 numactl
libopenexr-3-1-30 3.1.5-5 amd64 openexr
libopenexr-dev 3.1.5-5 amd64 openexr
libopenjp2-7 2.5.0-2+deb12u3 amd64 openjpeg2
libopenjp2-7-dev 2.5.0-2+deb12u3 amd64 openjpeg2
libpango-1.0-0 1.50.12+ds-1 amd64 pango1.0
libpangocairo-1.0-0 1.50.12+ds-1 amd64 pango1.0
libpangoft2-1.0-0 1.50.12+ds-1 amd64 pango1.0
libpcre2-16-0 10.42-1+deb12u2 amd64 pcre2
libpcre2-32-0 10.42-1+deb12u2 amd64 pcre2
libpcre2-dev 10.42-1+deb12u2 amd64 pcre2
libpcre2-posix3 10.42-1+deb12u2 amd64 pcre2
libpixman-1-0 0.42.2-1 amd64 pixman
libpixman-1-dev 0.42.2-1 amd64 pixman
libpkgconf3 1.8.1-1 amd64 pkgconf
libpng-dev 1.6.39-2+deb12u6 amd64 libpng1.6
libpng16-16 1.6.39-2+deb12u6 amd64 libpng1.6
libpq-dev 15.20-0+deb12u1 amd64 postgresql-15
libpq5 15.20-0+deb12u1 amd64 postgresql-15
libpthread-stubs0-dev 0.4-1 amd64 libpthread-stubs
libquadmath0 12.2.0-14+deb12u1 amd64 gcc-12
libreadline-dev 8.2-1.3 amd64 readline
librsvg2-2 2.54.7+dfsg-1~deb12u2 amd64 librsvg
librsvg2-common 2.54.7+dfsg-1~deb12u2 amd64 librsvg
librsvg2-dev 2.54.7+dfsg-1~deb12u2 amd64 librsvg
libselinux1-dev 3.4-1+b6 amd64 libselinux
libsepol-dev 3.4-2.1 amd64 libsepol
libsm-dev 2:1.2.3-1 amd64 libsm
libsm6 2:1.2.3-1 amd64 libsm
libsqlite3-dev 3.40.1-2+deb12u2 amd64 sqlite3
libssl-dev 3.0.22-1~deb12u2 amd64 openssl
libstdc++-12-dev 12.2.0-14+deb12u1 amd64 gcc-12
libthai-data 0.1.29-1 all libthai
libthai0 0.1.29-1 amd64 libthai
libtiff-dev 4.5.0-6+deb12u4 amd64 tiff
libtiff6 4.5.0-6+deb12u4 amd64 tiff
libtiffxx6 4.5.0-6+deb12u4 amd64 tiff
libtirpc-dev 1.3.3+ds-1 amd64 libtirpc
libtool 2.4.7-7~deb12u1 all
libtsan2 12.2.0-14+deb12u1 amd64 gcc-12
libubsan1 12.2.0-14+deb12u1 amd64 gcc-12
libwebp-dev 1.2.4-0.2+deb12u1 amd64 libwebp
libwebp7 1.2.4-0.2+deb12u1 amd64 libwebp
libwebpdemux2 1.2.4-0.2+deb12u1 amd64 libwebp
libwebpmux3 1.2.4-0.2+deb12u1 amd64 libwebp
libwmf-0.2-7 0.2.12-5.1 amd64 libwmf
libwmf-dev 0.2.12-5.1 amd64 libwmf
libwmflite-0.2-7 0.2.12-5.1 amd64 libwmf
libx11-6 2:1.8.4-2+deb12u2 amd64 libx11
libx11-data 2:1.8.4-2+deb12u2 all libx11
libx11-dev 2:1.8.4-2+deb12u2 amd64 libx11
libx265-199 3.5-2+b1 amd64 x265
libxau-dev 1:1.0.9-1 amd64 libxau
libxau6 1:1.0.9-1 amd64 libxau
libxcb-render0 1.15-1 amd64 libxcb
libxcb-render0-dev 1.15-1 amd64 libxcb
libxcb-shm0 1.15-1 amd64 libxcb
libxcb-shm0-dev 1.15-1 amd64 libxcb
libxcb1 1.15-1 amd64 libxcb
libxcb1-dev 1.15-1 amd64 libxcb
libxdmcp-dev 1:1.1.2-3 amd64 libxdmcp
libxdmcp6 1:1.1.2-3 amd64 libxdmcp
libxext-dev 2:1.3.4-1+b1 amd64 libxext
libxext6 2:1.3.4-1+b1 amd64 libxext
libxml2 2.9.14+dfsg-1.3~deb12u6 amd64
libxml2-dev 2.9.14+dfsg-1.3~deb12u6 amd64 libxml2
libxrender-dev 1:0.9.10-1.1 amd64 libxrender
libxrender1 1:0.9.10-1.1 amd64 libxrender
libxslt1-dev 1.1.35-1+deb12u4 amd64 libxslt
libxslt1.1 1.1.35-1+deb12u4 amd64 libxslt
libxt-dev 1:1.2.1-1.1 amd64 libxt
libxt6 1:1.2.1-1.1 amd64 libxt
libyaml-0-2 0.2.5-1 amd64 libyaml
libyaml-dev 0.2.5-1 amd64 libyaml
libzstd-dev 1.5.4+dfsg2-5+deb12u1 amd64 libzstd
linux-libc-dev 6.1.192-3 amd64 linux
m4 1.4.19-3 amd64
make 4.3-4.1 amd64 make-dfsg
mariadb-common 1:10.11.19-0+deb12u1 all mariadb
mysql-common 5.8+1.1.0 all mysql-defaults
patch 2.7.6-7+deb12u1 amd64
pkg-config 1.8.1-1 amd64 pkgconf
pkgconf 1.8.1-1 amd64
pkgconf-bin 1.8.1-1 amd64 pkgconf
python3-distutils 3.11.2-3 all python3-stdlib-extensions
python3-lib2to3 3.11.2-3 all python3-stdlib-extensions
rpcsvc-proto 1.4.3-1 amd64
shared-mime-info 2.2-1 amd64
unzip 6.0-28+deb12u1 amd64
uuid-dev 2.38.1-5+deb12u3 amd64 util-linux
x11-common 1:7.7+23 all xorg
x11proto-core-dev 2022.1-1 all xorgproto
x11proto-dev 2022.1-1 all xorgproto
xorg-sgml-doctools 1:1.11-1.1 all
xtrans-dev 1.4.0-1 all xtrans
xz-utils 5.4.1-1+deb12u2 amd64
zlib1g-dev 1:1.2.13.dfsg-1+deb12u1 amd64 zlib
"""
)

ALPINE_3_21 = [
    ("musl", "1.2.5-r9", "MIT", "musl"),
    ("busybox", "1.37.0-r12", "GPL-2.0-only", "busybox"),
    ("busybox-binsh", "1.37.0-r12", "GPL-2.0-only", "busybox"),
    ("alpine-baselayout-data", "3.6.8-r1", "GPL-2.0-only", "alpine-baselayout"),
    ("alpine-baselayout", "3.6.8-r1", "GPL-2.0-only", "alpine-baselayout"),
    ("alpine-keys", "2.5-r0", "MIT", "alpine-keys"),
    ("alpine-release", "3.21.3-r0", "MIT", "alpine-base"),
    ("ca-certificates-bundle", "20241121-r1", "MPL-2.0 AND MIT", "ca-certificates"),
    ("libcrypto3", "3.3.3-r0", "Apache-2.0", "openssl"),
    ("libssl3", "3.3.3-r0", "Apache-2.0", "openssl"),
    ("ssl_client", "1.37.0-r12", "GPL-2.0-only", "busybox"),
    ("zlib", "1.3.1-r2", "Zlib", "zlib"),
    ("apk-tools", "2.14.6-r3", "GPL-2.0-only", "apk-tools"),
    ("scanelf", "1.3.8-r1", "GPL-2.0-only", "pax-utils"),
    ("musl-utils", "1.2.5-r9", "MIT AND BSD-2-Clause AND GPL-2.0-or-later", "musl"),
]
ALPINE_NODE_RUNTIME = [
    ("libgcc", "14.2.0-r4", "GPL-2.0-or-later AND LGPL-2.1-or-later", "gcc"),
    ("libstdc++", "14.2.0-r4", "GPL-2.0-or-later AND LGPL-2.1-or-later", "gcc"),
]

# distroless: (name, version, arch, source) per layer, in the order of base.bzl and cc/BUILD
DISTROLESS_STATIC = rows(
    """
base-files 12.4+deb12u8 amd64
netbase 6.4 all
tzdata 2024b-0+deb12u1 all
"""
)
DISTROLESS_BASE = rows(
    """
libc6 2.36-9+deb12u9 amd64 glibc
libssl3 3.0.15-1~deb12u1 amd64 openssl
"""
)
DISTROLESS_CC = rows(
    """
libgomp1 12.2.0-14 amd64 gcc-12
libstdc++6 12.2.0-14 amd64 gcc-12
libgcc-s1 12.2.0-14 amd64 gcc-12
"""
)

DISTROLESS_PASSWD = (
    "root:x:0:0:root:/root:/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
    "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
)
DISTROLESS_GROUP = "root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n"
DISTROLESS_OS_RELEASE = (
    'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\nVERSION_ID="12"\n'
    'VERSION="Debian GNU/Linux 12 (bookworm)"\nHOME_URL="https://github.com/GoogleContainerTools/distroless"\n'
    'SUPPORT_URL="https://github.com/GoogleContainerTools/distroless/blob/master/README.md"\n'
    'BUG_REPORT_URL="https://github.com/GoogleContainerTools/distroless/issues/new"\n'
)
DISTROLESS_NSSWITCH = "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n"
SSL_CERT_FILE = "/etc/ssl/certs/ca-certificates.crt"


def node_files(libc: str) -> str:
    """The Node.js 22 release tarball unpacked into /usr/local (the official images)."""
    interp = data.MUSL if libc == "musl" else data.GLIBC
    lines = [
        f"usr/local/bin/node 117000K 755 {interp} version={NODE_VERSION} about=Node.js {NODE_VERSION} 실행 파일",
        "usr/local/bin/nodejs -> node",
        "usr/local/bin/npm -> ../lib/node_modules/npm/bin/npm-cli.js",
        "usr/local/bin/npx -> ../lib/node_modules/npm/bin/npx-cli.js",
        "usr/local/bin/corepack -> ../lib/node_modules/corepack/dist/corepack.js",
        "usr/local/include/node/node.h 60K",
        "usr/local/include/node/v8.h 5K",
        "usr/local/share/doc/node/gdbinit 12K",
        "usr/local/share/man/man1/node.1 30K",
        f"usr/local/lib/node_modules/npm/lib/npm.js 5000K about=npm {NPM_VERSION}의 lib 폴더",
        "usr/local/lib/node_modules/npm/node_modules/.bundled 9000K about=npm에 딸린 패키지들",
        "usr/local/lib/node_modules/corepack/dist/corepack.js 1500K 755",
        "@rest usr/local/lib/node_modules/npm/node_modules 70",
        "@rest usr/local/include/node 30",
    ]
    return "\n".join(lines)


NODE_TEXTS = {
    "usr/local/lib/node_modules/npm/package.json": f'{{"name": "npm", "version": "{NPM_VERSION}"}}\n',
    "usr/local/lib/node_modules/npm/bin/npm-cli.js": (
        f"#!/usr/bin/env node\n// npm {NPM_VERSION} (imagelib 모형: 내용은 생략)\n",
        0o755,
    ),
    "usr/local/lib/node_modules/npm/bin/npx-cli.js": ("#!/usr/bin/env node\n// npx (imagelib 모형)\n", 0o755),
}

YARN_FILES = f"""opt/yarn-v{YARN_VERSION}/bin/yarn.js 20K 755
opt/yarn-v{YARN_VERSION}/lib/cli.js 5300K
usr/local/bin/yarn -> /opt/yarn-v{YARN_VERSION}/bin/yarn
usr/local/bin/yarnpkg -> /opt/yarn-v{YARN_VERSION}/bin/yarnpkg
opt/yarn-v{YARN_VERSION}/bin/yarn 1K 755
opt/yarn-v{YARN_VERSION}/bin/yarnpkg 0.1K 755"""

NODE_ENTRYPOINT = """#!/bin/sh
set -e

# (imagelib 모형) 첫 인자가 '-'로 시작하거나 시스템 명령이 아니면 node로 실행합니다.
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
"""
