"""``il.open``: any ``docker save`` tar, OCI image layout folder or OCI archive -> Image."""

from __future__ import annotations

import os

from ..errors import ImageFormatError
from ..image import Image
from .archive import Source, open_source
from .choice import ImageChoice, choose, merge
from .docker import MANIFEST_FILE, REPOSITORIES_FILE, legacy_choices, manifest_json_choices
from .layout import INDEX_FILE, OCI_LAYOUT_FILE
from .oci import layout_choices


def list_images(path: "str | os.PathLike") -> "list[ImageChoice]":
    """파일(또는 폴더) 안에 든 이미지 후보들: 이름, 플랫폼, 다이제스트. 읽지는 않습니다."""
    source = open_source(path)
    return _choices(source)


def open_image(path: "str | os.PathLike", ref: "str | None" = None,
               platform: "str | None" = None) -> Image:
    """이미지 파일을 엽니다: ``docker save`` 로 만든 tar(모든 세대), OCI 이미지 레이아웃 폴더나 tar.

    파일에 이미지가 여럿이면 ``ref`` (예: ``"myapp:1.0"``, 태그, 다이제스트)로 고르고,
    플랫폼이 여럿인 이미지 인덱스는 ``platform`` (예: ``"linux/arm64"``)으로 고릅니다.
    플랫폼을 주지 않으면 linux/amd64, 그것이 없으면 하나뿐인 플랫폼을 씁니다.
    모든 블롭은 다이제스트와 크기를, 모든 레이어는 설정의 diff_id를 검사합니다.
    tar는 통째로 풀지 않고 필요한 부분만 읽습니다.
    """
    source = open_source(path)
    return choose(_choices(source), source.label, ref, platform).load()


def _choices(source: Source) -> "list[ImageChoice]":
    if source.exists(INDEX_FILE) and (source.exists(OCI_LAYOUT_FILE) or source.exists(MANIFEST_FILE)):
        choices = merge(layout_choices(source))
        if choices or not source.exists(MANIFEST_FILE):
            return choices
    if source.exists(MANIFEST_FILE):
        return manifest_json_choices(source)
    if source.exists(REPOSITORIES_FILE):
        return legacy_choices(source)
    raise ImageFormatError(
        f"{source.label}은(는) 이미지 파일이 아닙니다: index.json(OCI 이미지 레이아웃), manifest.json이나 "
        "repositories(docker save)가 없습니다. docker save나 skopeo로 만든 파일인지 확인하세요.")
