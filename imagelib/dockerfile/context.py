"""빌드 컨텍스트(build context): ``docker build`` 가 빌더에게 보내는 파일 묶음.

사전(``{"package.json": "...", "src/app.js": "..."}``)이나 실제 폴더 경로로 만듭니다.
컨텍스트에 ``.dockerignore`` 가 있으면 그 규칙에 맞는 파일은 처음부터 빠집니다(빌더에게
보내지지도 않으므로 ``COPY . .`` 으로도 들어가지 않습니다).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping
from typing import BinaryIO, Protocol

from ..entries import Dir, Entry, File, Symlink, parent_paths, require_path
from ..errors import ImageLibError
from ..filetree import FileTree
from .dockerignore import DockerIgnore
from .errors import BuildError

DOCKERIGNORE = ".dockerignore"


class Source(Protocol):
    """COPY가 파일을 가져오는 곳(빌드 컨텍스트, 다른 단계의 파일 트리)."""

    label: str

    def entry(self, path: str) -> "Entry | None": ...

    def listdir(self, path: str) -> "list[str]": ...


class _DiskContent:
    """A context file read from disk only when COPY needs its bytes."""

    __slots__ = ("_path", "size")

    def __init__(self, path: str, size: int) -> None:
        self._path, self.size = path, size

    def open(self) -> BinaryIO:
        return open(self._path, "rb")


class BuildContext:
    """``.dockerignore`` 로 거른 뒤의 빌드 컨텍스트. 경로 → 항목(il.File/il.Dir/il.Symlink)."""

    label = "빌드 컨텍스트"

    def __init__(self, entries: "Mapping[str, Entry]", ignored: "list[str]", dockerignore: DockerIgnore) -> None:
        self._entries = dict(entries)
        self._children: "dict[str, set[str]]" = {"": set()}
        for path in sorted(self._entries):
            for parent in parent_paths(path):
                self._entries.setdefault(parent, Dir(path=parent))
        for path in self._entries:
            head, _, name = path.rpartition("/")
            self._children.setdefault(head, set()).add(name)
            if self._entries[path].kind == "dir":
                self._children.setdefault(path, set())
        self.ignored = sorted(ignored)
        self.dockerignore = dockerignore

    # -- making contexts ----------------------------------------------------------------

    @classmethod
    def load(cls, source: "BuildContext | Mapping | str | os.PathLike | None") -> "BuildContext":
        """사전, 폴더 경로, None(빈 컨텍스트)을 BuildContext로."""
        if isinstance(source, BuildContext):
            return source
        if source is None:
            return cls({}, [], DockerIgnore())
        if isinstance(source, Mapping):
            return cls._from_mapping(source)
        if isinstance(source, (str, os.PathLike)):
            return cls._from_folder(os.fspath(source))
        raise BuildError(f"빌드 컨텍스트는 사전이나 폴더 경로여야 합니다({type(source).__name__}를 받았습니다).")

    @classmethod
    def _from_mapping(cls, files: Mapping) -> "BuildContext":
        entries: "dict[str, Entry]" = {}
        for raw, value in files.items():
            try:
                path = require_path(raw, what="빌드 컨텍스트의 경로")
            except ImageLibError as error:
                raise BuildError(str(error)) from None
            entries[path] = _entry(value, raw).at(path)
        rules = _dockerignore_text(entries.get(DOCKERIGNORE))
        kept = {p: e for p, e in entries.items() if not rules.excluded(p)}
        return cls(kept, [p for p in entries if p not in kept], rules)

    @classmethod
    def _from_folder(cls, folder: str) -> "BuildContext":
        if not os.path.isdir(folder):
            raise BuildError(f"빌드 컨텍스트 폴더 {folder!r}가 없습니다. 폴더 경로를 확인하세요.")
        ignore_path = os.path.join(folder, DOCKERIGNORE)
        text = ""
        if os.path.isfile(ignore_path):
            with open(ignore_path, encoding="utf-8") as handle:
                text = handle.read()
        rules = DockerIgnore(text)
        entries: "dict[str, Entry]" = {}
        ignored: "list[str]" = []
        for rel, full, info in _walk(folder, rules, ignored):
            entries[rel] = _disk_entry(full, info).at(rel)
        return cls(entries, ignored, rules)

    # -- reading ------------------------------------------------------------------------

    def entry(self, path: str) -> "Entry | None":
        path = path.strip("/")
        return self._entries.get(path) if path else Dir(path="")

    def listdir(self, path: str) -> "list[str]":
        return sorted(self._children.get(path.strip("/"), ()))

    def files(self) -> "dict[str, Entry]":
        """남은 파일들(폴더 제외): 경로 → 항목."""
        return {p: e for p, e in sorted(self._entries.items()) if e.kind != "dir"}

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.files()))

    def __len__(self) -> int:
        return len(self.files())

    @property
    def size(self) -> int:
        """남은 파일 내용의 합(바이트): ``docker build`` 가 빌더에게 보내는 양."""
        return sum(e.size for e in self._entries.values())

    def __repr__(self) -> str:
        return f"<BuildContext 파일 {len(self)}개, {self.size}바이트, 제외 {len(self.ignored)}개>"


def _entry(value: object, raw: str) -> Entry:
    if isinstance(value, Entry):
        return value
    if isinstance(value, (str, bytes)):
        return File(value)
    if isinstance(value, (bytearray, memoryview)):
        return File(bytes(value))
    raise BuildError(
        f"빌드 컨텍스트의 {raw!r} 값은 str, bytes 또는 il.File/il.Dir/il.Symlink여야 합니다"
        f"({type(value).__name__}를 받았습니다)."
    )


def _dockerignore_text(entry: "Entry | None") -> DockerIgnore:
    if entry is None:
        return DockerIgnore()
    if not isinstance(entry, File):
        raise BuildError(".dockerignore는 텍스트 파일이어야 합니다.")
    return DockerIgnore(entry.read().decode("utf-8"))


def _walk(
    folder: str, rules: DockerIgnore, ignored: "list[str]", prefix: str = ""
) -> "Iterator[tuple[str, str, os.stat_result]]":
    with os.scandir(os.path.join(folder, prefix) if prefix else folder) as scan:
        items = sorted(scan, key=lambda item: item.name)
    for item in items:
        rel = f"{prefix}/{item.name}" if prefix else item.name
        info = item.stat(follow_symlinks=False)
        is_dir = stat.S_ISDIR(info.st_mode)
        if rules.ignored(rel):
            ignored.append(rel)
            # Docker looks inside an excluded folder only for an exception that starts with its path
            if is_dir and not rules.skips_folder(rel):
                yield from _walk(folder, rules, ignored, rel)
            continue
        yield rel, item.path, info
        if is_dir:
            yield from _walk(folder, rules, ignored, rel)


def _disk_entry(full: str, info: os.stat_result) -> Entry:
    # Only the executable bit is kept (as git does), so a checkout gives the same layer anywhere.
    if stat.S_ISDIR(info.st_mode):
        return Dir()
    if stat.S_ISLNK(info.st_mode):
        return Symlink(os.readlink(full))
    if stat.S_ISREG(info.st_mode):
        mode = 0o755 if info.st_mode & 0o111 else 0o644
        return File(_DiskContent(full, info.st_size), mode=mode)
    return File(b"")


class TreeSource:
    """다른 단계(또는 이미지)의 파일 트리를 COPY --from의 원본으로 씁니다."""

    def __init__(self, tree: FileTree, label: str) -> None:
        self.tree, self.label = tree, label

    def entry(self, path: str) -> "Entry | None":
        path = path.strip("/")
        if not path:
            return Dir(path="")
        try:
            node = self.tree.entry(path)
        except ImageLibError:
            return None
        if node.content is not None:
            return node.content.at(node.path)
        return node.entry

    def listdir(self, path: str) -> "list[str]":
        try:
            return self.tree.listdir(path or "/")
        except ImageLibError:
            return []
