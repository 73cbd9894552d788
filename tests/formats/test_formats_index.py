"""il.save and il.open_index of an image index: index.json -> the index blob -> manifests -> blobs."""

from __future__ import annotations

import json
import tarfile

import pytest
from index_helpers import carrying_only, platform_image, three_platform_index

import imagelib as il


@pytest.mark.parametrize("format", ["oci", "oci-archive"])
def test_an_index_saved_opens_again_with_every_byte_kept(tmp_path, format):
    index = three_platform_index()
    path = tmp_path / ("lay" if format == "oci" else "multi.tar")
    il.save(index, path, format=format, ref="multi:1.0")
    opened = il.open_index(path)
    assert opened.data == index.data and opened.digest == index.digest
    assert [image.manifest_bytes for image in opened.images] == [image.manifest_bytes for image in index.images]
    assert [image.config_bytes for image in opened.images] == [image.config_bytes for image in index.images]
    arm = il.open(path, platform="linux/arm64")
    assert arm.digest == index.image("linux/arm64").digest
    assert arm.rootfs().read_text("lib/ld-musl-aarch64.so.1") == "arm64\n"


def test_index_json_points_at_the_index_blob_with_the_name(tmp_path):
    index = three_platform_index()
    il.save(index, tmp_path / "lay", ref="multi:1.0")
    entries = json.loads((tmp_path / "lay" / "index.json").read_bytes())["manifests"]
    assert len(entries) == 1
    assert entries[0]["mediaType"] == "application/vnd.oci.image.index.v1+json"
    assert entries[0]["digest"] == str(index.digest) and entries[0]["size"] == len(index.data)
    assert entries[0]["annotations"]["org.opencontainers.image.ref.name"] == "1.0"
    assert (tmp_path / "lay" / "blobs" / "sha256" / index.digest.hex).read_bytes() == index.data


def test_the_archive_is_reproducible_and_shared_blobs_are_stored_once(tmp_path):
    index = three_platform_index()
    il.save(index, tmp_path / "a.tar", format="oci-archive")
    il.save(three_platform_index(), tmp_path / "b.tar", format="oci-archive")
    assert (tmp_path / "a.tar").read_bytes() == (tmp_path / "b.tar").read_bytes()
    with tarfile.open(tmp_path / "a.tar") as tar:
        names = tar.getnames()
    assert len(names) == len(set(names))


def test_open_index_chooses_by_name_and_refuses_a_file_without_an_index(tmp_path):
    index = three_platform_index()
    il.save(index, tmp_path / "lay", ref="multi:1.0")
    assert il.open_index(tmp_path / "lay", ref="multi:1.0") == index
    assert il.open_index(tmp_path / "lay", ref=str(index.digest)) == index
    with pytest.raises(il.TagNotFoundError, match="'other:2'"):
        il.open_index(tmp_path / "lay", ref="other:2")
    il.save(platform_image("amd64"), tmp_path / "single", ref="one:1")
    with pytest.raises(il.TagNotFoundError, match="이미지 인덱스"):
        il.open_index(tmp_path / "single")


def test_an_index_is_not_saved_into_a_used_folder(tmp_path):
    index = three_platform_index()
    il.save(platform_image("amd64"), tmp_path / "used", ref="one:1")
    with pytest.raises(il.UnsupportedError, match="새 폴더"):
        il.save(index, tmp_path / "used")
    assert il.open(tmp_path / "used").digest == platform_image("amd64").digest
    (tmp_path / "empty").mkdir()
    il.save(index, tmp_path / "empty")
    assert il.open_index(tmp_path / "empty") == index


def test_a_damaged_platform_manifest_is_found(tmp_path):
    index = three_platform_index()
    il.save(index, tmp_path / "lay")
    arm = index.image("linux/arm64")
    (tmp_path / "lay" / "blobs" / "sha256" / arm.digest.hex).write_bytes(b"{}")
    with pytest.raises(il.DigestMismatchError):
        il.open_index(tmp_path / "lay")


def test_il_open_falls_back_to_an_older_arm_variant_as_docker_pull_does(tmp_path):
    index = il.ImageIndex.of([platform_image("amd64"), platform_image("arm", "v6")])
    il.save(index, tmp_path / "lay")
    assert il.open(tmp_path / "lay", platform="linux/arm/v7").platform == "linux/arm/v6"
    assert il.open(tmp_path / "lay", platform="linux/arm").platform == "linux/arm/v6"
    with pytest.raises(il.TagNotFoundError, match="linux/arm64"):
        il.open(tmp_path / "lay", platform="linux/arm64")


def _members(path) -> "dict[str, bytes]":
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() if m.isfile() else b"" for m in tar.getmembers()}


def test_a_docker_archive_of_an_index_is_the_oci_layout_plus_one_manifest_json_entry(tmp_path):
    index = three_platform_index()
    il.save(index, tmp_path / "d.tar", format="docker-archive", ref="multi:1.0")
    members = _members(tmp_path / "d.tar")
    assert list(members) == sorted(members)  # containerd's writeTar sorts by name
    [entry] = json.loads(members["index.json"])["manifests"]
    assert entry["digest"] == str(index.digest)
    assert entry["annotations"] == {
        "io.containerd.image.name": "docker.io/library/multi:1.0",
        "org.opencontainers.image.ref.name": "1.0",
    }
    for image in index.images:  # every platform's manifest, config and layers
        for digest in (image.digest, image.id, *(layer.digest for layer in image.layers)):
            assert f"blobs/sha256/{digest.hex}" in members
    amd64 = index.image("linux/amd64")
    assert json.loads(members["manifest.json"]) == [
        {
            "Config": f"blobs/sha256/{amd64.id.hex}",
            "RepoTags": ["multi:1.0"],
            "Layers": [f"blobs/sha256/{layer.digest.hex}" for layer in amd64.layers],
        }
    ]
    assert il.open(tmp_path / "d.tar").digest == amd64.digest
    assert il.open_index(tmp_path / "d.tar") == index
    il.save(three_platform_index(), tmp_path / "again.tar", format="docker-archive", ref="multi:1.0")
    assert (tmp_path / "again.tar").read_bytes() == (tmp_path / "d.tar").read_bytes()


def test_the_docker_archive_names_the_saving_platform_and_refuses_one_the_index_lacks(tmp_path):
    index = three_platform_index()
    il.save(index, tmp_path / "arm.tar", format="docker-archive", ref="multi:1.0", platform="linux/arm64")
    [entry] = json.loads(_members(tmp_path / "arm.tar")["manifest.json"])
    assert entry["Config"] == f"blobs/sha256/{index.image('linux/arm64').id.hex}"
    with pytest.raises(il.TagNotFoundError, match="linux/s390x"):
        il.save(index, tmp_path / "s390x.tar", format="docker-archive", platform="linux/s390x")
    assert not (tmp_path / "s390x.tar").exists()
    with pytest.raises(il.UnsupportedError, match="platform="):
        il.save(index, tmp_path / "o.tar", format="oci-archive", platform="linux/arm64")
    with pytest.raises(il.UnsupportedError, match="platform="):
        il.save(index.image("linux/arm64"), tmp_path / "i.tar", format="docker-archive", platform="linux/arm64")


def test_without_the_default_platform_the_first_image_of_the_index_is_named(tmp_path):
    # Docker prefers its own platform and otherwise keeps the index order.
    index = il.ImageIndex.of([platform_image("arm64"), platform_image("arm", "v7")])
    il.save(index, tmp_path / "d.tar", format="docker-archive")
    [entry] = json.loads(_members(tmp_path / "d.tar")["manifest.json"])
    assert entry == {
        "Config": f"blobs/sha256/{index.images[0].id.hex}",
        "RepoTags": None,
        "Layers": [f"blobs/sha256/{layer.digest.hex}" for layer in index.images[0].layers],
    }


def test_il_open_takes_the_platforms_an_archive_carries_and_names_the_missing_one(tmp_path):
    index = three_platform_index()
    arm = index.image("linux/arm64")
    il.save(index, tmp_path / "full.tar", format="docker-archive", ref="multi:1.0", platform="linux/arm64")
    carrying_only(tmp_path / "full.tar", arm, index, tmp_path / "arm-only.tar")
    assert il.open(tmp_path / "arm-only.tar").digest == arm.digest
    assert il.open(tmp_path / "arm-only.tar", platform="linux/arm64").digest == arm.digest
    with pytest.raises(il.TagNotFoundError, match="linux/amd64"):
        il.open(tmp_path / "arm-only.tar", platform="linux/amd64")
    with pytest.raises(il.ImageFormatError, match=index.image("linux/amd64").digest.hex):
        il.open_index(tmp_path / "arm-only.tar")  # an index value holds every platform's image
