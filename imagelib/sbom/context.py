"""What every reader gets: the image's layers, the limits and the distribution it names."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ImageLibError
from ..filetree import FileTree, TreeEntry
from ..limits import Limits
from .records import open_record, text_lines

if TYPE_CHECKING:
    from ..layer import Layer

OS_RELEASE_PATHS = ("etc/os-release", "usr/lib/os-release")


@dataclass(frozen=True)
class ReadContext:
    layers: "Sequence[Layer]"
    limits: Limits
    distro: str
    """``ID`` of /etc/os-release, lower case ("alpine", "debian", "ubuntu"), or "" if none."""


def distro_id(tree: FileTree, limits: Limits) -> str:
    """The ``ID=`` of the image's os-release file (followed through its symlink), or ""."""
    for path in OS_RELEASE_PATHS:
        try:
            node = _file_behind(tree, path)
        except ImageLibError:  # a missing or odd os-release only leaves the purl namespace at its default
            continue
        if node is None:
            continue
        for line in text_lines(open_record(node, limits), "/" + path):
            key, _, value = line.partition("=")
            if key.strip() == "ID":
                return value.strip().strip("\"'").lower()
    return ""


def _file_behind(tree: FileTree, path: str) -> "TreeEntry | None":
    if not tree.exists(path):
        return None
    node = tree.entry(path)
    hops = 0
    while node.kind == "symlink" and hops < 8:
        # resolved inside the image: ".." stops at its root, as the kernel does in a container
        path = posixpath.normpath(posixpath.join("/" + path.rpartition("/")[0], node.target or "")).lstrip("/")
        if not tree.exists(path):
            return None
        node = tree.entry(path)
        hops += 1
    return node if node.kind in ("file", "hardlink") else None
