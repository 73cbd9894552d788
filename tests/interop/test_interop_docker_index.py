"""The real Docker engine pulls imagelib's image index by its digest and gets the manifest imagelib says."""

from __future__ import annotations

import json

import pytest
from index_helpers import platform_image
from registry_server import FAST

import imagelib as il

pytestmark = pytest.mark.interop

# The real registry fixture (Debian's docker-registry) lives in tests/support/registry_server.py.
pytest_plugins = ["registry_server"]


def _index(*platforms: "tuple[str, str]") -> il.ImageIndex:
    # Registries carry compressed layers; Docker 20.10 pulls them as any registry image.
    return il.ImageIndex.of([platform_image(arch, variant, compression="gzip") for arch, variant in platforms])


def _pull(docker, reference: str, platform: str) -> dict:
    docker("pull", "--platform", platform, reference)
    [inspected] = json.loads(docker("image", "inspect", reference))
    return inspected


@pytest.mark.parametrize("platform", ["linux/amd64", "linux/arm64", "linux/arm/v7"])
def test_docker_pull_platform_by_index_digest_gets_the_image_imagelib_picks(docker, local_registry, platform):
    index = _index(("amd64", ""), ("arm64", ""), ("arm", "v7"))
    registry = il.Registry(local_registry.url, **FAST)
    repository = f"{local_registry.host}/imagelib-index/{platform.replace('/', '-')}"
    registry.push(index, f"{repository}:multi")
    expected = index.image(platform)
    inspected = _pull(docker, f"{repository}@{index.digest}", platform)
    assert inspected["Id"] == str(expected.id)
    assert (inspected["Os"], inspected["Architecture"]) == (expected.os, expected.architecture)
    assert inspected["RootFS"]["Layers"] == [str(d) for d in expected.diff_ids]
    # What `docker images --digests` and RepoDigests show for a multi-platform image: the index digest.
    assert inspected["RepoDigests"] == [f"{repository}@{index.digest}"]


# (platforms in the index, --platform asked for): Docker 20.10 falls back only among 32-bit arm variants.
CHOICES = [
    ((("amd64", ""), ("arm", "v6")), "linux/arm/v7"),
    ((("amd64", ""), ("arm", "v7")), "linux/arm/v8"),
    ((("amd64", ""), ("arm", "v7")), "linux/arm"),
    ((("amd64", ""), ("arm64", "")), "linux/arm64/v8"),
    ((("amd64", ""), ("arm", "v7")), "linux/arm64"),
    ((("386", ""), ("arm64", "")), "linux/amd64"),
]


@pytest.mark.parametrize(("platforms", "wanted"), CHOICES)
def test_docker_and_imagelib_take_the_same_manifest_or_none(docker, local_registry, platforms, wanted):
    index = _index(*platforms)
    registry = il.Registry(local_registry.url, **FAST)
    repository = f"{local_registry.host}/imagelib-index/choice-{CHOICES.index((platforms, wanted))}"
    registry.push(index, f"{repository}:multi")
    try:
        expected: "il.Image | None" = index.image(wanted)
    except il.TagNotFoundError:
        expected = None
    if expected is None:
        with pytest.raises(AssertionError, match="no matching manifest"):
            docker("pull", "--platform", wanted, f"{repository}@{index.digest}")
        with pytest.raises(il.RegistryNotFoundError):
            registry.pull(f"{repository}:multi", platform=wanted)
        return
    assert _pull(docker, f"{repository}@{index.digest}", wanted)["Id"] == str(expected.id)
    assert registry.pull(f"{repository}:multi", platform=wanted).digest == expected.digest
