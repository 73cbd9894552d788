"""The modeled base images: their layers, files and configs made from the specs in ``data``,
and the lookup by name (``get``, ``info`` …). What is real and what is modeled: see the package."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeAlias

from .. import modelfile
from ..entries import Dir, Entry, File, Hardlink, Symlink
from ..errors import ImageLibError
from ..image import ConfigChanges, Image
from ..imageindex import ImageIndex
from ..layer import Layer
from ..oci import DEFAULT_PLATFORM, Platform, compatible_platforms
from ..reference import parse_reference
from . import data, node14, node22
from .arches import ARCHES, Arch

if TYPE_CHECKING:
    from typing_extensions import Unpack

MB = 1_000_000
BUILDKIT = "buildkit.dockerfile.v0"


class CatalogError(ImageLibError):
    """카탈로그에 그런 이미지가 없거나, 이미지 이름의 형식이 잘못되었습니다."""


@dataclass(frozen=True)
class LayerSpec:
    created_by: str
    size_mb: float
    packed_mb: float
    files: str = ""
    texts: Mapping = field(default_factory=dict)
    comment: str = ""


@dataclass(frozen=True)
class ConfigSpec:
    created_by: str
    changes: ConfigChanges
    comment: str = ""


@dataclass(frozen=True)
class CatalogEntry:
    """카탈로그 이미지 하나의 설명. ``sources`` 는 그 사실(레이어, 패키지, 크기)을 가져온 곳입니다."""

    name: str
    aliases: "tuple[str, ...]"
    version: str
    base: "str | None"
    os: str
    libc: str
    published_size: int
    published_download: int
    summary: str
    steps: tuple = ()
    sources: "tuple[str, ...]" = ()

    @property
    def names(self) -> "tuple[str, ...]":
        return (self.name,) + self.aliases


def _layer(created_by, size_mb, packed_mb, files="", texts=None, comment=""):
    return LayerSpec(created_by, size_mb, packed_mb, files, dict(texts or {}), comment)


def _config(created_by: str, comment: str = "", **changes: "Unpack[ConfigChanges]") -> ConfigSpec:
    return ConfigSpec(created_by, changes, comment)


def _nop(text: str) -> str:
    return f"/bin/sh -c #(nop)  {text}"


def _run(text: str) -> str:
    return f"RUN /bin/sh -c {text} # buildkit"


# -- the images ----------------------------------------------------------------------------


def _alpine(version: str, size: float, packed: float, libapk: str, apk: str) -> tuple:
    return (
        _layer(
            "/bin/sh -c #(nop) ADD file:{diff} in / ",
            size,
            packed,
            data.alpine_files(libapk),
            data.alpine_texts(version, apk),
        ),
        _config(_nop('CMD ["/bin/sh"]'), env={"PATH": data.PATH}, cmd=["/bin/sh"]),
    )


def _debian(
    version: str, codename: str, size: float, packed: float, *, slim: bool, merged: bool, libc: str, apt_lib: str
) -> tuple:
    files = data.debian_files(merged=merged, libc=libc, slim=slim, apt_lib=apt_lib)
    texts = data.debian_texts(version, codename, merged=merged)
    if merged:
        files += "\netc/os-release -> ../usr/lib/os-release"
    return (
        _layer("/bin/sh -c #(nop) ADD file:{diff} in / ", size, packed, files, texts),
        _config(_nop('CMD ["bash"]'), env={"PATH": data.PATH}, cmd=["bash"]),
    )


def _node_steps(alpine: bool) -> tuple:
    node_user = (
        "node:x:1000:1000:Linux User,,,:/home/node:/bin/sh\n" if alpine else "node:x:1000:1000::/home/node:/bin/bash\n"
    )
    passwd = (data.ALPINE_PASSWD if alpine else data.DEBIAN_PASSWD) + node_user
    group = (data.ALPINE_GROUP if alpine else data.DEBIAN_GROUP) + "node:x:1000:\n"
    entry = {"usr/local/bin/docker-entrypoint.sh": (data.NODE_ENTRYPOINT, 0o755)}
    texts = dict(data.NODE_TEXTS, **{"etc/passwd": passwd, "etc/group": group})
    steps: "tuple[LayerSpec | ConfigSpec, ...]"
    if alpine:
        install = _layer(
            "/bin/sh -c addgroup -g 1000 node && adduser -u 1000 -G node -s /bin/sh -D node"
            " && apk add --no-cache libstdc++ && apk add --no-cache --virtual .build-deps "
            'curl && curl -fsSLO --compressed "https://unofficial-builds.nodejs.org/download/'
            'release/v$NODE_VERSION/node-v$NODE_VERSION-linux-x64-musl.tar.xz" && tar -xJf '
            '"node-v$NODE_VERSION-linux-x64-musl.tar.xz" -C /usr/local --strip-components=1'
            " --no-same-owner && apk del .build-deps && node --version && npm --version",
            101.9,
            33.2,
            data.node_files("musl") + "\nhome/node/ 755 1000:1000\n"
            f"usr/lib/libstdc++.so.6.0.30 2400K 755 {data.MUSL}\n"
            f"usr/lib/libgcc_s.so.1 100K 755 {data.MUSL}",
            texts,
        )
        steps = (_config(_nop("ENV NODE_VERSION=14.21.3"), env={"NODE_VERSION": "14.21.3"}), install)
    else:
        user = _layer(
            "/bin/sh -c groupadd --gid 1000 node   && useradd --uid 1000 --gid node --shell "
            "/bin/bash --create-home node",
            0.0041,
            0.0017,
            "home/node/ 755 1000:1000",
            {"etc/passwd": passwd, "etc/group": group},
        )
        install = _layer(
            '/bin/sh -c ARCH= && dpkgArch="$(dpkg --print-architecture)" && case '
            "\"${dpkgArch##*-}\" in amd64) ARCH='x64';; esac && curl -fsSLO --compressed "
            '"https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz"'
            ' && tar -xJf "node-v$NODE_VERSION-linux-$ARCH.tar.xz" -C /usr/local '
            "--strip-components=1 --no-same-owner && ln -s /usr/local/bin/node "
            "/usr/local/bin/nodejs && node --version && npm --version",
            80.9,
            33.4,
            data.node_files("glibc"),
            data.NODE_TEXTS,
        )
        steps = (user, _config(_nop("ENV NODE_VERSION=14.21.3"), env={"NODE_VERSION": "14.21.3"}), install)
    yarn = _layer(
        "/bin/sh -c set -ex && for key in 6A010C5166006599AA17F08146C2130DFD2497F5 ; do gpg "
        '--batch --keyserver hkps://keys.openpgp.org --recv-keys "$key" ; done && curl '
        '-fsSLO --compressed "https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION'
        '.tar.gz" && mkdir -p /opt && tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/ && ln -s '
        "/opt/yarn-v$YARN_VERSION/bin/yarn /usr/local/bin/yarn && yarn --version",
        7.8 if alpine else 7.6,
        2.3,
        data.YARN_FILES,
    )
    return steps + (
        _config(_nop("ENV YARN_VERSION=1.22.19"), env={"YARN_VERSION": "1.22.19"}),
        yarn,
        _layer("/bin/sh -c #(nop) COPY file:{diff} in /usr/local/bin/ ", 0, 0, "", entry),
        _config(_nop('ENTRYPOINT ["docker-entrypoint.sh"]'), entrypoint=["docker-entrypoint.sh"]),
        _config(_nop('CMD ["node"]'), cmd=["node"]),
    )


def _nginx_steps(alpine: bool) -> tuple:
    maintainer = "NGINX Docker Maintainers <docker-maint@nginx.com>"
    if alpine:
        user = ("nginx:x:101:101:nginx:/var/cache/nginx:/sbin/nologin\n", "nginx:x:101:nginx\n")
        texts = data.nginx_texts(data.ALPINE_PASSWD, data.ALPINE_GROUP, *user)
        install = _layer(
            _run(
                "set -x && addgroup -g 101 -S nginx && adduser -S -D -H -u 101 -h "
                "/var/cache/nginx -s /sbin/nologin -G nginx -g nginx nginx && apk add "
                "--no-cache --virtual .nginx-rundeps nginx=${NGINX_VERSION}-r${PKG_RELEASE} "
                "tzdata curl ca-certificates && ln -sf /dev/stdout /var/log/nginx/access.log "
                "&& ln -sf /dev/stderr /var/log/nginx/error.log && mkdir /docker-entrypoint.d"
            ),
            4.15,
            1.85,
            data.nginx_files("musl"),
            texts,
            BUILDKIT,
        )
        env = {"NGINX_VERSION": "1.25.3", "PKG_RELEASE": "1"}
    else:
        user = ("nginx:x:101:101:nginx user:/nonexistent:/bin/false\n", "nginx:x:101:\n")
        texts = data.nginx_texts(data.DEBIAN_PASSWD, data.DEBIAN_GROUP, *user)
        install = _layer(
            _run(
                "set -x && groupadd --system --gid 101 nginx && useradd --system --gid nginx "
                '--no-create-home --home /nonexistent --comment "nginx user" --shell '
                "/bin/false --uid 101 nginx && apt-get update && apt-get install "
                "--no-install-recommends --no-install-suggests -y gnupg1 ca-certificates && "
                "apt-get install --no-install-recommends --no-install-suggests -y "
                "$nginxPackages gettext-base curl && apt-get remove --purge --auto-remove -y "
                "&& rm -rf /var/lib/apt/lists/* /etc/apt/sources.list.d/nginx.list && ln -sf "
                "/dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr "
                "/var/log/nginx/error.log && mkdir /docker-entrypoint.d"
            ),
            112.0,
            41.4,
            data.nginx_files("glibc") + "\n" + data.nginx_module_files("glibc"),
            texts,
            BUILDKIT,
        )
        env = {"NGINX_VERSION": "1.25.3", "NJS_VERSION": "0.8.2", "PKG_RELEASE": "1~bookworm"}
    steps = [_config(f"LABEL maintainer={maintainer}", BUILDKIT, labels={"maintainer": maintainer})]
    steps += [_config(f"ENV {k}={v}", BUILDKIT, env={k: v}) for k, v in env.items()]
    steps.append(install)
    for path, text in data.NGINX_SCRIPTS.items():
        folder = "/" if path.count("/") == 0 else "/docker-entrypoint.d"
        steps.append(
            _layer(f"COPY {path.split('/')[-1]} {folder} # buildkit", 0, 0, "", {path: (text, 0o755)}, BUILDKIT)
        )
    steps += [
        _config('ENTRYPOINT ["/docker-entrypoint.sh"]', BUILDKIT, entrypoint=["/docker-entrypoint.sh"]),
        _config("EXPOSE map[80/tcp:{}]", BUILDKIT, exposed_ports=["80/tcp"]),
        _config("STOPSIGNAL SIGQUIT", BUILDKIT, stop_signal="SIGQUIT"),
        _config('CMD ["nginx" "-g" "daemon off;"]', BUILDKIT, cmd=["nginx", "-g", "daemon off;"]),
    ]
    return tuple(steps)


def _nginx_modules() -> tuple:
    return (
        _config("ENV NJS_VERSION=0.8.2", BUILDKIT, env={"NJS_VERSION": "0.8.2"}),
        _layer(
            _run(
                'set -x && apkArch="$(cat /etc/apk/arch)" && nginxPackages=" '
                "nginx=${NGINX_VERSION}"
                "-r${PKG_RELEASE} nginx-module-xslt=${NGINX_VERSION}-r${PKG_RELEASE} "
                "nginx-module-geoip=${NGINX_VERSION}-r${PKG_RELEASE} nginx-module-image-filter="
                "${NGINX_VERSION}-r${PKG_RELEASE} nginx-module-njs=${NGINX_VERSION}.${NJS_VERSION}"
                '-r${PKG_RELEASE} " && apk add --no-cache --virtual .checksum-deps openssl && '
                'apk add -X "https://nginx.org/packages/mainline/alpine/v$(egrep -o '
                "'^[0-9]+\\.[0-9]+'"
                ' /etc/alpine-release)/main" --no-cache $nginxPackages && apk add --no-cache '
                "curl ca-certificates"
            ),
            31.1,
            11.9,
            data.nginx_module_files("musl"),
            comment=BUILDKIT,
        ),
    )


def _python_steps(flavor: str) -> tuple:
    env_path = "/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    steps = [
        _config(f"ENV PATH={env_path}", BUILDKIT, env={"PATH": env_path}),
        _config("ENV LANG=C.UTF-8", BUILDKIT, env={"LANG": "C.UTF-8"}),
    ]
    libc = "musl" if flavor == "alpine" else "glibc"
    if flavor == "full":
        steps.append(
            _layer(
                _run(
                    "set -eux; apt-get update; apt-get install -y --no-install-recommends "
                    "libbluetooth-dev tk-dev uuid-dev ; rm -rf /var/lib/apt/lists/*"
                ),
                18.0,
                6.2,
                "usr/include/tk.h 80K\nusr/lib/x86_64-linux-gnu/libtk8.6.so 1500K 755\n"
                "usr/lib/x86_64-linux-gnu/libtcl8.6.so 1800K 755\nusr/include/uuid/uuid.h 4K\n"
                "usr/lib/x86_64-linux-gnu/libX11.a 2500K\nusr/include/bluetooth/bluetooth.h 10K\n"
                "usr/share/tcltk/tcl8.6/init.tcl 1600K\n@rest usr/lib/x86_64-linux-gnu 60\n"
                "@rest usr/include 40",
                comment=BUILDKIT,
            )
        )
    elif flavor == "slim":
        steps.append(
            _layer(
                _run(
                    "set -eux; apt-get update; apt-get install -y --no-install-recommends "
                    "ca-certificates netbase tzdata ; rm -rf /var/lib/apt/lists/*"
                ),
                7.4,
                1.4,
                "etc/ssl/certs/ca-certificates.crt 210K\nusr/bin/openssl 1000K 755\n"
                "usr/lib/x86_64-linux-gnu/libssl.so.3 700K 755\n"
                "usr/lib/x86_64-linux-gnu/libcrypto.so.3 4700K 755\n"
                "usr/share/zoneinfo/Asia/Seoul 0.4K\nusr/share/zoneinfo/Europe/Berlin 2K\n"
                "etc/services 12K\n@rest usr/share 1",
                comment=BUILDKIT,
            )
        )
    else:
        steps.append(
            _layer(
                _run("set -eux; apk add --no-cache ca-certificates tzdata ;"),
                1.6,
                0.45,
                "usr/share/zoneinfo/Asia/Seoul 0.4K\nusr/share/zoneinfo/Europe/Berlin 2K\n"
                "usr/share/zoneinfo/zone1970.tab 18K\nusr/share/zoneinfo/America/New_York 3K\n"
                "@rest usr/share/zoneinfo 1",
                comment=BUILDKIT,
            )
        )
    steps += [
        _config(
            "ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305",
            BUILDKIT,
            env={"GPG_KEY": "7169605F62C751356D054A26A821E680E5FA6305"},
        ),
        _config("ENV PYTHON_VERSION=3.12.1", BUILDKIT, env={"PYTHON_VERSION": "3.12.1"}),
    ]
    size, packed = {"full": (71.2, 23.5), "slim": (47.7, 14.1), "alpine": (42.5, 13.6)}[flavor]
    steps.append(
        _layer(
            _run(
                'set -eux; wget -O python.tar.xz "https://www.python.org/ftp/python/'
                '${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz"; ./configure '
                '--enable-optimizations --enable-shared; make -j "$nproc"; make install; '
                "python3 --version"
            ),
            size,
            packed,
            data.python_files(libc, slim=flavor != "full"),
            comment=BUILDKIT,
        )
    )
    steps.append(
        _layer(
            _run(
                'set -eux; for src in idle3 pydoc3 python3 python3-config; do dst="$(echo '
                '"$src" | tr -d 3)"; [ -s "/usr/local/bin/$src" ]; [ ! -e '
                '"/usr/local/bin/$dst" ]; ln -svT "$src" "/usr/local/bin/$dst"; done'
            ),
            0,
            0,
            data.PYTHON_SYMLINKS,
            comment=BUILDKIT,
        )
    )
    steps.append(_config('CMD ["python3"]', BUILDKIT, cmd=["python3"]))
    return tuple(steps)


def _buildpack_steps(
    codename: str,
    curl: "tuple[float, float]",
    gnupg: "tuple[float, float] | None",
    scm: "tuple[float, float]",
    full: "tuple[float, float]",
    gcc: str,
    perl: str,
    icu: str,
) -> tuple:
    def run(text: str) -> str:
        return "/bin/sh -c " + text

    steps = [
        _layer(
            run(
                "set -eux; apt-get update; apt-get install -y --no-install-recommends "
                "ca-certificates curl netbase wget ; rm -rf /var/lib/apt/lists/*"
            ),
            *curl,
            data.buildpack_curl_files(),
        )
    ]
    if gnupg:
        steps.append(
            _layer(
                run(
                    "set -ex; if ! command -v gpg > /dev/null; then apt-get update; apt-get "
                    "install -y --no-install-recommends gnupg dirmngr ; rm -rf "
                    "/var/lib/apt/lists/*; fi"
                ),
                *gnupg,
                data.buildpack_gnupg_files(),
            )
        )
    steps.append(
        _layer(
            run(
                "apt-get update && apt-get install -y --no-install-recommends git mercurial "
                "openssh-client subversion procps && rm -rf /var/lib/apt/lists/*"
            ),
            *scm,
            data.buildpack_scm_files(),
        )
    )
    steps.append(
        _layer(
            run(
                "set -ex; apt-get update; apt-get install -y --no-install-recommends "
                "autoconf automake bzip2 dpkg-dev file g++ gcc imagemagick libbz2-dev libc6-dev "
                "libcurl4-openssl-dev libdb-dev libevent-dev libffi-dev libgdbm-dev "
                "libglib2.0-dev "
                "libgmp-dev libjpeg-dev libkrb5-dev liblzma-dev libmagickcore-dev "
                "libmagickwand-dev libmaxminddb-dev libncurses5-dev libncursesw5-dev libpng-dev "
                "libpq-dev libreadline-dev libsqlite3-dev libssl-dev libtool libwebp-dev "
                "libxml2-dev libxslt-dev libyaml-dev make patch unzip xz-utils zlib1g-dev ; rm "
                "-rf /var/lib/apt/lists/*"
            ),
            *full,
            data.buildpack_full_files(gcc, perl, icu),
        )
    )
    return tuple(steps)


def _entry(name, aliases, version, base, os, libc, size_mb, download_mb, summary, steps, sources=()):
    return CatalogEntry(
        name,
        tuple(aliases),
        version,
        base,
        os,
        libc,
        round(size_mb * MB),
        round(download_mb * MB),
        summary,
        tuple(steps),
        tuple(sources),
    )


def _with_texts(step: LayerSpec, texts: Mapping) -> LayerSpec:
    return replace(step, texts=dict(step.texts, **texts))


def _dpkg_database(*layers: "list[tuple[str, str, str, str]]") -> dict:
    return {"var/lib/dpkg/status": node22.dpkg_status(node14.installed(*layers))}


def _debian_buster() -> tuple:
    """debian:buster 10.13 with its real dpkg records (data and sources: node14.py)."""
    root, config = _debian(
        "10.13", "buster", 114.0, 50.4, slim=False, merged=False, libc="2.28", apt_lib="libapt-pkg.so.5.0.2"
    )
    return (_with_texts(root, _dpkg_database(node14.DEBIAN_10_13)), config)


def _buildpack_buster_steps() -> tuple:
    """buildpack-deps:buster's four layers (curl, gnupg, scm, full), each rewriting dpkg's status."""
    steps = _buildpack_steps("buster", (17.6, 7.86), (17.5, 7.2), (146.0, 51.9), (529.0, 191.9), "8", "5.28", "63")
    return tuple(_with_texts(spec, _dpkg_database(*node14.LAYERS[: index + 2])) for index, spec in enumerate(steps))


_ENTRIES = [
    _entry(
        "alpine:3.17",
        ["alpine:3.17.7"],
        "3.17.7",
        None,
        "Alpine Linux 3.17",
        "musl",
        7.05,
        3.37,
        "작은 배포판: musl libc + BusyBox + apk",
        _alpine("3.17.7", 7.05, 3.37, "libapk.so.2.12.0", "2.12.14-r0"),
    ),
    _entry(
        "alpine:3.18",
        ["alpine:3.18.5"],
        "3.18.5",
        None,
        "Alpine Linux 3.18",
        "musl",
        7.33,
        3.40,
        "작은 배포판: musl libc + BusyBox + apk",
        _alpine("3.18.5", 7.33, 3.40, "libapk.so.2.14.0", "2.14.0-r2"),
    ),
    _entry(
        "alpine:3.19",
        ["alpine", "alpine:latest", "alpine:3.19.0"],
        "3.19.0",
        None,
        "Alpine Linux 3.19",
        "musl",
        7.38,
        3.41,
        "작은 배포판: musl libc + BusyBox + apk",
        _alpine("3.19.0", 7.38, 3.41, "libapk.so.2.14.0", "2.14.0-r5"),
    ),
    _entry(
        "busybox:1.36",
        ["busybox", "busybox:latest", "busybox:1.36.1"],
        "1.36.1 (glibc)",
        None,
        "BusyBox",
        "glibc",
        4.26,
        2.15,
        "명령 수백 개를 담은 실행 파일 하나와 최소한의 라이브러리",
        (
            _layer("/bin/sh -c #(nop) ADD file:{diff} in / ", 4.26, 2.15, data.BUSYBOX_FILES, data.BUSYBOX_TEXTS),
            _config(_nop('CMD ["sh"]'), env={"PATH": data.PATH}, cmd=["sh"]),
        ),
    ),
    _entry(
        "debian:buster",
        ["debian:10", "debian:buster-20231218"],
        "10.13",
        None,
        "Debian 10 (buster)",
        "glibc",
        114.0,
        50.4,
        "Debian 10 전체(문서·매뉴얼 포함)",
        _debian_buster(),
        (node14.SOURCES_DEBIAN,),
    ),
    _entry(
        "debian:bookworm",
        ["debian", "debian:latest", "debian:12"],
        "12.4",
        None,
        "Debian 12 (bookworm)",
        "glibc",
        117.0,
        49.6,
        "Debian 12 전체(문서·매뉴얼 포함)",
        _debian("12.4", "bookworm", 117.0, 49.6, slim=False, merged=True, libc="2.36", apt_lib="libapt-pkg.so.6.0.0"),
    ),
    _entry(
        "debian:bookworm-slim",
        ["debian:12-slim"],
        "12.4",
        None,
        "Debian 12 (bookworm) slim",
        "glibc",
        74.8,
        29.1,
        "Debian 12에서 문서·매뉴얼·번역을 뺀 slim",
        _debian("12.4", "bookworm", 74.8, 29.1, slim=True, merged=True, libc="2.36", apt_lib="libapt-pkg.so.6.0.0"),
    ),
    _entry(
        "ubuntu:20.04",
        ["ubuntu:focal"],
        "20.04.6",
        None,
        "Ubuntu 20.04 LTS",
        "glibc",
        72.8,
        27.5,
        "Ubuntu 20.04 LTS 최소 설치",
        (
            _config("ARG RELEASE", BUILDKIT),
            _config("ARG LAUNCHPAD_BUILD_ARCH", BUILDKIT),
            _config(
                "LABEL org.opencontainers.image.ref.name=ubuntu",
                BUILDKIT,
                labels={"org.opencontainers.image.ref.name": "ubuntu"},
            ),
            _config(
                "LABEL org.opencontainers.image.version=20.04",
                BUILDKIT,
                labels={"org.opencontainers.image.version": "20.04"},
            ),
            _layer(
                "ADD file:{diff} in / ",
                72.8,
                27.5,
                data.debian_files(merged=True, libc="2.31", slim=True, apt_lib="libapt-pkg.so.6.0.0").replace(
                    "libc.so.6", "libc-2.31.so"
                ),
                data.UBUNTU_TEXTS,
                BUILDKIT,
            ),
            _config('CMD ["/bin/bash"]', BUILDKIT, env={"PATH": data.PATH}, cmd=["/bin/bash"]),
        ),
    ),
    _entry(
        "node:14",
        ["node:14.21.3", "node:14-buster", "node:14.21.3-buster", "node:fermium"],
        "14.21.3",
        "debian:buster",
        "Debian 10 (buster)",
        "glibc",
        912.6,
        345.0,
        "Node.js 14 + buildpack-deps(컴파일러·헤더·git 등 빌드 도구 전부)",
        _buildpack_buster_steps() + _node_steps(alpine=False),
        (node14.SOURCES_DEBIAN, node14.SOURCES_BUILDPACK),
    ),
    _entry(
        "node:14-alpine",
        ["node:14.21.3-alpine", "node:14-alpine3.17", "node:fermium-alpine"],
        "14.21.3",
        "alpine:3.17",
        "Alpine Linux 3.17",
        "musl",
        116.8,
        38.9,
        "Node.js 14 (musl 빌드) + Alpine",
        _node_steps(alpine=True),
    ),
    _entry(
        "nginx:1.25-alpine-slim",
        ["nginx:alpine-slim", "nginx:1.25.3-alpine-slim"],
        "1.25.3",
        "alpine:3.18",
        "Alpine Linux 3.18",
        "musl",
        11.5,
        5.25,
        "nginx 본체만 담은 alpine-slim",
        _nginx_steps(alpine=True),
    ),
    _entry(
        "nginx:1.25-alpine",
        ["nginx:alpine", "nginx:1.25.3-alpine", "nginx:mainline-alpine"],
        "1.25.3",
        "nginx:1.25-alpine-slim",
        "Alpine Linux 3.18",
        "musl",
        42.6,
        17.15,
        "nginx + 모듈(njs, xslt, geoip, image-filter) + Alpine",
        _nginx_modules(),
    ),
    _entry(
        "nginx:1.25",
        ["nginx", "nginx:latest", "nginx:1.25.3", "nginx:mainline", "nginx:1.25.3-bookworm"],
        "1.25.3",
        "debian:bookworm-slim",
        "Debian 12 (bookworm) slim",
        "glibc",
        186.8,
        70.5,
        "nginx + 모듈 + Debian slim",
        _nginx_steps(alpine=False),
    ),
    _entry(
        "python:3.12",
        ["python:3.12.1", "python:3.12-bookworm", "python:3"],
        "3.12.1",
        "debian:bookworm",
        "Debian 12 (bookworm)",
        "glibc",
        1017.6,
        378.4,
        "Python 3.12 + buildpack-deps(컴파일러·헤더·git 등 빌드 도구 전부)",
        _buildpack_steps("bookworm", (48.4, 24.0), None, (176.0, 64.1), (587.0, 211.0), "12", "5.36", "72")
        + _python_steps("full"),
    ),
    _entry(
        "python:3.12-slim",
        ["python:3.12.1-slim", "python:3.12-slim-bookworm", "python:3-slim"],
        "3.12.1",
        "debian:bookworm-slim",
        "Debian 12 (bookworm) slim",
        "glibc",
        129.9,
        44.6,
        "Python 3.12 + Debian slim(빌드 도구 없음)",
        _python_steps("slim"),
    ),
    _entry(
        "python:3.12-alpine",
        ["python:3.12.1-alpine", "python:3.12-alpine3.19", "python:3-alpine"],
        "3.12.1",
        "alpine:3.19",
        "Alpine Linux 3.19",
        "musl",
        51.5,
        17.46,
        "Python 3.12 (musl 빌드) + Alpine",
        _python_steps("alpine"),
    ),
]

# -- Node.js 22 and its bases (data and sources: node22.py) --------------------------------

_NODE22_ENV = {"NODE_VERSION": node22.NODE_VERSION}
_YARN22_ENV = {"YARN_VERSION": node22.YARN_VERSION}


def _debian_12_9(size: float, packed: float, *, slim: bool) -> tuple:
    root, config = _debian(
        "12.9", "bookworm", size, packed, slim=slim, merged=True, libc="2.36", apt_lib="libapt-pkg.so.6.0.0"
    )
    return (_with_texts(root, {"var/lib/dpkg/status": node22.dpkg_status(node22.DEBIAN_12_9)}), config)


def _alpine_3_21() -> tuple:
    root, config = _alpine("3.21.3", 7.8, 3.6, "libapk.so.2.14.0", "2.14.6-r3")
    world = "alpine-baselayout\nalpine-keys\nalpine-release\napk-tools\nbusybox\nca-certificates-bundle\n"
    texts = {"lib/apk/db/installed": node22.apk_installed(node22.ALPINE_3_21), "etc/apk/world": world}
    return (_with_texts(root, texts), config)


def _buildpack_bookworm_steps() -> tuple:
    """buildpack-deps:bookworm's three layers (sizes as python:3.12's), each rewriting dpkg's status."""
    sizes = ((48.4, 24.0), (176.0, 64.1), (587.0, 211.0))
    installed = [node22.DEBIAN_12_9]
    steps = []
    for spec, added, (size, packed) in zip(
        _buildpack_steps("bookworm", sizes[0], None, sizes[1], sizes[2], "12", "5.36", "72"),
        (node22.BUILDPACK_CURL, node22.BUILDPACK_SCM, node22.BUILDPACK_FULL),
        sizes,
        strict=True,
    ):
        installed.append(added)
        status = node22.dpkg_status(*installed)
        steps.append(replace(spec, size_mb=size, packed_mb=packed, texts={"var/lib/dpkg/status": status}))
    return tuple(steps)


def _node22_steps(flavor: str, node: "tuple[float, float]", yarn: "tuple[float, float]") -> tuple:
    """node:22's Dockerfile (bookworm, bookworm-slim or alpine3.21) at Node.js 22.13.0."""
    alpine = flavor == "alpine"
    node_user = (
        "node:x:1000:1000:Linux User,,,:/home/node:/bin/sh\n" if alpine else "node:x:1000:1000::/home/node:/bin/bash\n"
    )
    passwd = (data.ALPINE_PASSWD if alpine else data.DEBIAN_PASSWD) + node_user
    group = (data.ALPINE_GROUP if alpine else data.DEBIAN_GROUP) + "node:x:1000:\n"
    users = {"etc/passwd": passwd, "etc/group": group}
    files = node22.node_files("musl" if alpine else "glibc")
    texts = dict(node22.NODE_TEXTS)
    if alpine:
        # apk rewrites its database: libstdc++ (and libgcc) stay, the .build-deps are gone again
        database = {"lib/apk/db/installed": node22.apk_installed(node22.ALPINE_3_21 + node22.ALPINE_NODE_RUNTIME)}
        texts.update(users, **database)
        files += "\nhome/node/ 755 1000:1000"
        steps = [
            _config(f"ENV NODE_VERSION={node22.NODE_VERSION}", BUILDKIT, env=_NODE22_ENV),
            _layer(
                _run(
                    "addgroup -g 1000 node && adduser -u 1000 -G node -s /bin/sh -D node && apk add "
                    "--no-cache libstdc++ && apk add --no-cache --virtual .build-deps curl && ARCH= "
                    'OPENSSL_ARCH=\'linux*\' && alpineArch="$(apk --print-arch)" && case "${alpineArch##*-}" '
                    "in x86_64) ARCH='x64' OPENSSL_ARCH=linux-x86_64;; esac && curl -fsSLO --compressed "
                    '"https://unofficial-builds.nodejs.org/download/release/v$NODE_VERSION/node-v$NODE_VERSION'
                    '-linux-$ARCH-musl.tar.xz" && tar -xJf "node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz" -C '
                    "/usr/local --strip-components=1 --no-same-owner && ln -s /usr/local/bin/node "
                    "/usr/local/bin/nodejs && apk del .build-deps && node --version && npm --version"
                ),
                *node,
                files + f"\nusr/lib/libstdc++.so.6.0.33 2700K 755 {data.MUSL}\nusr/lib/libgcc_s.so.1 170K 755",
                texts,
                BUILDKIT,
            ),
        ]
        yarn_texts: dict = dict(database)
    else:
        # the slim image purges what it installed, so dpkg's status ends as it began
        database = {"var/lib/dpkg/status": node22.dpkg_status(node22.DEBIAN_12_9)} if flavor == "slim" else {}
        texts.update(database)
        steps = [
            _layer(
                _run("groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node"),
                0.0041,
                0.0017,
                "home/node/ 755 1000:1000",
                users,
                BUILDKIT,
            ),
            _config(f"ENV NODE_VERSION={node22.NODE_VERSION}", BUILDKIT, env=_NODE22_ENV),
            _layer(
                _run(
                    'ARCH= && dpkgArch="$(dpkg --print-architecture)" && case "${dpkgArch##*-}" in '
                    "amd64) ARCH='x64';; esac && "
                    + (
                        "apt-get update && apt-get install -y ca-certificates curl wget gnupg dirmngr xz-utils "
                        "libatomic1 --no-install-recommends && rm -rf /var/lib/apt/lists/* && "
                        if flavor == "slim"
                        else ""
                    )
                    + 'curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-'
                    '$ARCH.tar.xz" && tar -xJf "node-v$NODE_VERSION-linux-$ARCH.tar.xz" -C /usr/local '
                    "--strip-components=1 --no-same-owner && "
                    + (
                        "apt-mark auto '.*' > /dev/null && apt-get purge -y --auto-remove && "
                        if flavor == "slim"
                        else ""
                    )
                    + "ln -s /usr/local/bin/node /usr/local/bin/nodejs && node --version && npm --version"
                ),
                *node,
                files,
                texts,
                BUILDKIT,
            ),
        ]
        yarn_texts = dict(database)
    yarn_files = node22.YARN_FILES
    return tuple(steps) + (
        _config(f"ENV YARN_VERSION={node22.YARN_VERSION}", BUILDKIT, env=_YARN22_ENV),
        _layer(
            _run(
                'set -ex && export GNUPGHOME="$(mktemp -d)" && curl -fsSLO --compressed '
                '"https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz" && mkdir -p /opt && '
                "tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/ && ln -s /opt/yarn-v$YARN_VERSION/bin/yarn "
                "/usr/local/bin/yarn && ln -s /opt/yarn-v$YARN_VERSION/bin/yarnpkg /usr/local/bin/yarnpkg && "
                "yarn --version && rm -rf /tmp/*"
            ),
            *yarn,
            yarn_files,
            yarn_texts,
            BUILDKIT,
        ),
        _layer(
            "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
            0,
            0,
            "",
            {"usr/local/bin/docker-entrypoint.sh": (node22.NODE_ENTRYPOINT, 0o755)},
            BUILDKIT,
        ),
        _config('ENTRYPOINT ["docker-entrypoint.sh"]', BUILDKIT, entrypoint=["docker-entrypoint.sh"]),
        _config('CMD ["node"]', BUILDKIT, cmd=["node"]),
    )


def _distroless_nodejs22_steps(user: int) -> tuple:
    """gcr.io/distroless/nodejs22-debian12: one layer per tar of base.bzl, cc/BUILD and nodejs/BUILD."""
    ratio = 47.0 / 141.0

    def deb(name, version, arch, source, size_mb, files):
        record = node22.dpkg_stanza(name, version, arch, source, installed=False)
        texts = {f"var/lib/dpkg/status.d/{name}": record}
        return _layer(f"bazel: deb {name} {version}", size_mb, size_mb * ratio, files, texts)

    def tar(what, files="", texts=None, size_mb=0.0):
        return _layer(f"bazel: {what}", size_mb, size_mb * ratio, files, texts)

    lib, usrlib = "lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu"
    static = dict(zip(("base-files", "netbase", "tzdata"), node22.DISTROLESS_STATIC, strict=True))
    base = dict(zip(("libc6", "libssl3"), node22.DISTROLESS_BASE, strict=True))
    cc = dict(zip(("libgomp1", "libstdc++6", "libgcc-s1"), node22.DISTROLESS_CC, strict=True))
    env = {"PATH": data.PATH, "SSL_CERT_FILE": node22.SSL_CERT_FILE}
    home = "/" if user == 0 else "/home/nonroot"
    return (
        deb(*static["base-files"], 0.34, "etc/\nusr/share/common-licenses/GPL-3 35K\netc/debian_version 0.1K"),
        deb(*static["netbase"], 0.04, "etc/services 12K\netc/protocols 3K"),
        deb(
            *static["tzdata"],
            2.57,
            "usr/share/zoneinfo/Asia/Seoul 0.4K\nusr/share/zoneinfo/UTC 0.1K\n@rest usr/share/zoneinfo 1",
        ),
        tar("rootfs"),
        tar("passwd", "", {"etc/passwd": node22.DISTROLESS_PASSWD}),
        tar("home", "root/ 700\nhome/ 755\nhome/nonroot/ 700 65532:65532"),
        tar("group", "", {"etc/group": node22.DISTROLESS_GROUP}),
        tar("tmp", "tmp/ 1777"),
        tar("nsswitch", "", {"etc/nsswitch.conf": node22.DISTROLESS_NSSWITCH}),
        tar("os_release", "", {"etc/os-release": node22.DISTROLESS_OS_RELEASE}),
        tar("cacerts", "etc/ssl/certs/ca-certificates.crt 220K", size_mb=0.22),
        _config("bazel: config (env, user, workdir)", env=env, user=str(user), workdir=home),
        deb(
            *base["libc6"],
            13.0,
            f"{lib}/libc.so.6 1900K 755 about=GNU C 라이브러리(glibc)\n"
            f"{lib}/ld-linux-x86-64.so.2 210K 755 about=glibc 동적 로더\n"
            f"lib64/ld-linux-x86-64.so.2 -> /{lib}/ld-linux-x86-64.so.2\n@rest {lib} 1",
        ),
        deb(*base["libssl3"], 6.04, f"{usrlib}/libssl.so.3 700K 755\n{usrlib}/libcrypto.so.3 4700K 755"),
        deb(*cc["libgomp1"], 0.31, f"{usrlib}/libgomp.so.1.0.0 300K 755"),
        deb(*cc["libstdc++6"], 2.69, f"{usrlib}/libstdc++.so.6.0.30 2400K 755"),
        deb(*cc["libgcc-s1"], 0.14, f"{lib}/libgcc_s.so.1 130K 755"),
        tar(
            f"nodejs22_amd64 (node-v{node22.NODE_VERSION}-linux-x64: bin/node, LICENSE)",
            f"nodejs/bin/node 115500K 755 {data.GLIBC} version={node22.NODE_VERSION} "
            f"about=Node.js {node22.NODE_VERSION} 실행 파일\nnodejs/LICENSE 120K",
            size_mb=115.65,
        ),
        _config("bazel: config (entrypoint)", entrypoint=["/nodejs/bin/node"]),
    )


_NODE22_SOURCES = (node22.SOURCES_DOCKER_NODE, node22.SOURCES_REPO_INFO)
_DISTROLESS_SUMMARY = "Node.js 22 + glibc·libstdc++·OpenSSL만: 셸도 패키지 관리자도 없음"

_ENTRIES += [
    _entry(
        "alpine:3.21",
        ["alpine:3.21.3"],
        "3.21.3",
        None,
        "Alpine Linux 3.21",
        "musl",
        7.8,
        3.6,
        "작은 배포판: musl libc + BusyBox + apk",
        _alpine_3_21(),
        (node22.SOURCES_REPO_INFO + "22-alpine3.21.md", node22.SOURCES_REPO_INFO.replace("node", "alpine")),
    ),
    _entry(
        "debian:12.9",
        [],
        "12.9",
        None,
        "Debian 12 (bookworm)",
        "glibc",
        117.0,
        49.6,
        "Debian 12.9 (node:22가 쓰는 bookworm)",
        _debian_12_9(117.0, 49.6, slim=False),
        (node22.SOURCES_REPO_INFO + "22-bookworm-slim.md",),
    ),
    _entry(
        "debian:12.9-slim",
        [],
        "12.9",
        None,
        "Debian 12 (bookworm) slim",
        "glibc",
        74.8,
        29.1,
        "Debian 12.9 slim (node:22-slim이 쓰는 bookworm-slim)",
        _debian_12_9(74.8, 29.1, slim=True),
        (node22.SOURCES_REPO_INFO + "22-bookworm-slim.md",),
    ),
    _entry(
        "node:22",
        ["node:22.13.0", "node:22-bookworm", "node:22.13.0-bookworm", "node:jod"],
        node22.NODE_VERSION,
        "debian:12.9",
        "Debian 12 (bookworm)",
        "glibc",
        1120.0,
        423.4,
        "Node.js 22 LTS + buildpack-deps(컴파일러·헤더·git 등 빌드 도구 전부)",
        _buildpack_bookworm_steps() + _node22_steps("full", (186.2, 73.1), (5.4, 1.6)),
        _NODE22_SOURCES + (node22.SOURCES_BUILDPACK, node22.SOURCES_IXIMIUZ),
    ),
    _entry(
        "node:22-slim",
        ["node:22.13.0-slim", "node:22-bookworm-slim", "node:22.13.0-bookworm-slim", "node:jod-slim"],
        node22.NODE_VERSION,
        "debian:12.9-slim",
        "Debian 12 (bookworm) slim",
        "glibc",
        222.73,
        76.5,
        "Node.js 22 LTS + Debian slim(빌드 도구 없음)",
        _node22_steps("slim", (142.5, 45.8), (5.4, 1.6)),
        _NODE22_SOURCES,
    ),
    _entry(
        "node:22-alpine",
        ["node:22.13.0-alpine", "node:22-alpine3.21", "node:22.13.0-alpine3.21", "node:jod-alpine"],
        node22.NODE_VERSION,
        "alpine:3.21",
        "Alpine Linux 3.21",
        "musl",
        159.18,
        53.0,
        "Node.js 22 LTS (musl 빌드) + Alpine",
        _node22_steps("alpine", (145.98, 47.8), (5.4, 1.6)),
        _NODE22_SOURCES,
    ),
    _entry(
        "gcr.io/distroless/nodejs22-debian12",
        ["gcr.io/distroless/nodejs22-debian12:latest"],
        node22.NODE_VERSION,
        None,
        "Debian 12 (bookworm) distroless",
        "glibc",
        141.0,
        47.0,
        _DISTROLESS_SUMMARY,
        _distroless_nodejs22_steps(0),
        (node22.SOURCES_DISTROLESS, node22.SOURCES_IXIMIUZ),
    ),
    _entry(
        "gcr.io/distroless/nodejs22-debian12:nonroot",
        [],
        node22.NODE_VERSION,
        None,
        "Debian 12 (bookworm) distroless",
        "glibc",
        141.0,
        47.0,
        _DISTROLESS_SUMMARY + " · 사용자 nonroot(65532)",
        _distroless_nodejs22_steps(65532),
        (node22.SOURCES_DISTROLESS, node22.SOURCES_IXIMIUZ),
    ),
]

_BY_NAME: "dict[str, CatalogEntry]" = {}
for _item in _ENTRIES:
    for _name in _item.names:
        _BY_NAME[parse_reference(_name).familiar] = _item


# -- building the images -------------------------------------------------------------------

_SIZE = re.compile(r"^(\d+(?:\.\d+)?)([KM]?)$")


def _weight(text: str) -> float:
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"bad size {text!r}")
    number, unit = float(match.group(1)), match.group(2)
    return number * {"": 1, "K": 1000, "M": MB}[unit]


Spec: TypeAlias = "tuple[list[Entry], list[tuple[str, float, int, dict[str, str]]], list[tuple[str, float]]]"


def _parse_files(spec: str) -> Spec:
    """Split a layer spec into fixed entries, weighted model files and remainder bundles."""
    fixed: "list[Entry]" = []
    weighted: "list[tuple[str, float, int, dict[str, str]]]" = []
    rest: "list[tuple[str, float]]" = []
    for line in spec.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("@rest "):
            _, folder, share = line.split()
            rest.append((folder, float(share)))
            continue
        if " -> " in line:
            path, target = line.split(" -> ", 1)
            fixed.append(Symlink(target.strip(), path=path.strip()))
            continue
        if " => " in line:
            path, target = line.split(" => ", 1)
            fixed.append(Hardlink(target.strip(), path=path.strip(), mode=0o755))
            continue
        words = line.split(" ")
        path = words[0]
        if path.endswith("/"):  # "home/node/ 755 1000:1000": a folder, its mode and owner
            mode = int(words[1], 8) if len(words) > 1 else 0o755
            uid, _, gid = (words[2] if len(words) > 2 else "0:0").partition(":")
            fixed.append(Dir(path=path.rstrip("/"), mode=mode, uid=int(uid), gid=int(gid)))
            continue
        weight = _weight(words[1])
        mode, fields, remaining = 0o644, {}, words[2:]
        if remaining and re.fullmatch(r"[0-7]{3,4}", remaining[0]):
            mode, remaining = int(remaining[0], 8), remaining[1:]
        for key, value in re.findall(r"(\w+)=(.*?)(?=\s+\w+=|$)", " ".join(remaining)):
            fields[key] = value
        weighted.append((path, weight, mode, fields))
    return fixed, weighted, rest


REST_NAME = ".imagelib-rest"
REST_ABOUT = (
    "이 레이어에서 따로 적지 않은 나머지 파일들(실제 이미지에서는 수백~수천 개)을 하나로 묶어 크기만 선언한 모형 파일"
)


def _text_entries(texts: Mapping) -> "list[Entry]":
    entries: "list[Entry]" = []
    for path, value in texts.items():
        text, mode = value if isinstance(value, tuple) else (value, 0o644)
        entries.append(File(text, mode=mode, path=path))
    return entries


def _allocate(total: int, weights: "list[float]") -> "list[int]":
    if not weights:
        return []
    whole = sum(weights) or 1.0
    sizes = [int(total * w / whole) for w in weights]
    sizes[-1] += total - sum(sizes)
    return sizes


def build_layer(spec: LayerSpec) -> Layer:
    """모형 레이어 하나: 작은 텍스트 파일은 진짜 내용, 나머지는 선언된 크기의 모형 파일.

    나열한 파일은 대략적인 실제 크기를 쓰고(합이 레이어 크기보다 크면 비례해 줄임), 레이어 크기에서
    남는 부분은 ``.imagelib-rest-…`` 라는 이름의 묶음 모형 파일에 담습니다.
    """
    fixed, weighted, rest = _parse_files(spec.files)
    texts = _text_entries(spec.texts)
    real = sum(modelfile.counted_bytes(entry) for entry in fixed + texts)
    size = max(round(spec.size_mb * MB) - real, 0)
    packed = max(round(spec.packed_mb * MB) - real, 0)
    listed = sum(weight for _, weight, _, _ in weighted)
    if listed >= size or not size:
        sizes = _allocate(size, [w for _, w, _, _ in weighted])
        bundles: "list[tuple[str, int]]" = []
    else:
        sizes = [round(w) for _, w, _, _ in weighted]
        folders = rest or [("usr", 1.0)]
        tag = hashlib.sha256(spec.created_by.encode("utf-8")).hexdigest()[:8]
        bundles = list(
            zip(
                [f"{folder}/{REST_NAME}-{tag}" for folder, _ in folders],
                _allocate(size - sum(sizes), [share for _, share in folders]),
                strict=True,
            )
        )
    ratio = packed / size if size else 0.0
    # model_bytes, not model_file: the spec's fields describe the file; none of them is its owner.
    models = [
        File(modelfile.model_bytes(s, round(s * ratio), **fields), mode=mode).at(path)
        for (path, _, mode, fields), s in zip(weighted, sizes, strict=True)
    ]
    models += [modelfile.model_file(s, round(s * ratio), about=REST_ABOUT).at(path) for path, s in bundles]
    return Layer.from_entries(fixed + texts + models)


def _apply(image: Image, step, arch: Arch) -> Image:
    if isinstance(step, ConfigSpec):
        if step.changes:
            image = image.with_config(**step.changes)
        return image.with_history(step.created_by, step.comment)
    layer = build_layer(arch.layer(step))
    created_by = step.created_by.replace("{diff}", layer.diff_id.hex)
    return image.add_layer(layer, created_by=created_by, comment=step.comment)


@functools.cache
def _build(name: str, arch: Arch) -> Image:
    entry = _BY_NAME[name]
    if entry.base:
        image = _build(parse_reference(entry.base).familiar, arch)
    else:
        image = Image.scratch(arch.architecture, variant=arch.variant or None)
    for step in entry.steps:
        image = _apply(image, step, arch)
    return image


@functools.cache
def _index(name: str) -> ImageIndex:
    return ImageIndex.of([_build(name, arch) for arch in ARCHES])


def _arch(name: str, platform: "str | Platform | None") -> Arch:
    wanted = DEFAULT_PLATFORM if platform is None else Platform.parse(platform)
    for candidate in compatible_platforms(wanted):
        for arch in ARCHES:
            if Platform.parse(arch.platform).matches(candidate):
                return arch
    raise CatalogError(
        f"카탈로그의 {name!r}에는 {wanted} 이미지가 없습니다(no matching manifest). "
        f"있는 플랫폼: {', '.join(platforms(name))}"
    )


# -- public API ----------------------------------------------------------------------------


def _key(name: str) -> str:
    try:
        reference = parse_reference(name)
    except ImageLibError:
        raise CatalogError(f"카탈로그 이미지 이름 {name!r}의 형식이 잘못되었습니다. 예: 'node:14-alpine'") from None
    if reference.digest is not None:
        raise CatalogError(f"{name!r}: 카탈로그는 다이제스트가 아니라 이름:태그로 찾습니다. 예: 'node:14'")
    return reference.familiar


def has(name: str) -> bool:
    """카탈로그에 그런 이름의 이미지가 있으면 True."""
    try:
        return _key(name) in _BY_NAME
    except CatalogError:
        return False


def info(name: str) -> CatalogEntry:
    """카탈로그 이미지의 설명(버전, 베이스, 공개된 크기, 요약)."""
    key = _key(name)
    if key not in _BY_NAME:
        raise CatalogError(f"카탈로그에 {name!r} 이미지가 없습니다. 있는 이미지: {', '.join(names())}")
    return _BY_NAME[key]


def get(name: str, platform: "str | Platform | None" = None) -> Image:
    """카탈로그의 모형 이미지(진짜 OCI 이미지). 예: ``il.catalog.get("node:14-alpine")``.

    같은 이름은 언제나 같은 다이제스트의 이미지를 돌려줍니다. 크기는 ``il.modeled_size`` 로 보세요.
    ``platform`` (기본 ``linux/amd64``)을 주면 그 플랫폼의 이미지입니다. 예:
    ``il.catalog.get("alpine:3.19", platform="linux/arm64")`` 의 ``/lib`` 에는 ``ld-musl-aarch64.so.1`` 이 있습니다.
    """
    key = parse_reference(info(name).name).familiar
    return _build(key, _arch(name, platform))


def index(name: str) -> ImageIndex:
    """카탈로그 이미지의 이미지 인덱스: 플랫폼마다 하나씩(``docker buildx imagetools inspect`` 가 보여 주는 것).

    Docker Hub의 공식 이미지처럼 태그 하나가 인덱스를 가리키고, 엔진은 그 안에서 자기 플랫폼의
    매니페스트를 고릅니다. 예: ``il.catalog.index("alpine:3.19").image("linux/arm64")``.
    """
    return _index(parse_reference(info(name).name).familiar)


def platforms(name: str) -> "tuple[str, ...]":
    """카탈로그 이미지가 있는 플랫폼들(예: ``("linux/amd64", "linux/arm64/v8")``)."""
    info(name)
    return tuple(arch.platform for arch in ARCHES)


def names() -> "list[str]":
    """카탈로그 이미지의 대표 이름들."""
    return [entry.name for entry in _ENTRIES]


def aliases(name: str) -> "list[str]":
    """같은 이미지를 가리키는 다른 이름(태그)들."""
    return list(info(name).names)


def images(which: "Iterable[str] | None" = None) -> "dict[str, Image]":
    """이름 → 이미지 사전(기본은 카탈로그 전부)."""
    return {name: get(name) for name in (which or names())}


def table(which: "Iterable[str] | None" = None) -> "list[dict]":
    """카탈로그 요약표(이름, 버전, OS, libc, 모형 크기, 내려받는 크기, 레이어 수)."""
    rows = []
    for name in which or names():
        entry, image = info(name), get(name)
        rows.append(
            {
                "이름": entry.name,
                "버전": entry.version,
                "OS": entry.os,
                "libc": entry.libc,
                "크기(압축 전)": modelfile.modeled_size(image),
                "내려받는 크기(압축 후)": modelfile.modeled_download_size(image),
                "레이어 수": len(image.layers),
                "설명": entry.summary,
            }
        )
    return rows
