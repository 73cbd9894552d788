"""Atomic file writes: a temp file in the target's own folder, fsync, then rename.

A crash or an error leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

TEMP_PREFIX = ".imagelib-tmp-"


@contextmanager
def atomic_file(path: str, mode: int = 0o644) -> Iterator[BinaryIO]:
    """Yield a file to write; on success it replaces ``path`` in one rename, on error it vanishes."""
    folder = os.path.dirname(path) or "."
    handle, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        _remove_quietly(temp)
        raise
    fsync_folder(folder)


def write_atomic(path: str, data: bytes) -> None:
    with atomic_file(path) as out:
        out.write(data)


def fsync_folder(folder: str) -> None:
    """Make a rename inside ``folder`` durable (not possible on every platform)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def is_temp_name(name: str) -> bool:
    return name.startswith(TEMP_PREFIX)


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


class FolderLock:
    """An exclusive, re-entrant lock on a folder shared by processes: ``flock`` on the folder itself.

    No lock file is added to the folder (an OCI layout stays exactly a layout). Where ``fcntl``
    is missing (Windows) or the file system refuses ``flock``, the lock does nothing.
    """

    def __init__(self, folder: str) -> None:
        self._folder = folder
        self._depth = 0
        self._handle: "int | None" = None

    def __enter__(self) -> "FolderLock":
        if self._depth == 0:
            self._handle = _lock(self._folder)
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._handle is not None:
            os.close(self._handle)  # closing the descriptor releases the flock
            self._handle = None


def _lock(folder: str) -> "int | None":
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
    except OSError:
        os.close(handle)
        return None
    return handle
