"""Store(path) treats its folder as untrusted: index.json and oci-layout must be small regular files.

A symlink to /dev/zero, a FIFO or a device in place of either file is refused at once with an
ImageFormatError naming the file. Each case runs in a child process with a memory cap and a
timeout, so the old behaviour (read /dev/zero until MemoryError, block forever on a FIFO) fails
the test instead of taking the machine down with it.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

import imagelib as il

MEMORY_CAP = 1 << 30
TIMEOUT = 20

_CHILD = """
import sys
import imagelib as il
try:
    il.Store(sys.argv[1])
except il.ImageLibError as error:
    print(type(error).__name__)
    print(error)
else:
    print("OPENED")
"""


def _cap_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _open_in_child(path) -> "tuple[str, str]":
    """(error class name or OPENED, message) of ``il.Store(path)`` run in a capped child process."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            preexec_fn=_cap_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"il.Store({os.path.basename(path)!r}) hung for {TIMEOUT}s")
    assert done.returncode == 0, done.stderr[-2000:]
    kind, _, message = done.stdout.partition("\n")
    return kind, message


@pytest.fixture
def layout(tmp_path):
    """A real store folder with one image in it."""
    path = tmp_path / "store"
    image = il.Image.scratch().add_layer(il.Layer.from_files({"a.txt": "a\n"}))
    il.Store(path).put(image, "app:1")
    return path


def _replace(path, make) -> None:
    os.remove(path)
    make(path)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="/dev/zero가 없는 플랫폼입니다")
@pytest.mark.parametrize("name", ["index.json", "oci-layout"])
def test_a_symlink_to_dev_zero_is_refused(layout, name):
    _replace(layout / name, lambda p: os.symlink("/dev/zero", p))
    kind, message = _open_in_child(layout)
    assert kind == "ImageFormatError" and name in message and "심볼릭 링크" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFO가 없는 플랫폼입니다")
@pytest.mark.parametrize("name", ["index.json", "oci-layout"])
def test_a_fifo_is_refused_without_waiting(layout, name):
    _replace(layout / name, os.mkfifo)
    kind, message = _open_in_child(layout)
    assert kind == "ImageFormatError" and name in message and "FIFO" in message


def test_a_device_is_refused(layout):
    try:
        _replace(layout / "index.json", lambda p: os.mknod(p, 0o600 | stat.S_IFCHR, os.makedev(1, 5)))
    except (PermissionError, AttributeError):
        pytest.skip("장치 파일을 만들 권한이 없습니다(root가 아님)")
    kind, message = _open_in_child(layout)
    assert kind == "ImageFormatError" and "index.json" in message and "장치 파일" in message


def test_a_symlink_to_a_regular_file_is_refused_too(layout, tmp_path):
    other = tmp_path / "elsewhere.json"
    other.write_bytes((layout / "index.json").read_bytes())
    _replace(layout / "index.json", lambda p: os.symlink(other, p))
    with pytest.raises(il.errors.ImageFormatError, match="index.json.*심볼릭 링크"):
        il.Store(layout)
    os.remove(layout / "index.json")
    os.symlink(tmp_path / "missing.json", layout / "index.json")  # dangling: not replaced silently
    with pytest.raises(il.errors.ImageFormatError, match="index.json.*심볼릭 링크"):
        il.Store(layout)
    assert os.path.islink(layout / "index.json")


def test_a_folder_in_place_of_index_json_is_refused(layout):
    _replace(layout / "index.json", os.mkdir)
    with pytest.raises(il.errors.ImageFormatError, match="index.json"):
        il.Store(layout)


def test_a_huge_index_json_is_refused_by_size_before_reading(layout):
    with open(layout / "index.json", "r+b") as handle:
        handle.truncate(64 << 20)  # sparse: costs no disk
    with pytest.raises(il.errors.LimitExceededError, match="index.json"):
        il.Store(layout)


def test_the_regular_layout_still_opens(layout):
    assert il.Store(layout).tags() == ["app:1"]


def test_a_huge_manifest_blob_is_refused_by_size_before_reading(layout):
    store = il.Store(layout)
    digest = store.resolve("app:1")
    blob = layout / "blobs" / "sha256" / digest.hex
    with open(blob, "r+b") as handle:
        handle.truncate(64 << 20)  # sparse: costs no disk
    with pytest.raises(il.errors.LimitExceededError, match="매니페스트"):
        il.Store(layout).get("app:1")
