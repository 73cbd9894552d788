"""Registries for tests: the real distribution registry, and a tiny fake HTTP server that can lie.

Test modules load the fixtures with ``pytest_plugins = ["registry_server"]`` and import the
helpers directly; they import this module before pytest does, hence no assertion rewriting here:
PYTEST_DONT_REWRITE
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
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
    drip: float = 0.0  # > 0: the whole answer, status line first, goes out one byte per `drip` seconds
    length: "int | None" = None  # the Content-Length to claim (default: the body's true length)


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
                length = len(reply.body) if reply.length is None else reply.length
                if reply.drip or reply.length is not None:
                    self._send_raw(reply, length)
                    return
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(reply.body)

            def _send_raw(self, reply: Reply, length: int) -> None:
                """Write the answer by hand: slowly, or with a Content-Length that lies."""
                head = "".join(
                    f"{key}: {value}\r\n" for key, value in {**reply.headers, "Content-Length": str(length)}.items()
                )
                data = f"HTTP/1.1 {reply.status} X\r\n{head}\r\n".encode("latin-1")
                data += reply.body if self.command != "HEAD" else b""
                self.close_connection = True
                try:
                    if not reply.drip:
                        self.wfile.write(data)
                        return
                    for position in range(len(data)):
                        self.wfile.write(data[position : position + 1])
                        self.wfile.flush()
                        time.sleep(reply.drip)
                except OSError:
                    pass  # the client gave up on us, as it should

            do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = _serve

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

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
    base = il.Layer.from_files(
        {"etc/os-release": "ID=tiny\n", "bin/sh": il.File(b"#!sh\n", mode=0o755)}, created_by="ADD rootfs /"
    )
    v1 = (
        il.Image.scratch()
        .add_layer(base)
        .add_layer(il.Layer.from_files({"app/version.txt": "1\n"}, created_by="COPY version.txt /app/"))
    )
    v2 = (
        il.Image.scratch()
        .add_layer(base)
        .add_layer(il.Layer.from_files({"app/version.txt": "2\n"}, created_by="COPY version.txt /app/"))
    )
    return v1.with_config(cmd=["cat", "/app/version.txt"]), v2.with_config(cmd=["cat", "/app/version.txt"])


# -- a token server for the real registry (Bearer auth, as Docker Hub does it) ------------------------

READER = "reader"  # a user whose tokens only ever grant pull


class TokenIssuer:
    """Signs registry tokens (JWT, RS256) with a throwaway key and self-signed certificate (openssl)."""

    service, issuer = "imagelib-test-registry", "imagelib-test-issuer"

    def __init__(self, folder) -> None:
        self.key = folder / "token.key"
        self.cert = folder / "token.pem"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                str(self.key),
                "-out",
                str(self.cert),
                "-subj",
                "/CN=imagelib-test-token",
                "-days",
                "2",
            ],
            check=True,
            capture_output=True,
        )
        der = subprocess.run(
            ["openssl", "x509", "-in", str(self.cert), "-outform", "DER"], check=True, capture_output=True
        ).stdout
        self.x5c = base64.b64encode(der).decode()
        self.requests: "list[Seen]" = []

    def auth_config(self, realm: str) -> str:
        return (
            f"auth:\n  token:\n    realm: {realm}\n    service: {self.service}\n"
            f"    issuer: {self.issuer}\n    rootcertbundle: {self.cert}\n"
        )

    def answer(self, request: Seen) -> Reply:
        self.requests.append(request)
        user = _basic_user(request.headers.get("Authorization", ""))
        if user is None:
            return Reply(401, {"WWW-Authenticate": 'Basic realm="token"'})
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.path).query)
        access = [_grant(scope, user) for scope in query.get("scope", [])]
        token = self.sign(
            {
                "iss": self.issuer,
                "sub": user,
                "aud": query.get("service", [""])[0],
                "exp": int(time.time()) + 300,
                "nbf": int(time.time()) - 10,
                "iat": int(time.time()),
                "jti": os.urandom(8).hex(),
                "access": access,
            }
        )
        return Reply(
            200, {"Content-Type": "application/json"}, json.dumps({"token": token, "expires_in": 300}).encode()
        )

    def sign(self, claims: dict) -> str:
        header = {"typ": "JWT", "alg": "RS256", "x5c": [self.x5c]}
        signing_input = f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}"
        signature = subprocess.run(
            ["openssl", "dgst", "-sha256", "-sign", str(self.key)],
            input=signing_input.encode(),
            check=True,
            capture_output=True,
        ).stdout
        return f"{signing_input}.{_b64url(signature)}"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _basic_user(header: str) -> "str | None":
    if not header.startswith("Basic "):
        return None
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return user if (user, password) in ((USER, PASSWORD), (READER, PASSWORD)) else None


def _grant(scope: str, user: str) -> dict:
    kind, rest = scope.split(":", 1)
    name, _, actions = rest.rpartition(":")
    allowed = [a for a in actions.split(",") if user == USER or a == "pull"]
    return {"type": kind, "name": name, "actions": allowed}


@pytest.fixture(scope="session")
def token_registry(tmp_path_factory):
    """A real registry whose clients must fetch Bearer tokens from a token server (a FakeRegistry)."""
    require_registry_binary()
    if shutil.which("openssl") is None:
        pytest.skip("openssl이 없어 토큰 서명용 키를 만들 수 없어 건너뜁니다")
    issuer = TokenIssuer(tmp_path_factory.mktemp("token"))
    with FakeRegistry(issuer.answer) as token_server:
        with LocalRegistry(auth_config=issuer.auth_config(token_server.url + "/token")) as local:
            local.issuer = issuer
            yield local
