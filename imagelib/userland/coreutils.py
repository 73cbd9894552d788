"""이미지에 실행 파일이 있어야 하는 기본 프로그램(coreutils, busybox): 파일과 사용자 명령.

``cat``, ``mkdir``, ``rm``, ``cp``, ``mv``, ``touch``, ``chmod``, ``chown``, ``ln``, ``ls``, ``whoami``,
``sleep``. PATH에서 실행 파일을 찾지 못하면 진짜 셸처럼 ``not found`` (종료 코드 127)로 실패합니다.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import replace

from .. import modelfile
from ..filetree import TreeEntry
from .context import CommandContext, entry_copy, split_flags
from .errors import CommandFailed
from .table import program


def copy_tree(ctx: CommandContext, source: str, dest: str, *, keep_owner: bool = False) -> None:
    """``source`` (파일, 링크, 폴더)를 ``dest`` 로 통째로 복사합니다."""
    node = ctx.lookup(source, follow=False)
    if node is None:
        raise CommandFailed(f"{ctx.name}: cannot stat '{source}': No such file or directory")
    ctx.add(entry_copy(ctx, node, keep_owner=keep_owner).at(ctx.path(dest).lstrip("/")))
    if node.kind == "dir":
        for name in ctx.listdir(source):
            copy_tree(ctx, posixpath.join(source, name), posixpath.join(dest, name), keep_owner=keep_owner)


def _target(ctx: CommandContext, sources: "list[str]", dest: str) -> "Callable[[str], str]":
    if len(sources) > 1 and not ctx.is_dir(dest):
        raise CommandFailed(f"{ctx.name}: target '{dest}' is not a directory")
    if ctx.is_dir(dest):
        return lambda src: posixpath.join(dest, posixpath.basename(src.rstrip("/")))
    return lambda src: dest


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
        del args[at : at + 2]
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
            ctx.add(
                entry_copy(ctx, node, keep_owner="a" in flags or "p" in flags).at(ctx.path(target(source)).lstrip("/"))
            )
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
            ctx.add(entry_copy(ctx, node, keep_owner=True).at(node.path))
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
    node = ctx.lookup(path, follow=False)
    if recursive and ctx.is_dir(path) and node is not None and node.kind == "dir":
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
            if node is None:
                continue  # the walk lists only paths that exist
            copy = entry_copy(ctx, node, keep_owner=True)
            copy = replace(copy, uid=copy.uid if uid is None else uid, gid=copy.gid if gid is None else gid)
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
    bits = "".join(letter if node.mode & (1 << (8 - i)) else "-" for i, letter in enumerate("rwxrwxrwx"))
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
            if item is None:
                continue  # listdir names only paths that exist
            declared_value = modelfile.declared(item)
            size = declared_value.size if declared_value else item.size
            link = f" -> {item.target}" if item.kind == "symlink" else ""
            source = item.content or item.entry
            ctx.out(f"{_mode_text(item)} {source.uid:>5} {source.gid:>5} {size:>10} {name}{link}\n")
    return status


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
