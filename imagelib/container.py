"""컨테이너(container): 이미지 위에 얹은, 나만의 쓰기 가능한 레이어(writable layer).

읽을 때는 아래 이미지의 레이어로 내려가 찾고, 쓸 때는 언제나 컨테이너 자신의 레이어에
씁니다(기록 시 복사, copy-on-write). 이미지는 조금도 바뀌지 않습니다. ``commit()`` 은
이 쓰기 가능한 레이어를 새 읽기 전용 레이어로 굳혀 새 이미지를 만듭니다(``docker commit``).

컨테이너는 시작할 때의 설정도 기억합니다(``docker run -e K=V 이미지 sh`` 의 명령 ``sh`` 와 환경 변수).
도커처럼 커밋한 이미지의 설정은 이미지의 설정이 아니라 **컨테이너의** 설정이라서, ``sh`` 로 시작한
컨테이너를 커밋하면 새 이미지의 CMD는 ``["sh"]`` 가 됩니다.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from . import display
from .commit_changes import apply_changes
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
from .image import Command, Config, History, Image, timestamp
from .layer import Layer

_PARENT_CONTAINER_FIELDS = ("container", "container_config", "docker_version")
_CONFIG_CHANGES = ("env", "cmd", "entrypoint", "workdir", "user", "labels", "exposed_ports", "volumes", "stop_signal")


class Container:
    """실행 중인 컨테이너의 파일 시스템을 흉내 냅니다: 이미지 + 쓰기 가능한 레이어."""

    def __init__(
        self,
        image: Image,
        name: str = "",
        command: "Command | None" = None,
        *,
        env: "Mapping[str, str] | Sequence[str] | None" = None,
        entrypoint: "Command | None" = None,
        workdir: str = "",
        user: str = "",
        labels: "Mapping[str, str] | None" = None,
        exposed_ports: "Sequence[str | int]" = (),
    ) -> None:
        """``docker run [옵션] 이미지 [명령]`` 처럼 컨테이너를 시작합니다(파일 시스템과 설정).

        ``command`` 는 이미지 이름 뒤의 명령(``["sh"]``; 주지 않으면 이미지의 CMD), ``env`` 는 ``-e``
        (``{"K": "V"}`` 또는 ``["K=V"]``), ``entrypoint`` 는 ``--entrypoint``, ``workdir`` 는 ``-w``,
        ``user`` 는 ``-u``, ``labels`` 는 ``-l``, ``exposed_ports`` 는 ``--expose`` 입니다. 주지 않은 설정은
        도커처럼 이미지의 것을 씁니다.
        """
        if not isinstance(image, Image):
            raise ImageLibError(f"컨테이너는 il.Image로 만듭니다({type(image).__name__}를 받았습니다).")
        self.image = image
        self.name = name
        self.config = _run_config(
            image.config,
            Config(
                env=_env_items(env),
                cmd=_argv(command),
                entrypoint=_argv(entrypoint),
                workdir=workdir,
                user=user,
                labels=labels or {},
                exposed_ports=tuple(_port_name(port) for port in exposed_ports),
            ),
        )
        rootfs: FileTree = image.rootfs()
        self._base = rootfs._tree
        self._tree = self._base.copy()
        self._top = len(image.layers)
        self._changes: "dict[str, Entry]" = {}
        self._opaque: "set[str]" = set()

    @property
    def command(self) -> "list[str]":
        """컨테이너가 실행하는 명령 전체(ENTRYPOINT 뒤에 CMD)."""
        return list(self.config.entrypoint or ()) + list(self.config.cmd or ())

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

    def commit(
        self,
        message: str = "",
        changes: "Sequence[str] | Mapping[str, Any] | None" = None,
        author: str = "",
    ) -> Image:
        """컨테이너의 변경을 새 레이어로 굳혀 새 이미지를 만듭니다(``docker commit -m 메시지 -a 작성자``).

        새 이미지의 설정은 도커처럼 **컨테이너의** 설정입니다: ``sh`` 로 시작한 컨테이너면 CMD가 ``["sh"]``,
        ``-e`` 로 준 환경 변수도 들어갑니다. ``changes`` 는 ``docker commit -c`` 처럼 Dockerfile 명령의 목록
        (``['CMD ["nginx", "-g", "daemon off;"]', "ENV PORT=8080"]``; CMD, ENTRYPOINT, ENV, EXPOSE, LABEL,
        ONBUILD, USER, VOLUME, WORKDIR)이나, ``{"cmd": [...], "env": {...}}`` 같은 사전입니다. 파일 시스템에
        바뀐 것이 없으면 도커처럼 레이어 없이 기록(``empty_layer``)만 남깁니다. 원래 이미지는 그대로입니다.
        """
        config = self._changed_config(changes)
        # moby's NewChildImage: created_by is the container's Cmd (not its Entrypoint)
        step = History(created_by=" ".join(self.config.cmd or ()), comment=message, author=author, created=timestamp())
        layer = self.layer(step.created_by, message)
        # Docker writes the committed container's ID and config here; imagelib writes neither (a random
        # ID would change every digest), and the parent's would describe another container.
        extra = {k: v for k, v in self.image._extra.items() if k not in _PARENT_CONTAINER_FIELDS}
        if not layer.entries:
            return self.image._derive(
                config=config,
                history=self.image.history + (replace(step, empty_layer=True),),
                author=author,
                created=step.created,
                extra=extra,
            )
        return self.image._derive(
            layers=self.image.layers + (layer,),
            config=config,
            history=self.image.history + (step,),
            author=author,  # the image's author is the commit's, not inherited (moby's NewChildImage)
            created=step.created,
            extra=extra,
        )

    def _changed_config(self, changes: "Sequence[str] | Mapping[str, Any] | None") -> Config:
        if changes is None:
            return self.config
        if isinstance(changes, str):
            return apply_changes(self.config, [changes])
        if not isinstance(changes, Mapping):
            return apply_changes(self.config, changes)
        unknown = set(changes) - set(_CONFIG_CHANGES)
        if unknown:
            raise ImageLibError(
                f"commit의 changes에 모르는 설정 {sorted(unknown)}가 있습니다. "
                f"쓸 수 있는 것: {', '.join(_CONFIG_CHANGES)}"
            )
        return self.config.changed(**dict(changes))

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


def _argv(command: "Command | None") -> "tuple[str, ...] | None":
    if command is None:
        return None
    return (command,) if isinstance(command, str) else tuple(command)


def _env_items(env: "Mapping[str, str] | Sequence[str] | None") -> "tuple[str, ...]":
    if env is None:
        return ()
    if isinstance(env, Mapping):
        return tuple(f"{key}={value}" for key, value in env.items())
    if isinstance(env, str):
        raise ImageLibError(f"env에는 사전이나 'K=V' 문자열의 목록을 주세요({env!r}를 받았습니다).")
    return tuple(env)


def _port_name(port: "str | int") -> str:
    text = str(port)
    return text if "/" in text else f"{text}/tcp"


def _run_config(image: Config, run: Config) -> Config:
    """The container's config: what ``docker run`` was given, the image's where it was not (moby's merge)."""
    run_keys = {item.partition("=")[0] for item in run.env}
    entrypoint: "tuple[str, ...] | None" = run.entrypoint
    cmd: "tuple[str, ...] | None" = run.cmd
    if not run.entrypoint:  # an entrypoint given at run time drops the image's Cmd
        cmd = run.cmd or image.cmd
        entrypoint = image.entrypoint if run.entrypoint is None else run.entrypoint
    return replace(
        image,
        env=run.env + tuple(item for item in image.env if item.partition("=")[0] not in run_keys),
        cmd=cmd,
        entrypoint=entrypoint,
        workdir=run.workdir or image.workdir,
        user=run.user or image.user,
        labels={**image.labels, **run.labels},
        exposed_ports=tuple(dict.fromkeys(run.exposed_ports + image.exposed_ports)),
        # of the settings imagelib keeps as read, moby's merge takes only the healthcheck from the image
        # (not its OnBuild, Shell, ArgsEscaped, nor the Hostname or Image of the container that made it)
        extra={key: value for key, value in image.extra.items() if key == "Healthcheck"},
    )
