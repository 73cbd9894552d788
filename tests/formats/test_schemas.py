"""Every manifest, config, index and oci-layout imagelib writes validates against the OCI schemas."""

from __future__ import annotations

import json
import tarfile
from functools import cache
from pathlib import Path

import pytest
from formats_helpers import OCI_SCHEMAS, READABLE_ARCHIVES, real_image, simple_image, tricky_image
from index_helpers import platform_images

import imagelib as il

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema가 없어 스키마 검사를 건너뜁니다")
referencing = pytest.importorskip("referencing", reason="referencing이 없어 스키마 검사를 건너뜁니다")
from referencing.jsonschema import DRAFT4  # noqa: E402

SCHEMA_FILES = {
    "manifest": "image-manifest-schema.json",
    "config": "config-schema.json",
    "index": "image-index-schema.json",
    "layout": "image-layout-schema.json",
}


@cache
def _validator(kind: str):
    if not OCI_SCHEMAS.exists():
        pytest.skip("OCI 스키마가 없어 건너뜁니다 (../shared/oci-schema/ 가 없음)")

    def retrieve(uri: str):
        # The schemas name each other relative to their "id"s; every file is known by its name.
        name = uri.rstrip("/").rsplit("/", 1)[-1]
        return DRAFT4.create_resource(json.loads((OCI_SCHEMAS / name).read_text()))

    schema = json.loads((OCI_SCHEMAS / SCHEMA_FILES[kind]).read_text())
    registry = referencing.Registry(retrieve=retrieve)
    return jsonschema.Draft4Validator(
        schema, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def _check(kind: str, data: bytes) -> None:
    _validator(kind).validate(json.loads(data))


def _check_layout_folder(folder: Path) -> int:
    """Validate oci-layout, index.json and every manifest and config the index reaches."""
    _check("layout", (folder / "oci-layout").read_bytes())
    index = (folder / "index.json").read_bytes()
    _check("index", index)
    count = 0
    for entry in json.loads(index)["manifests"]:
        manifest = (folder / "blobs" / "sha256" / entry["digest"][7:]).read_bytes()
        _check("manifest", manifest)
        config = json.loads(manifest)["config"]["digest"][7:]
        _check("config", (folder / "blobs" / "sha256" / config).read_bytes())
        count += 1
    return count


def _images() -> "list[il.Image]":
    rich = (
        simple_image()
        .with_platform("arm", variant="v7")
        .with_config(
            env={"A": "1"},
            labels={"org.example": "라벨"},
            exposed_ports=[80, "53/udp"],
            volumes=["/data"],
            user="app",
            entrypoint=["/bin/sh"],
            created_by="CMD",
        )
        .with_history("# 빈 단계")
    )
    zstd = il.Image.scratch().add_layer(il.Layer.from_files({"z": "z"}).compress("zstd"))
    return [tricky_image(), rich, zstd]


def test_the_validator_rejects_what_the_spec_forbids():
    good = simple_image()
    _check("manifest", good.manifest_bytes)
    broken = json.loads(good.manifest_bytes)
    broken["config"]["digest"] = "sha256:NOT-HEX!"
    with pytest.raises(jsonschema.ValidationError):
        _validator("manifest").validate(broken)
    with pytest.raises(jsonschema.ValidationError):
        _validator("layout").validate({"imageLayoutVersion": 1})
    with pytest.raises(jsonschema.ValidationError):
        _validator("config").validate(dict(json.loads(good.config_bytes), created="yesterday"))


def test_store_folders_validate(tmp_path):
    store = il.Store(tmp_path / "s")
    for position, image in enumerate(_images()):
        store.put(image, f"app{position}:1.0")
    store.put(simple_image("shared\n"), "other:1.0")  # a tag two repositories share
    store.put(simple_image("dangling\n"))
    assert _check_layout_folder(tmp_path / "s") == 5


@pytest.mark.parametrize("format", ["oci", "oci-archive", "docker-archive"])
def test_saved_files_validate(tmp_path, format):
    images = _images()
    store = il.Store()
    for position, image in enumerate(images):
        store.put(image, f"app{position}:1")
    path = tmp_path / ("out" if format == "oci" else "out.tar")
    il.save(store, path, format=format)
    folder = path
    if format != "oci":
        folder = tmp_path / "unpacked"
        with tarfile.open(path) as tar:  # imagelib's own archive; "data" filter where Python has it
            options = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(folder, **options)
    assert _check_layout_folder(folder) == len(images)


@pytest.mark.parametrize("name", READABLE_ARCHIVES)
def test_manifests_and_configs_imagelib_makes_for_docker_archives_validate(name):
    for choice in il.formats.list_images(real_image(name)):
        image = choice.load()
        _check("manifest", image.manifest_bytes)
        if name == "ggcr-no_manifest.tar":
            _check("config", image.config_bytes)  # rebuilt by imagelib like docker load does


@pytest.mark.parametrize("annotations", [None, {"org.opencontainers.image.version": "1.0"}])
def test_image_indexes_validate_with_every_manifest_and_config_they_reach(tmp_path, annotations):
    index = il.ImageIndex.of(platform_images(), annotations=annotations)
    _check("index", index.data)
    il.save(index, tmp_path / "lay", ref="multi:1.0")
    _check("layout", (tmp_path / "lay" / "oci-layout").read_bytes())
    _check("index", (tmp_path / "lay" / "index.json").read_bytes())
    for image in index.images:
        _check("manifest", image.manifest_bytes)
        _check("config", image.config_bytes)
    broken = json.loads(index.data)
    del broken["manifests"][0]["platform"]["architecture"]
    with pytest.raises(jsonschema.ValidationError):
        _validator("index").validate(broken)
