"""HTTP for the registry client: one request at a time, with retries, auth and Korean errors.

Only the standard library (``http.client``) is used. Requests are retried with exponential
backoff on connection errors and 5xx answers, never on 4xx: a 4xx answer is the registry's
final word (missing, forbidden, invalid), so asking again cannot help.
"""

from __future__ import annotations

import functools
import http.client
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import Message
from typing import Any, BinaryIO, TypeAlias, TypeVar, cast
from urllib.parse import urljoin, urlsplit

from ..errors import (
    AccessDeniedError,
    AuthenticationError,
    ImageFormatError,
    RegistryError,
    RegistryNotFoundError,
    RegistryUnreachableError,
)
from ..oci import load_json
from .auth import Authenticator, origin, parse_challenge
from .bounds import DEFAULT_DEADLINE, MAX_ERROR_BYTES, MAX_MANIFEST_BYTES, PacedResponse, read_bounded

T = TypeVar("T")
USER_AGENT = "imagelib"
_REDIRECTS = (301, 302, 303, 307, 308)
_MAX_REDIRECTS = 5
_SEND_BLOCK = 1 << 16
# Errors of the connection itself (refused, reset, timed out, cut short): worth another try.
NETWORK_ERRORS = (OSError, http.client.HTTPException)


class RetryableStatus(Exception):
    """A 5xx answer that a retrying caller may try again."""

    def __init__(self, error: RegistryError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class Response:
    """An answer: status and headers, then the body, read whole (``read``) or as a ``stream``."""

    status: int
    headers: Message
    url: str
    stream: http.client.HTTPResponse
    connection: http.client.HTTPConnection
    body: bytes = b""

    def header(self, name: str) -> "str | None":
        return self.headers.get(name)

    def read(self, limit: int, what: str) -> bytes:
        """Read the whole body (at most ``limit`` bytes, else LimitExceededError) and close."""
        try:
            self.body = read_bounded(self.stream, limit, what, self.header("Content-Length"))
        finally:
            self.close()
        return self.body

    def close(self) -> None:
        self.stream.close()
        self.connection.close()

    def __enter__(self) -> "Response":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# A request body: bytes, or a function that opens a fresh stream (so a retry can resend it).
Body: TypeAlias = "bytes | tuple[Callable[[], BinaryIO], int] | None"


class Transport:
    """Sends requests to one registry: auth challenges answered, failures retried or explained."""

    def __init__(
        self,
        base_url: str,
        auth: Authenticator,
        *,
        retries: int,
        backoff: float,
        timeout: float,
        deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.deadline = deadline

    # -- the public entry points ----------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: "dict[str, str] | None" = None,
        body: Body = None,
        scopes: Iterable[str] = (),
        ok: Iterable[int] = (200,),
        stream: bool = False,
        retry: bool = True,
        what: str = "",
        limit: int = MAX_MANIFEST_BYTES,
        body_what: str = "",
    ) -> Response:
        """Send a request; raise a Korean error unless the status is in ``ok``.

        The body is read whole (at most ``limit`` bytes, else a LimitExceededError naming
        ``body_what``) unless ``stream`` asks for it open.
        With ``retry=False`` the caller retries a whole sequence of requests itself (an upload
        session) and must run this inside ``retrying``, which turns a 5xx into its error.
        """

        def once() -> Response:
            response = self._authorized(
                method, path, headers or {}, body, tuple(scopes), what or f"{method} {path}", tuple(ok)
            )
            if not stream:
                response.read(limit, body_what or what or f"{method} {path}")
            return response

        return self.retrying(once) if retry else once()

    def retrying(self, action: Callable[[], T]) -> T:
        """Run ``action``; on a connection error or a 5xx answer wait and run it again."""
        attempt = 0
        while True:
            try:
                return action()
            except RetryableStatus as failure:
                if attempt >= self.retries:
                    raise failure.error from None
            except NETWORK_ERRORS as error:
                if attempt >= self.retries:
                    raise self.unreachable(error) from None
            time.sleep(self.backoff * (2**attempt))
            attempt += 1

    def url(self, path: str, base: "str | None" = None) -> str:
        """An absolute http(s) URL for a path (``/v2/…``) or a header's URL (maybe relative).

        Raises RegistryError for anything else: a registry names where to go next in Location
        and Link headers, and those must not send the client to a mangled or non-HTTP address.
        """
        try:
            target = urljoin((base or self.base_url) + ("/" if base is None else ""), path)
            parts = urlsplit(target)
            valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
        except ValueError:
            valid = False
        if not valid or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in target):
            raise RegistryError(
                f"레지스트리 {self.base_url}가 알려 준 주소 {path[:200]!r}는 쓸 수 있는 "
                "http:// 또는 https:// 주소가 아닙니다."
            )
        return target

    # -- one attempt ----------------------------------------------------------------------

    def _authorized(
        self,
        method: str,
        path: str,
        headers: "dict[str, str]",
        body: Body,
        scopes: "tuple[str, ...]",
        what: str,
        ok: "tuple[int, ...]",
    ) -> Response:
        """Send until no 401 is left to answer; each origin's challenge is answered once."""
        answered: "set[tuple[str, str, int]]" = set()
        while True:
            response = self._send(method, self.url(path), headers, body, scopes)
            if response.status != 401:
                break
            response.close()
            challenge = response.header("WWW-Authenticate")
            if origin(response.url) in answered:
                raise self._refused(response.url, challenge)
            self.auth.answer(response.url, challenge, scopes, self.fetch_plain)
            answered.add(origin(response.url))
        if response.status not in ok:
            error = self.error_for(response, what)
            if response.status >= 500:
                raise RetryableStatus(error)
            raise error
        return response

    def _refused(self, url: str, challenge: "str | None") -> RegistryError:
        if not self.auth.is_home(url):
            return self.auth.foreign_login(url)
        if parse_challenge(challenge).params.get("error") == "insufficient_scope":
            return AccessDeniedError(
                f"레지스트리 {self.base_url}에서 이 일을 할 권한이 없습니다(insufficient_scope). "
                "계정의 권한을 확인하세요."
            )
        return self.auth.rejected() if self.auth.has_credentials else self.auth.missing_credentials()

    def fetch_plain(self, url: str, headers: "dict[str, str]", limit: int) -> "tuple[int, bytes]":
        """GET a token server's answer (with only the ``headers`` given), with retries.

        The body is read (at most ``limit`` bytes) only when the status is 200.
        """

        def once() -> "tuple[int, bytes]":
            response = self._send("GET", self.url(url), headers, None, None)
            if response.status >= 500:
                raise RetryableStatus(self.error_for(response, f"토큰 요청 {url}"))
            if response.status != 200:
                response.close()
                return response.status, b""
            return 200, response.read(limit, f"토큰 서버 {url}의 답")

        return self.retrying(once)

    def _send(
        self, method: str, url: str, headers: "dict[str, str]", body: Body, scopes: "tuple[str, ...] | None"
    ) -> Response:
        """Send, following redirects of GET and HEAD; the Authorization is chosen for each hop.

        With ``scopes`` (a registry request) each hop carries what its own origin asked for, so
        the registry's credentials never follow a redirect to a storage host. Without (a token
        request) the given headers go to the first origin only, as Go's net/http does it.
        """
        start = origin(url)
        away = False  # once a token request left its first origin, its headers stay behind
        for _ in range(_MAX_REDIRECTS + 1):
            sent = {k: v for k, v in headers.items() if not (away and k.lower() == "authorization")}
            if scopes is not None:
                authorization = self.auth.header(url, scopes)
                if authorization:
                    sent["Authorization"] = authorization
            response = self._send_once(method, url, sent, body)
            location = response.header("Location")
            if response.status not in _REDIRECTS or method not in ("GET", "HEAD") or not location:
                return response
            response.close()
            url = self.url(location, base=url)
            away = away or origin(url) != start
        raise RegistryError(f"레지스트리 {self.base_url}가 {url}에서 너무 많이 다른 주소로 보냈습니다(redirect).")

    def _send_once(self, method: str, url: str, headers: "dict[str, str]", body: Body) -> Response:
        """One request; the answer's status and headers are read, its body is left to the caller."""
        parts = urlsplit(url)
        connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_type(
            _host(parts.hostname, url), parts.port, timeout=min(self.timeout, self.deadline), blocksize=_SEND_BLOCK
        )
        # http.client only calls response_class(sock, ...): a partial serves as well as a class.
        connection.response_class = cast(
            "type[http.client.HTTPResponse]",
            functools.partial(PacedResponse, deadline=self.deadline, timeout=self.timeout, url=url),
        )
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        try:
            sent = {"User-Agent": USER_AGENT, **headers}
            if isinstance(body, tuple):
                opener, size = body
                sent["Content-Length"] = str(size)
                with opener() as data:
                    connection.request(method, target, body=data, headers=sent)
            else:
                if body is not None or method in ("PUT", "POST", "PATCH"):
                    sent["Content-Length"] = str(len(body or b""))
                connection.request(method, target, body=body, headers=sent)
            answer = connection.getresponse()
        except BaseException:
            connection.close()
            raise
        return Response(answer.status, answer.headers, url, answer, connection)

    # -- errors ---------------------------------------------------------------------------

    def unreachable(self, error: BaseException) -> RegistryUnreachableError:
        reason = str(error) or type(error).__name__
        return RegistryUnreachableError(
            f"레지스트리 {self.base_url}에 연결할 수 없습니다({reason}). {self.retries}번 더 해 보았지만 "
            "실패했습니다. 주소와 포트가 맞는지, 레지스트리가 실행 중인지 확인하세요."
        )

    def error_for(self, response: Response, what: str) -> RegistryError:
        """The Korean error for a failed answer, quoting the registry's own error codes.

        Reads the error body (at most MAX_ERROR_BYTES) and closes the answer.
        """
        body = response.read(MAX_ERROR_BYTES, f"{what}: HTTP {response.status} 답의 오류 본문")
        detail = _registry_message(body)
        suffix = f" 레지스트리의 설명: {detail}" if detail else ""
        status = response.status
        if status == 401:
            return AuthenticationError(f"{what}: 레지스트리 {self.base_url}가 인증을 거절했습니다.{suffix}")
        if status == 403:
            return AccessDeniedError(
                f"{what}: 레지스트리 {self.base_url}에서 이 일을 할 권한이 없습니다(HTTP 403). "
                f"계정의 권한을 확인하세요.{suffix}"
            )
        if status == 404:
            return RegistryNotFoundError(
                f"레지스트리 {self.base_url}에 {what}이(가) 없습니다(HTTP 404). "
                f"저장소 이름, 태그, 다이제스트를 확인하세요.{suffix}"
            )
        if status >= 500:
            return RegistryError(
                f"{what}: 레지스트리 {self.base_url}가 내부 오류(HTTP {status})로 답했습니다. "
                f"{self.retries}번 더 해 보았지만 같았습니다. 잠시 뒤 다시 해 보세요.{suffix}"
            )
        return RegistryError(f"{what}: 레지스트리 {self.base_url}가 HTTP {status}로 거절했습니다.{suffix}")


def _registry_message(body: bytes) -> str:
    """``{"errors": [{"code": …, "message": …}]}`` as one printable line (the distribution format).

    Whatever the body holds, the result is plain text: a registry must not be able to put
    terminal escapes or extra lines into the error a learner reads.
    """
    try:
        doc = load_json(body, "오류 본문")
    except ImageFormatError:
        text = body[:200].decode("utf-8", "replace").strip()
        return _printable(text) if text and not text.startswith("<") else ""
    errors = doc.get("errors") if isinstance(doc, dict) else None
    if not isinstance(errors, list):
        return ""
    lines = (f"{_field(e, 'code')} {_field(e, 'message')}".strip() for e in errors if isinstance(e, dict))
    return _printable("; ".join(line for line in lines if line))[:500]


def _host(hostname: "str | None", url: str) -> str:
    if hostname is None:  # Transport.url() lets no address without a host through
        raise RegistryError(f"주소 {url[:200]!r}에 호스트 이름이 없습니다.")
    return hostname


def _field(error: "dict[str, Any]", key: str) -> str:
    value = error.get(key)
    return value if isinstance(value, str) else ""


def _printable(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())
