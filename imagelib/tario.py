"""Layer tar archives: deterministic writing and streaming reading (OCI layer.md)."""

from __future__ import annotations

import io
import os
import posixpath
import re
import tarfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, BinaryIO, cast

from .blob import Blob, open_uncompressed
from .entries import (
    OPAQUE_MARKER,
    WHITEOUT_PREFIX,
    Dir,
    Entry,
    File,
    Hardlink,
    Opaque,
    Symlink,
    Whiteout,
    normalize_path,
)
from .errors import InvalidPathError, LayerFormatError, SkippedEntryWarning, UnsafeEntryError
from .fasttar import GLOBAL_HARMLESS, go_octal, go_prefix, go_reads_devices
from .limits import Limits
from .streams import LimitedReader, copy, read_into, seek_forward
from .tarsparse import SparseContent, checked_regions

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer


def reproducible_epoch() -> int:
    """Timestamp written into layers and configs: SOURCE_DATE_EPOCH when set, else 0."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "0")
    try:
        return max(0, int(value))
    except ValueError:
        return 0


def sort_key(path: str) -> "tuple[tuple[int, str], ...]":
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
                copied = copy(data, out)
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


def tar_bytes(entries: Iterable[Entry]) -> bytes:
    buffer = io.BytesIO()
    write_tar(entries, buffer)
    return buffer.getvalue()


class TarContent:
    """The bytes of one file inside a (possibly compressed) layer blob, read on demand."""

    __slots__ = ("_blob", "_compression", "_offset", "size", "_layer", "_path")

    def __init__(self, blob: Blob, compression: "str | None", offset: int, size: int, layer: str, path: str) -> None:
        self._blob, self._compression = blob, compression
        self._offset, self.size, self._layer, self._path = offset, size, layer, path

    @property
    def offset(self) -> int:
        """Where the file's bytes start in the uncompressed tar (lets readers go through in order)."""
        return self._offset

    def open(self) -> BinaryIO:
        stream = open_uncompressed(self._blob, self._compression)
        if not seek_forward(stream, self._offset):
            stream.close()
            raise LayerFormatError(f"{self._layer}의 {self._path!r}: 레이어가 예상보다 일찍 끝났습니다(잘린 파일).")
        return io.BufferedReader(LimitedReader(stream, self.size))


def scan_tar(
    stream: BinaryIO,
    blob: Blob,
    compression: "str | None",
    where: str,
    members: "Iterable[tarfile.TarInfo] | None" = None,
    limits: "Limits | None" = None,
) -> Iterator[Entry]:
    """Yield the entries of an uncompressed tar stream; file bytes stay in ``blob``.

    ``members`` may come from a faster header reader over ``stream``; by default tarfile reads it
    (and then the end-of-archive block is checked, because tarfile takes a cut stream as ended).
    Unsafe names are refused (``UnsafeEntryError``); ``limits`` bounds entries and name lengths.
    """
    tail: "TailWindow | None" = None
    tar: "tarfile.TarFile | None" = None
    if members is None:
        tail = TailWindow(stream)
        try:
            members = tar = tarfile.open(fileobj=tail, mode="r|", tarinfo=GoReadTarInfo)
        except AmbiguousHeaders as error:
            raise LayerFormatError(f"{where}: {error}") from None
        except tarfile.ReadError as error:
            raise LayerFormatError(f"{where}: tar 아카이브로 읽을 수 없습니다{tar_problem(error)}.") from None
    seen: "set[str]" = set()
    written: "set[str]" = set()  # paths this layer wrote so far, and their parent folders
    try:
        for count, member in enumerate(members, start=1):
            if limits is not None and count > limits.max_entries:
                raise limits.exceeded(where, "max_entries", f"tar 항목이 {limits.max_entries:_}개보다 많습니다")
            regions = _sparse_regions(member, where)
            _check_extent(member, regions, blob, compression, where, limits)
            if tar is not None:
                _check_sparse_data(member, regions, tar.offset, where)
            entry = _entry_from_member(member, regions, blob, compression, where, limits)
            if entry is None:
                continue
            key = f"{entry.kind}:{entry.path}" if entry.kind in ("whiteout", "opaque") else entry.path
            if key in seen:
                raise LayerFormatError(f"{where}: 한 레이어에 같은 경로 {entry.path!r}가 두 번 나옵니다.")
            seen.add(key)
            if entry.kind == "whiteout":
                _check_whiteout_after(entry.path, written, where)
            elif entry.kind != "opaque":
                _remember_written(entry.path, written)
            yield entry
        if tail is not None and tar is not None:  # both or neither
            tail.check_end(tar.offset, where)
    except AmbiguousHeaders as error:
        raise LayerFormatError(f"{where}: {error}") from None
    except (tarfile.TarError, EOFError, OSError) as error:
        raise LayerFormatError(f"{where}: tar 아카이브가 손상되었거나 잘렸습니다{tar_problem(error)}.") from None


def _remember_written(path: str, written: "set[str]") -> None:
    # Parents stop at the first one already known, so each entry costs O(1) amortized.
    while path and path not in written:
        written.add(path)
        path = path.rpartition("/")[0]


def _check_whiteout_after(path: str, written: "set[str]", where: str) -> None:
    """A whiteout after an entry of its own layer at (or below) the path it hides is refused.

    The OCI layer spec says a whiteout hides only lower layers, and imagelib reads it so; Docker
    and containerd apply whiteouts in tar order and remove what this layer just wrote (Docker's
    overlay2 fails to make the whiteout device). Such bytes would be two images: refuse them.
    """
    if path in written:
        raise LayerFormatError(
            f"{where}: 화이트아웃이 가리는 {path!r}을(를) 같은 레이어가 화이트아웃보다 먼저 썼습니다. OCI 명세로는 "
            "화이트아웃이 아래 레이어만 가리지만 Docker와 containerd는 tar 순서대로 지워서, 도구마다 다른 "
            "이미지가 됩니다. 읽지 않습니다."
        )


def _sparse_regions(member: tarfile.TarInfo, where: str) -> "tuple[tuple[int, int], ...] | None":
    """A sparse member's data regions (tarfile gives the expanded size, the packed data's offset)."""
    if not member.issparse():
        return None
    if member.type == tarfile.GNUTYPE_SPARSE:
        # Go's archive/tar reads the type but Docker, containerd and umoci refuse to unpack it
        raise LayerFormatError(
            f"{where}: 항목 {member.name!r}은(는) 옛 GNU 형식의 희소 파일(sparse, 종류 'S')입니다. 컨테이너 "
            "런타임(Docker, containerd, umoci)이 풀지 못하는 형식이라 읽지 않습니다. --sparse 없이, 또는 "
            "--format=posix로 다시 만드세요."
        )
    regions = cast("list[tuple[int, int]]", member.sparse)  # typeshed says bytes; tarfile gives pairs
    return checked_regions(regions, member.size, f"{where}의 항목 {member.name!r}")


def _stored_size(member: tarfile.TarInfo, regions: "tuple[tuple[int, int], ...] | None") -> int:
    return member.size if regions is None else sum(length for _, length in regions)


def _check_sparse_data(
    member: tarfile.TarInfo, regions: "tuple[tuple[int, int], ...] | None", next_header: int, where: str
) -> None:
    """A sparse map must not claim more data than the member stores (Go: errMissData)."""
    stored = _stored_size(member, regions)
    if regions is not None and member.offset_data + stored > next_header:
        raise LayerFormatError(
            f"{where}: 희소 파일(sparse) {member.name!r}의 지도는 {stored}바이트의 내용을 말하는데 항목에는 "
            f"{next_header - member.offset_data}바이트뿐입니다. 레이어가 손상되었습니다."
        )


def _check_extent(
    member: tarfile.TarInfo,
    regions: "tuple[tuple[int, int], ...] | None",
    blob: Blob,
    compression: "str | None",
    where: str,
    limits: "Limits | None",
) -> None:
    """A member's data must fit the blob (or the limits) *before* a reader tries to skip it.

    tarfile's stream mode skips data by reading block after block without noticing the end,
    so a 512-byte header claiming an exabyte-long file would keep it busy for hours.
    """
    if not (member.isreg() or member.type not in tarfile.SUPPORTED_TYPES):
        return
    end = member.offset_data + member.size  # a sparse member's expanded size: what unpacking writes
    stored = _stored_size(member, regions)
    if compression is None and member.offset_data + stored > blob.size:
        raise LayerFormatError(
            f"{where}: 항목 {member.name!r}의 내용이 {stored}바이트라는데 tar는 {blob.size}바이트에서 "
            "끝납니다. 파일이 잘렸습니다."
        )
    if limits is not None and end > limits.max_bytes:
        raise limits.exceeded(where, "max_bytes", f"항목 {member.name!r}의 크기가 {member.size:_}바이트")


class TailWindow(io.RawIOBase):
    """Counts what tarfile reads and keeps the last bytes, to find the end-of-archive block."""

    KEEP = 1 << 16

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.total = 0
        self._tail = bytearray()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer)
        count = read_into(self._stream, view)
        self.total += count
        self._tail += view[:count]
        del self._tail[: max(0, len(self._tail) - self.KEEP)]
        return count

    def check_end(self, offset: int, where: str) -> None:
        """The block at ``offset`` (after the last member) must be the zero end-of-archive block."""
        if self.total < offset + BLOCK:
            raise LayerFormatError(
                f"{where}: tar가 끝 표시(0으로 찬 블록) 없이 {self.total}바이트에서 끝났습니다. "
                "파일이 잘렸습니다. 다시 받거나 만드세요."
            )
        start = offset - (self.total - len(self._tail))
        if start >= 0 and bytes(self._tail[start : start + BLOCK]) != NUL * BLOCK:
            raise LayerFormatError(
                f"{where}: {offset}바이트 위치의 tar 헤더가 망가졌습니다(체크섬이 맞지 않음). 파일이 손상되었습니다."
            )


class AmbiguousHeaders(Exception):
    """Extended headers that tar readers apply differently (the message says how, in Korean)."""


_META_NAMES = {
    tarfile.XHDTYPE: "PAX 확장 헤더('x')",
    tarfile.GNUTYPE_LONGNAME: "GNU 긴 이름 헤더('L')",
    tarfile.GNUTYPE_LONGLINK: "GNU 긴 링크 헤더('K')",
    tarfile.XGLTYPE: "PAX 전역 헤더('g')",
}


# tarfile's private hook that reads one member with the extended headers before it
_BASE_PROC_MEMBER = cast(
    "Callable[[tarfile.TarInfo, tarfile.TarFile], tarfile.TarInfo]", vars(tarfile.TarInfo)["_proc_member"]
)

# tarfile's private errors for a header after an extended one, and for the end-of-archive block
_SUBSEQUENT_HEADER_ERROR = cast("type[tarfile.HeaderError]", vars(tarfile)["SubsequentHeaderError"])
_EOF_HEADER_ERROR = cast("type[tarfile.HeaderError]", vars(tarfile)["EOFHeaderError"])
_BASE_APPLY_PAX = cast(
    "Callable[[tarfile.TarInfo, dict[str, str], str, str], None]", vars(tarfile.TarInfo)["_apply_pax_info"]
)


# mode, uid, gid, size, mtime, checksum: the number fields Go parses in every header; the device
# numbers it parses in every header but a v7 one.
_GO_NUMBER_FIELDS = ((100, 108), (108, 116), (116, 124), (124, 136), (136, 148), (148, 156))
_GO_DEVICE_FIELDS = ((329, 337), (337, 345))


class GoReadTarInfo(tarfile.TarInfo):
    """A member as Go's archive/tar (and so Docker, containerd, umoci) reads it, or a refusal.

    tarfile applies extended headers from the outermost in: of two 'x' (or two 'L') headers
    before one member it keeps the first, Go and GNU tar the last, whole; this class does as
    Go. Of a GNU long name and a PAX path Go keeps the long name, GNU tar the path; Go skips
    an empty long name or link, GNU tar applies it; tarfile and GNU tar apply global PAX
    records to later members, Go to none; they read Solaris 'X' headers, Go does not. Those
    layers read differently in different runtimes, so they are refused, as ``fasttar`` leaves
    them to this class.
    """

    _meta_kinds: "tuple[bytes, ...]" = ()
    _long_name: "str | None" = None
    _long_link: "str | None" = None

    @classmethod
    def frombuf(cls, buf: "bytes | bytearray", encoding: str, errors: str) -> "GoReadTarInfo":
        """One header, its name with the prefix Go reads: tarfile prepends the prefix field of
        v7 and GNU headers too (where Go reads none) and all 155 bytes of a star header's."""
        member = super().frombuf(buf, encoding, errors)
        magic = bytes(buf[257:265])
        devices = _GO_DEVICE_FIELDS if go_reads_devices(magic) else ()
        for start, end in (*_GO_NUMBER_FIELDS, *devices):
            field = bytes(buf[start:end])
            if not field[0] & 0x80 and go_octal(field) is None:
                raise AmbiguousHeaders(
                    f"{member.name!r}의 헤더에 Go(도커, containerd)가 숫자로 읽지 못하는 칸이 있습니다({field!r}). "
                    "파이썬의 tarfile은 읽지만 런타임은 거부하므로 레이어를 읽지 않습니다."
                )
        name = bytes(buf[:100]).partition(b"\0")[0].decode(encoding, errors)
        prefix = go_prefix(magic, bytes(buf[345:500]), bytes(buf[508:512]))
        if prefix is None:
            raise AmbiguousHeaders(
                f"{name!r}의 헤더는 이름 앞부분(prefix) 칸을 Go(도커, containerd)와 GNU tar가 다르게 읽는 "
                "모양입니다(끝이 없는 star prefix나 숫자가 아닌 star 시각, 또는 시각 대신 글자가 든 GNU 헤더). "
                "레이어를 읽지 않습니다."
            )
        if prefix:
            name = f"{prefix.decode(encoding, errors)}/{name}"
        if member.type == tarfile.AREGTYPE and name.endswith("/"):
            member.type = tarfile.DIRTYPE
        member.name = name.rstrip("/") if member.isdir() else name
        return member

    def _proc_member(self, tarfile_: tarfile.TarFile) -> tarfile.TarInfo:
        def process(archive: tarfile.TarFile) -> GoReadTarInfo:
            return cast(GoReadTarInfo, _BASE_PROC_MEMBER(self, archive))

        if self.type == tarfile.SOLARIS_XHDTYPE:
            raise AmbiguousHeaders(
                f"{self.offset}바이트 위치에 Solaris 확장 헤더('X')가 있습니다. 런타임마다 다르게 읽으므로 "
                "레이어를 읽지 않습니다."
            )
        if self.type not in _META_NAMES:
            return process(tarfile_)
        try:
            member = process(tarfile_)  # reads the headers after this one and the member they describe
        except _SUBSEQUENT_HEADER_ERROR as error:
            if not isinstance(error.__context__, _EOF_HEADER_ERROR):
                raise
            # Extended headers right before the end of the archive describe nothing; Go and GNU
            # tar end there, tarfile calls the archive damaged. End at the zero block.
            tarfile_.offset = tarfile_.fileobj.tell() - tarfile.BLOCKSIZE
            raise _EOF_HEADER_ERROR("end of file header") from None
        self._check_order(member)
        if self.type == tarfile.XGLTYPE:
            changing = sorted(set(tarfile_.pax_headers) - GLOBAL_HARMLESS)
            if changing:
                raise AmbiguousHeaders(
                    f"{self.offset}바이트 위치의 PAX 전역 헤더가 뒤의 항목을 바꾸는 값({', '.join(changing)})을 "
                    "담고 있습니다. 런타임마다 다르게 적용하므로 레이어를 읽지 않습니다."
                )
            member._meta_kinds = (self.type, *member._meta_kinds)
            return member
        member._meta_kinds = (self.type, *member._meta_kinds)
        _check_same(member._long_name, member.pax_headers.get("path"), "이름", "경로")
        _check_same(member._long_name, member.pax_headers.get("GNU.sparse.name"), "이름", "희소 파일 이름")
        _check_same(member._long_link, member.pax_headers.get("linkpath"), "링크", "링크 경로")
        if member.type == tarfile.AREGTYPE and member.name.endswith("/"):
            member.type = tarfile.DIRTYPE  # Go decides this after the long names apply
        return member

    def _proc_gnulong(self, tarfile_: tarfile.TarFile) -> "GoReadTarInfo":
        """A GNU long name or link, applied as Go applies it (tarfile's own keeps the first one)."""
        fileobj = cast(BinaryIO, tarfile_.fileobj)
        data = fileobj.read(-(-self.size // BLOCK) * BLOCK)
        try:
            member = self.fromtarfile(tarfile_)
        except tarfile.HeaderError as error:
            raise _SUBSEQUENT_HEADER_ERROR(str(error)) from error
        member.offset = self.offset
        value = data[: self.size].split(NUL, 1)[0].decode(tarfile_.encoding or "utf-8", tarfile_.errors)
        if not value:
            raise AmbiguousHeaders(
                f"{self.offset}바이트 위치의 {_META_NAMES[self.type]}가 비어 있습니다. Go는 건너뛰고 GNU "
                "tar는 빈 이름으로 적용하므로 레이어를 읽지 않습니다."
            )
        if self.type in member._meta_kinds:
            return member  # a later header of this kind counts (Go, GNU tar)
        if self.type == tarfile.GNUTYPE_LONGNAME:
            member._long_name = member.name = value.rstrip("/") if member.isdir() else value
        else:
            member._long_link = member.linkname = value
        return member

    def _check_order(self, member: "GoReadTarInfo") -> None:
        if self.type != tarfile.XGLTYPE and tarfile.XGLTYPE in member._meta_kinds:
            raise AmbiguousHeaders(
                f"{self.offset}바이트 위치의 {_META_NAMES[self.type]}와 항목 {member.name!r} 사이에 PAX 전역 "
                "헤더('g')가 있습니다. Go는 앞의 헤더를 버리고 GNU tar는 적용하므로 레이어를 읽지 않습니다."
            )

    def _apply_pax_info(self, pax_headers: "dict[str, str]", encoding: str, errors: str) -> None:
        if tarfile.XHDTYPE in self._meta_kinds:
            return  # an earlier 'x' header: the later one, applied already, replaces it whole
        _BASE_APPLY_PAX(self, pax_headers, encoding, errors)


def _check_same(gnu: "str | None", pax: "str | None", gnu_what: str, pax_what: str) -> None:
    if gnu is not None and pax is not None and gnu.rstrip("/") != pax.rstrip("/"):
        raise AmbiguousHeaders(
            f"한 항목의 GNU 긴 {gnu_what} {gnu!r}과(와) PAX {pax_what} {pax!r}가 다릅니다. 런타임마다 "
            "다른 값으로 풀므로 레이어를 읽지 않습니다."
        )


def _entry_from_member(
    member: tarfile.TarInfo,
    regions: "tuple[tuple[int, int], ...] | None",
    blob: Blob,
    compression: "str | None",
    where: str,
    limits: "Limits | None",
) -> "Entry | None":
    path = member_path(member.name, where, limits)
    if member.issym() or member.islnk():
        check_name_text(member.linkname, f"{where}의 {path!r}의 링크 대상", limits)
    if not path:
        if member.isdir():
            return None  # the root directory itself
        raise UnsafeEntryError(
            f"{where}: 항목 {member.name!r}이(가) 루트(/) 폴더 자체를 폴더가 아닌 것으로 바꾸려 합니다. "
            "안전하지 않은 레이어라 읽지 않습니다."
        )
    if path.rpartition("/")[2].startswith(WHITEOUT_PREFIX):
        return _marker(member, path, where)
    mode, uid, gid = member.mode & 0o7777, member.uid, member.gid
    if member.isreg():
        if regions is None:
            content = TarContent(blob, compression, member.offset_data, member.size, where, path)
            return File(content, path=path, mode=mode, uid=uid, gid=gid)
        packed = TarContent(blob, compression, member.offset_data, sum(n for _, n in regions), where, path)
        return File(SparseContent(packed, regions, member.size), path=path, mode=mode, uid=uid, gid=gid)
    if member.isdir():
        return Dir(path=path, mode=mode, uid=uid, gid=gid)
    if member.issym():
        return Symlink(member.linkname, path=path, mode=mode, uid=uid, gid=gid)
    if member.islnk():
        target = member_path(member.linkname, f"{where}의 하드 링크 {path!r}의 대상", limits)
        if not target:
            raise UnsafeEntryError(f"{where}의 하드 링크 {path!r}가 루트(/) 폴더를 가리킵니다.")
        return Hardlink(target, path=path, mode=mode, uid=uid, gid=gid)
    if member.ischr() or member.isblk() or member.isfifo():
        warnings.warn(
            f"{where}: 장치 파일이나 FIFO {path!r}는 건너뜁니다(il.unpack(..., special_files=True)로 풀 수 있습니다).",
            SkippedEntryWarning,
            stacklevel=3,
        )
    else:
        warnings.warn(
            f"{where}: 알 수 없는 종류({member.type!r})의 항목 {path!r}는 건너뜁니다.",
            SkippedEntryWarning,
            stacklevel=3,
        )
    return None


def _marker(member: tarfile.TarInfo, path: str, where: str) -> "Entry | None":
    """A name starting with ``.wh.``: an opaque marker, a whiteout, or aufs metadata to skip."""
    head, _, name = path.rpartition("/")
    if name == OPAQUE_MARKER:
        return Opaque(path=head)
    if name.startswith(WHITEOUT_PREFIX + WHITEOUT_PREFIX):
        return None  # aufs metadata such as .wh..wh.plnk
    hidden = name[len(WHITEOUT_PREFIX) :]
    if hidden in ("", ".", ".."):
        raise UnsafeEntryError(
            f"{where}: 화이트아웃 {member.name!r}는 이름이 없거나 '.'/'..'를 가리킵니다(자기 폴더나 "
            "그 부모를 지우려는 항목). 안전하지 않은 레이어라 읽지 않습니다."
        )
    return Whiteout(path=posixpath.join(head, hidden))


_DRIVE = re.compile(r"^[A-Za-z]:")


def member_path(name: str, where: str, limits: "Limits | None") -> str:
    """A tar member name as an image path: ``./a//b`` and ``/a/b`` -> ``a/b``.

    A leading ``/`` or ``./`` is dropped, as Docker, containerd and GNU tar read them (the
    path stays under the root). ``..`` components, drive letters (``C:``), NUL and names that
    are not UTF-8 are refused with ``UnsafeEntryError`` / ``LayerFormatError``.
    """
    if not (name.isascii() and (limits is None or len(name) <= limits.max_name_bytes)):
        check_name_text(name, f"{where}의 항목", limits)  # most names are short ASCII: no need
    path = name
    if not name or name[0] in "./" or name[-1] == "/" or "//" in name or "/." in name or "\0" in name:
        try:  # only names that need it: most are already plain relative paths
            path = normalize_path(name, what=f"{where}의 항목")
        except InvalidPathError as error:
            raise UnsafeEntryError(str(error)) from None
    if path[1:2] == ":" and _DRIVE.match(path):
        raise UnsafeEntryError(
            f"{where}의 항목 {name!r}이(가) 드라이브 문자(예: 'C:')로 시작합니다. 윈도우에서 풀면 "
            "폴더 밖에 쓰게 되므로 읽지 않습니다."
        )
    return path


def check_name_text(name: str, what: str, limits: "Limits | None") -> None:
    """Names must be UTF-8 (PAX says so) and not longer than the limit."""
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
        raise LayerFormatError(
            f"{what} {raw!r}의 이름이 UTF-8이 아닙니다. 이미지 안의 이름은 UTF-8이어야 합니다."
        ) from None
    if limits is not None and size > limits.max_name_bytes:
        limits.check_name(name, what)


# tarfile and the OS explain in English; the learner reads Korean.
_TAR_PROBLEMS = {
    "invalid header": "헤더가 tar 형식이 아님",
    "bad checksum": "헤더의 체크섬이 맞지 않음",
    "empty file": "빈 파일",
    "truncated header": "헤더가 중간에 잘림",
    "unexpected end of data": "데이터가 중간에 끝남",
    "end of file header": "파일 끝 표시가 잘못됨",
    "subsequent header": "확장 헤더 뒤의 헤더가 없거나 잘못됨",
    "base-256": "숫자 필드가 잘못됨",
    "number field": "숫자 필드가 잘못됨",
    "seeking backwards": "앞으로 되돌아가 읽어야 하는 구조",
}


def tar_problem(error: BaseException) -> str:
    """Why tarfile stopped, in Korean and in parentheses (empty when there is nothing to add)."""
    text = str(error).lower()
    for english, korean in _TAR_PROBLEMS.items():
        if english in text:
            return f"({korean})"
    if isinstance(error, EOFError):
        return "(데이터가 중간에 끝남)"
    if isinstance(error, OSError) and error.strerror:
        return f"(입출력 오류 {error.errno})" if error.errno else ""
    return ""
