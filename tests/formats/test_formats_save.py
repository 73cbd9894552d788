"""il.save: OCI layout folders, OCI archives and docker-archives, deterministic and atomic."""

from __future__ import annotations

import json
import os
import tarfile

import pytest
from formats_helpers import simple_image, tricky_image

import imagelib as il
from imagelib.store import layout


def _members(path) -> "dict[str, bytes]":
    with tarfile.open(path) as tar:
        return {m.name: (tar.extractfile(m).read() if m.isfile() else b"") for m in tar.getmembers()}


@pytest.mark.parametrize("format", ["oci-archive", "docker-archive"])
def test_archives_are_byte_for_byte_reproducible(tmp_path, format):
    il.save(tricky_image(), tmp_path / "a.tar", format=format, ref="t:1")
    il.save(tricky_image(), tmp_path / "b.tar", format=format, ref="t:1")
    assert (tmp_path / "a.tar").read_bytes() == (tmp_path / "b.tar").read_bytes()
    with tarfile.open(tmp_path / "a.tar") as tar:
        members = tar.getmembers()
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, 0, "", "")}
    assert [m.name for m in members] == sorted(m.name for m in members)


def test_docker_archive_is_what_docker_25_save_writes(tmp_path):
    image = tricky_image()
    il.save(image, tmp_path / "d.tar", format="docker-archive", ref=["myapp:1.0", "ghcr.io/me/app:v2"])
    members = _members(tmp_path / "d.tar")
    manifest = json.loads(members["manifest.json"])
    assert manifest == [
        {
            "Config": f"blobs/sha256/{image.id.hex}",
            "RepoTags": ["myapp:1.0", "ghcr.io/me/app:v2"],
            "Layers": [f"blobs/sha256/{layer.digest.hex}" for layer in image.layers],
        }
    ]
    assert members["oci-layout"] == b'{"imageLayoutVersion":"1.0.0"}'
    assert members[f"blobs/sha256/{image.id.hex}"] == image.config_bytes
    assert members[f"blobs/sha256/{image.digest.hex}"] == image.manifest_bytes
    for layer in image.layers:
        assert members[f"blobs/sha256/{layer.digest.hex}"] == layer.blob_bytes()
    index = json.loads(members["index.json"])
    names = sorted(e["annotations"][layout.IMAGE_NAME] for e in index["manifests"])
    assert names == ["docker.io/library/myapp:1.0", "ghcr.io/me/app:v2"]
    assert set(members) == {"blobs", "blobs/sha256", "index.json", "manifest.json", "oci-layout"} | {
        f"blobs/sha256/{d.hex}" for d in [image.id, image.digest] + [la.digest for la in image.layers]
    }


def test_untagged_image_has_null_repotags_like_docker(tmp_path):
    image = simple_image()
    il.save(image, tmp_path / "d.tar", format="docker-archive")
    members = _members(tmp_path / "d.tar")
    assert json.loads(members["manifest.json"])[0]["RepoTags"] is None
    assert "annotations" not in json.loads(members["index.json"])["manifests"][0]
    assert il.open(tmp_path / "d.tar") == image


def test_saving_a_store_saves_every_image_and_name(tmp_path):
    store = il.Store()
    shared = il.Layer.from_files({"base.txt": "base"})
    one = il.Image.scratch().add_layer(shared).add_layer(il.Layer.from_files({"one": "1"}))
    two = il.Image.scratch().add_layer(shared).add_layer(il.Layer.from_files({"two": "2"}))
    store.put(one, "one:1")
    store.tag("one:1", "one:latest")
    store.put(two, "two:1")
    il.save(store, tmp_path / "all.tar", format="docker-archive")
    manifest = json.loads(_members(tmp_path / "all.tar")["manifest.json"])
    assert sorted(tuple(item["RepoTags"]) for item in manifest) == [("one:1", "one:latest"), ("two:1",)]
    with tarfile.open(tmp_path / "all.tar") as tar:
        assert sum(m.name == f"blobs/sha256/{shared.digest.hex}" for m in tar.getmembers()) == 1
    assert il.open(tmp_path / "all.tar", ref="two:1") == two
    il.save(store, tmp_path / "one.tar", format="oci-archive", ref="one:latest")
    assert [c.names for c in il.formats.list_images(tmp_path / "one.tar")] == [("one:latest",)]
    il.save(store, tmp_path / "folder")
    assert il.Store(tmp_path / "folder").tags() == ["one:1", "one:latest", "two:1"]


def test_saving_into_an_existing_layout_adds_to_it(tmp_path):
    il.save(simple_image("a\n"), tmp_path / "lay", ref="a:1")
    il.save(simple_image("b\n"), tmp_path / "lay", ref="b:1")
    assert il.Store(tmp_path / "lay").tags() == ["a:1", "b:1"]


def test_save_errors_are_clear(tmp_path):
    image = simple_image()
    with pytest.raises(il.UnsupportedError, match="docker-archive"):
        il.save(image, tmp_path / "x.tar", format="zip")
    with pytest.raises(il.ImageLibError, match="폴더가 없습니다"):
        il.save(image, tmp_path / "missing" / "x.tar", format="oci-archive")
    with pytest.raises(il.ImageLibError, match="폴더입니다"):
        il.save(image, tmp_path, format="docker-archive")
    with pytest.raises(il.ImageLibError, match="다이제스트"):
        il.save(image, tmp_path / "x.tar", format="oci-archive", ref=f"app@{image.digest}")
    with pytest.raises(il.ImageLibError, match="list"):
        il.save([image], tmp_path / "x.tar", format="oci-archive")


def test_images_without_layers_are_refused_like_docker_save_refuses_them(tmp_path):
    empty = il.Image.scratch().with_config(cmd=["true"])
    for format in ("oci", "oci-archive", "docker-archive"):
        with pytest.raises(il.UnsupportedError, match="레이어"):
            il.save(empty, tmp_path / f"x-{format}", format=format)
    store = il.Store(tmp_path / "s")
    with pytest.raises(il.UnsupportedError, match="레이어"):
        store.put(empty, "empty:1")
    assert store.tags() == [] and il.Store(tmp_path / "s").tags() == []
    il.Store().put(empty, "empty:1")  # in memory it is a fine teaching example


def test_a_failed_save_leaves_nothing_behind(tmp_path):
    image = simple_image()
    broken = il.Image.scratch().add_layer(image.layers[0]).add_layer(il.Layer.from_files({"x": "x"}).compress("gzip"))

    class Exploding(Exception):
        pass

    def explode(*_):
        raise Exploding()

    broken.layers[1]._blob._open = explode  # the disk or the source fails half-way
    with pytest.raises(Exploding):
        il.save(broken, tmp_path / "x.tar", format="oci-archive")
    assert os.listdir(tmp_path) == []
    (tmp_path / "x.tar").write_bytes(b"old contents")
    with pytest.raises(Exploding):
        il.save(broken, tmp_path / "x.tar", format="docker-archive")
    assert os.listdir(tmp_path) == ["x.tar"] and (tmp_path / "x.tar").read_bytes() == b"old contents"
