"""Data of the modeled base images (see ``imagelib.catalog`` for what is real and what is modeled).

Each layer lists representative paths of the published image. A model-file line is
``path  weight  [mode]  [key=value …]``: the weight is the approximate size of that file in the
real image; weights are scaled so that the layer adds up to its published size (``size_mb``)
after the real text files are counted. ``path/`` is a folder, ``a -> b`` a symlink,
``a => b`` a hard link. ``texts`` hold small files whose real content is written as is.
"""

from __future__ import annotations

MUSL = "interp=/lib/ld-musl-x86_64.so.1"
GLIBC = "interp=/lib64/ld-linux-x86-64.so.2"

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# -- shared small files --------------------------------------------------------------------

ALPINE_PASSWD = """root:x:0:0:root:/root:/bin/sh
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
adm:x:3:4:adm:/var/adm:/sbin/nologin
mail:x:8:12:mail:/var/mail:/sbin/nologin
www-data:x:82:82:Linux User,,,:/home/www-data:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
"""

ALPINE_GROUP = """root:x:0:root
bin:x:1:root,bin,daemon
daemon:x:2:root,bin,daemon
adm:x:4:root,adm,daemon
wheel:x:10:root
www-data:x:82:
nogroup:x:65533:
nobody:x:65534:
"""

DEBIAN_PASSWD = """root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
_apt:x:100:65534::/nonexistent:/usr/sbin/nologin
"""

DEBIAN_GROUP = """root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
www-data:x:33:
staff:x:50:
users:x:100:
nogroup:x:65534:
"""

_CLEAN = '"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"'
DOCKER_CLEAN = f"""DPkg::Post-Invoke {{ {_CLEAN}; }};
APT::Update::Post-Invoke {{ {_CLEAN}; }};
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
"""


def os_release_debian(version: str, codename: str) -> str:
    return (
        f'PRETTY_NAME="Debian GNU/Linux {version} ({codename})"\nNAME="Debian GNU/Linux"\n'
        f'VERSION_ID="{version}"\nVERSION="{version} ({codename})"\nVERSION_CODENAME={codename}\n'
        'ID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\n'
        'BUG_REPORT_URL="https://bugs.debian.org/"\n'
    )


def os_release_alpine(version: str) -> str:
    branch = ".".join(version.split(".")[:2])
    return (
        f'NAME="Alpine Linux"\nID=alpine\nVERSION_ID={version}\nPRETTY_NAME="Alpine Linux v{branch}"\n'
        'HOME_URL="https://alpinelinux.org/"\n'
        'BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n'
    )


OS_RELEASE_UBUNTU_2004 = """NAME="Ubuntu"
VERSION="20.04.6 LTS (Focal Fossa)"
ID=ubuntu
ID_LIKE=debian
PRETTY_NAME="Ubuntu 20.04.6 LTS"
VERSION_ID="20.04"
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
VERSION_CODENAME=focal
UBUNTU_CODENAME=focal
"""


def apk_db(packages: "list[tuple[str, str]]") -> str:
    return "".join(f"P:{name}\nV:{version}\nA:x86_64\nT:{name}\n\n" for name, version in packages)


def dpkg_status(packages: "list[tuple[str, str]]") -> str:
    return "".join(
        f"Package: {name}\nStatus: install ok installed\nVersion: {version}\n\n" for name, version in packages
    )


# -- root file systems ---------------------------------------------------------------------

BUSYBOX_APPLETS = (
    "ash cat chgrp chmod chown cp date dd df echo false grep gunzip gzip hostname kill "
    "ln ls mkdir mknod mktemp more mount mv ping ps pwd rm rmdir sed sleep stat tar "
    "touch true umount uname zcat"
).split()
BUSYBOX_USR_APPLETS = (
    "env whoami wget id head tail sort uniq find xargs tr cut wc which tee sha256sum printenv awk less nslookup"
).split()


def alpine_files(libapk: str) -> str:
    lines = [
        "bin/",
        "dev/",
        "etc/",
        "etc/apk/",
        "etc/ssl/certs/",
        "home/",
        "lib/",
        "lib/apk/db/",
        "media/",
        "mnt/",
        "opt/",
        "proc/",
        "root/ 700",
        "run/",
        "sbin/",
        "srv/",
        "sys/",
        "tmp/ 1777",
        "usr/bin/",
        "usr/lib/",
        "usr/local/bin/",
        "usr/local/lib/",
        "usr/sbin/",
        "usr/share/",
        "var/cache/",
        "var/lib/",
        "var/log/",
        "var/tmp/ 1777",
        f"bin/busybox 800K 755 {MUSL} about=BusyBox(ls,cp,sh… 수백 개 명령을 담은 실행 파일 하나)",
        "bin/sh -> /bin/busybox",
        "lib/ld-musl-x86_64.so.1 640K 755 about=musl C 라이브러리와 동적 로더",
        "lib/libc.musl-x86_64.so.1 -> ld-musl-x86_64.so.1",
        f"lib/libcrypto.so.3 4500K 755 {MUSL}",
        f"lib/libssl.so.3 610K 755 {MUSL}",
        f"lib/libz.so.1.3 100K 755 {MUSL}",
        "lib/libz.so.1 -> libz.so.1.3",
        f"lib/{libapk} 220K 755 {MUSL}",
        f"sbin/apk 70K 755 {MUSL} about=Alpine 패키지 관리자",
        f"usr/bin/scanelf 70K 755 {MUSL}",
        f"usr/bin/getconf 40K 755 {MUSL}",
        f"usr/bin/iconv 30K 755 {MUSL}",
        "usr/lib/libcrypto.so.3 -> ../../lib/libcrypto.so.3",
        "etc/ssl/certs/ca-certificates.crt 220K",
        "etc/ssl/cert.pem -> certs/ca-certificates.crt",
        "usr/share/apk/keys/x86_64/alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub 1K",
        "etc/services 14K",
        "etc/protocols 3K",
        "etc/inittab 0.6K",
    ]
    lines += [f"bin/{name} -> /bin/busybox" for name in BUSYBOX_APPLETS]
    lines += [f"usr/bin/{name} -> /bin/busybox" for name in BUSYBOX_USR_APPLETS]
    return "\n".join(lines)


def alpine_texts(version: str, apk_version: str) -> dict:
    branch = ".".join(version.split(".")[:2])
    return {
        "etc/os-release": os_release_alpine(version),
        "etc/alpine-release": version + "\n",
        "etc/apk/repositories": (
            f"https://dl-cdn.alpinelinux.org/alpine/v{branch}/main\n"
            f"https://dl-cdn.alpinelinux.org/alpine/v{branch}/community\n"
        ),
        "etc/apk/world": "alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nca-certificates-bundle\nlibc-utils\n",
        "lib/apk/db/installed": apk_db(
            [
                ("musl", "1.2.4-r2"),
                ("busybox", "1.36.1-r15"),
                ("alpine-baselayout", f"{branch}.0-r0"),
                ("alpine-keys", "2.4-r1"),
                ("ca-certificates-bundle", "20230506-r0"),
                ("libcrypto3", "3.1.4-r2"),
                ("libssl3", "3.1.4-r2"),
                ("zlib", "1.3-r2"),
                ("apk-tools", apk_version),
                ("scanelf", "1.3.7-r2"),
                ("musl-utils", "1.2.4-r2"),
                ("libc-utils", "0.7.2-r5"),
            ]
        ),
        "etc/passwd": ALPINE_PASSWD,
        "etc/group": ALPINE_GROUP,
        "etc/hostname": "localhost\n",
        "etc/profile": 'export PATH="' + PATH + '"\n',
    }


def debian_files(*, merged: bool, libc: str, slim: bool, apt_lib: str) -> str:
    root = "usr/" if merged else ""
    lib = f"{root}lib/x86_64-linux-gnu"
    lines = [
        "dev/",
        "etc/",
        "etc/apt/apt.conf.d/",
        "home/",
        "media/",
        "mnt/",
        "opt/",
        "proc/",
        "root/ 700",
        "run/",
        "srv/",
        "sys/",
        "tmp/ 1777",
        "usr/bin/",
        "usr/local/bin/",
        "usr/local/lib/",
        "usr/sbin/",
        "usr/share/",
        "var/cache/apt/archives/partial/",
        "var/lib/apt/lists/partial/",
        "var/lib/dpkg/",
        "var/log/",
        "var/tmp/ 1777",
    ]
    if merged:
        lines += [
            "bin -> usr/bin",
            "lib -> usr/lib",
            "lib64 -> usr/lib64",
            "sbin -> usr/sbin",
            "usr/lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
            f"{lib}/ld-linux-x86-64.so.2 210K 755 about=glibc 동적 로더",
        ]
    else:
        lines += [
            "bin/",
            "lib/",
            "lib64/",
            "sbin/",
            f"lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-{libc}.so",
            f"lib/x86_64-linux-gnu/ld-{libc}.so 165K 755 about=glibc 동적 로더",
        ]
    libc_file = "libc.so.6" if merged else f"libc-{libc}.so"
    lines += [
        f"{lib}/{libc_file} 1900K 755 about=GNU C 라이브러리(glibc)",
        f"{lib}/libm.so.6 900K 755",
        f"{lib}/libresolv.so.2 70K 755",
        f"{lib}/libselinux.so.1 160K 755",
        f"{lib}/libpcre2-8.so.0 600K 755",
        f"{lib}/libz.so.1 120K 755",
        f"{lib}/libtinfo.so.6 200K 755",
        f"{lib}/libsystemd.so.0 800K 755",
        f"{lib}/libgcrypt.so.20 1200K 755",
        f"usr/lib/x86_64-linux-gnu/{apt_lib} 1900K 755 about=apt 라이브러리",
        "usr/lib/x86_64-linux-gnu/libstdc++.so.6 2000K 755",
        "usr/lib/x86_64-linux-gnu/libdb-5.3.so 1700K 755",
        "usr/lib/x86_64-linux-gnu/libgnutls.so.30 1900K 755",
        "usr/lib/x86_64-linux-gnu/libp11-kit.so.0 1300K 755",
        "usr/lib/x86_64-linux-gnu/libunistring.so.2 1600K 755",
        "usr/lib/x86_64-linux-gnu/perl-base/Config_heavy.pl 6000K about=perl-base 모듈 묶음",
        f"usr/bin/perl 3600K 755 {GLIBC}",
        f"{root}bin/bash 1200K 755 {GLIBC}",
        f"{root}bin/dash 125K 755 {GLIBC}",
        f"{root}bin/sh -> dash",
    ]
    for name, size in (
        ("cat", 44),
        ("chgrp", 64),
        ("chmod", 64),
        ("chown", 72),
        ("cp", 150),
        ("date", 108),
        ("dd", 76),
        ("df", 96),
        ("echo", 40),
        ("false", 40),
        ("grep", 200),
        ("gzip", 100),
        ("hostname", 20),
        ("ln", 68),
        ("ls", 140),
        ("mkdir", 88),
        ("mktemp", 44),
        ("more", 48),
        ("mount", 56),
        ("mv", 140),
        ("pwd", 44),
        ("readlink", 48),
        ("rm", 68),
        ("rmdir", 44),
        ("sed", 120),
        ("sleep", 40),
        ("stty", 80),
        ("su", 72),
        ("tar", 500),
        ("touch", 96),
        ("true", 40),
        ("uname", 40),
    ):
        lines.append(f"{root}bin/{name} {size}K 755 {GLIBC}")
    for name, size in (
        ("apt-get", 50),
        ("apt", 20),
        ("apt-cache", 80),
        ("dpkg", 320),
        ("dpkg-query", 150),
        ("env", 48),
        ("find", 310),
        ("head", 48),
        ("id", 48),
        ("printenv", 40),
        ("sort", 120),
        ("tail", 72),
        ("tee", 40),
        ("tr", 52),
        ("whoami", 40),
        ("xargs", 70),
        ("wc", 48),
        ("cut", 48),
        ("which", 2),
        ("sha256sum", 56),
        ("gpgv", 400),
    ):
        lines.append(f"usr/bin/{name} {size}K 755 {GLIBC}")
    for name, size in (("useradd", 150), ("groupadd", 90), ("usermod", 130), ("adduser", 40)):
        lines.append(f"usr/sbin/{name} {size}K 755 {GLIBC}")
    lines += [
        "usr/share/zoneinfo/UTC 0.1K",
        "usr/share/zoneinfo/Asia/Seoul 0.4K",
        "usr/share/common-licenses/GPL-3 35K",
        "var/cache/debconf/templates.dat 600K",
        "var/lib/dpkg/info/coreutils.list 8K",
        "usr/share/perl5/Debconf/Config.pm 200K",
        "etc/ssl/certs/ 755",
    ]
    if not slim:
        lines += [
            "usr/share/doc/coreutils/changelog.Debian.gz 40K",
            "usr/share/doc/bash/changelog.Debian.gz 30K",
            "usr/share/man/man1/ls.1.gz 9K",
            "usr/share/man/man1/bash.1.gz 90K",
            "usr/share/info/coreutils.info.gz 400K",
            "usr/share/locale/ko/LC_MESSAGES/coreutils.mo 200K",
            "usr/share/locale/de/LC_MESSAGES/coreutils.mo 200K",
            "@rest usr/share/doc 22",
            "@rest usr/share/locale 14",
            "@rest usr/share/man 8",
        ]
    lines += [
        "@rest usr/lib/x86_64-linux-gnu 34",
        "@rest usr/bin 8",
        "@rest usr/share/perl5 6",
        "@rest var/lib/dpkg/info 4",
        "@rest usr/sbin 4",
    ]
    return "\n".join(lines)


def debian_texts(version: str, codename: str, *, merged: bool) -> dict:
    texts = {
        "etc/debian_version": f"{version}\n",
        "etc/passwd": DEBIAN_PASSWD,
        "etc/group": DEBIAN_GROUP,
        "etc/hostname": "localhost\n",
        "etc/apt/apt.conf.d/docker-clean": DOCKER_CLEAN,
        "etc/apt/apt.conf.d/docker-gzip-indexes": 'Acquire::GzipIndexes "true";\n',
        "var/lib/dpkg/status": dpkg_status(
            [
                ("base-files", version),
                ("bash", "5.2"),
                ("coreutils", "9.1"),
                ("dash", "0.5.12"),
                ("apt", "2.6"),
                ("dpkg", "1.21"),
                ("libc6", "2.36"),
                ("perl-base", "5.36"),
            ]
        ),
    }
    release = os_release_debian(version.split(".")[0], codename)
    if merged:
        texts["usr/lib/os-release"] = release
        texts["etc/apt/sources.list.d/debian.sources"] = (
            f"Types: deb\nURIs: http://deb.debian.org/debian\nSuites: {codename} {codename}-updates\n"
            "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
        )
    else:
        texts["etc/os-release"] = release
        texts["etc/apt/sources.list"] = (
            f"deb http://deb.debian.org/debian {codename} main\n"
            f"deb http://deb.debian.org/debian-security {codename}/updates "
            f"main\n"
            f"deb http://deb.debian.org/debian {codename}-updates main\n"
        )
    return texts


UBUNTU_TEXTS = {
    "etc/os-release": OS_RELEASE_UBUNTU_2004,
    "etc/lsb-release": "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=20.04\nDISTRIB_CODENAME=focal\n"
    'DISTRIB_DESCRIPTION="Ubuntu 20.04.6 LTS"\n',
    "etc/debian_version": "bullseye/sid\n",
    "etc/passwd": DEBIAN_PASSWD,
    "etc/group": DEBIAN_GROUP,
    "etc/apt/sources.list": (
        "deb http://archive.ubuntu.com/ubuntu/ focal main restricted universe "
        "multiverse\n"
        "deb http://archive.ubuntu.com/ubuntu/ focal-updates main restricted universe\n"
        "deb http://security.ubuntu.com/ubuntu/ focal-security main restricted "
        "universe\n"
    ),
    "etc/apt/apt.conf.d/docker-clean": DOCKER_CLEAN,
    "etc/apt/apt.conf.d/docker-gzip-indexes": 'Acquire::GzipIndexes "true";\n',
    "var/lib/dpkg/status": dpkg_status(
        [
            ("base-files", "11ubuntu5.7"),
            ("bash", "5.0-6ubuntu1.2"),
            ("coreutils", "8.30-3ubuntu2"),
            ("apt", "2.0.10"),
            ("libc6", "2.31-0ubuntu9.14"),
        ]
    ),
}

BUSYBOX_FILES = "\n".join(
    [
        "bin/",
        "dev/",
        "etc/",
        "home/",
        "lib/",
        "lib64/",
        "root/ 700",
        "tmp/ 1777",
        "usr/sbin/",
        "var/spool/mail/",
        "var/www/",
        f"bin/busybox 1100K 755 {GLIBC} about=BusyBox(glibc로 빌드; /bin의 명령들은 이 파일의 하드 링크)",
        "lib/libc.so.6 2200K 755",
        "lib/libm.so.6 900K 755",
        "lib/libresolv.so.2 70K 755",
        "lib/libnss_files.so.2 30K 755",
        "lib/libnss_dns.so.2 30K 755",
        "lib64/ld-linux-x86-64.so.2 230K 755 about=glibc 동적 로더",
    ]
    + [f"bin/{name} => bin/busybox" for name in BUSYBOX_APPLETS + BUSYBOX_USR_APPLETS + ["sh"]]
)

BUSYBOX_TEXTS = {
    "etc/passwd": "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
    "nobody:x:65534:65534:nobody:/home:/bin/false\n",
    "etc/group": "root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n",
}

# -- language runtimes and servers ---------------------------------------------------------

NODE_ENTRYPOINT = """#!/bin/sh
set -e
# (imagelib 모형) 첫 인자가 '-'로 시작하면 node의 옵션으로 보고 node로 실행합니다.
if [ "${1#-}" != "${1}" ]; then
  set -- node "$@"
fi
exec "$@"
"""

NPM_CLI = "#!/usr/bin/env node\n// npm 6.14.18 command line (imagelib 모형: 내용은 생략)\n"


def node_files(libc: str, version: str = "14.21.3") -> str:
    interp = MUSL if libc == "musl" else GLIBC
    return "\n".join(
        [
            f"usr/local/bin/node 73500K 755 {interp} version={version} about=Node.js {version} 실행 파일",
            "usr/local/bin/nodejs -> node",
            "usr/local/bin/npm -> ../lib/node_modules/npm/bin/npm-cli.js",
            "usr/local/bin/npx -> ../lib/node_modules/npm/bin/npx-cli.js",
            "usr/local/include/node/node.h 90K",
            "usr/local/include/node/v8.h 400K",
            "usr/local/include/node/openssl/ 755",
            "usr/local/include/node/uv.h 60K",
            "usr/local/share/doc/node/gdbinit 12K",
            "usr/local/share/man/man1/node.1 20K",
            "usr/local/lib/node_modules/npm/lib/npm.js 4500K about=npm 6.14.18의 lib 폴더",
            "usr/local/lib/node_modules/npm/node_modules/ 755",
            "usr/local/lib/node_modules/npm/node_modules/.bundled 2400K about=npm에 딸린 패키지들",
            "usr/local/lib/node_modules/npm/docs/ 755",
            "usr/local/lib/node_modules/npm/man/man1/npm.1 10K",
            "@rest usr/local/lib/node_modules/npm/node_modules 70",
            "@rest usr/local/include/node 30",
        ]
    )


NODE_TEXTS = {
    "usr/local/lib/node_modules/npm/bin/npm-cli.js": (NPM_CLI, 0o755),
    "usr/local/lib/node_modules/npm/bin/npx-cli.js": ("#!/usr/bin/env node\n// npx (imagelib 모형)\n", 0o755),
    "usr/local/lib/node_modules/npm/package.json": '{"name": "npm", "version": "6.14.18"}\n',
}

YARN_FILES = """opt/yarn-v1.22.19/bin/yarn.js 20K 755
opt/yarn-v1.22.19/lib/cli.js 5200K
usr/local/bin/yarn -> /opt/yarn-v1.22.19/bin/yarn
usr/local/bin/yarnpkg -> /opt/yarn-v1.22.19/bin/yarnpkg
opt/yarn-v1.22.19/bin/yarn 1K 755
opt/yarn-v1.22.19/bin/yarnpkg 0.1K 755
@rest opt/yarn-v1.22.19/lib 1"""

NGINX_CONF = """user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;
    access_log  /var/log/nginx/access.log  main;
    sendfile        on;
    keepalive_timeout  65;
    include /etc/nginx/conf.d/*.conf;
}
"""

NGINX_DEFAULT_CONF = """server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
"""

NGINX_INDEX = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and working.</p>
</body>
</html>
"""


def nginx_texts(passwd: str, group: str, user_line: str, group_line: str) -> dict:
    return {
        "etc/nginx/nginx.conf": NGINX_CONF,
        "etc/nginx/conf.d/default.conf": NGINX_DEFAULT_CONF,
        "usr/share/nginx/html/index.html": NGINX_INDEX,
        "usr/share/nginx/html/50x.html": "<!DOCTYPE html>\n<html><body><h1>An error occurred.</h1></body></html>\n",
        "etc/passwd": passwd + user_line,
        "etc/group": group + group_line,
    }


def nginx_files(libc: str) -> str:
    interp = MUSL if libc == "musl" else GLIBC
    lib = "usr/lib" if libc == "musl" else "usr/lib/x86_64-linux-gnu"
    return "\n".join(
        [
            f"usr/sbin/nginx 1300K 755 {interp} version=1.25.3 about=nginx 1.25.3 실행 파일",
            f"usr/sbin/nginx-debug 1400K 755 {interp}",
            "etc/nginx/mime.types 5K",
            "etc/nginx/fastcgi_params 1K",
            "etc/nginx/modules -> /usr/lib/nginx/modules",
            "usr/lib/nginx/modules/ 755",
            "var/cache/nginx/ 755",
            "var/log/nginx/ 755",
            "var/log/nginx/access.log -> /dev/stdout",
            "var/log/nginx/error.log -> /dev/stderr",
            "docker-entrypoint.d/ 755",
            f"{lib}/libpcre2-8.so.0 600K 755",
        ]
    )


def nginx_module_files(libc: str) -> str:
    interp = MUSL if libc == "musl" else GLIBC
    lib = "usr/lib" if libc == "musl" else "usr/lib/x86_64-linux-gnu"
    return "\n".join(
        [
            f"usr/lib/nginx/modules/ngx_http_js_module.so 2200K 755 {interp}",
            f"usr/lib/nginx/modules/ngx_stream_js_module.so 2100K 755 {interp}",
            f"usr/lib/nginx/modules/ngx_http_xslt_filter_module.so 60K 755 {interp}",
            f"usr/lib/nginx/modules/ngx_http_image_filter_module.so 50K 755 {interp}",
            f"usr/lib/nginx/modules/ngx_http_geoip_module.so 40K 755 {interp}",
            f"{lib}/libicudata.so.72 31000K about=ICU 데이터(libxml2가 씀)",
            f"{lib}/libicuuc.so.72 2100K 755",
            f"{lib}/libicui18n.so.72 3400K 755",
            f"{lib}/libxml2.so.2 2000K 755",
            f"{lib}/libxslt.so.1 250K 755",
            f"{lib}/libgd.so.3 450K 755",
            f"{lib}/libX11.so.6 1300K 755",
            f"{lib}/libfreetype.so.6 800K 755",
            f"{lib}/libtiff.so.6 600K 755",
            f"{lib}/libwebp.so.7 500K 755",
            f"{lib}/libjpeg.so.62 400K 755",
            f"{lib}/libGeoIP.so.1 150K 755",
            "usr/share/GeoIP/GeoIP.dat 1300K",
            "usr/share/X11/locale/locale.alias 4000K about=X11 로캘 데이터",
            "usr/share/fonts/truetype/dejavu/DejaVuSans.ttf 750K",
            f"usr/bin/envsubst 40K 755 {interp}",
            f"usr/bin/curl 250K 755 {interp}",
            f"{lib}/libcurl.so.4 700K 755",
            "usr/share/doc/nginx/changelog.gz 200K",
            f"@rest {lib} 60",
            "@rest usr/share 40",
        ]
    )


NGINX_SCRIPTS = {
    "docker-entrypoint.sh": (
        "#!/bin/sh\n# vim:sw=4:ts=4:et\nset -e\n"
        "# (imagelib 모형) /docker-entrypoint.d/ 의 스크립트를 차례로 실행한 뒤 nginx를 "
        "시작합니다.\n"
        'exec "$@"\n'
    ),
    "docker-entrypoint.d/10-listen-on-ipv6-by-default.sh": (
        "#!/bin/sh\n# (imagelib 모형) IPv6 주소에서도 듣도록 기본 설정을 고칩니다.\nexit 0\n"
    ),
    "docker-entrypoint.d/15-local-resolvers.envsh": (
        "#!/bin/sh\n# (imagelib 모형) /etc/resolv.conf의 DNS 서버를 환경 변수로 내보냅니다.\n"
    ),
    "docker-entrypoint.d/20-envsubst-on-templates.sh": (
        "#!/bin/sh\n# (imagelib 모형) /etc/nginx/templates/*.template에 환경 변수를 채워 넣습니다.\nexit 0\n"
    ),
    "docker-entrypoint.d/30-tune-worker-processes.sh": (
        "#!/bin/sh\n# (imagelib 모형) worker_processes를 CPU 수에 맞춥니다.\nexit 0\n"
    ),
}


def python_files(libc: str, *, slim: bool) -> str:
    interp = MUSL if libc == "musl" else GLIBC
    lines = [
        f"usr/local/bin/python3.12 17K 755 {interp} version=3.12.1 about=Python 3.12.1 실행 파일",
        "usr/local/bin/python3 -> python3.12",
        f"usr/local/lib/libpython3.12.so.1.0 24000K 755 {interp}",
        "usr/local/lib/python3.12/os.py 40K",
        "usr/local/lib/python3.12/encodings/__init__.py 6K",
        "usr/local/lib/python3.12/lib-dynload/_ssl.cpython-312-x86_64-linux-gnu.so 700K 755",
        "usr/local/lib/python3.12/site-packages/pip/__init__.py 11000K about=pip 23.2.1",
        "usr/local/lib/python3.12/ensurepip/_bundled/pip-23.2.1-py3-none-any.whl 2100K",
        "usr/local/lib/python3.12/asyncio/base_events.py 78K",
        "usr/local/lib/python3.12/email/message.py 48K",
        "usr/local/lib/python3.12/json/__init__.py 14K",
        "usr/local/lib/python3.12/__pycache__/os.cpython-312.pyc 44K",
        "usr/local/include/python3.12/Python.h 3K",
        "usr/local/bin/pip3.12 0.2K 755",
        "usr/local/bin/pip3 -> pip3.12",
        "usr/local/bin/pip -> pip3.12",
        "@rest usr/local/lib/python3.12 1",
    ]
    if not slim:
        lines += [
            "usr/local/lib/python3.12/test/test_os.py 12000K about=파이썬 표준 테스트 모음",
            "usr/local/lib/python3.12/idlelib/editor.py 1600K",
            "usr/local/lib/python3.12/tkinter/__init__.py 180K",
        ]
    else:
        lines += ["usr/local/lib/python3.12/idlelib/editor.py 1600K"]
    return "\n".join(lines)


PYTHON_SYMLINKS = """usr/local/bin/idle -> idle3
usr/local/bin/pydoc -> pydoc3
usr/local/bin/python -> python3
usr/local/bin/python-config -> python3-config"""


def buildpack_curl_files() -> str:
    lib = "usr/lib/x86_64-linux-gnu"
    return "\n".join(
        [
            f"usr/bin/curl 240K 755 {GLIBC}",
            f"{lib}/libcurl.so.4 650K 755",
            f"usr/bin/wget 500K 755 {GLIBC}",
            "etc/ssl/certs/ca-certificates.crt 210K",
            "usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt 2K",
            f"{lib}/libnghttp2.so.14 170K 755",
            f"{lib}/libssh2.so.1 280K 755",
            f"{lib}/libldap_r-2.4.so.2 330K 755",
            f"{lib}/libkrb5.so.3 900K 755",
            f"{lib}/libssl.so.1.1 600K 755",
            f"{lib}/libcrypto.so.1.1 3000K 755",
            f"usr/bin/openssl 740K 755 {GLIBC}",
            f"{lib}/libpsl.so.5 70K 755",
            "etc/services 19K",
            "usr/share/doc/curl/copyright 2K",
            f"@rest {lib} 70",
            "@rest usr/share 30",
        ]
    )


def buildpack_gnupg_files() -> str:
    lib = "usr/lib/x86_64-linux-gnu"
    return "\n".join(
        [
            f"usr/bin/gpg 1100K 755 {GLIBC}",
            f"usr/bin/dirmngr 600K 755 {GLIBC}",
            f"usr/bin/gpg-agent 400K 755 {GLIBC}",
            f"{lib}/libgcrypt.so.20 1100K 755",
            f"{lib}/libksba.so.8 250K 755",
            f"{lib}/libnpth.so.0 20K 755",
            f"{lib}/libsqlite3.so.0 1300K 755",
            f"{lib}/libreadline.so.8 320K 755",
            "usr/share/gnupg/help.txt 2K",
            "usr/share/doc/gnupg/NEWS.gz 100K",
            f"@rest {lib} 70",
            "@rest usr/share 30",
        ]
    )


def buildpack_scm_files() -> str:
    lib = "usr/lib/x86_64-linux-gnu"
    return "\n".join(
        [
            f"usr/bin/git 3000K 755 {GLIBC}",
            "usr/lib/git-core/git-remote-http 1600K 755",
            "usr/share/git-core/templates/description 0.1K",
            "usr/bin/hg 1K 755",
            "usr/lib/python3/dist-packages/mercurial/__init__.py 9000K",
            f"usr/bin/python3.7 4900K 755 {GLIBC}",
            "usr/lib/python3.7/os.py 24000K about=파이썬 표준 라이브러리",
            f"usr/bin/svn 300K 755 {GLIBC}",
            f"{lib}/libsvn_client-1.so.1 600K 755",
            f"usr/bin/ssh 800K 755 {GLIBC}",
            f"usr/bin/ps 140K 755 {GLIBC}",
            "usr/share/perl/5.28/Git.pm 60K",
            "usr/share/perl/5.28/unicore/Name.pl 12000K",
            f"{lib}/libperl.so.5.28 3400K 755",
            "usr/share/doc/git/RelNotes/2.20.1.txt 10K",
            f"{lib}/libapr-1.so.0 250K 755",
            f"{lib}/libserf-1.so.1 150K 755",
            "usr/share/locale/ko/LC_MESSAGES/git.mo 300K",
            f"@rest {lib} 30",
            "@rest usr/lib/python3 25",
            "@rest usr/share/perl 20",
            "@rest usr/lib/git-core 15",
            "@rest usr/share 10",
        ]
    )


def buildpack_full_files(gcc: str, perl: str, icu: str) -> str:
    lib = "usr/lib/x86_64-linux-gnu"
    lines = [
        f"usr/lib/gcc/x86_64-linux-gnu/{gcc}/cc1 25000K 755 {GLIBC} about=C 컴파일러 본체",
        f"usr/lib/gcc/x86_64-linux-gnu/{gcc}/cc1plus 27000K 755 {GLIBC} about=C++ 컴파일러 본체",
        f"usr/lib/gcc/x86_64-linux-gnu/{gcc}/lto1 24000K 755 {GLIBC}",
        f"usr/bin/gcc-{gcc} 1100K 755 {GLIBC}",
        f"usr/bin/gcc -> gcc-{gcc}",
        f"usr/bin/g++-{gcc} 1100K 755 {GLIBC}",
        f"usr/bin/g++ -> g++-{gcc}",
        f"usr/bin/make 230K 755 {GLIBC}",
        f"usr/bin/ld.bfd 1800K 755 {GLIBC}",
        "usr/bin/autoconf 15K 755",
        "usr/bin/automake 250K 755",
        f"{lib}/libicudata.so.{icu} 28000K about=ICU 유니코드 데이터",
        f"{lib}/libicuuc.so.{icu} 2000K 755",
        f"{lib}/libicui18n.so.{icu} 3000K 755",
        f"{lib}/libMagickCore-6.Q16.so.6 3500K 755 about=ImageMagick (libmagickwand-dev가 끌고 옴)",
        f"{lib}/libMagickWand-6.Q16.so.6 1300K 755",
        f"{lib}/libmariadb.so.3 400K 755",
        f"{lib}/libpq.so.5 320K 755",
        f"{lib}/libsqlite3.so.0 1300K 755",
        f"{lib}/libxml2.so.2 2000K 755",
        f"{lib}/libxslt.so.1 250K 755",
        f"{lib}/libyaml-0.so.2 140K 755",
        f"{lib}/libssl.so 600K 755",
        f"{lib}/libcrypto.a 5800K",
        f"{lib}/libc.a 5500K",
        f"{lib}/libstdc++.so.6 2000K 755",
        f"{lib}/libX11.so.6 1300K 755",
        f"{lib}/libglib-2.0.so.0 1200K 755",
        f"{lib}/libgio-2.0.so.0 1800K 755",
        f"{lib}/libdb-5.3.so 1700K 755",
        f"{lib}/libgmp.so.10 520K 755",
        f"{lib}/libmpfr.so.6 500K 755",
        f"{lib}/libisl.so.19 1700K 755",
        f"{lib}/libasan.so.5 1400K 755",
        f"{lib}/libtsan.so.0 1700K 755",
        "usr/include/stdio.h 30K",
        "usr/include/c++/" + gcc + "/iostream 3K",
        "usr/include/x86_64-linux-gnu/bits/types.h 8K",
        "usr/include/openssl/ssl.h 100K",
        "usr/include/libxml2/libxml/tree.h 40K",
        "usr/include/mysql/mysql.h 30K",
        "usr/include/postgresql/libpq-fe.h 25K",
        "usr/include/ImageMagick-6/magick/api.h 5K",
        "usr/include/glib-2.0/glib.h 3K",
        "usr/include/X11/Xlib.h 100K",
        f"usr/share/perl/{perl}/unicore/Name.pl 1500K",
        f"usr/lib/x86_64-linux-gnu/perl/{perl}/POSIX.pm 20K",
        "usr/share/doc/gcc/copyright 20K",
        "usr/share/fonts/truetype/dejavu/DejaVuSans.ttf 750K",
        "usr/share/icons/hicolor/index.theme 50K",
        "usr/share/mime/packages/freedesktop.org.xml 2500K",
        "usr/share/X11/locale/locale.alias 4000K",
        "usr/share/zoneinfo/Asia/Seoul 0.4K",
        f"usr/bin/bzip2 40K 755 {GLIBC}",
        f"usr/bin/xz 80K 755 {GLIBC}",
        f"usr/bin/patch 200K 755 {GLIBC}",
        f"usr/bin/file 30K 755 {GLIBC}",
        f"{lib}/libmagic.so.1 150K 755",
        "usr/lib/file/magic.mgc 5800K",
        f"usr/bin/pkg-config 60K 755 {GLIBC}",
        f"@rest {lib} 45",
        "@rest usr/include 15",
        "@rest usr/share 25",
        f"@rest usr/lib/gcc/x86_64-linux-gnu/{gcc} 10",
        "@rest usr/bin 5",
    ]
    return "\n".join(lines)
