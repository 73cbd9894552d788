"""How much and for how long a registry may send: size caps and a deadline for every answer.

Blobs stream to disk and stop one byte past their descriptor's size, so they need no cap here.
Everything else a registry says is read whole into memory, so it is capped. The numbers are those
of containers/image (``internal/iolimits``, written for CVE-2020-1702, reads without limit):
``MaxManifestBodySize`` 4 MiB (the distribution registry's own limit for manifests it accepts),
``MaxConfigBodySize`` 4 MiB, ``MaxAuthTokenBodySize`` 1 MiB and ``MaxErrorBodySize`` 1 MiB.

A socket timeout alone does not bound an answer: a server sending one byte a second never lets
a read time out. So every answer also has a deadline, counted from the moment the request has
been sent and started again for every MiB that arrives (a big blob on a slow but moving line is
not a dripping server); when it passes, the answer is abandoned with a RegistryError.
"""

from __future__ import annotations

import http.client
import io
import socket
import time
from typing import TYPE_CHECKING, BinaryIO

from ..errors import LimitExceededError, RegistryError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

MiB = 1 << 20
MAX_MANIFEST_BYTES = 4 * MiB  # manifests and indexes (iolimits.MaxManifestBodySize)
MAX_CONFIG_BYTES = 4 * MiB  # iolimits.MaxConfigBodySize
MAX_TOKEN_BYTES = 1 * MiB  # iolimits.MaxAuthTokenBodySize
MAX_ERROR_BYTES = 1 * MiB  # iolimits.MaxErrorBodySize
# containers/image does not cap tag lists and catalogs. Here one page gets the manifest cap, all
# pages of one listing together MAX_LIST_BYTES, in at most MAX_PAGES requests.
MAX_PAGE_BYTES = 4 * MiB
MAX_LIST_BYTES = 64 * MiB
MAX_PAGES = 1000
DEFAULT_DEADLINE = 120.0
_RENEWAL_BYTES = MiB
_READ_BLOCK = 1 << 16


def too_big(what: str, limit: int) -> LimitExceededError:
    return LimitExceededError(
        f"{what}: 레지스트리가 보낸 본문이 {_size(limit)}를 넘어 읽기를 멈췄습니다. 정상적인 "
        "레지스트리는 이렇게 큰 답을 보내지 않습니다(망가졌거나 악의적인 서버일 수 있습니다)."
    )


def _size(count: int) -> str:
    return f"{count // MiB} MiB" if count % MiB == 0 else f"{count:,}바이트"


def read_bounded(stream: BinaryIO, limit: int, what: str, declared: "str | None" = None) -> bytes:
    """The whole body, or LimitExceededError as soon as it is known to be over ``limit`` bytes."""
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise too_big(what, limit)
    parts: "list[bytes]" = []
    total = 0
    while data := stream.read(min(_READ_BLOCK, limit + 1 - total)):
        parts.append(data)
        total += len(data)
        if total > limit:
            raise too_big(what, limit)
    return b"".join(parts)


class Deadline:
    """The time an answer has left: ``seconds`` from its start, and again after each MiB received."""

    def __init__(self, seconds: float, url: str) -> None:
        self.seconds = seconds
        self.url = url
        self._ends = time.monotonic() + seconds
        self._until_renewal = _RENEWAL_BYTES

    def check(self) -> float:
        """Seconds left; a RegistryError once there are none."""
        left = self._ends - time.monotonic()
        if left <= 0:
            raise RegistryError(
                f"{self.url}의 답이 {self.seconds:g}초 안에 오지 않아 그만 기다립니다(deadline). 서버가 "
                "너무 느리거나 조금씩 흘려 보내고 있습니다. 느린 네트워크라면 "
                "il.Registry(..., deadline=600)처럼 기다릴 시간을 늘리세요."
            )
        return left

    def received(self, count: int) -> None:
        self._until_renewal -= count
        if self._until_renewal <= 0:
            self._ends = time.monotonic() + self.seconds
            self._until_renewal = _RENEWAL_BYTES


class _PacedReader(io.RawIOBase):
    """Socket reads that never wait past the deadline (each read's timeout is what is left)."""

    def __init__(self, sock: socket.socket, deadline: Deadline, timeout: float) -> None:
        self._raw = sock.makefile("rb", buffering=0)
        self._sock = sock
        self._deadline = deadline
        self._timeout = timeout

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int | None:
        left = self._deadline.check()
        self._sock.settimeout(min(self._timeout, left))
        try:
            count = self._raw.readinto(buffer)
        except TimeoutError:
            self._deadline.check()  # the deadline, if that was what ran out
            raise
        self._deadline.received(count or 0)
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


class PacedResponse(http.client.HTTPResponse):
    """An HTTP answer whose status line, headers and body must all arrive before the deadline."""

    def __init__(
        self,
        sock: socket.socket,
        debuglevel: int = 0,
        method: "str | None" = None,
        *,
        deadline: float,
        timeout: float,
        url: str,
    ) -> None:
        super().__init__(sock, debuglevel, method)
        self.fp.close()
        self.fp = io.BufferedReader(_PacedReader(sock, Deadline(deadline, url), timeout))
