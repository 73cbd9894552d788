"""모형 셸의 명령 목록(registry)과, 셸 내장 명령·파일 명령(mkdir, rm, cp …)의 모형.

``RUN`` 은 진짜 리눅스가 아니라 이미지의 파일 트리 위에서 돌아가는 **모형 셸**에서 실행됩니다.
모형 셸은 여기 등록된 명령만 압니다. 모르는 명령을 만나면 빌드를 멈추고 아는 명령의 목록을
알려 줍니다. 선생님은 명령을 직접 등록할 수 있습니다::

    import imagelib as il

    @il.build.register_command("hello", help="인사말 파일을 만듭니다")
    def hello(ctx):
        ctx.write("/hello.txt", "안녕하세요\\n")
        ctx.out("hello.txt를 만들었습니다\\n")
        return 0                              # 종료 코드(0 = 성공)

명령 함수는 :class:`CommandContext` 하나를 받고 종료 코드(int)를 돌려줍니다. ``ctx.args`` 는
명령 이름을 뺀 인자 목록, ``ctx.env`` 는 환경 변수, ``ctx.cwd`` 는 현재 폴더입니다. 파일은
``ctx.read_text``, ``ctx.write``, ``ctx.mkdir``, ``ctx.delete``, ``ctx.write_model`` (큰 파일을
선언된 크기로 흉내 냄) 등으로 다룹니다. 모든 변경은 컨테이너의 쓰기 가능한 레이어에 기록되어
RUN 한 번이 레이어 하나가 됩니다.

이미지 안에 실행 파일이 있어야 하는 명령(``needs_binary=True``; 예: ``mkdir``, ``apt-get``)은
PATH에서 그 파일을 찾지 못하면 진짜 셸처럼 ``not found`` (종료 코드 127)로 실패합니다.
"""

from __future__ import annotations

import posixpath
import stat
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..container import Container
from ..entries import Dir, File, Symlink, lexical_path
from ..errors import ImageLibError
from ..filetree import TreeEntry
from . import model
from .errors import ShellError

if TYPE_CHECKING:
    from .shell import ShellSession

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass(frozen=True)
class CommandSpec:
    """등록된 명령 하나: 이름, 실행 함수, 이미지에 실행 파일이 필요한지, 설명, 출처."""

    name: str
    run: Callable[["CommandContext"], int]
    needs_binary: bool = False
    help: str = ""
    origin: str = "imagelib"


_REGISTRY: "dict[str, CommandSpec]" = {}


def register_command(name: str, run: "Callable[[CommandContext], int] | None" = None, *,
                     help: str = "", needs_binary: bool = False, replace: bool = False,
                     origin: str = "teacher"):
    """모형 셸에 명령을 등록합니다. 데코레이터로도, 함수로도 씁니다.

    ``needs_binary=True`` 면 이미지의 PATH에 같은 이름의 실행 파일이 있어야 실행됩니다.
    이미 있는 이름을 바꾸려면 ``replace=True`` 를 주세요. 등록한 함수를 그대로 돌려줍니다.
    """
    if not name or any(ch.isspace() for ch in name) or "/" in name:
        raise ShellError(f"명령 이름 {name!r}이(가) 잘못되었습니다. 공백과 '/' 없는 이름을 쓰세요.")

    def add(func: "Callable[[CommandContext], int]") -> "Callable[[CommandContext], int]":
        if name in _REGISTRY and not replace:
            raise ShellError(f"명령 {name!r}은(는) 이미 등록되어 있습니다. 바꾸려면 replace=True를 주세요.")
        _REGISTRY[name] = CommandSpec(name, func, needs_binary, help, origin)
        return func

    return add if run is None else add(run)


def unregister_command(name: str) -> None:
    """등록된 명령을 뺍니다(선생님이 등록한 명령을 치울 때)."""
    if _REGISTRY.pop(name, None) is None:
        raise ShellError(f"등록된 명령 {name!r}이(가) 없습니다.")


def lookup_command(name: str) -> "CommandSpec | None":
    return _REGISTRY.get(name)


def supported_commands() -> "list[str]":
    """모형 셸이 아는 명령 이름들(정렬됨)."""
    return sorted(_REGISTRY)


def command_table() -> "list[tuple[str, str, str]]":
    """(이름, 설명, 이미지에 실행 파일이 필요한지) 목록."""
    return [(spec.name, spec.help, "필요" if spec.needs_binary else "셸 내장")
            for spec in sorted(_REGISTRY.values(), key=lambda s: s.name)]


def builtin(name: str, help: str):
    return register_command(name, help=help, needs_binary=False, origin="imagelib")


def program(name: str, help: str):
    return register_command(name, help=help, needs_binary=True, origin="imagelib")


class CommandFailed(Exception):
    """Raised inside a command to stop it with an error message and exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


WRITE = 0o2  # the "other" write bit; shifted for group (<< 3) and owner (<< 6)


class CommandContext:
    """명령 하나가 실행되는 자리: 인자, 환경 변수, 현재 폴더, 표준 입출력, 파일 시스템."""

    def __init__(self, session: "ShellSession", name: str, args: "list[str]",
                 env: "dict[str, str]", stdin: bytes = b"") -> None:
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

    def write_model(self, path: str, size: int, packed: "int | None" = None, *, mode: int = 0o644,
                    **fields: str) -> None:
        """큰 파일을 모형 파일로 씁니다: 실제 크기 ``size`` 바이트를 선언한 작은 파일."""
        self.add(model.model_file(size, packed, mode=mode, **fields).at(self._key(path)))

    def add(self, entry) -> None:
        """항목(il.File/il.Dir/il.Symlink)을 권한·소유자 그대로 씁니다.

        ``entry.path`` 는 이미지 루트 기준 경로로 봅니다.
        """
        self._may_replace("/" + entry.path, "create")
        self._guard(lambda: self.fs.add(entry.at(self._key("/" + entry.path))))

    def mkdir(self, path: str, mode: int = 0o755) -> None:
        """폴더를 만듭니다(``mkdir -p``). 새로 생긴 폴더는 실행한 사용자 것입니다."""
        steps = self._key(path).split("/")
        missing = [p for p in ("/".join(steps[:n]) for n in range(1, len(steps) + 1))
                   if self.lookup("/" + p) is None]
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
            entry = _entry_copy(self, node, keep_owner=False).at(node.path)
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
        if (verb == "remove" and folder_entry.mode & stat.S_ISVTX and node is not None
                and self.owner[0] not in (node.entry.uid, folder_entry.uid)):
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
            raise CommandFailed(f"sh: 1: {name}: not found", 127)

    def run(self, script: str, env: "dict[str, str] | None" = None) -> int:
        """셸 명령줄을 같은 모형 셸에서 실행합니다(``npm run`` 이 스크립트를 실행하듯)."""
        status, out, err = self.session.run_nested(script, env or self.env)
        self.stdout += out
        self.stderr += err
        return status


# -- helpers for the file commands ---------------------------------------------------------

def split_flags(args: "list[str]", allowed: str, name: str) -> "tuple[set[str], list[str]]":
    """``-rf`` 처럼 붙여 쓴 한 글자 옵션을 나눕니다. ``--`` 뒤는 모두 인자입니다."""
    flags: "set[str]" = set()
    rest: "list[str]" = []
    long = {"--recursive": "r", "--force": "f", "--parents": "p", "--symbolic": "s",
            "--archive": "a", "--no-dereference": "P"}
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


def _entry_copy(ctx: CommandContext, node: TreeEntry, *, keep_owner: bool) -> "File | Dir | Symlink":
    """A new entry like ``node``: owned as before (``keep_owner``) or by the user running ``ctx``."""
    source = node.content or node.entry
    if node.kind == "dir":
        copy = Dir(mode=node.mode)
    elif node.kind == "symlink":
        copy = Symlink(node.target or "")
    else:
        copy = File(source.read(), mode=node.mode)
    uid, gid = (source.uid, source.gid) if keep_owner else ctx.owner
    return replace(copy, uid=uid, gid=gid)


def copy_tree(ctx: CommandContext, source: str, dest: str, *, keep_owner: bool = False) -> None:
    """``source`` (파일, 링크, 폴더)를 ``dest`` 로 통째로 복사합니다."""
    node = ctx.lookup(source, follow=False)
    if node is None:
        raise CommandFailed(f"{ctx.name}: cannot stat '{source}': No such file or directory")
    ctx.add(_entry_copy(ctx, node, keep_owner=keep_owner).at(ctx.path(dest).lstrip("/")))
    if node.kind == "dir":
        for name in ctx.listdir(source):
            copy_tree(ctx, posixpath.join(source, name), posixpath.join(dest, name),
                      keep_owner=keep_owner)


def _target(ctx: CommandContext, sources: "list[str]", dest: str) -> "Callable[[str], str]":
    if len(sources) > 1 and not ctx.is_dir(dest):
        raise CommandFailed(f"{ctx.name}: target '{dest}' is not a directory")
    if ctx.is_dir(dest):
        return lambda src: posixpath.join(dest, posixpath.basename(src.rstrip("/")))
    return lambda src: dest


# -- shell builtins ------------------------------------------------------------------------

@builtin("true", "아무것도 하지 않고 성공(0)")
def _true(ctx: CommandContext) -> int:
    return 0


@builtin(":", "아무것도 하지 않고 성공(0)")
def _colon(ctx: CommandContext) -> int:
    return 0


@builtin("false", "아무것도 하지 않고 실패(1)")
def _false(ctx: CommandContext) -> int:
    return 1


_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "r": "\r", "0": "\0"}


def _unescape(text: str) -> "tuple[str, bool]":
    result, index, stop = [], 0, False
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            nxt = text[index + 1]
            if nxt == "c":
                stop = True
                break
            result.append(_ESCAPES.get(nxt, "\\" + nxt))
            index += 2
            continue
        result.append(char)
        index += 1
    return "".join(result), stop


@builtin("echo", "글자를 출력(-n: 줄바꿈 없이, -e: \\n 같은 이스케이프 해석)")
def _echo(ctx: CommandContext) -> int:
    args, newline, escapes = list(ctx.args), True, False
    while args and args[0] in ("-n", "-e", "-ne", "-en", "-E"):
        flag = args.pop(0)
        newline = newline and "n" not in flag
        escapes = escapes or "e" in flag
    text = " ".join(args)
    if escapes:
        text, stop = _unescape(text)
        newline = newline and not stop
    ctx.out(text + ("\n" if newline else ""))
    return 0


@builtin("printf", "형식에 맞춰 출력(%s, %d, \\n)")
def _printf(ctx: CommandContext) -> int:
    if not ctx.args:
        return ctx.fail("printf: usage: printf format [arguments]", 2)
    fmt, values = ctx.args[0], list(ctx.args[1:])
    fmt, _ = _unescape(fmt)
    while True:
        out, used = [], 0
        parts = fmt.split("%")
        out.append(parts[0])
        for part in parts[1:]:
            if not part:
                out.append("%")
                continue
            spec, rest = part[0], part[1:]
            if spec in "sd":
                value = values[used] if used < len(values) else ""
                used += 1
                out.append(value if spec == "s" else str(int(value or 0)))
            else:
                out.append("%" + spec)
            out.append(rest)
        ctx.out("".join(out))
        values = values[used:]
        if not values or used == 0:
            return 0


@builtin("pwd", "현재 폴더를 출력")
def _pwd(ctx: CommandContext) -> int:
    ctx.out(ctx.cwd + "\n")
    return 0


@builtin("cd", "현재 폴더 바꾸기(이 RUN 안에서만)")
def _cd(ctx: CommandContext) -> int:
    target = ctx.args[0] if ctx.args else ctx.env.get("HOME", "/root")
    if not ctx.is_dir(target):
        return ctx.fail(f"sh: 1: cd: can't cd to {target}", 2)
    ctx.session.cwd = ctx.path(target)
    return 0


@builtin("export", "환경 변수 정하기(이 RUN 안에서만; 이미지에 남기려면 ENV)")
def _export(ctx: CommandContext) -> int:
    for arg in ctx.args:
        name, sep, value = arg.partition("=")
        if sep:
            ctx.session.env[name] = value
    return 0


@builtin("unset", "환경 변수 지우기")
def _unset(ctx: CommandContext) -> int:
    for arg in ctx.args:
        ctx.session.env.pop(arg, None)
    return 0


@builtin("set", "셸 옵션(-e: 실패하면 멈춤, -x, -u, -o pipefail)")
def _set(ctx: CommandContext) -> int:
    args = list(ctx.args)
    while args:
        arg = args.pop(0)
        if arg in ("-o", "+o") and args:
            option = args.pop(0)
            if option == "pipefail":
                ctx.session.pipefail = arg == "-o"
            elif option == "errexit":
                ctx.session.errexit = arg == "-o"
            continue
        if arg[:1] in "-+" and len(arg) > 1:
            if "e" in arg:
                ctx.session.errexit = arg[0] == "-"
            continue
    return 0


@builtin("exit", "셸 끝내기(종료 코드)")
def _exit(ctx: CommandContext) -> int:
    from .shell import ExitShell

    raise ExitShell(int(ctx.args[0]) if ctx.args else ctx.session.status)


def _test(ctx: CommandContext, args: "list[str]") -> int:
    negate = False
    if args and args[0] == "!":
        negate, args = True, args[1:]
    if not args:
        result = False
    elif len(args) == 1:
        result = args[0] != ""
    elif len(args) == 2:
        op, operand = args
        checks = {"-e": ctx.exists, "-f": ctx.is_file, "-d": ctx.is_dir,
                  "-L": lambda p: (n := ctx.lookup(p, follow=False)) is not None and n.kind == "symlink",
                  "-s": lambda p: ctx.is_file(p) and len(ctx.read_bytes(p)) > 0,
                  "-x": lambda p: (n := ctx.lookup(p)) is not None and bool(n.mode & 0o111),
                  "-z": lambda s: s == "", "-n": lambda s: s != ""}
        if op not in checks:
            return ctx.fail(f"sh: 1: test: {op}: unexpected operator", 2)
        result = bool(checks[op](operand))
    elif len(args) == 3:
        left, op, right = args
        compare = {"=": lambda a, b: a == b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
        numeric = {"-eq": "__eq__", "-ne": "__ne__", "-lt": "__lt__", "-le": "__le__",
                   "-gt": "__gt__", "-ge": "__ge__"}
        if op in compare:
            result = compare[op](left, right)
        elif op in numeric:
            try:
                result = getattr(int(left), numeric[op])(int(right))
            except ValueError:
                return ctx.fail(f"sh: 1: test: Illegal number: {left}", 2)
        else:
            return ctx.fail(f"sh: 1: test: {op}: unexpected operator", 2)
    else:
        return ctx.fail("sh: 1: test: too many arguments (모형 셸은 -a/-o를 지원하지 않습니다)", 2)
    return 0 if result != negate else 1


@builtin("test", "조건 검사(-f 파일, -d 폴더, -e 있음, -z 빈 글자, = 같음)")
def _test_cmd(ctx: CommandContext) -> int:
    return _test(ctx, ctx.args)


@builtin("[", "test와 같음: [ -f 파일 ]")
def _bracket(ctx: CommandContext) -> int:
    if not ctx.args or ctx.args[-1] != "]":
        return ctx.fail("sh: 1: [: missing ]", 2)
    return _test(ctx, ctx.args[:-1])


# -- programs that must exist in the image ------------------------------------------------

@program("cat", "파일 내용 출력(인자가 없으면 표준 입력)")
def _cat(ctx: CommandContext) -> int:
    if not ctx.args:
        ctx.out(ctx.stdin)
        return 0
    status = 0
    for path in ctx.args:
        if path == "-":
            ctx.out(ctx.stdin)
        elif ctx.is_dir(path):
            status = ctx.fail(f"cat: {path}: Is a directory")
        elif not ctx.is_file(path):
            status = ctx.fail(f"cat: {path}: No such file or directory")
        else:
            ctx.out(ctx.read_bytes(path))
    return status


@program("mkdir", "폴더 만들기(-p: 부모 폴더까지, 이미 있어도 괜찮음)")
def _mkdir(ctx: CommandContext) -> int:
    args = list(ctx.args)
    mode = 0o755
    if "-m" in args:
        at = args.index("-m")
        mode = int(args[at + 1], 8)
        del args[at:at + 2]
    flags, paths = split_flags(args, "pv", "mkdir")
    if not paths:
        return ctx.fail("mkdir: missing operand")
    status = 0
    for path in paths:
        if "p" not in flags:
            if ctx.lookup(path, follow=False) is not None:
                status = ctx.fail(f"mkdir: cannot create directory '{path}': File exists")
                continue
            if not ctx.is_dir(posixpath.dirname(ctx.path(path))):
                status = ctx.fail(f"mkdir: cannot create directory '{path}': No such file or directory")
                continue
        elif ctx.exists(path) and not ctx.is_dir(path):
            status = ctx.fail(f"mkdir: cannot create directory '{path}': File exists")
            continue
        ctx.mkdir(path, mode)
    return status


@program("rm", "파일·폴더 지우기(-r: 폴더째, -f: 없어도 조용히)")
def _rm(ctx: CommandContext) -> int:
    flags, paths = split_flags(ctx.args, "rRfvd", "rm")
    recursive, force = bool({"r", "R"} & flags), "f" in flags
    if not paths and not force:
        return ctx.fail("rm: missing operand")
    status = 0
    for path in paths:
        if ctx.path(path) == "/":
            status = ctx.fail("rm: it is dangerous to operate recursively on '/'")
            continue
        node = ctx.lookup(path, follow=False)
        if node is None:
            if not force:
                status = ctx.fail(f"rm: cannot remove '{path}': No such file or directory")
            continue
        if node.kind == "dir" and not recursive:
            status = ctx.fail(f"rm: cannot remove '{path}': Is a directory")
            continue
        ctx.delete(path)
    return status


@program("cp", "복사(-r: 폴더째, -a: 권한·소유자까지)")
def _cp(ctx: CommandContext) -> int:
    flags, paths = split_flags(ctx.args, "rRapfvPLdT", "cp")
    if len(paths) < 2:
        return ctx.fail("cp: missing destination file operand")
    *sources, dest = paths
    target = _target(ctx, sources, dest)
    status = 0
    for source in sources:
        node = ctx.lookup(source)
        if node is None:
            status = ctx.fail(f"cp: cannot stat '{source}': No such file or directory")
            continue
        if node.kind == "dir" and not ({"r", "R", "a"} & flags):
            status = ctx.fail(f"cp: -r not specified; omitting directory '{source}'")
            continue
        if node.kind == "dir":
            copy_tree(ctx, source, target(source), keep_owner="a" in flags)
        else:
            ctx.add(_entry_copy(ctx, node, keep_owner="a" in flags or "p" in flags)
                    .at(ctx.path(target(source)).lstrip("/")))
    return status


@program("mv", "옮기기·이름 바꾸기")
def _mv(ctx: CommandContext) -> int:
    flags, paths = split_flags(ctx.args, "fvnT", "mv")
    if len(paths) < 2:
        return ctx.fail("mv: missing destination file operand")
    *sources, dest = paths
    target = _target(ctx, sources, dest)
    status = 0
    for source in sources:
        if ctx.lookup(source, follow=False) is None:
            status = ctx.fail(f"mv: cannot stat '{source}': No such file or directory")
            continue
        destination = target(source)
        if ctx.path(destination) == ctx.path(source):
            continue
        copy_tree(ctx, source, destination, keep_owner=True)
        ctx.delete(source)
    return status


@program("touch", "빈 파일 만들기(있는 파일이면 시각만 바뀌지만, 레이어에는 통째로 복사됩니다)")
def _touch(ctx: CommandContext) -> int:
    _, paths = split_flags(ctx.args, "acm", "touch")
    if not paths:
        return ctx.fail("touch: missing file operand")
    for path in paths:
        node = ctx.lookup(path)
        if node is None:
            if not ctx.is_dir(posixpath.dirname(ctx.path(path))):
                return ctx.fail(f"touch: cannot touch '{path}': No such file or directory")
            ctx.write(path, b"")
        else:
            # overlayfs copies a lower file up even for a timestamp change
            ctx.add(_entry_copy(ctx, node, keep_owner=True).at(node.path))
    return 0


_WHO = {"u": 0o4700, "g": 0o2070, "o": 0o1007, "a": 0o7777}
_PERM = {"r": 0o444, "w": 0o222, "x": 0o111, "s": 0o6000, "t": 0o1000}


def parse_mode(text: str, current: int, is_dir: bool) -> int:
    """``755`` 나 ``u+x,go-w`` 같은 권한 표기를 새 권한 값으로."""
    if text.isdigit():
        return int(text, 8)
    mode = current
    for clause in text.split(","):
        who_text = ""
        while clause and clause[0] in "ugoa":
            who_text, clause = who_text + clause[0], clause[1:]
        if not clause or clause[0] not in "+-=":
            raise CommandFailed(f"chmod: invalid mode: '{text}'")
        op, perms = clause[0], clause[1:]
        who = 0
        for letter in who_text or "a":
            who |= _WHO[letter]
        bits = 0
        for letter in perms:
            if letter == "X":
                bits |= 0o111 if is_dir or current & 0o111 else 0
            elif letter in _PERM:
                bits |= _PERM[letter]
            else:
                raise CommandFailed(f"chmod: invalid mode: '{text}'")
        bits &= who
        if op == "+":
            mode |= bits
        elif op == "-":
            mode &= ~bits
        else:
            mode = (mode & ~who) | bits
    return mode & 0o7777


def _walk(ctx: CommandContext, path: str, recursive: bool) -> "list[str]":
    paths = [path]
    if recursive and ctx.is_dir(path) and ctx.lookup(path, follow=False).kind == "dir":
        for name in ctx.listdir(path):
            paths += _walk(ctx, posixpath.join(path, name), True)
    return paths


@program("chmod", "권한 바꾸기(755, u+x …; 아래 레이어의 파일이면 통째로 복사됩니다)")
def _chmod(ctx: CommandContext) -> int:
    args = [a for a in ctx.args if a not in ("-R", "--recursive")]
    recursive = len(args) != len(ctx.args)
    if len(args) < 2:
        return ctx.fail("chmod: missing operand")
    text, *paths = args
    status = 0
    for top in paths:
        if ctx.lookup(top) is None:
            status = ctx.fail(f"chmod: cannot access '{top}': No such file or directory")
            continue
        for path in _walk(ctx, top, recursive):
            node = ctx.lookup(path)
            if node is None or node.kind == "symlink":
                continue
            ctx.chmod(path, parse_mode(text, node.mode, node.kind == "dir"))
    return status


def _ids(ctx: CommandContext, spec: str) -> "tuple[int | None, int | None]":
    user, _, group = spec.partition(":")
    uid = resolve_id(ctx, user, "/etc/passwd") if user else None
    gid = resolve_id(ctx, group, "/etc/group") if group else None
    if user and not group and ":" in spec:
        gid = primary_group(ctx, uid)
    return uid, gid


def resolve_id(ctx: CommandContext, name: str, database: str) -> int:
    """사용자·그룹 이름(또는 숫자)을 번호로. 이미지의 /etc/passwd, /etc/group을 읽습니다."""
    if name.isdigit():
        return int(name)
    if ctx.is_file(database):
        for line in ctx.read_text(database).splitlines():
            fields = line.split(":")
            if len(fields) > 2 and fields[0] == name:
                return int(fields[2])
    what = "user" if database.endswith("passwd") else "group"
    raise CommandFailed(f"{ctx.name}: invalid {what}: '{name}'")


def primary_group(ctx: CommandContext, uid: "int | None") -> "int | None":
    if uid is None or not ctx.is_file("/etc/passwd"):
        return uid
    for line in ctx.read_text("/etc/passwd").splitlines():
        fields = line.split(":")
        if len(fields) > 3 and fields[2] == str(uid):
            return int(fields[3])
    return uid


@program("chown", "소유자 바꾸기(user:group; 파일이 통째로 새 레이어에 복사됩니다)")
def _chown(ctx: CommandContext) -> int:
    args = [a for a in ctx.args if a not in ("-R", "--recursive")]
    recursive = len(args) != len(ctx.args)
    if len(args) < 2:
        return ctx.fail("chown: missing operand")
    spec, *paths = args
    uid, gid = _ids(ctx, spec)
    status = 0
    for top in paths:
        if ctx.lookup(top, follow=False) is None:
            status = ctx.fail(f"chown: cannot access '{top}': No such file or directory")
            continue
        for path in _walk(ctx, top, recursive):
            node = ctx.lookup(path, follow=False)
            copy = _entry_copy(ctx, node, keep_owner=True)
            copy = replace(copy, uid=copy.uid if uid is None else uid,
                           gid=copy.gid if gid is None else gid)
            ctx.add(copy.at(node.path))
    return status


@program("ln", "링크 만들기(ln -s 대상 이름; 하드 링크는 지원하지 않음)")
def _ln(ctx: CommandContext) -> int:
    flags, paths = split_flags(ctx.args, "sfnvT", "ln")
    if "s" not in flags:
        return ctx.fail("ln: 모형 셸은 하드 링크를 만들지 않습니다. 심볼릭 링크(ln -s)를 쓰세요.")
    if len(paths) == 1:
        paths.append(posixpath.basename(paths[0]))
    if len(paths) != 2:
        return ctx.fail("ln: 모형 셸은 'ln -s 대상 링크이름' 형태만 지원합니다.")
    target, link = paths
    if ctx.is_dir(link) and "n" not in flags:
        link = posixpath.join(link, posixpath.basename(target))
    if ctx.lookup(link, follow=False) is not None:
        if "f" not in flags:
            return ctx.fail(f"ln: failed to create symbolic link '{link}': File exists")
        ctx.delete(link)
    ctx.symlink(link, target)
    return 0


def _mode_text(node: TreeEntry) -> str:
    kind = {"dir": "d", "symlink": "l"}.get(node.kind, "-")
    bits = "".join(letter if node.mode & (1 << (8 - i)) else "-"
                   for i, letter in enumerate("rwxrwxrwx"))
    return kind + bits


@program("ls", "폴더 내용 보기(-l: 자세히, -a: 숨은 파일까지; 모형 파일은 선언된 크기로)")
def _ls(ctx: CommandContext) -> int:
    flags, paths = split_flags(ctx.args, "laA1hR", "ls")
    status = 0
    for index, path in enumerate(paths or ["."]):
        node = ctx.lookup(path)
        if node is None and ctx.path(path) != "/":
            status = ctx.fail(f"ls: cannot access '{path}': No such file or directory", 2)
            continue
        if len(paths) > 1 and ctx.is_dir(path):
            ctx.out(("\n" if index else "") + f"{path}:\n")
        names = ctx.listdir(path) if ctx.is_dir(path) else [path]
        if not ({"a", "A"} & flags):
            names = [n for n in names if not n.startswith(".")]
        for name in names:
            full = posixpath.join(path, name) if ctx.is_dir(path) else path
            if "l" not in flags:
                ctx.out(name + "\n")
                continue
            item = ctx.lookup(full, follow=False)
            declared_value = model.declared(item)
            size = declared_value.size if declared_value else item.size
            link = f" -> {item.target}" if item.kind == "symlink" else ""
            source = item.content or item.entry
            ctx.out(f"{_mode_text(item)} {source.uid:>5} {source.gid:>5} {size:>10} {name}{link}\n")
    return status


@builtin("env", "환경 변수 목록")
def _env(ctx: CommandContext) -> int:
    if ctx.args:
        return ctx.fail("env: 모형 셸의 env는 목록 출력만 지원합니다.")
    ctx.out("".join(f"{k}={v}\n" for k, v in ctx.env.items()))
    return 0


@builtin("printenv", "환경 변수 출력")
def _printenv(ctx: CommandContext) -> int:
    if ctx.args:
        values = [ctx.env[a] for a in ctx.args if a in ctx.env]
        ctx.out("".join(v + "\n" for v in values))
        return 0 if len(values) == len(ctx.args) else 1
    return _env(ctx)


@program("whoami", "현재 사용자 이름")
def _whoami(ctx: CommandContext) -> int:
    user = ctx.session.user or "root"
    if user.isdigit() and ctx.is_file("/etc/passwd"):
        for line in ctx.read_text("/etc/passwd").splitlines():
            fields = line.split(":")
            if len(fields) > 2 and fields[2] == user:
                user = fields[0]
    ctx.out(user.split(":")[0] + "\n")
    return 0


@program("sleep", "기다리기(모형에서는 바로 끝남)")
def _sleep(ctx: CommandContext) -> int:
    return 0

