"""skopeo and umoci read imagelib's docker-archive of an image index (Docker 25+'s ``docker save`` shape).

The one tar is two things at once: a docker-archive whose ``manifest.json`` names the saving
platform's image, and an OCI archive whose ``index.json`` points to the image index.
"""

from __future__ import annotations

import json
import subprocess
import tarfile

import pytest
from formats_helpers import run, tool
from index_helpers import three_platform_index

import imagelib as il

pytestmark = pytest.mark.interop


@pytest.mark.parametrize("platform", [None, "linux/arm64"])
def test_skopeo_reads_the_docker_archive_as_the_saving_platforms_image(tmp_path, platform):
    index = three_platform_index()
    archive = tmp_path / "multi.tar"
    il.save(index, archive, format="docker-archive", ref="multi:1.0", platform=platform)
    expected = index.image(platform)
    for target in (f"docker-archive:{archive}", f"docker-archive:{archive}:multi:1.0"):
        info = json.loads(run(tool("skopeo"), "inspect", target))
        assert info["Layers"] == [str(layer.digest) for layer in expected.layers]
        assert (info["Os"], info["Architecture"]) == (expected.os, expected.architecture)
    # skopeo makes a Docker manifest of its own from manifest.json; its config is imagelib's, byte for byte.
    config = run(tool("skopeo"), "inspect", "--config", "--raw", f"docker-archive:{archive}")
    assert config.encode() == expected.config_bytes


def test_skopeo_reads_the_same_tar_as_an_oci_archive_holding_the_index(tmp_path):
    index = three_platform_index()
    archive = tmp_path / "multi.tar"
    il.save(index, archive, format="docker-archive", ref="multi:1.0")
    assert run(tool("skopeo"), "inspect", "--raw", f"oci-archive:{archive}").encode() == index.data
    arm = json.loads(run(tool("skopeo"), "--override-arch", "arm64", "inspect", f"oci-archive:{archive}"))
    assert arm["Layers"] == [str(layer.digest) for layer in index.image("linux/arm64").layers]


def test_umoci_lists_the_tag_but_does_not_choose_a_platform_from_a_nested_index(tmp_path):
    index = three_platform_index()
    archive = tmp_path / "multi.tar"
    il.save(index, archive, format="docker-archive", ref="multi:1.0")
    layout = tmp_path / "lay"
    layout.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(layout, filter="data")
    assert run(tool("umoci"), "ls", "--layout", layout).split() == ["1.0"]
    # umoci follows index.json through the index to all three manifests and refuses to guess.
    result = subprocess.run([tool("umoci"), "stat", "--image", f"{layout}:1.0"], capture_output=True, text=True)
    assert result.returncode != 0 and "ambiguous" in result.stderr
