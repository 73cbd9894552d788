"""Registry authentication: Basic and Bearer-token challenges (``WWW-Authenticate``)."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from ..errors import AuthenticationError

_PARAM_RE = re.compile(r'([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


@dataclass(frozen=True)
class Challenge:
    """One parsed ``WWW-Authenticate`` header: its scheme and parameters."""

    scheme: str
    params: "dict[str, str]" = field(default_factory=dict)

    @property
    def scopes(self) -> "list[str]":
        scope = self.params.get("scope", "")
        return scope.split(" ") if scope else []


def parse_challenge(header: "str | None") -> Challenge:
    """Parse ``Bearer realm="…",service="…",scope="…"`` (or ``Basic realm="…"``)."""
    text = (header or "").strip()
    scheme, _, rest = text.partition(" ")
    params = {m.group(1).lower(): (m.group(2) if m.group(2) is not None else m.group(3))
              for m in _PARAM_RE.finditer(rest)}
    params = {key: re.sub(r"\\(.)", r"\1", value) for key, value in params.items()}
    return Challenge(scheme.lower(), params)


# fetch(url, headers) -> (status, body bytes); provided by the transport (retries included).
TokenFetcher = Callable[[str, "dict[str, str]"], "tuple[int, bytes]"]


class Authenticator:
    """Remembers what a registry asked for and answers with Basic or Bearer headers."""

    def __init__(self, username: "str | None", password: "str | None", registry: str) -> None:
        self._username = username
        self._password = password
        self._registry = registry
        self._use_basic = False
        self._tokens: "dict[tuple[str, ...], str]" = {}

    @property
    def has_credentials(self) -> bool:
        return self._username is not None

    def header(self, scopes: "tuple[str, ...]") -> "str | None":
        """The Authorization header to send first for a request needing ``scopes``."""
        if self._use_basic:
            return self._basic()
        token = self._tokens.get(scopes)
        return f"Bearer {token}" if token else None

    def answer(self, header: "str | None", scopes: "tuple[str, ...]", fetch: TokenFetcher) -> None:
        """Handle a 401 challenge so that the next attempt carries proper credentials."""
        challenge = parse_challenge(header)
        if challenge.scheme == "basic":
            if not self.has_credentials:
                raise self.missing_credentials()
            self._use_basic = True
        elif challenge.scheme == "bearer":
            self._tokens[scopes] = self._fetch_token(challenge, scopes, fetch)
        else:
            raise AuthenticationError(
                f"레지스트리 {self._registry}가 알 수 없는 인증 방식({challenge.scheme or '없음'})을 "
                "요구합니다. imagelib는 Basic과 Bearer 토큰 인증만 지원합니다.")

    def _fetch_token(self, challenge: Challenge, scopes: "tuple[str, ...]",
                     fetch: TokenFetcher) -> str:
        realm = challenge.params.get("realm")
        if not realm:
            raise AuthenticationError(
                f"레지스트리 {self._registry}의 Bearer 인증 요구에 토큰 주소(realm)가 없습니다.")
        query: "list[tuple[str, str]]" = []
        if challenge.params.get("service"):
            query.append(("service", challenge.params["service"]))
        for scope in dict.fromkeys(list(scopes) + challenge.scopes):
            query.append(("scope", scope))
        url = realm + ("&" if "?" in realm else "?") + urlencode(query) if query else realm
        headers = {"Authorization": self._basic()} if self.has_credentials else {}
        status, body = fetch(url, headers)
        if status in (401, 403):
            raise self.rejected() if self.has_credentials else self.missing_credentials()
        if status != 200:
            raise AuthenticationError(
                f"레지스트리 {self._registry}의 토큰 서버({realm})가 HTTP {status}로 답했습니다. "
                "잠시 뒤 다시 해 보거나 토큰 서버 주소를 확인하세요.")
        try:
            doc = json.loads(body)
            token = doc.get("token") or doc.get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not token:
            raise AuthenticationError(
                f"레지스트리 {self._registry}의 토큰 서버({realm})가 토큰을 주지 않았습니다.")
        return token

    def _basic(self) -> str:
        pair = f"{self._username}:{self._password or ''}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def missing_credentials(self) -> AuthenticationError:
        return AuthenticationError(
            f"레지스트리 {self._registry}가 로그인(인증)을 요구합니다. "
            "il.Registry(url, username='…', password='…')로 사용자 이름과 비밀번호를 주세요.")

    def rejected(self) -> AuthenticationError:
        return AuthenticationError(
            f"레지스트리 {self._registry}가 사용자 {self._username!r}의 로그인을 거절했습니다. "
            "사용자 이름과 비밀번호를 확인하세요.")
