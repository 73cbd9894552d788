"""Stream primitives: reading into buffers, copying, skipping, limited, counting and hashing streams.

Everything that moves bytes from one stream to another goes through here, in chunks of at
most ``CHUNK_SIZE``, so no caller ever holds a whole layer or archive in memory. Hashers are
passed in (anything with ``update``), which keeps this module free of the rest of the package.
"""

from __future__ import annotations

import io
import os
import queue
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, BinaryIO, TypeAlias

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

    from .digest import Digest, Hasher

CHUNK_SIZE = 1 << 20
# A stream of bytes: what the package passes around (BinaryIO), or an io object typing does not
# count as one (the readers below, gzip.GzipFile).
AnyStream: TypeAlias = BinaryIO | io.RawIOBase | io.BufferedIOBase


def read_into(stream: AnyStream, view: memoryview) -> int:
    """Fill ``view`` from ``stream`` once (its readinto when it has one, else read); bytes read."""
    if hasattr(stream, "readinto"):
        return stream.readinto(view) or 0
    data = stream.read(len(view))
    view[: len(data)] = data
    return len(data)


def read_up_to(stream: BinaryIO, size: int) -> bytes:
    """The next ``size`` bytes, fewer only where the stream ends (short reads are retried)."""
    first = stream.read(size)
    if len(first) == size or not first:
        return first
    parts, left = [first], size - len(first)
    while left > 0 and (data := stream.read(min(left, CHUNK_SIZE))):
        parts.append(data)
        left -= len(data)
    return b"".join(parts)


def copy(source: BinaryIO, target: AnyStream, size: "int | None" = None) -> int:
    """Copy ``source`` to ``target`` (all of it, or at most ``size`` bytes); bytes copied."""
    copied = 0
    while size is None or copied < size:
        chunk = source.read(CHUNK_SIZE if size is None else min(CHUNK_SIZE, size - copied))
        if not chunk:
            break
        target.write(chunk)
        copied += len(chunk)
    return copied


def skip(stream: AnyStream, count: int, buffer: "bytearray | None" = None) -> int:
    """Read and drop the next ``count`` bytes (``count < 0``: up to the end); bytes skipped.

    Fewer than ``count`` means the stream ended first. ``buffer`` is scratch space a caller
    that skips often can lend, so no new chunk is made per call.
    """
    if buffer is None:
        buffer = bytearray(CHUNK_SIZE if count < 0 else min(count, CHUNK_SIZE))
    view = memoryview(buffer)
    skipped = 0
    while count < 0 or skipped < count:
        wanted = len(view) if count < 0 else min(len(view), count - skipped)
        got = read_into(stream, view[:wanted])
        if not got:
            break
        skipped += got
    return skipped


def drain(stream: AnyStream) -> int:
    """Read a stream to its end (so every byte passes through the readers under it); bytes read."""
    return skip(stream, -1)


def seek_forward(stream: AnyStream, offset: int) -> bool:
    """Move a stream to ``offset`` bytes from its start: seek when it can, else read forward.

    False when the stream ends before ``offset``.
    """
    try:
        if stream.seekable():
            stream.seek(offset)
            return True
    except (OSError, AttributeError):
        pass
    return skip(stream, offset) == offset


class _Reader(io.RawIOBase):
    """A raw reader over another stream; closing it closes that stream."""

    def __init__(self, stream: AnyStream) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
        super().close()


class LimitedReader(_Reader):
    """Reads at most ``size`` bytes of an underlying stream, then reports end of file.

    Seekable within its window when the underlying stream is (reading one file of a big archive
    jumps to it). With ``owns=False`` closing it leaves the underlying stream open.
    """

    def __init__(self, stream: AnyStream, size: int, owns: bool = True) -> None:
        super().__init__(stream)
        self._left = self._size = size
        self._owns = owns
        try:
            self._start = stream.tell() if stream.seekable() else None
        except (OSError, AttributeError):
            self._start = None

    def seekable(self) -> bool:
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

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        if self._left <= 0:
            return 0
        view = memoryview(buffer)
        count = read_into(self._stream, view[: min(len(view), self._left)])
        self._left -= count
        return count

    def close(self) -> None:
        if self._owns:
            super().close()
        else:
            io.RawIOBase.close(self)


class CountingReader(_Reader):
    """Passes reads through and counts the bytes; ``on_read(count)`` hears of every read.

    The callback may raise to stop reading (a limit check) or just watch (a progress bar).
    """

    def __init__(self, stream: AnyStream, on_read: "Callable[[int], object] | None" = None) -> None:
        super().__init__(stream)
        self.count = 0
        self._on_read = on_read

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        count = read_into(self._stream, memoryview(buffer))
        self.count += count
        if self._on_read is not None:
            self._on_read(count)
        return count


class HashingReader(_Reader):
    """Passes reads through while feeding every byte to ``hasher`` (in place, no copy)."""

    def __init__(self, stream: AnyStream, hasher: Hasher) -> None:
        super().__init__(stream)
        self.hasher = hasher

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer)
        count = read_into(self._stream, view)
        self.hasher.update(view[:count])
        return count


class HashingWriter(io.RawIOBase):
    """Passes writes through while feeding every byte to ``hasher``; closing leaves the target open."""

    def __init__(self, stream: AnyStream, hasher: Hasher) -> None:
        self._stream = stream
        self.hasher = hasher

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        view = memoryview(data)
        self._stream.write(view)
        self.hasher.update(view)
        return len(view)


class DescriptorWriter(io.RawIOBase):
    """Writes to an open file descriptor, retrying partial writes; never closes it."""

    def __init__(self, descriptor: int) -> None:
        self._descriptor = descriptor

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        view, written = memoryview(data), 0
        while written < len(view):
            written += os.write(self._descriptor, view[written:])
        return written


class ClosingReader(_Reader):
    """A reader that also closes ``also`` when closed (gzip leaves the stream it reads open)."""

    def __init__(self, stream: AnyStream, also: AnyStream) -> None:
        super().__init__(stream)
        self._also = also

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        return read_into(self._stream, memoryview(buffer))

    def close(self) -> None:
        if not self.closed:
            self._also.close()
        super().close()


def file_region(stream: AnyStream) -> "tuple[int, int, int] | None":
    """Where a stream's bytes lie in a real file: (file descriptor, offset of its start, size).

    Only for a file (or a ``LimitedReader`` window of one) not read yet; None for anything
    else (memory, decompressing readers), whose bytes exist only as they are read.
    """
    inner: AnyStream = stream
    start, size = 0, None
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


class ReadAhead(io.RawIOBase):
    """Reads a stream in big chunks and hashes every chunk in a second thread, while the reader
    works on the same bytes (parsing them, say).

    The reading thread copies each chunk in (a read releases the GIL) and hands it to the hashing
    thread (hashing big chunks releases it too), then reads from it: the bytes hashed are the
    bytes read, read once, and on two cores the hash costs the reader almost nothing. At most
    ``depth`` chunks are held at once; a chunk is read again into only after it was hashed.
    ``digest()`` waits for the last chunk's hash. Seeking goes forward only (from the current
    position or to the end), reading and hashing what it passes but copying nothing out.
    Closing stops the thread after the chunks already handed to it; the underlying stream is
    left to its owner.
    """

    def __init__(self, stream: AnyStream, hasher: Hasher, chunk: int = 4 * CHUNK_SIZE, depth: int = 3) -> None:
        self.hasher = hasher
        self._stream = stream
        _SWITCHES.enter()
        # Made here, not in the thread: made in a new thread per layer, they came from a new
        # malloc arena each time and the peak memory of reading an image grew by half.
        self._unused = [bytearray(chunk) for _ in range(depth)]
        self._to_hash: "queue.Queue[tuple[bytearray, int] | None]" = queue.Queue()
        self._hashed: "queue.Queue[bytearray]" = queue.Queue()
        self._view, self._offset, self._position, self._ended = memoryview(b""), 0, 0, False
        self._failed: "BaseException | None" = None
        self._thread = threading.Thread(target=self._hash, daemon=True)
        self._thread.start()

    def _hash(self) -> None:
        while (item := self._to_hash.get()) is not None:
            buffer, count = item
            try:
                if self._failed is None:
                    self.hasher.update(memoryview(buffer)[:count])
            except BaseException as error:  # raised again by digest(), in the reading thread
                self._failed = error
            self._hashed.put(buffer)
            self._to_hash.task_done()
        self._to_hash.task_done()

    def _next_chunk(self) -> bool:
        """Read the next chunk and hand it to the hashing thread; False at the end of the stream."""
        self._view = memoryview(b"")
        self._offset = 0
        if self._ended:
            return False
        # The reader is done with every chunk handed out so far, so one the thread has hashed is free.
        buffer = self._unused.pop() if self._unused else self._hashed.get()
        view = memoryview(buffer)
        count = 0
        try:
            while count < len(view) and (got := read_into(self._stream, view[count:])):
                count += got
        except BaseException:
            self._unused.append(buffer)
            self._ended = True
            raise
        self._ended = count < len(view)
        self._to_hash.put((buffer, count))
        self._view = view[:count]
        return count > 0

    def digest(self) -> Digest:
        """The hash of every byte read so far, once the thread has hashed them all."""
        self._to_hash.join()
        if self._failed is not None:
            raise self._failed
        return self.hasher.digest()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def peek(self, size: int = 1) -> bytes:
        """Up to ``size`` next bytes (fewer at a chunk's end), without moving past them."""
        while self._offset >= len(self._view):
            if not self._next_chunk():
                return b""
        return bytes(self._view[self._offset : self._offset + size])

    def read(self, size: "int | None" = -1, /) -> bytes:
        """The next ``size`` bytes (all to the end when ``size`` is None or negative)."""
        end = self._offset + size if size is not None and size >= 0 else -1
        if 0 <= end <= len(self._view):  # the common case: a tar header inside the current chunk
            data = bytes(self._view[self._offset : end])
            self._offset = end
            self._position += len(data)
            return data
        return super().read(-1 if size is None else size) or b""

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        """Fill ``buffer`` across chunks; short only at the end of the stream."""
        target = memoryview(buffer)
        done = 0
        while done < len(target):
            if self._offset >= len(self._view) and not self._next_chunk():
                break
            count = min(len(target) - done, len(self._view) - self._offset)
            target[done : done + count] = self._view[self._offset : self._offset + count]
            self._offset += count
            done += count
        self._position += done
        return done

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_END:
            self._skip(None)
            return self._position
        target = offset if whence == io.SEEK_SET else self._position + offset
        if target < self._position:
            raise io.UnsupportedOperation("ReadAhead seeks forward only")
        step = target - self._position
        if self._offset + step <= len(self._view):  # the common case: within the current chunk
            self._offset += step
            self._position = target
        else:
            self._skip(step)
        return self._position

    def _skip(self, count: "int | None") -> None:
        """Move forward ``count`` bytes (None: to the end), fewer where the stream ends."""
        while count is None or count > 0:
            left = len(self._view) - self._offset
            if not left:
                if not self._next_chunk():
                    return
                continue
            step = left if count is None else min(count, left)
            self._offset += step
            self._position += step
            if count is not None:
                count -= step

    def close(self) -> None:
        if not self.closed:
            self._to_hash.put(None)  # the thread stops at it, after the chunks handed to it
            self._thread.join()
            _SWITCHES.leave()
        super().close()


class _QuickSwitches:
    """A shorter GIL switch interval while any ``ReadAhead`` runs, restored after the last one.

    The hashing thread needs the GIL only for moments between long GIL-free hashes, but with the
    default interval (5 ms) it waits up to that long each time behind a reader busy parsing, and
    the hashing falls behind. A short interval adds few switches: the parser is asked to let go
    only when the hashing thread is waiting for the GIL (about twice per chunk). The interval is
    the interpreter's, so the first ``ReadAhead`` sets it and the last one to close puts the old
    value back.
    """

    INTERVAL = 0.0001

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved = 0.0

    def enter(self) -> None:
        with self._lock:
            if self._users == 0:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, self.INTERVAL))
            self._users += 1

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                sys.setswitchinterval(self._saved)


_SWITCHES = _QuickSwitches()
