"""Sparse tar members (GNU tar ``--sparse``): their map of data regions and their expanded bytes.

A sparse member stores only the regions of the file that hold data; the map (in the old GNU
header, in PAX records, or, for PAX sparse 1.0, in front of the data) says where each region
goes. The file reads as those regions with zeros in the holes, as GNU tar and Go's archive/tar
extract it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, BinaryIO

from .entries import Content
from .errors import LayerFormatError
from .streams import read_into

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer


def checked_regions(regions: "Iterable[tuple[int, int]]", size: int, what: str) -> "tuple[tuple[int, int], ...]":
    """The data regions in file order, without empty ones; a map Go would refuse is refused.

    Regions must lie inside the file and follow each other without overlapping (Go's
    ``validateSparseEntries``).
    """
    kept = tuple((offset, length) for offset, length in regions if length)
    end = 0
    for offset, length in kept:
        if offset < end or length < 0 or offset + length > size:
            raise LayerFormatError(
                f"{what}: 희소 파일(sparse)의 지도가 잘못되었습니다(영역 {offset}+{length}바이트가 "
                f"겹치거나 파일 크기 {size}바이트를 넘습니다)."
            )
        end = offset + length
    return kept


class SparseContent:
    """The expanded bytes of a sparse member: its stored regions, zeros between them."""

    __slots__ = ("_packed", "_regions", "size")

    def __init__(self, packed: Content, regions: "tuple[tuple[int, int], ...]", size: int) -> None:
        self._packed, self._regions, self.size = packed, regions, size

    def open(self) -> BinaryIO:
        return io.BufferedReader(_Expanding(self._packed.open(), self._regions, self.size))


class _Expanding(io.RawIOBase):
    def __init__(self, packed: BinaryIO, regions: "tuple[tuple[int, int], ...]", size: int) -> None:
        self._packed, self._regions, self._size = packed, regions, size
        self._position = 0
        self._next = 0  # index of the first region that does not end before the position

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")
        while self._next < len(self._regions) and sum(self._regions[self._next]) <= self._position:
            self._next += 1
        if self._next == len(self._regions):
            return self._fill_zeros(view, self._size - self._position)
        offset, length = self._regions[self._next]
        if self._position < offset:
            return self._fill_zeros(view, offset - self._position)
        wanted = min(len(view), offset + length - self._position)
        count = read_into(self._packed, view[:wanted])
        if count <= 0:
            raise LayerFormatError("희소 파일(sparse)의 내용이 지도보다 짧습니다. 레이어가 잘렸습니다.")
        self._position += count
        return count

    def _fill_zeros(self, view: memoryview, available: int) -> int:
        count = min(len(view), available)
        view[:count] = bytes(count)
        self._position += count
        return count

    def close(self) -> None:
        self._packed.close()
        super().close()
