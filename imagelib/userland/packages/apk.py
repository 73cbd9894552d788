"""apk (Alpine의 패키지 관리자) 모형: ``apk add [--no-cache] [--virtual 이름]``, ``apk del``, ``apk update``.

크기는 Alpine 3.17~3.19의 ``apk info -s`` 가 보여 주는 설치 크기(의존성 포함으로 합산)의 근삿값입니다.
``--no-cache`` 가 없으면 ``/var/cache/apk`` 에 색인이 남는 것까지 실제와 같습니다.
"""

from __future__ import annotations

import hashlib
import posixpath

from ...display import human_size
from ..arch import ArchNames, arch_names, renamed
from ..context import CommandContext
from ..table import program
from .tables import Package, closure, file_mode, new_table, pkg, share

APK = new_table(
    "apk",
    [
        pkg("bash", "5.2.21-r0", 1.6, files=["bin/bash", "usr/lib/libreadline.so.8.2"]),
        pkg("curl", "8.5.0-r0", 1.9, files=["usr/bin/curl", "usr/lib/libcurl.so.4.8.0"], deps=["ca-certificates"]),
        pkg(
            "ca-certificates",
            "20230506-r0",
            0.7,
            files=["etc/ssl/certs/ca-certificates.crt", "usr/bin/update-ca-certificates"],
        ),
        pkg("git", "2.43.0-r0", 13.0, files=["usr/bin/git", "usr/libexec/git-core/git-remote-http"]),
        pkg(
            "python3",
            "3.11.6-r1",
            45.0,
            files=["usr/bin/python3.11", "usr/lib/libpython3.11.so.1.0", "usr/lib/python3.11/os.py"],
        ),
        pkg("make", "4.4.1-r2", 0.27, files=["usr/bin/make"]),
        pkg(
            "gcc",
            "13.2.1-r0",
            96.0,
            files=[
                "usr/bin/gcc",
                "usr/libexec/gcc/x86_64-alpine-linux-musl/13.2.1/cc1",
                "usr/libexec/gcc/x86_64-alpine-linux-musl/13.2.1/lto1",
                "usr/bin/ld",
                "usr/include/stdio.h",
            ],
        ),
        pkg(
            "g++",
            "13.2.1-r0",
            44.0,
            files=[
                "usr/bin/g++",
                "usr/libexec/gcc/x86_64-alpine-linux-musl/13.2.1/cc1plus",
                "usr/include/c++/13.2.1/iostream",
            ],
            deps=["gcc"],
        ),
        pkg("build-base", "0.5-r3", 0.01, files=["usr/share/doc/build-base/README"], deps=["gcc", "g++", "make"]),
        pkg("tzdata", "2023c-r1", 1.7, files=["usr/share/zoneinfo/Asia/Seoul", "usr/share/zoneinfo/UTC"]),
        pkg("nodejs", "20.10.0-r1", 62.0, files=["usr/bin/node", "usr/lib/libicudata.so.74"]),
        pkg("npm", "10.2.5-r0", 9.5, files=["usr/lib/node_modules/npm/index.js", "usr/bin/npm"], deps=["nodejs"]),
        pkg("openssl", "3.1.4-r2", 0.9, files=["usr/bin/openssl"]),
        pkg("jq", "1.7.1-r0", 0.7, files=["usr/bin/jq"]),
        pkg("htop", "3.2.2-r1", 0.5, files=["usr/bin/htop"]),
    ],
)

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
    arch = arch_names(ctx).apk
    for repo, size in APK_INDEXES:
        ctx.out(f"fetch https://dl-cdn.alpinelinux.org/alpine/{branch}/{repo}/{arch}/APKINDEX.tar.gz\n")
        if keep:
            digest = hashlib.sha256(f"{branch}/{repo}".encode()).hexdigest()[:8]
            ctx.write_model(
                f"/var/cache/apk/APKINDEX.{digest}.tar.gz", size, size, about=f"Alpine {branch} {repo} 패키지 색인"
            )


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
    cached = ctx.is_dir("/var/cache/apk") and any(n.startswith("APKINDEX") for n in ctx.listdir("/var/cache/apk"))
    if not cached:
        _apk_fetch_indexes(ctx, keep=not no_cache)
    if unknown:
        lines = "".join(f"  {n} (no such package):\n    required by: world[{n}]\n" for n in unknown)
        return ctx.fail(
            "ERROR: unable to select packages:\n"
            + lines.rstrip("\n")
            + f"\n(모형 표에 있는 apk 패키지: {', '.join(sorted(APK))})"
        )
    installed = _apk_installed(ctx)
    todo = [p for p in closure(APK, names) if p.name not in installed]
    db = ctx.read_text(APK_DB) if ctx.is_file(APK_DB) else ""
    arch = arch_names(ctx)
    for number, package in enumerate(todo, start=1):
        ctx.out(f"({number}/{len(todo)}) Installing {package.name} ({package.version})\n")
        entries = [(renamed(path, arch), size, packed) for path, size, packed in share(package)]
        for path, size, packed in entries:
            ctx.write_model(
                "/" + path, size, packed, mode=file_mode(path), about=f"apk 패키지 {package.name} {package.version}"
            )
        db += _apk_record(package, [path for path, _, _ in entries], arch)
    if virtual:
        ctx.out(f"Installing {virtual} (20240101.000000)\n")
        db += f"P:{virtual}\nV:20240101.000000\nA:noarch\nI:0\nT:virtual meta package\nD:{' '.join(names)}\n\n"
    ctx.write(APK_DB, db)
    world = ctx.read_text("/etc/apk/world").split() if ctx.is_file("/etc/apk/world") else []
    for name in [virtual] if virtual else names:
        if name not in world:
            world.append(name)
    ctx.write("/etc/apk/world", "\n".join(sorted(world)) + "\n")
    total = sum(p.size for p in todo)
    ctx.out(f"OK: {human_size(total)} 추가 (모형)\n")
    return 0


def _apk_record(package: Package, paths: "list[str]", arch: ArchNames) -> str:
    lines = [
        f"P:{package.name}",
        f"V:{package.version}",
        f"A:{arch.apk}",
        f"I:{package.size}",
        f"T:{package.name} (imagelib 모형)",
    ]
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
