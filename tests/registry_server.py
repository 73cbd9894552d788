"""Registries for tests: the real distribution registry, and a tiny fake HTTP server that can lie.

Test modules load the fixtures with ``pytest_plugins = ["registry_server"]`` and import the
helpers directly; they import this module before pytest does, hence no assertion rewriting here:
PYTEST_DONT_REWRITE
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import imagelib as il
from imagelib.registry import LocalRegistry, find_binary

USER, PASSWORD = "alice", "s3cret-pass"
# Retries in tests wait microseconds, not seconds.
FAST = {"backoff": 0.001, "timeout": 10.0}


# -- the real registry ---------------------------------------------------------------------


def require_registry_binary() -> str:
    binary = find_binary()
    if binary is None:
        pytest.skip("레지스트리 프로그램(docker-registry)이 없어 건너뜁니다: apt install docker-registry")
    return binary


def bcrypt_htpasswd(user: str, password: str) -> "str | None":
    """An htpasswd line with a bcrypt hash (the only kind the distribution registry accepts).

    Uses apache2-utils' ``htpasswd`` when installed, else the system's libcrypt (libxcrypt,
    present on Debian and Ubuntu) through ctypes; None when neither can make bcrypt.
    """
    if shutil.which("htpasswd"):
        done = subprocess.run(["htpasswd", "-nbB", user, password], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    name = ctypes.util.find_library("crypt")
    if not name:
        return None
    try:
        libcrypt = ctypes.CDLL(name)
        libcrypt.crypt_gensalt.restype = ctypes.c_char_p
        libcrypt.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p, ctypes.c_int]
        libcrypt.crypt.restype = ctypes.c_char_p
        libcrypt.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    except (OSError, AttributeError):
        return None
    salt = libcrypt.crypt_gensalt(b"$2b$", 5, None, 0)
    hashed = libcrypt.crypt(password.encode(), salt) if salt else None
    if not hashed or not hashed.startswith(b"$2b$"):
        return None
    return f"{user}:{hashed.decode()}"


@pytest.fixture(scope="session")
def local_registry():
    """A real registry (no auth, deletes enabled) shared by the session; tests use own repositories."""
    require_registry_binary()
    with LocalRegistry() as local:
        yield local


@pytest.fixture(scope="session")
def auth_registry():
    """A real registry that asks for a user name and password (htpasswd, bcrypt)."""
    require_registry_binary()
    line = bcrypt_htpasswd(USER, PASSWORD)
    if line is None:
        pytest.skip("bcrypt 해시를 만들 수 없어 건너뜁니다: htpasswd(apache2-utils)도 libcrypt도 없음")
    with LocalRegistry(htpasswd=line) as local:
        yield local


@pytest.fixture
def registry(local_registry):
    return il.Registry(local_registry.url, **FAST)


@pytest.fixture
def repo(request) -> str:
    """A repository name of this test alone, so tests sharing the registry never meet."""
    return "t/" + re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")


# -- the fake server -----------------------------------------------------------------------


@dataclass
class Seen:
    """One request the fake server received."""

    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class Reply:
    status: int = 200
    headers: dict = field(default_factory=dict)
    body: bytes = b""


DROP = object()  # a handler returning this closes the connection without answering

Handler = Callable[[Seen], "Reply | object"]


class FakeRegistry:
    """An HTTP server on 127.0.0.1 whose every answer is decided by ``handler``; counts requests."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.seen: "list[Seen]" = []
        fake = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Seen(self.command, self.path, dict(self.headers), body)
                fake.seen.append(request)
                reply = fake.handler(request)
                if reply is DROP:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(reply.body)

            do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = _serve

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self._server.server_address[1]}"

    def count(self, method: str, path_start: str = "") -> int:
        return sum(1 for s in self.seen if s.method == method and s.path.startswith(path_start))

    def __enter__(self) -> "FakeRegistry":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Content:
    """What an honest registry would hold: manifests by tag and digest, blobs by digest."""

    def __init__(self) -> None:
        self.manifests: "dict[str, tuple[bytes, str]]" = {}
        self.blobs: "dict[str, bytes]" = {}

    def add_image(self, image: il.Image, tag: "str | None" = None) -> None:
        self.add_manifest(image.manifest_bytes, image.manifest_media_type, tag)
        self.blobs[str(image.id)] = image.config_bytes
        for layer in image.layers:
            self.blobs[str(layer.digest)] = layer.blob_bytes()

    def add_manifest(self, data: bytes, media_type: str, tag: "str | None" = None) -> str:
        digest = sha256(data)
        self.manifests[digest] = (data, media_type)
        if tag:
            self.manifests[tag] = (data, media_type)
        return digest

    def answer(self, request: Seen) -> Reply:
        """The honest answer to GET/HEAD of /v2/, manifests and blobs."""
        path = request.path.split("?")[0]
        if path == "/v2/":
            return Reply(200, {"Content-Type": "application/json"}, b"{}")
        kind, _, target = path.rpartition("/")
        if kind.endswith("/manifests") and target in self.manifests:
            data, media_type = self.manifests[target]
            return Reply(200, {"Content-Type": media_type, "Docker-Content-Digest": sha256(data)}, data)
        if kind.endswith("/blobs") and target in self.blobs:
            return Reply(200, {"Docker-Content-Digest": target}, self.blobs[target])
        body = json.dumps({"errors": [{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}]})
        return Reply(404, {"Content-Type": "application/json"}, body.encode())


@pytest.fixture
def image_pair():
    """Two small images sharing a base layer (v1, v2)."""
    base = il.Layer.from_files({"etc/os-release": "ID=tiny\n", "bin/sh": il.File(b"#!sh\n", mode=0o755)},
                               created_by="ADD rootfs /")
    v1 = il.Image.scratch().add_layer(base).add_layer(
        il.Layer.from_files({"app/version.txt": "1\n"}, created_by="COPY version.txt /app/"))
    v2 = il.Image.scratch().add_layer(base).add_layer(
        il.Layer.from_files({"app/version.txt": "2\n"}, created_by="COPY version.txt /app/"))
    return v1.with_config(cmd=["cat", "/app/version.txt"]), v2.with_config(cmd=["cat", "/app/version.txt"])
