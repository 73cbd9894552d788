"""A Store holds image indexes the way an OCI layout and Docker 25's containerd image store do."""

from __future__ import annotations

import json
import tarfile

import pytest
from formats_helpers import simple_image
from index_helpers import platform_image, three_platform_index

import imagelib as il
from imagelib.store import layout


def _store(tmp_path, on_disk: bool) -> il.Store:
    return il.Store(tmp_path / "s") if on_disk else il.Store()


def _blob_count(store: il.Store) -> int:
    return store.usage().blobs


@pytest.mark.parametrize("on_disk", [False, True])
def test_an_index_goes_in_by_name_and_each_platform_comes_out(tmp_path, on_disk):
    store = _store(tmp_path, on_disk)
    index = three_platform_index()
    assert store.put(index, "multi:1.0") == index.digest
    stores = [store, il.Store(tmp_path / "s")] if on_disk else [store]
    for current in stores:
        assert current.tags() == ["multi:1.0"]
        assert current.get("multi:1.0").digest == index.image("linux/amd64").digest
        for platform in ("linux/arm64", "linux/arm/v7", "linux/arm64/v8"):
            assert current.get("multi:1.0", platform=platform).digest == index.image(platform).digest
        got = current.get_index("multi:1.0")
        assert got.data == index.data and got.digest == index.digest
        assert [image.digest for image in got.images] == [image.digest for image in index.images]
        assert current.get_index(index.digest).digest == index.digest
        assert current.verify() == []


@pytest.mark.parametrize("on_disk", [False, True])
def test_what_an_index_lacks_or_a_single_image_is_not_says_so(tmp_path, on_disk):
    store = _store(tmp_path, on_disk)
    store.put(three_platform_index(), "multi:1.0")
    single = platform_image("arm64")
    store.put(single, "single:arm64")
    with pytest.raises(il.TagNotFoundError, match="linux/386"):
        store.get("multi:1.0", platform="linux/386")
    with pytest.raises(il.UnsupportedError, match="single:arm64"):
        store.get_index("single:arm64")
    with pytest.raises(il.TagNotFoundError, match="linux/amd64"):
        store.get("single:arm64", platform="linux/amd64")
    assert store.get("single:arm64", platform="linux/arm64").digest == single.digest


@pytest.mark.parametrize("on_disk", [False, True])
def test_blobs_an_index_shares_are_stored_once(tmp_path, on_disk):
    base = il.Layer.from_files({"etc/os-release": "shared base\n"})
    images = [platform_image(arch, variant) for arch, variant in (("amd64", ""), ("arm64", ""))]
    with_base = [image.add_layer(base, created_by="COPY base /") for image in images]
    index = il.ImageIndex.of(with_base)
    store = _store(tmp_path, on_disk)
    store.put(with_base[1], "arm:1")  # its blobs are there before the index comes
    store.put(index, "multi:1")
    # 2 own layers + the shared one, 2 configs, 2 manifests, the index blob
    assert _blob_count(store) == 3 + 2 + 2 + 1
    usage = store.usage()
    assert usage.images == 2 and usage.tags == 2
    assert usage.logical_bytes > usage.stored_bytes
    records = {record.names: record for record in store.images()}
    multi = records[("multi:1",)]
    assert multi.digest == multi.id == index.digest
    assert multi.platforms == ("linux/amd64", "linux/arm64")
    assert multi.size == sum({layer.digest: layer.size for i in with_base for layer in i.layers}.values())
    assert records[("arm:1",)].platforms == () and records[("arm:1",)].id == with_base[1].id
    store.untag("multi:1")
    amd64 = with_base[0]
    assert set(store.gc()) == {index.digest, amd64.digest, amd64.id, amd64.layers[0].digest}
    assert store.verify() == [] and store.get("arm:1").digest == with_base[1].digest


@pytest.mark.parametrize("on_disk", [False, True])
def test_gc_keeps_everything_a_named_index_reaches_and_frees_it_once_unnamed(tmp_path, on_disk):
    store = _store(tmp_path, on_disk)
    index = three_platform_index()
    store.put(index, "multi:1")
    other = simple_image()
    store.put(other, "other:1")
    store.untag("other:1")
    removed = store.gc()
    assert set(removed) == {other.digest, other.id, *(layer.digest for layer in other.layers)}
    assert _blob_count(store) == 10 and store.verify() == []
    assert store.get("multi:1", platform="linux/arm64").digest == index.image("linux/arm64").digest
    store.untag("multi:1")
    assert len(store.gc()) == 10
    assert _blob_count(store) == 0 and store.images() == []


@pytest.mark.parametrize("on_disk", [False, True])
def test_verify_names_a_missing_platform_manifest_and_layer(tmp_path, on_disk):
    store = _store(tmp_path, on_disk)
    index = three_platform_index()
    store.put(index, "multi:1")
    arm64 = index.image("linux/arm64")
    arm = index.image("linux/arm/v7")
    store._backend.delete_blob(arm64.digest)
    store._backend.delete_blob(arm.layers[0].digest)
    other = simple_image()
    store.put(other)  # unnamed: gc takes it
    problems = store.verify()
    assert len(problems) == 2
    assert "multi:1" in problems[0] and "linux/arm64" in problems[0] and str(arm64.digest) in problems[0]
    assert "linux/arm/v7" in problems[1] and str(arm.layers[0].digest) in problems[1]
    # What the damaged named index reaches is unknown now: gc keeps every blob it might reach.
    removed = store.gc()
    assert set(removed) == {other.digest, other.id, *(layer.digest for layer in other.layers)}
    assert _blob_count(store) == 10 - 2


def test_the_folder_lists_the_index_by_its_media_type_and_tag(tmp_path):
    store = il.Store(tmp_path / "s")
    index = three_platform_index()
    store.put(index, "multi:1.0")
    store.put(simple_image(), "app:1")
    entries = json.loads((tmp_path / "s" / "index.json").read_bytes())["manifests"]
    by_ref = {entry["annotations"][layout.REF_NAME]: entry for entry in entries}
    assert by_ref["1.0"] == {
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "digest": str(index.digest),
        "size": len(index.data),
        "annotations": {layout.IMAGE_NAME: "docker.io/library/multi:1.0", layout.REF_NAME: "1.0"},
    }
    assert (tmp_path / "s" / "blobs" / "sha256" / index.digest.hex).read_bytes() == index.data


@pytest.mark.parametrize("what", ["index", "image"])
def test_a_put_that_fails_halfway_leaves_no_blob_and_no_name(tmp_path, monkeypatch, what):
    store = il.Store(tmp_path / "s")
    index = three_platform_index()
    if what == "image":  # fails on its manifest, after its layer and config were written
        index = index.image("linux/arm64")
    backend = store._backend
    put_blob = backend.put_blob

    def fail_on_the_index(blob):
        if blob.digest == index.digest:
            raise OSError("disk gone")
        put_blob(blob)

    monkeypatch.setattr(backend, "put_blob", fail_on_the_index)
    with pytest.raises(OSError):
        store.put(index, "multi:1")
    assert store.tags() == [] and _blob_count(store) == 0
    reopened = il.Store(tmp_path / "s")
    assert reopened.tags() == [] and reopened.images() == []


def test_a_layout_written_by_il_save_of_an_index_opens_as_a_store(tmp_path):
    index = three_platform_index()
    il.save(index, tmp_path / "saved", ref="multi:2")
    store = il.Store(tmp_path / "saved")
    assert store.tags() == ["multi:2"]
    assert store.get_index("multi:2").data == index.data
    assert store.get("multi:2", platform="linux/arm64").digest == index.image("linux/arm64").digest


@pytest.mark.parametrize("format", ["oci", "oci-archive"])
def test_saving_a_store_keeps_its_indexes(tmp_path, format):
    store = il.Store()
    index = three_platform_index()
    store.put(index, "multi:1")
    store.put(simple_image(), "app:1")
    target = tmp_path / ("out" if format == "oci" else "out.tar")
    il.save(store, target, format=format)
    reopened = il.open_index(target)
    assert reopened.data == index.data
    if format == "oci":
        assert sorted(il.Store(target).tags()) == ["app:1", "multi:1"]
    il.save(store, tmp_path / "only", ref="multi:1")
    assert il.Store(tmp_path / "only").get_index("multi:1").data == index.data


def test_docker_archive_of_a_store_names_each_index_by_its_default_platform_image(tmp_path):
    store = il.Store()
    index = three_platform_index()
    app = simple_image()
    store.put(index, "multi:1")
    store.put(app, "app:1")
    il.save(store, tmp_path / "out.tar", format="docker-archive")
    with tarfile.open(tmp_path / "out.tar") as tar:
        listed = json.loads(tar.extractfile("manifest.json").read())
    amd64 = index.image("linux/amd64")
    assert sorted((entry["Config"], entry["RepoTags"][0]) for entry in listed) == sorted(
        [(f"blobs/sha256/{amd64.id.hex}", "multi:1"), (f"blobs/sha256/{app.id.hex}", "app:1")]
    )
    assert il.open_index(tmp_path / "out.tar") == index
