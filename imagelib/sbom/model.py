"""The value ``il.sbom`` returns: ``SBOM``, the packages of one image."""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass

from ..digest import Digest
from .package import ECOSYSTEMS, Package


@dataclass(frozen=True)
class SBOM:
    """소프트웨어 자재 명세서(SBOM, Software Bill of Materials): 이미지에 든 패키지의 목록.

    ``to_spdx()`` 는 SPDX 2.3 JSON, ``to_cyclonedx()`` 는 CycloneDX 1.5 JSON 바이트를 돌려줍니다.
    같은 이미지에서는 언제 어디서 만들어도 같은 바이트입니다(시각은 ``SOURCE_DATE_EPOCH`` 또는 1970-01-01).
    """

    image_digest: Digest
    packages: "tuple[Package, ...]"

    def count(self) -> "dict[str, int]":
        """생태계별 패키지 수(예: ``{"apk": 15, "npm": 3}``)."""
        counts = Counter(package.ecosystem for package in self.packages)
        return {ecosystem: counts[ecosystem] for ecosystem in ECOSYSTEMS if counts[ecosystem]}

    def to_spdx(self) -> bytes:
        """SPDX 2.3 JSON 문서(UTF-8 바이트)."""
        from .spdx import spdx_document

        return spdx_document(self.image_digest, self.packages)

    def to_cyclonedx(self) -> bytes:
        """CycloneDX 1.5 JSON 문서(UTF-8 바이트)."""
        from .cyclonedx import cyclonedx_document

        return cyclonedx_document(self.image_digest, self.packages)

    def rows(self) -> "list[tuple[str, str, str, str, str, str]]":
        """표의 줄: (생태계, 이름, 버전, 라이선스, 레이어, 기록 파일)."""
        return [(p.ecosystem, p.name, p.version, p.license or "-", str(p.layer_index), p.path) for p in self.packages]

    def __len__(self) -> int:
        return len(self.packages)

    def __repr__(self) -> str:
        counts = ", ".join(f"{ecosystem} {number}" for ecosystem, number in self.count().items()) or "없음"
        return f"<SBOM {self.image_digest.short} 패키지 {len(self.packages)}개 ({counts})>"

    def _repr_html_(self) -> str:
        head = "".join(
            f"<th style='text-align:left'>{title}</th>"
            for title in ("생태계", "이름", "버전", "라이선스", "레이어", "기록 파일")
        )
        body = "".join(
            "<tr>" + "".join(f"<td style='text-align:left'>{html.escape(cell)}</td>" for cell in row) + "</tr>"
            for row in self.rows()
        )
        return f"<div><b>{html.escape(repr(self))}</b><table><tr>{head}</tr>{body}</table></div>"
