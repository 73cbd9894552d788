"""A Store folder holding an image index is read by skopeo and umoci and matches the OCI schemas."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from formats_helpers import OCI_SCHEMAS, run, skopeo_inspect, tool
from index_helpers import platform_image, three_platform_index

import imagelib as il


def _store_with_index(folder: Path) -> "tuple[il.Store, il.ImageIndex, il.Image]":
    store = il.Store(folder)
    index = three_platform_index()
    single = platform_image("386")
    store.put(index, "multi:1.0")
    store.put(single, "single:386")
    return store, index, single


def _blobs(folder: Path) -> "set[str]":
    return set(os.listdir(folder / "blobs" / "sha256"))


def test_skopeo_reads_the_index_and_each_platform(tmp_path):
    folder = tmp_path / "s"
    _, index, single = _store_with_index(folder)
    raw = run(tool("skopeo"), "inspect", "--raw", f"oci:{folder}:1.0").encode()
    assert raw == index.data
    for architecture, image in (("amd64", index.image("linux/amd64")), ("arm64", index.image("linux/arm64"))):
        seen = json.loads(run(tool("skopeo"), "--override-arch", architecture, "inspect", f"oci:{folder}:1.0"))
        assert seen["Architecture"] == architecture
        assert seen["Layers"] == [str(layer.digest) for layer in image.layers]
    assert skopeo_inspect(f"oci:{folder}:386", raw=True)["config"]["digest"] == str(single.id)


def test_skopeo_copy_all_takes_every_blob_the_store_wrote_and_the_store_reads_its_copies(tmp_path):
    folder = tmp_path / "s"
    store, index, _ = _store_with_index(folder)
    exact = tmp_path / "exact"
    run(tool("skopeo"), "copy", "--all", "--preserve-digests", f"oci:{folder}:1.0", f"oci:{exact}:x")
    reached = {image_blob.hex for image in index.images for image_blob in _image_blobs(image)} | {index.digest.hex}
    assert _blobs(exact) == reached
    assert il.Store(exact).get_index("exact:x").data == index.data
    # Without --preserve-digests skopeo compresses the layers and writes new manifests and a new index.
    copied = tmp_path / "copied"
    run(tool("skopeo"), "copy", "--all", f"oci:{folder}:1.0", f"oci:{copied}:x")
    theirs = il.Store(copied)
    assert theirs.verify() == []
    assert theirs.get_index("copied:x").platforms == index.platforms
    for platform in index.platforms:
        ours, copy = index.image(platform), theirs.get("copied:x", platform=platform)
        assert copy.digest != ours.digest
        assert [layer.diff_id for layer in copy.layers] == [layer.diff_id for layer in ours.layers]


def _image_blobs(image: il.Image) -> "list[il.Digest]":
    return [image.digest, image.id, *(layer.digest for layer in image.layers)]


def test_umoci_lists_both_tags_and_reads_the_single_image_beside_the_index(tmp_path):
    folder = tmp_path / "s"
    _, _, single = _store_with_index(folder)
    assert sorted(run(tool("umoci"), "ls", "--layout", folder).split()) == ["1.0", "386"]
    stat = json.loads(run(tool("umoci"), "stat", "--json", "--image", f"{folder}:386"))
    created_by = [entry.get("created_by") for entry in stat["history"]]
    assert created_by == [entry.get("created_by") for entry in single.config_json["history"]]


def test_the_folder_matches_the_oci_schemas(tmp_path):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema가 없어 스키마 검사를 건너뜁니다")
    referencing = pytest.importorskip("referencing", reason="referencing이 없어 스키마 검사를 건너뜁니다")
    from referencing.jsonschema import DRAFT4

    if not OCI_SCHEMAS.exists():
        pytest.skip("OCI 스키마가 없어 건너뜁니다 (../shared/oci-schema/ 가 없음)")

    def retrieve(uri: str):
        return DRAFT4.create_resource(json.loads((OCI_SCHEMAS / uri.rstrip("/").rsplit("/", 1)[-1]).read_text()))

    def check(schema_file: str, data: bytes) -> None:
        schema = json.loads((OCI_SCHEMAS / schema_file).read_text())
        validator = jsonschema.Draft4Validator(
            schema,
            registry=referencing.Registry(retrieve=retrieve),
            format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER,
        )
        validator.validate(json.loads(data))

    folder = tmp_path / "s"
    _, index, single = _store_with_index(folder)
    blob = folder / "blobs" / "sha256"
    check("image-layout-schema.json", (folder / "oci-layout").read_bytes())
    check("image-index-schema.json", (folder / "index.json").read_bytes())
    check("image-index-schema.json", (blob / index.digest.hex).read_bytes())
    for image in [*index.images, single]:
        check("image-manifest-schema.json", (blob / image.digest.hex).read_bytes())
        check("config-schema.json", (blob / image.id.hex).read_bytes())
