"""명령 하나가 실행되는 자리(CommandContext): 인자, 환경 변수, 현재 폴더, 입출력, 파일 시스템.

명령 함수는 ``CommandContext`` 하나를 받고 종료 코드(int)를 돌려줍니다. 파일을 바꾸는 일은 모두
컨테이너의 쓰기 가능한 레이어에 기록되며, 루트가 아닌 사용자에게는 리눅스처럼 권한을 검사합니다.
"""

from __future__ import annotations

import posixpath
import stat
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from .. import modelfile
from ..container import Container
from ..entries import Dir, File, Symlink, lexical_path
from ..errors import ImageLibError
from ..filetree import TreeEntry
from .dialect import ShellDialect
from .errors import CommandFailed


class Session(Protocol):
    """What a command may use of the shell running it (``ShellSession`` is the one implementation;
    naming it here keeps the commands independent of the shell module)."""

    fs: Container
    env: "dict[str, str]"
    cwd: str
    user: str
    owner: "tuple[int, int]"
    status: int
    errexit: bool
    pipefail: bool
    dialect: ShellDialect

    def find_program(self, name: str, env: "dict[str, str]") -> "tuple[str | None, str]": ...

    def run_nested(self, script: str, env: "dict[str, str]") -> "tuple[int, bytes, bytes]": ...


WRITE = 0o2  # the "other" write bit; shifted for group (<< 3) and owner (<< 6)


class CommandContext:
    """명령 하나가 실행되는 자리: 인자, 환경 변수, 현재 폴더, 표준 입출력, 파일 시스템."""

    def __init__(
        self, session: "Session", name: str, args: "list[str]", env: "dict[str, str]", stdin: bytes = b""
    ) -> None:
        self.session = session
        self.name = name
        self.args = list(args)
        self.env = env
        self.stdin = stdin
        self.stdout = bytearray()
        self.stderr = bytearray()

    # -- where we are ---------------------------------------------------------------------

    @property
    def fs(self) -> Container:
        """쓰기 가능한 레이어를 가진 컨테이너(RUN이 끝나면 이 변경이 레이어가 됩니다)."""
        return self.session.fs

    @property
    def cwd(self) -> str:
        return self.session.cwd

    def path(self, path: str) -> str:
        """이미지 안의 절대 경로(``/app/x``). 상대 경로는 현재 폴더 기준입니다."""
        joined = path if path.startswith("/") else posixpath.join(self.cwd, path)
        return "/" + lexical_path(joined)

    def _key(self, path: str) -> str:
        return self.path(path).lstrip("/")

    # -- output ---------------------------------------------------------------------------

    def out(self, text: "str | bytes") -> None:
        """표준 출력에 씁니다(빌드 기록에 보입니다)."""
        self.stdout += text.encode("utf-8") if isinstance(text, str) else text

    def err(self, text: "str | bytes") -> None:
        """표준 오류에 씁니다."""
        self.stderr += text.encode("utf-8") if isinstance(text, str) else text

    def fail(self, message: str, status: int = 1) -> int:
        """오류 메시지를 쓰고 종료 코드를 돌려줍니다: ``return ctx.fail("...")``."""
        self.err(message.rstrip("\n") + "\n")
        return status

    # -- reading --------------------------------------------------------------------------

    def lookup(self, path: str, follow: bool = True) -> "TreeEntry | None":
        key = self._key(path)
        if not key:
            return None
        try:
            return self.fs.entry(key, follow_symlinks=follow)
        except ImageLibError:
            return None

    def exists(self, path: str) -> bool:
        """경로가 있으면 True(심볼릭 링크는 따라감; 루트는 언제나 있음)."""
        return not self._key(path) or self.lookup(path) is not None

    def is_dir(self, path: str) -> bool:
        if not self._key(path):
            return True
        node = self.lookup(path)
        return node is not None and node.kind == "dir"

    def is_file(self, path: str) -> bool:
        node = self.lookup(path)
        return node is not None and node.kind in ("file", "hardlink")

    def read_bytes(self, path: str) -> bytes:
        node = self.lookup(path)
        if node is None or node.kind not in ("file", "hardlink"):
            raise CommandFailed(f"{self.name}: {path}: No such file or directory")
        return node.read_bytes()

    def read_text(self, path: str) -> str:
        return self.read_bytes(path).decode("utf-8", "replace")

    def listdir(self, path: str = ".") -> "list[str]":
        if not self.is_dir(path):
            raise CommandFailed(f"{self.name}: {path}: Not a directory")
        return self.fs.listdir(self._key(path) or "/")

    # -- writing --------------------------------------------------------------------------

    @property
    def owner(self) -> "tuple[int, int]":
        """명령을 실행하는 사용자의 (uid, gid). 새로 만드는 파일·폴더·링크의 소유자가 됩니다."""
        return self.session.owner

    def write(self, path: str, data: "str | bytes", mode: "int | None" = None) -> None:
        """파일을 씁니다(없는 부모 폴더는 만듦). 있던 파일은 소유자가 그대로, 새 파일은 실행한 사용자 것."""
        existing = self._may_replace(path, "create")
        self._guard(lambda: self.fs.write(self._key(path), data, mode=mode))
        if existing is None:
            self._own(path)

    def write_model(
        self, path: str, size: int, packed: "int | None" = None, *, mode: int = 0o644, **fields: str
    ) -> None:
        """큰 파일을 모형 파일로 씁니다: 실제 크기 ``size`` 바이트를 선언한 작은 파일."""
        # model_bytes, not model_file: a field named uid or gid is a description, not the owner.
        self.add(File(modelfile.model_bytes(size, packed, **fields), mode=mode).at(self._key(path)))

    def add(self, entry) -> None:
        """항목(il.File/il.Dir/il.Symlink)을 권한·소유자 그대로 씁니다.

        ``entry.path`` 는 이미지 루트 기준 경로로 봅니다.
        """
        self._may_replace("/" + entry.path, "create")
        self._guard(lambda: self.fs.add(entry.at(self._key("/" + entry.path))))

    def mkdir(self, path: str, mode: int = 0o755) -> None:
        """폴더를 만듭니다(``mkdir -p``). 새로 생긴 폴더는 실행한 사용자 것입니다."""
        steps = self._key(path).split("/")
        missing = [p for p in ("/".join(steps[:n]) for n in range(1, len(steps) + 1)) if self.lookup("/" + p) is None]
        if missing:
            self._may_change_folder_of("/" + missing[0], "create directory")
        self._guard(lambda: self.fs.mkdir(self._key(path), mode=mode))
        for made in missing:
            self._own("/" + made)

    def delete(self, path: str) -> None:
        """파일이나 폴더를 지웁니다(아래 레이어에 있던 것이면 화이트아웃이 남습니다)."""
        self._may_change_folder_of(path, "remove")
        self._guard(lambda: self.fs.delete(self._key(path)))

    def symlink(self, path: str, target: str) -> None:
        self._may_change_folder_of(path, "create")
        self._guard(lambda: self.fs.symlink(self._key(path), target))
        self._own(path)

    def _own(self, path: str) -> None:
        """Give a path this command just created to the user running it (root needs nothing)."""
        if self.owner != (0, 0):
            node = self.lookup(path, follow=False)
            if node is None:
                return  # nothing was made (a command that did not create what it meant to)
            entry = entry_copy(self, node, keep_owner=False).at(node.path)
            self._guard(lambda: self.fs.add(entry))

    def chmod(self, path: str, mode: int) -> None:
        node = self.lookup(path)
        if self.owner[0] != 0 and node is not None and node.entry.uid != self.owner[0]:
            raise CommandFailed(f"{self.name}: {path}: Operation not permitted")
        self._guard(lambda: self.fs.chmod(self._key(path), mode))

    # -- permissions (what the kernel checks for a user who is not root) ------------------

    def _may_replace(self, path: str, verb: str) -> "TreeEntry | None":
        """Changing a file's bytes needs its write bit; making a new name needs the folder's.
        Returns what is at ``path`` now (None: nothing)."""
        node = self.lookup(path, follow=False)
        if node is not None and node.kind in ("file", "hardlink"):
            if not self._allowed(node.entry, WRITE):
                raise CommandFailed(f"{self.name}: can't {verb} '{path}': Permission denied")
        else:
            self._may_change_folder_of(path, verb)
        return node

    def _may_change_folder_of(self, path: str, verb: str) -> None:
        """Adding or removing a name needs the folder's write bit; with the sticky bit (``/tmp``),
        only the owner of the name (or of the folder) may remove it."""
        if self.owner[0] == 0:
            return
        parent = posixpath.dirname(self.path(path))
        folder = self.lookup(parent) if parent != "/" else None
        folder_entry = folder.entry if folder is not None else Dir()  # "/" is root's, 0755
        if not self._allowed(folder_entry, WRITE):
            raise CommandFailed(f"{self.name}: can't {verb} '{path}': Permission denied")
        node = self.lookup(path, follow=False)
        if (
            verb == "remove"
            and folder_entry.mode & stat.S_ISVTX
            and node is not None
            and self.owner[0] not in (node.entry.uid, folder_entry.uid)
        ):
            raise CommandFailed(f"{self.name}: can't {verb} '{path}': Operation not permitted")

    def _allowed(self, entry, bit: int) -> bool:
        uid, gid = self.owner
        if uid == 0:
            return True
        if uid == entry.uid:
            return bool(entry.mode & (bit << 6))
        if gid == entry.gid:
            return bool(entry.mode & (bit << 3))
        return bool(entry.mode & bit)

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except ImageLibError as error:
            raise CommandFailed(f"{self.name}: {error}") from None

    # -- other programs -------------------------------------------------------------------

    def has_program(self, name: str) -> bool:
        """PATH에 실행 가능한 ``name`` 이 있으면 True."""
        return self.session.find_program(name, self.env)[0] is not None

    def require(self, name: str) -> None:
        """``name`` 프로그램이 없으면 진짜 셸처럼 ``not found`` 로 실패합니다."""
        if not self.has_program(name):
            raise CommandFailed(self.session.dialect.not_found(name, argv0="sh"), 127)

    def run(self, script: str, env: "dict[str, str] | None" = None) -> int:
        """셸 명령줄을 같은 모형 셸에서 실행합니다(``npm run`` 이 스크립트를 실행하듯)."""
        status, out, err = self.session.run_nested(script, env or self.env)
        self.stdout += out
        self.stderr += err
        return status


# -- helpers for commands ----------------------------------------------------------------


def split_flags(args: "list[str]", allowed: str, name: str) -> "tuple[set[str], list[str]]":
    """``-rf`` 처럼 붙여 쓴 한 글자 옵션을 나눕니다. ``--`` 뒤는 모두 인자입니다."""
    flags: "set[str]" = set()
    rest: "list[str]" = []
    long = {
        "--recursive": "r",
        "--force": "f",
        "--parents": "p",
        "--symbolic": "s",
        "--archive": "a",
        "--no-dereference": "P",
    }
    only_args = False
    for arg in args:
        if only_args or arg == "-" or not arg.startswith("-"):
            rest.append(arg)
        elif arg == "--":
            only_args = True
        elif arg in long and long[arg] in allowed:
            flags.add(long[arg])
        elif arg.startswith("--"):
            raise CommandFailed(f"{name}: unrecognized option '{arg}'", 1)
        else:
            for letter in arg[1:]:
                if letter not in allowed:
                    raise CommandFailed(f"{name}: invalid option -- '{letter}'", 1)
                flags.add(letter)
    return flags, rest


def entry_copy(ctx: CommandContext, node: TreeEntry, *, keep_owner: bool) -> "File | Dir | Symlink":
    """A new entry like ``node``: owned as before (``keep_owner``) or by the user running ``ctx``."""
    source = node.content or node.entry
    copy: "File | Dir | Symlink"
    if node.kind == "dir":
        copy = Dir(mode=node.mode)
    elif node.kind == "symlink":
        copy = Symlink(node.target or "")
    else:
        copy = File(node.read_bytes(), mode=node.mode)
    uid, gid = (source.uid, source.gid) if keep_owner else ctx.owner
    return replace(copy, uid=uid, gid=gid)
