"""모형 POSIX 셸(modeled shell): ``RUN`` 의 명령줄을 이미지의 파일 트리 위에서 실행합니다.

진짜 프로그램을 실행하지도, 여러분의 컴퓨터(호스트)를 건드리지도 않습니다. 파일 변경은 모두
컨테이너(il.Container)의 쓰기 가능한 레이어에 쌓이고, RUN이 끝나면 그 변경이 새 레이어가 됩니다.
그래서 같은 Dockerfile은 어디서나 같은 레이어(같은 다이제스트)를 만듭니다.

지원하는 문법: ``a && b``, ``a || b``, ``a ; b``, ``a | b``, ``( … )``, ``! a``, ``> 파일``,
``>> 파일``, ``< 파일``, ``2> 파일``, ``2>&1``, ``&>``, 작은따옴표·큰따옴표·``\\`` 이스케이프,
``$VAR``·``${VAR}``·``${VAR:-기본값}``, ``*``·``?``·``[…]`` 와일드카드, ``VAR=값 명령``, ``~``.
``if``/``for`` 같은 제어문, ``$(…)`` 명령 치환, 백그라운드 ``&`` 는 지원하지 않습니다(알려 줍니다).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from .. import modelfile
from ..container import Container
from ..errors import ImageLibError
from ..pathmatch import compile_match
from .context import CommandContext
from .dialect import ShellDialect, dialect_of
from .errors import CommandFailed, ExitShell, ShellError
from .table import lookup_command, supported_commands

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
"""PATH when the image sets none (what Docker gives a container)."""

_OPERATORS = ("&&", "||", ";;", "&>", ">>", ">&", "<<", ";", "&", "|", "(", ")", ">", "<")
_RESERVED = {
    "if",
    "then",
    "else",
    "elif",
    "fi",
    "for",
    "while",
    "until",
    "do",
    "done",
    "case",
    "esac",
    "{",
    "}",
    "function",
    "select",
}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=")


NO_SUBSTITUTION = "모형 셸은 명령 치환($(...)나 `...`)을 지원하지 않습니다. 값을 직접 적어 주세요."


class UnknownCommand(ShellError):
    """모형 셸이 모르는 명령."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"모형 셸이 모르는 명령 {name!r}을(를) 만났습니다. 모형 셸은 진짜 프로그램을 실행하지 "
            f"않고, 등록된 명령만 흉내 냅니다. 지원하는 명령: {', '.join(supported_commands())}. "
            "필요하면 il.userland.register_command로 직접 등록할 수 있습니다."
        )


# -- words and tokens ----------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    text: str
    quoted: bool
    expand: bool


@dataclass(frozen=True)
class Word:
    parts: "tuple[Part, ...]"

    @property
    def literal(self) -> str:
        return "".join(p.text for p in self.parts)

    @property
    def unquoted(self) -> bool:
        return all(not p.quoted for p in self.parts)


@dataclass(frozen=True)
class Token:
    kind: str  # "word", "op", "redir"
    value: "str | Word"  # a Word for "word" tokens, the operator's text for the others
    fd: "int | None" = None


def tokenize(text: str) -> "list[Token]":
    """명령줄을 낱말과 연산자로 나눕니다."""
    tokens: "list[Token]" = []
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char in " \t":
            index += 1
        elif char == "\\" and text[index + 1 : index + 2] == "\n":
            index += 2
        elif char == "\n":
            tokens.append(Token("op", ";"))
            index += 1
        elif char == "#":
            while index < length and text[index] != "\n":
                index += 1
        else:
            match = re.match(r"(\d)(>>|>&|>|<)", text[index:])
            if match:
                tokens.append(Token("redir", match.group(2), int(match.group(1))))
                index += match.end()
                continue
            op = next((o for o in _OPERATORS if text.startswith(o, index)), None)
            if op is not None:
                if op == "<<":
                    raise ShellError("모형 셸은 here-document(<<)를 지원하지 않습니다.")
                kind = "redir" if op in (">", ">>", "<", ">&", "&>") else "op"
                tokens.append(Token(kind, op))
                index += len(op)
                continue
            word, index = _read_word(text, index)
            tokens.append(Token("word", word))
    return tokens


def _read_word(text: str, index: int) -> "tuple[Word, int]":
    parts: "list[Part]" = []
    buffer = ""

    def flush() -> None:
        nonlocal buffer
        if buffer:
            parts.append(Part(buffer, False, True))
            buffer = ""

    while index < len(text) and text[index] not in " \t\n;&|()<>":
        char = text[index]
        if char == "'":
            end = text.find("'", index + 1)
            if end < 0:
                raise ShellError("작은따옴표(')가 닫히지 않았습니다.")
            flush()
            parts.append(Part(text[index + 1 : end], True, False))
            index = end + 1
        elif char == '"':
            flush()
            index = _read_double(text, index + 1, parts)
        elif char == "\\":
            flush()
            if index + 1 < len(text):
                parts.append(Part(text[index + 1], True, False))
            index += 2
        elif char == "`" or text.startswith("$(", index):
            raise ShellError(NO_SUBSTITUTION)
        elif text.startswith("${", index):
            end = text.find("}", index)
            if end < 0:
                raise ShellError("${ 가 } 로 닫히지 않았습니다.")
            buffer += text[index : end + 1]
            index = end + 1
        else:
            buffer += char
            index += 1
    flush()
    return Word(tuple(parts)), index


def _read_double(text: str, index: int, parts: "list[Part]") -> int:
    buffer = ""
    while index < len(text) and text[index] != '"':
        char = text[index]
        if char == "\\" and text[index + 1 : index + 2] in ('"', "\\", "$", "`", "\n"):
            if buffer:
                parts.append(Part(buffer, True, True))
                buffer = ""
            if text[index + 1] != "\n":
                parts.append(Part(text[index + 1], True, False))
            index += 2
            continue
        if char == "`" or text.startswith("$(", index):
            raise ShellError(NO_SUBSTITUTION)
        buffer += char
        index += 1
    if index >= len(text):
        raise ShellError('큰따옴표(")가 닫히지 않았습니다.')
    parts.append(Part(buffer, True, True))
    return index + 1


# -- syntax tree ---------------------------------------------------------------------------


@dataclass
class Redirect:
    fd: int
    op: str
    target: Word


@dataclass
class Simple:
    assignments: "list[tuple[str, Word]]" = field(default_factory=list)
    words: "list[Word]" = field(default_factory=list)
    redirects: "list[Redirect]" = field(default_factory=list)


@dataclass
class Subshell:
    body: "list"
    redirects: "list[Redirect]" = field(default_factory=list)


@dataclass
class Pipeline:
    commands: list
    negate: bool = False


@dataclass
class AndOr:
    first: Pipeline
    rest: "list[tuple[str, Pipeline]]" = field(default_factory=list)


class _Parser:
    def __init__(self, tokens: "list[Token]") -> None:
        self.tokens, self.position = tokens, 0

    def peek(self) -> "Token | None":
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def program(self, closing: "str | None" = None) -> "list[AndOr]":
        items: "list[AndOr]" = []
        while True:
            while self._is_op(";"):
                self.take()
            token = self.peek()
            if token is None or (closing and token.kind == "op" and token.value == closing):
                return items
            items.append(self.and_or())
            token = self.peek()
            if token is None:
                return items
            if token.kind == "op" and token.value == "&":
                raise ShellError("모형 셸은 백그라운드 실행(&)을 지원하지 않습니다.")
            if token.kind == "op" and token.value == ";;":
                raise ShellError("모형 셸은 case 문을 지원하지 않습니다.")
            if not (token.kind == "op" and token.value in (";", closing)):
                raise ShellError(f"문법 오류: {token.value!r} 근처를 이해할 수 없습니다.")

    def _is_op(self, value: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "op" and token.value == value

    def and_or(self) -> AndOr:
        node = AndOr(self.pipeline())
        while self._is_op("&&") or self._is_op("||"):
            op = str(self.take().value)
            while self._is_op(";"):
                self.take()
            node.rest.append((op, self.pipeline()))
        return node

    def pipeline(self) -> Pipeline:
        negate = False
        token = self.peek()
        if token is not None and isinstance(token.value, Word) and token.value.literal == "!" and token.value.unquoted:
            self.take()
            negate = True
        commands = [self.command()]
        while self._is_op("|"):
            self.take()
            commands.append(self.command())
        return Pipeline(commands, negate)

    def command(self):
        token = self.peek()
        if token is None:
            raise ShellError("문법 오류: 명령이 와야 할 자리에서 명령줄이 끝났습니다.")
        if token.kind == "op" and token.value == "(":
            self.take()
            body = self.program(closing=")")
            if not self._is_op(")"):
                raise ShellError("문법 오류: ( 가 ) 로 닫히지 않았습니다.")
            self.take()
            return Subshell(body, self._redirects())
        if token.kind == "op":
            raise ShellError(f"문법 오류: {token.value!r} 앞에 명령이 없습니다.")
        simple = Simple()
        while (token := self.peek()) is not None and token.kind in ("word", "redir"):
            if token.kind == "redir":
                simple.redirects.append(self._redirect())
                continue
            word = self._take_word()
            literal = word.literal
            if not simple.words:
                match = _ASSIGNMENT.match(literal)
                if match and word.parts and not word.parts[0].quoted and word.parts[0].text.startswith(match.group(0)):
                    value = _drop_prefix(word, len(match.group(0)))
                    simple.assignments.append((match.group(1), value))
                    continue
                if literal in _RESERVED and word.unquoted:
                    raise ShellError(
                        f"모형 셸은 '{literal}' 같은 제어문(if, for, while, case, {{ }})을 지원하지 "
                        "않습니다. 명령을 && 나 ; 로 이어 쓰세요."
                    )
            simple.words.append(word)
        if not simple.words and not simple.assignments and not simple.redirects:
            raise ShellError("문법 오류: 빈 명령이 있습니다.")
        return simple

    def _redirects(self) -> "list[Redirect]":
        found = []
        while (token := self.peek()) is not None and token.kind == "redir":
            found.append(self._redirect())
        return found

    def _redirect(self) -> Redirect:
        token = self.take()
        target = self.peek()
        if target is None or target.kind != "word":
            raise ShellError(f"문법 오류: {token.value} 뒤에 파일 이름이 없습니다.")
        word = self._take_word()
        op = str(token.value)
        fd = token.fd if token.fd is not None else (0 if op == "<" else 1)
        return Redirect(fd, op, word)

    def _take_word(self) -> Word:
        """Take the next token, which the caller has seen is a word."""
        value = self.take().value
        if not isinstance(value, Word):
            raise ShellError(f"문법 오류: {value!r} 자리에는 낱말이 와야 합니다.")
        return value


def _drop_prefix(word: Word, count: int) -> Word:
    first = word.parts[0]
    rest = first.text[count:]
    parts = ((Part(rest, first.quoted, first.expand),) if rest else ()) + word.parts[1:]
    return Word(parts)


def parse(text: str) -> "list[AndOr]":
    """명령줄을 구문 트리로. 지원하지 않는 문법이면 ShellError."""
    parser = _Parser(tokenize(text))
    items = parser.program()
    left = parser.peek()
    if left is not None:
        raise ShellError(f"문법 오류: {left.value!r} 근처를 이해할 수 없습니다.")
    return items


# -- running -------------------------------------------------------------------------------


@dataclass
class MissingProgram:
    """실행하려 했지만 이미지에 없던 프로그램(원인 설명용)."""

    name: str
    reason: str
    detail: str = ""


class ShellSession:
    """모형 셸 한 번의 실행 상태: 파일 시스템(컨테이너), 환경 변수, 현재 폴더, 사용자."""

    def __init__(
        self, fs: Container, env: "dict[str, str]", cwd: str = "/", user: str = "", owner: "tuple[int, int]" = (0, 0)
    ) -> None:
        self.fs = fs
        self.env = dict(env)
        self.cwd = "/" + cwd.strip("/") if cwd else "/"
        self.user = user
        self.owner = owner  # (uid, gid) the processes run as: what they create belongs to them
        self.errexit = False
        self.pipefail = False
        self.status = 0
        self.log = bytearray()
        self.missing: "list[MissingProgram]" = []
        self.depth = 0
        self.dialect: ShellDialect = dialect_of(fs)

    # -- entry points ---------------------------------------------------------------------

    def run(self, script: str) -> int:
        """명령줄 하나를 실행하고 종료 코드를 돌려줍니다. 출력은 ``log`` 에 쌓입니다."""
        program = parse(script)
        try:
            return self._program(program)
        except ExitShell as done:
            self.status = done.status
            return done.status

    def run_argv(self, argv: "list[str]") -> int:
        """셸을 거치지 않고 인자 목록으로 바로 실행합니다(``RUN ["npm", "install"]``)."""
        out, err, status = self._dispatch(argv, dict(self.env), b"")
        self.log += out + err
        self.status = status
        return status

    def run_nested(self, script: str, env: "dict[str, str]") -> "tuple[int, bytes, bytes]":
        if self.depth > 8:
            raise ShellError("스크립트가 너무 깊이 중첩되었습니다.")
        inner = ShellSession(self.fs, env, self.cwd, self.user, self.owner)
        inner.depth = self.depth + 1
        status = inner.run(script)
        self.missing += inner.missing
        return status, bytes(inner.log), b""

    # -- structure ------------------------------------------------------------------------

    def _program(self, items: "list[AndOr]") -> int:
        status = 0
        for item in items:
            status, last = self._and_or(item)
            self.status = status
            if status != 0 and self.errexit and last:
                raise ExitShell(status)
        return status

    def _and_or(self, node: AndOr) -> "tuple[int, bool]":
        status = self._pipeline(node.first)
        ran_last = not node.rest
        for index, (op, pipeline) in enumerate(node.rest):
            if (op == "&&") == (status == 0):
                status = self._pipeline(pipeline)
                ran_last = index == len(node.rest) - 1
            else:
                ran_last = False
        return status, ran_last

    def _pipeline(self, node: Pipeline) -> int:
        stdin = b""
        statuses = []
        for index, command in enumerate(node.commands):
            last = index == len(node.commands) - 1
            out, status = self._command(command, stdin, capture=not last)
            statuses.append(status)
            stdin = out
        status = statuses[-1]
        if self.pipefail:
            status = next((s for s in reversed(statuses) if s != 0), 0)
        return (0 if status else 1) if node.negate else status

    def _command(self, command, stdin: bytes, capture: bool) -> "tuple[bytes, int]":
        if isinstance(command, Subshell):
            inner = ShellSession(self.fs, self.env, self.cwd, self.user, self.owner)
            inner.depth = self.depth + 1
            try:
                status = inner._program(command.body)
            except ExitShell as done:
                status = done.status
            self.missing += inner.missing
            return self._deliver(bytes(inner.log), b"", command.redirects, capture, status)
        env = dict(self.env)
        for name, value in command.assignments:
            text = "".join(self._expand_text(value))
            if command.words:
                env[name] = text
            else:
                self.env[name] = text
        argv = self._expand_words(command.words)
        try:
            stdin = self._stdin(command.redirects, stdin)
        except CommandFailed as failure:
            return self._deliver(b"", str(failure).encode() + b"\n", [], capture, failure.status)
        if not argv:
            return self._deliver(b"", b"", command.redirects, capture, 0)
        out, err, status = self._dispatch(argv, env, stdin)
        return self._deliver(out, err, command.redirects, capture, status)

    # -- one command ----------------------------------------------------------------------

    def _dispatch(self, argv: "list[str]", env: "dict[str, str]", stdin: bytes) -> "tuple[bytes, bytes, int]":
        name = argv[0]
        spec = lookup_command(posixpath.basename(name) if "/" in name else name)
        if "/" in name:
            return self._run_path(name, argv, env, stdin)
        if spec is None:
            raise UnknownCommand(name)
        if spec.needs_binary:
            if self.find_program(name, env)[0] is None:
                return b"", f"{self.dialect.not_found(name)}\n".encode(), 127
        return self._call(spec, name, argv[1:], env, stdin)

    def _run_path(
        self, path: str, argv: "list[str]", env: "dict[str, str]", stdin: bytes
    ) -> "tuple[bytes, bytes, int]":
        ctx = CommandContext(self, path, argv[1:], env, stdin)
        node = ctx.lookup(path)
        if node is None or node.kind not in ("file", "hardlink"):
            return b"", f"{self.dialect.not_found(path)}\n".encode(), 127
        if not node.mode & 0o111:
            return b"", f"{self.dialect.permission_denied(path)}\n".encode(), 126
        data = node.read_bytes()
        if modelfile.parse(data) is None and data.startswith(b"#!") and b"sh" in data.split(b"\n", 1)[0]:
            script = data.split(b"\n", 1)[1].decode("utf-8", "replace") if b"\n" in data else ""
            status, out, err = self.run_nested(script, env)
            return out, err, status
        spec = lookup_command(posixpath.basename(path))
        if spec is None:
            raise UnknownCommand(path)
        problem = self._loader_problem(ctx.path(path).lstrip("/"), data, posixpath.basename(path))
        if problem:
            return b"", f"{self.dialect.not_found(path)}\n".encode(), 127
        return self._call(spec, posixpath.basename(path), argv[1:], env, stdin)

    def _call(
        self, spec, name: str, args: "list[str]", env: "dict[str, str]", stdin: bytes
    ) -> "tuple[bytes, bytes, int]":
        ctx = CommandContext(self, name, args, env, stdin)
        try:
            status = spec.run(ctx)
        except CommandFailed as failure:
            ctx.err(str(failure) + "\n")
            status = failure.status
        except ExitShell:
            raise
        except ShellError:
            raise
        except ImageLibError as error:
            ctx.err(f"{name}: {error}\n")
            status = 1
        return bytes(ctx.stdout), bytes(ctx.stderr), int(status or 0)

    def find_program(self, name: str, env: "dict[str, str]") -> "tuple[str | None, str]":
        """PATH에서 ``name`` 실행 파일을 찾습니다: (찾은 경로 또는 None, 못 찾은 이유)."""
        for folder in env.get("PATH", DEFAULT_PATH).split(":"):
            if not folder:
                continue
            candidate = posixpath.join("/" + folder.strip("/"), name).lstrip("/")
            try:
                node = self.fs.entry(candidate, follow_symlinks=True)
            except ImageLibError:
                continue
            if node.kind not in ("file", "hardlink") or not node.mode & 0o111:
                continue
            problem = self._loader_problem(candidate, node.read_bytes(), name)
            if problem:
                return None, problem
            return "/" + candidate, ""
        self.missing.append(MissingProgram(name, "missing"))
        return None, "missing"

    def _loader_problem(self, path: str, data: bytes, name: str) -> str:
        declared = modelfile.parse(data)
        if declared is not None:
            interp = declared.get("interp")
            if interp and not self._exists(interp):
                self.missing.append(MissingProgram(name, "loader", interp))
                return "loader"
            return ""
        if data.startswith(b"#!"):
            line = data.split(b"\n", 1)[0][2:].decode("utf-8", "replace").split()
            if line and line[0].endswith("/env") and len(line) > 1:
                found, problem = self.find_program(line[1], self.env)
                if found is None:
                    self.missing.append(MissingProgram(name, "interpreter", line[1]))
                    return "interpreter"
            elif line and not self._exists(line[0]):
                self.missing.append(MissingProgram(name, "interpreter", line[0]))
                return "interpreter"
        return ""

    def _exists(self, path: str) -> bool:
        try:
            self.fs.entry(path.lstrip("/"), follow_symlinks=True)
            return True
        except ImageLibError:
            return False

    # -- redirections ---------------------------------------------------------------------

    def _stdin(self, redirects: "list[Redirect]", stdin: bytes) -> bytes:
        for redirect in redirects:
            if redirect.op == "<":
                target = self._redirect_target(redirect)
                if target == "/dev/null":
                    stdin = b""
                    continue
                ctx = CommandContext(self, "sh", [], self.env)
                if not ctx.is_file(target):
                    raise CommandFailed(self.dialect.cannot_open(target), self.dialect.redirect_status)
                stdin = ctx.read_bytes(target)
        return stdin

    def _redirect_target(self, redirect: Redirect) -> str:
        words = self._expand_words([redirect.target], glob=False)
        if len(words) != 1:
            raise ShellError("리다이렉션 대상은 파일 하나여야 합니다.")
        return words[0]

    def _deliver(
        self, out: bytes, err: bytes, redirects: "list[Redirect]", capture: bool, status: int
    ) -> "tuple[bytes, int]":
        targets: "dict[int, tuple[str, str] | None]" = {1: None, 2: None}
        for redirect in redirects:
            if redirect.op == "<":
                continue
            if redirect.op in (">&",):
                source = self._redirect_target(redirect)
                if source not in ("1", "2"):
                    raise ShellError(f"모형 셸은 {redirect.fd}>&{source} 형태를 지원하지 않습니다.")
                targets[redirect.fd] = targets[int(source)]
                continue
            path = self._redirect_target(redirect)
            mode = "append" if redirect.op == ">>" else "truncate"
            if redirect.op == "&>":
                targets[1] = targets[2] = (path, mode)
            else:
                targets[redirect.fd] = (path, mode)
        streams = {1: out, 2: err}
        to_files: "dict[str, tuple[str, bytes]]" = {}
        passed = b""
        logged = b""
        for fd in (1, 2):
            target = targets.get(fd)
            if target is None:
                if fd == 1 and capture:
                    passed += streams[fd]
                else:
                    logged += streams[fd]
            elif target[0] != "/dev/null":
                mode, data = to_files.get(target[0], (target[1], b""))
                to_files[target[0]] = (mode, data + streams[fd])
        self.log += logged
        for path, (mode, data) in to_files.items():
            failed = self._write_redirect(path, mode, data)
            if failed:
                self.log += failed
                status = self.dialect.redirect_status
        return passed, status

    def _write_redirect(self, path: str, mode: str, data: bytes) -> bytes:
        ctx = CommandContext(self, "sh", [], self.env)
        if not ctx.is_dir(posixpath.dirname(ctx.path(path))):
            return f"{self.dialect.cannot_create_missing_folder(path)}\n".encode()
        if ctx.is_dir(path):
            return f"{self.dialect.cannot_create(path, 'Is a directory')}\n".encode()
        if mode == "append" and ctx.is_file(path):
            data = ctx.read_bytes(path) + data
        try:
            ctx.write(path, data)
        except CommandFailed as failure:
            if str(failure).endswith("Permission denied"):  # the shell opens the file, so it reports
                return f"{self.dialect.cannot_create(path, 'Permission denied')}\n".encode()
            return (str(failure) + "\n").encode()
        return b""

    # -- expansion ------------------------------------------------------------------------

    def _expand_text(self, word: Word) -> "list[str]":
        return [char for char, _ in self._expand_chars(word)]

    def _expand_chars(self, word: Word) -> "list[tuple[str, bool]]":
        chars: "list[tuple[str, bool]]" = []
        for index, part in enumerate(word.parts):
            text = part.text
            if not part.quoted and index == 0 and (text == "~" or text.startswith("~/")):
                chars += [(c, True) for c in self.env.get("HOME", "/root")]
                text = text[1:]
            if not part.expand:
                chars += [(c, part.quoted) for c in text]
                continue
            chars += [(c, part.quoted) for c in self._substitute(text)]
        return chars

    def _substitute(self, text: str) -> str:
        def value(match: "re.Match[str]") -> str:
            braced, plain = match.group(1), match.group(2)
            if plain is not None:
                return str(self.status) if plain == "?" else self.env.get(plain, "")
            form = re.match(r"([A-Za-z_][A-Za-z0-9_]*)(:?[-+=]?)(.*)", braced, re.DOTALL)
            if form is None:  # ${#NAME}, ${1}, ${}
                raise ShellError(f"모형 셸은 ${{{braced}}} 형태를 지원하지 않습니다.")
            name, op, default = form.groups()
            current = self.env.get(name)
            if op in (":-", "-"):
                empty = current is None or (op == ":-" and current == "")
                return self._substitute(default) if empty else current or ""
            if op in (":+", "+"):
                present = current is not None and (op == "+" or current != "")
                return self._substitute(default) if present else ""
            if op or default:
                raise ShellError(f"모형 셸은 ${{{braced}}} 형태를 지원하지 않습니다.")
            return current or ""

        return re.sub(r"\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*|\?)", value, text)

    def _expand_words(self, words: "list[Word]", glob: bool = True) -> "list[str]":
        result: "list[str]" = []
        for word in words:
            chars = self._expand_chars(word)
            fields: "list[list[tuple[str, bool]]]" = [[]]
            for char, quoted in chars:
                if not quoted and char in " \t\n":
                    if fields[-1]:
                        fields.append([])
                    continue
                fields[-1].append((char, quoted))
            if not fields[-1]:
                fields.pop()
            if not fields and any(p.quoted for p in word.parts):
                fields = [[]]
            for field_chars in fields:
                text = "".join(c for c, _ in field_chars)
                if glob and any(not q and c in "*?[" for c, q in field_chars):
                    matches = self._glob(field_chars)
                    result += matches or [text]
                else:
                    result.append(text)
        return result

    def _glob(self, chars: "list[tuple[str, bool]]") -> "list[str]":
        pattern = "".join(("\\" + c if q and c in "*?[\\" else c) for c, q in chars)
        absolute = pattern.startswith("/")
        components = [c for c in pattern.split("/") if c]
        base = "/" if absolute else self.cwd
        matches = [("/" if absolute else "", base)]
        ctx = CommandContext(self, "sh", [], self.env)
        for component in components:
            found = []
            try:
                regex = compile_match(component) if _has_magic(component) else None
            except (ValueError, re.error):
                return []  # not a valid pattern: the word stays as written
            for shown, actual in matches:
                if regex is None:
                    name = re.sub(r"\\(.)", r"\1", component)
                    candidate = posixpath.join(actual, name)
                    if ctx.lookup(candidate, follow=False) is not None:
                        found.append((shown + name if shown in ("", "/") else f"{shown}/{name}", candidate))
                    continue
                if not ctx.is_dir(actual):
                    continue
                for name in ctx.listdir(actual):
                    if name.startswith(".") and not component.startswith("."):
                        continue
                    if regex.match(name):
                        found.append(
                            (shown + name if shown in ("", "/") else f"{shown}/{name}", posixpath.join(actual, name))
                        )
            matches = found
        return sorted(shown for shown, _ in matches)


def _has_magic(component: str) -> bool:
    index = 0
    while index < len(component):
        if component[index] == "\\":
            index += 2
            continue
        if component[index] in "*?[":
            return True
        index += 1
    return False
