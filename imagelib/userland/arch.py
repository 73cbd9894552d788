"""명령이 도는 기계의 아키텍처와, 배포판마다 그 아키텍처를 부르는 이름.

``RUN`` 은 이미지의 플랫폼에서 돕니다(``--platform=linux/arm64`` 빌드는 arm64 베이스 위에서). 그래서
패키지 관리자가 적는 이름도 그 아키텍처의 것이어야 합니다: Alpine의 apk는 ``x86_64``/``aarch64``,
Debian의 dpkg는 ``amd64``/``arm64``, 라이브러리 폴더는 ``x86_64-linux-gnu``/``aarch64-linux-gnu``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..oci import Platform
from .context import CommandContext
from .errors import CommandFailed


@dataclass(frozen=True)
class ArchNames:
    """한 아키텍처를 부르는 이름들(apk, dpkg, GNU 멀티아키 폴더, Alpine의 gcc 대상)."""

    apk: str
    dpkg: str
    gnu: str
    alpine_gcc: str


# (architecture, variant) as OCI states them -> the names Alpine and Debian give that machine.
# arm/v6 is Alpine's armhf; Debian has no v6 port, so its armel (v5) serves there as in Docker's images.
_NAMES = {
    ("amd64", ""): ArchNames("x86_64", "amd64", "x86_64-linux-gnu", "x86_64-alpine-linux-musl"),
    ("arm64", ""): ArchNames("aarch64", "arm64", "aarch64-linux-gnu", "aarch64-alpine-linux-musl"),
    ("arm", "v7"): ArchNames("armv7", "armhf", "arm-linux-gnueabihf", "armv7-alpine-linux-musleabihf"),
    ("arm", "v6"): ArchNames("armhf", "armel", "arm-linux-gnueabi", "armv6-alpine-linux-musleabihf"),
    ("386", ""): ArchNames("x86", "i386", "i386-linux-gnu", "i586-alpine-linux-musl"),
    ("ppc64le", ""): ArchNames("ppc64le", "ppc64el", "powerpc64le-linux-gnu", "powerpc64le-alpine-linux-musl"),
    ("s390x", ""): ArchNames("s390x", "s390x", "s390x-linux-gnu", "s390x-alpine-linux-musl"),
    ("riscv64", ""): ArchNames("riscv64", "riscv64", "riscv64-linux-gnu", "riscv64-alpine-linux-musl"),
}
AMD64 = _NAMES[("amd64", "")]


def arch_names(ctx: CommandContext) -> ArchNames:
    """명령이 도는 이미지의 아키텍처 이름들. 설정에 아키텍처가 없으면 amd64로 봅니다."""
    image = ctx.fs.image
    platform = Platform.of_config(image.config_json).normalized()
    architecture = platform.architecture or "amd64"
    variant = "" if architecture == "amd64" else platform.variant  # amd64/v2, v3 run the same packages
    names = _NAMES.get((architecture, variant))
    if names is None:
        known = ", ".join(f"{a}/{v}" if v else a for a, v in _NAMES)
        raise CommandFailed(f"{ctx.name}: 모형은 아키텍처 {image.platform}의 패키지 이름을 모릅니다(아는 것: {known}).")
    return names


def renamed(path: str, names: ArchNames) -> str:
    """amd64로 적힌 패키지 파일 경로를 이 아키텍처의 경로로 바꿉니다."""
    if names == AMD64:
        return path
    path = path.replace(AMD64.alpine_gcc, names.alpine_gcc)
    return path.replace(AMD64.gnu, names.gnu)
