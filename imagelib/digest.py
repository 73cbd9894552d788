"""다이제스트(digest): 내용의 SHA256 해시로 만든 이름.

``sha256:`` 뒤에 64자리 소문자 16진수가 붙습니다. 같은 바이트는 언제 어디서나
같은 다이제스트를 가지므로, 다이제스트는 "정확히 이 내용"을 가리키는 이름입니다.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import BinaryIO

from .errors import DigestMismatchError, InvalidDigestError

CHUNK_SIZE = 1 << 20
_HEX_LENGTHS = {"sha256": 64, "sha512": 128}
_DIGEST_RE = re.compile(r"^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$")


@dataclass(frozen=True, eq=False)
class Digest:
    """내용 주소(content address): ``algorithm:hex``. 문자열과도 비교할 수 있습니다."""

    algorithm: str
    hex: str

    def __post_init__(self) -> None:
        _check_parts(self.algorithm, self.hex, f"{self.algorithm}:{self.hex}")

    @classmethod
    def parse(cls, text: "str | Digest") -> "Digest":
        """``"sha256:…"`` 문자열을 Digest로 바꿉니다. 형식이 틀리면 InvalidDigestError."""
        if isinstance(text, Digest):
            return text
        if not isinstance(text, str):
            raise InvalidDigestError(f"다이제스트는 문자열이어야 합니다: {text!r}")
        match = _DIGEST_RE.match(text)
        if not match:
            raise InvalidDigestError(
                f"다이제스트 {text!r}의 형식이 잘못되었습니다. 'sha256:' 뒤에 64자리 소문자 16진수가 와야 합니다."
            )
        return cls(match.group(1), match.group(2))

    @classmethod
    def of_bytes(cls, data: bytes) -> "Digest":
        """바이트의 SHA256 다이제스트를 계산합니다."""
        return cls("sha256", hashlib.sha256(data).hexdigest())

    @classmethod
    def of_stream(cls, stream: BinaryIO) -> "tuple[Digest, int]":
        """스트림을 조금씩 읽으며 (다이제스트, 바이트 수)를 계산합니다(파일 전체를 메모리에 올리지 않음)."""
        hasher = Hasher()
        while chunk := stream.read(CHUNK_SIZE):
            hasher.update(chunk)
        return hasher.digest(), hasher.size

    @property
    def short(self) -> str:
        """사람이 읽기 좋은 짧은 형태(16진수 앞 12자리), ``docker images`` 의 IMAGE ID처럼."""
        return self.hex[:12]

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.hex}"

    def __repr__(self) -> str:
        return f"Digest('{self}')"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Digest):
            return str(self) == str(other)
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def __lt__(self, other: "Digest") -> bool:
        return str(self) < str(other)

    def _repr_html_(self) -> str:
        return f"<code title='{self}'>{self.algorithm}:{self.short}…</code>"


def _check_parts(algorithm: str, hex_part: str, text: str) -> None:
    expected = _HEX_LENGTHS.get(algorithm)
    if expected is None:
        raise InvalidDigestError(
            f"다이제스트 {text!r}의 알고리즘 {algorithm!r}은(는) 지원하지 않습니다. sha256을 쓰세요."
        )
    if len(hex_part) != expected or not re.fullmatch(r"[0-9a-f]+", hex_part):
        detail = "대문자 16진수는 쓸 수 없습니다" if re.fullmatch(r"[0-9a-fA-F]+", hex_part) else ""
        raise InvalidDigestError(
            f"다이제스트 {text!r}의 형식이 잘못되었습니다. '{algorithm}:' 뒤에 "
            f"{expected}자리 소문자 16진수가 와야 합니다" + (f"({detail})." if detail else ".")
        )


class Hasher:
    """스트리밍 SHA256 계산기: 조각(chunk)을 넣을 때마다 해시와 크기를 갱신합니다."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.size = 0

    def update(self, chunk: "bytes | bytearray | memoryview") -> None:
        self._hash.update(chunk)
        self.size += len(chunk)

    def digest(self) -> Digest:
        return Digest("sha256", self._hash.hexdigest())


def verify(actual: Digest, actual_size: int, expected: Digest, expected_size: "int | None", what: str) -> None:
    """계산한 다이제스트·크기가 기대값과 다르면 ``what`` 을 이름으로 들어 DigestMismatchError."""
    if expected_size is not None and actual_size != expected_size:
        raise DigestMismatchError(
            f"{what}의 크기가 {actual_size}바이트인데 기대한 크기는 {expected_size}바이트입니다. "
            "파일이 잘렸거나 바뀌었습니다."
        )
    if actual != expected:
        raise DigestMismatchError(
            f"{what}의 내용 해시가 {actual}인데 기대한 다이제스트는 {expected}입니다. 내용이 손상되었거나 바뀌었습니다."
        )
