"""A short list of rows summarising a merged file tree: every entry when few, else folders opened
where the story is.

When the tree has more entries than rows, folders are shown as one row each ("/etc/ — 18개") and
opened one by one: first the folders that hold the *focus* layer's entries (by default the top
layer, the step the figure is about), down to those entries, then any folder that still fits,
newest layers first. Rows that do not fit are left out, single entries of old layers first, and
named in ``TreeRows.hidden``; rows with focus entries are never left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
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
    def newest(self) -> int:
        return max(self.layers)

    @property
    def is_group(self) -> bool:
        return self.kind == "group"


@dataclass(frozen=True)
class TreeRows:
    rows: "tuple[TreeRow, ...]"
    left_out: int  # entries not shown in any row
    total: int  # entries summarised (files, links and empty folders)
    hidden: "tuple[TreeRow, ...]" = ()  # the rows left out, in path order


def tree_rows(
    tree: FileTree,
    layer_map: "Sequence[int] | None" = None,
    max_rows: int = 16,
    focus: "int | None" = None,
    size_of: "Callable[[TreeEntry], int] | None" = None,
) -> TreeRows:
    """Rows for ``tree``. ``layer_map[i]`` is the image layer index of the tree's i-th layer
    (trees built from a selection of layers count their layers from 0). ``focus`` is the image
    layer whose entries must stay visible (default: the topmost layer that shows an entry).
    ``size_of`` measures an entry (default: its bytes; a hard link counts none)."""
    items = _leaves(tree)
    measure = size_of or own_bytes

    def original(index: int) -> int:
        return layer_map[index] if layer_map is not None else index

    if len(items) <= max_rows:
        return TreeRows(tuple(_single(item, original, measure) for item in items), 0, len(items))
    layer_of = [original(item.layer_index) for item in items]
    if focus is None:
        focus = max(layer_of)
    folders = _Folders([item.path for item in items], layer_of, focus)
    folders.open_focus(max(1, max_rows // 3))
    folders.open_while_fits(max_rows)
    groups = folders.groups()
    rows = [_row(members, items, original, measure) for members in groups]
    if len(rows) <= max_rows:
        return TreeRows(tuple(rows), 0, len(items))
    keep = _most_telling(rows, [any(layer_of[i] == focus for i in m) for m in groups], max_rows - 1)
    shown = tuple(row for i, row in enumerate(rows) if i in keep)
    hidden = tuple(row for i, row in enumerate(rows) if i not in keep)
    return TreeRows(shown, sum(row.count for row in hidden), len(items), hidden)


class _Folders:
    """The rows as a frontier of paths: a leaf, or a folder not opened (standing for its leaves)."""

    def __init__(self, paths: "list[str]", layers: "list[int]", focus: int) -> None:
        self.paths = paths
        self.children: "dict[str, dict[str, None]]" = {}  # ordered sets
        self.leaves: "Counter[str]" = Counter()
        self.newest: "dict[str, int]" = {}
        self.focused: "set[str]" = set()
        for path, layer in zip(paths, layers, strict=True):
            parts = path.split("/")
            for depth in range(len(parts)):
                folder, child = "/".join(parts[:depth]), "/".join(parts[: depth + 1])
                self.children.setdefault(folder, {})[child] = None
                self.leaves[child] += 1
                self.newest[child] = max(self.newest.get(child, layer), layer)
                if layer == focus:
                    self.focused.add(child)
        self.frontier: "list[str]" = list(self.children[""])

    def closed(self) -> "list[str]":
        return [path for path in self.frontier if self.leaves[path] > 1]

    def opened(self, folder: str) -> "list[str]":
        """The frontier with ``folder`` opened (through folders that hold a single folder)."""
        inside = list(self.children[folder])
        while len(inside) == 1 and inside[0] in self.children and self.leaves[inside[0]] > 1:
            inside = list(self.children[inside[0]])
        at = self.frontier.index(folder)
        return self.frontier[:at] + inside + self.frontier[at + 1 :]

    def open_focus(self, focus_rows: int) -> None:
        tried: "set[str]" = set()
        while True:
            candidates = [p for p in self.closed() if p in self.focused and p not in tried]
            if not candidates:
                return
            folder = min(candidates, key=lambda p: (p.count("/"), p))
            tried.add(folder)
            frontier = self.opened(folder)
            if sum(1 for p in frontier if p in self.focused) <= focus_rows:
                self.frontier = frontier

    def open_while_fits(self, max_rows: int) -> None:
        tried: "set[str]" = set()
        while True:
            candidates = [p for p in self.closed() if p not in tried]
            if not candidates:
                return
            folder = min(candidates, key=lambda p: (-self.newest[p], self.leaves[p], p))
            tried.add(folder)
            frontier = self.opened(folder)
            if len(frontier) <= max_rows:
                self.frontier = frontier

    def groups(self) -> "list[list[int]]":
        """Leaf indices of each row, in path order."""
        row_of = {path: row for row, path in enumerate(self.frontier)}
        members: "list[list[int]]" = [[] for _ in self.frontier]
        for index, path in enumerate(self.paths):
            parts = path.split("/")
            for depth in range(1, len(parts) + 1):
                row = row_of.get("/".join(parts[:depth]))
                if row is not None:
                    members[row].append(index)
                    break
        return [m for m in members if m]


def _most_telling(rows: "list[TreeRow]", has_focus: "list[bool]", room: int) -> "set[int]":
    """Indices of the rows to keep: focus rows, then the biggest folders, then newest layers."""
    ranked = sorted(range(len(rows)), key=lambda i: (not has_focus[i], -rows[i].count, -rows[i].newest, i))
    return set(ranked[: max(room, sum(has_focus))])


def _row(members: "list[int]", items: "list[TreeEntry]", original, measure) -> TreeRow:
    if len(members) == 1:
        return _single(items[members[0]], original, measure)
    entries = [items[i] for i in members]
    counts = Counter(original(entry.layer_index) for entry in entries)
    layers = tuple(sorted(counts, key=lambda i: (-counts[i], i)))
    return TreeRow(_common_folder(entries), "group", layers, len(entries), sum(measure(e) for e in entries))


def _common_folder(entries: "list[TreeEntry]") -> str:
    folders = [entry.path.split("/")[:-1] for entry in entries]
    common = folders[0]
    for parts in folders[1:]:
        depth = 0
        while depth < min(len(common), len(parts)) and common[depth] == parts[depth]:
            depth += 1
        common = common[:depth]
    return "/".join(common)


def _leaves(tree: FileTree) -> "list[TreeEntry]":
    """Files, links and empty folders, in path order (folders with content are implied by it)."""
    nodes = list(tree.walk())
    parents = {node.path.rpartition("/")[0] for node in nodes}
    return [node for node in nodes if node.kind != "dir" or node.path not in parents]


def _single(item: TreeEntry, original, measure) -> TreeRow:
    return TreeRow(item.path, item.kind, (original(item.layer_index),), 1, measure(item))


def own_bytes(item: TreeEntry) -> int:
    # A hard link shares its target's bytes: counting them again would inflate the folder's size.
    return item.size if item.kind == "file" else 0
