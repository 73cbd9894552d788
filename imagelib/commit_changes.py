"""``docker commit --change``: Dockerfile 명령 몇 줄로 커밋할 이미지의 설정을 바꿉니다.

도커(moby ``builder/dockerfile.BuildFromConfig``)처럼 설정만 바꾸는 명령 CMD, ENTRYPOINT, ENV, EXPOSE,
LABEL, ONBUILD, USER, VOLUME, WORKDIR을 받고, 각 명령은 빌드할 때와 같은 규칙으로 설정을 고칩니다.
예: ``ENTRYPOINT`` 는 같은 변경 목록에서 앞서 ``CMD`` 를 주지 않았으면 ``Cmd`` 를 지웁니다.
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .errors import ImageLibError, UnsupportedError
from .image import Config

ALLOWED = ("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD", "USER", "VOLUME", "WORKDIR")
# Instructions whose arguments Docker expands with the config's Env ($VAR); imagelib does not model that.
_EXPANDED = ("ENV", "EXPOSE", "LABEL", "USER", "VOLUME", "WORKDIR")


@dataclass
class _State:
    config: Config
    cmd_set: bool = False  # a CMD earlier in the same changes keeps a later ENTRYPOINT from clearing Cmd


def apply_changes(config: Config, lines: "Sequence[str]") -> Config:
    """``docker commit -c 줄 -c 줄 …`` 처럼 ``lines`` 를 차례로 적용한 새 설정을 돌려줍니다.

    예: ``apply_changes(config, ['CMD ["nginx", "-g", "daemon off;"]', "ENV PORT=8080"])``.
    """
    state = _State(config)
    for line in lines:
        if not isinstance(line, str):
            raise ImageLibError(f"commit의 변경은 Dockerfile 명령 문자열로 주세요({type(line).__name__}를 받았습니다).")
        text = line.strip()
        if text and not text.startswith("#"):
            _apply_line(state, text)
    return state.config


def _apply_line(state: _State, text: str) -> None:
    word, _, rest = text.partition(" ")
    keyword, rest = word.upper(), rest.strip()
    if keyword not in ALLOWED:
        if keyword == "HEALTHCHECK":
            raise UnsupportedError(f"{text!r}: HEALTHCHECK 변경은 imagelib가 모델링하지 않습니다.")
        raise ImageLibError(
            f"{text!r}: {keyword}는 docker commit의 변경(-c)에 쓸 수 없습니다. 쓸 수 있는 명령: {', '.join(ALLOWED)}"
        )
    if not rest:
        raise ImageLibError(f"{text!r}: {keyword}에 값이 없습니다.")
    if keyword in _EXPANDED and "$" in rest:
        raise UnsupportedError(
            f"{text!r}: 변경 안의 변수 치환($)은 imagelib가 모델링하지 않습니다. 값을 그대로 적어 주세요."
        )
    config = state.config
    if keyword == "CMD":
        state.config, state.cmd_set = replace(config, cmd=_command(rest)), True
    elif keyword == "ENTRYPOINT":
        state.config = replace(config, entrypoint=_command(rest), cmd=config.cmd if state.cmd_set else None)
    elif keyword == "ENV":
        state.config = config.changed(env=dict(_pairs(text, rest)))
    elif keyword == "LABEL":
        state.config = config.changed(labels=dict(_pairs(text, rest)))
    elif keyword == "EXPOSE":
        state.config = config.changed(exposed_ports=[p for word in _words(text, rest) for p in _ports(text, word)])
    elif keyword == "USER":
        state.config = replace(config, user=" ".join(_words(text, rest)))
    elif keyword == "VOLUME":
        state.config = config.changed(volumes=exec_form(rest) or _words(text, rest))
    elif keyword == "WORKDIR":
        # moby's normalizeWorkdir: a relative path is joined to the current one, from /
        state.config = replace(
            config, workdir=posixpath.normpath(posixpath.join("/", config.workdir, *_words(text, rest)))
        )
    else:  # ONBUILD keeps its trigger as written
        state.config = replace(config, extra={**config.extra, "OnBuild": [*(config.extra.get("OnBuild") or []), rest]})


def _command(rest: str) -> "tuple[str, ...]":
    """The exec form (a JSON list of strings) as it is; anything else is the shell form, run by /bin/sh -c."""
    return tuple(exec_form(rest) or ["/bin/sh", "-c", rest])


def exec_form(value: str) -> "list[str] | None":
    """``["a", "b"]`` 형태(exec form)면 문자열 목록, 아니면 None (Dockerfile과 ``docker commit -c`` 가 같이 씁니다)."""
    if not value.startswith("["):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    if isinstance(parsed, list) and all(isinstance(item, str) for item in parsed):
        return parsed
    return None


def port_specs(word: str) -> "list[str] | None":
    """EXPOSE의 한 낱말을 포트 목록으로: ``80`` → 80/tcp, ``53/udp``, ``8000-8002`` → 세 포트
    (Docker의 nat.ParsePortSpecs처럼). 포트가 아니면 None."""
    match = re.fullmatch(r"(\d+)(?:-(\d+))?(?:/(tcp|udp|sctp))?", word.lower())
    if not match:
        return None
    start, end = int(match.group(1)), int(match.group(2) or match.group(1))
    if not 0 < start <= end < 65536:
        return None
    return [f"{port}/{match.group(3) or 'tcp'}" for port in range(start, end + 1)]


def _words(text: str, rest: str) -> "list[str]":
    try:
        return shlex.split(rest)
    except ValueError:
        raise ImageLibError(f"{text!r}: 따옴표가 닫히지 않았습니다.") from None


def _pairs(text: str, rest: str) -> "list[tuple[str, str]]":
    """``K=V K2="a b"``, or the old form ``K value with spaces`` (one pair)."""
    words = _words(text, rest)
    if "=" not in words[0]:
        if len(words) < 2:
            raise ImageLibError(f"{text!r}: 이름 {words[0]!r}에 값이 없습니다(이름=값 으로 적어 주세요).")
        return [(words[0], " ".join(words[1:]))]
    pairs = []
    for word in words:
        key, equals, value = word.partition("=")
        if not equals or not key:
            raise ImageLibError(f"{text!r}: {word!r}는 이름=값 모양이 아닙니다.")
        pairs.append((key, value))
    return pairs


def _ports(text: str, word: str) -> "list[str]":
    ports = port_specs(word)
    if ports is None:
        raise ImageLibError(f"{text!r}: {word!r}는 포트 번호가 아닙니다.")
    return ports
