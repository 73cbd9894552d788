"""Images inside an OCI image layout (a folder or a tar): index.json -> manifests -> blobs.

Every blob is read by its digest and checked against the digest and size its descriptor
states, before anything else trusts it.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..digest import Digest, verify
from ..errors import ImageFormatError, ImageLibError, UnsupportedError
from ..image import Image
from ..layer import (
    DOCKER_FOREIGN_LAYER_GZIP,
    DOCKER_LAYER,
    DOCKER_LAYER_GZIP,
    OCI_LAYER,
    OCI_LAYER_GZIP,
    OCI_LAYER_ZSTD,
    Layer,
)
from ..reference import parse_reference
from .archive import Source
from .choice import ImageChoice
from .layout import (
    INDEX_FILE,
    INDEX_TYPES,
    MANIFEST_TYPES,
    REF_NAME,
    blob_member,
    index_manifests,
    load_json,
    names_in_descriptor,
    parse_descriptor,
    platform_of,
    platform_text,
)

LAYER_TYPES = {OCI_LAYER, OCI_LAYER_GZIP, OCI_LAYER_ZSTD, DOCKER_LAYER, DOCKER_LAYER_GZIP,
               DOCKER_FOREIGN_LAYER_GZIP,
               "application/vnd.oci.image.layer.nondistributable.v1.tar",
               "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
               "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"}
MAX_NESTING = 4


def read_blob(source: Source, digest: Digest, size: "int | None", what: str) -> bytes:
    """A small blob's bytes, checked against its digest and size."""
    data = source.read_bytes(blob_member(digest)) if source.is_file(blob_member(digest)) else None
    if data is None:
        raise ImageFormatError(f"{source.label}에 {what} 블롭 {digest}가 없습니다.")
    verify(Digest.of_bytes(data), len(data), digest, size, f"{what} 블롭 {digest}")
    return data


def load_layer(source: Source, doc: Mapping, index: int) -> Layer:
    digest, size, media_type = parse_descriptor(doc, f"레이어 {index}")
    if media_type and media_type not in LAYER_TYPES:
        raise UnsupportedError(
            f"레이어 {index}({digest})의 미디어 타입 {media_type!r}은(는) 이미지 레이어가 아닙니다.")
    if not source.is_file(blob_member(digest)):
        external = "foreign" in media_type or "nondistributable" in media_type
        foreign = "외부(foreign) 레이어라 " if external else ""
        raise ImageFormatError(f"레이어 {index}의 블롭 {digest}가 {source.label}에 없습니다. "
                               f"{foreign}이 파일만으로는 이미지를 만들 수 없습니다.")
    return Layer.from_tar(source.blob(blob_member(digest)), media_type=media_type or None,
                          expected_digest=digest, expected_size=size, limits=source.limits)


def load_manifest(source: Source, digest: Digest, size: "int | None") -> Image:
    """The image whose manifest blob is ``digest``: manifest, config and layers all verified."""
    manifest_bytes = read_blob(source, digest, size, "매니페스트")
    manifest = load_json(manifest_bytes, f"매니페스트 {digest}")
    if not isinstance(manifest, dict):
        raise ImageFormatError(f"매니페스트 {digest}가 JSON 객체가 아닙니다.")
    if manifest.get("schemaVersion") == 1:
        raise UnsupportedError(f"매니페스트 {digest}는 오래된 도커 schema 1 형식이라 읽을 수 없습니다.")
    if manifest.get("mediaType") in INDEX_TYPES or "manifests" in manifest:
        raise ImageFormatError(f"{digest}는 이미지 매니페스트가 아니라 이미지 인덱스입니다.")
    config_digest, config_size, _ = parse_descriptor(manifest.get("config"), f"매니페스트 {digest}의 config")
    config_bytes = read_blob(source, config_digest, config_size, "이미지 설정(config)")
    descriptors = manifest.get("layers") or []
    if not isinstance(descriptors, list):
        raise ImageFormatError(f"매니페스트 {digest}의 layers가 목록이 아닙니다.")
    layers = [load_layer(source, doc, i) for i, doc in enumerate(descriptors)]
    return image_from_parts(manifest_bytes, config_bytes, layers, f"매니페스트 {digest}")


def image_from_parts(manifest_bytes: bytes, config_bytes: bytes, layers: "list[Layer]", what: str) -> Image:
    """``Image.from_parts`` for documents read from outside: a wrong JSON shape is ImageFormatError."""
    try:
        return Image.from_parts(manifest_bytes, config_bytes, layers)
    except ImageLibError:
        raise
    except RecursionError:
        raise ImageFormatError(f"{what}나 그 설정(config)의 JSON이 너무 깊이 겹쳐 있습니다.") from None
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as error:
        raise ImageFormatError(
            f"{what}나 그 설정(config)의 구조가 OCI/도커 형식과 다릅니다({type(error).__name__}: {error}).") from None


def read_index(source: Source) -> "list[dict]":
    """The descriptors listed in ``index.json`` (``"manifests": null`` counts as none)."""
    return index_manifests(source.read_bytes(INDEX_FILE), f"{source.label}의 {INDEX_FILE}")


def names_of(doc: Mapping) -> "tuple[tuple[str, ...], tuple[str, ...]]":
    """(familiar names, bare tags) an index entry is known by."""
    name, _ = names_in_descriptor(doc, None)
    annotations = doc.get("annotations")
    ref_name = annotations.get(REF_NAME) if isinstance(annotations, dict) else None
    tags = (ref_name,) if isinstance(ref_name, str) and ref_name and ":" not in ref_name else ()
    return ((parse_reference(name).familiar,) if name else ()), tags


def layout_choices(source: Source) -> "list[ImageChoice]":
    """Every image an OCI layout's index.json reaches, platforms of indexes included."""
    choices: "list[ImageChoice]" = []
    for position, doc in enumerate(read_index(source)):
        if not isinstance(doc, dict):
            raise ImageFormatError(f"{source.label}의 {INDEX_FILE}: manifests의 {position}번 항목이 객체가 아닙니다.")
        names, tags = names_of(doc)
        choices.extend(_choices_from(source, doc, names, tags, f"{INDEX_FILE}#{position}", 0))
    return choices


def _choices_from(source: Source, doc: Mapping, names: tuple, tags: tuple, group: str,
                  depth: int) -> "list[ImageChoice]":
    digest, size, media_type = parse_descriptor(doc, f"{source.label}의 {group}")
    if media_type in INDEX_TYPES:
        if depth >= MAX_NESTING:
            raise ImageFormatError(f"{source.label}: 이미지 인덱스가 너무 깊이 겹쳐 있습니다.")
        index = load_json(read_blob(source, digest, size, "이미지 인덱스"), f"이미지 인덱스 {digest}")
        found = []
        for child in (index.get("manifests") or []) if isinstance(index, dict) else []:
            if _is_attestation(child):
                continue
            found.extend(_choices_from(source, child, names, tags, group, depth + 1))
        return found
    if media_type and media_type not in MANIFEST_TYPES:
        return []  # artifacts and other non-image content
    platform, image_id = _platform_and_id(source, digest, size)
    return [ImageChoice(names, tags, platform_text(doc.get("platform") or {}) or platform, digest,
                        group, lambda: load_manifest(source, digest, size), image_id)]


def _platform_and_id(source: Source, digest: Digest, size: "int | None") -> "tuple[str, Digest]":
    """Platform and image ID of a manifest, read from its (small) manifest and config blobs."""
    manifest = load_json(read_blob(source, digest, size, "매니페스트"), f"매니페스트 {digest}")
    config_doc = manifest.get("config") if isinstance(manifest, dict) else None
    config_digest, config_size, _ = parse_descriptor(config_doc, f"매니페스트 {digest}의 config")
    config = load_json(read_blob(source, config_digest, config_size, "이미지 설정(config)"),
                       f"이미지 설정 {config_digest}")
    return platform_text(platform_of(config) if isinstance(config, dict) else {}), config_digest


def _is_attestation(doc: object) -> bool:
    if not isinstance(doc, dict):
        return False
    annotations = doc.get("annotations") or {}
    platform = doc.get("platform") or {}
    return (annotations.get("vnd.docker.reference.type") == "attestation-manifest"
            or platform.get("os") == "unknown")
