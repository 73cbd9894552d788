"""A full disk and a read-only folder: Korean DiskErrors, no partial output, nothing stored before lost.

The disk is a real 2 MiB tmpfs, the read-only folder a tmpfs remounted read-only (``chmod``
does not stop root). Both need ``mount``; where it is not permitted the tests are skipped.
"""

from __future__ import annotations

import errno
import os
import random
import subprocess
import sys

import pytest

import imagelib as il

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="tmpfs를 붙일 수 있는 리눅스에서만 합니다")

FULL = "디스크에 빈 공간이 없습니다"
READ_ONLY = "쓸 수 있는 권한이 없습니다"


def _mount(folder, options: str) -> None:
    folder.mkdir(exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"tmpfs를 붙일 권한이 없어 건너뜁니다({done.stderr.strip()})")


def _unmount(folder) -> None:
    subprocess.run(["umount", "-l", str(folder)], check=True)


@pytest.fixture
def disk(tmp_path):
    """A 2 MiB file system of its own."""
    folder = tmp_path / "disk"
    _mount(folder, "size=2m")
    try:
        yield folder
    finally:
        _unmount(folder)


@pytest.fixture
def read_only(tmp_path):
    """A store with one image (``small:1``) on a file system remounted read-only."""
    folder = tmp_path / "ro"
    _mount(folder, "size=4m")
    try:
        il.Store(folder / "store").put(_small(1), "small:1")
        done = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"읽기 전용으로 다시 붙일 수 없어 건너뜁니다({done.stderr.strip()})")
        yield folder
    finally:
        _unmount(folder)


def _small(number: int) -> il.Image:
    layer = il.Layer.from_files({f"small/{number}.txt": f"small {number}\n" * 100})
    return il.Image.scratch().add_layer(layer).with_config(cmd=["small", str(number)])


def _big(megabytes: float, seed: int = 0) -> il.Image:
    data = random.Random(seed).randbytes(int(megabytes * (1 << 20)))
    return il.Image.scratch().add_layer(il.Layer.from_files({"big.bin": data}))


def _fill(folder) -> None:
    """Write a file into ``folder`` until the file system is full."""
    with open(folder / "filler", "wb") as out:
        try:
            while True:
                out.write(b"\0" * 4096)
                out.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
        try:
            out.close()
        except OSError:
            pass


def _blob_names(store_folder) -> "list[str]":
    return sorted(os.listdir(store_folder / "blobs" / "sha256"))


def _check_full_error(info, where: str) -> None:
    error = info.value
    assert isinstance(error, il.ImageLibError) and isinstance(error, OSError) and error.errno == errno.ENOSPC
    assert FULL in str(error) and where in str(error)


def test_put_on_a_full_disk_raises_in_korean_and_keeps_what_was_stored(disk):
    path = disk / "store"
    store = il.Store(path)
    il.Store(path).put(_small(1), "small:1")  # stored by another Store object: not in store's cache
    blobs = _blob_names(path)
    with pytest.raises(il.DiskError) as info:
        store.put(_big(3), "big:1")
    _check_full_error(info, str(path))
    assert _blob_names(path) == blobs  # no half-written blob, no temp file, no blob of the failed put
    assert store.tags() == ["small:1"]
    assert store.get("small:1").layers[0].entry("small/1.txt").read().startswith(b"small 1")
    assert il.Store(path).verify() == []
    store.put(_small(2), "small:2")  # the store keeps working
    assert il.Store(path).tags() == ["small:1", "small:2"]


def test_an_index_that_fills_the_disk_halfway_leaves_no_blob_of_its_own(disk):
    path = disk / "store"
    store = il.Store(path)
    store.put(_small(1), "small:1")
    blobs = _blob_names(path)
    # The amd64 image's blobs fit; the arm64 layer then fills the disk.
    index = il.ImageIndex.of([_small(2), _big(3).with_platform("arm64")])
    with pytest.raises(il.DiskError) as info:
        store.put(index, "multi:1")
    _check_full_error(info, str(path))
    assert _blob_names(path) == blobs
    assert il.Store(path).tags() == ["small:1"] and il.Store(path).verify() == []


def test_tag_and_gc_on_a_full_disk(disk):
    path = disk / "store"
    store = il.Store(path)
    store.put(_small(1), "small:1")
    big = _big(0.5)
    store.put(big, "big:1")
    store.untag("big:1")
    _fill(disk)
    for attempt in (lambda: store.tag("small:1", "small:latest"), lambda: store.untag("small:1")):
        with pytest.raises(il.DiskError) as info:
            attempt()
        _check_full_error(info, str(path))
    assert store.tags() == ["small:1"] and store.get("small:1") == _small(1)
    removed = store.gc()  # frees the big layer first, then has room for the new index.json
    assert big.layers[0].digest in removed and big.digest in removed
    assert il.Store(path).verify() == [] and il.Store(path).tags() == ["small:1"]
    store.tag("small:1", "small:latest")
    assert il.Store(path).get("small:latest") == _small(1)


@pytest.mark.parametrize("format", ["oci", "oci-archive", "docker-archive"])
def test_save_on_a_full_disk_leaves_nothing(disk, format):
    target = disk / ("out" if format == "oci" else "out.tar")
    with pytest.raises(il.DiskError) as info:
        il.save(_big(3), target, format=format, ref="big:1")
    _check_full_error(info, str(target))
    assert os.listdir(disk) == []


def test_save_of_a_store_into_an_existing_layout_is_all_or_nothing(disk):
    path = disk / "store"
    il.save(_small(1), path, ref="small:1")
    blobs = _blob_names(path)
    source = il.Store()
    source.put(_small(2), "small:2")
    source.put(_big(3), "big:1")
    with pytest.raises(il.DiskError) as info:
        il.save(source, path)
    _check_full_error(info, str(path))
    assert _blob_names(path) == blobs
    assert il.Store(path).tags() == ["small:1"] and il.Store(path).verify() == []
    empty = disk / "empty"
    empty.mkdir()
    with pytest.raises(il.DiskError):
        il.save(source, empty)
    assert os.listdir(empty) == []


def test_the_command_line_says_the_disk_is_full(disk, tmp_path):
    source = tmp_path / "in.tar"
    il.save(_big(3), source, format="docker-archive", ref="big:1")
    for output, format in ((disk / "out.tar", "docker-archive"), (disk / "out", "oci")):
        done = subprocess.run(
            [sys.executable, "-m", "imagelib", "save", str(source), str(output), "--format", format],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 2, done.stderr
        assert FULL in done.stderr and str(output) in done.stderr and "Traceback" not in done.stderr
        assert os.listdir(disk) == []


def test_a_read_only_folder(read_only, tmp_path):
    path = read_only / "store"
    store = il.Store(path)  # opening and reading need no writing
    assert store.get("small:1") == _small(1) and store.verify() == []
    attempts = {
        "put": lambda: store.put(_small(2), "small:2"),
        "tag": lambda: store.tag("small:1", "small:latest"),
        "untag": lambda: store.untag("small:1"),
        "gc": store.gc,
        "new store": lambda: il.Store(read_only / "new"),
        "save": lambda: il.save(_small(2), read_only / "x.tar", format="oci-archive"),
    }
    for what, attempt in attempts.items():
        with pytest.raises(il.DiskError) as info:
            attempt()
        assert READ_ONLY in str(info.value) and str(read_only) in str(info.value), what
        assert info.value.errno == errno.EROFS, what
    assert store.tags() == ["small:1"] and store.get("small:1") == _small(1)
    assert il.Store(path).verify() == [] and il.Store(path).tags() == ["small:1"]
