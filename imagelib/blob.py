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
from typing import BinaryIO, cast

from .digest import Digest, Hasher
from .errors import UnsupportedError
from .streams import ClosingReader, HashingWriter, LimitedReader, copy

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
GZIP_LEVEL = 6
ZSTD_LEVEL = 3
# Blobs up to this size produced by imagelib itself stay in memory; larger ones spill to disk.
MEMORY_LIMIT = 64 << 20


class Blob:
    """Bytes that never change, opened as a fresh stream each time they are read."""

    __slots__ = ("_open", "size", "_digest", "_keepalive", "__weakref__")

    def __init__(
        self, opener: Callable[[], BinaryIO], size: int, digest: "Digest | None" = None, keepalive: object = None
    ) -> None:
        self._open = opener
        self.size = size
        self._digest = digest
        self._keepalive = keepalive

    @classmethod
    def from_bytes(cls, data: bytes) -> "Blob":
        data = bytes(data)
        return cls(lambda: io.BytesIO(data), len(data), Digest.of_bytes(data), keepalive=data)

    @classmethod
    def from_file(
        cls,
        path: "str | os.PathLike[str]",
        offset: int = 0,
        size: "int | None" = None,
        digest: "Digest | None" = None,
        keepalive: object = None,
    ) -> "Blob":
        path = os.fspath(path)
        if size is None:
            size = os.path.getsize(path) - offset

        def opener() -> BinaryIO:
            handle = open(path, "rb")
            if offset == 0 and size == os.fstat(handle.fileno()).st_size:
                return handle
            handle.seek(offset)
            return cast(BinaryIO, LimitedReader(handle, size))  # an io reader, typed as the file it reads

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
            hashing = HashingWriter(out, Hasher())
            write(cast(BinaryIO, hashing))
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
        return cast(BinaryIO, ClosingReader(gzip.GzipFile(fileobj=stream, mode="rb"), stream))
    if compression == "zstd":
        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(stream, closefd=True)
    raise UnsupportedError(f"압축 방식 {compression!r}은(는) 지원하지 않습니다. gzip이나 zstd를 쓰세요.")


def open_uncompressed(blob: Blob, compression: "str | None") -> BinaryIO:
    return decompressing_reader(blob.open(), compression)


def compress_stream(source: BinaryIO, out: BinaryIO, compression: str) -> None:
    """Compress ``source`` into ``out`` deterministically (fixed level, no name, mtime 0)."""
    if compression == "gzip":
        with gzip.GzipFile(filename="", fileobj=out, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as packed:
            copy(source, packed)
    elif compression == "zstd":
        import zstandard

        compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_content_size=False)
        with compressor.stream_writer(out, closefd=False) as packed:
            copy(source, packed)
    else:
        raise UnsupportedError(f"압축 방식 {compression!r}은(는) 지원하지 않습니다. 'gzip'이나 'zstd'를 고르세요.")
