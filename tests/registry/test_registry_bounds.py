"""A registry cannot make the client read without end: size caps, a deadline per answer, bounded paging."""

from __future__ import annotations

import hashlib
import json
import time

import pytest
from registry_server import FAST, Content, FakeRegistry, Reply

import imagelib as il
from imagelib.registry import bounds

pytest_plugins = ["registry_server"]

MiB = 1 << 20


def _client(fake: FakeRegistry, **options) -> il.Registry:
    return il.Registry(fake.url, **{**FAST, "retries": 0, **options})


def _image() -> il.Image:
    return il.Image.scratch().add_layer(il.Layer.from_files({"a": "a\n"}))


# -- size caps ---------------------------------------------------------------------------------------


def test_manifest_over_4_mib_is_refused_without_reading_the_rest():
    # The server claims 1 GiB and sends 5 MiB before hanging up: a client reading it all fails otherwise.
    big = Reply(200, {"Content-Type": "application/vnd.oci.image.manifest.v1+json"}, b" " * (5 * MiB), length=1 << 30)
    with FakeRegistry(lambda r: big) as fake:
        with pytest.raises(il.LimitExceededError, match="매니페스트"):
            _client(fake).resolve("demo/app:v1")


def test_manifest_of_just_under_the_cap_is_read():
    image = _image()
    data = image.manifest_bytes[:-1] + b" " * (bounds.MAX_MANIFEST_BYTES - len(image.manifest_bytes)) + b"}"
    assert len(data) == bounds.MAX_MANIFEST_BYTES
    content = Content()
    content.add_image(image)
    content.add_manifest(data, image.manifest_media_type, "padded")
    with FakeRegistry(content.answer) as fake:
        assert _client(fake).pull("demo/app:padded").id == image.id


def test_config_described_as_too_big_is_not_even_downloaded():
    image = _image()
    doc = json.loads(image.manifest_bytes)
    doc["config"]["size"] = 5 * MiB
    content = Content()
    content.add_image(image)
    content.add_manifest(json.dumps(doc).encode(), image.manifest_media_type, "big-config")
    with FakeRegistry(content.answer) as fake:
        with pytest.raises(il.LimitExceededError, match="설정"):
            _client(fake).pull("demo/app:big-config")
        assert fake.count("GET", "/v2/demo/app/blobs/") == 0


def _bearer(token_reply: Reply):
    def server(request):
        if request.path.startswith("/token"):
            return token_reply
        if "Authorization" not in request.headers:
            return Reply(401, {"WWW-Authenticate": f'Bearer realm="http://{request.headers["Host"]}/token"'})
        return Reply(200, {}, b"{}")

    return server


def test_token_response_over_1_mib_is_refused():
    body = json.dumps({"token": "t", "padding": "x" * MiB}).encode()
    with FakeRegistry(_bearer(Reply(200, {}, body))) as fake:
        with pytest.raises(il.LimitExceededError, match="토큰"):
            _client(fake).ping()


def test_error_body_over_1_mib_is_refused():
    with FakeRegistry(lambda r: Reply(404, {}, b"e" * (MiB + 1))) as fake:
        with pytest.raises(il.LimitExceededError, match="404"):
            _client(fake).ping()


def test_tag_list_page_over_the_cap_is_refused():
    tags = [f"t{n:07}" for n in range(500_000)]  # about 5 MiB of JSON
    with FakeRegistry(lambda r: Reply(200, {}, json.dumps({"tags": tags}).encode())) as fake:
        with pytest.raises(il.LimitExceededError, match="태그"):
            _client(fake).tags("demo/app")


# -- a deadline for every answer ------------------------------------------------------------------------


def test_server_dripping_its_headers_hits_the_deadline():
    slow = Reply(200, {"Content-Type": "application/json", "X-Padding": "p" * 60}, b"{}", drip=0.02)
    with FakeRegistry(lambda r: slow) as fake:
        started = time.monotonic()
        with pytest.raises(il.RegistryError, match="deadline"):
            _client(fake, deadline=0.3).ping()
        assert time.monotonic() - started < 1.5  # the whole answer would take 2 s or more


def test_server_dripping_a_blob_hits_the_deadline():
    image = _image()
    content = Content()
    content.add_image(image, "v1")

    def server(request):
        reply = content.answer(request)
        if "/blobs/" in request.path:
            reply.drip = 0.01  # a layer of 2 KiB or more at 100 bytes a second
        return reply

    with FakeRegistry(server) as fake:
        started = time.monotonic()
        with pytest.raises(il.RegistryError, match="deadline"):
            _client(fake, deadline=0.5).pull("demo/app:v1")
        assert time.monotonic() - started < 3


def test_fast_answers_are_not_disturbed_by_a_short_deadline():
    image = _image()
    content = Content()
    content.add_image(image, "v1")
    with FakeRegistry(content.answer) as fake:
        assert _client(fake, deadline=0.5).pull("demo/app:v1").id == image.id


def test_deadline_starts_again_for_every_mib_of_a_big_body(monkeypatch):
    # A slow but moving download is not a dripping server: each MiB that arrives buys a new deadline.
    now = [0.0]
    monkeypatch.setattr(bounds.time, "monotonic", lambda: now[0])
    clock = bounds.Deadline(10.0, "http://registry.example")
    for _ in range(5):
        now[0] += 9.0
        clock.check()
        clock.received(MiB)
    now[0] += 9.0
    clock.received(MiB - 1)
    now[0] += 1.5
    with pytest.raises(il.RegistryError, match="deadline"):
        clock.check()


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), "10", True])
def test_deadline_must_be_a_positive_number_of_seconds(value):
    with pytest.raises(il.RegistryError, match="deadline"):
        il.Registry("http://127.0.0.1:5000", deadline=value)


# -- paging that never ends ------------------------------------------------------------------------------


def test_link_back_to_a_page_already_seen_stops_the_listing():
    def server(request):
        if request.method != "GET":
            return Reply(500)
        last = request.path.partition("last=")[2]
        nxt = {"": "a", "a": "b", "b": "a"}[last]  # a -> b -> a -> b ...
        if len(fake.seen) > 20:  # so that a client that loops ends the test instead of hanging it
            return Reply(200, {}, b'{"tags": []}')
        return Reply(
            200,
            {"Link": f'</v2/demo/app/tags/list?n=1&last={nxt}>; rel="next"'},
            json.dumps({"tags": [last or "start"]}).encode(),
        )

    with FakeRegistry(server) as fake:
        with pytest.raises(il.RegistryError, match="같은 쪽"):
            _client(fake).tags("demo/app", page_size=1)
        assert len(fake.seen) == 3


def test_paging_stops_after_a_bounded_number_of_pages(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_PAGES", 10)

    def server(request):
        page = int(request.path.partition("page=")[2] or 0)
        if page > 50:
            return Reply(200, {}, b'{"repositories": []}')
        return Reply(
            200,
            {"Link": f'</v2/_catalog?page={page + 1}>; rel="next"'},
            json.dumps({"repositories": [f"r{page}"]}).encode(),
        )

    with FakeRegistry(server) as fake:
        with pytest.raises(il.RegistryError, match="10"):
            _client(fake).repositories()
        assert len(fake.seen) == 10


def test_all_pages_together_are_capped(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_LIST_BYTES", 3000)

    def server(request):
        page = int(request.path.partition("page=")[2] or 0)
        names = [hashlib.sha256(f"{page}-{n}".encode()).hexdigest() for n in range(10)]  # about 700 bytes
        following = {"Link": f'</v2/_catalog?page={page + 1}>; rel="next"'} if page < 50 else {}
        return Reply(200, following, json.dumps({"repositories": names}).encode())

    with FakeRegistry(server) as fake:
        with pytest.raises(il.LimitExceededError, match="저장소 목록"):
            _client(fake).repositories()
        assert len(fake.seen) == 5
