"""Interop on a real registry: skopeo reads what imagelib pushed, imagelib pulls what skopeo pushed."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from paths import REAL_IMAGES

import imagelib as il

pytestmark = pytest.mark.interop

INSECURE = ("--insecure-policy",)

# The fixtures (real and fake registries) live in tests/registry_server.py.
pytest_plugins = ["registry_server"]


def skopeo(*args: str) -> str:
    if shutil.which("skopeo") is None:
        pytest.skip("skopeo가 없어 건너뜁니다: apt install skopeo")
    done = subprocess.run(["skopeo", *INSECURE, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def inspect_digest(url: str) -> str:
    return json.loads(skopeo("inspect", "--tls-verify=false", url))["Digest"]


def copy(source: str, target: str, *options: str) -> None:
    skopeo("copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false", *options, source, target)


def real_image(name: str) -> Path:
    path = REAL_IMAGES / name
    if not path.exists():
        pytest.skip(f"실제 이미지 {name}가 없어 건너뜁니다 (../shared/real-images/ 가 없음)")
    return path


def test_skopeo_sees_exactly_what_imagelib_pushed(registry, local_registry, repo, image_pair):
    v1, _ = image_pair
    registry.push(v1, f"{repo}:v1")
    url = f"docker://{local_registry.host}/{repo}:v1"
    assert inspect_digest(url) == str(v1.digest)
    assert skopeo("inspect", "--tls-verify=false", "--raw", url).encode() == v1.manifest_bytes
    assert skopeo("inspect", "--tls-verify=false", "--config", "--raw", url).encode() == v1.config_bytes


def test_image_copied_by_skopeo_pulls_with_the_same_image_id(registry, local_registry, repo, image_pair):
    v1, _ = image_pair
    registry.push(v1, f"{repo}-a:v1")
    copy(f"docker://{local_registry.host}/{repo}-a:v1", f"docker://{local_registry.host}/{repo}-b:v1")
    pulled = registry.pull(f"{repo}-b:v1")
    assert pulled.id == v1.id
    assert str(pulled.digest) == inspect_digest(f"docker://{local_registry.host}/{repo}-b:v1")
    assert pulled.rootfs().read_text("app/version.txt") == "1\n"


def test_docker_v2s2_manifest_written_by_skopeo_is_pulled(registry, local_registry, repo, image_pair):
    v1, _ = image_pair
    registry.push(v1, f"{repo}-oci:v1")
    copy(
        f"docker://{local_registry.host}/{repo}-oci:v1",
        f"docker://{local_registry.host}/{repo}-docker:v1",
        "--format",
        "v2s2",
    )
    pulled = registry.pull(f"{repo}-docker:v1")
    assert pulled.manifest_media_type == "application/vnd.docker.distribution.manifest.v2+json"
    assert str(pulled.digest) == inspect_digest(f"docker://{local_registry.host}/{repo}-docker:v1")
    assert pulled.id == v1.id and pulled.diff_ids == v1.diff_ids


def test_real_oci_archive_pushed_by_skopeo(registry, local_registry, repo):
    archive = real_image("dive-test-oci-gzip-image.tar")
    with tarfile.open(archive) as tar:
        entry = json.load(tar.extractfile("index.json"))["manifests"][0]
        manifest = json.load(tar.extractfile("blobs/sha256/" + entry["digest"].split(":")[1]))
    copy(f"oci-archive:{archive}", f"docker://{local_registry.host}/{repo}:v1")
    pulled = registry.pull(f"{repo}:v1")
    assert str(pulled.digest) == entry["digest"]
    assert str(pulled.id) == manifest["config"]["digest"]
    assert [str(layer.digest) for layer in pulled.layers] == [d["digest"] for d in manifest["layers"]]


def test_real_docker_save_pushed_by_skopeo(registry, local_registry, repo):
    archive = real_image("ggcr-hello-world-v25.tar")
    with tarfile.open(archive) as tar:
        config_name = json.load(tar.extractfile("manifest.json"))[0]["Config"]
    copy(f"docker-archive:{archive}", f"docker://{local_registry.host}/{repo}:v1")
    pulled = registry.pull(f"{repo}:v1")
    assert pulled.id.hex == Path(config_name).name.removesuffix(".json")
    assert str(pulled.digest) == inspect_digest(f"docker://{local_registry.host}/{repo}:v1")
    assert pulled.rootfs().exists("hello")


def test_oci_layout_saved_by_imagelib_pushed_by_skopeo(registry, local_registry, repo, image_pair, tmp_path):
    if not hasattr(il, "save"):
        pytest.skip("il.save가 아직 없어 건너뜁니다 (imagelib.formats)")
    v1, _ = image_pair
    il.save(v1, tmp_path / "layout", format="oci")
    index = json.loads((tmp_path / "layout" / "index.json").read_text())
    tag = (index["manifests"][0].get("annotations") or {}).get("org.opencontainers.image.ref.name")
    source = f"oci:{tmp_path / 'layout'}" + (f":{tag}" if tag else "")
    copy(source, f"docker://{local_registry.host}/{repo}:v1")
    pulled = registry.pull(f"{repo}:v1")
    assert pulled.id == v1.id and pulled.digest == v1.digest
