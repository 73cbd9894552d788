"""``il.open``: any ``docker save`` tar, OCI image layout folder or OCI archive -> Image."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from ..errors import AmbiguousImageError, ImageFormatError, ImageLibError, TagNotFoundError
from ..image import Image
from ..imageindex import ImageIndex
from ..limits import Limits
from ..store.layout import INDEX_FILE, OCI_LAYOUT_FILE
from .archive import Source, open_source
from .choice import ImageChoice, choose, merge
from .docker import MANIFEST_FILE, REPOSITORIES_FILE, legacy_choices, manifest_json_choices
from .oci_layout import index_choices, layout_choices, load_index, read_index

_T = TypeVar("_T")


def list_images(path: "str | os.PathLike[str]", limits: "Limits | None" = None) -> "list[ImageChoice]":
    """파일(또는 폴더) 안에 든 이미지 후보들: 이름, 플랫폼, 다이제스트. 읽지는 않습니다."""
    source = open_source(path, limits)
    return structure_errors(lambda: _choices(source), source.label)


def open_image(
    path: "str | os.PathLike[str]",
    ref: "str | None" = None,
    platform: "str | None" = None,
    limits: "Limits | None" = None,
) -> Image:
    """이미지 파일을 엽니다: ``docker save`` 로 만든 tar(모든 세대), OCI 이미지 레이아웃 폴더나 tar.

    파일에 이미지가 여럿이면 ``ref`` (예: ``"myapp:1.0"``, 태그, 다이제스트)로 고르고,
    플랫폼이 여럿인 이미지 인덱스는 ``platform`` (예: ``"linux/arm64"``)으로 고릅니다.
    플랫폼을 주지 않으면 linux/amd64, 그것이 없으면 하나뿐인 플랫폼을 씁니다.
    모든 블롭은 다이제스트와 크기를, 모든 레이어는 설정의 diff_id를 검사합니다.
    tar는 통째로 풀지 않고 필요한 부분만 읽습니다.

    남이 만든 파일도 안전하게 엽니다: 아카이브 밖을 가리키는 경로, 잘못된 다이제스트, 위험한
    레이어 항목은 거절하고, 압축 폭탄, 거대한 JSON, 모든 레이어를 더해 항목이 너무 많은 이미지는
    ``limits`` (기본 ``il.Limits()``)를 넘는 순간 LimitExceededError로 멈춥니다.
    """
    source = open_source(path, limits)
    choices = structure_errors(lambda: _choices(source), source.label)
    chosen = choose(choices, source.label, ref, platform)
    return structure_errors(chosen.load, source.label)


def open_index(path: "str | os.PathLike[str]", ref: "str | None" = None, limits: "Limits | None" = None) -> ImageIndex:
    """OCI 이미지 레이아웃 폴더나 tar(도커 25+의 ``docker save`` 포함)에서 이미지 인덱스를 통째로 엽니다.

    ``index.json`` 이 가리키는 이미지 인덱스를 모든 플랫폼의 이미지와 함께 돌려줍니다(모든 블롭 검사).
    인덱스가 여럿이면 ``ref`` (이름, 태그, 인덱스 다이제스트)로 고릅니다. 플랫폼 하나만 필요하면
    ``il.open(path, platform="linux/arm64")`` 를 쓰세요.
    """
    source = open_source(path, limits)
    if not source.exists(INDEX_FILE):
        raise ImageFormatError(f"{source.label}에 index.json이 없어 이미지 인덱스를 찾을 수 없습니다.")
    choices = structure_errors(lambda: index_choices(source), source.label)
    if ref is not None:
        choices = [choice for choice in choices if choice.matches(str(ref))]
    if len(choices) != 1:
        found = ", ".join(choice.label for choice in choices) or "없음"
        wanted = f" {str(ref)!r}" if ref is not None else ""
        error = TagNotFoundError if not choices else AmbiguousImageError
        raise error(f"{source.label}에서 이미지 인덱스{wanted}를 하나로 정할 수 없습니다(찾은 인덱스: {found}).")
    digest = choices[0].digest
    entry = next(d for d in read_index(source).manifests if d.digest == digest)
    return structure_errors(lambda: load_index(source, entry), source.label)


def structure_errors(read: "Callable[[], _T]", label: str) -> _T:
    """Run ``read``; a document whose JSON has the wrong shape deep inside becomes ImageFormatError.

    The readers check the shapes they rely on; this is the net under them, so a hostile file
    never ends in a bare Python error.
    """
    try:
        return read()
    except ImageLibError:
        raise
    except RecursionError:
        raise ImageFormatError(f"{label}의 메타데이터가 너무 깊이 겹쳐 있어 읽지 않습니다.") from None
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as error:
        raise ImageFormatError(
            f"{label}의 메타데이터(JSON)의 구조가 잘못되었습니다({type(error).__name__}: {error}). "
            "손상되었거나 OCI/도커 형식이 아닌 파일입니다."
        ) from error


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
        "repositories(docker save)가 없습니다. docker save나 skopeo로 만든 파일인지 확인하세요."
    )
