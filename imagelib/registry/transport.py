"""HTTP for the registry client: one request at a time, with retries, auth and Korean errors.

Only the standard library (``http.client``) is used. Requests are retried with exponential
backoff on connection errors and 5xx answers, never on 4xx: a 4xx answer is the registry's
final word (missing, forbidden, invalid), so asking again cannot help.
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import Message
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

from ..errors import (
    AccessDeniedError,
    AuthenticationError,
    RegistryError,
    RegistryNotFoundError,
    RegistryUnreachableError,
)
from .auth import Authenticator, parse_challenge

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
    """An answer: status, headers and either the whole body or an open stream of it."""

    status: int
    headers: Message
    body: bytes
    url: str
    stream: "http.client.HTTPResponse | None" = None
    connection: "http.client.HTTPConnection | None" = None

    def header(self, name: str) -> "str | None":
        return self.headers.get(name)

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
        if self.connection is not None:
            self.connection.close()

    def __enter__(self) -> "Response":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# A request body: bytes, or a function that opens a fresh stream (so a retry can resend it).
Body = "bytes | tuple[Callable[[], BinaryIO], int] | None"


class Transport:
    """Sends requests to one registry: auth challenges answered, failures retried or explained."""

    def __init__(self, base_url: str, auth: Authenticator, *, retries: int, backoff: float,
                 timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout

    # -- the public entry points ----------------------------------------------------------

    def request(self, method: str, path: str, *, headers: "dict[str, str] | None" = None,
                body: Body = None, scopes: Iterable[str] = (), ok: Iterable[int] = (200,),
                stream: bool = False, retry: bool = True, what: str = "") -> Response:
        """Send a request; raise a Korean error unless the status is in ``ok``.

        With ``retry=False`` the caller retries a whole sequence of requests itself (an upload
        session) and must run this inside ``retrying``, which turns a 5xx into its error.
        """
        def once() -> Response:
            return self._authorized(method, path, headers or {}, body, tuple(scopes), stream, what, ok)

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
            time.sleep(self.backoff * (2 ** attempt))
            attempt += 1

    def url(self, path: str) -> str:
        """An absolute URL for a path (``/v2/…``) or a Location header (maybe relative)."""
        return urljoin(self.base_url + "/", path)

    # -- one attempt ----------------------------------------------------------------------

    def _authorized(self, method: str, path: str, headers: "dict[str, str]", body: Body,
                    scopes: "tuple[str, ...]", stream: bool, what: str,
                    ok: Iterable[int]) -> Response:
        answered = False
        while True:
            sent = dict(headers)
            url = self.url(path)
            authorization = self.auth.header(scopes)
            if authorization and urlsplit(url).netloc == urlsplit(self.base_url).netloc:
                sent["Authorization"] = authorization
            response = self._send(method, url, sent, body, stream)
            if response.status != 401:
                break
            response.close()
            challenge = response.header("WWW-Authenticate")
            if answered:
                raise self._refused(challenge)
            self.auth.answer(challenge, scopes, self.fetch_plain)
            answered = True
        if response.status not in tuple(ok):
            response.close()
            error = self.error_for(response, what or f"{method} {path}")
            if response.status >= 500:
                raise RetryableStatus(error)
            raise error
        return response

    def _refused(self, challenge: "str | None") -> RegistryError:
        if parse_challenge(challenge).params.get("error") == "insufficient_scope":
            return AccessDeniedError(
                f"레지스트리 {self.base_url}에서 이 일을 할 권한이 없습니다(insufficient_scope). "
                "계정의 권한을 확인하세요.")
        return self.auth.rejected() if self.auth.has_credentials else self.auth.missing_credentials()

    def fetch_plain(self, url: str, headers: "dict[str, str]") -> "tuple[int, bytes]":
        """GET without registry auth (used for token servers), with retries."""
        def once() -> "tuple[int, bytes]":
            response = self._send("GET", url, headers, None, False)
            if response.status >= 500:
                raise RetryableStatus(self.error_for(response, f"토큰 요청 {url}"))
            return response.status, response.body

        return self.retrying(once)

    def _send(self, method: str, url: str, headers: "dict[str, str]", body: Body,
              stream: bool) -> Response:
        for _ in range(_MAX_REDIRECTS + 1):
            response = self._send_once(method, url, headers, body, stream)
            location = response.header("Location")
            if response.status not in _REDIRECTS or method not in ("GET", "HEAD") or not location:
                return response
            response.close()
            target = urljoin(url, location)
            if urlsplit(target).netloc != urlsplit(url).netloc:
                # Storage backends redirect to signed URLs; registry credentials must not follow.
                headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
            url = target
        raise RegistryError(
            f"레지스트리 {self.base_url}가 {url}에서 너무 많이 다른 주소로 보냈습니다(redirect).")

    def _send_once(self, method: str, url: str, headers: "dict[str, str]", body: Body,
                   stream: bool) -> Response:
        parts = urlsplit(url)
        connection_type = (http.client.HTTPSConnection if parts.scheme == "https"
                           else http.client.HTTPConnection)
        connection = connection_type(parts.netloc, timeout=self.timeout, blocksize=_SEND_BLOCK)
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
            if stream and answer.status < 300:
                return Response(answer.status, answer.headers, b"", url, answer, connection)
            data = answer.read() if method != "HEAD" else b""
        except BaseException:
            connection.close()
            raise
        connection.close()
        return Response(answer.status, answer.headers, data, url)

    # -- errors ---------------------------------------------------------------------------

    def unreachable(self, error: BaseException) -> RegistryUnreachableError:
        reason = str(error) or type(error).__name__
        return RegistryUnreachableError(
            f"레지스트리 {self.base_url}에 연결할 수 없습니다({reason}). {self.retries}번 더 해 보았지만 "
            "실패했습니다. 주소와 포트가 맞는지, 레지스트리가 실행 중인지 확인하세요.")

    def error_for(self, response: Response, what: str) -> RegistryError:
        """The Korean error for a failed answer, quoting the registry's own error codes."""
        detail = _registry_message(response.body)
        suffix = f" 레지스트리의 설명: {detail}" if detail else ""
        status = response.status
        if status == 401:
            return AuthenticationError(f"{what}: 레지스트리 {self.base_url}가 인증을 거절했습니다.{suffix}")
        if status == 403:
            return AccessDeniedError(
                f"{what}: 레지스트리 {self.base_url}에서 이 일을 할 권한이 없습니다(HTTP 403). "
                f"계정의 권한을 확인하세요.{suffix}")
        if status == 404:
            return RegistryNotFoundError(
                f"레지스트리 {self.base_url}에 {what}이(가) 없습니다(HTTP 404). "
                f"저장소 이름, 태그, 다이제스트를 확인하세요.{suffix}")
        if status >= 500:
            return RegistryError(
                f"{what}: 레지스트리 {self.base_url}가 내부 오류(HTTP {status})로 답했습니다. "
                f"{self.retries}번 더 해 보았지만 같았습니다. 잠시 뒤 다시 해 보세요.{suffix}")
        return RegistryError(f"{what}: 레지스트리 {self.base_url}가 HTTP {status}로 거절했습니다.{suffix}")


def _registry_message(body: bytes) -> str:
    """``{"errors": [{"code": …, "message": …}]}`` as one line (the distribution error format)."""
    try:
        errors = json.loads(body).get("errors") or []
        return "; ".join(f"{e.get('code', '')} {e.get('message', '')}".strip() for e in errors)
    except (ValueError, AttributeError, TypeError):
        text = body[:200].decode("utf-8", "replace").strip()
        return text if text and not text.startswith("<") else ""
