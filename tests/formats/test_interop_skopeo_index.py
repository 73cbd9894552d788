"""skopeo reads the image indexes imagelib writes (every platform), and imagelib reads skopeo's copies."""

from __future__ import annotations

import json

import pytest
from formats_helpers import run, tool
from index_helpers import three_platform_index

import imagelib as il

pytestmark = pytest.mark.interop


@pytest.mark.parametrize("format", ["oci", "oci-archive"])
def test_skopeo_inspect_raw_shows_the_exact_index_bytes(tmp_path, format):
    index = three_platform_index()
    path = tmp_path / ("lay" if format == "oci" else "multi.tar")
    il.save(index, path, format=format, ref="multi:1.0")
    target = f"oci:{path}:1.0" if format == "oci" else f"oci-archive:{path}"
    assert run(tool("skopeo"), "inspect", "--raw", target).encode() == index.data


@pytest.mark.parametrize(
    ("flags", "platform"),
    [
        (["--override-arch", "amd64"], "linux/amd64"),
        (["--override-arch", "arm64"], "linux/arm64"),
        (["--override-arch", "arm", "--override-variant", "v7"], "linux/arm/v7"),
    ],
)
def test_skopeo_picks_the_platform_manifest_imagelib_says(tmp_path, flags, platform):
    index = three_platform_index()
    il.save(index, tmp_path / "lay", ref="multi:1.0")
    source = f"oci:{tmp_path / 'lay'}:1.0"
    expected = index.image(platform)
    info = json.loads(run(tool("skopeo"), *flags, "inspect", source))
    assert info["Layers"] == [str(layer.digest) for layer in expected.layers]
    assert (info["Os"], info["Architecture"]) == (expected.os, expected.architecture)
    # One platform copied out: the manifest skopeo chose is the one imagelib chooses.
    run(tool("skopeo"), *flags, "copy", "-q", "--preserve-digests", source, f"oci:{tmp_path / 'one'}:x")
    entries = json.loads((tmp_path / "one" / "index.json").read_bytes())["manifests"]
    assert [entry["digest"] for entry in entries] == [str(expected.digest)]


def test_skopeo_copy_all_keeps_the_index_digest_when_asked_to_preserve_digests(tmp_path):
    index = three_platform_index()
    il.save(index, tmp_path / "lay", ref="multi:1.0")
    run(
        tool("skopeo"),
        "copy",
        "-q",
        "--all",
        "--preserve-digests",
        f"oci:{tmp_path / 'lay'}:1.0",
        f"oci:{tmp_path / 'copy'}:2.0",
    )
    copied = il.open_index(tmp_path / "copy")
    assert copied.data == index.data
    assert [image.digest for image in copied.images] == [image.digest for image in index.images]


def test_imagelib_reads_the_index_skopeo_rewrote_with_compressed_layers(tmp_path):
    index = three_platform_index()
    il.save(index, tmp_path / "lay", ref="multi:1.0")
    # Without --preserve-digests skopeo compresses the uncompressed layers: new manifests, new index.
    run(tool("skopeo"), "copy", "-q", "--all", f"oci:{tmp_path / 'lay'}:1.0", f"oci:{tmp_path / 'copy'}:1.0")
    copied = il.open_index(tmp_path / "copy")
    assert copied.digest != index.digest
    assert copied.platforms == index.platforms
    assert [image.diff_ids for image in copied.images] == [image.diff_ids for image in index.images]
    assert [image.id for image in copied.images] == [image.id for image in index.images]
    assert copied.image("linux/arm/v7").rootfs().read_text("lib/ld-musl-armhf.so.1") == "armv7\n"
