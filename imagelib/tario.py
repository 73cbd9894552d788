"""Layer tar archives: deterministic writing and streaming reading (OCI layer.md)."""

from __future__ import annotations

import io
import os
import posixpath
import tarfile
import warnings
from typing import BinaryIO, Iterable, Iterator

from .blob import Blob, LimitedReader, open_uncompressed, skip_to
from .entries import (OPAQUE_MARKER, WHITEOUT_PREFIX, Dir, Entry, File, Hardlink, Opaque, Symlink,
                      Whiteout, normalize_path)
from .errors import InvalidPathError, LayerFormatError


def reproducible_epoch() -> int:
    """Timestamp written into layers and configs: SOURCE_DATE_EPOCH when set, else 0."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "0")
    try:
        return max(0, int(value))
    except ValueError:
        return 0


def sort_key(path: str) -> tuple:
    # Depth-first, parents before children; whiteouts before their siblings (layer.md).
    return tuple((0 if part.startswith(WHITEOUT_PREFIX) else 1, part) for part in path.split("/"))


def tar_name(entry: Entry) -> str:
    return entry.tar_name if isinstance(entry, (Whiteout, Opaque)) else entry.path


def write_tar(entries: Iterable[Entry], out: BinaryIO) -> None:
    """Write entries as a tar stream: sorted, mtime fixed, owners numeric, PAX only if needed.

    Headers come from ``TarInfo.tobuf``; the archive ends with the two zero blocks the format
    requires and no padding to 10 KiB records, as Docker and Go's archive/tar write it.
    """
    epoch = reproducible_epoch()
    # Hard links go last so that every link follows the file it names.
    ordered = sorted(entries, key=lambda e: (isinstance(e, Hardlink), sort_key(tar_name(e))))
    for entry in ordered:
        info = _tar_info(entry, epoch)
        out.write(info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape"))
        if isinstance(entry, File):
            with entry.open() as data:
                copied = _copy_counted(data, out)
            if copied != entry.size:
                raise LayerFormatError(f"{entry.path!r}: 파일 크기가 {entry.size}바이트라더니 {copied}바이트입니다.")
            out.write(NUL * (-copied % BLOCK))
    out.write(NUL * (2 * BLOCK))


BLOCK = tarfile.BLOCKSIZE
NUL = b"\0"


def _tar_info(entry: Entry, epoch: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(tar_name(entry))
    info.mtime = epoch
    info.uid, info.gid = entry.uid, entry.gid
    info.uname = info.gname = ""
    info.mode = entry.mode & 0o7777
    if isinstance(entry, File):
        info.type, info.size = tarfile.REGTYPE, entry.size
    elif isinstance(entry, Dir):
        info.type = tarfile.DIRTYPE
        info.name += "/"
    elif isinstance(entry, Symlink):
        info.type, info.linkname = tarfile.SYMTYPE, entry.target
    elif isinstance(entry, Hardlink):
        info.type, info.linkname = tarfile.LNKTYPE, entry.target
    else:  # whiteout and opaque markers are empty regular files
        info.type, info.mode = tarfile.REGTYPE, 0o644
    return info


def _copy_counted(source: BinaryIO, out: BinaryIO) -> int:
    total = 0
    while chunk := source.read(1 << 20):
        out.write(chunk)
        total += len(chunk)
    return total


def tar_bytes(entries: Iterable[Entry]) -> bytes:
    buffer = io.BytesIO()
    write_tar(entries, buffer)
    return buffer.getvalue()


class TarContent:
    """The bytes of one file inside a (possibly compressed) layer blob, read on demand."""

    __slots__ = ("_blob", "_compression", "_offset", "size", "_where")

    def __init__(self, blob: Blob, compression: "str | None", offset: int, size: int,
                 where: str) -> None:
        self._blob, self._compression = blob, compression
        self._offset, self.size, self._where = offset, size, where

    @property
    def offset(self) -> int:
        """Where the file's bytes start in the uncompressed tar (lets readers go through in order)."""
        return self._offset

    def open(self) -> BinaryIO:
        stream = open_uncompressed(self._blob, self._compression)
        skip_to(stream, self._offset, self._where)
        return io.BufferedReader(LimitedReader(stream, self.size))


def scan_tar(stream: BinaryIO, blob: Blob, compression: "str | None", where: str,
             members: "Iterable[tarfile.TarInfo] | None" = None) -> Iterator[Entry]:
    """Yield the entries of an uncompressed tar stream; file bytes stay in ``blob``.

    ``members`` may come from a faster header reader over ``stream``; by default tarfile reads it.
    """
    if members is None:
        try:
            members = tarfile.open(fileobj=stream, mode="r|")
        except tarfile.ReadError as error:
            raise LayerFormatError(f"{where}: tar 아카이브로 읽을 수 없습니다({error}).") from None
    seen: "set[str]" = set()
    try:
        for member in members:
            entry = _entry_from_member(member, blob, compression, where)
            if entry is None:
                continue
            key = f"{entry.kind}:{entry.path}" if entry.kind in ("whiteout", "opaque") else entry.path
            if key in seen:
                raise LayerFormatError(f"{where}: 한 레이어에 같은 경로 {entry.path!r}가 두 번 나옵니다.")
            seen.add(key)
            yield entry
    except (tarfile.TarError, EOFError, OSError) as error:
        raise LayerFormatError(f"{where}: tar 아카이브가 손상되었거나 잘렸습니다({error}).") from None


def _entry_from_member(member: tarfile.TarInfo, blob: Blob, compression: "str | None",
                       where: str) -> "Entry | None":
    try:
        path = normalize_path(member.name, what=f"{where}의 항목")
    except InvalidPathError as error:
        raise LayerFormatError(str(error)) from None
    if not path:
        return None  # the root directory itself
    common = dict(path=path, mode=member.mode & 0o7777, uid=member.uid, gid=member.gid)
    head, name = posixpath.split(path)
    if name == OPAQUE_MARKER:
        return Opaque(path=head)
    if name.startswith(WHITEOUT_PREFIX + WHITEOUT_PREFIX):
        return None  # aufs metadata such as .wh..wh.plnk
    if name.startswith(WHITEOUT_PREFIX):
        hidden = name[len(WHITEOUT_PREFIX):]
        if not hidden:
            raise LayerFormatError(f"{where}: 이름이 없는 화이트아웃 {member.name!r}는 잘못된 항목입니다.")
        return Whiteout(path=posixpath.join(head, hidden))
    if member.isreg():
        content = TarContent(blob, compression, member.offset_data, member.size,
                             f"{where}의 {path!r}")
        return File(content, **common)
    if member.isdir():
        return Dir(**common)
    if member.issym():
        return Symlink(member.linkname, **common)
    if member.islnk():
        try:
            return Hardlink(member.linkname, **common)
        except InvalidPathError as error:
            raise LayerFormatError(f"{where}의 하드 링크 {path!r}: {error}") from None
    warnings.warn(f"{where}: 장치 파일이나 FIFO {path!r}는 건너뜁니다.", stacklevel=3)
    return None
