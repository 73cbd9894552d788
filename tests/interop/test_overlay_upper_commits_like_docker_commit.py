"""The same change made in a real Docker container and through imagelib's overlay layout gives
the same layer: ``docker commit`` on overlay2 tars the container's upper directory, turning the
kernel's whiteout devices and opaque folders into ``.wh.`` entries, and
``il.layer_from_upperdir`` (``OverlayLayout.commit``) writes the same entries.

The change is one busybox shell command, run by the engine in its container and by the same
busybox in a ``chroot`` of imagelib's merged mount. The entry lists (names and types, whiteouts
included) are compared, and the modes and owners of what is not a whiteout; timestamps are not
(the engine stamps the time, imagelib a fixed one).
Notebook 14 shows these entries and cites this file.
"""

from __future__ import annotations

import subprocess
import tarfile

import pytest
from docker_engine import busybox_base

import imagelib as il

pytestmark = pytest.mark.interop

PREPARED = il.Layer.from_files(
    {
        "srv/keep.txt": "keep\n",
        "srv/gone.txt": "gone\n",
        "srv/cache/a.txt": "a\n",
        "srv/cache/sub/b.txt": "b\n",
        "srv/notes/old.txt": "old\n",
    }
)
# write a file, change one, delete one, replace a folder, empty a folder child by child
CHANGE = (
    "echo new > /srv/new.txt && echo more >> /srv/keep.txt && rm /srv/gone.txt"
    " && rm -rf /srv/cache && mkdir /srv/cache && echo fresh > /srv/cache/fresh.txt"
    " && rm -rf /srv/notes/*"
)


def _entries(layer: il.Layer) -> "list[tuple[str, str]]":
    """(name, type) of each member of a layer's tar."""
    kinds = {tarfile.DIRTYPE: "dir", tarfile.SYMTYPE: "symlink", tarfile.LNKTYPE: "hardlink", tarfile.REGTYPE: "file"}
    with layer.open_tar() as stream, tarfile.open(fileobj=stream, mode="r|") as tar:
        return sorted((member.name.rstrip("/"), kinds.get(member.type, str(member.type))) for member in tar)


def _modes_and_owners(layer: il.Layer) -> "list[tuple[str, int, int, int]]":
    """(name, permission bits, uid, gid) of each member but the whiteouts (the engine keeps the device's mode 0
    for those; Go also writes the file type into the mode field, imagelib does not)."""
    with layer.open_tar() as stream, tarfile.open(fileobj=stream, mode="r|") as tar:
        return sorted(
            (member.name.rstrip("/"), member.mode & 0o7777, member.uid, member.gid)
            for member in tar
            if not member.name.rsplit("/", 1)[-1].startswith(".wh.")
        )


def _contents(layer: il.Layer) -> "dict[str, bytes]":
    return {entry.path: entry.read() for entry in layer.entries if isinstance(entry, il.File)}


def _docker_commit(docker, tmp_path, image: il.Image) -> il.Layer:
    if docker.driver != "overlay2":
        pytest.skip(f"docker commit이 upperdir를 읽는 것은 overlay2에서만이라 건너뜁니다(이 엔진: {docker.driver})")
    il.save(image, tmp_path / "prepared.tar", format="docker-archive", ref="imagelib-overlay-prepared:1")
    docker("load", "--input", str(tmp_path / "prepared.tar"))
    docker(
        "run",
        "--name",
        "imagelib-overlay-change",
        "--network",
        "none",
        "imagelib-overlay-prepared:1",
        "sh",
        "-c",
        CHANGE,
    )
    docker("commit", "imagelib-overlay-change", "imagelib-overlay-changed:1")
    docker("rm", "imagelib-overlay-change")
    return docker.saved("imagelib-overlay-changed:1", tmp_path).layers[-1]


def _imagelib_commit(tmp_path, image: il.Image) -> il.Layer:
    layout = il.unpack_overlay(image, tmp_path / "store")
    try:
        with layout.mounted() as merged:
            subprocess.run(["chroot", merged, "/bin/sh", "-c", CHANGE], check=True, capture_output=True, timeout=60)
    except il.UnsupportedError as error:
        pytest.skip(f"overlay를 마운트할 수 없어 건너뜁니다: {error}")
    return layout.commit()


def test_the_upper_directory_becomes_the_layer_docker_commit_writes(docker, busybox, tmp_path):
    image = busybox_base().add_layer(PREPARED)
    theirs = _docker_commit(docker, tmp_path, image)
    mine = _imagelib_commit(tmp_path, image)

    assert _entries(mine) == _entries(theirs)
    assert ("srv/.wh.gone.txt", "file") in _entries(theirs)
    assert ("srv/cache/.wh..wh..opq", "file") in _entries(theirs)
    assert _modes_and_owners(mine) == _modes_and_owners(theirs)
    assert _contents(mine) == _contents(theirs)
    assert _contents(theirs)["srv/keep.txt"] == b"keep\nmore\n"
