"""skopeo reads the image index il.build_index makes: the exact bytes, every platform, and --all copies."""

from __future__ import annotations

import json

import pytest
from formats_helpers import run, tool

import imagelib as il

pytestmark = pytest.mark.interop

APP = 'FROM alpine:3.19\nCOPY app.sh /app.sh\nCMD ["/app.sh"]\n'


def _built(tmp_path):
    index = il.build_index(APP, {"app.sh": "echo hi\n"}, platforms=["linux/amd64", "linux/arm64"])
    il.save(index, tmp_path / "lay", ref="app:1")
    return index, f"oci:{tmp_path / 'lay'}:1"


def test_skopeo_inspect_raw_shows_the_built_index_bytes(tmp_path):
    index, source = _built(tmp_path)
    raw = run(tool("skopeo"), "inspect", "--raw", source).encode()
    assert raw == index.data
    platforms = [entry["platform"] for entry in json.loads(raw)["manifests"]]
    assert platforms == [{"architecture": "amd64", "os": "linux"}, {"architecture": "arm64", "os": "linux"}]


@pytest.mark.parametrize("arch", ["amd64", "arm64"])
def test_skopeo_picks_the_manifest_imagelib_says(tmp_path, arch):
    index, source = _built(tmp_path)
    info = json.loads(run(tool("skopeo"), "--override-arch", arch, "inspect", source))
    expected = index.image(f"linux/{arch}")
    assert info["Digest"] == str(index.digest)  # skopeo, like RepoDigests, names the index
    assert info["Architecture"] == arch
    assert info["Layers"] == [str(layer.digest) for layer in expected.layers]


def test_skopeo_copy_all_keeps_every_platform_and_imagelib_reads_it_back(tmp_path):
    index, source = _built(tmp_path)
    run(tool("skopeo"), "copy", "-q", "--all", "--preserve-digests", source, f"oci:{tmp_path / 'copy'}:2")
    copied = il.open_index(tmp_path / "copy")
    assert copied.digest == index.digest
    arm = copied.image("linux/arm64")
    assert "lib/ld-musl-aarch64.so.1" in arm.rootfs().paths()
    assert "lib/ld-musl-x86_64.so.1" in copied.image("linux/amd64").rootfs().paths()
