"""One package an image holds, as ``il.sbom`` reports it."""

from __future__ import annotations

from dataclasses import dataclass

ECOSYSTEMS = ("apk", "deb", "npm", "python")
"""패키지 생태계: apk(Alpine), deb(Debian·Ubuntu의 dpkg), npm(Node.js), python(pip 등이 설치한 패키지)."""


@dataclass(frozen=True)
class Package:
    """이미지 안의 패키지 하나.

    - ``ecosystem``: ``"apk"``, ``"deb"``, ``"npm"``, ``"python"`` 중 하나
    - ``name``, ``version``: 패키지 관리자가 기록한 이름과 버전
    - ``license``: 기록된 라이선스(없으면 None). 기록된 글 그대로입니다.
    - ``layer_index``: 이 패키지의 기록을 마지막으로 쓴 레이어 번호(0 = 맨 아래)
    - ``path``: 기록이 든 파일의 경로(예: ``/lib/apk/db/installed``)
    - ``purl``: 패키지 URL(예: ``pkg:apk/alpine/curl@8.5.0-r0?arch=x86_64``)
    """

    ecosystem: str
    name: str
    version: str
    license: "str | None"
    layer_index: int
    path: str
    purl: str
