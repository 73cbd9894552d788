"""Blob: immutable bytes at rest (in memory or in a file region), read as streams.

Also the compression helpers shared by layers and archives: detection by content,
decompressing readers and deterministic compressors.
"""

from __future__ import annotations

import gzip
import io
import os
import tempfile
import weakref
from collections.abc import Callable
from typing import BinaryIO

from .digest import CHUNK_SIZE, Digest, Hasher
from .errors import LayerFormatError, UnsupportedError

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
GZIP_LEVEL = 6
ZSTD_LEVEL = 3
# Blobs up to this size produced by imagelib itself stay in memory; larger ones spill to disk.
MEMORY_LIMIT = 64 << 20


class Blob:
    """Bytes that never change, opened as a fresh stream each time they are read."""

    __slots__ = ("_open", "size", "_digest", "_keepalive", "__weakref__")

    def __init__(self, opener: Callable[[], BinaryIO], size: int, digest: "Digest | None" = None,
                 keepalive: object = None) -> None:
        self._open = opener
        self.size = size
        self._digest = digest
        self._keepalive = keepalive

    @classmethod
    def from_bytes(cls, data: bytes) -> "Blob":
        data = bytes(data)
        return cls(lambda: io.BytesIO(data), len(data), Digest.of_bytes(data), keepalive=data)

    @classmethod
    def from_file(cls, path: "str | os.PathLike", offset: int = 0, size: "int | None" = None,
                  digest: "Digest | None" = None, keepalive: object = None) -> "Blob":
        path = os.fspath(path)
        if size is None:
            size = os.path.getsize(path) - offset

        def opener() -> BinaryIO:
            handle = open(path, "rb")
            if offset == 0 and size == os.fstat(handle.fileno()).st_size:
                return handle
            handle.seek(offset)
            return LimitedReader(handle, size)

        return cls(opener, size, digest, keepalive)

    @classmethod
    def spool(cls, write: Callable[[BinaryIO], None], size_hint: int = 0) -> "Blob":
        """Let ``write`` fill a new blob; memory for small blobs, a temp file for big ones."""
        if size_hint <= MEMORY_LIMIT:
            buffer = io.BytesIO()
            write(buffer)
            return cls.from_bytes(buffer.getvalue())
        handle, path = tempfile.mkstemp(prefix="imagelib-blob-")
        with os.fdopen(handle, "wb") as out:
            hashing = HashingWriter(out)
            write(hashing)
        blob = cls.from_file(path, digest=hashing.hasher.digest())
        weakref.finalize(blob, _remove_quietly, path)
        return blob

    @property
    def digest(self) -> Digest:
        if self._digest is None:
            with self.open() as stream:
                self._digest, _ = Digest.of_stream(stream)
        return self._digest

    def open(self) -> BinaryIO:
        return self._open()

    def read(self) -> bytes:
        with self.open() as stream:
            return stream.read()


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


class LimitedReader(io.RawIOBase):
    """Reads at most ``size`` bytes of an underlying stream, then reports end of file."""

    def __init__(self, stream: BinaryIO, size: int) -> None:
        self._stream = stream
        self._left = self._size = size
        try:
            self._start = stream.tell() if stream.seekable() else None
        except (OSError, AttributeError):
            self._start = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        """Seekable when the underlying stream is: reading one file of a big archive jumps to it."""
        return self._start is not None

    def tell(self) -> int:
        return self._size - self._left

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if self._start is None:
            raise io.UnsupportedOperation("seek")
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.tell(), io.SEEK_END: self._size}[whence]
        target = max(0, min(base + offset, self._size))
        self._stream.seek(self._start + target)
        self._left = self._size - target
        return target

    def readinto(self, buffer) -> int:
        if self._left <= 0:
            return 0
        count = read_into(self._stream, memoryview(buffer)[: min(len(buffer), self._left)])
        self._left -= count
        return count

    def close(self) -> None:
        self._stream.close()
        super().close()


def file_region(stream: BinaryIO) -> "tuple[int, int, int] | None":
    """Where a stream's bytes lie in a real file: (file descriptor, offset of its start, size).

    Only for a file opened by ``Blob.from_file`` and not read yet; None for anything else
    (memory, decompressing readers), whose bytes exist only as they are read.
    """
    inner, start, size = stream, 0, None
    if isinstance(stream, LimitedReader):
        if stream._start is None or stream.tell() != 0:
            return None
        inner, start, size = stream._stream, stream._start, stream._size
    if not isinstance(inner, (io.BufferedReader, io.FileIO)):
        return None
    try:
        descriptor = inner.fileno()
        if size is None:
            start = inner.tell()
            size = os.fstat(descriptor).st_size - start
    except (OSError, ValueError):
        return None
    return descriptor, start, size


def read_into(stream: BinaryIO, view: memoryview) -> int:
    """Fill ``view`` from ``stream`` (its readinto when it has one, else read); bytes read."""
    if hasattr(stream, "readinto"):
        return stream.readinto(view) or 0
    data = stream.read(len(view))
    view[: len(data)] = data
    return len(data)


class HashingReader(io.RawIOBase):
    """Passes reads through while hashing and counting every byte."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.hasher = Hasher()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        view = memoryview(buffer)
        count = read_into(self._stream, view)
        self.hasher.update(view[:count])  # hash in place: no copy of the chunk
        return count

    def drain(self) -> None:
        while self.read(CHUNK_SIZE):
            pass


class HashingWriter(io.RawIOBase):
    """Passes writes through while hashing and counting every byte."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.hasher = Hasher()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self._stream.write(data)
        self.hasher.update(data)
        return len(data)


def detect_compression(prefix: bytes) -> "str | None":
    """Name the compression of a stream from its first bytes: 'gzip', 'zstd' or None (plain)."""
    if prefix.startswith(GZIP_MAGIC):
        return "gzip"
    if prefix.startswith(ZSTD_MAGIC):
        return "zstd"
    return None


def peek_compression(blob: Blob) -> "str | None":
    with blob.open() as stream:
        return detect_compression(stream.read(4))


def decompressing_reader(stream: BinaryIO, compression: "str | None") -> BinaryIO:
    """A reader of the uncompressed bytes of ``stream``."""
    if compression is None:
        return stream
    if compression == "gzip":
        return gzip.GzipFile(fileobj=stream, mode="rb")
    if compression == "zstd":
        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(stream, closefd=True)
    raise UnsupportedError(f"압축 방식 {compression!r}은(는) 지원하지 않습니다. gzip이나 zstd를 쓰세요.")


def open_uncompressed(blob: Blob, compression: "str | None") -> BinaryIO:
    return decompressing_reader(blob.open(), compression)


def compress_stream(source: BinaryIO, out: BinaryIO, compression: str) -> None:
    """Compress ``source`` into ``out`` deterministically (fixed level, no name, mtime 0)."""
    if compression == "gzip":
        with gzip.GzipFile(filename="", fileobj=out, mode="wb", compresslevel=GZIP_LEVEL,
                           mtime=0) as packed:
            _copy(source, packed)
    elif compression == "zstd":
        import zstandard

        compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_content_size=False)
        with compressor.stream_writer(out, closefd=False) as packed:
            _copy(source, packed)
    else:
        raise UnsupportedError(
            f"압축 방식 {compression!r}은(는) 지원하지 않습니다. 'gzip'이나 'zstd'를 고르세요.")


def _copy(source: BinaryIO, target: BinaryIO) -> None:
    while chunk := source.read(CHUNK_SIZE):
        target.write(chunk)


def skip_to(stream: BinaryIO, offset: int, what: str) -> None:
    """Move a forward-only stream to ``offset`` bytes from its start."""
    try:
        if stream.seekable():
            stream.seek(offset)
            return
    except (OSError, AttributeError):
        pass
    left = offset
    while left > 0:
        chunk = stream.read(min(left, CHUNK_SIZE))
        if not chunk:
            raise LayerFormatError(f"{what}: 레이어가 예상보다 일찍 끝났습니다(잘린 파일).")
        left -= len(chunk)
