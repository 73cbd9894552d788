"""python·pip 모형: ``pip install [--no-cache-dir] 패키지… | -r requirements.txt``, ``python3 -m pip``.

크기는 manylinux 휠을 설치했을 때 site-packages에 풀리는 크기(의존성 포함)의 근삿값입니다.
``--no-cache-dir`` 가 없으면 내려받은 휠이 ``~/.cache/pip`` 에 남습니다(실제와 같음).
"""

from __future__ import annotations

import hashlib
import re

from ..context import CommandContext
from ..table import program
from .tables import MB, Package, new_table, pkg, version_of

PIP = new_table(
    "pip",
    [
        pkg("requests", "2.31.0", 1.6, 0.55, count=5),
        pkg("flask", "3.0.0", 3.2, 1.0, count=7),
        pkg("django", "5.0", 38.0, 8.5, count=3),
        pkg("numpy", "1.26.2", 63.0, 18.0, count=1),
        pkg("pandas", "2.1.4", 140.0, 33.0, count=6),
        pkg("fastapi", "0.104.1", 13.0, 3.5, count=9),
        pkg("uvicorn", "0.24.0", 1.3, 0.3, count=3),
        pkg("gunicorn", "21.2.0", 0.8, 0.2, count=2),
    ],
)
PIP_DEFAULT_SIZE = 1 * MB


def _python_version(ctx: CommandContext) -> str:
    return version_of(ctx, "python3", "PYTHON_VERSION") or "3"


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
            site = folder if arg != "--prefix" else folder + site[len("/usr/local") :]
        elif arg in ("-r", "--requirement"):
            path = args.pop(0) if args else ""
            if not ctx.is_file(path):
                return ctx.fail(
                    f"ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{path}'", 1
                )
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
        package = PIP.get(name) or Package(
            name,
            "1.0.0",
            PIP_DEFAULT_SIZE,
            PIP_DEFAULT_SIZE // 3,
            (),
            (),
            0,
            1,
            {},
            "모형 표에 없는 패키지: 기본 크기 1MB",
        )
        module = name.replace("-", "_")
        ctx.write_model(
            f"{site}/{module}/__init__.py",
            package.size,
            package.packed,
            about=f"파이썬 패키지 {name} {package.version} (의존성 {package.count - 1}개 포함 크기)",
        )
        ctx.write(
            f"{site}/{module}-{package.version}.dist-info/METADATA",
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {package.version}\n",
        )
        installed.append(f"{name}-{package.version}")
        cache += package.packed
    if not no_cache:
        home = ctx.env.get("HOME", "/root")
        digest = hashlib.sha256(" ".join(sorted(names)).encode()).hexdigest()[:16]
        ctx.write_model(
            f"{home}/.cache/pip/http-v2/{digest[0]}/{digest}",
            cache,
            cache,
            about="pip이 내려받은 휠(wheel) 캐시 (--no-cache-dir로 없앨 수 있음)",
        )
    ctx.out(f"Successfully installed {' '.join(installed)}\n")
    return 0


@program("pip", "파이썬 패키지 관리자: pip install [--no-cache-dir] 패키지… | -r requirements.txt")
def _pip(ctx: CommandContext) -> int:
    return _pip_main(ctx)


@program("pip3", "pip과 같음(모형)")
def _pip3(ctx: CommandContext) -> int:
    return _pip_main(ctx)
