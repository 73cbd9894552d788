"""``Store.usage_by_image`` gives the image rows of ``docker system df -v``: the engine's own numbers
(its API's ``/system/df``, in bytes) for SIZE and SHARED SIZE agree with imagelib's model, which
counts a layer as shared when two images have its ChainID. Notebook 14 shows these columns and
cites this file.
"""

from __future__ import annotations

import http.client
import json
import socket

import pytest

import imagelib as il

pytestmark = pytest.mark.interop

BASE = il.Layer.from_files({"etc/os-release": "ID=demo\n" * 50, "bin/sh": il.Symlink("/bin/busybox")})
LIBRARY = il.Layer.from_files({"app/lib.js": "module.exports = 1;\n" * 30})
IMAGES = {
    "imagelib-df-web:1": il.Image.scratch().add_layer(BASE).add_layer(il.Layer.from_files({"app/web.js": "w\n" * 70})),
    "imagelib-df-api:1": il.Image.scratch().add_layer(BASE).add_layer(il.Layer.from_files({"app/api.js": "a\n" * 90})),
    # the same library bytes on another base: another chain, not shared
    "imagelib-df-other:1": il.Image.scratch()
    .add_layer(il.Layer.from_files({"etc/os-release": "ID=other\n"}))
    .add_layer(LIBRARY),
    "imagelib-df-lib:1": il.Image.scratch().add_layer(BASE).add_layer(LIBRARY),
}


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, socket_path: str) -> None:
        super().__init__("localhost", timeout=60)
        self.socket_path = socket_path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.socket_path)


def _engine_rows(docker) -> "dict[str, tuple[int, int]]":
    """Tag -> (Size, SharedSize) from the engine's /system/df, the numbers docker system df -v prints."""
    connection = _UnixConnection(str(docker.socket))
    connection.request("GET", "/system/df")
    answer = json.loads(connection.getresponse().read())
    connection.close()
    return {tag: (row["Size"], row["SharedSize"]) for row in answer["Images"] for tag in row["RepoTags"] or []}


def test_store_usage_by_image_is_what_docker_system_df_counts(docker, tmp_path):
    store = il.Store()
    for tag, image in IMAGES.items():
        store.put(image, tag)
        il.save(image, tmp_path / "image.tar", format="docker-archive", ref=tag)
        docker("load", "--input", str(tmp_path / "image.tar"))

    engine = _engine_rows(docker)
    model = {row.names[0]: (row.size, row.shared_size) for row in store.usage_by_image()}
    assert {tag: engine[tag] for tag in IMAGES} == {tag: model[tag] for tag in IMAGES}
    assert model["imagelib-df-other:1"][1] == 0  # its library layer sits on another chain
