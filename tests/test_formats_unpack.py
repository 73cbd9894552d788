"""il.unpack: the root file system in a real folder, and nothing outside it."""

from __future__ import annotations

import os

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
    image = _image(raw_layer(("symlink", "evil", "../../outside")),
                   raw_layer(("file", "evil/x", b"pwned")))
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
    image = _image(raw_layer(("symlink", "up", "../..")),
                   raw_layer(("hardlink", "stolen", f"up/{secret.name}")))
    with pytest.raises(il.errors.UnsafePathError, match="stolen|up"):
        il.unpack(image, tmp_path / "root")
    assert not (tmp_path / "root" / "stolen").exists()


def test_absolute_symlinks_resolve_inside_the_folder(tmp_path):
    image = _image(raw_layer(("dir", "etc", ""), ("symlink", "config", "/etc")),
                   raw_layer(("file", "config/app.conf", b"inside")))
    il.unpack(image, tmp_path / "root")
    assert (tmp_path / "root" / "etc" / "app.conf").read_bytes() == b"inside"
    assert os.readlink(tmp_path / "root" / "config") == "/etc"


def test_symlink_loops_are_refused(tmp_path):
    image = _image(raw_layer(("symlink", "a", "b"), ("symlink", "b", "a")),
                   raw_layer(("file", "a/x", b"x")))
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
