"""``.dockerignore`` 규칙: 빌드 컨텍스트에서 뺄 파일.

도커(moby/patternmatcher)와 같은 규칙을 따릅니다.

- 한 줄에 패턴 하나. ``#`` 으로 시작하는 줄은 주석, 빈 줄은 무시합니다.
- ``*`` 는 ``/`` 를 뺀 아무 글자열, ``?`` 는 ``/`` 를 뺀 한 글자, ``[a-z]`` 는 글자 모음,
  ``**`` 는 폴더 몇 단계든(0단계 포함) 맞습니다.
- 패턴이 어떤 파일의 **부모 폴더**와 맞아도 그 파일은 제외됩니다(``node_modules`` 한 줄로 그
  안의 모든 파일이 빠짐).
- ``!`` 로 시작하는 패턴은 예외(다시 포함)입니다. 나중 줄이 앞 줄을 이깁니다.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..pathmatch import translate
from .errors import BuildError


@dataclass(frozen=True)
class IgnoreRule:
    pattern: str
    exclusion: bool
    regex: "re.Pattern[str]"
    line: int


def _clean(path: str) -> str:
    cleaned = posixpath.normpath(path)
    return "." if cleaned in ("", ".") else cleaned


class DockerIgnore:
    """``.dockerignore`` 규칙 모음. ``ignored(path)`` 가 True인 파일은 빌드 컨텍스트에서 빠집니다."""

    def __init__(self, text: str = "") -> None:
        self.rules: "list[IgnoreRule]" = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.lstrip("\ufeff") if number == 1 else raw
            if line.startswith("#"):
                continue
            line = line.strip()
            if not line:
                continue
            exclusion = line.startswith("!")
            if exclusion:
                line = line[1:].strip()
                if not line:
                    raise BuildError(f".dockerignore {number}번째 줄: '!' 뒤에 패턴이 없습니다.")
            pattern = _clean(line)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern[1:]
            try:
                regex = re.compile("^" + translate(pattern, double_star=True) + r"\Z", re.DOTALL)
            except (ValueError, re.error) as error:
                raise BuildError(
                    f".dockerignore {number}번째 줄의 패턴 {raw.strip()!r}이(가) 잘못되었습니다"
                    f"({error}). 괄호 [ ]의 짝을 확인하세요."
                ) from None
            self.rules.append(IgnoreRule(pattern, exclusion, regex, number))

    @classmethod
    def from_patterns(cls, patterns: Iterable[str]) -> "DockerIgnore":
        return cls("\n".join(patterns))

    def __bool__(self) -> bool:
        return bool(self.rules)

    def ignored(self, path: str) -> bool:
        """``path`` (컨텍스트 기준 상대 경로)가 제외되면 True (도커의 MatchesOrParentMatches)."""
        path = _clean(path.lstrip("/"))
        if path == ".":
            return False
        parts = path.split("/")
        parents = ["/".join(parts[:i]) for i in range(1, len(parts))]
        matched = False
        for rule in self.rules:
            if rule.exclusion != matched:
                continue
            hit = rule.regex.match(path) is not None or any(rule.regex.match(parent) is not None for parent in parents)
            if hit:
                matched = not rule.exclusion
        return matched

    def rule_for(self, path: str) -> "IgnoreRule | None":
        """``path`` 의 포함/제외를 마지막으로 결정한 규칙(설명용)."""
        path = _clean(path.lstrip("/"))
        parts = path.split("/")
        candidates = [path] + ["/".join(parts[:i]) for i in range(1, len(parts))]
        decided = None
        matched = False
        for rule in self.rules:
            if rule.exclusion != matched:
                continue
            if any(rule.regex.match(c) is not None for c in candidates):
                matched = not rule.exclusion
                decided = rule
        return decided
