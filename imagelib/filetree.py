"""파일 트리(FileTree): 레이어를 모두 겹쳤을 때 컨테이너가 보는 하나의 파일 시스템(유니언 뷰).

OHP 필름을 겹쳐 위에서 내려다본 모습과 같습니다. 각 레이어마다 불투명 표시, 화이트아웃,
새 항목 순서로 적용하며, 위 레이어의 파일이 아래 레이어의 같은 경로를 덮습니다.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from . import display
from .entries import Dir, Entry, File, Hardlink, Opaque, Symlink, Whiteout, normalize_path
from .errors import LayerFormatError, NotADirectoryError_, PathNotFoundError, ReadOnlyError, UnsafePathError
from .tario import sort_key

if TYPE_CHECKING:
    from .layer import Layer

MAX_SYMLINK_HOPS = 40


@dataclass(frozen=True)
class TreeEntry:
    """유니언 뷰의 한 항목: 원래 항목(entry)과 그것을 준 레이어 번호(layer_index, 0 = 맨 아래)."""

    path: str
    entry: Entry
    layer_index: int
    content: "File | None" = None  # for hardlinks: the file whose bytes they share

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def mode(self) -> int:
        return self.entry.mode

    @property
    def size(self) -> int:
        return self.entry.size if self.content is None else self.content.size

    @property
    def target(self) -> "str | None":
        return getattr(self.entry, "target", None)

    def read_bytes(self) -> bytes:
        source = self.content or self.entry
        if not isinstance(source, File):
            raise PathNotFoundError(f"{self.path!r}는 파일이 아니라 {self.kind}입니다.")
        return source.read()

    def same_as(self, other: "TreeEntry") -> bool:
        """내용·종류·권한·소유자가 같은지(어느 레이어에서 왔는지는 따지지 않음)."""
        if self.entry is other.entry and self.content is other.content:
            return True  # the same entry of the same layer: no need to read its bytes
        mine, theirs = self.content or self.entry, other.content or other.entry
        if mine.kind != theirs.kind or mine.size != theirs.size:
            return False
        return mine.same_as(theirs) and self.mode == other.mode and self.entry.kind == other.entry.kind


@dataclass(frozen=True)
class TreeDiff:
    """두 파일 트리의 차이: 추가(added), 수정(modified), 삭제(deleted)된 경로들."""

    added: "tuple[str, ...]"
    modified: "tuple[str, ...]"
    deleted: "tuple[str, ...]"

    def __bool__(self) -> bool:
        return bool(self.added or self.modified or self.deleted)

    def __str__(self) -> str:
        lines = [f"A /{p}" for p in self.added] + [f"C /{p}" for p in self.modified]
        lines += [f"D /{p}" for p in self.deleted]
        return "\n".join(sorted(lines, key=lambda line: sort_key(line[3:]))) or "(차이 없음)"


class TreeBuilder:
    """Mutable union view used while stacking layers; FileTree and Container build on it."""

    def __init__(self) -> None:
        self.nodes: "dict[str, TreeEntry]" = {}
        self.children: "dict[str, set[str]]" = {"": set()}

    def copy(self) -> "TreeBuilder":
        other = TreeBuilder()
        other.nodes = dict(self.nodes)
        other.children = {k: set(v) for k, v in self.children.items()}
        return other

    # -- applying a layer -----------------------------------------------------------------

    def apply(self, entries: Sequence[Entry], layer_index: int) -> None:
        """Opaque markers first, then whiteouts, then the layer's own entries (layer.md).

        Every path is resolved as umoci and containerd resolve it when they extract the layer:
        the parent folder through symlinks, the name itself not (an opaque marker's folder is
        followed too, being the parent of ``.wh..wh..opq``).
        """
        where = f"레이어 {layer_index}"
        markers = [entry for entry in entries if isinstance(entry, (Opaque, Whiteout))]
        for marker in markers:
            if isinstance(marker, Opaque):
                self.clear_directory(self.within(marker.path, where, follow_last=True))
        for marker in markers:
            if isinstance(marker, Whiteout):
                self.remove(self.placed(marker.path, where))
        # The real folder of each parent already reached, so an entry below one costs one step at
        # any depth. Only a removal or a new symlink can change what a parent resolves to.
        folders: "dict[str, str]" = {"": ""}
        for entry in entries:
            if isinstance(entry, (Opaque, Whiteout)):
                continue
            head, _, name = entry.path.rpartition("/")
            parent = folders.get(head)
            if parent is None:
                parent = self.within(head, where, follow_last=True)
                self._check_parent_is_a_folder(parent, entry.path, where)
            real = _join(parent, name)
            placed = entry if real == entry.path else entry.at(real)
            if self.put(placed, layer_index, where) or isinstance(entry, Symlink):
                folders = {"": ""}
            else:
                folders[head] = parent
                if entry.kind == "dir":
                    folders[entry.path] = real

    def _check_parent_is_a_folder(self, parent: str, path: str, where: str) -> None:
        # Only the nearest existing ancestor can be a non-folder: put() keeps every node's
        # ancestors folders. Docker, containerd and umoci stop on such an entry (ENOTDIR).
        head = parent
        while head:
            node = self.nodes.get(head)
            if node is not None:
                if node.kind != "dir":
                    raise LayerFormatError(
                        f"{where}의 {path!r}: 그 부모 {head!r}이(가) 폴더가 아니라 "
                        f"{display.kind_name(node.kind)}입니다. "
                        "이 레이어에 그 폴더 항목이 먼저 나와야 합니다(Docker, containerd, umoci도 풀지 않습니다)."
                    )
                return
            head = head.rpartition("/")[0]

    def placed(self, path: str, where: str = "레이어") -> str:
        """Where an entry of a new layer lands: through symlinked parent folders, as tar extraction does."""
        head, _, name = path.rpartition("/")
        return _join(self.within(head, where, follow_last=True), name) if head else path

    def within(self, path: str, where: str, follow_last: bool) -> str:
        """The tree path ``path`` leads to, followed as umoci's and containerd's extraction does:
        existing symlinks followed (absolute targets from the root), names that do not exist taken
        as they are (their folders are made). A symlink that climbs above the root or loops is
        refused (UnsafePathError), as ``il.unpack`` refuses it."""
        pending = [part for part in reversed(path.split("/")) if part and part != "."]
        reached: "list[str]" = []
        hops = 0
        while pending:
            name = pending.pop()
            if name == "..":
                if not reached:
                    raise UnsafePathError(
                        f"{where}의 {path!r}이(가) 심볼릭 링크를 따라가면 루트(/) 밖을 가리킵니다. 읽지 않습니다."
                    )
                reached.pop()
                continue
            candidate = _join(reached[-1], name) if reached else name
            node = self.nodes.get(candidate)
            if node is not None and isinstance(node.entry, Symlink) and (pending or follow_last):
                hops += 1
                if hops > MAX_SYMLINK_HOPS:
                    raise UnsafePathError(f"{where}의 {path!r}: 심볼릭 링크가 너무 많이 이어집니다(순환?).")
                target = node.entry.target
                if target.startswith("/"):
                    reached = []
                pending.extend(part for part in reversed(target.split("/")) if part and part != ".")
                continue
            reached.append(candidate)
        return reached[-1] if reached else ""

    def clear_directory(self, path: str) -> None:
        for name in list(self.children.get(path, ())):
            self.remove(_join(path, name))

    def remove(self, path: str) -> None:
        if path not in self.nodes:
            return
        # An explicit stack, not recursion: a layer may hold a folder thousands of levels deep.
        pending = [path]
        while pending:
            current = pending.pop()
            for name in self.children.pop(current, ()):
                pending.append(_join(current, name))
            del self.nodes[current]
        parent, name = _split(path)
        self.children.get(parent, set()).discard(name)

    def put(self, entry: Entry, layer_index: int, where: str = "레이어") -> bool:
        """Put ``entry`` at its path, making missing parent folders; True if anything was removed."""
        parent = entry.path.rpartition("/")[0]
        missing = []  # parent folders to make, nearest first
        while parent:
            above = self.nodes.get(parent)
            if above is not None and above.entry.kind == "dir":
                break
            missing.append(parent)
            parent = parent.rpartition("/")[0]
        removed = False
        for folder in reversed(missing):
            removed = self._put_one(Dir(path=folder), layer_index, where) or removed
        return self._put_one(entry, layer_index, where) or removed

    def _put_one(self, entry: Entry, layer_index: int, where: str) -> bool:
        """Put ``entry`` whose parent folder exists; True if it replaced something."""
        path = entry.path
        parent, _, name = path.rpartition("/")
        kind = entry.kind
        existing = self.nodes.get(path)
        replaced = existing is not None and not (kind == "dir" and existing.entry.kind == "dir")
        if replaced:
            self.remove(path)
        content = None
        if isinstance(entry, Hardlink):
            content, entry = self._hardlink_content(entry, where)
        self.nodes[path] = TreeEntry(path, entry, layer_index, content)
        self.children[parent].add(name)
        if kind == "dir":
            self.children.setdefault(path, set())
        return replaced

    def _hardlink_content(self, link: Hardlink, where: str) -> "tuple[File | None, Entry]":
        """The file whose bytes the link shares, and the entry to keep (the link itself; a hard
        link to a symlink is a second name of that symlink, as os.link makes it)."""
        # The target's folder is followed through symlinks, its name not: Go's os.Link does not.
        target = self.nodes.get(self.placed(link.target, where))
        if target is not None and target.content is not None:
            return target.content, link
        if target is not None and isinstance(target.entry, Symlink):
            return None, replace(target.entry, path=link.path)
        if target is None or not isinstance(target.entry, File):
            raise LayerFormatError(
                f"하드 링크 {link.path!r}의 대상 {link.target!r}가 같은 레이어나 아래 레이어에 파일로 없습니다."
            )
        return target.entry, link

    # -- looking things up ----------------------------------------------------------------

    def resolve(self, path: str, follow_last: bool = True) -> str:
        """The real path of ``path`` after following symlinks; the root stays the root."""
        # ``pending`` is a stack (next name last) and ``resolved`` keeps each prefix it joined, so
        # every step costs one lookup: resolving stays linear in the number of names.
        pending = [p for p in reversed(normalize_path(path).split("/")) if p]
        resolved: "list[str]" = []
        hops = 0
        while pending:
            name = pending.pop()
            if name == ".":
                continue
            if name == "..":
                if resolved:
                    resolved.pop()
                continue
            candidate = _join(resolved[-1], name) if resolved else name
            node = self.nodes.get(candidate)
            if node is not None and isinstance(node.entry, Symlink) and (pending or follow_last):
                hops += 1
                if hops > MAX_SYMLINK_HOPS:
                    raise PathNotFoundError(f"{path!r}: 심볼릭 링크가 너무 많이 이어집니다(순환?).")
                target = node.entry.target
                if target.startswith("/"):
                    resolved = []
                pending.extend(p for p in reversed(target.split("/")) if p)
                continue
            if pending and (node is None or node.kind != "dir"):
                if node is None:
                    raise PathNotFoundError(f"{path!r}가 없습니다({candidate!r}가 없습니다).")
                raise NotADirectoryError_(f"{path!r}: {candidate!r}는 폴더가 아닙니다.")
            resolved.append(candidate)
        return resolved[-1] if resolved else ""

    def lookup(self, path: str, follow_last: bool = True) -> TreeEntry:
        real = self.resolve(path, follow_last)
        if not real:
            return ROOT
        node = self.nodes.get(real)
        if node is None:
            raise PathNotFoundError(f"{normalize_path(path) or '/'!r} 경로가 없습니다.")
        return node


ROOT = TreeEntry("", Dir(path=""), -1)


def _split(path: str) -> "tuple[str, str]":
    head, _, tail = path.rpartition("/")  # tree paths are normalized: no trailing or double "/"
    return head, tail


def _join(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name


class FileTree:
    """레이어를 모두 겹친 결과(유니언 뷰). 읽기 전용이며, 만든 뒤에는 바뀌지 않습니다."""

    __slots__ = ("_tree", "_layer_count")
    _tree: TreeBuilder
    _layer_count: int

    def __init__(self, builder: TreeBuilder, layer_count: int) -> None:
        object.__setattr__(self, "_tree", builder)
        object.__setattr__(self, "_layer_count", layer_count)

    @classmethod
    def from_layers(cls, layers: Iterable[Layer]) -> "FileTree":
        """레이어들(아래→위 순서)을 차례로 겹쳐 파일 트리를 만듭니다."""
        builder = TreeBuilder()
        count = 0
        for index, layer in enumerate(layers):
            builder.apply(layer.entries, index)
            count = index + 1
        return cls(builder, count)

    # -- reading --------------------------------------------------------------------------

    def exists(self, path: str) -> bool:
        """경로가 있으면 True. 마지막 이름이 심볼릭 링크면 링크 자체가 있는지 봅니다."""
        try:
            self._tree.lookup(path, follow_last=False)
            return True
        except (PathNotFoundError, NotADirectoryError_):
            return False

    def entry(self, path: str) -> TreeEntry:
        """경로의 항목. ``.layer_index`` 로 어느 레이어에서 왔는지 알 수 있습니다."""
        return self._tree.lookup(path, follow_last=False)

    def read_bytes(self, path: str) -> bytes:
        """파일 내용(바이트). 심볼릭 링크는 따라갑니다."""
        node = self._tree.lookup(path)
        if node.kind == "dir":
            raise PathNotFoundError(f"{path!r}는 폴더라서 내용을 읽을 수 없습니다.")
        return node.read_bytes()

    def read_text(self, path: str, encoding: str = "utf-8") -> str:
        """파일 내용(문자열). 심볼릭 링크는 따라갑니다."""
        return self.read_bytes(path).decode(encoding)

    def listdir(self, path: str = "/") -> "list[str]":
        """폴더 안의 이름들(정렬됨)."""
        node = self._tree.lookup(path)
        if node.kind != "dir":
            raise NotADirectoryError_(f"{path!r}는 폴더가 아닙니다.")
        return sorted(self._tree.children.get(node.path, ()))

    def walk(self) -> Iterator[TreeEntry]:
        """모든 항목을 경로 순서(부모가 먼저)로 돌려줍니다."""
        for path in self.paths():
            yield self._tree.nodes[path]

    def paths(self) -> "list[str]":
        """모든 경로(정렬됨)."""
        return sorted(self._tree.nodes, key=sort_key)

    def files(self) -> "list[TreeEntry]":
        """파일(과 하드 링크)만."""
        return [n for n in self.walk() if n.kind in ("file", "hardlink")]

    @property
    def size(self) -> int:
        """보이는 파일 내용의 합(바이트)."""
        return sum(n.size for n in self._tree.nodes.values() if n.kind == "file")

    @property
    def layer_count(self) -> int:
        return self._layer_count

    def diff(self, other: "FileTree") -> TreeDiff:
        """이 트리를 ``other`` 로 바꾸는 차이: 추가·수정·삭제된 경로들."""
        mine, theirs = self._tree.nodes, other._tree.nodes
        added = [p for p in theirs if p not in mine]
        deleted = [p for p in mine if p not in theirs]
        modified = [p for p in mine if p in theirs and not mine[p].same_as(theirs[p])]
        return TreeDiff(*(tuple(sorted(group, key=sort_key)) for group in (added, modified, deleted)))

    def snapshot(self) -> "dict[str, tuple[str, int, bytes | str | None]]":
        """비교하기 쉬운 요약: 경로 → (종류, 권한, 내용 또는 링크 대상)."""
        result: "dict[str, tuple[str, int, bytes | str | None]]" = {}
        for node in self.walk():
            payload = node.read_bytes() if node.kind in ("file", "hardlink") else node.target
            result[node.path] = (node.kind if node.kind != "hardlink" else "file", node.mode, payload)
        return result

    # -- read-only ------------------------------------------------------------------------

    def write(self, path: str, data: object = None) -> None:
        """파일 트리는 이미지의 모습일 뿐이라 쓸 수 없습니다(ReadOnlyError)."""
        raise ReadOnlyError(
            f"파일 트리에 {path!r}를 쓸 수 없습니다. 이미지에서 본 파일 트리는 읽기 전용입니다. "
            "il.Container(image)를 만들어 쓰세요."
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise ReadOnlyError("파일 트리는 읽기 전용입니다. il.Container(image)를 만들어 쓰세요.")

    # -- display --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._tree.nodes)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.exists(path)

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths())

    def render(self, max_entries: int = 200, show_layers: bool = True) -> str:
        """``tree`` 명령처럼 그린 문자열. 각 항목 옆에 [L번호]로 온 레이어를 표시합니다."""
        return _render_tree(self, max_entries, show_layers)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"<FileTree 항목 {len(self)}개, 파일 {display.human_size(self.size)}, 레이어 {self._layer_count}개>"

    def _repr_html_(self) -> str:
        return _tree_html(self)


def _render_tree(tree: FileTree, max_entries: int, show_layers: bool) -> str:
    lines = ["/"]
    children = tree._tree.children
    # (path, prefix, is last) of what is still to draw, next on top: a stack, not recursion.
    pending = [(_join("", name), "", False) for name in sorted(children.get("", ()), reverse=True)]
    if pending:
        pending[0] = (pending[0][0], "", True)
    while pending and len(lines) <= max_entries:
        path, prefix, last = pending.pop()
        node = tree._tree.nodes[path]
        lines.append(prefix + ("└── " if last else "├── ") + _label(node, show_layers))
        if node.kind == "dir":
            inner = prefix + ("    " if last else "│   ")
            names = sorted(children.get(path, ()), reverse=True)
            pending.extend((_join(path, name), inner, i == 0) for i, name in enumerate(names))
    shown = len(lines) - 1
    if len(tree) > shown:
        lines.append(f"… 외 {len(tree) - shown}개")
    return "\n".join(lines)


def _label(node: TreeEntry, show_layers: bool) -> str:
    label = node.path.rpartition("/")[2] + ("/" if node.kind == "dir" else "")
    if node.kind == "symlink":
        label += f" -> {node.target}"
    elif node.kind == "hardlink":
        label += f" => /{node.target}"
    elif node.kind == "file":
        label += f"  ({display.human_size(node.size)})"
    if show_layers:
        label += f"  [L{node.layer_index}]"
    return label


def _tree_html(tree: FileTree) -> str:
    text = html.escape(_render_tree(tree, 60, True))
    return (
        f"<div><b>파일 트리</b> · 항목 {len(tree)}개 · 파일 {display.human_size(tree.size)} · "
        f"[L번호] = 그 항목을 준 레이어(0이 맨 아래)<pre>{text}</pre></div>"
    )
