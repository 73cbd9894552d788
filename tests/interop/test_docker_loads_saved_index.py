"""The real ``docker load`` reads imagelib's docker-archive of an image index (Docker 25+'s shape)."""

from __future__ import annotations

import json

import pytest
from index_helpers import carrying_only, platform_image, three_platform_index

import imagelib as il

pytestmark = pytest.mark.interop


@pytest.mark.parametrize(("platform", "tag"), [(None, "multi-default:1.0"), ("linux/arm64", "multi-arm:1.0")])
def test_docker_load_takes_the_saving_platforms_image_with_its_tag(docker, tmp_path, platform, tag):
    index = three_platform_index()
    archive = tmp_path / "multi.tar"
    il.save(index, archive, format="docker-archive", ref=tag, platform=platform)
    expected = index.image(platform)
    docker("load", "--input", str(archive))
    [inspected] = json.loads(docker("image", "inspect", tag))
    assert inspected["Id"] == str(expected.id)
    assert inspected["RepoTags"] == [tag]
    assert (inspected["Os"], inspected["Architecture"]) == (expected.os, expected.architecture)
    assert inspected["RootFS"]["Layers"] == [str(d) for d in expected.diff_ids]


def test_docker_load_reads_an_archive_that_carries_only_the_named_platform(docker, tmp_path):
    # Docker's containerd store saves only the platforms it pulled; manifest.json names one of them.
    index = three_platform_index()
    arm = index.image("linux/arm64")
    il.save(index, tmp_path / "full.tar", format="docker-archive", ref="arm-only:1.0", platform="linux/arm64")
    carrying_only(tmp_path / "full.tar", arm, index, tmp_path / "arm-only.tar")
    docker("load", "--input", str(tmp_path / "arm-only.tar"))
    [inspected] = json.loads(docker("image", "inspect", "arm-only:1.0"))
    assert inspected["Id"] == str(arm.id) == str(il.open(tmp_path / "arm-only.tar").id)


def test_docker_load_of_a_saved_store_tags_its_index_and_its_image(docker, tmp_path):
    store = il.Store()
    index = three_platform_index()
    single = platform_image("386")
    store.put(index, "store-multi:1")
    store.put(single, "store-single:1")
    il.save(store, tmp_path / "store.tar", format="docker-archive")
    docker("load", "--input", str(tmp_path / "store.tar"))
    for tag, image in (("store-multi:1", index.image("linux/amd64")), ("store-single:1", single)):
        [inspected] = json.loads(docker("image", "inspect", tag))
        assert inspected["Id"] == str(image.id)
