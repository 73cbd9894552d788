"""il.unpack: the root file system in a real folder, and nothing outside it."""

from __future__ import annotations

import errno
import importlib
import io
import os
import sys

import pytest
from formats_helpers import (
    READABLE_ARCHIVES,
    folder_snapshot,
    gzip_layers,
    hardlink_groups,
    raw_layer,
    real_image,
    tree_snapshot,
    tricky_image,
)

import imagelib as il
from imagelib.blob import Blob
from imagelib.streams import file_region

unpack_module = importlib.import_module("imagelib.formats.unpack")  # the module, not il.unpack


def _image(*layers: il.Layer) -> il.Image:
    image = il.Image.scratch()
    for layer in layers:
        image = image.add_layer(layer)
    return image


def test_unpack_matches_the_union_view(tmp_path):
    image = tricky_image()
    il.unpack(image, tmp_path / "root", keep_setuid=True)
    assert folder_snapshot(tmp_path / "root") == tree_snapshot(image.rootfs())
    assert hardlink_groups(tmp_path / "root") == [{"app/hard", "app/run.sh"}, {"tools/alias", "tools/bin"}]
    assert (tmp_path / "root" / "한글" / "둘째.txt").read_text(encoding="utf-8") == "둘\n"
    assert os.stat(tmp_path / "root" / "tools" / "bin").st_mode & 0o7777 == 0o4755


def test_unpack_reads_compressed_layers(tmp_path):
    image = tricky_image()
    packed = gzip_layers(image)
    il.unpack(packed, tmp_path / "root", keep_setuid=True)
    assert folder_snapshot(tmp_path / "root") == tree_snapshot(image.rootfs())


@pytest.mark.parametrize("name", [n for n in READABLE_ARCHIVES if "bundle" not in n and "link" not in n])
def test_real_images_unpack_to_their_union_view(tmp_path, name):
    image = il.open(real_image(name))
    il.unpack(image, tmp_path / "root")
    assert folder_snapshot(tmp_path / "root") == tree_snapshot(image.rootfs())


def test_a_symlink_out_of_the_folder_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    image = _image(raw_layer(("symlink", "evil", "../../outside")), raw_layer(("file", "evil/x", b"pwned")))
    with pytest.raises(il.errors.UnsafePathError, match="evil/x"):
        il.unpack(image, tmp_path / "root")
    assert sorted(os.listdir(outside)) == ["keep.txt"]


def test_whiteouts_and_opaque_markers_cannot_delete_outside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x").write_text("mine")
    for marker in ("evil/.wh.x", "evil/.wh..wh..opq"):
        image = _image(raw_layer(("symlink", "evil", "/../outside")), raw_layer(("file", marker, b"")))
        with pytest.raises(il.errors.UnsafePathError):
            il.unpack(image, tmp_path / marker.replace("/", "_"))
        assert (outside / "x").read_text() == "mine"


def test_a_hard_link_through_a_symlink_cannot_reach_outside(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    image = _image(raw_layer(("symlink", "up", "../..")), raw_layer(("hardlink", "stolen", f"up/{secret.name}")))
    with pytest.raises(il.errors.UnsafePathError, match="stolen|up"):
        il.unpack(image, tmp_path / "root")
    assert not (tmp_path / "root" / "stolen").exists()


def test_absolute_symlinks_resolve_inside_the_folder(tmp_path):
    image = _image(
        raw_layer(("dir", "etc", ""), ("symlink", "config", "/etc")), raw_layer(("file", "config/app.conf", b"inside"))
    )
    il.unpack(image, tmp_path / "root")
    assert (tmp_path / "root" / "etc" / "app.conf").read_bytes() == b"inside"
    assert os.readlink(tmp_path / "root" / "config") == "/etc"


def test_symlink_loops_are_refused(tmp_path):
    image = _image(raw_layer(("symlink", "a", "b"), ("symlink", "b", "a")), raw_layer(("file", "a/x", b"x")))
    with pytest.raises(il.errors.UnsafePathError, match="순환"):
        il.unpack(image, tmp_path / "root")


def test_unpack_wants_an_empty_folder(tmp_path):
    image = tricky_image()
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "mine.txt").write_text("mine")
    with pytest.raises(il.ImageLibError, match="이미 파일이 있습니다"):
        il.unpack(image, tmp_path / "busy")
    (tmp_path / "file").write_text("x")
    with pytest.raises(il.ImageLibError, match="폴더가 아닙니다"):
        il.unpack(image, tmp_path / "file")
    with pytest.raises(il.ImageLibError, match="il.Image"):
        il.unpack(image.layers[0], tmp_path / "new")
    (tmp_path / "empty").mkdir()
    il.unpack(image, tmp_path / "empty")
    assert (tmp_path / "empty" / "new.txt").read_text() == "new\n"


# -- how file contents are copied -----------------------------------------------------------------

COPY_MODES = ["sendfile", "pread", "stream"]


@pytest.fixture(params=COPY_MODES)
def copy_mode(request, monkeypatch):
    """Force one way of copying contents; returns (mode, calls) where calls counts the system calls."""
    mode = request.param
    if mode != "stream" and not unpack_module._KERNEL_COPY:
        pytest.skip("sendfile between files is used on Linux only")
    calls = {"sendfile": 0, "pread": 0}
    real_sendfile, real_pread = os.sendfile if hasattr(os, "sendfile") else None, getattr(os, "pread", None)

    def sendfile(*args):
        calls["sendfile"] += 1
        if mode == "pread":  # what a file system pair without sendfile support answers
            raise OSError(errno.EXDEV, "cross-device")
        return real_sendfile(*args)

    def pread(*args):
        calls["pread"] += 1
        return real_pread(*args)

    if mode == "stream":
        monkeypatch.setattr(unpack_module, "_KERNEL_COPY", False)
    else:
        monkeypatch.setattr(os, "sendfile", sendfile)
        monkeypatch.setattr(os, "pread", pread)
    return mode, calls


def test_every_way_of_copying_contents_writes_the_same_folder(tmp_path, copy_mode):
    mode, calls = copy_mode
    image = tricky_image()
    il.save(image, tmp_path / "image.tar", format="docker-archive")
    il.unpack(il.open(tmp_path / "image.tar"), tmp_path / "root", keep_setuid=True)
    assert folder_snapshot(tmp_path / "root") == tree_snapshot(image.rootfs())
    assert (tmp_path / "root" / "big.bin").read_bytes() == bytes(range(256)) * 8192
    if mode == "sendfile":
        assert calls["sendfile"] > 0 and calls["pread"] == 0
    elif mode == "pread":
        # one refusal per layer, then read and write
        assert calls["sendfile"] == len(image.layers) and calls["pread"] > 0
    else:
        assert calls == {"sendfile": 0, "pread": 0}


def test_an_archive_emptied_after_opening_gives_a_clear_error_and_writes_nothing(tmp_path, copy_mode):
    il.save(tricky_image(), tmp_path / "image.tar", format="docker-archive")
    opened = il.open(tmp_path / "image.tar")
    os.truncate(tmp_path / "image.tar", 0)
    with pytest.raises(il.errors.LayerFormatError, match="잘린 파일"):
        il.unpack(opened, tmp_path / "root")
    assert os.listdir(tmp_path / "root") == []


def test_file_region_finds_bytes_at_rest_in_a_file(tmp_path):
    path = tmp_path / "blob"
    path.write_bytes(b"0123456789")
    with Blob.from_file(path).open() as whole:
        descriptor, start, size = file_region(whole)
        assert (start, size) == (0, 10) and os.fstat(descriptor).st_size == 10
    with Blob.from_file(path, offset=3, size=4).open() as part:
        assert file_region(part)[1:] == (3, 4)
        part.read(1)
        assert file_region(part) is None  # already read from: its position is not its start
    with Blob.from_bytes(b"in memory").open() as memory:
        assert file_region(memory) is None
    assert file_region(io.BufferedReader(io.BytesIO(b"x"))) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent cache is the same everywhere")
def test_each_parent_folder_is_resolved_once_per_layer(tmp_path, monkeypatch):
    files = {f"usr/share/doc/pkg{n}/file{m}": "x" for n in range(5) for m in range(20)}
    image = _image(il.Layer.from_files(files))
    resolved = []
    real_resolve = unpack_module.resolve
    monkeypatch.setattr(
        unpack_module,
        "resolve",
        lambda root, path, *a, **k: (resolved.append(path), real_resolve(root, path, *a, **k))[1],
    )
    il.unpack(image, tmp_path / "root")
    assert len(os.listdir(tmp_path / "root" / "usr" / "share" / "doc")) == 5
    assert len(resolved) <= 5 + 3  # one per folder holding files (and its parents), not one per file
