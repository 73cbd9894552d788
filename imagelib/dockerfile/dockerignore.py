"""``.dockerignore`` 규칙: 빌드 컨텍스트에서 뺄 파일.

도커(moby/patternmatcher, BuildKit과 예전 빌더가 함께 쓰는 규칙)와 똑같이 읽습니다.

- 한 줄에 패턴 하나. ``#`` 으로 시작하는 줄은 주석, 빈 줄은 무시합니다. 앞의 ``/`` 는 떼고 읽습니다.
- 패턴은 **컨텍스트의 맨 위(루트)에 고정**됩니다: ``*.log`` 는 ``a.log`` 와 맞지만 ``logs/a.log`` 와는
  맞지 않습니다. 어느 깊이든 빼려면 ``**/*.log`` 라고 씁니다.
- ``*`` 는 ``/`` 를 뺀 아무 글자열, ``?`` 는 ``/`` 를 뺀 한 글자, ``[a-z]`` 는 글자 모음,
  ``**`` 는 디렉터리 몇 단계든(0단계 포함) 맞습니다.
- 패턴이 어떤 파일의 **부모 디렉터리**와 맞아도 그 파일은 제외됩니다(``node_modules`` 한 줄로 그
  안의 모든 파일이 빠짐).
- ``!`` 로 시작하는 패턴은 예외(다시 포함)입니다. 나중 줄이 앞 줄을 이깁니다. 다만 제외된 디렉터리
  안으로는, 예외 패턴이 **그 디렉터리 경로로 시작할 때만** 들어가 봅니다: ``build`` 와
  ``!build/keep.txt`` 는 ``build/keep.txt`` 를 되살리지만, ``build`` 와 ``!**/keep.txt`` 는 되살리지
  못합니다.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..pathmatch import compile_match
from .errors import BuildError

# Characters patternmatcher escapes before handing the pattern to Go's regexp.
_REGEX_SPECIAL = frozenset(".+()|{}$")


@dataclass(frozen=True)
class IgnoreRule:
    """``.dockerignore`` 의 한 줄: 정리한 패턴, 예외(``!``)인지, 몇 번째 줄인지."""

    pattern: str
    exclusion: bool
    line: int
    kind: str  # "exact", "prefix", "suffix" or "regexp", as patternmatcher decides
    regex: "re.Pattern[str] | None"

    def matches(self, path: str) -> bool:
        """``path`` 가 이 패턴과 맞으면 True (patternmatcher의 Pattern.match)."""
        if self.kind == "exact":
            return path == self.pattern
        if self.kind == "prefix":
            return path.startswith(self.pattern[:-2])
        if self.kind == "suffix":
            suffix = self.pattern[2:]
            return path.endswith(suffix) or (suffix.startswith("/") and path == suffix[1:])
        assert self.regex is not None
        return self.regex.match(path) is not None


def _kind_and_regex(pattern: str) -> "tuple[str, str]":
    """patternmatcher's Pattern.compile: how a pattern matches, and its regex."""
    regex, kind, index = "^", "exact", 0
    while index < len(pattern):
        char, first = pattern[index], index == 0
        index += 1
        if char == "*" and pattern[index : index + 1] == "*":
            index += 1
            if pattern[index : index + 1] == "/":
                index += 1
            if index < len(pattern):
                regex, kind = regex + "(.*/)?", "regexp"
            elif kind == "exact":
                kind = "prefix"
            else:
                regex, kind = regex + ".*", "regexp"
            if first:
                kind = "suffix"
        elif char == "*":
            regex, kind = regex + "[^/]*", "regexp"
        elif char == "?":
            regex, kind = regex + "[^/]", "regexp"
        elif char in _REGEX_SPECIAL:
            regex += "\\" + char
        elif char == "\\" and index < len(pattern):
            regex, kind = regex + "\\" + pattern[index], "regexp"
            index += 1
        elif char == "\\":
            regex += "\\\\"
        elif char in "[]":
            regex, kind = regex + char, "regexp"
        else:
            regex += char
    return kind, regex + r"\Z"


def _clean(path: str) -> str:
    """Go's filepath.Clean for slash paths: one leading slash at most, no '.', '..' resolved."""
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return "." if cleaned in ("", ".") else cleaned


def _rule(raw: str, number: int) -> "IgnoreRule | None":
    line = raw.strip()
    if not line:
        return None
    exclusion = line.startswith("!")
    if exclusion:
        line = line[1:].strip()
        if not line:
            raise BuildError(f".dockerignore {number}번째 줄: '!' 뒤에 패턴이 없습니다.")
    pattern = _clean(line)
    if len(pattern) > 1 and pattern.startswith("/"):
        pattern = pattern[1:]
    try:
        compile_match(pattern)  # Docker refuses what Go's filepath.Match refuses
        if pattern.endswith("\\") and (len(pattern) - len(pattern.rstrip("\\"))) % 2:
            raise ValueError("trailing backslash")
        kind, regex = _kind_and_regex(pattern)
        compiled = re.compile(regex) if kind == "regexp" else None
    except (ValueError, re.error) as error:
        raise BuildError(
            f".dockerignore {number}번째 줄의 패턴 {raw.strip()!r}이(가) 잘못되었습니다"
            f"({error}). 괄호 [ ]의 짝과 끝의 \\ 를 확인하세요."
        ) from None
    return IgnoreRule(pattern, exclusion, number, kind, compiled)


def _parents(path: str) -> "list[str]":
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


class DockerIgnore:
    """``.dockerignore`` 규칙 모음. ``excluded(path)`` 가 True인 파일은 빌드 컨텍스트에서 빠집니다."""

    def __init__(self, text: str = "") -> None:
        self.rules: "list[IgnoreRule]" = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.lstrip("\ufeff") if number == 1 else raw
            if line.startswith("#"):
                continue
            rule = _rule(line, number)
            if rule is not None:
                self.rules.append(rule)

    @classmethod
    def from_patterns(cls, patterns: Iterable[str]) -> "DockerIgnore":
        return cls("\n".join(patterns))

    def __bool__(self) -> bool:
        return bool(self.rules)

    @property
    def has_exceptions(self) -> bool:
        """``!`` 로 시작하는 예외 패턴이 있으면 True."""
        return any(rule.exclusion for rule in self.rules)

    def ignored(self, path: str) -> bool:
        """``path`` (컨텍스트 기준 상대 경로)가 패턴에 맞아 제외되면 True (도커의 MatchesOrParentMatches)."""
        path = _clean(path.lstrip("/"))
        return path != "." and self._decide(path)[0]

    def rule_for(self, path: str) -> "IgnoreRule | None":
        """``path`` 의 포함/제외를 마지막으로 결정한 규칙(설명용)."""
        path = _clean(path.lstrip("/"))
        return None if path == "." else self._decide(path)[1]

    def _decide(self, path: str) -> "tuple[bool, IgnoreRule | None]":
        parents = _parents(path)
        matched, decided = False, None
        for rule in self.rules:
            if rule.exclusion != matched:
                continue
            if rule.matches(path) or any(rule.matches(parent) for parent in parents):
                matched, decided = not rule.exclusion, rule
        return matched, decided

    def skips_folder(self, folder: str) -> bool:
        """제외된 디렉터리 ``folder`` 안을 도커가 아예 보지 않으면 True.

        도커는 어떤 예외 패턴이 ``folder/`` 로 시작할 때만 제외된 디렉터리 안으로 들어갑니다.
        """
        folder = _clean(folder.lstrip("/"))
        if not self.ignored(folder):
            return False
        inside = folder + "/"
        return not any(rule.exclusion and (rule.pattern + "/").startswith(inside) for rule in self.rules)

    def excluded(self, path: str) -> bool:
        """``path`` 가 빌드 컨텍스트에서 빠지면 True: 패턴에 맞거나, 도커가 들어가 보지 않는 디렉터리 안에 있을 때."""
        path = _clean(path.lstrip("/"))
        if path == ".":
            return False
        return self.ignored(path) or any(self.skips_folder(parent) for parent in _parents(path))
