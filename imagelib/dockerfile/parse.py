"""Dockerfile 읽기: ``dockerfile-parse`` 패키지로 줄을 나누고, 단계(stage)와 명령으로 정리합니다.

변수 치환(``$VAR``, ``${VAR}``, ``${VAR:-기본값}``, ``${VAR:+값}``)과 따옴표 처리는 도커의
Dockerfile 규칙(shell-lex)을 따릅니다. 작은따옴표 안에서는 치환하지 않습니다.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass, field

from ..commit_changes import exec_form
from .errors import BuildError

KNOWN = (
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
)
SUPPORTED = (
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "STOPSIGNAL",
)
FLAGS = {
    "FROM": ("platform",),
    "COPY": ("from", "chown", "chmod", "link"),
    "ADD": ("chown", "chmod", "link"),
    "RUN": ("mount",),
}


@dataclass(frozen=True)
class Instruction:
    """Dockerfile의 명령 한 줄(이어 쓴 줄은 하나로): 명령어, 값, 줄 번호, 원래 글."""

    keyword: str
    value: str
    line: int
    end_line: int
    text: str
    flags: "tuple[tuple[str, str], ...]" = ()

    @property
    def args(self) -> str:
        """옵션(``--from=…``)을 뺀 값."""
        return self.value

    def flag(self, name: str) -> "str | None":
        for key, value in self.flags:
            if key == name:
                return value
        return None

    def error(self, message: str) -> BuildError:
        return BuildError(message, self.line, self.keyword)


@dataclass
class Stage:
    """``FROM`` 하나로 시작하는 빌드 단계."""

    index: int
    base: str
    name: str
    line: int
    instruction: Instruction
    instructions: "list[Instruction]" = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name or f"stage-{self.index}"


@dataclass
class Dockerfile:
    global_args: "list[Instruction]"
    stages: "list[Stage]"
    text: str

    def stage(self, ref: str) -> "Stage | None":
        if ref.isdigit():
            index = int(ref)
            return self.stages[index] if index < len(self.stages) else None
        for stage in self.stages:
            if stage.name and stage.name.lower() == ref.lower():
                return stage
        return None


def parse_dockerfile(text: str) -> Dockerfile:
    """Dockerfile 글을 단계와 명령으로 나눕니다. 문법이 틀리면 줄 번호가 든 BuildError."""
    if not isinstance(text, str):
        raise BuildError(f"Dockerfile은 문자열이어야 합니다({type(text).__name__}를 받았습니다).")
    _check_directives(text)
    from dockerfile_parse import DockerfileParser  # only building needs it: core imports stay stdlib-only

    parser = DockerfileParser(fileobj=io.BytesIO())
    parser.content = text
    global_args: "list[Instruction]" = []
    stages: "list[Stage]" = []
    for item in parser.structure:
        keyword = item["instruction"].upper()
        if keyword == "COMMENT":
            continue
        line, end = item["startline"] + 1, item["endline"] + 1
        raw_text = " ".join(item["content"].replace("\\\n", " ").split())
        if keyword not in KNOWN:
            close = difflib.get_close_matches(keyword, KNOWN, n=1)
            hint = f" 혹시 {close[0]}인가요?" if close else ""
            raise BuildError(
                f"모르는 명령 {item['instruction']!r}입니다(unknown instruction).{hint} "
                f"Dockerfile 명령: {', '.join(KNOWN)}",
                line,
            )
        if keyword not in SUPPORTED:
            raise BuildError(
                f"{keyword}는 도커에는 있지만 imagelib의 모형 빌더는 지원하지 않습니다. "
                f"지원하는 명령: {', '.join(SUPPORTED)}",
                line,
                keyword,
            )
        value = item["value"].strip()
        flags, value = _split_flags(keyword, value, line)
        instruction = Instruction(keyword, value, line, end, raw_text, flags)
        if keyword == "FROM":
            stages.append(_stage(instruction, len(stages)))
        elif not stages:
            if keyword != "ARG":
                raise BuildError(
                    f"Dockerfile의 첫 명령은 FROM이어야 합니다(FROM 앞에는 ARG만 올 수 "
                    f"있습니다). "
                    f"{keyword}를 FROM 아래로 옮기세요.",
                    line,
                    keyword,
                )
            global_args.append(instruction)
        else:
            _check_syntax(instruction)
            stages[-1].instructions.append(instruction)
    if not stages:
        raise BuildError("Dockerfile에 FROM이 없습니다. 첫 줄에 'FROM 베이스이미지'를 적으세요(예: FROM alpine:3.19).")
    names = [s.name.lower() for s in stages if s.name]
    for stage in stages:
        if stage.name and names.count(stage.name.lower()) > 1:
            raise BuildError(
                f"단계 이름 {stage.name!r}가 두 번 쓰였습니다. 단계마다 다른 이름을 주세요.", stage.line, "FROM"
            )
    return Dockerfile(global_args, stages, text)


def _check_directives(text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*#\s*(\w+)\s*=\s*(\S*)", line)
        if not match:
            break
        if match.group(1).lower() == "escape" and match.group(2) != "\\":
            raise BuildError("escape 지시어로 이스케이프 글자를 바꾸는 것은 지원하지 않습니다(\\만 씁니다).", number)


def _split_flags(keyword: str, value: str, line: int) -> "tuple[tuple[tuple[str, str], ...], str]":
    flags = []
    allowed = FLAGS.get(keyword)
    while value.startswith("--"):
        word, _, rest = value.partition(" ")
        name, sep, flag_value = word[2:].partition("=")
        if allowed is None or name not in allowed:
            known = ", ".join(f"--{f}" for f in allowed or ()) or "없음"
            what = (
                "지원하지 않습니다"
                if keyword == "RUN" and name in ("mount", "network", "security")
                else "모르는 옵션입니다"
            )
            raise BuildError(f"{keyword}의 --{name} 옵션은 {what}. {keyword}에 쓸 수 있는 옵션: {known}", line, keyword)
        flags.append((name, flag_value if sep else "true"))
        value = rest.strip()
    return tuple(flags), value


def _stage(instruction: Instruction, index: int) -> Stage:
    words = instruction.value.split()
    if not words:
        raise instruction.error("FROM 뒤에 베이스 이미지 이름이 없습니다. 예: FROM node:14")
    if len(words) == 3 and words[1].lower() == "as":
        name = words[2]
        if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9_.-]*", name):
            raise instruction.error(f"단계 이름 {name!r}이(가) 잘못되었습니다. 영문자로 시작하는 이름을 쓰세요.")
        return Stage(index, words[0], name, instruction.line, instruction)
    if len(words) != 1:
        raise instruction.error(
            f"FROM의 형식이 잘못되었습니다: {instruction.value!r}. "
            "'FROM 이미지' 또는 'FROM 이미지 AS 단계이름'으로 적으세요."
        )
    return Stage(index, words[0], "", instruction.line, instruction)


_NEEDS_VALUE = (
    "RUN",
    "CMD",
    "ENTRYPOINT",
    "WORKDIR",
    "USER",
    "ENV",
    "LABEL",
    "EXPOSE",
    "ARG",
    "COPY",
    "ADD",
    "VOLUME",
    "STOPSIGNAL",
    "MAINTAINER",
)


def _check_syntax(instruction: Instruction) -> None:
    keyword, value = instruction.keyword, instruction.value
    if keyword in _NEEDS_VALUE and not value:
        raise instruction.error(f"{keyword} 뒤에 값이 없습니다.")
    if keyword in ("COPY", "ADD"):
        words = exec_form(value) if value.startswith("[") else split_words(value)
        if words is None or len(words) < 2:
            raise instruction.error(
                f"{keyword}에는 원본과 대상이 모두 필요합니다: '{keyword} 원본… 대상'. 받은 값: {value!r}"
            )
    if keyword == "RUN" and value.startswith("<<"):
        raise instruction.error("RUN의 here-document(<<EOF) 문법은 지원하지 않습니다. 명령을 && 로 이어 쓰세요.")


def split_words(text: str) -> "list[str]":
    """따옴표를 지키며 공백으로 나눕니다(따옴표는 남겨 둡니다; 치환은 process_word가 합니다)."""
    words, current, quote, index, started = [], "", "", 0, False
    while index < len(text):
        char = text[index]
        if char == "\\" and quote != "'" and index + 1 < len(text):
            current += text[index : index + 2]
            index += 2
            started = True
            continue
        if quote:
            if char == quote:
                quote = ""
            current += char
        elif char in "\"'":
            quote = char
            current += char
            started = True
        elif char.isspace():
            if started:
                words.append(current)
                current, started = "", False
        else:
            current += char
            started = True
        index += 1
    if quote:
        raise BuildError(f"따옴표({quote})가 닫히지 않았습니다: {text!r}")
    if started:
        words.append(current)
    return words


_VAR = re.compile(r"\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def process_word(word: str, env: "dict[str, str]") -> str:
    """따옴표를 벗기고 변수를 치환합니다(작은따옴표 안은 그대로)."""
    result, index, quote = [], 0, ""
    while index < len(word):
        char = word[index]
        if char == "\\" and quote != "'" and index + 1 < len(word):
            result.append(word[index + 1])
            index += 2
            continue
        if char in "\"'" and (not quote or quote == char):
            quote = "" if quote else char
            index += 1
            continue
        if char == "$" and quote != "'":
            match = _VAR.match(word, index)
            if match:
                result.append(_lookup(match.group(1), match.group(2), env))
                index = match.end()
                continue
        result.append(char)
        index += 1
    if quote:
        raise BuildError(f"따옴표({quote})가 닫히지 않았습니다: {word!r}")
    return "".join(result)


def _lookup(braced: "str | None", plain: "str | None", env: "dict[str, str]") -> str:
    if plain is not None:
        return env.get(plain, "")
    match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?", braced or "", re.DOTALL)
    if not match:
        raise BuildError(
            f"변수 ${{{braced}}}의 형식이 잘못되었습니다. ${{이름}}, ${{이름:-기본값}}, ${{이름:+값}}을 쓸 수 있습니다."
        )
    name, op, word = match.groups()
    value = env.get(name)
    if op is None:
        return value or ""
    if op in (":-", "-"):
        missing = value is None or (op == ":-" and value == "")
        return process_word(word, env) if missing else value or ""
    present = value is not None and (op == "+" or value != "")
    return process_word(word, env) if present else ""


def expand(text: str, env: "dict[str, str]") -> str:
    """값 전체를 한 낱말로 보고 치환합니다(WORKDIR, USER 등)."""
    return process_word(text, env)


def expand_words(text: str, env: "dict[str, str]") -> "list[str]":
    """공백으로 나눈 뒤 낱말마다 치환합니다(COPY 인자, EXPOSE 포트 등)."""
    return [process_word(word, env) for word in split_words(text)]


def key_values(instruction: Instruction, env: "dict[str, str]") -> "list[tuple[str, str | None]]":
    """``ENV``/``LABEL``/``ARG`` 의 ``키=값`` 목록. 옛 형식 ``ENV 키 값`` 도 받습니다.

    값 없는 ``ARG 이름`` 의 값은 None입니다(ENV와 LABEL에는 언제나 값이 있습니다).
    """
    words = split_words(instruction.value)
    if not words:
        raise instruction.error(f"{instruction.keyword} 뒤에 값이 없습니다.")
    if "=" not in words[0] and instruction.keyword in ("ENV", "LABEL"):
        if len(words) < 2:
            raise instruction.error(
                f"{instruction.keyword} {words[0]} 다음에 값이 없습니다. "
                f"'{instruction.keyword} {words[0]}=값'으로 적으세요."
            )
        rest = instruction.value[len(words[0]) :].strip()
        return [(process_word(words[0], env), process_word(rest, env))]
    pairs = []
    for word in words:
        key, sep, value = word.partition("=")
        if not sep and instruction.keyword != "ARG":
            raise instruction.error(f"{word!r}에 '='가 없습니다. '{instruction.keyword} 키=값'으로 적으세요.")
        key = process_word(key, env)
        if not key:
            raise instruction.error(f"{instruction.keyword}의 키가 비어 있습니다: {word!r}")
        pairs.append((key, process_word(value, env) if sep else None))
    return pairs
