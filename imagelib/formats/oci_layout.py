"""Images inside an OCI image layout (a folder or a tar): index.json -> manifests -> blobs.

Every manifest and index is read once, checked against the digest and size its descriptor
states, and parsed once into an ``oci.Manifest`` or ``oci.Index`` before anything trusts it.
"""

from __future__ import annotations

from typing import Any

from ..digest import Digest, verify
from ..errors import ImageFormatError, UnsupportedError
from ..image import Image
from ..imageindex import ImageIndex
from ..layer import Layer
from ..limits import image_entry_budget
from ..oci import (
    REF_NAME,
    Descriptor,
    Index,
    Manifest,
    Platform,
    is_foreign_layer,
    is_index,
    is_layer,
    is_manifest,
    load_json,
)
from ..reference import parse_reference
from ..store.layout import INDEX_FILE, blob_member, names_in_descriptor
from .archive import Source
from .choice import ImageChoice

MAX_NESTING = 4


def read_blob(source: Source, descriptor: Descriptor, what: str) -> bytes:
    """A small blob's bytes, checked against its descriptor's digest and size."""
    member = blob_member(descriptor.digest)
    if not source.is_file(member):
        raise ImageFormatError(f"{source.label}에 {what} 블롭 {descriptor.digest}가 없습니다.")
    data = source.read_bytes(member)
    verify(Digest.of_bytes(data), len(data), descriptor.digest, descriptor.size, f"{what} 블롭 {descriptor.digest}")
    return data


def read_manifest(source: Source, descriptor: Descriptor) -> Manifest:
    """The manifest a descriptor points at: read, verified and parsed once."""
    data = read_blob(source, descriptor, "매니페스트")
    return Manifest.parse(data, f"매니페스트 {descriptor.digest}", descriptor.digest)


def read_config(source: Source, manifest: Manifest) -> bytes:
    """A manifest's config bytes (``Image.from_parts`` checks them against the manifest)."""
    member = blob_member(manifest.config.digest)
    if not source.is_file(member):
        raise ImageFormatError(f"{source.label}에 이미지 설정(config) 블롭 {manifest.config.digest}가 없습니다.")
    return source.read_bytes(member)


def load_layer(source: Source, descriptor: Descriptor, index: int) -> Layer:
    media_type = descriptor.media_type
    if media_type and not is_layer(media_type):
        raise UnsupportedError(
            f"레이어 {index}({descriptor.digest})의 미디어 타입 {media_type!r}은(는) 이미지 레이어가 아닙니다."
        )
    member = blob_member(descriptor.digest)
    if not source.is_file(member):
        foreign = "외부(foreign) 레이어라 " if is_foreign_layer(media_type) else ""
        raise ImageFormatError(
            f"레이어 {index}의 블롭 {descriptor.digest}가 {source.label}에 없습니다. "
            f"{foreign}이 파일만으로는 이미지를 만들 수 없습니다."
        )
    return Layer.from_tar(
        source.blob(member),
        media_type=media_type or None,
        expected_digest=descriptor.digest,
        expected_size=descriptor.size,
        limits=source.limits,
    )


def load_image(source: Source, manifest: Manifest, config_bytes: bytes) -> Image:
    """The image of a parsed manifest: config and every layer verified."""
    with image_entry_budget(source.limits, f"{source.label}의 이미지 {manifest.digest}"):
        layers = [load_layer(source, descriptor, i) for i, descriptor in enumerate(manifest.layers)]
    return Image.from_parts(manifest, config_bytes, layers)


def read_index(source: Source) -> Index:
    """The layout's ``index.json`` (``"manifests": null`` counts as none)."""
    return Index.parse(source.read_bytes(INDEX_FILE), f"{source.label}의 {INDEX_FILE}")


def names_of(descriptor: Descriptor) -> "tuple[tuple[str, ...], tuple[str, ...]]":
    """(familiar names, bare tags) an index entry is known by."""
    name, _ = names_in_descriptor(descriptor, None)
    ref_name = descriptor.annotations.get(REF_NAME)
    tags = (ref_name,) if ref_name and ":" not in ref_name else ()
    return ((parse_reference(name).familiar,) if name else ()), tags


def layout_choices(source: Source) -> "list[ImageChoice]":
    """Every image an OCI layout's index.json reaches, platforms of indexes included."""
    choices: "list[ImageChoice]" = []
    for position, descriptor in enumerate(read_index(source).manifests):
        names, tags = names_of(descriptor)
        choices.extend(_choices_from(source, descriptor, names, tags, f"{INDEX_FILE}#{position}", 0))
    return choices


def _choices_from(
    source: Source, descriptor: Descriptor, names: "tuple[str, ...]", tags: "tuple[str, ...]", group: str, depth: int
) -> "list[ImageChoice]":
    if is_index(descriptor.media_type):
        if depth >= MAX_NESTING:
            raise ImageFormatError(f"{source.label}: 이미지 인덱스가 너무 깊이 겹쳐 있습니다.")
        data = read_blob(source, descriptor, "이미지 인덱스")
        index = Index.parse(data, f"이미지 인덱스 {descriptor.digest}", descriptor.digest)
        found = []
        for child in index.images():
            if is_manifest(child.media_type) and not source.is_file(blob_member(child.digest)):
                continue  # a platform the file does not carry: Docker's containerd store saves only what it pulled
            found.extend(_choices_from(source, child, names, tags, group, depth + 1))
        return found
    if descriptor.media_type and not is_manifest(descriptor.media_type):
        return []  # artifacts and other non-image content
    manifest = read_manifest(source, descriptor)
    config_bytes = read_config(source, manifest)
    # The config is only shown here (its platform); load() verifies it before it is used.
    platform = descriptor.platform or Platform.of_config(_config_doc(config_bytes, manifest))
    return [
        ImageChoice(
            names,
            tags,
            str(platform),
            descriptor.digest,
            group,
            lambda: load_image(source, manifest, config_bytes),
            manifest.config.digest,
        )
    ]


def _config_doc(config_bytes: bytes, manifest: Manifest) -> "dict[str, Any]":
    doc = load_json(config_bytes, f"이미지 설정 {manifest.config.digest}")
    return doc if isinstance(doc, dict) else {}


def index_choices(source: Source) -> "list[ImageChoice]":
    """The image indexes an OCI layout's index.json lists (not the images inside them)."""
    choices = []
    for position, descriptor in enumerate(read_index(source).manifests):
        if is_index(descriptor.media_type):
            names, tags = names_of(descriptor)
            choices.append(
                ImageChoice(
                    names,
                    tags,
                    "",
                    descriptor.digest,
                    f"{INDEX_FILE}#{position}",
                    lambda: Image.scratch(),  # never loaded: load_index reads an index
                )
            )
    return choices


def load_index(source: Source, descriptor: Descriptor) -> ImageIndex:
    """The image index a descriptor points at, with every platform's image, all verified."""
    data = read_blob(source, descriptor, "이미지 인덱스")
    index = Index.parse(data, f"이미지 인덱스 {descriptor.digest}", descriptor.digest)
    images = []
    for child in index.images():
        if not is_manifest(child.media_type):
            raise UnsupportedError(
                f"이미지 인덱스 {descriptor.digest} 안의 {child.digest}({child.media_type})는 이미지 매니페스트가 "
                "아닙니다. 인덱스 안의 인덱스는 아직 읽지 않습니다."
            )
        manifest = read_manifest(source, child)
        images.append(load_image(source, manifest, read_config(source, manifest)))
    return ImageIndex(index, images)
