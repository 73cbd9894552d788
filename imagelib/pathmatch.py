"""경로 패턴(path pattern): Go의 ``filepath.Match`` 문법.

Dockerfile ``COPY`` 의 와일드카드와 모형 셸의 ``*``·``?``·``[…]`` 가 같은 규칙을 씁니다.
``*`` 는 ``/`` 를 뺀 아무 글자열, ``?`` 는 ``/`` 를 뺀 한 글자, ``[a-z]`` 는 글자 모음입니다.
``.dockerignore`` 는 여기에 ``**`` (폴더 몇 단계든)를 더해 씁니다.
"""

from __future__ import annotations

import re


def has_wildcard(text: str) -> bool:
    """``*``, ``?``, ``[`` 가 (``\\`` 로 가려지지 않고) 들어 있으면 True."""
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char in "*?[":
            return True
        index += 1
    return False


def _class(pattern: str, index: int) -> "tuple[str, int]":
    """Translate a ``[...]`` class starting at ``index``; returns (regex, next index)."""
    end = index + 1
    if end < len(pattern) and pattern[end] == "^":
        end += 1
    if end < len(pattern) and pattern[end] == "]":
        end += 1
    while end < len(pattern) and pattern[end] != "]":
        end += 2 if pattern[end] == "\\" else 1
    if end >= len(pattern):
        raise ValueError("unterminated character class")
    body = pattern[index + 1 : end]
    negate = body.startswith("^")
    if negate:
        body = body[1:]
    if not body:
        raise ValueError("empty character class")
    parts = []
    position = 0
    while position < len(body):
        char = body[position]
        if char == "\\" and position + 1 < len(body):
            position += 1
            char = body[position]
        parts.append("-" if char == "-" and 0 < position < len(body) - 1 else re.escape(char))
        position += 1
    return ("[^/" if negate else "[") + "".join(parts) + "]", end + 1


def translate(pattern: str, double_star: bool) -> str:
    """The regex (no anchors) for ``pattern``; ``double_star`` lets ``**`` match folders (.dockerignore)."""
    regex = ""
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            if double_star and pattern[index : index + 2] == "**":
                index += 2
                if pattern[index : index + 1] == "/":
                    index += 1
                regex += ".*" if index >= len(pattern) else "(.*/)?"
                continue
            regex += "[^/]*"
        elif char == "?":
            regex += "[^/]"
        elif char == "[":
            part, index = _class(pattern, index)
            regex += part
            continue
        elif char == "\\":
            index += 1
            regex += re.escape(pattern[index]) if index < len(pattern) else "\\\\"
        else:
            regex += re.escape(char)
        index += 1
    return regex


def compile_match(pattern: str) -> "re.Pattern[str]":
    """Go ``filepath.Match`` 패턴을 정규식으로(``*`` 는 ``/`` 를 넘지 않음). 틀리면 ValueError."""
    return re.compile(translate(pattern, double_star=False) + r"\Z", re.DOTALL)


def go_match(pattern: str, name: str) -> bool:
    """``filepath.Match(pattern, name)`` 과 같은 결과."""
    return compile_match(pattern).match(name) is not None
