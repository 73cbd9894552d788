"""Store(path): an OCI image layout folder on disk."""

from __future__ import annotations

import json
import os
import tracemalloc

import pytest
from formats_helpers import folder_snapshot, simple_image, tree_snapshot, tricky_image

import imagelib as il
from imagelib.store import layout
from imagelib.store.atomic import TEMP_PREFIX


def _index(folder) -> dict:
    return json.loads((folder / "index.json").read_bytes())


def _blob_names(folder) -> "list[str]":
    return sorted(os.listdir(folder / "blobs" / "sha256"))


def test_new_store_is_an_empty_oci_layout(tmp_path):
    store = il.Store(tmp_path / "store")
    folder = tmp_path / "store"
    assert json.loads((folder / "oci-layout").read_bytes()) == {"imageLayoutVersion": "1.0.0"}
    assert _index(folder) == {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [],
    }
    assert store.tags() == [] and _blob_names(folder) == []
    assert "store" in repr(store) and str(tmp_path) not in repr(store)


def test_put_and_get_round_trip_through_a_fresh_store(tmp_path):
    image = tricky_image()
    digest = il.Store(tmp_path / "s").put(image, "tricky:1.0")
    again = il.Store(tmp_path / "s")
    loaded = again.get("tricky:1.0")
    assert digest == image.digest == loaded.digest
    assert loaded.id == image.id and loaded.diff_ids == image.diff_ids
    assert loaded.manifest_bytes == image.manifest_bytes and loaded.config_bytes == image.config_bytes
    assert tree_snapshot(loaded.rootfs()) == tree_snapshot(image.rootfs())


def test_index_is_annotated_like_docker_save(tmp_path):
    image = simple_image()
    store = il.Store(tmp_path / "s")
    store.put(image, "myapp:1.0")
    store.tag("myapp:1.0", "ghcr.io/me/myapp:latest")
    entries = _index(tmp_path / "s")["manifests"]
    annotations = sorted((e["annotations"][layout.IMAGE_NAME], e["annotations"][layout.REF_NAME]) for e in entries)
    assert annotations == [("docker.io/library/myapp:1.0", "1.0"), ("ghcr.io/me/myapp:latest", "latest")]
    for entry in entries:
        assert entry["digest"] == str(image.digest) and entry["size"] == len(image.manifest_bytes)
        assert entry["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
        assert entry["platform"] == {"architecture": "amd64", "os": "linux"}


def test_a_tag_shared_by_two_repositories_gets_full_names(tmp_path):
    store = il.Store(tmp_path / "s")
    store.put(simple_image("one\n"), "one:1.0")
    store.put(simple_image("two\n"), "two:1.0")
    store.put(simple_image("solo\n"), "solo:2.0")
    refs = {
        e["annotations"][layout.IMAGE_NAME]: e["annotations"][layout.REF_NAME]
        for e in _index(tmp_path / "s")["manifests"]
    }
    assert refs == {
        "docker.io/library/one:1.0": "docker.io/library/one:1.0",
        "docker.io/library/two:1.0": "docker.io/library/two:1.0",
        "docker.io/library/solo:2.0": "2.0",
    }
    reopened = il.Store(tmp_path / "s")
    assert reopened.get("one:1.0").rootfs().read_text("app/hello.txt") == "one\n"
    assert reopened.get("two:1.0").rootfs().read_text("app/hello.txt") == "two\n"
    store.untag("two:1.0")
    refs = {
        e["annotations"][layout.IMAGE_NAME]: e["annotations"][layout.REF_NAME]
        for e in _index(tmp_path / "s")["manifests"]
        if "annotations" in e
    }
    assert refs["docker.io/library/one:1.0"] == "1.0"  # unique again: the plain tag is back


def test_dangling_images_survive_reopening(tmp_path):
    store = il.Store(tmp_path / "s")
    old = simple_image("old\n")
    store.put(old, "app:1")
    store.put(simple_image("new\n"), "app:1")
    reopened = il.Store(tmp_path / "s")
    assert [r.digest for r in reopened.dangling()] == [old.digest]
    assert reopened.gc() and reopened.dangling() == []
    assert il.Store(tmp_path / "s").images()[0].names == ("app:1",)


def test_a_blob_is_stored_once(tmp_path):
    store = il.Store(tmp_path / "s")
    base = il.Layer.from_files({"base.txt": "shared base\n"})
    first = il.Image.scratch().add_layer(base).add_layer(il.Layer.from_files({"a": "a"}))
    second = il.Image.scratch().add_layer(base).add_layer(il.Layer.from_files({"b": "b"}))
    store.put(first, "first:1")
    store.put(second, "second:1")
    store.put(first, "first:again")
    # 3 layers + 2 configs + 2 manifests, the shared base once
    assert len(_blob_names(tmp_path / "s")) == 7
    usage = store.usage()
    assert usage.stored_bytes < usage.logical_bytes


def test_writes_leave_no_temp_files(tmp_path):
    store = il.Store(tmp_path / "s")
    store.put(tricky_image(), "t:1")
    store.tag("t:1", "t:2")
    for current, _, files in os.walk(tmp_path / "s"):
        assert not [f for f in files if f.startswith(TEMP_PREFIX)], current


def test_a_blob_whose_bytes_do_not_match_its_digest_is_not_written(tmp_path):
    backend = layout.LayoutBackend(str(tmp_path / "s"))
    honest = il.blob.Blob.from_bytes(b"honest bytes")
    lying = il.blob.Blob(lambda: __import__("io").BytesIO(b"other bytes!"), honest.size, honest.digest)
    with pytest.raises(il.DigestMismatchError, match=honest.digest.hex):
        backend.put_blob(lying)
    assert os.listdir(tmp_path / "s" / "blobs" / "sha256") == []
    backend.put_blob(honest)
    assert backend.get_blob(honest.digest).read() == b"honest bytes"


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_verify_and_get_report_a_damaged_layer_blob(tmp_path, damage):
    image = tricky_image()
    il.Store(tmp_path / "s").put(image, "t:1")
    victim = image.layers[0].digest
    path = tmp_path / "s" / "blobs" / "sha256" / victim.hex
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    else:
        del data[-700:]
    path.write_bytes(bytes(data))
    store = il.Store(tmp_path / "s")
    problems = store.verify()
    assert len(problems) == 1 and victim.hex in problems[0]
    with pytest.raises(il.DigestMismatchError, match=victim.hex):
        store.get("t:1")


def test_verify_reports_a_damaged_manifest_and_get_refuses_it(tmp_path):
    image = simple_image()
    il.Store(tmp_path / "s").put(image, "t:1")
    path = tmp_path / "s" / "blobs" / "sha256" / image.digest.hex
    path.write_bytes(path.read_bytes().replace(b"schemaVersion", b"schemaVersioN"))
    store = il.Store(tmp_path / "s")
    assert [image.digest.hex in p for p in store.verify()] == [True]
    with pytest.raises(il.DigestMismatchError, match=image.digest.hex):
        store.get("t:1")


def test_gc_removes_what_no_name_reaches(tmp_path):
    store = il.Store(tmp_path / "s")
    keep, drop = simple_image("keep\n"), simple_image("drop\n")
    store.put(keep, "keep:1")
    store.put(drop, "drop:1")
    store.untag("drop:1")
    removed = store.gc()
    assert set(removed) == {drop.digest, drop.id, drop.layers[0].digest}
    assert sorted(_blob_names(tmp_path / "s")) == sorted(d.hex for d in (keep.digest, keep.id, keep.layers[0].digest))
    assert il.Store(tmp_path / "s").verify() == []


def test_entries_imagelib_does_not_manage_are_kept_and_their_blobs_survive_gc(tmp_path):
    store = il.Store(tmp_path / "s")
    image = simple_image()
    store.put(image, "app:1")
    folder = tmp_path / "s"
    index_blob = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [
                {
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": str(image.digest),
                    "size": len(image.manifest_bytes),
                    "platform": {"architecture": "amd64", "os": "linux"},
                }
            ],
        }
    ).encode()
    index_digest = il.Digest.of_bytes(index_blob)
    (folder / "blobs" / "sha256" / index_digest.hex).write_bytes(index_blob)
    doc = _index(folder)
    foreign = {
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "digest": str(index_digest),
        "size": len(index_blob),
        # An OCI ref name that is no Docker tag ('+'): imagelib cannot name it, so it keeps it as found.
        "annotations": {layout.REF_NAME: "1.0+build"},
    }
    doc["manifests"].append(foreign)
    (folder / "index.json").write_text(json.dumps(doc))
    reopened = il.Store(folder)
    reopened.untag("app:1")
    reopened.gc()
    assert foreign in _index(folder)["manifests"]
    assert set(_blob_names(folder)) >= {index_digest.hex, image.digest.hex, image.id.hex}


def test_layouts_that_name_images_only_by_tag_get_the_folder_as_repository(tmp_path):
    image = simple_image()
    il.save(image, tmp_path / "My Images", ref="app:v1")
    folder = tmp_path / "My Images"
    doc = _index(folder)
    doc["manifests"][0]["annotations"] = {layout.REF_NAME: "v1"}  # how umoci and skopeo write it
    (folder / "index.json").write_text(json.dumps(doc))
    store = il.Store(folder)
    assert store.tags() == ["my-images:v1"]
    store.tag("my-images:v1", "my-images:v2")
    refs = sorted(e["annotations"][layout.REF_NAME] for e in _index(folder)["manifests"])
    assert refs == ["v1", "v2"]


def test_folders_that_are_not_layouts_are_refused(tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(il.ImageLibError, match="oci-layout"):
        il.Store(tmp_path / "busy")
    (tmp_path / "file").write_text("x")
    with pytest.raises(il.ImageLibError, match="파일"):
        il.Store(tmp_path / "file")
    (tmp_path / "future").mkdir()
    (tmp_path / "future" / "oci-layout").write_text('{"imageLayoutVersion": "9.0.0"}')
    with pytest.raises(il.ImageFormatError, match="9.0.0"):
        il.Store(tmp_path / "future")


def test_get_streams_layers_from_disk(tmp_path):
    big = os.urandom(24 << 20)
    image = il.Image.scratch().add_layer(il.Layer.from_files({"big.bin": big}))
    il.Store(tmp_path / "s").put(image, "big:1")
    del image
    tracemalloc.start()
    try:
        loaded = il.Store(tmp_path / "s").get("big:1")
        tree = loaded.rootfs()
        assert tree.entry("big.bin").size == len(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The hashing read-ahead keeps up to three 4 MiB chunks in flight; the whole layer would be 24 MiB.
    assert peak < 16 << 20, f"Store.get held {peak} bytes for a 24 MiB layer"
    il.unpack(loaded, tmp_path / "out")
    assert (tmp_path / "out" / "big.bin").read_bytes() == big


def test_store_folder_round_trips_unpack(tmp_path):
    image = tricky_image()
    il.Store(tmp_path / "s").put(image, "t:1")
    il.unpack(il.Store(tmp_path / "s").get("t:1"), tmp_path / "out", keep_setuid=True)
    assert folder_snapshot(tmp_path / "out") == tree_snapshot(image.rootfs())
