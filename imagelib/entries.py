"""파일 항목(entry): 레이어에 담기는 파일·폴더·링크와 삭제 표시.

경로는 이미지 루트 기준의 POSIX 경로입니다(``"/app/x"`` 와 ``"app/x"`` 는 같습니다).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from typing import BinaryIO, Protocol, cast

from .errors import InvalidPathError

WHITEOUT_PREFIX = ".wh."
OPAQUE_MARKER = ".wh..wh..opq"


def normalize_path(path: str, *, what: str = "경로") -> str:
    """``/app//x/`` → ``app/x``. 루트를 벗어나는 ``..`` 나 빈 경로는 InvalidPathError."""
    if not isinstance(path, str):
        raise InvalidPathError(f"{what}는 문자열이어야 합니다: {path!r}")
    if "\x00" in path:
        raise InvalidPathError(f"{what} {path!r}에 NUL 문자가 있습니다.")
    parts = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            raise InvalidPathError(f"{what} {path!r}에 '..'이 있습니다. 이미지 안의 경로는 루트를 벗어날 수 없습니다.")
        parts.append(part)
    return "/".join(parts)


def lexical_path(path: str) -> str:
    """``..`` 을 글자 그대로 풀되 루트 위로는 올라가지 않습니다: ``a/../../b`` → ``b``."""
    parts: "list[str]" = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def require_path(path: str, *, what: str = "경로") -> str:
    """normalize_path와 같지만 루트 자체(빈 경로)는 허용하지 않습니다."""
    normalized = normalize_path(path, what=what)
    if not normalized:
        raise InvalidPathError(f"{what} {path!r}는 루트(/) 자체입니다. 파일이나 폴더 이름을 적으세요.")
    return normalized


def parent_paths(path: str) -> "list[str]":
    """``a/b/c`` → ``['a', 'a/b']``."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def is_within(path: str, directory: str) -> bool:
    """``path`` 가 ``directory`` 자신이거나 그 아래에 있으면 True."""
    return not directory or path == directory or path.startswith(directory + "/")


class Content(Protocol):
    size: int

    def open(self) -> BinaryIO: ...


@dataclass(frozen=True)
class Entry:
    """모든 항목의 공통 부분: 경로, 권한(mode), 소유자(uid/gid)."""

    path: str = field(default="", kw_only=True)
    mode: int = field(default=0o644, kw_only=True)
    uid: int = field(default=0, kw_only=True)
    gid: int = field(default=0, kw_only=True)

    kind = "entry"

    @property
    def size(self) -> int:
        """파일 내용의 바이트 수(파일이 아니면 0)."""
        return 0

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    def at(self, path: str) -> "Entry":
        """같은 항목을 다른 경로에 둔 복사본."""
        return replace(self, path=path)

    def same_as(self, other: "Entry") -> bool:
        """경로를 뺀 나머지(종류, 권한, 소유자, 내용)가 같은지."""
        return (
            self.kind == other.kind
            and self.mode == other.mode
            and self.uid == other.uid
            and self.gid == other.gid
            and self._payload() == other._payload()
        )

    def _payload(self) -> object:
        return None


@dataclass(frozen=True)
class File(Entry):
    """보통 파일. ``data`` 가 str이면 UTF-8로 저장합니다. 기본 권한은 0o644."""

    data: "bytes | str | Content" = b""

    kind = "file"

    def __post_init__(self) -> None:
        if isinstance(self.data, str):
            object.__setattr__(self, "data", self.data.encode("utf-8"))
        elif isinstance(self.data, (bytearray, memoryview)):
            object.__setattr__(self, "data", bytes(self.data))

    @property
    def _stored(self) -> "bytes | Content":
        # __post_init__ has turned a str into UTF-8 bytes
        return cast("bytes | Content", self.data)

    @property
    def size(self) -> int:
        data = self._stored
        return len(data) if isinstance(data, bytes) else data.size

    def read(self) -> bytes:
        """파일 내용(바이트)."""
        data = self._stored
        if isinstance(data, bytes):
            return data
        with data.open() as stream:
            return stream.read()

    def read_text(self, encoding: str = "utf-8") -> str:
        """파일 내용(문자열)."""
        return self.read().decode(encoding)

    def open(self) -> BinaryIO:
        import io

        data = self._stored
        return io.BytesIO(data) if isinstance(data, bytes) else data.open()

    def _payload(self) -> object:
        return self.read()

    def __repr__(self) -> str:
        return f"File(path={self.path!r}, size={self.size}, mode={oct(self.mode)})"


@dataclass(frozen=True)
class Dir(Entry):
    """폴더(directory). 기본 권한은 0o755."""

    mode: int = field(default=0o755, kw_only=True)

    kind = "dir"


@dataclass(frozen=True)
class Symlink(Entry):
    """심볼릭 링크(symbolic link): ``target`` 을 가리키는 이름표."""

    target: str = ""
    mode: int = field(default=0o777, kw_only=True)

    kind = "symlink"

    def _payload(self) -> object:
        return self.target


@dataclass(frozen=True)
class Hardlink(Entry):
    """하드 링크(hard link): 같은 레이어나 아래 레이어의 파일 ``target`` 과 내용을 함께 씁니다."""

    target: str = ""

    kind = "hardlink"

    def __post_init__(self) -> None:
        object.__setattr__(self, "target", require_path(self.target, what="하드 링크 대상"))

    def _payload(self) -> object:
        return self.target


@dataclass(frozen=True)
class Whiteout(Entry):
    """화이트아웃(whiteout): 아래 레이어의 ``path`` 를 가리는 삭제 표시(``.wh.<이름>``)."""

    kind = "whiteout"

    @property
    def tar_name(self) -> str:
        head, tail = posixpath.split(self.path)
        return posixpath.join(head, WHITEOUT_PREFIX + tail)


@dataclass(frozen=True)
class Opaque(Entry):
    """불투명 디렉터리(opaque directory) 표시: 아래 레이어에 있던 ``path`` 의 내용을 모두 가립니다."""

    kind = "opaque"

    @property
    def tar_name(self) -> str:
        return posixpath.join(self.path, OPAQUE_MARKER)


MARKER_KINDS = ("whiteout", "opaque")
