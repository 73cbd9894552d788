"""LocalRegistry: start a real registry (the CNCF distribution ``registry`` program) on this computer.

Debian and Ubuntu package it as ``docker-registry`` (``apt install docker-registry``); the
official container image calls it ``registry``. It listens on 127.0.0.1 on a free port and
keeps its blobs in a temporary folder that is removed when it stops.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import weakref

from ..errors import RegistryError, RegistryUnreachableError

BINARY_NAMES = ("docker-registry", "registry")
# Set this environment variable to 1 to act as if no registry program were installed.
DISABLE_VARIABLE = "IMAGELIB_NO_REGISTRY"
_START_TIMEOUT = 15.0
_START_ATTEMPTS = 3

_CONFIG = """\
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: {root}
  delete:
    enabled: {delete}
http:
  addr: 127.0.0.1:{port}
{auth}"""
_AUTH = """\
auth:
  htpasswd:
    realm: imagelib-test
    path: {path}
"""


def find_binary() -> "str | None":
    """설치된 레지스트리 프로그램의 경로(없거나 IMAGELIB_NO_REGISTRY=1이면 None)."""
    if os.environ.get(DISABLE_VARIABLE, "") not in ("", "0"):
        return None
    for name in BINARY_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


class LocalRegistry:
    """내 컴퓨터에서 잠깐 띄우는 진짜 레지스트리. ``with LocalRegistry() as local:`` 로 씁니다.

    ``local.url`` (예: ``http://127.0.0.1:40123``)로 ``il.Registry`` 를 만들고, ``local.host``
    를 참조 앞에 붙입니다(``f"{local.host}/demo/app:v1"``). 끝나면 멈추고 임시 폴더를 지웁니다.
    ``htpasswd`` 에 ``사용자:bcrypt해시`` 줄들을 주면 로그인을 요구하는 레지스트리가 됩니다.
    ``auth_config`` 에는 레지스트리 설정의 ``auth:`` 부분(YAML, 예: 토큰 인증)을 그대로 줄 수 있습니다.
    """

    def __init__(
        self,
        *,
        htpasswd: "str | None" = None,
        auth_config: "str | None" = None,
        delete: bool = True,
        binary: "str | None" = None,
    ) -> None:
        if htpasswd is not None and auth_config is not None:
            raise RegistryError("htpasswd와 auth_config 중 하나만 주세요.")
        self.binary = binary or find_binary()
        self.htpasswd = htpasswd
        self.auth_config = auth_config
        self.delete = delete
        self.port: "int | None" = None
        self._folder: "str | None" = None
        self._process: "subprocess.Popen[bytes] | None" = None
        self._finalizer: "weakref.finalize[[subprocess.Popen[bytes], str], LocalRegistry] | None" = None

    @staticmethod
    def available() -> bool:
        """레지스트리 프로그램(docker-registry 또는 registry)이 설치되어 있으면 True."""
        return find_binary() is not None

    @property
    def host(self) -> str:
        """참조에 쓰는 레지스트리 이름: ``127.0.0.1:포트``."""
        if self.port is None:
            raise RegistryError("레지스트리가 아직 시작되지 않았습니다. start()를 먼저 부르세요.")
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """``il.Registry`` 에 줄 주소: ``http://127.0.0.1:포트``."""
        return f"http://{self.host}"

    def start(self) -> "LocalRegistry":
        """레지스트리를 띄우고 ``/v2/`` 가 응답할 때까지 기다립니다."""
        if self.binary is None:
            raise RegistryError(
                "레지스트리 프로그램(docker-registry 또는 registry)을 찾을 수 없습니다. "
                "Debian/Ubuntu에서는 'sudo apt install docker-registry'로 설치하세요."
            )
        if self._process is not None:
            return self
        for attempt in range(_START_ATTEMPTS):
            process, folder = self._launch(self.binary)
            try:
                self._wait_until_ready(process, folder)
                return self
            except _ExitedEarly as early:
                self.stop()
                # Another program may have taken the free port in between: try a new one.
                if attempt + 1 == _START_ATTEMPTS:
                    raise RegistryError(
                        f"레지스트리 프로그램 {self.binary}가 시작하자마자 끝났습니다: {early}"
                    ) from None
            except BaseException:
                self.stop()
                raise
        raise AssertionError("unreachable")

    def _launch(self, binary: str) -> "tuple[subprocess.Popen[bytes], str]":
        self._folder = folder = tempfile.mkdtemp(prefix="imagelib-registry-")
        self.port = _free_port()
        config = os.path.join(folder, "config.yml")
        with open(config, "w", encoding="utf-8") as out:
            out.write(self._config_text(folder))
        with open(os.path.join(folder, "registry.log"), "wb") as log:
            self._process = process = subprocess.Popen(
                [binary, "serve", config], stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        self._finalizer = weakref.finalize(self, _shutdown, process, folder)
        return process, folder

    def stop(self) -> None:
        """레지스트리를 멈추고 임시 폴더(저장된 블롭)를 지웁니다."""
        if self._finalizer is not None:
            self._finalizer()
        self._process = self._finalizer = None

    def _config_text(self, folder: str) -> str:
        auth = (self.auth_config.rstrip("\n") + "\n") if self.auth_config else ""
        if self.htpasswd is not None:
            path = os.path.join(folder, "htpasswd")
            with open(path, "w", encoding="utf-8") as out:
                out.write(self.htpasswd.rstrip("\n") + "\n")
            auth = _AUTH.format(path=path)
        return _CONFIG.format(
            root=os.path.join(folder, "data"), port=self.port, delete=str(self.delete).lower(), auth=auth
        )

    def _wait_until_ready(self, process: "subprocess.Popen[bytes]", folder: str) -> None:
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise _ExitedEarly(_log_tail(folder))
            try:
                with urllib.request.urlopen(self.url + "/v2/", timeout=1):
                    return
            except urllib.error.HTTPError as answer:
                if answer.code == 401:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RegistryUnreachableError(
            f"레지스트리 {self.url}가 {_START_TIMEOUT:.0f}초 안에 응답하지 않았습니다: {_log_tail(folder)}"
        )

    def __enter__(self) -> "LocalRegistry":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "실행 중" if self._process is not None else "멈춤"
        return f"<LocalRegistry {state}>"


class _ExitedEarly(Exception):
    """The registry program ended before answering (its log tail is the message)."""


def _log_tail(folder: str) -> str:
    try:
        with open(os.path.join(folder, "registry.log"), encoding="utf-8", errors="replace") as f:
            return f.read()[-500:].strip() or "(로그 없음)"
    except OSError:
        return "(로그 없음)"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _shutdown(process: "subprocess.Popen[bytes]", folder: str) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    shutil.rmtree(folder, ignore_errors=True)
