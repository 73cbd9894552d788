"""컨테이너(container): 이미지 위에 얹은, 나만의 쓰기 가능한 레이어(writable layer).

읽을 때는 아래 이미지의 레이어로 내려가 찾고, 쓸 때는 언제나 컨테이너 자신의 레이어에
씁니다(기록 시 복사, copy-on-write). 이미지는 조금도 바뀌지 않습니다. ``commit()`` 은
이 쓰기 가능한 레이어를 새 읽기 전용 레이어로 굳혀 새 이미지를 만듭니다(``docker commit``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import display
from .entries import (
    Dir,
    Entry,
    File,
    Opaque,
    Symlink,
    Whiteout,
    is_within,
    lexical_path,
    parent_paths,
    require_path,
)
from .errors import ImageLibError, NotADirectoryError_, PathNotFoundError
from .filetree import MAX_SYMLINK_HOPS, FileTree, TreeDiff, TreeEntry
from .image import Image
from .layer import Layer

_CONFIG_CHANGES = ("env", "cmd", "entrypoint", "workdir", "user", "labels", "exposed_ports", "volumes", "stop_signal")


class Container:
    """실행 중인 컨테이너의 파일 시스템을 흉내 냅니다: 이미지 + 쓰기 가능한 레이어."""

    def __init__(self, image: Image, name: str = "", command: "Sequence[str] | None" = None) -> None:
        if not isinstance(image, Image):
            raise ImageLibError(f"컨테이너는 il.Image로 만듭니다({type(image).__name__}를 받았습니다).")
        self.image = image
        self.name = name
        self.command = list(command) if command is not None else _default_command(image)
        rootfs: FileTree = image.rootfs()
        self._base = rootfs._tree
        self._tree = self._base.copy()
        self._top = len(image.layers)
        self._changes: "dict[str, Entry]" = {}
        self._opaque: "set[str]" = set()

    # -- reading (falls through to the image) ---------------------------------------------

    def exists(self, path: str) -> bool:
        """경로가 보이면 True(컨테이너 레이어에서 먼저 찾고, 없으면 이미지에서)."""
        return self._view().exists(path)

    def read_bytes(self, path: str) -> bytes:
        return self._view().read_bytes(path)

    def read_text(self, path: str, encoding: str = "utf-8") -> str:
        """파일 내용(문자열). 컨테이너가 고친 내용이 있으면 그것을, 없으면 이미지의 것을 읽습니다."""
        return self._view().read_text(path, encoding)

    def listdir(self, path: str = "/") -> "list[str]":
        return self._view().listdir(path)

    def entry(self, path: str, follow_symlinks: bool = False) -> TreeEntry:
        """경로의 항목(종류·권한·크기, ``layer_index`` 가 이미지 레이어 수와 같으면 컨테이너가 쓴 것)."""
        return self._tree.lookup(path, follow_last=follow_symlinks)

    def _view(self) -> FileTree:
        # A view of the live tree for one immediate read; rootfs() copies, this does not.
        return FileTree(self._tree, self._top + 1)

    def rootfs(self) -> FileTree:
        """지금 컨테이너가 보는 파일 트리(이 순간의 사진)."""
        return FileTree(self._tree.copy(), self._top + 1)

    # -- writing (always into the container's own layer) ----------------------------------

    def write(self, path: str, data: "bytes | str", mode: "int | None" = None) -> None:
        """파일을 씁니다. 이미지에 있던 파일이면 통째로 복사해 고칩니다(copy-on-write).

        부모 폴더가 없으면 함께 만듭니다.
        """
        path = self._real_path(path)
        existing = self._tree.nodes.get(path)
        if existing is not None and existing.kind == "dir":
            raise ImageLibError(f"{path!r}는 폴더라서 파일 내용을 쓸 수 없습니다.")
        old_file = existing if existing is not None and existing.kind == "file" else None
        if mode is None:
            mode = old_file.mode if old_file is not None else 0o644
        uid, gid = (old_file.entry.uid, old_file.entry.gid) if old_file is not None else (0, 0)  # its owner stays
        self._record(File(data, mode=mode, path=path, uid=uid, gid=gid))

    def mkdir(self, path: str, mode: int = 0o755) -> None:
        """폴더를 만듭니다(부모 폴더도 함께, 이미 있으면 그대로: ``mkdir -p``)."""
        path = require_path(path)
        for step in parent_paths(path) + [path]:
            real = self._real_path(step, make_parents=False)
            node = self._tree.nodes.get(real)
            if node is None:
                if real in self._changes and isinstance(self._changes[real], Whiteout):
                    self._opaque.add(real)
                self._record(Dir(mode=mode, path=real))
            elif node.kind != "dir":
                raise NotADirectoryError_(f"{step!r}는 이미 폴더가 아닌 {display.kind_name(node.kind)}입니다.")

    def symlink(self, path: str, target: str) -> None:
        """``path`` 에 ``target`` 을 가리키는 심볼릭 링크를 만듭니다(``ln -s target path``)."""
        path = self._real_path(path, follow_last=False)
        if path in self._tree.nodes:
            raise ImageLibError(f"{path!r}가 이미 있습니다.")
        self._record(Symlink(target, path=path))

    def add(self, entry: Entry) -> None:
        """항목(il.File, il.Dir, il.Symlink) 하나를 권한·소유자 그대로 씁니다(``COPY`` 처럼).

        ``entry.path`` 에 쓰며, 없는 부모 폴더는 만듭니다. 이미 있는 폴더 위에 파일을 쓸 수는 없습니다.
        """
        if entry.kind not in ("file", "dir", "symlink", "hardlink"):
            raise ImageLibError(
                f"add()에는 il.File, il.Dir, il.Symlink를 주세요({entry.kind}). 지우려면 delete()를 쓰세요."
            )
        path = self._real_path(entry.path, follow_last=entry.kind != "symlink")
        existing = self._tree.nodes.get(path)
        if existing is not None and existing.kind == "dir" and entry.kind != "dir":
            raise ImageLibError(f"{path!r}는 폴더라서 {display.kind_name(entry.kind)}(으)로 덮어쓸 수 없습니다.")
        if existing is not None and existing.kind != "dir" and entry.kind == "dir":
            self.delete(path)
        self._record(entry.at(path))

    def chmod(self, path: str, mode: int) -> None:
        """권한을 바꿉니다. 이미지의 파일이면 내용까지 통째로 컨테이너 레이어로 복사됩니다."""
        node = self._tree.lookup(path)
        entry = node.content.at(node.path) if node.content is not None else node.entry
        from dataclasses import replace

        self._record(replace(entry, mode=mode))

    def delete(self, path: str) -> None:
        """파일이나 폴더(안의 내용까지)를 지웁니다. 이미지에 있던 것이면 화이트아웃을 남깁니다."""
        path = self._real_path(path, follow_last=False, make_parents=False)
        if path not in self._tree.nodes:
            raise PathNotFoundError(f"지울 {path!r}가 없습니다.")
        visible_below = self._visible_below(path)
        self._tree.remove(path)
        for changed in [p for p in self._changes if is_within(p, path)]:
            del self._changes[changed]
        self._opaque = {p for p in self._opaque if not is_within(p, path)}
        if visible_below:
            self._changes[path] = Whiteout(path=path)

    # -- what changed ---------------------------------------------------------------------

    def diff(self) -> TreeDiff:
        """이미지와 비교해 추가(A)·수정(C)·삭제(D)된 경로(``docker diff`` 와 같은 생각)."""
        before: FileTree = self.image.rootfs()
        return before.diff(self.rootfs())

    def layer(self, created_by: str = "", comment: str = "") -> Layer:
        """지금까지의 변경을 담은 레이어(커밋하면 이미지 맨 위에 얹힐 레이어)."""
        entries = list(self._changes.values()) + [Opaque(path=p) for p in sorted(self._opaque)]
        parents = {p for entry in entries for p in parent_paths(entry.path)}
        parents -= {e.path for e in entries if e.kind == "dir"}
        for parent in sorted(parents):
            node = self._tree.nodes.get(parent)
            if node is not None and node.kind == "dir":
                entries.append(node.entry.at(parent))
        return Layer.from_entries(entries, created_by=created_by, comment=comment)

    def commit(self, message: str = "", changes: "Mapping[str, Any] | None" = None, author: str = "") -> Image:
        """컨테이너의 변경을 새 레이어로 굳혀 새 이미지를 만듭니다(``docker commit``).

        ``changes`` 로 설정도 바꿀 수 있습니다(``docker commit -c 'CMD [...]'`` 와 같음):
        ``{"cmd": [...], "env": {...}, "workdir": "/app", ...}``. 원래 이미지는 그대로입니다.
        """
        unknown = set(changes or {}) - set(_CONFIG_CHANGES)
        if unknown:
            raise ImageLibError(
                f"commit의 changes에 모르는 설정 {sorted(unknown)}가 있습니다. "
                f"쓸 수 있는 것: {', '.join(_CONFIG_CHANGES)}"
            )
        created_by = " ".join(self.command)
        image = self.image.add_layer(self.layer(created_by, message), created_by=created_by, comment=message)
        if author:
            image = image._derive(author=author)
        if changes:
            image = image.with_config(**dict(changes))
        return image

    # -- internals ------------------------------------------------------------------------

    def _record(self, entry: Entry) -> None:
        path = entry.path
        self._tree.put(entry.at(path), self._top)
        self._changes.pop(path, None)
        self._changes[path] = entry

    def _visible_below(self, path: str) -> bool:
        if path not in self._base.nodes:
            return False
        hidden_by = [p for p in parent_paths(path) + [path] if p in self._opaque and p != path]
        hidden_by += [p for p in parent_paths(path) if isinstance(self._changes.get(p), Whiteout)]
        return not hidden_by

    def _real_path(self, path: str, follow_last: bool = True, make_parents: bool = True, hops: int = 0) -> str:
        path = require_path(path)
        head, _, name = path.rpartition("/")
        if head:
            try:
                head = self._tree.resolve(head)
            except PathNotFoundError:
                if not make_parents:
                    raise
                self.mkdir(head)
                head = self._tree.resolve(head)
            parent = self._tree.nodes.get(head)
            if parent is None:
                # resolve() accepts a missing last component, so a missing parent lands here
                if not make_parents:
                    raise PathNotFoundError(f"{path!r}: 폴더 {head!r}가 없습니다.")
                self.mkdir(head)
                parent = self._tree.nodes.get(head)
            if parent is None or parent.kind != "dir":
                raise NotADirectoryError_(f"{path!r}: {head!r}는 폴더가 아니라서 그 안에 쓸 수 없습니다.")
        full = f"{head}/{name}" if head else name
        node = self._tree.nodes.get(full)
        if follow_last and node is not None and isinstance(node.entry, Symlink):
            if hops >= MAX_SYMLINK_HOPS:
                raise PathNotFoundError(f"{path!r}: 심볼릭 링크가 너무 많이 이어집니다(순환?).")
            target = node.entry.target
            pointed = lexical_path(target if target.startswith("/") else f"{head}/{target}")
            return self._real_path(pointed, follow_last, make_parents, hops + 1)
        return full

    def __repr__(self) -> str:
        return f"<Container {self.name or '(이름 없음)'} 이미지={self.image.id.short} 변경 {len(self._changes)}개>"

    def _repr_html_(self) -> str:
        rows = [
            (display.Code(line[:1]), display.Code(line[2:]))
            for line in str(self.diff()).splitlines()
            if line and line[0] in "ACD"
        ]
        return (
            f"<div><b>컨테이너</b> {self.name} · 이미지 <code>{self.image.id.short}</code> · "
            f"변경 {len(rows)}개{display.table(['', '경로'], rows)}</div>"
        )


def _default_command(image: Image) -> "list[str]":
    config = image.config
    command = list(config.entrypoint or []) + list(config.cmd or [])
    return command or ["/bin/sh"]
