"""SBOM(소프트웨어 자재 명세서): 이미지에 든 패키지를, 실제 이미지가 지닌 패키지 데이터베이스에서 읽습니다.

    sbom = il.sbom(img)
    sbom.packages          # Package(ecosystem, name, version, license, layer_index, path, purl) 들
    sbom.to_spdx()         # SPDX 2.3 JSON 바이트
    sbom.to_cyclonedx()    # CycloneDX 1.5 JSON 바이트

읽는 기록은 syft 같은 도구가 읽는 것과 같습니다: apk(``/lib/apk/db/installed``), dpkg
(``/var/lib/dpkg/status`` 와 distroless의 ``/var/lib/dpkg/status.d/``), npm
(``node_modules/**/package.json``), 파이썬(``*.dist-info/METADATA``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..limits import resolve_limits
from . import apk, dpkg, npm, python
from .context import ReadContext, distro_id
from .model import SBOM
from .package import ECOSYSTEMS, Package

if TYPE_CHECKING:
    from ..image import Image
    from ..limits import Limits

READERS = (
    (apk.is_record, apk.read),
    (dpkg.is_record, dpkg.read),
    (npm.is_record, npm.read),
    (python.is_record, python.read),
)


def sbom(img: Image, limits: "Limits | None" = None) -> SBOM:
    """이미지의 패키지 목록(SBOM)을 만듭니다.

    이미지의 파일 트리(``img.rootfs()``)에서 패키지 기록을 찾아 읽습니다. 패키지마다 그 기록을
    마지막으로 쓴 레이어(``layer_index``)를 알려 줍니다. 기록 파일이 너무 크면
    ``LimitExceededError`` (한도 ``max_record_bytes``), 망가졌으면 ``PackageRecordError`` 를 냅니다.
    """
    chosen = resolve_limits(limits)
    tree = img.rootfs()
    context = ReadContext(img.layers, chosen, distro_id(tree, chosen))
    found: "list[Package]" = []
    for node in tree.walk():
        if node.kind not in ("file", "hardlink"):
            continue
        for matches, read in READERS:
            if matches(node.path):
                found.extend(read(node, context))
    found.sort(key=lambda p: (ECOSYSTEMS.index(p.ecosystem), p.name, p.version, p.path))
    return SBOM(img.digest, tuple(found))


__all__ = ["SBOM", "Package", "sbom"]
