"""A folder path 1,200 levels deep with whiteouts above it: rootfs, analyze and unpack.

The path stays inside the tar name limit (2 bytes a level, 4096 in all). Every step runs with
the recursion limit set just above the current stack, so nothing may recurse once per level
(the default limit of 1,000 is not what lets them pass). Unpack's work must grow linearly with
depth: the test counts its file system calls at two depths, not its time (the wall time, against
umoci, is in benchmarks/deep_trees.py).
"""

from __future__ import annotations

import hashlib
import inspect
import os
import stat
import subprocess
import sys
import tarfile
from contextlib import contextmanager

import pytest
from formats_helpers import gzip_layers, tool, tree_snapshot
from hostile_archives import Member, raw_tar

import imagelib as il
from imagelib.formats.unpack import delete_tree

DEPTH = 1200


def deep(depth: int, name: str = "d") -> str:
    return "/".join([name] * depth)


def deep_image(depth: int) -> il.Image:
    """Layer 0: two trees ``depth`` levels deep, every folder its own tar entry; layer 1 whites
    out one whole tree at the root and the lower half of the other; layer 2 writes a file."""
    base = il.Layer.from_files(
        {
            f"{deep(depth)}/f.txt": "deep\n",
            f"{deep(depth // 2)}/x/{deep(depth // 2 - 1)}/g.txt": "gone\n",
            f"w/{deep(depth - 1)}/h.txt": "gone too\n",
        }
    )
    upper = il.Layer.from_files({"top/n.txt": "n\n"}, deleted=["w", f"{deep(depth // 2)}/x"])
    return il.Image.scratch().add_layer(base).add_layer(upper)


def leaf_only_image(depth: int) -> il.Image:
    """The same shape with no folder entries (umoci makes the folders), to keep umoci quick."""
    base = il.Layer.from_tar(
        raw_tar(
            Member(f"{deep(depth)}/f.txt", "file", b"deep\n"),
            Member(f"{deep(depth // 2)}/x/{deep(depth // 2 - 1)}/g.txt", "file", b"gone\n"),
            Member(f"w/{deep(depth - 1)}/h.txt", "file", b"gone too\n"),
            fmt=tarfile.PAX_FORMAT,
        )
    )
    upper = il.Layer.from_tar(
        raw_tar(Member(".wh.w"), Member(f"{deep(depth // 2)}/.wh.x"), Member("top/n.txt", "file", b"n\n"))
    )
    return il.Image.scratch().add_layer(base).add_layer(upper)


@contextmanager
def no_deep_recursion():
    """Allow only ~150 frames more than the caller has: a walk that recurses per level fails."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 150)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def deep_folder_snapshot(root) -> "dict[str, tuple]":
    """Like formats_helpers.folder_snapshot, with an explicit stack (os.walk recurses before 3.12)."""
    result: "dict[str, tuple]" = {}
    pending = [os.fspath(root)]
    while pending:
        folder = pending.pop()
        with os.scandir(folder) as found:
            for item in found:
                rel = os.path.relpath(item.path, root).replace(os.sep, "/")
                info = item.stat(follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    result[rel] = ("symlink", 0o777, os.readlink(item.path))
                elif stat.S_ISDIR(info.st_mode):
                    result[rel] = ("dir", stat.S_IMODE(info.st_mode), None)
                    pending.append(item.path)
                else:
                    with open(item.path, "rb") as handle:
                        digest = hashlib.sha256(handle.read()).hexdigest()
                    result[rel] = ("file", stat.S_IMODE(info.st_mode), digest)
    return result


def remove_deep(folder) -> None:
    """Empty ``folder`` with unpack's own deletion, which does not recurse: ``shutil.rmtree``
    recurses once per level before Python 3.12, so pytest's clean-up of an old folder would fail."""
    for item in os.scandir(folder):
        delete_tree(item.path)


@pytest.fixture(autouse=True)
def tmp_path(tmp_path):
    yield tmp_path
    remove_deep(tmp_path)


def test_the_deep_path_fits_the_tar_name_limit():
    assert len(f"{deep(DEPTH)}/f.txt".encode()) <= il.Limits().max_name_bytes


def test_rootfs_analyze_and_unpack_at_depth_1200_without_recursion(tmp_path):
    image = deep_image(DEPTH)
    with no_deep_recursion():
        tree = image.rootfs()
        expected = tree_snapshot(tree)
        rendered = tree.render(max_entries=DEPTH + 10)
        analysis = il.analyze(image)
        il.unpack(image, tmp_path / "root")
    assert f"{deep(DEPTH)}/f.txt" in expected
    assert not any(path.startswith(("w/", f"{deep(DEPTH // 2)}/x")) for path in expected) and "w" not in expected
    assert len(expected) == DEPTH + 3  # d × 1200, f.txt, top, top/n.txt
    assert rendered.count("\n") == len(expected)
    assert [len(layer.removed) for layer in analysis.layers] == [0, 2]
    assert deep_folder_snapshot(tmp_path / "root") == expected
    assert sorted(os.listdir(tmp_path / "root")) == ["d", "top"]  # no .imagelib-undo-* folder


@pytest.mark.interop
@pytest.mark.slow
def test_unpack_at_depth_1200_is_what_umoci_unpacks(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("umoci unpack을 root로 실행할 수 있을 때만 비교합니다")
    image = leaf_only_image(DEPTH)
    il.save(gzip_layers(image), tmp_path / "lay", ref="deep:1")
    subprocess.run(
        [tool("umoci"), "unpack", "--image", f"{tmp_path / 'lay'}:1", tmp_path / "bundle"],
        check=True,
        capture_output=True,
        timeout=600,
    )
    with no_deep_recursion():
        il.unpack(image, tmp_path / "mine")
        model = tree_snapshot(image.rootfs())
    theirs = deep_folder_snapshot(tmp_path / "bundle" / "rootfs")
    assert f"{deep(DEPTH)}/f.txt" in theirs
    assert deep_folder_snapshot(tmp_path / "mine") == theirs == model


CALLS = ("lstat", "stat", "open", "mkdir", "rmdir", "unlink", "rename", "readlink", "scandir", "chmod", "listdir")


def count_calls(monkeypatch, image: il.Image, folder) -> int:
    """File system calls il.unpack makes (os.path.* call these too)."""
    counted = [0]

    def counting(real):
        def call(*args, **kwargs):
            counted[0] += 1
            return real(*args, **kwargs)

        return call

    with monkeypatch.context() as patch:
        for name in CALLS:
            patch.setattr(os, name, counting(getattr(os, name)))
        il.unpack(image, folder)
    return counted[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the system calls counted are Linux's")
def test_unpack_work_grows_linearly_with_depth(tmp_path, monkeypatch):
    small, big = (count_calls(monkeypatch, deep_image(depth), tmp_path / str(depth)) for depth in (300, 1200))
    assert 3.5 < big / small < 4.5, (small, big)  # about cubic before: 16 or more


def test_a_failed_layer_at_depth_leaves_the_folder_as_it_was_and_no_undo_files(tmp_path):
    """Layer 1 whites out the deep tree (moving it aside) and writes another deep tree; layer 2
    whites that out too, writes a third and then fails on a hard link to nothing. Layer 2 is
    undone; the folder holds exactly what layers 0 and 1 make, and no undo folder is left."""
    base = il.Layer.from_files({f"{deep(DEPTH)}/f.txt": "deep\n"})
    middle = il.Layer.from_files({f"m/{deep(DEPTH - 1)}/g.txt": "middle\n"}, deleted=["d"])
    failing = il.Layer.from_tar(
        raw_tar(
            Member(".wh.m"),
            *(Member(f"n/{deep(level)}", "dir", mode=0o755) for level in range(0, DEPTH - 1)),
            Member(f"n/{deep(DEPTH - 2)}/h.txt", "file", b"new\n"),
            Member(f"n/{deep(DEPTH - 2)}/broken", "hardlink", link="nowhere"),
            fmt=tarfile.PAX_FORMAT,
        )
    )
    two = il.Image.scratch().add_layer(base).add_layer(middle)
    three = two.add_layer(failing)
    before = sorted(os.listdir(tmp_path))
    with no_deep_recursion(), pytest.raises(il.ImageLibError, match="되돌렸습니다"):
        il.unpack(three, tmp_path / "root")
    assert sorted(os.listdir(tmp_path)) == sorted(before + ["root"])
    assert sorted(os.listdir(tmp_path / "root")) == ["m"]  # no .imagelib-undo-* folder
    with no_deep_recursion():
        il.unpack(two, tmp_path / "expected")
    assert deep_folder_snapshot(tmp_path / "root") == deep_folder_snapshot(tmp_path / "expected")
