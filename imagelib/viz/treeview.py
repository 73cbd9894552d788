"""A short list of rows summarising a merged file tree: every entry when few, else directories."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..filetree import FileTree, TreeEntry


@dataclass(frozen=True)
class TreeRow:
    """One row: a single entry, or a directory standing for ``count`` entries below it."""

    path: str
    kind: str  # entry kind, or "group" for a summarised directory
    layers: "tuple[int, ...]"  # image layer indices providing the entries, most entries first
    count: int
    size: int

    @property
    def layer(self) -> int:
        return self.layers[0]

    @property
    def is_group(self) -> bool:
        return self.kind == "group"


@dataclass(frozen=True)
class TreeRows:
    rows: "tuple[TreeRow, ...]"
    left_out: int  # entries not shown in any row
    total: int  # entries summarised (files, links and empty folders)


def tree_rows(tree: FileTree, layer_map: "Sequence[int] | None" = None, max_rows: int = 16) -> TreeRows:
    """Rows for ``tree``. ``layer_map[i]`` is the image layer index of the tree's i-th layer
    (trees built from a selection of layers count their layers from 0)."""
    items = _leaves(tree)

    def original(index: int) -> int:
        return layer_map[index] if layer_map is not None else index

    if len(items) <= max_rows:
        rows = [_single(item, original) for item in items]
        return TreeRows(tuple(rows), 0, len(items))
    depth = _group_depth(items, max_rows)
    groups: "dict[str, list[TreeEntry]]" = {}
    for item in items:
        groups.setdefault(_group_key(item.path, depth), []).append(item)
    rows = []
    for key, members in groups.items():
        if len(members) == 1 and members[0].path == key:
            rows.append(_single(members[0], original))
        else:
            counts = Counter(original(m.layer_index) for m in members)
            layers = tuple(sorted(counts, key=lambda i: (-counts[i], i)))
            rows.append(TreeRow(key, "group", layers, len(members), sum(_own_bytes(m) for m in members)))
    if len(rows) > max_rows:
        kept = rows[: max_rows - 1]
        return TreeRows(tuple(kept), len(items) - sum(r.count for r in kept), len(items))
    return TreeRows(tuple(rows), 0, len(items))


def _leaves(tree: FileTree) -> "list[TreeEntry]":
    """Files, links and empty folders, in path order (folders with content are implied by it)."""
    nodes = list(tree.walk())
    parents = {node.path.rpartition("/")[0] for node in nodes}
    return [node for node in nodes if node.kind != "dir" or node.path not in parents]


def _single(item: TreeEntry, original) -> TreeRow:
    return TreeRow(item.path, item.kind, (original(item.layer_index),), 1, _own_bytes(item))


def _own_bytes(item: TreeEntry) -> int:
    # A hard link shares its target's bytes: counting them again would inflate the folder's size.
    return item.size if item.kind == "file" else 0


def _group_key(path: str, depth: int) -> str:
    parts = path.split("/")
    return "/".join(parts[:depth]) if len(parts) > depth else path


def _group_depth(items: "list[TreeEntry]", max_rows: int) -> int:
    deepest = max(item.path.count("/") + 1 for item in items)
    best = 1
    for depth in range(1, deepest + 1):
        if len({_group_key(item.path, depth) for item in items}) > max_rows:
            break
        best = depth
    return best
