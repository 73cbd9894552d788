"""il.analyze's credential findings: files that look like credentials, with the layer that added
them, including ones a later layer deleted (still in that layer's blob); only small candidate files
are read, and only their heads. The same finding on an image the real BuildKit built is in
tests/interop/test_secret_mount_stays_out_of_layers.py."""

import json
import subprocess
import sys

import pytest

import imagelib as il
from imagelib.credentials import HEAD_BYTES, MAX_FILE_BYTES

NPMRC = "//registry.npmjs.org/:_authToken=npm_abcdef123456\n"
KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"


def _findings(layers: "dict[str, object]") -> "list[tuple[str, str, int, bool]]":
    image = il.Image.scratch()
    for number, (name, files) in enumerate(layers.items()):
        image = image.add_layer(il.Layer.from_files(files), created_by=f"{number} {name}")
    return [(f.path, f.kind, f.layer, f.hidden_later) for f in il.analyze(image).credentials]


def test_npmrc_copied_then_deleted_is_found_in_the_layer_that_added_it():
    result = il.build(
        "FROM alpine:3.19\nCOPY .npmrc /root/.npmrc\nRUN rm /root/.npmrc\n",
        {".npmrc": NPMRC},
    )
    found = il.analyze(result.image).credentials
    added = len(result.image.layers) - 2
    assert [(f.path, f.kind, f.layer, f.hidden_later) for f in found] == [("root/.npmrc", "npm-token", added, True)]
    assert found[0].created_by == "COPY .npmrc /root/.npmrc # buildkit"
    assert "/root/.npmrc" in str(il.analyze(result.image))


def test_kinds_of_credentials_and_what_is_left_alone():
    found = _findings(
        {
            "secrets": {
                "home/app/.ssh/id_rsa": KEY,
                "srv/tls/server.key": "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n",
                "srv/tls/cert.pem": "-----BEGIN CERTIFICATE-----\nMIIB\n",
                "app/.env": "DB_PASSWORD=hunter2\n",
                "app/.env.example": "DB_PASSWORD=\n",
                "root/.git-credentials": "https://user:ghp_token@github.com\n",
                "root/.docker/config.json": '{"auths": {"r.example": {"auth": "dXNlcjpwdw=="}}}',
                "home/app/.npmrc": "registry=https://registry.npmjs.org/\n",
            }
        }
    )
    assert sorted(found) == [
        ("app/.env", "dotenv", 0, False),
        ("home/app/.ssh/id_rsa", "private-key", 0, False),
        ("root/.docker/config.json", "docker-auth", 0, False),
        ("root/.git-credentials", "git-credentials", 0, False),
        ("srv/tls/server.key", "private-key", 0, False),
    ]


def test_overwritten_key_is_still_reported_in_the_lower_layer():
    found = _findings({"bad": {"app/.npmrc": NPMRC}, "fix": {"app/.npmrc": "registry=https://r.example/\n"}})
    assert found == [("app/.npmrc", "npm-token", 0, True)]


def test_only_small_files_heads_are_read():
    late = "x" * HEAD_BYTES + KEY  # the header after the head is not read
    big = KEY + "x" * MAX_FILE_BYTES  # a big file is not read at all
    assert _findings({"files": {"a/late.pem": late, "b/big.pem": big}}) == []


def test_cli_json_lists_the_findings(tmp_path):
    image = il.Image.scratch().add_layer(il.Layer.from_files({"app/.env": "TOKEN=1\n"}), created_by="COPY .env")
    archive = tmp_path / "image.tar"
    il.save(image, archive)
    done = subprocess.run(
        [sys.executable, "-m", "imagelib", "analyze", str(archive), "--json"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["credentials"] == [
        {
            "path": "/app/.env",
            "kind": "dotenv",
            "kind_text": "환경 변수 파일(.env)",
            "layer": 0,
            "created_by": "COPY .env",
            "hidden_later": False,
        }
    ]


@pytest.mark.parametrize("text", ["", "   \n"])
def test_empty_dotenv_is_not_a_finding(text):
    assert _findings({"empty": {"app/.env": text}}) == []


def test_notebook_view_lists_the_findings():
    image = il.Image.scratch().add_layer(il.Layer.from_files({"root/.npmrc": NPMRC}), created_by="COPY .npmrc")
    html = il.analyze(image)._repr_html_()
    assert "자격 증명처럼 보이는 파일" in html and "/root/.npmrc" in html
