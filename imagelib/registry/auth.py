"""Registry authentication: Basic and Bearer-token challenges (``WWW-Authenticate``), per host.

Who gets the user's credentials follows containerd after CVE-2020-15157 (its
``remotes/docker/authorizer.go`` and the CRI's ``ParseAuth``):

- Authorization state is kept per *origin* (scheme, host, port), and a request only ever carries
  the Authorization of its own origin. So after a redirect to a storage host (blob downloads
  usually are), neither the password nor the registry's token follows, as Go's ``net/http``
  drops ``Authorization`` on a redirect to another host. (containerd keys the state by host and
  port; the scheme is added so that an https registry's credentials never go out over plain http.)
- A 401 is answered for the origin that sent it, with the credentials of that origin. Only the
  registry's own origin has credentials: containerd asks its credential callback for the
  challenging host, and the CRI's callback returns nothing for any host but the configured
  registry. A storage host asking for Basic auth therefore gets an error, not the password, and
  its Bearer challenge is answered with an anonymous token request to the realm it names; that
  token is then sent to the storage host alone.
- The registry's own Bearer challenge may name a token server (realm) on any host, as Docker
  Hub's does (``registry-1.docker.io`` -> ``auth.docker.io``): containerd sends the credentials
  there, because the registry itself chose the realm. CVE-2020-15157 was a *redirected* host's
  challenge naming an attacker's realm, which the rule above already covers.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from ..errors import AuthenticationError, ImageFormatError
from ..oci import load_json
from .bounds import MAX_TOKEN_BYTES

_PARAM_RE = re.compile(r'([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')
# A token goes into a header: visible ASCII only (RFC 6750's b64token is a subset), so a token
# server cannot inject header lines (CR/LF) or confuse the header with spaces.
_TOKEN_RE = re.compile(r"[\x21-\x7e]+")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_GO_INT64 = 1 << 63  # expires_in is a Go int: a bigger number does not decode there

# (scheme, host, port): where credentials may go. Host names are compared without case.
Origin = "tuple[str, str, int]"


def origin(url: str) -> "tuple[str, str, int]":
    """The origin of a URL: scheme, host (lower case) and port (the scheme's default if absent)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme, 0)


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
    params = {
        m.group(1).lower(): (m.group(2) if m.group(2) is not None else m.group(3)) for m in _PARAM_RE.finditer(rest)
    }
    params = {key: re.sub(r"\\(.)", r"\1", value) for key, value in params.items()}
    return Challenge(scheme.lower(), params)


# fetch(url, headers, limit) -> (status, body bytes); provided by the transport (retries included).
TokenFetcher = Callable[[str, "dict[str, str]", int], "tuple[int, bytes]"]


@dataclass
class _HostAuth:
    """What one origin asked for: Basic, or Bearer tokens per scope set (with their expiry)."""

    basic: "str | None" = None
    tokens: "dict[tuple[str, ...], tuple[str, float | None]]" = field(default_factory=dict)

    def header(self, scopes: "tuple[str, ...]") -> "str | None":
        if self.basic:
            return self.basic
        token, expires = self.tokens.get(scopes, (None, None))
        if token is None or (expires is not None and time.monotonic() >= expires):
            return None  # the next answer is a 401, and a fresh token is fetched then
        return f"Bearer {token}"


class Authenticator:
    """Remembers what each origin asked for and answers with Basic or Bearer headers."""

    def __init__(self, username: "str | None", password: "str | None", registry: str) -> None:
        self._username = username
        self._password = password
        self._registry = registry
        self._home = origin(registry)
        self._hosts: "dict[tuple[str, str, int], _HostAuth]" = {}

    @property
    def has_credentials(self) -> bool:
        return self._username is not None

    def is_home(self, url: str) -> bool:
        """True if ``url`` is on the registry's own origin (the only one that gets credentials)."""
        return origin(url) == self._home

    def header(self, url: str, scopes: "tuple[str, ...]") -> "str | None":
        """The Authorization header for a request to ``url`` needing ``scopes`` (None: send none)."""
        state = self._hosts.get(origin(url))
        return state.header(scopes) if state else None

    def answer(self, url: str, header: "str | None", scopes: "tuple[str, ...]", fetch: TokenFetcher) -> None:
        """Handle a 401 from ``url`` so that the next request there carries proper credentials."""
        challenge = parse_challenge(header)
        state = self._hosts.setdefault(origin(url), _HostAuth())
        home = self.is_home(url)
        if challenge.scheme == "basic":
            if not home:
                raise self.foreign_login(url)
            if not self.has_credentials:
                raise self.missing_credentials()
            state.basic = self._basic()
        elif challenge.scheme == "bearer":
            state.tokens[scopes] = self._fetch_token(url, challenge, scopes, fetch, home)
        else:
            raise AuthenticationError(
                f"{self._where(url)}가 알 수 없는 인증 방식({challenge.scheme or '없음'})을 "
                "요구합니다. imagelib는 Basic과 Bearer 토큰 인증만 지원합니다."
            )

    def _fetch_token(
        self, url: str, challenge: Challenge, scopes: "tuple[str, ...]", fetch: TokenFetcher, home: bool
    ) -> "tuple[str, float | None]":
        realm = challenge.params.get("realm")
        if not realm:
            raise AuthenticationError(f"{self._where(url)}의 Bearer 인증 요구에 토큰 주소(realm)가 없습니다.")
        if origin(realm)[0] not in _DEFAULT_PORTS or not origin(realm)[1]:
            raise AuthenticationError(
                f"{self._where(url)}가 알려 준 토큰 주소(realm) {realm!r}는 http:// 또는 https:// 주소가 아닙니다."
            )
        query: "list[tuple[str, str]]" = []
        if challenge.params.get("service"):
            query.append(("service", challenge.params["service"]))
        for scope in dict.fromkeys(list(scopes) + challenge.scopes):
            query.append(("scope", scope))
        token_url = realm + ("&" if "?" in realm else "?") + urlencode(query) if query else realm
        send_password = home and self.has_credentials
        headers = {"Authorization": self._basic()} if send_password else {}
        status, body = fetch(token_url, headers, MAX_TOKEN_BYTES)
        if status in (401, 403):
            if not home:
                raise self.foreign_login(url)
            raise self.rejected() if self.has_credentials else self.missing_credentials()
        if status != 200:
            raise AuthenticationError(
                f"{self._where(url)}의 토큰 서버({realm})가 HTTP {status}로 답했습니다. "
                "잠시 뒤 다시 해 보거나 토큰 서버 주소를 확인하세요."
            )
        return _read_token(body, f"{self._where(url)}의 토큰 서버({realm})")

    def _basic(self) -> str:
        pair = f"{self._username}:{self._password or ''}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def _where(self, url: str) -> str:
        if self.is_home(url):
            return f"레지스트리 {self._registry}"
        scheme, host, port = origin(url)
        return f"레지스트리 {self._registry}가 보낸 다른 주소 {scheme}://{host}:{port}"

    def foreign_login(self, url: str) -> AuthenticationError:
        scheme, host, port = origin(url)
        return AuthenticationError(
            f"레지스트리 {self._registry}가 다른 주소 {scheme}://{host}:{port}로 보냈는데(redirect), 그곳이 "
            "로그인을 요구합니다. 사용자 이름과 비밀번호는 레지스트리 자신에게만 보내므로 그곳에는 보내지 "
            "않습니다. 레지스트리의 저장소(storage) 설정을 확인하세요."
        )

    def missing_credentials(self) -> AuthenticationError:
        return AuthenticationError(
            f"레지스트리 {self._registry}가 로그인(인증)을 요구합니다. "
            "il.Registry(url, username='…', password='…')로 사용자 이름과 비밀번호를 주세요."
        )

    def rejected(self) -> AuthenticationError:
        return AuthenticationError(
            f"레지스트리 {self._registry}가 사용자 {self._username!r}의 로그인을 거절했습니다. "
            "사용자 이름과 비밀번호를 확인하세요."
        )


def _read_token(body: bytes, server: str) -> "tuple[str, float | None]":
    """The token and its expiry (monotonic clock) from a token server's JSON answer.

    Read as containerd's Go struct reads it: ``token`` or ``access_token`` a string, ``expires_in``
    an integer (absent or not positive: no known expiry). Anything else is refused.
    """
    try:
        doc = load_json(body, f"{server}의 답")
    except ImageFormatError as error:
        raise AuthenticationError(f"{error} 토큰을 받지 못했습니다.") from None
    if not isinstance(doc, dict):
        raise AuthenticationError(f"{server}의 답이 JSON 객체가 아닙니다. 토큰을 받지 못했습니다.")
    for key in ("token", "access_token", "expires_in"):
        value = doc.get(key)
        wanted = int if key == "expires_in" else str
        in_range = not isinstance(value, int) or -_GO_INT64 <= value < _GO_INT64
        if value is not None and (not isinstance(value, wanted) or isinstance(value, bool) or not in_range):
            raise AuthenticationError(f"{server}의 답에서 {key}의 형식이 잘못되었습니다({type(value).__name__}).")
    token = doc.get("token") or doc.get("access_token")
    if not token:
        raise AuthenticationError(f"{server}가 토큰을 주지 않았습니다.")
    if not _TOKEN_RE.fullmatch(token):
        raise AuthenticationError(
            f"{server}가 준 토큰에 헤더에 넣을 수 없는 글자(공백, 줄바꿈, 제어 문자 등)가 있어 쓰지 않습니다."
        )
    expires_in = doc.get("expires_in")
    return token, (time.monotonic() + expires_in if expires_in and expires_in > 0 else None)
