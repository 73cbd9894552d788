"""The registry client against a tiny fake server on 127.0.0.1 that lies, fails or asks for tokens."""

from __future__ import annotations

import base64
import json
import socket

import pytest
from registry_server import DROP, FAST, Content, FakeRegistry, Reply, sha256

import imagelib as il

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"

# The fixtures (real and fake registries) live in tests/registry_server.py.
pytest_plugins = ["registry_server"]


def _client(fake: FakeRegistry, **options) -> il.Registry:
    return il.Registry(fake.url, **{**FAST, **options})


# -- every pulled byte is checked -----------------------------------------------------------------


def test_honest_fake_serves_a_pull(image_pair):
    v1, _ = image_pair
    content = Content()
    content.add_image(v1, "v1")
    with FakeRegistry(content.answer) as fake:
        assert _client(fake).pull("demo/app:v1").id == v1.id


def test_manifest_by_digest_with_wrong_bytes_is_caught(image_pair):
    v1, v2 = image_pair
    content = Content()
    content.add_image(v1)
    content.manifests[str(v1.digest)] = (v2.manifest_bytes, v2.manifest_media_type)  # the lie
    with FakeRegistry(lambda r: _without_digest_header(content.answer(r))) as fake:
        with pytest.raises(il.DigestMismatchError, match="매니페스트"):
            _client(fake).pull(f"demo/app@{v1.digest}")


def test_manifest_by_tag_whose_claimed_digest_differs_is_caught(image_pair):
    v1, _ = image_pair
    content = Content()
    content.add_image(v1, "v1")

    def lie(request):
        reply = content.answer(request)
        if "/manifests/" in request.path:
            reply.headers["Docker-Content-Digest"] = sha256(b"something else")
        return reply

    with FakeRegistry(lie) as fake:
        with pytest.raises(il.DigestMismatchError, match="다른 내용"):
            _client(fake).resolve("demo/app:v1")


def test_layer_blob_with_wrong_bytes_is_caught(image_pair):
    v1, _ = image_pair
    content = Content()
    content.add_image(v1, "v1")
    layer = str(v1.layers[1].digest)
    good = content.blobs[layer]
    content.blobs[layer] = good[:-1] + bytes([good[-1] ^ 1])  # same size, one bit flipped
    with FakeRegistry(content.answer) as fake:
        with pytest.raises(il.DigestMismatchError, match="블롭"):
            _client(fake).pull("demo/app:v1")
        assert fake.count("GET", f"/v2/demo/app/blobs/{layer}") == 1  # a lie is not retried


def test_config_blob_longer_than_described_is_caught(image_pair):
    v1, _ = image_pair
    content = Content()
    content.add_image(v1, "v1")
    content.blobs[str(v1.id)] += b" "
    with FakeRegistry(content.answer) as fake:
        with pytest.raises(il.DigestMismatchError, match="크기"):
            _client(fake).pull("demo/app:v1")


def test_docker_manifest_media_type_is_accepted_and_kept(image_pair):
    v1, _ = image_pair
    doc = v1.manifest_json
    doc["mediaType"] = DOCKER_MANIFEST
    doc["config"]["mediaType"] = "application/vnd.docker.container.image.v1+json"
    for layer in doc["layers"]:
        layer["mediaType"] = "application/vnd.docker.image.rootfs.diff.tar"
    data = json.dumps(doc).encode()
    content = Content()
    content.add_image(v1)
    content.add_manifest(data, DOCKER_MANIFEST, "docker")
    with FakeRegistry(content.answer) as fake:
        pulled = _client(fake).pull("demo/app:docker")
        accept = [s.headers.get("Accept", "") for s in fake.seen if "/manifests/" in s.path][0]
    assert pulled.digest == sha256(data) and pulled.id == v1.id
    assert pulled.manifest_media_type == DOCKER_MANIFEST
    assert DOCKER_MANIFEST in accept and "application/vnd.oci.image.index.v1+json" in accept


def _without_digest_header(reply: Reply) -> Reply:
    reply.headers.pop("Docker-Content-Digest", None)
    return reply


# -- retries: 5xx and broken connections yes, 4xx never -------------------------------------------


def test_5xx_is_retried_with_backoff_then_succeeds(image_pair):
    v1, _ = image_pair
    content = Content()
    content.add_image(v1, "v1")
    failures = {"left": 2}

    def flaky(request):
        if "/manifests/" in request.path and failures["left"]:
            failures["left"] -= 1
            return Reply(503, {}, b"busy")
        return content.answer(request)

    with FakeRegistry(flaky) as fake:
        assert _client(fake, retries=3).resolve("demo/app:v1") == v1.digest
        assert fake.count("GET", "/v2/demo/app/manifests/") == 3


def test_5xx_that_never_ends_gives_a_korean_error_after_all_retries():
    with FakeRegistry(lambda r: Reply(500, {}, b"")) as fake:
        with pytest.raises(il.RegistryError, match="HTTP 500") as caught:
            _client(fake, retries=2).ping()
        assert fake.count("GET", "/v2/") == 3
    assert not isinstance(caught.value, il.RegistryNotFoundError)


@pytest.mark.parametrize(
    "status, error", [(404, il.RegistryNotFoundError), (400, il.RegistryError), (403, il.AccessDeniedError)]
)
def test_4xx_is_never_retried(status, error):
    body = json.dumps({"errors": [{"code": "DENIED", "message": "no"}]}).encode()
    with FakeRegistry(lambda r: Reply(status, {"Content-Type": "application/json"}, body)) as fake:
        with pytest.raises(error, match="DENIED no"):
            _client(fake, retries=3).resolve("demo/app:v1")
        assert len(fake.seen) == 1


def test_dropped_connections_are_retried(image_pair):
    v1, _ = image_pair
    content = Content()
    content.add_image(v1, "v1")
    drops = {"left": 2}

    def dropping(request):
        if "/blobs/" in request.path and drops["left"]:
            drops["left"] -= 1
            return DROP
        return content.answer(request)

    with FakeRegistry(dropping) as fake:
        assert _client(fake, retries=3).pull("demo/app:v1").id == v1.id
        assert fake.count("GET", "/v2/demo/app/blobs/") == 3 + 2


def test_unreachable_registry_is_a_korean_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    client = il.Registry(f"http://127.0.0.1:{port}", retries=1, **FAST)
    with pytest.raises(il.RegistryUnreachableError, match="연결할 수 없습니다"):
        client.ping()


def test_failed_upload_restarts_in_a_new_session():
    state = {"put_failures": 1}

    def server(request):
        path = request.path.split("?")[0]
        if request.method == "HEAD":
            return Reply(404)
        if request.method == "POST":
            return Reply(202, {"Location": f"/v2/demo/app/blobs/uploads/{len(fake.seen)}"})
        if request.method == "PUT" and "/blobs/uploads/" in path:
            if state["put_failures"]:
                state["put_failures"] -= 1
                return Reply(502)
            digest = request.path.split("digest=")[1].replace("%3A", ":")
            assert sha256(request.body) == digest
            return Reply(201, {"Docker-Content-Digest": digest})
        if request.method == "PUT":
            return Reply(201, {"Docker-Content-Digest": sha256(request.body)})
        return Reply(500)

    image = il.Image.scratch().add_layer(il.Layer.from_files({"a": "a\n"}))
    with FakeRegistry(server) as fake:
        report = _client(fake).push(image, "demo/app:v1")
        assert fake.count("POST") == 3  # the config's first session failed; a new one was started
        assert fake.count("PUT", "/v2/demo/app/blobs/uploads/") == 3
    assert len(report.uploaded) == 2
    # Bytes sent count what went over the wire, the failed attempt included.
    assert report.bytes_sent == 2 * len(image.config_bytes) + image.layers[0].size + len(image.manifest_bytes)


def test_registry_storing_a_different_manifest_digest_is_caught(image_pair):
    v1, _ = image_pair

    def server(request):
        if request.method == "HEAD":
            return Reply(200)
        return Reply(201, {"Docker-Content-Digest": sha256(b"other")})

    with FakeRegistry(server) as fake:
        with pytest.raises(il.DigestMismatchError, match="매니페스트"):
            _client(fake).push(v1, "demo/app:v1")


# -- tag pages -----------------------------------------------------------------------------------


def test_tags_follow_link_headers_page_by_page():
    pages = {
        "": (["a", "b"], "/v2/demo/app/tags/list?n=2&last=b"),
        "b": (["c", "d"], "/v2/demo/app/tags/list?n=2&last=d"),
        "d": (["e"], None),
    }

    def server(request):
        last = request.path.partition("last=")[2]
        tags, following = pages[last]
        headers = {"Link": f'<{following}>; rel="next"'} if following else {}
        return Reply(200, headers, json.dumps({"name": "demo/app", "tags": tags}).encode())

    with FakeRegistry(server) as fake:
        assert _client(fake).tags("demo/app", page_size=2) == ["a", "b", "c", "d", "e"]
        assert [s.path for s in fake.seen][0] == "/v2/demo/app/tags/list?n=2"
        assert len(fake.seen) == 3


# -- auth challenges -----------------------------------------------------------------------------


def _bearer_server(content: Content, token_requests: list):
    def server(request):
        if request.path.startswith("/token"):
            token_requests.append(request)
            if request.headers.get("Authorization") != "Basic " + base64.b64encode(b"bob:pw").decode():
                return Reply(401)
            return Reply(200, {}, json.dumps({"token": "tok-123", "expires_in": 300}).encode())
        if request.headers.get("Authorization") != "Bearer tok-123":
            realm = f"http://{request.headers['Host']}/token"
            challenge = f'Bearer realm="{realm}",service="fake",scope="repository:demo/app:pull"'
            return Reply(401, {"WWW-Authenticate": challenge}, b"")
        return content.answer(request)

    return server


def test_bearer_token_from_the_challenge(image_pair):
    v1, _ = image_pair
    content = Content()
    content.add_image(v1, "v1")
    tokens: list = []
    with FakeRegistry(_bearer_server(content, tokens)) as fake:
        client = il.Registry(fake.url, username="bob", password="pw", **FAST)
        assert client.pull("demo/app:v1").id == v1.id
    assert len(tokens) == 1  # fetched once, then reused for the config and layer blobs
    query = tokens[0].path
    assert "service=fake" in query and "scope=repository%3Ademo%2Fapp%3Apull" in query


def test_bearer_without_credentials_or_with_wrong_ones(image_pair):
    content = Content()
    content.add_image(image_pair[0], "v1")
    with FakeRegistry(_bearer_server(content, [])) as fake:
        with pytest.raises(il.AuthenticationError, match="username"):
            _client(fake).pull("demo/app:v1")
        wrong = il.Registry(fake.url, username="bob", password="nope", **FAST)
        with pytest.raises(il.AuthenticationError, match="거절"):
            wrong.pull("demo/app:v1")


def test_insufficient_scope_is_access_denied():
    def server(request):
        if request.path.startswith("/token"):
            return Reply(200, {}, b'{"access_token": "weak"}')
        challenge = (
            f'Bearer realm="http://{request.headers["Host"]}/token",service="fake",'
            f'scope="repository:demo/app:pull",error="insufficient_scope"'
        )
        return Reply(401, {"WWW-Authenticate": challenge})

    with FakeRegistry(server) as fake:
        with pytest.raises(il.AccessDeniedError, match="권한"):
            _client(fake).resolve("demo/app:v1")


def test_unknown_auth_scheme_is_explained():
    with FakeRegistry(lambda r: Reply(401, {"WWW-Authenticate": "Negotiate"})) as fake:
        with pytest.raises(il.AuthenticationError, match="Negotiate|negotiate"):
            _client(fake).ping()


def test_big_blobs_are_spooled_to_temporary_files(image_pair, monkeypatch, tmp_path):
    import imagelib.blob

    v1, _ = image_pair
    content = Content()
    content.add_image(v1, "v1")
    monkeypatch.setattr(imagelib.blob, "MEMORY_LIMIT", 1000)
    monkeypatch.setattr(imagelib.blob.tempfile, "tempdir", str(tmp_path))
    with FakeRegistry(content.answer) as fake:
        pulled = _client(fake).pull("demo/app:v1")
    spooled = sorted(tmp_path.glob("imagelib-blob-*"))
    assert len(spooled) == 2  # both layers are bigger than 1000 bytes; the config is not
    assert {path.read_bytes() for path in spooled} == {layer.blob_bytes() for layer in v1.layers}
    assert pulled.rootfs().read_text("app/version.txt") == "1\n"
