"""The real engine pulls the index il.build_index made, by its digest, and gets the platform image imagelib says."""

from __future__ import annotations

import json

import pytest
from registry_server import FAST

import imagelib as il

pytestmark = pytest.mark.interop

pytest_plugins = ["registry_server"]

APP = 'FROM alpine:3.19\nCOPY app.sh /app.sh\nCMD ["/app.sh"]\n'


@pytest.mark.parametrize("platform", ["linux/amd64", "linux/arm64"])
def test_docker_pull_platform_of_a_built_index_gets_that_platform_image(docker, local_registry, platform, tmp_path):
    index = il.build_index(APP, {"app.sh": "echo hi\n"}, platforms=["linux/amd64", "linux/arm64"])
    repository = f"{local_registry.host}/imagelib-build-index/{platform.replace('/', '-')}"
    il.Registry(local_registry.url, **FAST).push(index, f"{repository}:multi")
    expected = index.image(platform)
    reference = f"{repository}@{index.digest}"
    docker("pull", "--platform", platform, reference)
    [inspected] = json.loads(docker("image", "inspect", reference))
    assert inspected["Id"] == str(expected.id)
    assert (inspected["Os"], inspected["Architecture"]) == (expected.os, expected.architecture)
    assert inspected["RootFS"]["Layers"] == [str(d) for d in expected.diff_ids]
    assert inspected["RepoDigests"] == [reference]
    # The engine stored the arm64 image's loader, not the amd64 one (the image need not run here).
    loader = "ld-musl-aarch64.so.1" if platform == "linux/arm64" else "ld-musl-x86_64.so.1"
    docker("tag", reference, f"pulled-{platform.replace('/', '-')}:1")
    saved = docker.saved(f"pulled-{platform.replace('/', '-')}:1", tmp_path)
    assert f"lib/{loader}" in saved.rootfs().paths()
