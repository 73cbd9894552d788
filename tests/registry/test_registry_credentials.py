"""Credentials never leave the registry's host (scheme, host and port), even after redirects.

Three or four fake servers on 127.0.0.1, each on its own port, play the registry, a storage host
that blob downloads are redirected to, and token servers. Every request they get is recorded, so
the tests can say exactly who was sent an ``Authorization`` header.
"""

from __future__ import annotations

import base64
import json

import pytest
from registry_server import FAST, Content, FakeRegistry, Reply

import imagelib as il
from imagelib.registry.auth import origin

pytest_plugins = ["registry_server"]

BASIC = "Basic " + base64.b64encode(b"bob:pw").decode()
REGISTRY_TOKEN = "registry-token"
STORAGE_TOKEN = "storage-token"


def _client(registry: FakeRegistry) -> il.Registry:
    return il.Registry(registry.url, username="bob", password="pw", **FAST)


def _with_blobs_on(storage: FakeRegistry, content: Content, authorized):
    """A registry that answers ``authorized(request)`` and sends blob downloads to ``storage``."""

    def server(request):
        refusal = authorized(request)
        if refusal is not None:
            return refusal
        if "/blobs/" in request.path and request.method == "GET":
            return Reply(307, {"Location": f"{storage.url}/storage{request.path}?signature=abc"})
        return content.answer(request)

    return server


def _basic_only(request):
    if request.headers.get("Authorization") != BASIC:
        return Reply(401, {"WWW-Authenticate": 'Basic realm="registry"'})
    return None


def _storage(content: Content, challenge: "str | None" = None, token: str = STORAGE_TOKEN):
    """A storage host serving /storage/v2/... blobs, asking for ``Bearer token`` when challenging."""

    def server(request):
        if challenge is not None and request.headers.get("Authorization") != f"Bearer {token}":
            return Reply(401, {"WWW-Authenticate": challenge})
        return content.answer(Seen_path(request, request.path.removeprefix("/storage").split("?")[0]))

    return server


class Seen_path:
    """A request seen with another path (the storage host keeps blobs under /storage)."""

    def __init__(self, request, path: str) -> None:
        self.method, self.path, self.headers, self.body = request.method, path, request.headers, request.body


def _token_server(token: str, require: "str | None" = None):
    def server(request):
        if require is not None and request.headers.get("Authorization") != require:
            return Reply(401, {"WWW-Authenticate": 'Basic realm="tokens"'})
        return Reply(200, {"Content-Type": "application/json"}, json.dumps({"token": token}).encode())

    return server


def _authorizations(server: FakeRegistry) -> "list[str]":
    return [s.headers["Authorization"] for s in server.seen if "Authorization" in s.headers]


@pytest.fixture
def content(image_pair):
    content = Content()
    content.add_image(image_pair[0], "v1")
    return content


# -- the CVE-2020-15157 shape: a redirected host's challenge names a realm of its own -------------------


def test_storage_hosts_bearer_challenge_gets_an_anonymous_token_never_the_password(content, image_pair):
    with FakeRegistry(_token_server(STORAGE_TOKEN)) as evil_realm:
        challenge = f'Bearer realm="{evil_realm.url}/token",service="storage"'
        with FakeRegistry(_storage(content, challenge)) as storage:
            with FakeRegistry(_with_blobs_on(storage, content, _basic_only)) as registry:
                pulled = _client(registry).pull("demo/app:v1")
    assert pulled.id == image_pair[0].id
    assert _authorizations(evil_realm) == []  # asked for a token, anonymously
    assert len(evil_realm.seen) == 1  # one token for the storage host, reused for the layers
    assert set(_authorizations(storage)) == {f"Bearer {STORAGE_TOKEN}"}
    assert set(_authorizations(registry)) == {BASIC}


def test_storage_hosts_basic_challenge_is_refused_without_sending_the_password(content):
    with FakeRegistry(_storage(content, 'Basic realm="storage"')) as storage:
        with FakeRegistry(_with_blobs_on(storage, content, _basic_only)) as registry:
            with pytest.raises(il.AuthenticationError, match=storage.host):
                _client(registry).pull("demo/app:v1")
    assert storage.seen and _authorizations(storage) == []


def test_storage_realm_refusing_anonymous_tokens_gets_no_password_either(content):
    with FakeRegistry(_token_server(STORAGE_TOKEN, require=BASIC)) as realm:
        challenge = f'Bearer realm="{realm.url}/token"'
        with FakeRegistry(_storage(content, challenge)) as storage:
            with FakeRegistry(_with_blobs_on(storage, content, _basic_only)) as registry:
                with pytest.raises(il.AuthenticationError, match=storage.host):
                    _client(registry).pull("demo/app:v1")
    assert realm.seen and _authorizations(realm) == []
    assert _authorizations(storage) == []


# -- the registry's own challenge: its realm may be anywhere, as Docker Hub's is ----------------------


def test_registry_realm_on_another_host_gets_the_password_and_the_token_stays_home(content, image_pair):
    with FakeRegistry(_token_server(REGISTRY_TOKEN, require=BASIC)) as realm:

        def bearer(request):
            if request.headers.get("Authorization") != f"Bearer {REGISTRY_TOKEN}":
                challenge = f'Bearer realm="{realm.url}/token",service="registry",scope="repository:demo/app:pull"'
                return Reply(401, {"WWW-Authenticate": challenge})
            return None

        with FakeRegistry(_storage(content)) as storage:
            with FakeRegistry(_with_blobs_on(storage, content, bearer)) as registry:
                assert _client(registry).pull("demo/app:v1").id == image_pair[0].id
    assert _authorizations(realm) == [BASIC]  # as containerd and Docker do: the registry chose the realm
    assert set(_authorizations(registry)) == {f"Bearer {REGISTRY_TOKEN}"}
    assert storage.seen and _authorizations(storage) == []


def test_token_server_redirecting_elsewhere_loses_the_password():
    with FakeRegistry(_token_server(REGISTRY_TOKEN)) as moved:
        with FakeRegistry(lambda r: Reply(302, {"Location": moved.url + "/token"})) as realm:

            def server(request):
                if request.headers.get("Authorization") != f"Bearer {REGISTRY_TOKEN}":
                    return Reply(401, {"WWW-Authenticate": f'Bearer realm="{realm.url}/token"'})
                return Reply(200, {}, b"{}")

            with FakeRegistry(server) as registry:
                assert _client(registry).ping()
    assert _authorizations(realm) == [BASIC] and _authorizations(moved) == []


def test_upload_locations_on_another_host_get_no_credentials():
    def storage_server(request):
        if request.method == "PUT":
            digest = request.path.split("digest=")[1].replace("%3A", ":")
            return Reply(201, {"Docker-Content-Digest": digest})
        return Reply(500)

    with FakeRegistry(storage_server) as storage:

        def server(request):
            refusal = _basic_only(request)
            if refusal is not None:
                return refusal
            if request.method == "HEAD":
                return Reply(404)
            if request.method == "POST":
                return Reply(202, {"Location": f"{storage.url}/upload/1"})
            return Reply(
                201, {"Docker-Content-Digest": "sha256:" + __import__("hashlib").sha256(request.body).hexdigest()}
            )

        with FakeRegistry(server) as registry:
            image = il.Image.scratch().add_layer(il.Layer.from_files({"a": "a\n"}))
            _client(registry).push(image, "demo/app:v1")
    assert storage.count("PUT") == 2 and _authorizations(storage) == []


def test_origin_is_scheme_host_and_port():
    assert origin("http://Registry.Example:80/v2/") == origin("http://registry.example/token")
    assert origin("https://registry.example/v2/") == origin("https://registry.example:443/x")
    assert origin("https://registry.example/") != origin("http://registry.example:443/")
    assert origin("http://127.0.0.1:5000/") != origin("http://127.0.0.1:5001/")
    assert origin("http://registry.example/") != origin("http://registry.example.evil/")


def test_a_token_is_fetched_again_once_its_expires_in_has_passed(monkeypatch, content, image_pair):
    import imagelib.registry.auth as auth

    now = [1000.0]
    monkeypatch.setattr(auth, "time", type("Clock", (), {"monotonic": staticmethod(lambda: now[0])}))
    issued = []

    def server(request):
        if request.path.startswith("/token"):
            issued.append(f"tok-{len(issued)}")
            return Reply(200, {}, json.dumps({"token": issued[-1], "expires_in": 60}).encode())
        if request.headers.get("Authorization") != f"Bearer {issued[-1] if issued else ''}":
            return Reply(401, {"WWW-Authenticate": f'Bearer realm="http://{request.headers["Host"]}/token"'})
        return content.answer(request)

    with FakeRegistry(server) as registry:
        client = _client(registry)
        client.resolve("demo/app:v1")
        now[0] += 59
        client.resolve("demo/app:v1")
        assert issued == ["tok-0"]
        now[0] += 2
        assert client.pull("demo/app:v1").id == image_pair[0].id
    assert issued == ["tok-0", "tok-1"]
