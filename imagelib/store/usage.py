"""``docker system df -v``'s image rows, modeled: an engine keeps each layer once per ChainID, so
a layer whose chain two images have is stored once and counted as shared by both.

The engine's size of a layer is what its unpacked folder holds (moby's ``directory.Size`` on the
layer's ``diff/``): file contents, a hard-linked file once, and the length of each symlink's
target; folders and whiteouts count nothing. Compressed blob sizes are not used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .. import display
from ..digest import Digest
from ..entries import File, Symlink
from ..image import Image
from ..layer import Layer


@dataclass(frozen=True)
class ImageUsage:
    """``docker system df -v`` 의 이미지 한 줄: 크기(SIZE) 중 다른 이미지와 함께 쓰는 몫(SHARED SIZE)과 혼자 쓰는 몫."""

    names: "tuple[str, ...]"
    id: Digest
    size: int
    shared_size: int

    @property
    def unique_size(self) -> int:
        """이 이미지만 쓰는 레이어의 크기(UNIQUE SIZE = SIZE - SHARED SIZE)."""
        return self.size - self.shared_size

    def __str__(self) -> str:
        name = self.names[0] if self.names else "<none>"
        sizes = (display.human_size(s) for s in (self.size, self.shared_size, self.unique_size))
        return "{}  {}  크기 {}  공유 {}  고유 {}".format(name, self.id.short, *sizes)


def layer_disk_size(layer: Layer) -> int:
    """엔진이 레이어 폴더(``diff/``)의 크기로 세는 바이트: 파일 내용과 심볼릭 링크 대상 이름의 길이."""
    return sum(
        entry.size if isinstance(entry, File) else len(entry.target.encode("utf-8", "surrogateescape"))
        for entry in layer.entries
        if isinstance(entry, (File, Symlink))
    )


def usage_by_image(images: "Sequence[tuple[tuple[str, ...], Image]]") -> "list[ImageUsage]":
    """(이름들, 이미지) 목록의 이미지마다 크기·공유 크기를 셉니다. 공유는 레이어가 아니라 ChainID로 셉니다."""
    users = Counter(chain for _, image in images for chain in set(image.chain_ids))
    rows = []
    for names, image in images:
        sizes = [(chain, layer_disk_size(layer)) for chain, layer in zip(image.chain_ids, image.layers, strict=True)]
        shared = sum(size for chain, size in sizes if users[chain] > 1)
        rows.append(ImageUsage(names, image.id, sum(size for _, size in sizes), shared))
    return rows
