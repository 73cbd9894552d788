"""Every malformed registry answer is an ImageLibError, never AttributeError, TypeError and the like.

The named cases are the ones found by hand; the hypothesis fuzzer below serves arbitrary JSON in
place of manifests, configs, indexes, tag lists, catalogs, token responses and error bodies, and
checks that the client either succeeds or raises ``ImageLibError``.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from registry_server import FAST, FakeRegistry, Reply, sha256

import imagelib as il

pytest_plugins = ["registry_server"]

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
IMAGE = il.Image.scratch().add_layer(il.Layer.from_files({"a": "a\n"}))


class Served:
    """What the fake registry answers; tests change its parts, the handler reads them."""

    def __init__(self) -> None:
        self.manifest = IMAGE.manifest_bytes
        self.manifest_type = OCI_MANIFEST
        self.blobs = {str(IMAGE.id): IMAGE.config_bytes}
        self.blobs.update({str(layer.digest): layer.blob_bytes() for layer in IMAGE.layers})
        self.tags = b'{"name": "demo/app", "tags": ["v1"]}'
        self.catalog = b'{"repositories": ["demo/app"]}'
        self.token = b'{"token": "good-token", "expires_in": 300}'
        self.error: "tuple[int, bytes] | None" = None
        self.bearer = False

    def with_config(self, data: bytes) -> "Served":
        """Serve ``data`` as the image's config (the manifest is changed to describe it truly)."""
        doc = json.loads(IMAGE.manifest_bytes)
        doc["config"].update(digest=sha256(data), size=len(data))
        self.manifest = json.dumps(doc).encode()
        self.blobs[sha256(data)] = data
        return self

    def answer(self, request) -> Reply:
        path = request.path.split("?")[0]
        if path == "/token":
            return Reply(200, {"Content-Type": "application/json"}, self.token)
        if self.bearer and request.headers.get("Authorization") is None:
            realm = f"http://{request.headers['Host']}/token"
            return Reply(401, {"WWW-Authenticate": f'Bearer realm="{realm}",service="fake"'})
        if self.error is not None:
            return Reply(self.error[0], {"Content-Type": "application/json"}, self.error[1])
        if path.endswith("/tags/list"):
            return Reply(200, {}, self.tags)
        if path == "/v2/_catalog":
            return Reply(200, {}, self.catalog)
        if "/manifests/" in path:
            return Reply(200, {"Content-Type": self.manifest_type}, self.manifest)
        if "/blobs/" in path and path.rpartition("/")[2] in self.blobs:
            return Reply(200, {}, self.blobs[path.rpartition("/")[2]])
        return Reply(200, {}, b"{}")


@pytest.fixture(scope="module")
def fake():
    served = {"now": Served()}
    with FakeRegistry(lambda request: served["now"].answer(request)) as server:
        server.serve = lambda s: served.__setitem__("now", s)
        yield server


def _client(fake) -> il.Registry:
    return il.Registry(fake.url, **{**FAST, "retries": 0})


def test_the_untouched_fake_serves_everything(fake):
    served = Served()
    served.bearer = True
    fake.serve(served)
    client = _client(fake)
    assert client.pull("demo/app:v1").id == IMAGE.id
    assert client.tags("demo/app") == ["v1"] and client.repositories() == ["demo/app"]


DEEP = b"[" * 100_000 + b"]" * 100_000


def _manifest_with(**fields) -> bytes:
    doc = json.loads(IMAGE.manifest_bytes)
    doc.update(fields)
    return json.dumps(doc).encode()


def _set(**parts):
    def change(served: Served) -> Served:
        for key, value in parts.items():
            setattr(served, key, value)
        return served

    return change


CASES = {
    "config that is a list": lambda s: s.with_config(b"[]"),
    "config nested 100k deep": lambda s: s.with_config(DEEP),
    "config rootfs that is a string": lambda s: s.with_config(b'{"rootfs": "x"}'),
    "size 1e400": _set(manifest=IMAGE.manifest_bytes.replace(b'"size":', b'"size":1e400,"x":', 1)),
    "layers as an object": _set(manifest=_manifest_with(layers={})),
    "manifest nested 100k deep": _set(manifest=DEEP),
    "manifest that is not UTF-8": _set(manifest=b'{"schemaVersion": 2, "x": "\xff"}'),
    "index entries that are not objects": _set(
        manifest=json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [5, "x"]}).encode(),
        manifest_type=OCI_INDEX,
    ),
    "tags: 5": _set(tags=b'{"tags": 5}'),
    "tags that are not strings": _set(tags=b'{"tags": ["v1", 5, null]}'),
    "tag list that is a list": _set(tags=b'["v1"]'),
    "tag list nested 100k deep": _set(tags=DEEP),
    "repositories as a string": _set(catalog=b'{"repositories": "demo/app"}'),
    "non-JSON error body": _set(error=(400, b"\xff\xfe<html>no")),
    "error body that is a list": _set(error=(400, b"[1, 2]")),
    "errors that are not objects": _set(error=(400, b'{"errors": [5, "x", {"code": 7}]}')),
    "error body nested 100k deep": _set(error=(400, DEEP)),
    "token with CR/LF": _set(bearer=True, token=b'{"token": "abc\\r\\nX-Injected: 1"}'),
    "token with a space": _set(bearer=True, token=b'{"token": "abc def"}'),
    "token that is a number": _set(bearer=True, token=b'{"token": 5}'),
    "token response that is a list": _set(bearer=True, token=b'["token"]'),
    "token response nested 100k deep": _set(bearer=True, token=DEEP),
    "expires_in as a string": _set(bearer=True, token=b'{"token": "t", "expires_in": "300"}'),
    "expires_in 1e400": _set(bearer=True, token=b'{"token": "t", "expires_in": 1e400}'),
}


def _everything(client: il.Registry) -> None:
    """Each call the client offers for reading; each may fail, but only with an ImageLibError."""
    for action in (
        lambda: client.pull("demo/app:v1"),
        lambda: client.tags("demo/app"),
        client.repositories,
        client.ping,
    ):
        try:
            action()
        except il.ImageLibError:
            pass


@pytest.mark.parametrize("case", CASES)
def test_malformed_answer_is_an_imagelib_error(fake, case):
    fake.serve(CASES[case](Served()))
    client = _client(fake)
    failures = []
    for action in (lambda: client.pull("demo/app:v1"), lambda: client.tags("demo/app"), client.repositories):
        try:
            action()
        except il.ImageLibError as error:
            failures.append(error)
    assert failures  # each case breaks at least one of the calls, with an ImageLibError


def test_a_token_that_would_inject_headers_is_never_sent(fake):
    fake.serve(CASES["token with CR/LF"](Served()))
    before = len(fake.seen)
    with pytest.raises(il.AuthenticationError, match="토큰"):
        _client(fake).ping()
    assert not any("X-Injected" in s.headers or "abc" in s.headers.get("Authorization", "") for s in fake.seen[before:])


def test_registry_error_text_is_quoted_without_control_characters(fake):
    body = json.dumps({"errors": [{"code": "DENIED", "message": "no\x1b[31m red\r\nfake: line"}]}).encode()
    fake.serve(_set(error=(403, body))(Served()))
    with pytest.raises(il.AccessDeniedError) as caught:
        _client(fake).ping()
    assert "DENIED no" in str(caught.value)
    assert not any(ord(c) < 32 for c in str(caught.value))


# -- the fuzzer ----------------------------------------------------------------------------------------

KEYS = [
    "schemaVersion",
    "mediaType",
    "manifests",
    "digest",
    "size",
    "config",
    "layers",
    "rootfs",
    "diff_ids",
    "history",
    "annotations",
    "platform",
    "os",
    "architecture",
    "tags",
    "name",
    "repositories",
    "token",
    "access_token",
    "expires_in",
    "errors",
    "code",
    "message",
    "Layers",
]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-5, 10**6)
    | st.sampled_from([10**30, -(10**30)])
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            OCI_MANIFEST,
            OCI_INDEX,
            str(IMAGE.id),
            str(IMAGE.layers[0].digest),
            "v1",
            "tok\r\nX: 1",
            "sha256:" + "0" * 64,
            "linux",
            "amd64",
            "",
        ]
    )
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), inner, max_size=6)
    ),
    max_leaves=20,
)
# Registry fuzzing goes over HTTP: fewer examples than the file readers, always the same ones.
FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _valid(part: str) -> dict:
    return {
        "manifest": json.loads(IMAGE.manifest_bytes),
        "config": json.loads(IMAGE.config_bytes),
        "token": {"token": "t", "expires_in": 300},
        "tags": {"name": "demo/app", "tags": ["v1"]},
        "catalog": {"repositories": ["demo/app"]},
        "index": {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [
                {
                    "mediaType": OCI_MANIFEST,
                    "digest": str(IMAGE.digest),
                    "size": len(IMAGE.manifest_bytes),
                    "platform": {"os": "linux", "architecture": "amd64"},
                }
            ],
        },
        "error": {"errors": [{"code": "DENIED", "message": "no"}]},
    }[part]


def _serve(part: str, data: bytes) -> Served:
    served = Served()
    if part == "config":
        return served.with_config(data)
    if part == "index":
        served.manifest, served.manifest_type = data, OCI_INDEX
        served.blobs[str(IMAGE.digest)] = IMAGE.manifest_bytes
    elif part == "error":
        served.error = (400, data)
    elif part == "token":
        served.bearer, served.token = True, data
    else:
        setattr(served, part, data)
    return served


def _objects_in(doc) -> list:
    """``doc`` and every object inside it: the places where a field can go wrong."""
    found = [doc] if isinstance(doc, dict) else []
    for value in doc.values() if isinstance(doc, dict) else doc if isinstance(doc, list) else ():
        found += _objects_in(value)
    return found


PARTS = st.sampled_from(["manifest", "config", "index", "tags", "catalog", "token", "error"])


@FUZZ
@given(PARTS, JSON)
def test_any_json_in_place_of_a_registry_answer_is_handled(fake, part, doc):
    fake.serve(_serve(part, json.dumps(doc).encode()))
    _everything(_client(fake))


@FUZZ
@given(PARTS, st.data())
def test_one_field_of_a_valid_answer_changed_to_anything_is_handled(fake, part, data):
    doc = _valid(part)
    target = data.draw(st.sampled_from(_objects_in(doc)), label="object")
    key = data.draw(st.sampled_from(sorted(target) + ["extra"]), label="field")
    target[key] = data.draw(JSON, label="value")
    fake.serve(_serve(part, json.dumps(doc).encode()))
    _everything(_client(fake))


# -- headers that point somewhere strange ----------------------------------------------------------


@pytest.mark.parametrize(
    "location", ["ftp://127.0.0.1/x", "http://[::1", "http://host:99999/x", "/v2/with space", "file:///etc/passwd"]
)
def test_redirect_to_something_that_is_not_an_http_url_is_refused(location):
    with FakeRegistry(lambda r: Reply(307, {"Location": location})) as server:
        with pytest.raises(il.RegistryError, match="주소"):
            _client(server).ping()
        assert len(server.seen) == 1


@pytest.mark.parametrize("location", ["gopher://x/upload", "http://[zz]/upload"])
def test_upload_location_that_is_not_an_http_url_is_refused(location):
    def server(request):
        if request.method == "HEAD":
            return Reply(404)
        return Reply(202, {"Location": location})

    with FakeRegistry(server) as fake:
        with pytest.raises(il.RegistryError, match="주소"):
            _client(fake).push(IMAGE, "demo/app:v1")


def test_next_page_link_that_is_not_an_http_url_is_refused():
    reply = Reply(200, {"Link": '<javascript:alert(1)>; rel="next"'}, b'{"tags": ["v1"]}')
    with FakeRegistry(lambda r: reply) as server:
        with pytest.raises(il.RegistryError, match="주소"):
            _client(server).tags("demo/app")


@pytest.mark.parametrize("realm", ["file:///etc/passwd", "token-server", ""])
def test_token_realm_that_is_not_an_http_url_is_refused(realm):
    challenge = Reply(401, {"WWW-Authenticate": f'Bearer realm="{realm}",service="x"'})
    with FakeRegistry(lambda r: challenge) as server:
        with pytest.raises(il.AuthenticationError, match="realm"):
            il.Registry(server.url, username="bob", password="pw", **FAST).ping()
        assert len(server.seen) == 1


@pytest.mark.parametrize("claimed", ["sha256:xyz", "md5:" + "0" * 32, "", "sha256:" + "0" * 64])
def test_strange_docker_content_digest_is_an_imagelib_error(fake, claimed):
    served = Served()
    fake.serve(served)
    original = served.answer

    def answer(request):
        reply = original(request)
        if "/manifests/" in request.path:
            reply.headers["Docker-Content-Digest"] = claimed
        return reply

    served.answer = answer
    try:
        _client(fake).resolve("demo/app:v1")
    except il.ImageLibError:
        pass
