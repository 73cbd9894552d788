"""An image index on a real registry: imagelib pushes it, the registry serves it, skopeo and imagelib pull it."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request

import pytest
from index_helpers import platform_image, three_platform_index
from registry_server import FAST, FakeRegistry, Reply, Seen, sha256

import imagelib as il

pytestmark = pytest.mark.interop

pytest_plugins = ["registry_server"]

OCI_INDEX = "application/vnd.oci.image.index.v1+json"


def skopeo(*args: str) -> str:
    if shutil.which("skopeo") is None:
        pytest.skip("skopeo가 없어 건너뜁니다: apt install skopeo")
    done = subprocess.run(["skopeo", "--insecure-policy", *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def get(url: str, accept: str) -> "tuple[bytes, str]":
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read(), response.headers["Content-Type"]


def test_the_registry_serves_the_index_by_tag_and_each_platform_manifest_by_digest(registry, local_registry, repo):
    index = three_platform_index()
    report = registry.push(index, f"{repo}:multi")
    assert report.digest == index.digest
    assert registry.tags(repo) == ["multi"]
    body, content_type = get(f"{local_registry.url}/v2/{repo}/manifests/multi", OCI_INDEX)
    assert (body, content_type) == (index.data, OCI_INDEX)
    for image in index.images:
        body, _ = get(f"{local_registry.url}/v2/{repo}/manifests/{image.digest}", image.manifest_media_type)
        assert body == image.manifest_bytes


def test_pull_resolves_the_index_to_the_platform_asked_for(registry, repo):
    index = three_platform_index()
    registry.push(index, f"{repo}:multi")
    for platform in ("linux/amd64", "linux/arm64", "linux/arm/v7"):
        pulled = registry.pull(f"{repo}:multi", platform=platform)
        assert pulled.digest == index.image(platform).digest
    assert registry.pull(f"{repo}@{index.digest}").digest == index.image("linux/amd64").digest


def test_pull_index_returns_the_whole_index_with_its_exact_bytes(registry, repo):
    index = three_platform_index()
    registry.push(index, f"{repo}:multi")
    pulled = registry.pull_index(f"{repo}:multi")
    assert pulled.data == index.data and pulled.digest == index.digest
    assert [image.manifest_bytes for image in pulled.images] == [image.manifest_bytes for image in index.images]
    assert pulled.image("linux/arm64").rootfs().read_text("lib/ld-musl-aarch64.so.1") == "arm64\n"
    registry.push(platform_image("amd64"), f"{repo}:single")
    with pytest.raises(il.ImageFormatError, match="pull"):
        registry.pull_index(f"{repo}:single")


def test_a_second_push_skips_every_blob_and_shared_layers_go_up_once(registry, repo):
    index = three_platform_index()
    first = registry.push(index, f"{repo}:multi")
    uploaded = [str(d.digest) for d in first.uploaded]
    assert len(uploaded) == len(set(uploaded))
    again = registry.push(index, f"{repo}:again")
    assert again.uploaded == () and again.skipped


def test_pushing_by_a_digest_that_is_not_the_index_digest_is_refused(registry, repo):
    index = three_platform_index()
    with pytest.raises(il.InvalidReferenceError):
        registry.push(index, f"{repo}@{index.images[0].digest}")
    registry.push(index, f"{repo}@{index.digest}")
    assert registry.manifest(f"{repo}@{index.digest}").data == index.data


def test_skopeo_reads_the_index_imagelib_pushed(registry, local_registry, repo, tmp_path):
    index = three_platform_index()
    registry.push(index, f"{repo}:multi")
    url = f"docker://{local_registry.host}/{repo}:multi"
    assert skopeo("inspect", "--tls-verify=false", "--raw", url).encode() == index.data
    arm = json.loads(skopeo("--override-arch", "arm64", "inspect", "--tls-verify=false", url))
    assert arm["Digest"] == str(index.digest)  # skopeo names the digest of what the tag points at
    assert arm["Layers"] == [str(layer.digest) for layer in index.image("linux/arm64").layers]
    skopeo("copy", "-q", "--all", "--preserve-digests", "--src-tls-verify=false", url, f"oci:{tmp_path / 'copy'}:multi")
    assert il.open_index(tmp_path / "copy").digest == index.digest


def test_platform_manifests_go_up_by_digest_before_the_index_goes_up_by_tag():
    index = three_platform_index()
    puts: "list[str]" = []

    def answer(seen: Seen) -> Reply:
        if seen.method == "HEAD":
            return Reply(200, {"Content-Length": "0"})  # every blob is already there
        puts.append(seen.path)
        digest = sha256(seen.body)
        return Reply(201, {"Docker-Content-Digest": digest})

    with FakeRegistry(answer) as fake:
        il.Registry(fake.url, **FAST).push(index, "demo/app:multi")
    expected = [f"/v2/demo/app/manifests/{image.digest}" for image in index.images]
    assert puts == [*expected, "/v2/demo/app/manifests/multi"]
