"""One pass over a layer blob: its compression, digest, diff_id and tar entries, all at once.

The blob is read a single time from start to end. On the way up, the stored (possibly
compressed) bytes are hashed for the digest, inflated through the limits' guard, hashed again
as the tar for the diff_id (an uncompressed blob is hashed once: its digest *is* its diff_id)
and parsed into entries. A big blob is read in big chunks and each chunk hashed in a second
thread (``ReadAhead``), so the hashing overlaps with the reading and parsing. Only a tar the fast
header reader leaves to ``tarfile`` (sparse files, extended headers that readers disagree on,
damage) is read a second time.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, cast

from . import display
from .blob import Blob, decompressing_reader, detect_compression
from .digest import Digest, Hasher
from .entries import Entry
from .errors import LayerFormatError
from .fasttar import UnusualTar, read_members
from .limits import ImageEntryBudget, Limits, current_image_budget, decompression_errors, inflate_guard
from .streams import AnyStream, CountingReader, HashingReader, ReadAhead, drain
from .tario import scan_tar

_HEAD_BUFFER = 1 << 16
# Blobs at least this big are hashed in a second thread when there is a second core to run it.
READ_AHEAD_MIN = 8 << 20
_CORES = os.cpu_count() or 1


@dataclass(frozen=True)
class Scan:
    """What one pass found: the tar's entries and hash, the blob's compression and hash."""

    entries: "tuple[Entry, ...]"
    compression: "str | None"
    diff_id: Digest
    uncompressed_size: int
    blob_digest: Digest


def scan_blob(blob: Blob, where: str, limits: "Limits | None" = None) -> Scan:
    """Read ``blob`` once (twice only for a tar that needs ``tarfile``) and describe it.

    Inside ``image_entry_budget`` every entry also counts against the whole image's limit.
    """
    budget = current_image_budget()
    spent = budget.spent if budget is not None else 0
    try:
        return _one_pass(blob, where, limits, fast=True)
    except UnusualTar:
        if budget is not None:
            budget.spent = spent  # the second pass counts the same entries again
        return _one_pass(blob, where, limits, fast=False)


def _one_pass(blob: Blob, where: str, limits: "Limits | None", fast: bool) -> Scan:
    known = blob._digest
    with blob.open() as raw:
        if known is None and blob.size >= READ_AHEAD_MIN and _CORES > 1:
            with ReadAhead(raw, Hasher()) as ahead:
                # ReadAhead is an io reader: it reads like the BinaryIO it is typed as here
                packed = _Packed(cast(BinaryIO, ahead), ahead.peek, ahead.digest, ahead.tell)
                return _read(blob, packed, where, limits, fast)
        if known is None:
            hashing = HashingReader(raw, Hasher())
            hashed = io.BufferedReader(hashing, _HEAD_BUFFER)
            packed = _Packed(hashed, hashed.peek, hashing.hasher.digest, lambda: hashing.hasher.size)
        else:
            counting = CountingReader(raw)
            counted = io.BufferedReader(counting, _HEAD_BUFFER)
            packed = _Packed(counted, counted.peek, lambda: known, lambda: counting.count)
        return _read(blob, packed, where, limits, fast)


@dataclass(frozen=True)
class _Packed:
    """The blob's bytes as stored: a stream, its peek, its digest (known or hashed on the way), a count."""

    stream: BinaryIO
    peek: "Callable[[int], bytes]"
    digest: "Callable[[], Digest]"
    consumed: "Callable[[], int]"


def _read(blob: Blob, packed: _Packed, where: str, limits: "Limits | None", fast: bool) -> Scan:
    compression = detect_compression(packed.peek(4)[:4])
    if compression is None and limits is not None and blob.size > limits.max_bytes:
        raise limits.exceeded(where, "max_bytes", f"tar가 {display.human_size(blob.size)}")
    tar, tar_hasher = _tar_stream(packed, compression, where, limits)
    try:
        members = read_members(tar) if fast else None
        entries = tuple(
            _counted(scan_tar(tar, blob, compression, where, members=members, limits=limits), current_image_budget())
        )
        _to_end(tar)  # the tar's padding after its end block belongs to the diff_id too
        if compression is not None:
            _to_end(packed.stream)  # and bytes after the compressed stream to the digest
    except decompression_errors() as error:
        raise LayerFormatError(
            f"{where}: {compression or 'tar'} 데이터를 읽을 수 없습니다. 파일이 잘렸거나 손상되었습니다({error})."
        ) from None
    read = packed.consumed()
    if read != blob.size:
        raise LayerFormatError(
            f"{where}: 블롭이 {blob.size}바이트라는데 {read}바이트에서 끝났습니다. 파일이 잘렸습니다."
        )
    blob_digest = packed.digest()
    if tar_hasher is None:  # uncompressed: the blob bytes are the tar bytes
        return Scan(entries, None, blob_digest, read, blob_digest)
    return Scan(entries, compression, tar_hasher.digest(), tar_hasher.size, blob_digest)


def _counted(entries: "Iterable[Entry]", budget: "ImageEntryBudget | None") -> "Iterable[Entry]":
    return entries if budget is None else _charging(entries, budget)


def _charging(entries: "Iterable[Entry]", budget: ImageEntryBudget) -> "Iterator[Entry]":
    for entry in entries:
        budget.charge()  # before the entry is kept: memory stays bounded by the image's limit
        yield entry


def _tar_stream(
    packed: _Packed, compression: "str | None", where: str, limits: "Limits | None"
) -> "tuple[BinaryIO, Hasher | None]":
    """The stream of tar bytes, and the hasher of its diff_id (None: the blob's own hash is it)."""
    if compression is None:
        return packed.stream, None
    plain: AnyStream = decompressing_reader(packed.stream, compression)
    if limits is not None:
        plain = inflate_guard(plain, limits, where, packed.consumed)
    hashing = HashingReader(plain, Hasher())
    return io.BufferedReader(hashing, buffer_size=_HEAD_BUFFER), hashing.hasher


def _to_end(stream: BinaryIO) -> None:
    if isinstance(stream, ReadAhead):
        stream.seek(0, io.SEEK_END)  # skips without copying; the thread hashes every byte
    else:
        drain(stream)
