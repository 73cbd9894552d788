"""apt-get·dpkg (Debian, Ubuntu의 패키지 관리자) 모형: ``apt-get update``, ``apt-get install -y``,
``apt-get remove``, ``apt-get clean``.

크기는 Debian의 ``apt show`` 가 보여 주는 Installed-Size(``--no-install-recommends`` 기준 의존성 포함
합산; 추천 패키지는 ``recommends`` 로 따로)의 근삿값입니다. ``apt-get update`` 를 하지 않으면
``apt-get install`` 이 패키지를 찾지 못하고, ``apt-get update`` 가 ``/var/lib/apt/lists`` 에 남긴 목록은
``apt-get clean`` 으로 지워지지 않는 것까지 실제와 같습니다.
"""

from __future__ import annotations

import re

from ..arch import arch_names, renamed
from ..context import CommandContext
from ..table import program
from .tables import closure, file_mode, new_table, pkg, share

APT = new_table(
    "apt",
    [
        pkg(
            "curl",
            "7.88.1-10",
            5.6,
            files=["usr/bin/curl", "usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0"],
            deps=["ca-certificates"],
            recommends_mb=0.0,
        ),
        pkg("wget", "1.21.3-1", 3.6, files=["usr/bin/wget"], deps=["ca-certificates"]),
        pkg("ca-certificates", "20230311", 2.4, files=["etc/ssl/certs/ca-certificates.crt", "usr/bin/openssl"]),
        pkg(
            "git",
            "1:2.39.2-1.1",
            52.0,
            files=["usr/bin/git", "usr/lib/git-core/git-remote-http", "usr/share/perl5/Git.pm"],
            recommends_mb=9.0,
        ),
        pkg("python3", "3.11.2-1", 25.0, files=["usr/bin/python3.11", "usr/lib/python3.11/os.py"], recommends_mb=14.0),
        pkg(
            "build-essential",
            "12.9",
            205.0,
            files=[
                "usr/bin/gcc-12",
                "usr/bin/g++-12",
                "usr/libexec/gcc/x86_64-linux-gnu/12/cc1",
                "usr/libexec/gcc/x86_64-linux-gnu/12/cc1plus",
                "usr/include/stdio.h",
                "usr/bin/make",
            ],
            recommends_mb=15.0,
        ),
        pkg("make", "4.3-4.1", 1.5, files=["usr/bin/make"]),
        pkg("vim", "2:9.0.1378-2", 41.0, files=["usr/bin/vim.basic", "usr/share/vim/vim90/syntax/c.vim"]),
        pkg("nginx", "1.22.1-9", 3.2, files=["usr/sbin/nginx", "etc/nginx/nginx.conf"]),
        pkg("procps", "2:4.0.2-3", 2.1, files=["usr/bin/ps", "usr/bin/top"]),
        pkg("iputils-ping", "3:20221126-1", 0.12, files=["usr/bin/ping"]),
        pkg("net-tools", "2.10-0.1", 1.0, files=["usr/sbin/ifconfig", "usr/bin/netstat"]),
        pkg("unzip", "6.0-28", 0.4, files=["usr/bin/unzip"]),
        pkg("jq", "1.6-2.1", 0.5, files=["usr/bin/jq"]),
        pkg("libpq-dev", "15.5-0", 1.2, files=["usr/include/postgresql/libpq-fe.h"]),
        pkg("gnupg", "2.2.40-1.1", 9.0, files=["usr/bin/gpg"]),
        pkg("tzdata", "2024a-0", 3.3, files=["usr/share/zoneinfo/Asia/Seoul", "usr/share/zoneinfo/UTC"]),
    ],
)

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
    """(list file stem, printed source, size) for the distribution and architecture of the image."""
    info = _os_release(ctx)
    codename = info.get("VERSION_CODENAME", "stable")
    arch = arch_names(ctx).dpkg
    if info.get("ID") == "ubuntu":
        return _ubuntu_sources(codename, arch)
    return [
        _source("deb.debian.org", "debian", f"{codename}/main", arch, 8_800_000),
        _source("deb.debian.org", "debian", f"{codename}-updates/main", arch, 40_000),
        _source("deb.debian.org", "debian-security", f"{codename}-security/main", arch, 330_000),
    ]


def _ubuntu_sources(codename: str, arch: str) -> "list[tuple[str, str, int]]":
    # Ubuntu serves amd64 and i386 from archive/security.ubuntu.com, every other architecture from ports.
    main, security = ("archive", "security") if arch in ("amd64", "i386") else ("ports", "ports")
    archive = "ubuntu" if main == "archive" else "ubuntu-ports"
    return [
        _source(f"{main}.ubuntu.com", archive, f"{codename}/main", arch, 1_800_000),
        _source(f"{main}.ubuntu.com", archive, f"{codename}/universe", arch, 16_500_000),
        _source(f"{main}.ubuntu.com", archive, f"{codename}-updates/main", arch, 3_400_000),
        _source(f"{security}.ubuntu.com", archive, f"{codename}-security/main", arch, 2_900_000),
    ]


def _source(host: str, archive: str, suite_component: str, arch: str, size: int) -> "tuple[str, str, int]":
    """apt's list file stem for one ``Packages`` index, and the line ``apt-get update`` prints for it."""
    suite, component = suite_component.split("/")
    stem = f"{host}_{archive}_dists_{suite}_{component}_binary-{arch}_Packages.lz4"
    return stem, f"http://{host}/{archive} {suite_component} {arch} Packages", size


def _apt_has_lists(ctx: CommandContext) -> bool:
    return ctx.is_dir(APT_LISTS) and any(n.endswith("Packages.lz4") for n in ctx.listdir(APT_LISTS))


@program(
    "apt-get",
    "Debian/Ubuntu 패키지 관리자: apt-get update, apt-get install -y "
    "[--no-install-recommends] "
    "패키지…, "
    "apt-get remove, apt-get clean",
)
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
        return ctx.fail(
            f"E: Unable to locate package {names[0]}\n"
            "(패키지 목록이 비어 있습니다: 먼저 apt-get update를 같은 RUN에서 실행하세요)",
            100,
        )
    unknown = [n for n in names if n not in APT]
    if unknown:
        return ctx.fail(
            f"E: Unable to locate package {unknown[0]}\n(모형 표에 있는 apt 패키지: {', '.join(sorted(APT))})", 100
        )
    status_text = ctx.read_text(DPKG_STATUS) if ctx.is_file(DPKG_STATUS) else ""
    installed = set(re.findall(r"^Package: (\S+)$", status_text, re.MULTILINE))
    todo = [p for p in closure(APT, names) if p.name not in installed]
    extra = sum(p.recommends for p in todo) if recommends else 0
    total = sum(p.size for p in todo) + extra
    ctx.out(
        f"The following NEW packages will be installed:\n  {' '.join(p.name for p in todo)}\n"
        f"After this operation, {total // 1000} kB of additional disk space will be used.\n"
    )
    if not assume_yes and todo:
        return ctx.fail("Do you want to continue? [Y/n] Abort.\n(빌드에는 입력할 사람이 없습니다: -y를 붙이세요)", 1)
    log = ctx.read_text("/var/log/dpkg.log") if ctx.is_file("/var/log/dpkg.log") else ""
    arch = arch_names(ctx)
    for package in todo:
        ctx.out(f"Setting up {package.name} ({package.version}) ...\n")
        entries = [
            (renamed(path, arch), size, packed)
            for path, size, packed in share(package, package.recommends if recommends else 0)
        ]
        for path, size, packed in entries:
            ctx.write_model(
                "/" + path, size, packed, mode=file_mode(path), about=f"deb 패키지 {package.name} {package.version}"
            )
        ctx.write(f"/var/lib/dpkg/info/{package.name}.list", "".join(f"/{p}\n" for p, _, _ in entries))
        status_text += (
            f"Package: {package.name}\nStatus: install ok installed\n"
            f"Installed-Size: {package.size // 1024}\nVersion: {package.version}\n\n"
        )
        log += f"1970-01-01 00:00:00 status installed {package.name}:{arch.dpkg} {package.version}\n"
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
