"""패키지 관리자 모형: ``apk``, ``apt-get``, ``npm``, ``pip`` 과 몇몇 프로그램(node, python, vite).

진짜 인터넷에서 내려받지 않습니다. 아래 표(``APK``, ``APT``, ``NPM``, ``PIP``)에 적힌 패키지만
"설치"하며, 설치하면 실제 패키지가 놓이는 경로에 **모형 파일**(선언된 크기를 가진 작은 파일,
``imagelib.build.model`` 참고)을 씁니다. 그래서 이미지 크기와 레이어 크기는 실제와 비슷하게
보이지만, 파일 내용은 진짜 프로그램이 아닙니다.

크기는 모두 **반올림한 근삿값**입니다. 출처의 종류는 다음과 같습니다(버전·시점에 따라 다름).

- apk: Alpine 3.17~3.19의 ``apk info -s`` 가 보여 주는 설치 크기(의존성 포함으로 합산).
- apt: Debian의 ``apt show`` 가 보여 주는 Installed-Size(``--no-install-recommends`` 기준 의존성
  포함 합산; 추천 패키지는 ``recommends`` 로 따로).
- npm: 패키지의 설치 크기(의존성 포함; packagephobia.com 같은 사이트가 보여 주는 값의 자릿수).
- pip: manylinux 휠을 설치했을 때 site-packages에 풀리는 크기(의존성 포함).

모형이 하는 일 중 실제와 같은 점: ``apt-get update`` 를 하지 않으면 ``apt-get install`` 이 패키지를
찾지 못함, ``apt-get update`` 가 ``/var/lib/apt/lists`` 에 목록을 남기고 ``apt-get clean`` 은 그것을
지우지 않음, ``apk add`` 는 ``--no-cache`` 가 없으면 ``/var/cache/apk`` 에 색인을 남김, ``npm`` 과
``pip`` 은 내려받은 파일을 캐시 폴더(``~/.npm``, ``~/.cache/pip``)에 남김, ``NODE_ENV=production``
이면 ``npm install`` 이 devDependencies를 건너뜀, ``npm ci`` 는 package-lock.json이 있어야 함.

선생님은 표에 패키지를 더할 수 있습니다: ``register_package("apk", "htop", "3.2.2-r1", 0.5e6)``.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, field

from .commands import CommandContext, CommandFailed, program, split_flags

MB = 1_000_000
KB = 1_000


@dataclass(frozen=True)
class Package:
    """표에 적힌 패키지 하나(크기는 의존성을 포함한 설치 크기)."""

    name: str
    version: str
    size: int
    packed: int
    files: "tuple[str, ...]" = ()
    deps: "tuple[str, ...]" = ()
    recommends: int = 0
    count: int = 1
    bins: "dict[str, str]" = field(default_factory=dict)
    about: str = ""


def _pkg(name, version, size_mb, packed_mb=None, files=(), deps=(), recommends_mb=0.0, count=1,
         bins=None, about=""):
    size = round(size_mb * MB)
    packed = round((packed_mb if packed_mb is not None else size_mb * 0.4) * MB)
    return Package(name, version, size, packed, tuple(files), tuple(deps),
                   round(recommends_mb * MB), count, dict(bins or {}), about)


APK: "dict[str, Package]" = {p.name: p for p in [
    _pkg("bash", "5.2.21-r0", 1.6, files=["bin/bash", "usr/lib/libreadline.so.8.2"]),
    _pkg("curl", "8.5.0-r0", 1.9, files=["usr/bin/curl", "usr/lib/libcurl.so.4.8.0"],
         deps=["ca-certificates"]),
    _pkg("ca-certificates", "20230506-r0", 0.7, files=["etc/ssl/certs/ca-certificates.crt",
                                                      "usr/bin/update-ca-certificates"]),
    _pkg("git", "2.43.0-r0", 13.0, files=["usr/bin/git", "usr/libexec/git-core/git-remote-http"]),
    _pkg("python3", "3.11.6-r1", 45.0, files=["usr/bin/python3.11", "usr/lib/libpython3.11.so.1.0",
                                             "usr/lib/python3.11/os.py"]),
    _pkg("make", "4.4.1-r2", 0.27, files=["usr/bin/make"]),
    _pkg("gcc", "13.2.1-r0", 96.0, files=["usr/bin/gcc",
                                         "usr/libexec/gcc/x86_64-alpine-linux-musl/13.2.1/cc1",
                                         "usr/libexec/gcc/x86_64-alpine-linux-musl/13.2.1/lto1",
                                         "usr/bin/ld", "usr/include/stdio.h"]),
    _pkg("g++", "13.2.1-r0", 44.0, files=["usr/bin/g++",
                                         "usr/libexec/gcc/x86_64-alpine-linux-musl/13.2.1/cc1plus",
                                         "usr/include/c++/13.2.1/iostream"], deps=["gcc"]),
    _pkg("build-base", "0.5-r3", 0.01, files=["usr/share/doc/build-base/README"],
         deps=["gcc", "g++", "make"]),
    _pkg("tzdata", "2023c-r1", 1.7, files=["usr/share/zoneinfo/Asia/Seoul",
                                          "usr/share/zoneinfo/UTC"]),
    _pkg("nodejs", "20.10.0-r1", 62.0, files=["usr/bin/node", "usr/lib/libicudata.so.74"]),
    _pkg("npm", "10.2.5-r0", 9.5, files=["usr/lib/node_modules/npm/index.js", "usr/bin/npm"],
         deps=["nodejs"]),
    _pkg("openssl", "3.1.4-r2", 0.9, files=["usr/bin/openssl"]),
    _pkg("jq", "1.7.1-r0", 0.7, files=["usr/bin/jq"]),
    _pkg("htop", "3.2.2-r1", 0.5, files=["usr/bin/htop"]),
]}

APT: "dict[str, Package]" = {p.name: p for p in [
    _pkg("curl", "7.88.1-10", 5.6, files=["usr/bin/curl", "usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0"],
         deps=["ca-certificates"], recommends_mb=0.0),
    _pkg("wget", "1.21.3-1", 3.6, files=["usr/bin/wget"], deps=["ca-certificates"]),
    _pkg("ca-certificates", "20230311", 2.4, files=["etc/ssl/certs/ca-certificates.crt",
                                                   "usr/bin/openssl"]),
    _pkg("git", "1:2.39.2-1.1", 52.0, files=["usr/bin/git", "usr/lib/git-core/git-remote-http",
                                             "usr/share/perl5/Git.pm"], recommends_mb=9.0),
    _pkg("python3", "3.11.2-1", 25.0, files=["usr/bin/python3.11",
                                            "usr/lib/python3.11/os.py"], recommends_mb=14.0),
    _pkg("build-essential", "12.9", 205.0, files=["usr/bin/gcc-12", "usr/bin/g++-12",
                                                 "usr/libexec/gcc/x86_64-linux-gnu/12/cc1",
                                                 "usr/libexec/gcc/x86_64-linux-gnu/12/cc1plus",
                                                 "usr/include/stdio.h", "usr/bin/make"],
         recommends_mb=15.0),
    _pkg("make", "4.3-4.1", 1.5, files=["usr/bin/make"]),
    _pkg("vim", "2:9.0.1378-2", 41.0, files=["usr/bin/vim.basic", "usr/share/vim/vim90/syntax/c.vim"]),
    _pkg("nginx", "1.22.1-9", 3.2, files=["usr/sbin/nginx", "etc/nginx/nginx.conf"]),
    _pkg("procps", "2:4.0.2-3", 2.1, files=["usr/bin/ps", "usr/bin/top"]),
    _pkg("iputils-ping", "3:20221126-1", 0.12, files=["usr/bin/ping"]),
    _pkg("net-tools", "2.10-0.1", 1.0, files=["usr/sbin/ifconfig", "usr/bin/netstat"]),
    _pkg("unzip", "6.0-28", 0.4, files=["usr/bin/unzip"]),
    _pkg("jq", "1.6-2.1", 0.5, files=["usr/bin/jq"]),
    _pkg("libpq-dev", "15.5-0", 1.2, files=["usr/include/postgresql/libpq-fe.h"]),
    _pkg("gnupg", "2.2.40-1.1", 9.0, files=["usr/bin/gpg"]),
    _pkg("tzdata", "2024a-0", 3.3, files=["usr/share/zoneinfo/Asia/Seoul", "usr/share/zoneinfo/UTC"]),
]}

_NODE = "usr/local/bin/node"
NPM: "dict[str, Package]" = {p.name: p for p in [
    _pkg("react", "18.2.0", 0.32, 0.08, files=["index.js"], count=3),
    _pkg("react-dom", "18.2.0", 4.5, 1.2, files=["index.js"], count=2),
    _pkg("vite", "4.5.0", 16.0, 6.0, files=["dist/node/index.js"], count=13,
         bins={"vite": "bin/vite.js"}),
    _pkg("@vitejs/plugin-react", "4.2.0", 6.5, 1.9, files=["dist/index.cjs"], count=60),
    _pkg("express", "4.18.2", 2.2, 0.6, files=["index.js"], count=58),
    _pkg("lodash", "4.17.21", 1.4, 0.32, files=["lodash.js"], count=1),
    _pkg("axios", "1.6.2", 2.3, 0.5, files=["index.js"], count=9),
    _pkg("dotenv", "16.3.1", 0.08, 0.02, files=["lib/main.js"], count=1),
    _pkg("typescript", "5.3.2", 31.5, 5.8, files=["lib/typescript.js"], count=1,
         bins={"tsc": "bin/tsc"}),
    _pkg("webpack", "5.89.0", 18.0, 5.0, files=["lib/index.js"], count=77,
         bins={"webpack": "bin/webpack.js"}),
    _pkg("webpack-cli", "5.1.4", 3.5, 1.0, files=["lib/index.js"], count=40),
    _pkg("nodemon", "3.0.2", 3.2, 0.9, files=["lib/nodemon.js"], count=30,
         bins={"nodemon": "bin/nodemon.js"}),
    _pkg("jest", "29.7.0", 30.0, 8.0, files=["build/index.js"], count=270, bins={"jest": "bin/jest.js"}),
]}
NPM_DEFAULT_SIZE = 1 * MB

PIP: "dict[str, Package]" = {p.name: p for p in [
    _pkg("requests", "2.31.0", 1.6, 0.55, count=5),
    _pkg("flask", "3.0.0", 3.2, 1.0, count=7),
    _pkg("django", "5.0", 38.0, 8.5, count=3),
    _pkg("numpy", "1.26.2", 63.0, 18.0, count=1),
    _pkg("pandas", "2.1.4", 140.0, 33.0, count=6),
    _pkg("fastapi", "0.104.1", 13.0, 3.5, count=9),
    _pkg("uvicorn", "0.24.0", 1.3, 0.3, count=3),
    _pkg("gunicorn", "21.2.0", 0.8, 0.2, count=2),
]}
PIP_DEFAULT_SIZE = 1 * MB

_TABLES = {"apk": APK, "apt": APT, "npm": NPM, "pip": PIP}


def register_package(manager: str, name: str, version: str, size: float, packed: "float | None" = None,
                     *, files: "tuple[str, ...] | list[str]" = (), deps: "tuple[str, ...] | list[str]" = (),
                     bins: "dict[str, str] | None" = None, replace: bool = False) -> Package:
    """모형 패키지 표에 패키지를 더합니다. ``manager`` 는 'apk', 'apt', 'npm', 'pip' 중 하나이고
    크기는 바이트입니다(의존성 포함 설치 크기)."""
    table = _TABLES.get(manager)
    if table is None:
        raise CommandFailed(f"패키지 관리자 {manager!r}는 모릅니다. 'apk', 'apt', 'npm', 'pip' 중에서 "
                            f"고르세요.")
    if name in table and not replace:
        raise CommandFailed(f"{manager} 표에 {name!r}가 이미 있습니다. 바꾸려면 replace=True를 주세요.")
    package = Package(name, version, int(size), int(packed if packed is not None else size * 0.4),
                      tuple(files), tuple(deps), 0, 1, dict(bins or {}))
    table[name] = package
    return package


def _share(package: Package, extra: int = 0) -> "list[tuple[str, int, int]]":
    """Split a package's size over its files: the first file gets half, the rest share the rest."""
    files = list(package.files) or [f"usr/share/{package.name}/data"]
    total = package.size + extra
    packed = round(package.packed * total / max(package.size, 1))
    if len(files) == 1:
        return [(files[0], total, packed)]
    first = total // 2
    rest = (total - first) // (len(files) - 1)
    sizes = [first] + [rest] * (len(files) - 1)
    sizes[-1] += total - sum(sizes)
    return [(path, size, round(packed * size / max(total, 1)))
            for path, size in zip(files, sizes, strict=True)]


def _closure(table: "dict[str, Package]", names: "list[str]") -> "list[Package]":
    ordered: "list[Package]" = []

    def visit(name: str) -> None:
        if any(p.name == name for p in ordered):
            return
        package = table[name]
        for dep in package.deps:
            visit(dep)
        ordered.append(package)

    for name in names:
        visit(name)
    return ordered


def _human(size: int) -> str:
    from ..display import human_size

    return human_size(size)


# -- apk (Alpine) --------------------------------------------------------------------------

APK_DB = "/lib/apk/db/installed"
APK_INDEXES = (("main", 930_000), ("community", 1_650_000))


def _alpine_branch(ctx: CommandContext) -> str:
    if ctx.is_file("/etc/alpine-release"):
        parts = ctx.read_text("/etc/alpine-release").strip().split(".")
        return "v" + ".".join(parts[:2])
    return "edge"


def _apk_installed(ctx: CommandContext) -> "dict[str, list[str]]":
    installed: "dict[str, list[str]]" = {}
    if not ctx.is_file(APK_DB):
        return installed
    current, folder = None, ""
    for line in ctx.read_text(APK_DB).splitlines():
        if line.startswith("P:"):
            current = line[2:]
            installed[current] = []
        elif line.startswith("F:"):
            folder = line[2:]
        elif line.startswith("R:") and current:
            installed[current].append(f"{folder}/{line[2:]}" if folder else line[2:])
    return installed


def _apk_fetch_indexes(ctx: CommandContext, keep: bool) -> None:
    branch = _alpine_branch(ctx)
    for repo, size in APK_INDEXES:
        ctx.out(f"fetch https://dl-cdn.alpinelinux.org/alpine/{branch}/{repo}/x86_64/APKINDEX.tar.gz\n")
        if keep:
            digest = hashlib.sha256(f"{branch}/{repo}".encode()).hexdigest()[:8]
            ctx.write_model(f"/var/cache/apk/APKINDEX.{digest}.tar.gz", size, size,
                            about=f"Alpine {branch} {repo} 패키지 색인")


@program("apk", "Alpine 패키지 관리자: apk add [--no-cache] [--virtual 이름] 패키지…, apk del, apk update")
def _apk(ctx: CommandContext) -> int:
    if not ctx.args:
        return ctx.fail("apk-tools 2.14: 모형은 add, del, update만 지원합니다.")
    sub, *rest = ctx.args
    if sub == "update":
        _apk_fetch_indexes(ctx, keep=True)
        ctx.out("OK: 모형 색인을 받았습니다\n")
        return 0
    if sub == "add":
        return _apk_add(ctx, rest)
    if sub == "del":
        return _apk_del(ctx, rest)
    return ctx.fail(f"apk: 모형은 'apk {sub}'를 지원하지 않습니다(add, del, update만).")


def _apk_add(ctx: CommandContext, args: "list[str]") -> int:
    no_cache, virtual, names = False, None, []
    items = list(args)
    while items:
        arg = items.pop(0)
        if arg == "--no-cache":
            no_cache = True
        elif arg in ("--virtual", "-t"):
            virtual = items.pop(0) if items else None
        elif arg in ("--update", "-U", "--quiet", "-q", "--no-progress"):
            continue
        elif arg.startswith("-"):
            return ctx.fail(f"apk: 모형은 옵션 {arg}를 지원하지 않습니다.")
        else:
            names.append(arg.split("=")[0])
    if not names:
        return ctx.fail("apk add: 패키지 이름이 없습니다.")
    unknown = [n for n in names if n not in APK]
    cached = ctx.is_dir("/var/cache/apk") and any(
        n.startswith("APKINDEX") for n in ctx.listdir("/var/cache/apk"))
    if not cached:
        _apk_fetch_indexes(ctx, keep=not no_cache)
    if unknown:
        lines = "".join(f"  {n} (no such package):\n    required by: world[{n}]\n" for n in unknown)
        return ctx.fail("ERROR: unable to select packages:\n" + lines.rstrip("\n") +
                        f"\n(모형 표에 있는 apk 패키지: {', '.join(sorted(APK))})")
    installed = _apk_installed(ctx)
    todo = [p for p in _closure(APK, names) if p.name not in installed]
    db = ctx.read_text(APK_DB) if ctx.is_file(APK_DB) else ""
    for number, package in enumerate(todo, start=1):
        ctx.out(f"({number}/{len(todo)}) Installing {package.name} ({package.version})\n")
        entries = _share(package)
        for path, size, packed in entries:
            ctx.write_model("/" + path, size, packed, mode=_file_mode(path),
                            about=f"apk 패키지 {package.name} {package.version}")
        db += _apk_record(package, [path for path, _, _ in entries])
    if virtual:
        ctx.out(f"Installing {virtual} (20240101.000000)\n")
        db += f"P:{virtual}\nV:20240101.000000\nA:noarch\nI:0\nT:virtual meta package\n" \
              f"D:{' '.join(names)}\n\n"
    ctx.write(APK_DB, db)
    world = ctx.read_text("/etc/apk/world").split() if ctx.is_file("/etc/apk/world") else []
    for name in [virtual] if virtual else names:
        if name not in world:
            world.append(name)
    ctx.write("/etc/apk/world", "\n".join(sorted(world)) + "\n")
    total = sum(p.size for p in todo)
    ctx.out(f"OK: {_human(total)} 추가 (모형)\n")
    return 0


def _apk_record(package: Package, paths: "list[str]") -> str:
    lines = [f"P:{package.name}", f"V:{package.version}", "A:x86_64", f"I:{package.size}",
             f"T:{package.name} (imagelib 모형)"]
    folders: "dict[str, list[str]]" = {}
    for path in paths:
        folders.setdefault(posixpath.dirname(path), []).append(posixpath.basename(path))
    for folder, names in folders.items():
        lines.append(f"F:{folder}")
        lines += [f"R:{name}" for name in names]
    return "\n".join(lines) + "\n\n"


def _apk_del(ctx: CommandContext, names: "list[str]") -> int:
    db = ctx.read_text(APK_DB) if ctx.is_file(APK_DB) else ""
    records = db.split("\n\n")
    world = ctx.read_text("/etc/apk/world").split() if ctx.is_file("/etc/apk/world") else []
    removing = set(names)
    for record in records:
        fields = dict(line.split(":", 1) for line in record.splitlines() if ":" in line)
        if fields.get("P") in names and fields.get("D"):
            removing |= set(fields["D"].split())
    installed = _apk_installed(ctx)
    kept = []
    for record in records:
        name = next((line[2:] for line in record.splitlines() if line.startswith("P:")), None)
        if name in removing:
            ctx.out(f"Purging {name}\n")
            for path in installed.get(name, []):
                if ctx.lookup("/" + path, follow=False) is not None:
                    ctx.delete("/" + path)
        elif record.strip():
            kept.append(record)
    ctx.write(APK_DB, "\n\n".join(kept).strip("\n") + "\n\n" if kept else "")
    ctx.write("/etc/apk/world", "".join(f"{w}\n" for w in world if w not in removing))
    return 0


def _file_mode(path: str) -> int:
    return 0o755 if "/bin/" in f"/{path}" or "/sbin/" in f"/{path}" or "libexec" in path else 0o644


# -- apt-get (Debian, Ubuntu) --------------------------------------------------------------

APT_LISTS = "/var/lib/apt/lists"
DPKG_STATUS = "/var/lib/dpkg/status"


def _os_release(ctx: CommandContext) -> "dict[str, str]":
    for path in ("/etc/os-release", "/usr/lib/os-release"):
        if ctx.is_file(path):
            values = {}
            for line in ctx.read_text(path).splitlines():
                key, sep, value = line.partition("=")
                if sep:
                    values[key] = value.strip('"')
            return values
    return {}


def _apt_sources(ctx: CommandContext) -> "list[tuple[str, str, int]]":
    """(list file stem, printed source, size) for the distribution the image says it is."""
    info = _os_release(ctx)
    codename = info.get("VERSION_CODENAME", "stable")
    if info.get("ID") == "ubuntu":
        base = "archive.ubuntu.com_ubuntu_dists"
        return [(f"{base}_{codename}_main_binary-amd64_Packages.lz4",
                 f"http://archive.ubuntu.com/ubuntu {codename}/main amd64 Packages", 1_800_000),
                (f"{base}_{codename}_universe_binary-amd64_Packages.lz4",
                 f"http://archive.ubuntu.com/ubuntu {codename}/universe amd64 Packages", 16_500_000),
                (f"{base}_{codename}-updates_main_binary-amd64_Packages.lz4",
                 f"http://archive.ubuntu.com/ubuntu {codename}-updates/main amd64 Packages", 3_400_000),
                (f"security.ubuntu.com_ubuntu_dists_{codename}-security_main_binary-amd64_Packages.lz4",
                 f"http://security.ubuntu.com/ubuntu {codename}-security/main amd64 Packages", 2_900_000)]
    return [(f"deb.debian.org_debian_dists_{codename}_main_binary-amd64_Packages.lz4",
             f"http://deb.debian.org/debian {codename}/main amd64 Packages", 8_800_000),
            (f"deb.debian.org_debian_dists_{codename}-updates_main_binary-amd64_Packages.lz4",
             f"http://deb.debian.org/debian {codename}-updates/main amd64 Packages", 40_000),
            (f"deb.debian.org_debian-security_dists_{codename}-security_main_binary-amd64_Packages.lz4",
             f"http://deb.debian.org/debian-security {codename}-security/main amd64 Packages", 330_000)]


def _apt_has_lists(ctx: CommandContext) -> bool:
    return ctx.is_dir(APT_LISTS) and any(n.endswith("Packages.lz4") for n in ctx.listdir(APT_LISTS))


@program("apt-get", "Debian/Ubuntu 패키지 관리자: apt-get update, apt-get install -y "
                    "[--no-install-recommends] "
                    "패키지…, "
                    "apt-get remove, apt-get clean")
def _apt_get(ctx: CommandContext) -> int:
    flags = [a for a in ctx.args if a.startswith("-")]
    words = [a for a in ctx.args if not a.startswith("-")]
    if not words:
        return ctx.fail("E: 모형은 update, install, remove, purge, clean, autoremove만 지원합니다.", 100)
    sub, names = words[0], words[1:]
    if sub == "update":
        return _apt_update(ctx)
    if sub == "install":
        return _apt_install(ctx, names, flags)
    if sub in ("remove", "purge", "autoremove"):
        return _apt_remove(ctx, names)
    if sub in ("clean", "autoclean"):
        for folder in ("/var/cache/apt/archives", "/var/cache/apt"):
            if ctx.is_dir(folder):
                for name in ctx.listdir(folder):
                    if name.endswith((".deb", ".bin")):
                        ctx.delete(f"{folder}/{name}")
        return 0
    return ctx.fail(f"E: Invalid operation {sub}", 100)


def _apt_update(ctx: CommandContext) -> int:
    if not (ctx.is_file("/etc/apt/sources.list") or ctx.is_dir("/etc/apt/sources.list.d")):
        return ctx.fail("E: 이 이미지에는 apt 저장소 설정(/etc/apt/sources.list)이 없습니다.", 100)
    total = 0
    for number, (stem, shown, size) in enumerate(_apt_sources(ctx), start=1):
        ctx.out(f"Get:{number} {shown} [{size // 1000} kB]\n")
        ctx.write_model(f"{APT_LISTS}/{stem}", size, size, about=f"apt 패키지 목록: {shown}")
        total += size
    ctx.mkdir(f"{APT_LISTS}/partial")
    ctx.out(f"Fetched {total // 1000} kB\nReading package lists...\n")
    return 0


def _apt_install(ctx: CommandContext, names: "list[str]", flags: "list[str]") -> int:
    assume_yes = any(f in ("-y", "--yes", "--assume-yes", "-qy", "-yq", "-qqy", "-yqq") for f in flags)
    recommends = "--no-install-recommends" not in flags
    ctx.out("Reading package lists...\n")
    if not names:
        return 0
    names = [n.split("=")[0] for n in names]
    if not _apt_has_lists(ctx):
        return ctx.fail(f"E: Unable to locate package {names[0]}\n"
                        "(패키지 목록이 비어 있습니다: 먼저 apt-get update를 같은 RUN에서 실행하세요)", 100)
    unknown = [n for n in names if n not in APT]
    if unknown:
        return ctx.fail(f"E: Unable to locate package {unknown[0]}\n"
                        f"(모형 표에 있는 apt 패키지: {', '.join(sorted(APT))})", 100)
    status_text = ctx.read_text(DPKG_STATUS) if ctx.is_file(DPKG_STATUS) else ""
    installed = set(re.findall(r"^Package: (\S+)$", status_text, re.MULTILINE))
    todo = [p for p in _closure(APT, names) if p.name not in installed]
    extra = sum(p.recommends for p in todo) if recommends else 0
    total = sum(p.size for p in todo) + extra
    ctx.out(f"The following NEW packages will be installed:\n  {' '.join(p.name for p in todo)}\n"
            f"After this operation, {total // 1000} kB of additional disk space will be used.\n")
    if not assume_yes and todo:
        return ctx.fail("Do you want to continue? [Y/n] Abort.\n(빌드에는 입력할 사람이 없습니다: -y를 "
                        "붙이세요)", 1)
    log = ctx.read_text("/var/log/dpkg.log") if ctx.is_file("/var/log/dpkg.log") else ""
    for package in todo:
        ctx.out(f"Setting up {package.name} ({package.version}) ...\n")
        entries = _share(package, package.recommends if recommends else 0)
        for path, size, packed in entries:
            ctx.write_model("/" + path, size, packed, mode=_file_mode(path),
                            about=f"deb 패키지 {package.name} {package.version}")
        ctx.write(f"/var/lib/dpkg/info/{package.name}.list", "".join(f"/{p}\n" for p, _, _ in entries))
        status_text += (f"Package: {package.name}\nStatus: install ok installed\n"
                        f"Installed-Size: {package.size // 1024}\nVersion: {package.version}\n\n")
        log += f"1970-01-01 00:00:00 status installed {package.name}:amd64 {package.version}\n"
    ctx.write(DPKG_STATUS, status_text)
    ctx.write("/var/log/dpkg.log", log)
    return 0


def _apt_remove(ctx: CommandContext, names: "list[str]") -> int:
    for name in names:
        listing = f"/var/lib/dpkg/info/{name}.list"
        if not ctx.is_file(listing):
            continue
        ctx.out(f"Removing {name} ...\n")
        for path in ctx.read_text(listing).split():
            if ctx.lookup(path, follow=False) is not None:
                ctx.delete(path)
        ctx.delete(listing)
    return 0


@program("apt", "apt-get과 같음(모형)")
def _apt(ctx: CommandContext) -> int:
    return _apt_get(ctx)


# -- node and npm --------------------------------------------------------------------------

def _version_of(ctx: CommandContext, name: str, env_key: str) -> str:
    from . import model

    found = ctx.session.find_program(name, ctx.env)[0]
    if found:
        declared = model.declared(ctx.lookup(found))
        if declared is not None and declared.get("version"):
            return declared.get("version")
    return ctx.env.get(env_key, "")


@program("node", "Node.js (모형): node --version만 실제처럼 답합니다")
def _node(ctx: CommandContext) -> int:
    if ctx.args[:1] in (["--version"], ["-v"]):
        ctx.out(f"v{_version_of(ctx, 'node', 'NODE_VERSION') or '0.0.0'}\n")
        return 0
    return ctx.fail("node: 모형 셸은 자바스크립트를 실행하지 않습니다(node --version만 지원).")


def _read_json(ctx: CommandContext, path: str, what: str) -> dict:
    if not ctx.is_file(path):
        raise CommandFailed(f"npm ERR! code ENOENT\nnpm ERR! syscall open\nnpm ERR! path {ctx.path(path)}\n"
                            f"npm ERR! enoent ENOENT: no such file or directory, open '{ctx.path(path)}'\n"
                            f"({what}이(가) 없습니다. COPY로 먼저 넣었는지 확인하세요)", 254)
    try:
        return json.loads(ctx.read_text(path))
    except ValueError as error:
        raise CommandFailed(f"npm ERR! code EJSONPARSE\nnpm ERR! {ctx.path(path)}: {error}", 1) from None


@program("npm", "Node 패키지 관리자: npm install/ci [--omit=dev], npm run <스크립트>, "
                "npm cache clean --force")
def _npm(ctx: CommandContext) -> int:
    ctx.require("node")
    if not ctx.args:
        return ctx.fail("npm: 모형은 install, ci, run, cache clean만 지원합니다.", 1)
    sub, *rest = ctx.args
    if sub in ("-v", "--version"):
        ctx.out(_version_of(ctx, "npm", "NPM_VERSION") or "6.14.18")
        ctx.out("\n")
        return 0
    if sub in ("install", "i", "ci", "add"):
        return _npm_install(ctx, sub, rest)
    if sub in ("run", "run-script"):
        return _npm_run(ctx, rest)
    if sub in ("start", "test"):
        return _npm_run(ctx, [sub] + rest)
    if sub == "cache" and rest[:1] == ["clean"]:
        cache = posixpath.join(ctx.env.get("HOME", "/root"), ".npm")
        if ctx.exists(cache):
            ctx.delete(cache)
        return 0
    return ctx.fail(f"npm: 모형은 'npm {sub}'를 지원하지 않습니다(install, ci, run, cache clean만).", 1)


def _npm_install(ctx: CommandContext, sub: str, args: "list[str]") -> int:
    long_flags = [a for a in args if a.startswith("--")]
    _, names = split_flags([a for a in args if not a.startswith("--")], "gDSEP", "npm")
    production = (ctx.env.get("NODE_ENV") == "production" or "--production" in long_flags
                  or "--omit=dev" in long_flags or "--only=production" in long_flags)
    manifest = _read_json(ctx, "package.json", "package.json")
    if sub == "ci":
        if not ctx.is_file("package-lock.json"):
            return ctx.fail("npm ERR! cipm can only install packages with an existing package-lock.json or "
                            "npm-shrinkwrap.json with lockfileVersion >= 1.\n"
                            "(npm ci에는 package-lock.json이 필요합니다)", 1)
        if ctx.exists("node_modules"):
            ctx.delete("node_modules")
    wanted = dict(manifest.get("dependencies") or {})
    if not production:
        wanted.update(manifest.get("devDependencies") or {})
    for name in names:
        package, _, version = name.partition("@") if not name.startswith("@") else (name, "", "")
        wanted[package] = version or "*"
        manifest.setdefault("dependencies", {})[package] = "^" + _npm_package(package).version
    added = 0
    cache_size = 0
    for name in sorted(wanted):
        package = _npm_package(name)
        base = f"node_modules/{name}"
        ctx.write(f"{base}/package.json", json.dumps(
            {"name": name, "version": package.version, "bin": package.bins or None},
            indent=2, sort_keys=True) + "\n")
        for path, size, packed in _share(package):
            ctx.write_model(f"{base}/{path}", size, packed,
                            about=f"npm 패키지 {name}@{package.version} (의존성 {package.count - 1}개 포함 "
                                  f"크기)")
        for command, target in package.bins.items():
            ctx.write(f"{base}/{target}", f"#!/usr/bin/env node\n// {name} {command} (imagelib 모형)\n",
                      mode=0o755)
            link = f"node_modules/.bin/{command}"
            if ctx.lookup(link, follow=False) is not None:
                ctx.delete(link)
            ctx.symlink(link, f"../{name}/{target}")
        added += package.count
        cache_size += package.packed
    lock = {"name": manifest.get("name", "app"), "version": manifest.get("version", "1.0.0"),
            "lockfileVersion": 1, "requires": True,
            "dependencies": {n: {"version": _npm_package(n).version} for n in sorted(wanted)}}
    ctx.write("node_modules/.package-lock.json", json.dumps(lock, indent=2) + "\n")
    if not ctx.is_file("package-lock.json") or names:
        ctx.write("package-lock.json", json.dumps(lock, indent=2) + "\n")
    if names:
        ctx.write("package.json", json.dumps(manifest, indent=2) + "\n")
    if cache_size:
        home = ctx.env.get("HOME", "/root")
        digest = hashlib.sha256(json.dumps(sorted(wanted)).encode()).hexdigest()[:16]
        ctx.write_model(f"{home}/.npm/_cacache/content-v2/sha512/{digest[:2]}/{digest}", cache_size,
                        cache_size, about="npm이 내려받은 패키지 묶음(tarball) 캐시")
    ctx.out(f"added {added} packages, and audited {added + 1} packages (모형)\n")
    return 0


def _npm_package(name: str) -> Package:
    return NPM.get(name) or Package(name, "1.0.0", NPM_DEFAULT_SIZE, NPM_DEFAULT_SIZE // 4,
                                    ("index.js",), (), 0, 1, {},
                                    "모형 표에 없는 패키지: 기본 크기 1MB로 셈")


def _npm_run(ctx: CommandContext, args: "list[str]") -> int:
    if not args:
        return ctx.fail("npm ERR! 실행할 스크립트 이름이 없습니다(npm run build처럼).", 1)
    name, extra = args[0], [a for a in args[1:] if a != "--"]
    manifest = _read_json(ctx, "package.json", "package.json")
    scripts = manifest.get("scripts") or {}
    if name not in scripts:
        return ctx.fail(f"npm ERR! missing script: {name}", 1)
    script = " ".join([scripts[name]] + extra)
    ctx.out(f"\n> {manifest.get('name', 'app')}@{manifest.get('version', '1.0.0')} {name} {ctx.cwd}\n"
            f"> {script}\n\n")
    env = dict(ctx.env)
    env["PATH"] = f"{ctx.path('node_modules/.bin')}:{env.get('PATH', '')}"
    return ctx.run(script, env)


# -- bundlers (run through npm scripts) ----------------------------------------------------

_SOURCE = re.compile(r"\.(m?jsx?|tsx?)$")


def _sources(ctx: CommandContext, folder: str) -> "list[str]":
    found: "list[str]" = []
    if not ctx.is_dir(folder):
        return found
    for name in ctx.listdir(folder):
        path = f"{folder}/{name}"
        if ctx.is_dir(path):
            found += _sources(ctx, path)
        else:
            found.append(path)
    return found


def _hash8(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:8]


def _bundle(ctx: CommandContext, files: "list[str]", pattern: "re.Pattern[str]") -> bytes:
    chunks = []
    for path in files:
        if pattern.search(path):
            text = ctx.read_text(path)
            lines = [line.strip() for line in text.splitlines()]
            kept = [line for line in lines if line and not line.startswith("//")]
            chunks.append(f"/* {path} */\n" + "\n".join(kept))
    return ("\n".join(chunks) + "\n").encode("utf-8") if chunks else b""


def _build_site(ctx: CommandContext, tool: str, out_dir: str, index: "str | None") -> int:
    files = _sources(ctx, "src")
    if not files:
        return ctx.fail(f"{tool}: src/ 폴더에 소스 파일이 없습니다(COPY . . 를 했는지 확인하세요).", 1)
    if ctx.exists(out_dir):
        ctx.delete(out_dir)
    script = _bundle(ctx, files, _SOURCE)
    style = _bundle(ctx, files, re.compile(r"\.css$"))
    js_name = f"assets/index-{_hash8(script)}.js"
    written = [(js_name, script)]
    if style:
        written.append((f"assets/index-{_hash8(style)}.css", style))
    if index is not None:
        html = ctx.read_text(index)
        html = re.sub(r'<script[^>]*src="[^"]*"[^>]*>\s*</script>',
                      f'<script type="module" crossorigin src="/{js_name}"></script>', html)
        if style:
            html = html.replace("</head>", f'  <link rel="stylesheet" href="/{written[1][0]}">\n  </head>')
        written.insert(0, ("index.html", html.encode("utf-8")))
    for name in _sources(ctx, "public"):
        written.append((name[len("public/"):], ctx.read_bytes(name)))
    for name, data in written:
        ctx.write(f"{out_dir}/{name}", data)
    modules = sum(1 for f in files if _SOURCE.search(f) or f.endswith(".css"))
    ctx.out(f"✓ {modules} modules transformed.\n")
    for name, data in written:
        ctx.out(f"{out_dir}/{name:<34} {len(data) / 1000:.2f} kB\n")
    return 0


@program("vite", "vite build: src/와 index.html로 dist/를 만듭니다(모형 번들러; npm install 뒤 npm run "
                 "build로)")
def _vite(ctx: CommandContext) -> int:
    ctx.require("node")
    if ctx.args[:1] != ["build"]:
        return ctx.fail("vite: 모형은 'vite build'만 지원합니다(개발 서버는 빌드에서 쓰지 않습니다).", 1)
    if not ctx.is_file("index.html"):
        return ctx.fail('error during build:\nCould not resolve entry module "index.html".', 1)
    ctx.out(f"vite v{_npm_package('vite').version} building for production...\n")
    return _build_site(ctx, "vite", "dist", "index.html")


@program("webpack", "webpack: src/로 dist/main.js를 만듭니다(모형 번들러)")
def _webpack(ctx: CommandContext) -> int:
    ctx.require("node")
    index = "public/index.html" if ctx.is_file("public/index.html") else None
    return _build_site(ctx, "webpack", "dist", index)


# -- python and pip ------------------------------------------------------------------------

def _python_version(ctx: CommandContext) -> str:
    return _version_of(ctx, "python3", "PYTHON_VERSION") or "3"


@program("python3", "Python (모형): python3 --version, python3 -m pip install …")
def _python3(ctx: CommandContext) -> int:
    if ctx.args[:1] in (["--version"], ["-V"]):
        ctx.out(f"Python {_python_version(ctx)}\n")
        return 0
    if ctx.args[:2] == ["-m", "pip"]:
        inner = CommandContext(ctx.session, "pip", ctx.args[2:], ctx.env, ctx.stdin)
        status = _pip_main(inner)
        ctx.stdout += inner.stdout
        ctx.stderr += inner.stderr
        return status
    return ctx.fail("python3: 모형 셸은 파이썬 코드를 실행하지 않습니다(--version, -m pip만 지원).")


@program("python", "python3과 같음(모형)")
def _python(ctx: CommandContext) -> int:
    return _python3(ctx)


def _site_packages(ctx: CommandContext) -> str:
    version = ".".join(_python_version(ctx).split(".")[:2])
    return f"/usr/local/lib/python{version}/site-packages"


def _pip_main(ctx: CommandContext) -> int:
    ctx.require("python3")
    if ctx.args[:1] in (["--version"], ["-V"]):
        ctx.out(f"pip 23.2.1 from {_site_packages(ctx)}/pip (python {_python_version(ctx)[:4]})\n")
        return 0
    if ctx.args[:1] != ["install"]:
        return ctx.fail("pip: 모형은 'pip install'만 지원합니다.", 1)
    args, names, no_cache = list(ctx.args[1:]), [], bool(ctx.env.get("PIP_NO_CACHE_DIR"))
    site = _site_packages(ctx)
    while args:
        arg = args.pop(0)
        if arg.startswith("--") and "=" in arg:
            arg, value = arg.split("=", 1)
            args.insert(0, value)
        if arg == "--no-cache-dir":
            no_cache = True
        elif arg in ("--target", "-t", "--prefix") and args:
            folder = ctx.path(args.pop(0))
            site = folder if arg != "--prefix" else folder + site[len("/usr/local"):]
        elif arg in ("-r", "--requirement"):
            path = args.pop(0) if args else ""
            if not ctx.is_file(path):
                return ctx.fail(f"ERROR: Could not open requirements file: [Errno 2] No such file or "
                                f"directory: '{path}'", 1)
            for line in ctx.read_text(path).splitlines():
                line = line.split("#")[0].strip()
                if line:
                    names.append(line)
        elif arg.startswith("-"):
            continue
        else:
            names.append(arg)
    names = [re.split(r"[<>=!~\[; ]", n)[0].lower() for n in names]
    if not names:
        return ctx.fail("ERROR: You must give at least one requirement to install", 1)
    installed, cache = [], 0
    for name in names:
        ctx.out(f"Collecting {name}\n")
        package = PIP.get(name) or Package(name, "1.0.0", PIP_DEFAULT_SIZE, PIP_DEFAULT_SIZE // 3,
                                           (), (), 0, 1, {}, "모형 표에 없는 패키지: 기본 크기 1MB")
        module = name.replace("-", "_")
        ctx.write_model(f"{site}/{module}/__init__.py", package.size, package.packed,
                        about=f"파이썬 패키지 {name} {package.version} (의존성 {package.count - 1}개 포함 "
                              f"크기)")
        ctx.write(f"{site}/{module}-{package.version}.dist-info/METADATA",
                  f"Metadata-Version: 2.1\nName: {name}\nVersion: {package.version}\n")
        installed.append(f"{name}-{package.version}")
        cache += package.packed
    if not no_cache:
        home = ctx.env.get("HOME", "/root")
        digest = hashlib.sha256(" ".join(sorted(names)).encode()).hexdigest()[:16]
        ctx.write_model(f"{home}/.cache/pip/http-v2/{digest[0]}/{digest}", cache, cache,
                        about="pip이 내려받은 휠(wheel) 캐시 (--no-cache-dir로 없앨 수 있음)")
    ctx.out(f"Successfully installed {' '.join(installed)}\n")
    return 0


@program("pip", "파이썬 패키지 관리자: pip install [--no-cache-dir] 패키지… | -r requirements.txt")
def _pip(ctx: CommandContext) -> int:
    return _pip_main(ctx)


@program("pip3", "pip과 같음(모형)")
def _pip3(ctx: CommandContext) -> int:
    return _pip_main(ctx)
