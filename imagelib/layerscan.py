"""One pass over a layer blob: its compression, digest, diff_id and tar entries, all at once.

The blob is read a single time from start to end. On the way up, the stored (possibly
compressed) bytes are hashed for the digest, inflated through the limits' guard, hashed again
as the tar for the diff_id (an uncompressed blob is hashed once: its digest *is* its diff_id)
and parsed into entries. Only a tar the fast header reader leaves to ``tarfile`` (sparse files,
global PAX headers, damage) is read a second time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from . import display
from .blob import Blob, decompressing_reader, detect_compression
from .digest import Digest, Hasher
from .entries import Entry
from .errors import LayerFormatError
from .fasttar import UnusualTar, read_members
from .limits import Limits, decompression_errors, inflate_guard
from .streams import CountingReader, HashingReader, drain
from .tario import scan_tar

_HEAD_BUFFER = 1 << 16


@dataclass(frozen=True)
class Scan:
    """What one pass found: the tar's entries and hash, the blob's compression and hash."""

    entries: "tuple[Entry, ...]"
    compression: "str | None"
    diff_id: Digest
    uncompressed_size: int
    blob_digest: Digest


def scan_blob(blob: Blob, where: str, limits: "Limits | None" = None) -> Scan:
    """Read ``blob`` once (twice only for a tar that needs ``tarfile``) and describe it."""
    try:
        return _one_pass(blob, where, limits, fast=True)
    except UnusualTar:
        return _one_pass(blob, where, limits, fast=False)


def _one_pass(blob: Blob, where: str, limits: "Limits | None", fast: bool) -> Scan:
    known = blob._digest
    with blob.open() as raw:
        packed = CountingReader(raw) if known is not None else HashingReader(raw, Hasher())
        head = io.BufferedReader(packed, buffer_size=_HEAD_BUFFER)
        compression = detect_compression(head.peek(4)[:4])
        if compression is None and limits is not None and blob.size > limits.max_bytes:
            raise limits.exceeded(where, "max_bytes", f"tar가 {display.human_size(blob.size)}")
        tar, tar_hasher = _tar_stream(head, packed, compression, where, limits)
        try:
            members = read_members(tar) if fast else None
            entries = tuple(scan_tar(tar, blob, compression, where, members=members, limits=limits))
            drain(tar)  # the tar's padding after its end block belongs to the diff_id too
            if compression is not None:
                drain(head)  # and bytes after the compressed stream to the digest
        except decompression_errors() as error:
            raise LayerFormatError(
                f"{where}: {compression or 'tar'} 데이터를 읽을 수 없습니다. 파일이 잘렸거나 손상되었습니다"
                f"({error}).") from None
    read = _bytes_read(packed)
    if read != blob.size:
        raise LayerFormatError(
            f"{where}: 블롭이 {blob.size}바이트라는데 {read}바이트에서 끝났습니다. 파일이 잘렸습니다.")
    blob_digest = known if known is not None else packed.hasher.digest()
    if tar_hasher is None:  # uncompressed: the blob bytes are the tar bytes
        return Scan(entries, None, blob_digest, read, blob_digest)
    return Scan(entries, compression, tar_hasher.digest(), tar_hasher.size, blob_digest)


def _tar_stream(head: io.BufferedReader, packed: BinaryIO, compression: "str | None", where: str,
                limits: "Limits | None") -> "tuple[BinaryIO, Hasher | None]":
    """The stream of tar bytes, and the hasher of its diff_id (None: the blob's own hash is it)."""
    if compression is None:
        return head, None
    plain = decompressing_reader(head, compression)
    if limits is not None:
        plain = inflate_guard(plain, limits, where, lambda: _bytes_read(packed))
    hashing = HashingReader(plain, Hasher())
    return io.BufferedReader(hashing, buffer_size=_HEAD_BUFFER), hashing.hasher


def _bytes_read(packed: BinaryIO) -> int:
    return packed.count if isinstance(packed, CountingReader) else packed.hasher.size
