"""Which whiteout entries a real ``docker build`` writes when a step deletes a folder's contents,
and that imagelib's model (``il.build`` and ``il.Container``) writes the same ones. Notebook 02
shows both cases and cites this file:

- ``RUN rm -rf /srv/cache/*`` deletes each child: one ``.wh.<name>`` per child, no opaque marker;
- ``RUN rm -rf /srv/cache && mkdir /srv/cache`` deletes the folder and makes it again: the layer holds
  the folder with ``.wh..wh..opq`` (an opaque directory) and no per-child whiteouts.

Both BuildKit and the legacy builder are checked, on the overlay2 storage driver (the default): the
driver writes a layer's whiteouts, and vfs compares folders instead of reading overlay's own markers.
"""

from __future__ import annotations

import hashlib
import tarfile

import pytest
from docker_engine import BUILDERS, store_with

import imagelib as il

pytestmark = pytest.mark.interop

PREPARE = "RUN mkdir -p /srv/cache/sub && echo a > /srv/cache/a.txt && echo b > /srv/cache/sub/b.txt\n"
DELETIONS = {
    "children": "rm -rf /srv/cache/*",
    "recreate": "rm -rf /srv/cache && mkdir /srv/cache",
}
# The whiteout entries each deletion leaves in its layer's tar, as notebook 02 states them.
EXPECTED_MARKERS = {
    "children": ["srv/cache/.wh.a.txt", "srv/cache/.wh.sub"],
    "recreate": ["srv/cache/.wh..wh..opq"],
}


def _dockerfile(deletion: str) -> str:
    return f"FROM busybox-base:1\n{PREPARE}RUN {DELETIONS[deletion]}\n"


def _markers(layer: il.Layer) -> "list[str]":
    """The whiteout entries of a layer's tar, by name, as ``tar -tf`` lists them."""
    with layer.open_tar() as stream, tarfile.open(fileobj=stream, mode="r|") as tar:
        return sorted(m.name.rstrip("/") for m in tar if m.name.rsplit("/", 1)[-1].startswith(".wh."))


def _entries(layer: il.Layer) -> "list[tuple]":
    """What a layer holds, without timestamps (the engine stamps the build time, imagelib 0)."""
    return sorted(
        (
            e.path,
            type(e).__name__,
            getattr(e, "mode", None),
            e.uid,
            e.gid,
            hashlib.sha256(e.read()).hexdigest() if isinstance(e, il.File) else None,
        )
        for e in layer.entries
    )


def _docker_build(docker, busybox, tmp_path, deletion: str, builder: str) -> il.Image:
    if docker.driver != "overlay2":
        pytest.skip(f"화이트아웃은 저장 드라이버가 기록하므로 overlay2에서만 비교합니다(이 엔진: {docker.driver})")
    context = tmp_path / "context"
    context.mkdir()
    (context / "Dockerfile").write_text(_dockerfile(deletion))
    tag = f"imagelib-whiteouts-{deletion}-{builder}:1"
    docker.build(context, tag, builder)
    return docker.saved(tag, tmp_path)


@pytest.mark.parametrize("builder", list(BUILDERS))
@pytest.mark.parametrize("deletion", list(DELETIONS))
def test_docker_build_writes_the_whiteouts_notebook_02_shows(docker, busybox, tmp_path, deletion, builder):
    theirs = _docker_build(docker, busybox, tmp_path, deletion, builder)
    assert _markers(theirs.layers[-1]) == EXPECTED_MARKERS[deletion]


@pytest.mark.parametrize("builder", list(BUILDERS))
@pytest.mark.parametrize("deletion", list(DELETIONS))
def test_il_build_writes_the_layer_docker_build_writes(docker, busybox, tmp_path, deletion, builder):
    theirs = _docker_build(docker, busybox, tmp_path, deletion, builder)
    mine = il.build(_dockerfile(deletion), {}, store=store_with(busybox)).image
    assert _markers(mine.layers[-1]) == _markers(theirs.layers[-1])
    assert _entries(mine.layers[-1]) == _entries(theirs.layers[-1])


@pytest.mark.parametrize("deletion", list(DELETIONS))
def test_il_container_writes_the_layer_docker_build_writes(docker, busybox, tmp_path, deletion):
    theirs = _docker_build(docker, busybox, tmp_path, deletion, "buildkit")
    prepared = il.build(f"FROM busybox-base:1\n{PREPARE}", {}, store=store_with(busybox)).image
    box = il.Container(prepared)
    if deletion == "children":
        for name in box.listdir("/srv/cache"):
            box.delete(f"/srv/cache/{name}")
    else:
        box.delete("/srv/cache")
        box.mkdir("/srv/cache")
    assert _markers(box.layer()) == _markers(theirs.layers[-1])
    assert _entries(box.layer()) == _entries(theirs.layers[-1])
