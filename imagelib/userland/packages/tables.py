"""패키지 관리자 모형이 함께 쓰는 부분: 패키지 표(table), 패키지 더하기, 크기를 파일에 나누기.

관리자마다 표가 하나씩 있습니다(``apk.APK``, ``apt.APT``, ``npm.NPM``, ``pip.PIP``). 표에 적힌 크기는
의존성을 포함한 설치 크기이고, 설치하면 그 크기를 패키지의 대표 파일 몇 개에 나누어 모형 파일로 씁니다.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ... import modelfile
from ..context import CommandContext
from ..errors import ShellError

MB = 1_000_000


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


def pkg(name, version, size_mb, packed_mb=None, files=(), deps=(), recommends_mb=0.0, count=1, bins=None, about=""):
    """A table row, sizes in MB (download size: 40 % of the installed size unless given)."""
    size = round(size_mb * MB)
    packed = round((packed_mb if packed_mb is not None else size_mb * 0.4) * MB)
    return Package(
        name,
        version,
        size,
        packed,
        tuple(files),
        tuple(deps),
        round(recommends_mb * MB),
        count,
        dict(bins or {}),
        about,
    )


TABLES: "dict[str, dict[str, Package]]" = {}
"""Package manager name ('apk', 'apt', 'npm', 'pip') -> its table; each manager's module adds its own."""


def new_table(manager: str, packages: "list[Package]") -> "dict[str, Package]":
    """Make ``manager``'s table (name -> package) and list it where ``register_package`` finds it."""
    table = {p.name: p for p in packages}
    TABLES[manager] = table
    return table


def register_package(
    manager: str,
    name: str,
    version: str,
    size: float,
    packed: "float | None" = None,
    *,
    files: "tuple[str, ...] | list[str]" = (),
    deps: "tuple[str, ...] | list[str]" = (),
    bins: "dict[str, str] | None" = None,
    replace: bool = False,
) -> Package:
    """모형 패키지 표에 패키지를 더합니다. ``manager`` 는 'apk', 'apt', 'npm', 'pip' 중 하나이고
    크기는 바이트입니다(의존성 포함 설치 크기). ``files`` 는 amd64의 경로로 적습니다
    (``usr/lib/x86_64-linux-gnu/…``): apk와 apt는 arm64 빌드에서 그 아키텍처의 경로로 바꿔 씁니다."""
    table = TABLES.get(manager)
    if table is None:
        raise ShellError(f"패키지 관리자 {manager!r}는 모릅니다. 'apk', 'apt', 'npm', 'pip' 중에서 고르세요.")
    if name in table and not replace:
        raise ShellError(f"{manager} 표에 {name!r}가 이미 있습니다. 바꾸려면 replace=True를 주세요.")
    package = Package(
        name,
        version,
        int(size),
        int(packed if packed is not None else size * 0.4),
        tuple(files),
        tuple(deps),
        0,
        1,
        dict(bins or {}),
    )
    table[name] = package
    return package


def share(package: Package, extra: int = 0) -> "list[tuple[str, int, int]]":
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
    return [(path, size, round(packed * size / max(total, 1))) for path, size in zip(files, sizes, strict=True)]


def closure(table: "dict[str, Package]", names: "list[str]") -> "list[Package]":
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


def file_mode(path: str) -> int:
    """Executable where programs live (bin, sbin, libexec), plain file elsewhere."""
    return 0o755 if "/bin/" in f"/{path}" or "/sbin/" in f"/{path}" or "libexec" in path else 0o644


def version_of(ctx: CommandContext, name: str, env_key: str) -> str:
    """The version a program's model file declares, else the image's ``env_key`` (NODE_VERSION …)."""
    found = ctx.session.find_program(name, ctx.env)[0]
    if found:
        declared = modelfile.declared(ctx.lookup(found))
        if declared is not None and declared.get("version"):
            return declared.get("version")
    return ctx.env.get(env_key, "")
