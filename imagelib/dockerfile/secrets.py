"""빌드 비밀(build secret): ``RUN --mount=type=secret`` 과 비밀처럼 보이는 ARG/ENV 이름 경고.

BuildKit처럼 비밀 파일은 그 ``RUN`` 하나가 실행되는 동안에만 보이고, 레이어에도 ``history`` 에도
캐시 키에도 내용이 남지 않습니다(캐시 키에는 비밀의 id와 위치만 들어갑니다).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import BuildError

SECRETS_DIR = "/run/secrets"

# BuildKit's SecretsUsedInArgOrEnv check (frontend/dockerfile/dockerfile2llb): a name is flagged when
# one of these words is the whole name or its first or last underscore-separated part ...
_SECRET_WORDS = ("apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token")
# ... unless one of these words is too (AUTH_FILE, PUBLIC_KEY, TOKEN_VERSION are not secrets).
_ALLOWED_WORDS = ("public", "file", "version")
_SECRET_NAME = re.compile(r"(?i)(?:_|^)(?:" + "|".join(_SECRET_WORDS) + r")(?:_|$)")
_ALLOWED_NAME = re.compile(r"(?i)(?:_|^)(?:" + "|".join(_ALLOWED_WORDS) + r")(?:_|$)")


def looks_like_secret(name: str) -> bool:
    """ARG/ENV 이름이 비밀처럼 보이면 True(BuildKit의 SecretsUsedInArgOrEnv 검사와 같은 규칙)."""
    return _SECRET_NAME.search(name) is not None and _ALLOWED_NAME.search(name) is None


def secret_name_warning(line: int, keyword: str, name: str) -> str:
    """비밀처럼 보이는 ARG/ENV 이름에 대한 경고 문장(BuildKit 경고의 원문을 함께 적습니다)."""
    return (
        f"{line}번째 줄: {keyword} {name!r}은(는) 비밀 값의 이름처럼 보입니다. ARG 값은 그 뒤 RUN의 "
        "history에, ENV 값은 이미지 설정에 그대로 남으니 비밀은 RUN --mount=type=secret으로 넘기세요. "
        "최신 BuildKit의 빌드 검사(build checks)라면: SecretsUsedInArgOrEnv: Do not use ARG or ENV "
        f'instructions for sensitive data ({keyword} "{name}")'
    )


@dataclass(frozen=True)
class SecretMount:
    """``RUN --mount=type=secret,...`` 하나: 비밀의 id, 파일이 보일 경로, 꼭 있어야 하는지, 권한."""

    id: str
    target: str
    required: bool = False
    mode: int = 0o400
    uid: int = 0
    gid: int = 0

    @property
    def cache_part(self) -> "tuple[str, str, bool, int, int, int]":
        """캐시 키에 들어가는 부분: 비밀의 내용은 빼고 id와 위치만."""
        return (self.id, self.target, self.required, self.mode, self.uid, self.gid)


_OPTION_NAMES = {"destination": "target", "dst": "target", "src": "source"}


def parse_mount(spec: str, line: int) -> SecretMount:
    """``--mount`` 의 값(``type=secret,id=npmrc,target=/root/.npmrc,required``)을 읽습니다."""
    options: "dict[str, str]" = {}
    for field in spec.split(","):
        key, sep, value = field.strip().partition("=")
        key = key.lower()
        options[_OPTION_NAMES.get(key, key)] = value if sep else "true"
    kind = options.pop("type", "bind")
    if kind != "secret":
        raise BuildError(
            f"RUN --mount=type={kind}는 지원하지 않습니다. 모형 빌더는 type=secret만 지원합니다.", line, "RUN"
        )
    unknown = sorted(set(options) - {"id", "source", "target", "required", "mode", "uid", "gid"})
    if unknown:
        raise BuildError(f"RUN --mount=type=secret의 모르는 옵션: {', '.join(unknown)}", line, "RUN")
    target = options.get("target", "")
    name = options.get("source") or options.get("id") or posixpath.basename(target)
    if not name:
        raise BuildError("RUN --mount=type=secret에는 id나 target 중 하나가 있어야 합니다.", line, "RUN")
    return SecretMount(
        id=name,
        target=target or f"{SECRETS_DIR}/{posixpath.basename(name)}",
        required=_flag(options.get("required", "false"), line),
        mode=_number(options, "mode", 8, 0o400, line),
        uid=_number(options, "uid", 10, 0, line),
        gid=_number(options, "gid", 10, 0, line),
    )


def _flag(value: str, line: int) -> bool:
    lowered = value.lower()
    if lowered in ("true", "1", "t"):
        return True
    if lowered in ("false", "0", "f"):
        return False
    raise BuildError(f"RUN --mount의 required={value!r}은(는) true나 false여야 합니다.", line, "RUN")


def _number(options: "dict[str, str]", key: str, base: int, default: int, line: int) -> int:
    if key not in options:
        return default
    try:
        return int(options[key], base)
    except ValueError:
        raise BuildError(f"RUN --mount의 {key}={options[key]!r}이(가) 숫자가 아닙니다.", line, "RUN") from None


def load_secrets(secrets: "Mapping[str, bytes | str | os.PathLike] | None") -> "dict[str, bytes]":
    """``il.build(secrets=...)`` 의 값을 읽습니다: bytes는 내용 그대로, 경로(str이나 Path)는 그 파일의 내용."""
    loaded: "dict[str, bytes]" = {}
    for name, value in (secrets or {}).items():
        if isinstance(value, (bytes, bytearray)):
            loaded[str(name)] = bytes(value)
            continue
        if not isinstance(value, (str, os.PathLike)):
            raise BuildError(f"비밀 {name!r}에는 bytes나 파일 경로를 주세요({type(value).__name__}를 받았습니다).")
        try:
            with open(value, "rb") as handle:
                loaded[str(name)] = handle.read()
        except OSError as error:
            raise BuildError(
                f"비밀 {name!r}의 파일 {os.fspath(value)!r}을(를) 읽을 수 없습니다({error.strerror}). "
                "내용을 직접 주려면 bytes로 주세요(b'...')."
            ) from None
    return loaded
