"""A fast reader of tar member headers for streams, used when scanning layers.

``tarfile``'s stream mode pushes every data byte through small 10 KiB reads, which costs as
much as hashing the layer. This reader parses the common header kinds itself (ustar/GNU/v7,
PAX per-file records, GNU long names, PAX global headers that change no member) and skips
file data with large reads. Extended headers apply as Go's ``archive/tar`` applies them (what
container runtimes read): of two headers of one kind before a member the last one counts,
whole (GNU tar agrees). Where Go and GNU tar disagree (a long name and a PAX path that differ:
Go takes the long name, GNU tar the path; an empty long name, which Go skips; a global header
that would change members, which Go applies to none and GNU tar to all, or that follows a
pending extended header, which Go then drops; Solaris ``X`` headers) and on anything else
(sparse files, a bad checksum, a truncated stream) it raises ``UnusualTar`` and the caller
starts over with ``tarfile`` (``tario.scan_tar``), which refuses the ambiguous cases, knows
every corner of the format and gives the canonical error messages.
"""

from __future__ import annotations

import struct
import tarfile
from collections.abc import Iterator
from io import SEEK_CUR
from typing import BinaryIO
from zlib import adler32

from .streams import skip

BLOCK = 512
_ZERO_BLOCK = bytes(BLOCK)
_SKIP_CHUNK = 1 << 20
_MAX_META = 1 << 20  # PAX records or a GNU long name bigger than this: leave it to tarfile
_USTAR_MAGIC = b"ustar\x00"  # without the version: Go's archive/tar looks at these six bytes only
_STAR_TRAILER = b"tar\x00"
_GNU_MAGIC = b"ustar  \x00"  # magic and version of a GNU header
_OCTAL_DIGITS = b"01234567"
_STAR_PREFIX = 131  # a star header keeps access and change times in the rest of the prefix field
# The header fields a member needs, in one unpack (uname and gname skipped): name, mode, uid,
# gid, size, mtime, chksum, typeflag, linkname, magic + version, device numbers, prefix, trailer.
_HEADER = struct.Struct("100s8s8s8s12s12s8sc100s8s64x8s8s155s8x4s")
(
    _NAME,
    _MODE,
    _UID,
    _GID,
    _SIZE,
    _MTIME,
    _CHECKSUM,
    _TYPE,
    _LINKNAME,
    _MAGIC,
    _DEV_MAJOR,
    _DEV_MINOR,
    _PREFIX,
    _TRAILER,
) = range(14)
_REGULAR = (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.CONTTYPE)
_PLAIN_TYPES = _REGULAR + (
    tarfile.LNKTYPE,
    tarfile.SYMTYPE,
    tarfile.CHRTYPE,
    tarfile.BLKTYPE,
    tarfile.DIRTYPE,
    tarfile.FIFOTYPE,
)
_PAX_FIELDS = {
    "path",
    "linkpath",
    "size",
    "uid",
    "gid",
    "mtime",
    "atime",
    "ctime",
    "uname",
    "gname",
    "comment",
    "charset",
}
# Global records that change no member for any reader (git archive writes a "comment").
GLOBAL_HARMLESS = frozenset({"comment", "charset"})
_META = (tarfile.XHDTYPE, tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK)


class UnusualTar(Exception):
    """The stream holds something this reader leaves to ``tarfile``."""


def read_members(stream: BinaryIO) -> Iterator[tarfile.TarInfo]:
    """Yield a TarInfo (name, mode, uid, gid, size, type, linkname, offset_data) per member."""
    position = 0
    pending: "dict[bytes, dict[str, str]]" = {}  # meta header kind -> its records
    seeks = stream.seekable()
    skip_buffer = None if seeks else bytearray(_SKIP_CHUNK)
    while True:
        header = _read_exactly(stream, BLOCK)
        position += BLOCK
        if header == _ZERO_BLOCK:
            return
        fields = _HEADER.unpack(header)
        kind = fields[_TYPE]
        _check_sum(header, fields[_CHECKSUM])
        _check_unused_numbers(fields)
        if kind in _META or kind == tarfile.XGLTYPE:
            size = _number(fields[_SIZE])
            data = _read_meta(stream, size)
            position += _padded(size)
            _take_meta(kind, data, pending)
            continue
        if kind not in _PLAIN_TYPES:
            raise UnusualTar(f"member type {kind!r}")
        info = _with_pending(fields, kind, pending) if pending else _plain(fields, kind)
        pending = {}
        info.offset = position - BLOCK
        info.offset_data = position
        yield info
        if kind in _REGULAR:
            padded = _padded(info.size)
            if seeks:  # a cut file shows as a short header read next
                stream.seek(padded, SEEK_CUR)
            elif skip(stream, padded, skip_buffer) != padded:
                raise UnusualTar("truncated data")
            position += padded


def _read_exactly(stream: BinaryIO, count: int) -> bytes:
    data = stream.read(count)
    if len(data) != count:
        raise UnusualTar("truncated")  # tarfile decides whether that is an error
    return data


def _padded(size: int) -> int:
    return -(-size // BLOCK) * BLOCK


def _check_unused_numbers(fields: "tuple[bytes, ...]") -> None:
    """Numbers imagelib does not use but Go's reader parses, refusing the header where they are
    none: the mtime, and the device numbers of every header but a v7 one."""
    _number(fields[_MTIME])
    if go_reads_devices(fields[_MAGIC]):
        _number(fields[_DEV_MAJOR])
        _number(fields[_DEV_MINOR])


def go_reads_devices(magic: bytes) -> bool:
    """Whether Go's archive/tar parses the device numbers of a header with this magic and version
    (8 bytes): of a ustar, pax, star or GNU header, whatever its type; not of a v7 header."""
    return magic[:6] == _USTAR_MAGIC or magic == _GNU_MAGIC


def _number(field: bytes) -> int:
    """A header's number field as Go's archive/tar reads it, or UnusualTar for tarfile to judge."""
    text = go_octal(field)
    if text is not None:
        return int(text, 8) if text else 0
    return _unusual_number(field)


def go_octal(field: bytes) -> "bytes | None":
    """The octal digits Go reads in a number field (spaces and NULs trimmed at both ends, cut at
    the first NUL inside), or None where Go refuses it: a sign, ``0o``, ``_``, a tab (all of
    which Python's ``int`` takes) or any other character. Base-256 fields are not octal."""
    text = field.strip(b" \0").partition(b"\0")[0]
    return None if text.translate(None, _OCTAL_DIGITS) else text


def _unusual_number(field: bytes) -> int:
    if field[:1] in (b"\x80", b"\xff"):  # GNU base-256 for numbers too big for octal
        value = int.from_bytes(field[1:], "big")
        return value - 256 ** (len(field) - 1) if field[0] == 0xFF else value
    raise UnusualTar("bad number")


def _check_sum(header: bytes, stored: bytes) -> None:
    """The header's checksum field must hold the sum of its bytes, the field itself as spaces."""
    unsigned = _byte_sum(header) - _byte_sum(stored) + 8 * 32
    if _number(stored) != unsigned:
        raise UnusualTar("checksum")


def _byte_sum(block: bytes) -> int:
    """The sum of up to 512 bytes, exactly, at C speed.

    Adler-32's first half is 1 + the sum of the bytes modulo 65521; a 256-byte half sums to at
    most 65280, so no modulo ever applies to it.
    """
    if len(block) <= 256:
        return (adler32(block) & 0xFFFF) - 1
    return (adler32(block[:256]) & 0xFFFF) + (adler32(block[256:]) & 0xFFFF) - 2


def _read_meta(stream: BinaryIO, size: int) -> bytes:
    if size > _MAX_META:
        raise UnusualTar("huge metadata")
    data = _read_exactly(stream, _padded(size))
    return data[:size]


def _take_meta(kind: bytes, data: bytes, pending: "dict[bytes, dict[str, str]]") -> None:
    if kind == tarfile.XGLTYPE:
        # Go returns a global header as an entry of its own and applies it to nothing; tarfile
        # and GNU tar apply it to later members. Only a global header that changes nothing
        # reads the same everywhere.
        if pending or not GLOBAL_HARMLESS.issuperset(_pax_records(data, every=True)):
            raise UnusualTar("global PAX header")
        return
    # A second header of a kind replaces the first, whole (Go and GNU tar; tarfile differs)
    if kind in (tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK):
        value = _text(data.split(b"\0", 1)[0])
        if not value:  # Go skips an empty one, GNU tar applies it
            raise UnusualTar("empty GNU long name or link")
        pending[kind] = {"path" if kind == tarfile.GNUTYPE_LONGNAME else "linkpath": value}
    else:
        pending[kind] = _pax_records(data)


def _pax_records(data: bytes, every: bool = False) -> "dict[str, str]":
    records: "dict[str, str]" = {}
    position = 0
    while position < len(data):
        space = data.find(b" ", position)
        if space < 0:
            raise UnusualTar("bad PAX record")
        try:
            length = int(data[position:space])
        except ValueError:
            raise UnusualTar("bad PAX record") from None
        record = data[space + 1 : position + length]
        if length <= 0 or not record.endswith(b"\n") or b"=" not in record:
            raise UnusualTar("bad PAX record")
        key, value = record[:-1].split(b"=", 1)
        name = key.decode("utf-8", "surrogateescape")
        if name == "hdrcharset" or name.startswith("GNU.sparse"):
            raise UnusualTar(f"PAX {name}")
        if every or name in _PAX_FIELDS:
            records[name] = _text(value)
        position += length
    return records


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _name(fields: "tuple[bytes, ...]") -> str:
    """The member name, with the ustar prefix in front when the header has one."""
    name = _text(_cstring(fields[_NAME]))
    prefix = go_prefix(fields[_MAGIC], fields[_PREFIX], fields[_TRAILER])
    if prefix is None:
        raise UnusualTar("star prefix")
    return f"{_text(prefix)}/{name}" if prefix else name


def go_prefix(magic: bytes, prefix: bytes, trailer: bytes) -> "bytes | None":
    """The name prefix of a header as Go's archive/tar reads it (b"" for none), or None where
    Go refuses the header or GNU tar reads another name.

    ``magic`` is the header's magic and version (8 bytes), ``prefix`` its prefix field (155) and
    ``trailer`` the star trailer (4). A header with ustar's magic has a prefix whatever its
    version says; a v7 header has none (tarfile prepends the field anyway). A star header
    (trailer ``tar\\0``) has only the first 131 bytes, then access and change times that Go
    refuses when they are no numbers; GNU tar reads all 155 bytes when those 131 hold no NUL. A
    GNU header keeps its times there; where they do not parse and the field is ASCII text, Go
    takes it as a prefix all the same (for tars written by Go before 1.8), GNU tar never. The
    field ends at its first NUL byte.
    """
    whole = _cstring(prefix)
    if magic[:6] == _USTAR_MAGIC:
        if trailer != _STAR_TRAILER:
            return whole
        star = _cstring(prefix[:_STAR_PREFIX])
        times = prefix[_STAR_PREFIX : _STAR_PREFIX + 12], prefix[_STAR_PREFIX + 12 :]
        return star if star == whole and all(map(_go_numeric, times)) else None
    if magic == _GNU_MAGIC and whole and whole.isascii():
        if not all(not field[0] or _go_numeric(field) for field in (prefix[:12], prefix[12:24])):
            return None
    return b""


def _go_numeric(field: bytes) -> bool:
    """Whether Go's archive/tar reads the number field without error: octal digits between
    spaces and NULs (none at all is 0). Base-256 values count as not, to be safe."""
    return not field[0] & 0x80 and go_octal(field) is not None


def _cstring(field: bytes) -> bytes:
    return field.partition(b"\0")[0]


def _plain(fields: "tuple[bytes, ...]", kind: bytes) -> tarfile.TarInfo:
    """A member that no extended header changes: every value comes from its own header."""
    return _member(
        kind,
        _name(fields),
        _number(fields[_MODE]),
        _number(fields[_UID]),
        _number(fields[_GID]),
        _number(fields[_SIZE]),
        _text(_cstring(fields[_LINKNAME])),
    )


def _with_pending(fields: "tuple[bytes, ...]", kind: bytes, pending: "dict[bytes, dict[str, str]]") -> tarfile.TarInfo:
    """A member whose PAX records or GNU long names override header fields."""
    records = _merged(pending)
    size = _number(fields[_SIZE])  # read even when a record replaces it: a bad one is unusual
    return _member(
        kind,
        records["path"] if "path" in records else _name(fields),
        _number(fields[_MODE]),
        _decimal(records["uid"]) if "uid" in records else _number(fields[_UID]),
        _decimal(records["gid"]) if "gid" in records else _number(fields[_GID]),
        _decimal(records["size"]) if "size" in records else size,
        records["linkpath"] if "linkpath" in records else _text(_cstring(fields[_LINKNAME])),
    )


def _merged(pending: "dict[bytes, dict[str, str]]") -> "dict[str, str]":
    """PAX records, then the GNU long name and link over them (Go's order)."""
    if len(pending) == 1 and tarfile.XHDTYPE in pending:  # the common case: one PAX header
        return pending[tarfile.XHDTYPE]
    records = dict(pending.get(tarfile.XHDTYPE, {}))
    for kind, key in ((tarfile.GNUTYPE_LONGNAME, "path"), (tarfile.GNUTYPE_LONGLINK, "linkpath")):
        if kind in pending:
            value = pending[kind][key]
            if records.get(key, value) != value:  # tarfile lets the outermost header win
                raise UnusualTar(f"GNU {key} and PAX {key} differ")
            records[key] = value
    return records


def _member(kind: bytes, name: str, mode: int, uid: int, gid: int, size: int, linkname: str) -> tarfile.TarInfo:
    if kind == tarfile.AREGTYPE and name.endswith("/"):
        kind = tarfile.DIRTYPE
    info = tarfile.TarInfo(name.rstrip("/") if kind == tarfile.DIRTYPE else name)
    info.type, info.mode = kind, mode
    info.uid, info.gid, info.size, info.linkname = uid, gid, size, linkname
    return info


def _decimal(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UnusualTar("bad PAX number") from None
