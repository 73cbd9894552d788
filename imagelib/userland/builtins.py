"""셸 내장 명령(builtin): 이미지에 실행 파일이 없어도 셸이 스스로 하는 명령.

``echo``, ``printf``, ``cd``, ``export``, ``set``, ``exit``, ``test`` (``[``), ``env`` …
"""

from __future__ import annotations

from .context import CommandContext
from .errors import ExitShell
from .table import builtin


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
        return ctx.fail(ctx.session.dialect.cannot_cd(target), 2)
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
        checks = {
            "-e": ctx.exists,
            "-f": ctx.is_file,
            "-d": ctx.is_dir,
            "-L": lambda p: (n := ctx.lookup(p, follow=False)) is not None and n.kind == "symlink",
            "-s": lambda p: ctx.is_file(p) and len(ctx.read_bytes(p)) > 0,
            "-x": lambda p: (n := ctx.lookup(p)) is not None and bool(n.mode & 0o111),
            "-z": lambda s: s == "",
            "-n": lambda s: s != "",
        }
        if op not in checks:
            return ctx.fail(f"sh: 1: test: {op}: unexpected operator", 2)
        result = bool(checks[op](operand))
    elif len(args) == 3:
        left, op, right = args
        compare = {"=": lambda a, b: a == b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
        numeric = {"-eq": "__eq__", "-ne": "__ne__", "-lt": "__lt__", "-le": "__le__", "-gt": "__gt__", "-ge": "__ge__"}
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
