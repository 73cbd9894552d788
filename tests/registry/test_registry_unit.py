"""Registry client pieces without a server: challenges, references, reports, StoreRegistry, LocalRegistry."""

from __future__ import annotations

import os
import sys
import urllib.request

import pytest
from registry_server import FAST, Content, FakeRegistry, require_registry_binary

import imagelib as il
from imagelib.registry import LocalRegistry, StoreRegistry, progress
from imagelib.registry.auth import parse_challenge

# The fixtures (real and fake registries) live in tests/registry_server.py.
pytest_plugins = ["registry_server"]


def test_parse_bearer_challenge_with_commas_inside_quotes():
    challenge = parse_challenge(
        'Bearer realm="https://auth.example/token",service="registry.example",'
        'scope="repository:demo/app:pull,push repository:base:pull"'
    )
    assert challenge.scheme == "bearer"
    assert challenge.params["realm"] == "https://auth.example/token"
    assert challenge.params["service"] == "registry.example"
    assert challenge.scopes == ["repository:demo/app:pull,push", "repository:base:pull"]


def test_parse_basic_challenge_and_empty_header():
    assert parse_challenge('Basic realm="Registry Realm"') == parse_challenge('basic realm="Registry Realm"')
    assert parse_challenge('Basic realm="Registry Realm"').params == {"realm": "Registry Realm"}
    assert parse_challenge(None).scheme == ""


@pytest.mark.parametrize("url", ["127.0.0.1:5000", "ftp://host", "", "http://"])
def test_registry_url_must_be_http(url):
    with pytest.raises(il.RegistryError, match="http://"):
        il.Registry(url)


def test_references_relative_to_the_registry_and_foreign_ones_refused():
    client = il.Registry("http://127.0.0.1:5000/")
    assert client.url == "http://127.0.0.1:5000" and client.host == "127.0.0.1:5000"
    assert str(client._reference("demo/app:v1")) == "127.0.0.1:5000/demo/app:v1"
    assert str(client._reference("127.0.0.1:5000/demo/app:v1")) == "127.0.0.1:5000/demo/app:v1"
    for foreign in ("localhost:5000/demo/app", "docker.io/library/nginx", "ghcr.io/x/y"):
        with pytest.raises(il.InvalidReferenceError, match="127.0.0.1:5000"):
            client._reference(foreign)
    hub = il.Registry("https://registry-1.docker.io")
    assert hub._reference("docker.io/library/nginx").repository == "library/nginx"
    assert hub._reference("nginx").repository == "library/nginx"


def test_push_needs_an_image():
    with pytest.raises(il.ImageLibError, match="il.Image"):
        il.Registry("http://127.0.0.1:5000").push("not an image", "demo/app:v1")


def test_push_report_text_and_html(image_pair):
    v1, _ = image_pair
    report = StoreRegistry().push(v1, "demo/app:v1")
    assert "올림 3개" in str(report) and str(v1.digest) in str(report)
    html = report._repr_html_()
    assert html.count("올림 (Pushed)") == 3 and v1.digest.short in html


# -- StoreRegistry tells the same story as a real registry ------------------------------------------


def _story(client, image_pair):
    v1, v2 = image_pair
    first = client.push(v1, "demo/app:v1")
    latest = client.push(v1, "demo/app:latest")
    old = client.resolve("demo/app:latest")
    second = client.push(v2, "demo/app:latest")
    other = client.push(v2, "demo/other:v2")
    moved = client.resolve("demo/app:latest")
    old_again = client.pull(f"demo/app@{old}")
    facts = {
        "counts": [
            (len(r.uploaded), len(r.skipped), len(r.mounted), r.bytes_sent) for r in (first, latest, second, other)
        ],
        "digests": [str(r.digest) for r in (first, latest, second, other)],
        "moved": (str(old), str(moved)),
        "old_content": old_again.rootfs().read_text("app/version.txt"),
        "tags": client.tags("demo/app"),
    }
    deleted = client.delete("demo/app:v1")
    facts["after_delete"] = (str(deleted), client.tags("demo/app"))
    with pytest.raises(il.RegistryNotFoundError):
        client.pull(f"demo/app@{old}")
    return facts


def test_store_registry_tells_the_same_story_as_a_real_registry(local_registry, image_pair):
    real = il.Registry(local_registry.url, **FAST)
    real_facts = _story(real, image_pair)
    assert _story(StoreRegistry(), image_pair) == real_facts
    assert real_facts["counts"][2][:3] == (2, 1, 0) and real_facts["counts"][3][:3] == (0, 0, 3)


def test_store_registry_keeps_repositories_apart(image_pair):
    v1, _ = image_pair
    memory = StoreRegistry()
    memory.push(v1, "demo/app:v1")
    with pytest.raises(il.RegistryNotFoundError):
        memory.pull(f"demo/other@{v1.digest}")
    with pytest.raises(il.RegistryNotFoundError):
        memory.tags("demo/other")
    assert memory.blob_exists("demo/app", v1.layers[0].digest)
    assert not memory.blob_exists("demo/other", v1.layers[0].digest)
    assert memory.repositories() == ["demo/app"]


# -- LocalRegistry ---------------------------------------------------------------------------------


def test_no_registry_switch_hides_the_binary(monkeypatch):
    monkeypatch.setenv("IMAGELIB_NO_REGISTRY", "1")
    assert not LocalRegistry.available()
    with pytest.raises(il.RegistryError, match="apt install docker-registry"):
        LocalRegistry().start()


def test_local_registry_stops_and_cleans_up():
    require_registry_binary()
    local = LocalRegistry()
    with local:
        folder = local._folder
        with urllib.request.urlopen(local.url + "/v2/") as answer:
            assert answer.status == 200
        assert os.path.isdir(folder)
    assert not os.path.exists(folder)
    with pytest.raises(OSError):
        urllib.request.urlopen(local.url + "/v2/", timeout=2)


def test_progress_bar_only_when_asked(image_pair, capsys):
    v1, _ = image_pair
    content = Content()
    content.add_image(v1, "v1")
    with FakeRegistry(content.answer) as fake:
        il.Registry(fake.url, **FAST).pull("demo/app:v1")
        assert capsys.readouterr().err == ""
        il.Registry(fake.url, progress=True, **FAST).pull("demo/app:v1")
    assert "내려받기" in capsys.readouterr().err


@pytest.fixture
def without_tqdm(monkeypatch):
    """Imports of tqdm fail as if it were not installed."""
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)


def test_automatic_progress_bar_without_tqdm_is_silent(without_tqdm, monkeypatch, capsys):
    monkeypatch.setattr(progress, "_is_terminal", lambda: True)
    bar = progress.progress_bar(None, progress.AUTO_THRESHOLD, "큰 층 내려받기")
    bar.update(progress.AUTO_THRESHOLD)
    bar.close()
    assert capsys.readouterr().err == ""


def test_asked_progress_bar_without_tqdm_names_the_extra(without_tqdm):
    with pytest.raises(il.UnsupportedError, match=r"진행 막대.*tqdm.*imagelib\[progress\]"):
        progress.progress_bar(True, 10, "작은 층 내려받기")
