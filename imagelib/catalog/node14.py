"""Package records of ``debian:buster`` (10.13) and of the four ``buildpack-deps`` layers (curl, gnupg, scm, full) of
``node:14`` (node:14.21.3-buster), with where each list comes from.

Every list is read off the Docker official images' repo-info records (github.com/docker-library/
repo-info at commit 72e4be79b9c831d8da7d63a6ce871b20fc9e06c1: images built on 2023-01-11, about a
month before node:14.21.3 was built on buildpack-deps:buster, so a few point versions may differ
from that image's; the catalog's alias ``debian:buster-20231218`` names a later rebuild whose
security updates are not in these lists). Each record lists, under "Binary Packages:", what
``dpkg-query`` reports as ``name[:arch]=version`` per source package:

- ``DEBIAN_10_13``: ``repos/debian/local/10.13.md`` (``debian:buster``, 91 packages).
- ``BUILDPACK_CURL`` and ``BUILDPACK_GNUPG``: ``repos/buildpack-deps/local/oldstable-curl.md``
  (its title: ``buildpack-deps:buster-curl``; repo-info keeps no ``buster-curl.md``) minus
  ``debian:buster``: the 39 packages that the image's two ``RUN`` lines add. No record holds the
  image after the first line only, so this split is derived, not read: ``BUILDPACK_GNUPG`` is
  ``gnupg`` and ``dirmngr`` (the second line) with what they depend on in buster and the first
  line did not bring (``gnupg``'s binary packages, ``libassuan0``, ``libksba8``, ``libnpth0``,
  ``lsb-base``, ``pinentry-curses``, ``libreadline7``, ``readline-common``, ``libsqlite3-0``);
  ``BUILDPACK_CURL`` is the rest (ca-certificates, curl, netbase, wget and their libraries).
- ``BUILDPACK_SCM``: ``repos/buildpack-deps/local/buster-scm.md`` minus the curl record.
- ``BUILDPACK_FULL``: ``repos/buildpack-deps/local/buster.md`` minus ``buster-scm.md``: 246 new
  packages and one upgraded in place (``libtasn1-6`` 4.13-3 to 4.13-3+deb10u1, which
  ``libtasn1-6-dev`` needs), so that record is written by this layer.

Each layer's ``var/lib/dpkg/status`` is the whole database after its ``RUN`` (``installed``):
the records of the layers below, upgraded ones replaced, then the new ones.

Fields: the records give the source package (its name is kept, as in ``node22.py``; binNMU
versions such as ``2.8-1+b1`` stay the binary's) and write ``:amd64`` only for
``Multi-Arch: same`` packages. For the others, ``all`` or ``amd64`` is the ``Architecture`` a
Debian 12 ``Packages`` index gives (buster's was not at hand; a package rarely changes it); of
the thirteen names Debian 12 no longer ships, ``cpp-8 g++-8 gcc-8 libilmbase-dev python
python-minimal python2 python2-minimal python2.7 python2.7-minimal python3.7 python3.7-minimal``
are ``amd64`` and ``perl-modules-5.28`` is ``all``. The records also list licenses parsed from
``/usr/share/doc/*/copyright``; dpkg's database has no license field (see ``imagelib/sbom/dpkg.py``),
so none is written.

``tools/repo_info_packages.py`` turns such records into these lines and subtracts one from another.

``node:14-alpine`` keeps its records: repo-info's only Node 14 Alpine record is
``repos/node/local/14-alpine3.16.md`` (Node 14.21.2 on Alpine 3.16, with OpenSSL 1.1), while the
catalog models node:14.21.3 on ``alpine:3.17``.
"""

from __future__ import annotations

from .node22 import rows

SOURCES_REPO_INFO = "github.com/docker-library/repo-info@72e4be79"
SOURCES_DEBIAN = SOURCES_REPO_INFO + " repos/debian/local/10.13.md (debian:buster, 2023-01-11)"
SOURCES_BUILDPACK = (
    SOURCES_REPO_INFO + " repos/buildpack-deps/local/oldstable-curl.md (buster-curl), buster-scm.md, buster.md"
)


# debian:buster 10.13 (name version arch [source])
DEBIAN_10_13 = rows(
    """
libacl1 2.2.53-4 amd64 acl
adduser 3.118 all
apt 1.8.2.3 amd64
libapt-pkg5.0 1.8.2.3 amd64 apt
libattr1 1:2.4.48-4 amd64 attr
libaudit-common 1:2.8.4-3 all audit
libaudit1 1:2.8.4-3 amd64 audit
base-files 10.3+deb10u13 amd64
base-passwd 3.5.46 amd64
bash 5.0-4 amd64
libbz2-1.0 1.0.6-9.2~deb10u2 amd64 bzip2
libdebconfclient0 0.249 amd64 cdebconf
coreutils 8.30-3 amd64
dash 0.5.10.2-5 amd64
libdb5.3 5.3.28+dfsg1-0.5 amd64 db5.3
debconf 1.5.71+deb10u1 all
debian-archive-keyring 2019.1+deb10u1 all
debianutils 4.8.6.1 amd64
diffutils 1:3.7-3 amd64
dpkg 1.19.8 amd64
e2fsprogs 1.44.5-1+deb10u3 amd64
libcom-err2 1.44.5-1+deb10u3 amd64 e2fsprogs
libext2fs2 1.44.5-1+deb10u3 amd64 e2fsprogs
libss2 1.44.5-1+deb10u3 amd64 e2fsprogs
libelf1 0.176-1.1 amd64 elfutils
findutils 4.6.0+git+20190209-2 amd64
gcc-8-base 8.3.0-6 amd64 gcc-8
libgcc1 1:8.3.0-6 amd64 gcc-8
libstdc++6 8.3.0-6 amd64 gcc-8
libc-bin 2.28-10+deb10u2 amd64 glibc
libc6 2.28-10+deb10u2 amd64 glibc
libgmp10 2:6.1.2+dfsg-4+deb10u1 amd64 gmp
gpgv 2.2.12-1+deb10u2 amd64 gnupg2
libgnutls30 3.6.7-4+deb10u9 amd64 gnutls28
grep 3.3-1 amd64
gzip 1.9-3+deb10u1 amd64
hostname 3.21 amd64
init-system-helpers 1.56+nmu1 all
iproute2 4.20.0-2+deb10u1 amd64
libxtables12 1.8.2-4 amd64 iptables
iputils-ping 3:20180629-2+deb10u2 amd64 iputils
libcap-ng0 0.7.9-2 amd64 libcap-ng
libcap2 1:2.25-2 amd64
libcap2-bin 1:2.25-2 amd64 libcap2
libffi6 3.2.1-9 amd64 libffi
libgcrypt20 1.8.4-5+deb10u1 amd64
libgpg-error0 1.35-1 amd64 libgpg-error
libidn2-0 2.0.5-1+deb10u1 amd64 libidn2
libmnl0 1.0.4-2 amd64 libmnl
libseccomp2 2.3.3-4 amd64 libseccomp
libselinux1 2.8-1+b1 amd64 libselinux
libsemanage-common 2.8-2 all libsemanage
libsemanage1 2.8-2 amd64 libsemanage
libsepol1 2.8-1 amd64 libsepol
libtasn1-6 4.13-3 amd64
libunistring2 0.9.10-1 amd64 libunistring
libzstd1 1.3.8+dfsg-3+deb10u2 amd64 libzstd
liblz4-1 1.8.3-1+deb10u1 amd64 lz4
mawk 1.3.3-17+b3 amd64
libncursesw6 6.1+20181013-2+deb10u3 amd64 ncurses
libtinfo6 6.1+20181013-2+deb10u3 amd64 ncurses
ncurses-base 6.1+20181013-2+deb10u3 all ncurses
ncurses-bin 6.1+20181013-2+deb10u3 amd64 ncurses
libhogweed4 3.4.1-1+deb10u1 amd64 nettle
libnettle6 3.4.1-1+deb10u1 amd64 nettle
libp11-kit0 0.23.15-2+deb10u1 amd64 p11-kit
libpam-modules 1.3.1-5 amd64 pam
libpam-modules-bin 1.3.1-5 amd64 pam
libpam-runtime 1.3.1-5 all pam
libpam0g 1.3.1-5 amd64 pam
libpcre3 2:8.39-12 amd64 pcre3
perl-base 5.28.1-6+deb10u1 amd64 perl
sed 4.7-1 amd64
login 1:4.5-1.1 amd64 shadow
passwd 1:4.5-1.1 amd64 shadow
libsystemd0 241-7~deb10u8 amd64 systemd
libudev1 241-7~deb10u8 amd64 systemd
sysvinit-utils 2.93-8 amd64 sysvinit
tar 1.30+dfsg-6 amd64
tzdata 2021a-0+deb10u8 all
bsdutils 1:2.33.1-0.1 amd64 util-linux
fdisk 2.33.1-0.1 amd64 util-linux
libblkid1 2.33.1-0.1 amd64 util-linux
libfdisk1 2.33.1-0.1 amd64 util-linux
libmount1 2.33.1-0.1 amd64 util-linux
libsmartcols1 2.33.1-0.1 amd64 util-linux
libuuid1 2.33.1-0.1 amd64 util-linux
mount 2.33.1-0.1 amd64 util-linux
util-linux 2.33.1-0.1 amd64
liblzma5 5.2.4-1+deb10u1 amd64 xz-utils
zlib1g 1:1.2.11.dfsg-1+deb10u2 amd64 zlib
"""
)

# RUN apt-get install ca-certificates curl netbase wget (derived split, see above)
BUILDPACK_CURL = rows(
    """
ca-certificates 20200601~deb10u2 all
curl 7.64.0-4+deb10u3 amd64
libcurl4 7.64.0-4+deb10u3 amd64 curl
libsasl2-2 2.1.27+dfsg-1+deb10u2 amd64 cyrus-sasl2
libsasl2-modules-db 2.1.27+dfsg-1+deb10u2 amd64 cyrus-sasl2
libkeyutils1 1.6-6 amd64 keyutils
libgssapi-krb5-2 1.17-3+deb10u5 amd64 krb5
libk5crypto3 1.17-3+deb10u5 amd64 krb5
libkrb5-3 1.17-3+deb10u5 amd64 krb5
libkrb5support0 1.17-3+deb10u5 amd64 krb5
libpsl5 0.20.2-2 amd64 libpsl
libssh2-1 1.8.0-2.1 amd64 libssh2
netbase 5.6 all
libnghttp2-14 1.36.0-2+deb10u1 amd64 nghttp2
libldap-2.4-2 2.4.47+dfsg-3+deb10u7 amd64 openldap
libldap-common 2.4.47+dfsg-3+deb10u7 all openldap
libssl1.1 1.1.1n-0+deb10u3 amd64 openssl
openssl 1.1.1n-0+deb10u3 amd64
libpcre2-8-0 10.32-5 amd64 pcre2
librtmp1 2.4+20151223.gitfa8646d.1-2 amd64 rtmpdump
wget 1.20.1-1.1 amd64
"""
)

# RUN apt-get install gnupg dirmngr (derived split, see above)
BUILDPACK_GNUPG = rows(
    """
dirmngr 2.2.12-1+deb10u2 amd64 gnupg2
gnupg 2.2.12-1+deb10u2 all gnupg2
gnupg-l10n 2.2.12-1+deb10u2 all gnupg2
gnupg-utils 2.2.12-1+deb10u2 amd64 gnupg2
gpg 2.2.12-1+deb10u2 amd64 gnupg2
gpg-agent 2.2.12-1+deb10u2 amd64 gnupg2
gpg-wks-client 2.2.12-1+deb10u2 amd64 gnupg2
gpg-wks-server 2.2.12-1+deb10u2 amd64 gnupg2
gpgconf 2.2.12-1+deb10u2 amd64 gnupg2
gpgsm 2.2.12-1+deb10u2 amd64 gnupg2
libassuan0 2.5.2-1 amd64 libassuan
libksba8 1.3.5-2+deb10u2 amd64 libksba
lsb-base 10.2019051400 all lsb
libnpth0 1.6-1 amd64 npth
pinentry-curses 1.1.0-2 amd64 pinentry
libreadline7 7.0-5 amd64 readline
readline-common 7.0-5 all readline
libsqlite3-0 3.27.2-3+deb10u2 amd64 sqlite3
"""
)

# RUN apt-get install git mercurial openssh-client subversion procps
BUILDPACK_SCM = rows(
    """
libaprutil1 1.6.1-4 amd64 apr-util
libapr1 1.6.5-1+b1 amd64 apr
libcurl3-gnutls 7.64.0-4+deb10u3 amd64 curl
libexpat1 2.2.6-2+deb10u6 amd64 expat
libgdbm-compat4 1.18.1-4 amd64 gdbm
libgdbm6 1.18.1-4 amd64 gdbm
git 1:2.20.1-2+deb10u6 amd64
git-man 1:2.20.1-2+deb10u6 all git
libbsd0 0.9.1-2+deb10u1 amd64 libbsd
libedit2 3.1-20181209-1 amd64 libedit
liberror-perl 0.17027-2 all
mercurial 4.8.2-1+deb10u1 amd64
mercurial-common 4.8.2-1+deb10u1 all mercurial
mime-support 3.62 all
libncurses6 6.1+20181013-2+deb10u3 amd64 ncurses
openssh-client 1:7.9p1-10+deb10u2 amd64 openssh
libperl5.28 5.28.1-6+deb10u1 amd64 perl
perl 5.28.1-6+deb10u1 amd64
perl-modules-5.28 5.28.1-6+deb10u1 all perl
libprocps7 2:3.3.15-2 amd64 procps
procps 2:3.3.15-2 amd64
libpython-stdlib 2.7.16-1 amd64 python-defaults
libpython2-stdlib 2.7.16-1 amd64 python-defaults
python 2.7.16-1 amd64 python-defaults
python-minimal 2.7.16-1 amd64 python-defaults
python2 2.7.16-1 amd64 python-defaults
python2-minimal 2.7.16-1 amd64 python-defaults
libpython2.7-minimal 2.7.16-2+deb10u1 amd64 python2.7
libpython2.7-stdlib 2.7.16-2+deb10u1 amd64 python2.7
python2.7 2.7.16-2+deb10u1 amd64
python2.7-minimal 2.7.16-2+deb10u1 amd64 python2.7
sensible-utils 0.0.12 all
libserf-1-1 1.3.9-7+b10 amd64 serf
libsvn1 1.10.4-1+deb10u3 amd64 subversion
subversion 1.10.4-1+deb10u3 amd64
ucf 3.0038+nmu1 all
libutf8proc2 2.3.0-1 amd64 utf8proc
"""
)

# RUN apt-get install autoconf automake ... (libtasn1-6: an upgrade of the base record)
BUILDPACK_FULL = rows(
    """
autoconf 2.69-11 all
automake 1:1.16.1-4 all automake-1.16
autotools-dev 20180224.1 all
binutils 2.31.1-16 amd64
binutils-common 2.31.1-16 amd64 binutils
binutils-x86-64-linux-gnu 2.31.1-16 amd64 binutils
libbinutils 2.31.1-16 amd64 binutils
bzip2 1.0.6-9.2~deb10u2 amd64
libbz2-dev 1.0.6-9.2~deb10u2 amd64 bzip2
libcairo-gobject2 1.16.0-4+deb10u1 amd64 cairo
libcairo-script-interpreter2 1.16.0-4+deb10u1 amd64 cairo
libcairo2 1.16.0-4+deb10u1 amd64 cairo
libcairo2-dev 1.16.0-4+deb10u1 amd64 cairo
libcurl4-openssl-dev 7.64.0-4+deb10u3 amd64 curl
libdb-dev 5.3.1+nmu1 amd64 db-defaults
libdb5.3-dev 5.3.28+dfsg1-0.5 amd64 db5.3
libdjvulibre-dev 3.5.27.1-10+deb10u1 amd64 djvulibre
libdjvulibre-text 3.5.27.1-10+deb10u1 all djvulibre
libdjvulibre21 3.5.27.1-10+deb10u1 amd64 djvulibre
dpkg-dev 1.19.8 all dpkg
libdpkg-perl 1.19.8 all dpkg
comerr-dev 2.1-1.44.5-1+deb10u3 amd64 e2fsprogs
libexpat1-dev 2.2.6-2+deb10u6 amd64 expat
libfftw3-double3 3.3.8-2 amd64 fftw3
file 1:5.35-4+deb10u2 amd64
libmagic-mgc 1:5.35-4+deb10u2 amd64 file
libmagic1 1:5.35-4+deb10u2 amd64 file
fontconfig 2.13.1-2 amd64
fontconfig-config 2.13.1-2 amd64 fontconfig
libfontconfig1 2.13.1-2 amd64 fontconfig
libfontconfig1-dev 2.13.1-2 amd64 fontconfig
fonts-dejavu-core 2.37-1 all fonts-dejavu
libfreetype6 2.9.1-3+deb10u3 amd64 freetype
libfreetype6-dev 2.9.1-3+deb10u3 amd64 freetype
libfribidi0 1.0.5-3.1+deb10u2 amd64 fribidi
cpp-8 8.3.0-6 amd64 gcc-8
g++-8 8.3.0-6 amd64 gcc-8
gcc-8 8.3.0-6 amd64
libasan5 8.3.0-6 amd64 gcc-8
libatomic1 8.3.0-6 amd64 gcc-8
libcc1-0 8.3.0-6 amd64 gcc-8
libgcc-8-dev 8.3.0-6 amd64 gcc-8
libgomp1 8.3.0-6 amd64 gcc-8
libitm1 8.3.0-6 amd64 gcc-8
liblsan0 8.3.0-6 amd64 gcc-8
libmpx2 8.3.0-6 amd64 gcc-8
libquadmath0 8.3.0-6 amd64 gcc-8
libstdc++-8-dev 8.3.0-6 amd64 gcc-8
libtsan0 8.3.0-6 amd64 gcc-8
libubsan1 8.3.0-6 amd64 gcc-8
cpp 4:8.3.0-1 amd64 gcc-defaults
g++ 4:8.3.0-1 amd64 gcc-defaults
gcc 4:8.3.0-1 amd64 gcc-defaults
libgdbm-dev 1.18.1-4 amd64 gdbm
gir1.2-gdkpixbuf-2.0 2.38.1+dfsg-1 amd64 gdk-pixbuf
libgdk-pixbuf2.0-0 2.38.1+dfsg-1 amd64 gdk-pixbuf
libgdk-pixbuf2.0-bin 2.38.1+dfsg-1 amd64 gdk-pixbuf
libgdk-pixbuf2.0-common 2.38.1+dfsg-1 all gdk-pixbuf
libgdk-pixbuf2.0-dev 2.38.1+dfsg-1 amd64 gdk-pixbuf
libglib2.0-0 2.58.3-2+deb10u4 amd64 glib2.0
libglib2.0-bin 2.58.3-2+deb10u4 amd64 glib2.0
libglib2.0-data 2.58.3-2+deb10u4 all glib2.0
libglib2.0-dev 2.58.3-2+deb10u4 amd64 glib2.0
libglib2.0-dev-bin 2.58.3-2+deb10u4 amd64 glib2.0
libc-dev-bin 2.28-10+deb10u2 amd64 glibc
libc6-dev 2.28-10+deb10u2 amd64 glibc
libgmp-dev 2:6.1.2+dfsg-4+deb10u1 amd64 gmp
libgmpxx4ldbl 2:6.1.2+dfsg-4+deb10u1 amd64 gmp
libgnutls-dane0 3.6.7-4+deb10u9 amd64 gnutls28
libgnutls-openssl27 3.6.7-4+deb10u9 amd64 gnutls28
libgnutls28-dev 3.6.7-4+deb10u9 amd64 gnutls28
libgnutlsxx28 3.6.7-4+deb10u9 amd64 gnutls28
gir1.2-freedesktop 1.58.3-2 amd64 gobject-introspection
gir1.2-glib-2.0 1.58.3-2 amd64 gobject-introspection
libgirepository-1.0-1 1.58.3-2 amd64 gobject-introspection
libgraphite2-3 1.3.13-7 amd64 graphite2
libharfbuzz0b 2.3.1-1 amd64 harfbuzz
hicolor-icon-theme 0.17-2 all
icu-devtools 63.1-6+deb10u3 amd64 icu
libicu-dev 63.1-6+deb10u3 amd64 icu
libicu63 63.1-6+deb10u3 amd64 icu
libilmbase-dev 2.2.1-2 amd64 ilmbase
libilmbase23 2.2.1-2 amd64 ilmbase
imagemagick 8:6.9.10.23+dfsg-2.1+deb10u1 amd64
imagemagick-6-common 8:6.9.10.23+dfsg-2.1+deb10u1 all imagemagick
imagemagick-6.q16 8:6.9.10.23+dfsg-2.1+deb10u1 amd64 imagemagick
libmagickcore-6-arch-config 8:6.9.10.23+dfsg-2.1+deb10u1 amd64 imagemagick
libmagickcore-6-headers 8:6.9.10.23+dfsg-2.1+deb10u1 all imagemagick
libmagickcore-6.q16-6 8:6.9.10.23+dfsg-2.1+deb10u1 amd64 imagemagick
libmagickcore-6.q16-6-extra 8:6.9.10.23+dfsg-2.1+deb10u1 amd64 imagemagick
libmagickcore-6.q16-dev 8:6.9.10.23+dfsg-2.1+deb10u1 amd64 imagemagick
libmagickcore-dev 8:6.9.10.23+dfsg-2.1+deb10u1 all imagemagick
libmagickwand-6-headers 8:6.9.10.23+dfsg-2.1+deb10u1 all imagemagick
libmagickwand-6.q16-6 8:6.9.10.23+dfsg-2.1+deb10u1 amd64 imagemagick
libmagickwand-6.q16-dev 8:6.9.10.23+dfsg-2.1+deb10u1 amd64 imagemagick
libmagickwand-dev 8:6.9.10.23+dfsg-2.1+deb10u1 all imagemagick
libisl19 0.20-2 amd64 isl
libjbig-dev 2.1-3.1+b2 amd64 jbigkit
libjbig0 2.1-3.1+b2 amd64 jbigkit
krb5-multidev 1.17-3+deb10u5 amd64 krb5
libgssrpc4 1.17-3+deb10u5 amd64 krb5
libkadm5clnt-mit11 1.17-3+deb10u5 amd64 krb5
libkadm5srv-mit11 1.17-3+deb10u5 amd64 krb5
libkdb5-9 1.17-3+deb10u5 amd64 krb5
libkrb5-dev 1.17-3+deb10u5 amd64 krb5
liblcms2-2 2.9-3 amd64 lcms2
liblcms2-dev 2.9-3 amd64 lcms2
libcroco3 0.6.12-3 amd64 libcroco
libdatrie1 0.2.12-2 amd64 libdatrie
libde265-0 1.0.3-1+deb10u1 amd64 libde265
libevent-2.1-6 2.1.8-stable-4 amd64 libevent
libevent-core-2.1-6 2.1.8-stable-4 amd64 libevent
libevent-dev 2.1.8-stable-4 amd64 libevent
libevent-extra-2.1-6 2.1.8-stable-4 amd64 libevent
libevent-openssl-2.1-6 2.1.8-stable-4 amd64 libevent
libevent-pthreads-2.1-6 2.1.8-stable-4 amd64 libevent
libexif-dev 0.6.21-5.1+deb10u5 amd64 libexif
libexif12 0.6.21-5.1+deb10u5 amd64 libexif
libffi-dev 3.2.1-9 amd64 libffi
libheif1 1.3.2-2~deb10u1 amd64 libheif
libice-dev 2:1.0.9-2 amd64 libice
libice6 2:1.0.9-2 amd64 libice
libidn2-dev 2.0.5-1+deb10u1 amd64 libidn2
libjpeg-dev 1:1.5.2-2+deb10u1 amd64 libjpeg-turbo
libjpeg62-turbo 1:1.5.2-2+deb10u1 amd64 libjpeg-turbo
libjpeg62-turbo-dev 1:1.5.2-2+deb10u1 amd64 libjpeg-turbo
liblqr-1-0 0.4.2-2.1 amd64 liblqr
liblqr-1-0-dev 0.4.2-2.1 amd64 liblqr
libmaxminddb-dev 1.3.2-1+deb10u1 amd64 libmaxminddb
libmaxminddb0 1.3.2-1+deb10u1 amd64 libmaxminddb
libpng-dev 1.6.36-6 amd64 libpng1.6
libpng16-16 1.6.36-6 amd64 libpng1.6
libpthread-stubs0-dev 0.4-1 amd64 libpthread-stubs
gir1.2-rsvg-2.0 2.44.10-2.1+deb10u3 amd64 librsvg
librsvg2-2 2.44.10-2.1+deb10u3 amd64 librsvg
librsvg2-common 2.44.10-2.1+deb10u3 amd64 librsvg
librsvg2-dev 2.44.10-2.1+deb10u3 amd64 librsvg
libselinux1-dev 2.8-1+b1 amd64 libselinux
libsepol1-dev 2.8-1 amd64 libsepol
libsigsegv2 2.12-2 amd64 libsigsegv
libsm-dev 2:1.2.3-1 amd64 libsm
libsm6 2:1.2.3-1 amd64 libsm
libtasn1-6 4.13-3+deb10u1 amd64
libtasn1-6-dev 4.13-3+deb10u1 amd64 libtasn1-6
libthai-data 0.1.28-2 all libthai
libthai0 0.1.28-2 amd64 libthai
libltdl-dev 2.4.6-9 amd64 libtool
libltdl7 2.4.6-9 amd64 libtool
libtool 2.4.6-9 all
libwebp-dev 0.6.1-2+deb10u1 amd64 libwebp
libwebp6 0.6.1-2+deb10u1 amd64 libwebp
libwebpdemux2 0.6.1-2+deb10u1 amd64 libwebp
libwebpmux3 0.6.1-2+deb10u1 amd64 libwebp
libwmf-dev 0.2.8.4-14 amd64 libwmf
libwmf0.2-7 0.2.8.4-14 amd64 libwmf
libx11-6 2:1.6.7-1+deb10u2 amd64 libx11
libx11-data 2:1.6.7-1+deb10u2 all libx11
libx11-dev 2:1.6.7-1+deb10u2 amd64 libx11
libxau-dev 1:1.0.8-1+b2 amd64 libxau
libxau6 1:1.0.8-1+b2 amd64 libxau
libxcb-render0 1.13.1-2 amd64 libxcb
libxcb-render0-dev 1.13.1-2 amd64 libxcb
libxcb-shm0 1.13.1-2 amd64 libxcb
libxcb-shm0-dev 1.13.1-2 amd64 libxcb
libxcb1 1.13.1-2 amd64 libxcb
libxcb1-dev 1.13.1-2 amd64 libxcb
libxdmcp-dev 1:1.1.2-3 amd64 libxdmcp
libxdmcp6 1:1.1.2-3 amd64 libxdmcp
libxext-dev 2:1.3.3-1+b2 amd64 libxext
libxext6 2:1.3.3-1+b2 amd64 libxext
libxml2 2.9.4+dfsg1-7+deb10u5 amd64
libxml2-dev 2.9.4+dfsg1-7+deb10u5 amd64 libxml2
libxrender-dev 1:0.9.10-1 amd64 libxrender
libxrender1 1:0.9.10-1 amd64 libxrender
libxslt1-dev 1.1.32-2.2~deb10u2 amd64 libxslt
libxslt1.1 1.1.32-2.2~deb10u2 amd64 libxslt
libxt-dev 1:1.1.5-1+b3 amd64 libxt
libxt6 1:1.1.5-1+b3 amd64 libxt
libyaml-0-2 0.2.1-1 amd64 libyaml
libyaml-dev 0.2.1-1 amd64 libyaml
linux-libc-dev 4.19.269-1 amd64 linux
liblzo2-2 2.10-0.1 amd64 lzo2
m4 1.4.18-2 amd64
make 4.2.1-1.2 amd64 make-dfsg
libmariadb-dev 1:10.3.36-0+deb10u2 amd64 mariadb-10.3
libmariadb-dev-compat 1:10.3.36-0+deb10u2 amd64 mariadb-10.3
libmariadb3 1:10.3.36-0+deb10u2 amd64 mariadb-10.3
mariadb-common 1:10.3.36-0+deb10u2 all mariadb-10.3
libmpc3 1.1.0-1 amd64 mpclib3
libmpdec2 2.4.2-2 amd64 mpdecimal
libmpfr6 4.0.2-1 amd64 mpfr4
default-libmysqlclient-dev 1.0.5 amd64 mysql-defaults
mysql-common 5.8+1.0.5 all mysql-defaults
libncurses-dev 6.1+20181013-2+deb10u3 amd64 ncurses
libncurses5-dev 6.1+20181013-2+deb10u3 amd64 ncurses
libncursesw5-dev 6.1+20181013-2+deb10u3 amd64 ncurses
nettle-dev 3.4.1-1+deb10u1 amd64 nettle
libnuma1 2.0.12-1 amd64 numactl
libopenexr-dev 2.2.1-4.1+deb10u2 amd64 openexr
libopenexr23 2.2.1-4.1+deb10u2 amd64 openexr
libopenjp2-7 2.3.0-2+deb10u2 amd64 openjpeg2
libopenjp2-7-dev 2.3.0-2+deb10u2 amd64 openjpeg2
libssl-dev 1.1.1n-0+deb10u3 amd64 openssl
libp11-kit-dev 0.23.15-2+deb10u1 amd64 p11-kit
libpango-1.0-0 1.42.4-8~deb10u1 amd64 pango1.0
libpangocairo-1.0-0 1.42.4-8~deb10u1 amd64 pango1.0
libpangoft2-1.0-0 1.42.4-8~deb10u1 amd64 pango1.0
patch 2.7.6-3+deb10u1 amd64
libpcre16-3 2:8.39-12 amd64 pcre3
libpcre3-dev 2:8.39-12 amd64 pcre3
libpcre32-3 2:8.39-12 amd64 pcre3
libpcrecpp0v5 2:8.39-12 amd64 pcre3
libpixman-1-0 0.36.0-1+deb10u1 amd64 pixman
libpixman-1-dev 0.36.0-1+deb10u1 amd64 pixman
pkg-config 0.29-6 amd64
libpq-dev 11.18-0+deb10u1 amd64 postgresql-11
libpq5 11.18-0+deb10u1 amd64 postgresql-11
libpython3-stdlib 3.7.3-1 amd64 python3-defaults
python3 3.7.3-1 amd64 python3-defaults
python3-minimal 3.7.3-1 amd64 python3-defaults
python3-distutils 3.7.3-1 all python3-stdlib-extensions
python3-lib2to3 3.7.3-1 all python3-stdlib-extensions
libpython3.7-minimal 3.7.3-2+deb10u4 amd64 python3.7
libpython3.7-stdlib 3.7.3-2+deb10u4 amd64 python3.7
python3.7 3.7.3-2+deb10u4 amd64
python3.7-minimal 3.7.3-2+deb10u4 amd64 python3.7
libreadline-dev 7.0-5 amd64 readline
shared-mime-info 1.10-1 amd64
libsqlite3-dev 3.27.2-3+deb10u2 amd64 sqlite3
libtiff-dev 4.1.0+git191117-2~deb10u4 amd64 tiff
libtiff5 4.1.0+git191117-2~deb10u4 amd64 tiff
libtiffxx5 4.1.0+git191117-2~deb10u4 amd64 tiff
libunbound8 1.9.0-2+deb10u2 amd64 unbound
unzip 6.0-23+deb10u3 amd64
libblkid-dev 2.33.1-0.1 amd64 util-linux
libmount-dev 2.33.1-0.1 amd64 util-linux
uuid-dev 2.33.1-0.1 amd64 util-linux
libx265-165 2.9-4 amd64 x265
xorg-sgml-doctools 1:1.11-1 all
x11-common 1:7.7+19 all xorg
x11proto-core-dev 2018.4-4 all xorgproto
x11proto-dev 2018.4-4 all xorgproto
x11proto-xext-dev 2018.4-4 all xorgproto
xtrans-dev 1.3.5-1 all xtrans
liblzma-dev 5.2.4-1+deb10u1 amd64 xz-utils
xz-utils 5.2.4-1+deb10u1 amd64
zlib1g-dev 1:1.2.11.dfsg-1+deb10u2 amd64 zlib
"""
)

LAYERS = (DEBIAN_10_13, BUILDPACK_CURL, BUILDPACK_GNUPG, BUILDPACK_SCM, BUILDPACK_FULL)


def installed(*layers: "list[tuple[str, str, str, str]]") -> "list[tuple[str, str, str, str]]":
    """dpkg's database after these layers: a later record of the same package replaces the earlier."""
    where: "dict[tuple[str, str], int]" = {}
    out: "list[tuple[str, str, str, str]]" = []
    for packages in layers:
        for row in packages:
            key = (row[0], row[2])
            if key in where:
                out[where[key]] = row
            else:
                where[key] = len(out)
                out.append(row)
    return out
