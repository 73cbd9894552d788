"""umoci unpacks what imagelib writes to the same files, and imagelib reads what umoci repacks."""

from __future__ import annotations

import os
import shutil

import pytest
from formats_helpers import (
    READABLE_ARCHIVES,
    folder_snapshot,
    gzip_layers,
    hardlink_groups,
    raw_layer,
    real_image,
    run,
    simple_image,
    tool,
    tree_snapshot,
    tricky_image,
    umoci_unpack,
)

import imagelib as il

pytestmark = pytest.mark.interop


def _images() -> "dict[str, il.Image]":
    tricky = tricky_image()
    gzipped = gzip_layers(tricky)
    # a file a layer re-creates below a folder that an upper layer replaced by a symlink, and back
    relinked = (
        il.Image.scratch()
        .add_layer(il.Layer.from_files({"data/old.txt": "old\n", "real/keep.txt": "keep\n"}))
        .add_layer(il.Layer.from_files({"data": il.Symlink("real")}))
        .add_layer(il.Layer.from_files({"data/new.txt": "new\n"}))
    )
    return {"tricky": tricky, "gzip": gzipped, "relinked": relinked}


@pytest.mark.parametrize("name", ["tricky", "gzip", "relinked"])
def test_umoci_unpack_equals_rootfs_and_il_unpack(tmp_path, name):
    image = _images()[name]
    il.save(image, tmp_path / "lay", ref=f"{name}:1")
    rootfs = umoci_unpack(f"{tmp_path / 'lay'}:1", tmp_path / "bundle")
    il.unpack(image, tmp_path / "mine", keep_setuid=True)  # umoci keeps them too
    theirs, mine = folder_snapshot(rootfs), folder_snapshot(tmp_path / "mine")
    assert theirs == mine == tree_snapshot(image.rootfs())
    assert hardlink_groups(rootfs) == hardlink_groups(tmp_path / "mine")


def _symlinked_parents() -> il.Image:
    # A layer that writes below a symlink without re-declaring the folder: real unpackers
    # follow the link (inside the root), so the file lands in the link's target.
    return (
        il.Image.scratch()
        .add_layer(raw_layer(("dir", "etc", ""), ("symlink", "config", "/etc"), ("symlink", "rel", "etc")))
        .add_layer(raw_layer(("file", "config/app.conf", b"abs\n"), ("file", "rel/more.conf", b"rel\n")))
    )


def test_il_unpack_follows_symlinked_parents_like_umoci(tmp_path):
    image = _symlinked_parents()
    il.save(image, tmp_path / "lay", ref="links:1")
    rootfs = umoci_unpack(f"{tmp_path / 'lay'}:1", tmp_path / "bundle")
    il.unpack(image, tmp_path / "mine")
    assert folder_snapshot(rootfs) == folder_snapshot(tmp_path / "mine")
    assert (tmp_path / "mine" / "etc" / "app.conf").read_bytes() == b"abs\n"


def test_rootfs_follows_symlinked_parents_like_umoci(tmp_path):
    image = _symlinked_parents()
    il.save(image, tmp_path / "lay", ref="links:1")
    rootfs = umoci_unpack(f"{tmp_path / 'lay'}:1", tmp_path / "bundle")
    assert tree_snapshot(image.rootfs()) == folder_snapshot(rootfs)


def test_after_umoci_repack_imagelib_sees_what_umoci_sees(tmp_path):
    image = tricky_image()
    il.save(image, tmp_path / "lay", ref="tricky:1")
    layout = tmp_path / "lay"
    rootfs = umoci_unpack(f"{layout}:1", tmp_path / "bundle")
    (rootfs / "added" / "deep").mkdir(parents=True)
    (rootfs / "added" / "deep" / "새 파일.txt").write_text("추가\n", encoding="utf-8")
    (rootfs / "etc" / "hello.txt").write_text("modified\n")
    (rootfs / "new.txt").unlink()
    shutil.rmtree(rootfs / "secret")
    shutil.rmtree(rootfs / "app" / "data")
    os.chmod(rootfs / "app" / "run.sh", 0o700)
    os.symlink("../etc/hello.txt", rootfs / "app" / "hello-link")
    run(tool("umoci"), "repack", "--image", f"{layout}:2", tmp_path / "bundle")
    repacked = il.open(layout, ref="2")
    assert len(repacked.layers) == len(image.layers) + 1
    assert repacked.layers[-1].deleted  # umoci wrote whiteouts for what was removed
    expected = folder_snapshot(rootfs)
    assert tree_snapshot(repacked.rootfs()) == expected
    # umoci copies the annotations of the tag it started from; ref.name "2" wins, the repository stays
    assert il.Store(layout).tags() == ["tricky:1", "tricky:2"]
    assert tree_snapshot(il.Store(layout).get("tricky:2").rootfs()) == expected
    again = umoci_unpack(f"{layout}:2", tmp_path / "again")
    assert folder_snapshot(again) == expected
    il.unpack(repacked, tmp_path / "mine", keep_setuid=True)
    assert folder_snapshot(tmp_path / "mine") == expected
    assert il.open(layout, ref="1") == image  # the original tag is untouched


def test_umoci_tells_apart_two_repositories_with_one_tag(tmp_path):
    store = il.Store(tmp_path / "lay")
    store.put(simple_image("one\n"), "one:1.0")
    store.put(simple_image("two\n"), "two:1.0")
    for name, text in (("docker.io/library/one:1.0", "one\n"), ("docker.io/library/two:1.0", "two\n")):
        rootfs = umoci_unpack(f"{tmp_path / 'lay'}:{name}", tmp_path / name.replace("/", "_"))
        assert (rootfs / "app" / "hello.txt").read_text() == text
    listed = run(tool("umoci"), "ls", "--layout", tmp_path / "lay").split()
    assert sorted(listed) == ["docker.io/library/one:1.0", "docker.io/library/two:1.0"]


@pytest.mark.parametrize("name", [n for n in READABLE_ARCHIVES if n != "ggcr-no_manifest.tar"])
def test_real_archives_unpack_like_skopeo_and_umoci_see_them(tmp_path, name):
    path = real_image(name)
    skopeo = tool("skopeo")
    tool("umoci")
    for position, choice in enumerate(il.formats.list_images(path)):
        image = choice.load()
        if choice.digest is not None and "hello-world" not in name:
            source = f"oci-archive:{path}"
        else:
            source = f"docker-archive:{path}:@{position}"
        copy = tmp_path / f"copy{position}"
        # umoci 0.4 reads gzip layers only; skopeo re-compresses (the tars, so the rootfs, stay the same)
        run(skopeo, "copy", "-q", "--dest-compress-format", "gzip", "--dest-compress", source, f"oci:{copy}:t")
        assert il.open(copy).diff_ids == image.diff_ids  # skopeo may rewrite a Docker config as OCI
        rootfs = umoci_unpack(f"{copy}:t", tmp_path / f"bundle{position}")
        expected = folder_snapshot(rootfs)
        assert tree_snapshot(image.rootfs()) == expected
        il.unpack(image, tmp_path / f"mine{position}")
        assert folder_snapshot(tmp_path / f"mine{position}") == expected
