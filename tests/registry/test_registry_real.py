"""Push and pull against a real distribution registry (Debian's docker-registry) on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import urllib.request

import pytest
from registry_server import FAST, PASSWORD, USER

import imagelib as il

pytestmark = pytest.mark.interop

# The fixtures (real and fake registries) live in tests/registry_server.py.
pytest_plugins = ["registry_server"]


def test_ping_and_round_trip_keeps_every_digest(registry, repo, image_pair):
    v1, _ = image_pair
    assert registry.ping() is True
    report = registry.push(v1, f"{repo}:v1")
    assert report.digest == v1.digest
    pulled = registry.pull(f"{repo}:v1")
    assert (pulled.digest, pulled.id, pulled.diff_ids) == (v1.digest, v1.id, v1.diff_ids)
    assert pulled.manifest_bytes == v1.manifest_bytes
    assert pulled.rootfs().read_text("app/version.txt") == "1\n"
    assert pulled.config.cmd == ("cat", "/app/version.txt")


def test_full_reference_names_the_registry_host(registry, local_registry, repo, image_pair):
    v1, _ = image_pair
    full = f"{local_registry.host}/{repo}:v1"
    assert il.parse_reference(full).registry == local_registry.host
    report = registry.push(v1, full)
    assert report.reference == full
    assert registry.resolve(full) == v1.digest


def test_second_push_skips_what_the_registry_has(registry, repo, image_pair):
    v1, _ = image_pair
    first = registry.push(v1, f"{repo}:v1")
    assert {d.digest for d in first.uploaded} == {v1.id, *(layer.digest for layer in v1.layers)}
    again = registry.push(v1, f"{repo}:again")
    assert again.uploaded == () and len(again.skipped) == 3
    assert again.bytes_sent == len(v1.manifest_bytes)


def test_image_sharing_a_base_uploads_only_its_new_layers(registry, repo, image_pair):
    v1, v2 = image_pair
    registry.push(v1, f"{repo}:v1")
    report = registry.push(v2, f"{repo}:v2")
    assert [d.digest for d in report.skipped] == [v2.layers[0].digest]
    assert {d.digest for d in report.uploaded} == {v2.id, v2.layers[1].digest}
    assert report.bytes_sent == v2.layers[1].size + len(v2.config_bytes) + len(v2.manifest_bytes)


def test_blobs_of_another_repository_are_mounted_not_sent(registry, local_registry, repo, image_pair):
    v1, _ = image_pair
    registry.push(v1, f"{repo}-a:v1")
    report = registry.push(v1, f"{repo}-b:v1")
    assert len(report.mounted) == 3 and report.uploaded == ()
    # A fresh client knows nothing of repository a, unless told where to mount from.
    fresh = il.Registry(local_registry.url, **FAST)
    told = fresh.push(v1, f"{repo}-c:v1", mount_from=f"{repo}-a")
    assert len(told.mounted) == 3
    assert fresh.pull(f"{repo}-c:v1").digest == v1.digest


def test_chunked_upload_of_a_big_blob(local_registry, repo):
    small_chunks = il.Registry(local_registry.url, chunk_size=1000, **FAST)
    layer = il.Layer.from_files({"data.bin": bytes(range(256)) * 40})
    image = il.Image.scratch().add_layer(layer)
    assert layer.size > 5 * 1000
    report = small_chunks.push(image, f"{repo}:v1")
    assert layer.digest in {d.digest for d in report.uploaded}
    assert small_chunks.pull(f"{repo}:v1").layers[0].blob_bytes() == layer.blob_bytes()


def test_gzip_layers_round_trip(registry, repo, image_pair):
    v1, _ = image_pair
    packed = il.Image.scratch().add_layer(v1.layers[0].compress("gzip"))
    registry.push(packed, f"{repo}:gz")
    pulled = registry.pull(f"{repo}:gz")
    assert pulled.layers[0].compression == "gzip"
    assert pulled.digest == packed.digest and pulled.diff_ids == packed.diff_ids


def test_moving_latest_keeps_the_old_digest_pullable(registry, repo, image_pair):
    v1, v2 = image_pair
    registry.push(v1, f"{repo}:latest")
    old = registry.resolve(f"{repo}:latest")
    registry.push(v2, f"{repo}:latest")
    assert registry.resolve(f"{repo}:latest") == v2.digest != old
    assert registry.pull(f"{repo}@{old}").rootfs().read_text("app/version.txt") == "1\n"
    assert registry.pull(f"{repo}:latest").rootfs().read_text("app/version.txt") == "2\n"


def test_push_by_digest_and_wrong_digest_refused(registry, repo, image_pair):
    v1, v2 = image_pair
    report = registry.push(v1, f"{repo}@{v1.digest}")
    assert report.digest == v1.digest
    assert registry.pull(f"{repo}@{v1.digest}").id == v1.id
    with pytest.raises(il.InvalidReferenceError, match="다이제스트"):
        registry.push(v2, f"{repo}@{v1.digest}")


def test_tags_with_pagination(registry, repo, image_pair):
    v1, _ = image_pair
    names = ["a", "b", "c", "d", "e"]
    for name in names:
        registry.push(v1, f"{repo}:{name}")
    assert registry.tags(repo) == names
    assert registry.tags(repo, page_size=2) == names
    assert repo in registry.repositories(page_size=1)


def test_delete_by_digest_removes_the_manifest_and_its_tags(registry, repo, image_pair):
    v1, v2 = image_pair
    registry.push(v1, f"{repo}:v1")
    registry.push(v2, f"{repo}:v2")
    assert registry.delete(f"{repo}:v1") == v1.digest
    with pytest.raises(il.RegistryNotFoundError, match="없습니다"):
        registry.pull(f"{repo}@{v1.digest}")
    assert registry.tags(repo) == ["v2"]
    registry.delete_blob(repo, v1.layers[1].digest)
    assert not registry.blob_exists(repo, v1.layers[1].digest)
    assert registry.blob_exists(repo, v2.layers[1].digest)


def test_missing_things_give_korean_not_found_errors(registry, repo, image_pair):
    v1, _ = image_pair
    with pytest.raises(il.RegistryNotFoundError, match="HTTP 404"):
        registry.pull(f"{repo}:nothing")
    with pytest.raises(il.RegistryNotFoundError, match="저장소"):
        registry.tags(f"{repo}-never-pushed")
    registry.push(v1, f"{repo}:v1")
    with pytest.raises(il.RegistryNotFoundError):
        registry.resolve(f"{repo}:v2")


def test_index_pull_chooses_linux_amd64_or_the_asked_platform(registry, local_registry, repo):
    amd = il.Image.scratch().add_layer(il.Layer.from_files({"arch": "amd64\n"}))
    arm = il.Image.scratch("arm64", variant="v8").add_layer(il.Layer.from_files({"arch": "arm64\n"}))
    for image in (amd, arm):
        registry.push(image, f"{repo}@{image.digest}")
    index = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [_entry(arm, "arm64", "v8"), _entry(amd, "amd64")],
        }
    ).encode()
    _raw_put(f"{local_registry.url}/v2/{repo}/manifests/multi", index, "application/vnd.oci.image.index.v1+json")
    assert registry.manifest(f"{repo}:multi").is_index
    assert registry.resolve(f"{repo}:multi") == il.Digest.of_bytes(index)
    assert registry.pull(f"{repo}:multi").digest == amd.digest
    assert registry.pull(f"{repo}:multi", platform="linux/arm64").digest == arm.digest
    with pytest.raises(il.RegistryNotFoundError, match="linux/s390x"):
        registry.pull(f"{repo}:multi", platform="linux/s390x")


def _entry(image: il.Image, arch: str, variant: "str | None" = None) -> dict:
    platform = {"architecture": arch, "os": "linux", **({"variant": variant} if variant else {})}
    return {
        "mediaType": image.manifest_media_type,
        "digest": str(image.digest),
        "size": len(image.manifest_bytes),
        "platform": platform,
    }


def _raw_put(url: str, data: bytes, media_type: str, auth: "str | None" = None) -> None:
    request = urllib.request.Request(url, data=data, method="PUT", headers={"Content-Type": media_type})
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 201


def test_reference_of_another_registry_is_refused(registry):
    with pytest.raises(il.InvalidReferenceError, match="다른|가리키는데"):
        registry.pull("ghcr.io/someone/app:v1")


# -- htpasswd (Basic) authentication ----------------------------------------------------------


def test_without_credentials_a_korean_auth_error(auth_registry, image_pair):
    anonymous = il.Registry(auth_registry.url, **FAST)
    with pytest.raises(il.AuthenticationError, match="로그인"):
        anonymous.ping()
    with pytest.raises(il.AuthenticationError, match="username"):
        anonymous.push(image_pair[0], "private/app:v1")


def test_wrong_password_is_rejected(auth_registry):
    wrong = il.Registry(auth_registry.url, username=USER, password="not-it", **FAST)
    with pytest.raises(il.AuthenticationError, match="거절"):
        wrong.ping()


def test_with_credentials_push_and_pull_work(auth_registry, image_pair):
    v1, v2 = image_pair
    client = il.Registry(auth_registry.url, username=USER, password=PASSWORD, **FAST)
    assert client.ping()
    client.push(v1, "private/app:v1")
    assert client.push(v2, "private/app:v2").skipped[0].digest == v2.layers[0].digest
    assert client.pull("private/app:v1").id == v1.id
    assert client.tags("private/app") == ["v1", "v2"]


# -- Bearer token authentication (a token server signs JWTs the registry checks) ---------------------


def test_bearer_tokens_from_a_token_server(token_registry, image_pair):
    v1, v2 = image_pair
    anonymous = il.Registry(token_registry.url, **FAST)
    with pytest.raises(il.AuthenticationError, match="로그인"):
        anonymous.pull("private/app:v1")
    client = il.Registry(token_registry.url, username=USER, password=PASSWORD, **FAST)
    client.push(v1, "private/app:v1")
    assert client.push(v2, "private/copy:v2").mounted[0].digest == v2.layers[0].digest
    assert client.pull("private/copy:v2").id == v2.id
    scopes = [s.path for s in token_registry.issuer.requests]
    assert any("repository%3Aprivate%2Fapp%3Apull" in path and "copy" in path for path in scopes)


def test_bearer_token_that_only_allows_pull(token_registry, image_pair):
    v1, _ = image_pair
    il.Registry(token_registry.url, username=USER, password=PASSWORD, **FAST).push(v1, "shared/app:v1")
    reader = il.Registry(token_registry.url, username="reader", password=PASSWORD, **FAST)
    assert reader.pull("shared/app:v1").id == v1.id
    with pytest.raises(il.AccessDeniedError, match="권한"):
        reader.push(v1, "shared/app:v2")
    wrong = il.Registry(token_registry.url, username=USER, password="nope", **FAST)
    with pytest.raises(il.AuthenticationError, match="거절"):
        wrong.pull("shared/app:v1")
