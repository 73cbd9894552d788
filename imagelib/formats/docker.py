"""``docker save`` archives: ``manifest.json`` (every Docker since 1.10) and the legacy
``repositories`` + ``<id>/json`` + ``<id>/layer.tar`` form older Dockers wrote.

Docker 25 and later also put an OCI image layout in the archive; when that layout's
``index.json`` lists the images, ``opening`` reads it instead. When only ``manifest.json``
is usable, the manifest Docker wrote into ``blobs/`` is found and kept, so the image
digest is Docker's; archives without one get the OCI manifest Docker 25 would write.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from functools import partial
from typing import Any

from ..digest import Digest, verify
from ..errors import ImageFormatError, ImageLibError, InvalidReferenceError
from ..image import Image
from ..layer import Layer
from ..limits import image_entry_budget
from ..oci import (
    OCI_CONFIG,
    OCI_MANIFEST,
    Descriptor,
    Manifest,
    Platform,
    check_config_field_names,
    check_field_names,
    load_json,
)
from ..reference import parse_reference
from ..store.layout import BLOBS_DIR
from .archive import Source
from .choice import ImageChoice

MANIFEST_FILE = "manifest.json"
ARCHIVE_ENTRY_FIELDS = ("Config", "RepoTags", "Layers", "LayerSources")  # Docker's manifestItem
REPOSITORIES_FILE = "repositories"
MAX_MANIFEST_SEARCH = 1 << 20  # Docker's own manifest blobs are small; layers are skipped
_CONTENT_NAME = re.compile(r"^(?:.*/)?(?:blobs/sha256/|sha256:)?([0-9a-f]{64})(?:\.json)?$")
_V1_ID = re.compile(r"^[0-9a-f]{64}$")


# -- manifest.json --------------------------------------------------------------------------


def read_manifest_json(source: Source) -> "list[dict[str, Any]]":
    doc = load_json(source.read_bytes(MANIFEST_FILE), f"{source.label}의 {MANIFEST_FILE}")
    if doc is None:
        raise ImageFormatError(
            f"{source.label}의 {MANIFEST_FILE}이(가) null입니다. 이미지 목록이 비어 있는 잘못된 "
            "docker save 파일이라 docker load도 거부합니다. 파일을 다시 만드세요."
        )
    if not isinstance(doc, list) or not all(isinstance(item, dict) for item in doc):
        raise ImageFormatError(f"{source.label}의 {MANIFEST_FILE}은(는) 객체들의 목록이어야 합니다.")
    for position, item in enumerate(doc):
        check_field_names(item, ARCHIVE_ENTRY_FIELDS, f"{source.label}의 {MANIFEST_FILE} 항목 {position}")
        layers = item.get("Layers")
        if (
            not isinstance(item.get("Config"), str)
            or not isinstance(layers, list)
            or not all(isinstance(layer, str) for layer in layers)
        ):
            raise ImageFormatError(
                f"{source.label}의 {MANIFEST_FILE} 항목 {position}에 Config(문자열)나 Layers(목록)가 없습니다."
            )
    return doc


def manifest_json_choices(source: Source) -> "list[ImageChoice]":
    choices: "list[ImageChoice]" = []
    for position, item in enumerate(read_manifest_json(source)):
        names = tuple(_familiar(tag) for tag in item.get("RepoTags") or [] if isinstance(tag, str))
        config_bytes = _read_config(source, item["Config"])
        config = load_json(config_bytes, f"이미지 설정 {item['Config']}")
        platform = str(Platform.of_config(config)) if isinstance(config, dict) else ""
        choices.append(
            ImageChoice(
                names,
                (),
                platform,
                None,
                f"{MANIFEST_FILE}#{position}",
                partial(load_item, source, item),
                Digest.of_bytes(config_bytes),
            )
        )
    return choices


def _familiar(tag: str) -> str:
    try:
        return parse_reference(tag).familiar
    except InvalidReferenceError:
        return tag


def _read_config(source: Source, name: str) -> bytes:
    data = source.read_bytes(name)
    expected = content_digest(name)
    if expected is not None:
        verify(Digest.of_bytes(data), len(data), expected, None, f"이미지 설정(config) {name}")
    return data


def content_digest(name: str) -> "Digest | None":
    """The digest a member is named after (``blobs/sha256/<hex>``, ``<hex>.json``), if any."""
    match = _CONTENT_NAME.match(name)
    if match is None:
        return None
    return Digest("sha256", match.group(1))


def load_item(source: Source, item: "Mapping[str, Any]") -> Image:
    """The image of one ``manifest.json`` entry; every layer's diff_id checked against the config."""
    config_bytes = _read_config(source, item["Config"])
    layers: "list[Layer]" = []
    with image_entry_budget(source.limits, f"{source.label}의 이미지 {_item_name(item)}"):
        for index, name in enumerate(item["Layers"]):
            if not source.is_file(name):
                raise ImageFormatError(f"{source.label}에 레이어 {index}의 파일 {name!r}이(가) 없습니다.")
            expected = content_digest(name) if name.startswith(BLOBS_DIR + "/") else None
            layers.append(Layer.from_tar(source.blob(name), expected_digest=expected, limits=source.limits))
    manifest = _docker_manifest(source, item, config_bytes, layers) or synthesized_manifest(config_bytes, layers)
    return Image.from_parts(manifest, config_bytes, layers)


def _item_name(item: "Mapping[str, Any]") -> str:
    """How a ``manifest.json`` entry is shown in errors: its first tag, else its config file."""
    tags = [tag for tag in item.get("RepoTags") or [] if isinstance(tag, str)]
    return _familiar(tags[0]) if tags else str(item["Config"])


def _docker_manifest(
    source: Source, item: "Mapping[str, Any]", config_bytes: bytes, layers: "list[Layer]"
) -> "Manifest | None":
    """The OCI manifest Docker 25+ wrote into blobs/ for this image, if the archive has it."""
    config_digest = Digest.of_bytes(config_bytes)
    wanted_layers = [layer.digest for layer in layers]
    used = {posixpath.normpath(name) for name in item["Layers"]} | {posixpath.normpath(item["Config"])}
    for name in source.listdir(f"{BLOBS_DIR}/sha256"):
        member = f"{BLOBS_DIR}/sha256/{name}"
        if member in used or not source.is_file(member) or source.blob(member).size > MAX_MANIFEST_SEARCH:
            continue
        data = source.read_bytes(member)
        try:
            manifest = Manifest.parse(data, f"매니페스트 블롭 {member}")
        except ImageLibError:
            continue  # other blobs (configs, indexes, attestations) are not this image's manifest
        if manifest.media_type != OCI_MANIFEST or manifest.config.digest != config_digest:
            continue
        if [layer.digest for layer in manifest.layers] != wanted_layers:
            continue
        verify(manifest.digest, len(data), Digest("sha256", name), None, f"매니페스트 블롭 {member}")
        return manifest
    return None


def synthesized_manifest(config_bytes: bytes, layers: "list[Layer]") -> Manifest:
    """The OCI manifest Docker 25 writes for an image: OCI media types, no annotations."""
    config = Descriptor(OCI_CONFIG, Digest.of_bytes(config_bytes), len(config_bytes))
    return Manifest.build(config, [Descriptor(layer.media_type, layer.digest, layer.size) for layer in layers])


# -- the legacy form: repositories + <id>/json + <id>/layer.tar -----------------------------


def legacy_choices(source: Source) -> "list[ImageChoice]":
    doc = load_json(source.read_bytes(REPOSITORIES_FILE), f"{source.label}의 {REPOSITORIES_FILE}")
    if not isinstance(doc, dict):
        raise ImageFormatError(f"{source.label}의 {REPOSITORIES_FILE}은(는) JSON 객체여야 합니다.")
    choices: "list[ImageChoice]" = []
    for repository, tags in sorted(doc.items()):
        for tag, v1_id in sorted((tags or {}).items()):
            name = _familiar(f"{repository}:{tag}")
            choices.append(
                ImageChoice(
                    (name,),
                    (),
                    _legacy_platform(source, v1_id),
                    None,
                    f"{REPOSITORIES_FILE}:{v1_id}",
                    partial(load_legacy, source, v1_id),
                )
            )
    return choices


def _legacy_platform(source: Source, v1_id: object) -> str:
    if not isinstance(v1_id, str) or not _V1_ID.match(v1_id) or not source.is_file(f"{v1_id}/json"):
        return ""
    doc = load_json(source.read_bytes(f"{v1_id}/json"), f"{source.label}의 {v1_id}/json")
    return str(Platform.of_config(doc)) if isinstance(doc, dict) else ""


def load_legacy(source: Source, top_id: str) -> Image:
    """Rebuild an image the way ``docker load`` does for archives without manifest.json."""
    chain: "list[tuple[str, dict[str, Any]]]" = []
    current: "str | None" = top_id
    while current:
        if not isinstance(current, str) or not _V1_ID.match(current) or current in (c[0] for c in chain):
            raise ImageFormatError(f"{source.label}: 레이어 ID {current!r}가 잘못되었거나 순환합니다.")
        raw = source.read_bytes(f"{current}/json")
        doc = load_json(raw, f"{source.label}의 {current}/json")
        if not isinstance(doc, dict):
            raise ImageFormatError(f"{source.label}의 {current}/json이 JSON 객체가 아닙니다.")
        check_config_field_names(doc, f"{source.label}의 {current}/json")
        chain.append((current, doc))
        current = doc.get("parent")
    chain.reverse()
    layers: "list[Layer]" = []
    history: "list[dict[str, Any]]" = []
    with image_entry_budget(source.limits, f"{source.label}의 이미지 {top_id}"):
        for v1_id, doc in chain:
            name = f"{v1_id}/layer.tar"
            if not source.is_file(name):
                raise ImageFormatError(f"{source.label}에 레이어 파일 {name!r}이(가) 없습니다.")
            layers.append(Layer.from_tar(source.blob(name), limits=source.limits))
            history.append(_history_from_v1(doc))
    config_bytes = config_from_v1(chain[-1][1], [layer.diff_id for layer in layers], history)
    return Image.from_parts(synthesized_manifest(config_bytes, layers), config_bytes, layers)


def _history_from_v1(doc: "Mapping[str, Any]") -> "dict[str, Any]":
    command = ((doc.get("container_config") or {}).get("Cmd")) or []
    entry = {
        "created": doc.get("created"),
        "author": doc.get("author"),
        "created_by": " ".join(command),
        "comment": doc.get("comment"),
    }
    return {key: value for key, value in entry.items() if value}


def config_from_v1(v1_doc: "Mapping[str, Any]", diff_ids: "list[Digest]", history: "list[dict[str, Any]]") -> bytes:
    """Docker's MakeConfigFromV1Config: drop the v1 keys, add rootfs and history, sort keys."""
    doc = dict(v1_doc)
    for key in ("id", "parent", "Size", "parent_id", "layer_id", "throwaway"):
        doc.pop(key, None)
    doc["rootfs"] = {"type": "layers", "diff_ids": [str(d) for d in diff_ids]}
    doc["history"] = history
    text = json.dumps({key: doc[key] for key in sorted(doc)}, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text.encode("utf-8")
