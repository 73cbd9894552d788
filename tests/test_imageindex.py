"""il.ImageIndex: one name, several platforms; exact bytes, digest, and the engine's choice of platform."""

from __future__ import annotations

import hashlib
import json

import pytest
from index_helpers import platform_image, platform_images, three_platform_index

import imagelib as il


def test_the_index_lists_each_image_with_the_platform_its_config_states():
    images = platform_images()
    index = il.ImageIndex.of(images)
    doc = json.loads(index.data)
    assert doc["mediaType"] == "application/vnd.oci.image.index.v1+json"
    assert [m["digest"] for m in doc["manifests"]] == [str(image.digest) for image in images]
    assert [m["size"] for m in doc["manifests"]] == [len(image.manifest_bytes) for image in images]
    assert [m["platform"] for m in doc["manifests"]] == [
        {"architecture": "amd64", "os": "linux"},
        {"architecture": "arm64", "os": "linux"},
        {"architecture": "arm", "os": "linux", "variant": "v7"},
    ]
    assert index.platforms == ("linux/amd64", "linux/arm64", "linux/arm/v7")
    assert index.images == tuple(images)


def test_the_digest_is_the_hash_of_the_exact_bytes_and_the_bytes_are_reproducible():
    index = three_platform_index()
    assert str(index.digest) == "sha256:" + hashlib.sha256(index.data).hexdigest()
    assert three_platform_index().data == index.data
    assert index.descriptor.digest == index.digest and index.descriptor.size == len(index.data)


def test_a_mapping_by_platform_gives_the_same_index_as_a_list():
    amd, arm = platform_image("amd64"), platform_image("arm64")
    assert il.ImageIndex.of({"linux/amd64": amd, "linux/arm64/v8": arm}) == il.ImageIndex.of([amd, arm])


def test_a_mapping_whose_platform_contradicts_the_config_is_refused():
    with pytest.raises(il.ImageLibError, match="linux/amd64"):
        il.ImageIndex.of({"linux/arm64": platform_image("amd64")})


def test_two_images_of_one_platform_are_refused():
    other = platform_image("amd64").with_config(cmd=["/bin/true"])
    with pytest.raises(il.ImageLibError, match="플랫폼 linux/amd64"):
        il.ImageIndex.of([platform_image("amd64"), other])


def test_an_empty_index_and_non_images_are_refused():
    with pytest.raises(il.ImageLibError):
        il.ImageIndex.of([])
    with pytest.raises(il.ImageLibError, match="il.Image"):
        il.ImageIndex.of(["alpine"])  # type: ignore[list-item]


def test_annotations_are_written_and_change_the_digest():
    plain = three_platform_index()
    noted = il.ImageIndex.of(platform_images(), annotations={"org.opencontainers.image.version": "1.0"})
    assert json.loads(noted.data)["annotations"] == {"org.opencontainers.image.version": "1.0"}
    assert noted.annotations == {"org.opencontainers.image.version": "1.0"}
    assert noted.digest != plain.digest


@pytest.mark.parametrize(
    ("wanted", "architecture"),
    [
        (None, "amd64"),
        ("linux/amd64", "amd64"),
        ("linux/x86_64", "amd64"),
        ("linux/arm64", "arm64"),
        ("linux/arm64/v8", "arm64"),
        ("linux/aarch64", "arm64"),
        ("linux/arm/v7", "arm"),
        ("linux/arm", "arm"),
    ],
)
def test_image_picks_the_platform_asked_for(wanted, architecture):
    assert three_platform_index().image(wanted).architecture == architecture


def test_like_docker_only_32_bit_arm_falls_back_to_an_older_variant():
    index = il.ImageIndex.of([platform_image("amd64"), platform_image("arm", "v6")])
    assert index.image("linux/arm/v7").platform == "linux/arm/v6"
    assert index.image("linux/arm/v8").platform == "linux/arm/v6"
    with pytest.raises(il.TagNotFoundError):
        index.image("linux/arm64")  # newer containerd would take arm/v6; Docker 20.10 does not
    with pytest.raises(il.TagNotFoundError):
        il.ImageIndex.of([platform_image("386"), platform_image("arm64")]).image("linux/amd64")


def test_a_platform_nothing_runs_on_is_a_korean_error_listing_what_there_is():
    index = il.ImageIndex.of([platform_image("arm64")])
    assert index.image() == index.images[0]  # one image and no platform asked for: that one
    with pytest.raises(il.TagNotFoundError, match="linux/arm/v6.*linux/arm64"):
        index.image("linux/arm/v6")
    with pytest.raises(il.TagNotFoundError, match="linux/s390x"):
        il.ImageIndex.of([platform_image("amd64"), platform_image("arm64")]).image("linux/s390x")


def test_the_index_is_read_only():
    index = three_platform_index()
    with pytest.raises(il.ReadOnlyError):
        index._images = ()  # type: ignore[misc]
    assert len(index) == 3 and list(index) == list(index.images)
    assert "linux/arm64" in repr(index) and "linux/arm/v7" in index._repr_html_()
