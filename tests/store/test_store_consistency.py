"""One store folder, several Store objects and processes: nobody writes back what another removed.

Like ``docker tag`` after ``docker rmi``, naming an image another process has untagged and
garbage-collected fails clearly; a Store object with a stale view never lists such an image in
index.json again; ``verify()`` finds names and manifests whose blobs are gone; ``gc()`` keeps
working around a dangling entry.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import imagelib as il


def _image(number: int, layers: int = 1) -> il.Image:
    image = il.Image.scratch()
    for index in range(layers):
        image = image.add_layer(il.Layer.from_files({f"data/{number}-{index}.txt": f"{number}/{index}\n"}))
    return image.with_config(cmd=["run", str(number)])


def _blob(path, digest: il.Digest):
    return path / "blobs" / "sha256" / digest.hex


def _check_consistent(path) -> il.Store:
    """A fresh Store on ``path`` finds nothing wrong and loads every image it lists."""
    store = il.Store(path)
    assert store.verify() == []
    for record in store.images():
        assert store.get(record.digest).digest == record.digest
    return store


def _untag_and_collect_elsewhere(path, name: str) -> None:
    """Another process removes ``name`` and collects garbage."""
    code = "import sys, imagelib as il\nstore = il.Store(sys.argv[1])\nstore.untag(sys.argv[2])\nstore.gc()\n"
    subprocess.run([sys.executable, "-c", code, str(path), name], check=True, timeout=120)


def test_tag_after_another_store_removed_the_image_fails(tmp_path):
    path = tmp_path / "s"
    first, second = il.Store(path), il.Store(path)
    one = _image(1)
    first.put(one, "one:1")
    second.untag("one:1")
    second.gc()
    with pytest.raises(il.TagNotFoundError, match="one:1"):
        first.tag("one:1", "one:latest")
    with pytest.raises(il.TagNotFoundError, match=str(one.digest)):
        first.tag(one.digest, "one:latest")
    assert _check_consistent(path).tags() == []


def test_a_stale_store_does_not_write_back_a_collected_image(tmp_path):
    path = tmp_path / "s"
    first, second = il.Store(path), il.Store(path)
    one, two, three = _image(1), _image(2), _image(3)
    first.put(one, "one:1")
    first.put(two)  # dangling from the start
    second.untag("one:1")
    second.gc()  # removes one and two, blobs and index entries
    first.put(three, "three:1")  # first still lists one and two
    store = _check_consistent(path)
    assert [record.digest for record in store.images()] == [three.digest]
    second.put(_image(4), "four:1")  # the other store's writes keep working
    assert _check_consistent(path).tags() == ["four:1", "three:1"]


def test_a_stale_store_does_not_write_back_after_a_real_second_process(tmp_path):
    path = tmp_path / "s"
    mine = il.Store(path)
    one, two = _image(1, layers=2), _image(2)
    mine.put(one, "one:1")
    mine.put(two, "two:1")
    _untag_and_collect_elsewhere(path, "one:1")
    assert not _blob(path, one.digest).exists()
    mine.put(_image(3), "three:1")
    mine.untag("two:1")
    with pytest.raises(il.TagNotFoundError):
        mine.tag("one:1", "one:again")
    store = _check_consistent(path)
    assert store.tags() == ["three:1"] and one.digest not in store
    _untag_and_collect_elsewhere(path, "three:1")  # the other process can still write
    assert _check_consistent(path).tags() == []


def test_put_again_after_another_store_collected_the_same_image(tmp_path):
    path = tmp_path / "s"
    first, second = il.Store(path), il.Store(path)
    one = _image(1)
    first.put(one)
    second.gc()  # the untagged image goes
    assert first.put(one) == one.digest  # first believed it was there: it must be stored again
    store = _check_consistent(path)
    assert [record.digest for record in store.images()] == [one.digest]


@pytest.mark.parametrize("which", ["manifest", "config", "layer"])
def test_verify_reports_missing_blobs(tmp_path, which):
    path = tmp_path / "s"
    store = il.Store(path)
    image = _image(1, layers=2)
    store.put(image, "app:1")
    missing = {"manifest": image.digest, "config": image.id, "layer": image.layers[1].digest}[which]
    os.remove(_blob(path, missing))
    for reader in (store, il.Store(path)):
        problems = reader.verify()
        assert problems and all(isinstance(p, str) for p in problems)
        assert any(str(missing) in p for p in problems), problems
        if which == "manifest":
            assert any("app:1" in p for p in problems), problems


def test_verify_reports_missing_blobs_in_memory():
    store = il.Store()
    image = _image(1, layers=2)
    store.put(image, "app:1")
    del store._backend.blobs[image.layers[0].digest]
    problems = store.verify()
    assert len(problems) == 1 and str(image.layers[0].digest) in problems[0] and "app:1" in problems[0]


def test_gc_and_put_work_around_a_dangling_entry(tmp_path):
    path = tmp_path / "s"
    store = il.Store(path)
    one, two = _image(1), _image(2)
    store.put(one, "one:1")
    store.put(two, "two:1")
    store.untag("two:1")
    os.remove(_blob(path, one.digest))  # one:1 now names a manifest that is gone
    fresh = il.Store(path)  # knows nothing about one's manifest but what index.json says
    removed = fresh.gc()
    assert two.digest in removed and two.layers[0].digest in removed
    assert one.layers[0].digest not in removed  # gc cannot see the layer is unused: it keeps it
    fresh.put(_image(3), "three:1")
    il.Store(path).put(_image(4), "four:1")
    reread = il.Store(path)
    assert reread.tags() == ["four:1", "one:1", "three:1"]
    assert any("one:1" in p and str(one.digest) in p for p in reread.verify())
    with pytest.raises(il.TagNotFoundError):
        reread.get("one:1")
    reread.put(one, "one:1")  # putting the image again repairs the name
    assert _check_consistent(path).get("one:1") == one


def test_writes_keep_working_when_a_named_image_lost_its_config(tmp_path):
    path = tmp_path / "s"
    image = _image(1)
    il.Store(path).put(image, "one:1")
    os.remove(_blob(path, image.id))
    store = il.Store(path)
    store.put(_image(2), "two:1")
    store.gc()
    assert il.Store(path).tags() == ["one:1", "two:1"]
    assert [p for p in il.Store(path).verify() if str(image.id) in p and "one:1" in p]


def test_usage_skips_a_blob_removed_after_it_was_listed(tmp_path, monkeypatch):
    store = il.Store(tmp_path / "s")
    store.put(_image(1), "one:1")
    before = store.usage()
    listed = store._backend.blob_digests()
    other = il.Store(tmp_path / "s")
    other.put(_image(2), "two:1")
    other.untag("two:1")
    other.gc()  # removes blobs of image 2 ...
    # ... after this store listed them: as if gc ran between the listing and the reading.
    monkeypatch.setattr(store._backend, "blob_digests", lambda: listed + [_image(2).digest])
    after = store.usage()
    assert (after.blobs, after.stored_bytes) == (before.blobs, before.stored_bytes)
