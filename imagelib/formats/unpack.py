"""``il.unpack``: write an image's root file system into a real folder, layer by layer.

Like ``docker`` and ``umoci`` do, each layer's whiteouts and opaque markers are applied first,
then its entries in tar order, reading each layer tar once from start to end. Every path is
resolved inside the target folder (symlinks already written are followed as a container would
follow them, absolute targets count from the folder); a path or hard link that would leave the
folder is refused.
"""

from __future__ import annotations

import os
import shutil
import stat
from typing import BinaryIO

from ..digest import CHUNK_SIZE
from ..entries import Dir, Entry, File, Hardlink, Opaque, Symlink, Whiteout
from ..errors import ImageLibError, LayerFormatError, UnsafePathError
from ..image import Image
from ..layer import Layer
from ..tario import TarContent

MAX_SYMLINK_HOPS = 40


def unpack(image: Image, folder: "str | os.PathLike") -> None:
    """이미지의 파일들(rootfs)을 진짜 폴더 ``folder`` 에 풉니다(``docker export`` 와 같은 결과).

    레이어를 아래부터 차례로 적용합니다: 화이트아웃은 지우고, 불투명 디렉터리는 비우고,
    파일·폴더·심볼릭 링크·하드 링크를 권한(mode)과 함께 씁니다. 레이어는 한 번씩 흘려 읽으므로
    큰 이미지도 메모리에 다 올리지 않습니다. 폴더 밖을 가리키는 경로나 링크가 있으면
    UnsafePathError를 내고 멈춥니다. ``folder`` 는 없거나 비어 있어야 합니다.
    """
    if not isinstance(image, Image):
        raise ImageLibError(f"il.unpack에는 il.Image가 필요합니다({type(image).__name__}를 받았습니다).")
    root = _prepare(os.fspath(folder))
    dir_modes: "dict[str, int]" = {}
    for index, layer in enumerate(image.layers):
        _apply(root, layer, index, dir_modes)
    for path in sorted(dir_modes, key=lambda p: p.count(os.sep), reverse=True):
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, dir_modes[path])


def _prepare(folder: str) -> str:
    if os.path.lexists(folder):
        if not os.path.isdir(folder) or os.path.islink(folder):
            raise ImageLibError(
                f"{os.path.basename(folder)!r}은(는) 폴더가 아닙니다. 비어 있는 폴더나 새 경로를 주세요.")
        if os.listdir(folder):
            raise ImageLibError(
                f"폴더 {os.path.basename(folder)!r}에 이미 파일이 있습니다. "
                "섞이지 않도록 비어 있는 폴더나 새 경로를 주세요.")
    else:
        os.makedirs(folder)
    return os.path.realpath(folder)


def _apply(root: str, layer: Layer, index: int, dir_modes: "dict[str, int]") -> None:
    where = f"레이어 {index}({layer.digest.short})"
    for entry in layer.entries:
        if isinstance(entry, Opaque):
            _clear(resolve(root, entry.path, where, follow_last=True))
    for entry in layer.entries:
        if isinstance(entry, Whiteout):
            _remove(_place(root, entry.path, where, dir_modes, create=False))
    with layer.open_tar() as stream:
        reader = _SequentialReader(stream)
        for entry in layer.entries:
            if not isinstance(entry, (Opaque, Whiteout)):
                _write(root, entry, reader, where, dir_modes)


def resolve(root: str, path: str, where: str, follow_last: bool, shown: "str | None" = None) -> str:
    """The real path of image path ``path`` inside ``root``, following symlinks as a container does."""
    shown = shown or path
    pending = [part for part in path.split("/") if part and part != "."]
    resolved: "list[str]" = []
    hops = 0
    while pending:
        part = pending.pop(0)
        if part == "..":
            if not resolved:
                raise UnsafePathError(
                    f"{where}의 {shown!r}이(가) 링크를 따라가면 풀 폴더 밖을 가리킵니다. 풀지 않습니다.")
            resolved.pop()
            continue
        candidate = os.path.join(root, *resolved, part)
        if (pending or follow_last) and os.path.islink(candidate):
            hops += 1
            if hops > MAX_SYMLINK_HOPS:
                raise UnsafePathError(f"{where}의 {shown!r}: 심볼릭 링크가 너무 많이 이어집니다(순환?).")
            target = os.readlink(candidate)
            if target.startswith("/"):
                resolved = []
            pending = [p for p in target.split("/") if p and p != "."] + pending
            continue
        resolved.append(part)
    return os.path.join(root, *resolved)


def _place(root: str, path: str, where: str, dir_modes: "dict[str, int]", create: bool = True) -> str:
    """Real path for a new entry at ``path``: parents resolved (and made), the name itself not followed."""
    head, _, name = path.rpartition("/")
    parent = resolve(root, head, where, follow_last=True, shown=path) if head else root
    if create:
        _make_dirs(root, parent, dir_modes)
    return os.path.join(parent, name)


def _make_dirs(root: str, parent: str, dir_modes: "dict[str, int]") -> None:
    missing = []
    current = parent
    while current != root and not os.path.isdir(current):
        missing.append(current)
        current = os.path.dirname(current)
    for path in reversed(missing):
        if os.path.lexists(path):
            _remove(path)  # a file where a folder must be: the folder replaces it, as in the union view
        os.mkdir(path, 0o700)
        dir_modes[path] = Dir().mode


def _write(root: str, entry: Entry, reader: "_SequentialReader", where: str,
           dir_modes: "dict[str, int]") -> None:
    path = _place(root, entry.path, where, dir_modes)
    if isinstance(entry, Dir):
        if not (os.path.isdir(path) and not os.path.islink(path)):
            _remove(path)
            os.mkdir(path, 0o700)
        dir_modes[path] = entry.mode & 0o7777
        return
    _remove(path)
    dir_modes.pop(path, None)
    if isinstance(entry, File):
        _write_file(path, entry, reader)
    elif isinstance(entry, Symlink):
        os.symlink(entry.target, path)
    elif isinstance(entry, Hardlink):
        target = resolve(root, entry.target, where, follow_last=False, shown=entry.path)
        if not os.path.lexists(target):
            raise LayerFormatError(
                f"{where}의 하드 링크 {entry.path!r}의 대상 {entry.target!r}이(가) 없습니다.")
        os.link(target, path, follow_symlinks=False)


def _write_file(path: str, entry: File, reader: "_SequentialReader") -> None:
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(handle, "wb") as out:
        with reader.open(entry) as data:
            while chunk := data.read(CHUNK_SIZE):
                out.write(chunk)
        os.fchmod(out.fileno(), entry.mode & 0o7777)


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        _make_writable(path)
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def _clear(folder: str) -> None:
    if not (os.path.isdir(folder) and not os.path.islink(folder)):
        return
    for name in os.listdir(folder):
        _remove(os.path.join(folder, name))


def _make_writable(folder: str) -> None:
    # Folders keep a private mode until the end, but a hard link into them may not; be sure.
    for current, dirs, _ in os.walk(folder):
        for name in dirs:
            path = os.path.join(current, name)
            if not os.path.islink(path):
                os.chmod(path, stat.S_IRWXU)


class _SequentialReader:
    """Reads file contents from one pass over a layer's tar stream (entries come in tar order)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._position = 0

    def open(self, entry: File) -> BinaryIO:
        content = entry.data
        if not isinstance(content, TarContent) or content.offset < self._position:
            return entry.open()
        self._skip(content.offset - self._position)
        self._position = content.offset + content.size
        return _Slice(self._stream, content.size)

    def _skip(self, count: int) -> None:
        while count > 0:
            chunk = self._stream.read(min(count, CHUNK_SIZE))
            if not chunk:
                raise LayerFormatError("레이어 tar가 예상보다 일찍 끝났습니다(잘린 파일).")
            count -= len(chunk)


class _Slice:
    """The next ``size`` bytes of a stream; closing it leaves the stream open."""

    def __init__(self, stream: BinaryIO, size: int) -> None:
        self._stream, self._left = stream, size

    def read(self, count: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        count = self._left if count is None or count < 0 else min(count, self._left)
        data = self._stream.read(count)
        if not data:
            raise LayerFormatError("레이어 tar가 예상보다 일찍 끝났습니다(잘린 파일).")
        self._left -= len(data)
        return data

    def __enter__(self) -> "_Slice":
        return self

    def __exit__(self, *exc: object) -> None:
        while self._left > 0:
            self.read(CHUNK_SIZE)

