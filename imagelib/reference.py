"""이미지 참조(reference): 레지스트리/저장소:태그@다이제스트.

도커(Docker)의 distribution 문법을 그대로 따릅니다. 예를 들어 ``nginx`` 는
``docker.io/library/nginx:latest`` 의 줄임말입니다.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .digest import Digest
from .errors import InvalidDigestError, InvalidReferenceError

DEFAULT_REGISTRY = "docker.io"
LEGACY_REGISTRY = "index.docker.io"
DEFAULT_TAG = "latest"
OFFICIAL_NAMESPACE = "library"
MAX_NAME_LENGTH = 255
MAX_TAG_LENGTH = 128

_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_RE = re.compile(rf"^(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$")
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_PATH_RE = re.compile(rf"^{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*$")
_TAG_RE = re.compile(r"^[\w][\w.-]*$", re.ASCII)
_BARE_ID_RE = re.compile(r"^[a-f0-9]{64}$")


@dataclass(frozen=True)
class Reference:
    """이미지를 가리키는 이름. ``registry/repository:tag@digest`` 로 이루어집니다."""

    registry: str
    repository: str
    tag: "str | None" = DEFAULT_TAG
    digest: "Digest | None" = None

    @property
    def name(self) -> str:
        """레지스트리를 포함한 전체 이름(태그와 다이제스트 없이): ``docker.io/library/nginx``."""
        return f"{self.registry}/{self.repository}"

    @property
    def familiar_name(self) -> str:
        """도커가 화면에 보여 주는 짧은 이름: ``nginx``, ``myuser/app``, ``ghcr.io/x/y``."""
        first = self.repository.split("/", 1)[0]
        if self.registry != DEFAULT_REGISTRY or _looks_like_registry(first):
            return self.name  # dropping docker.io would change the meaning
        prefix = OFFICIAL_NAMESPACE + "/"
        short = self.repository[len(prefix) :] if self.repository.startswith(prefix) else ""
        return short if short and "/" not in short else self.repository

    @property
    def familiar(self) -> str:
        """짧은 형태의 전체 참조: ``nginx:latest``, ``nginx@sha256:…``."""
        return self._with_suffix(self.familiar_name)

    def with_tag(self, tag: str) -> "Reference":
        """태그만 바꾼 새 참조(다이제스트는 뗍니다)."""
        _check_tag(tag, tag)
        return replace(self, tag=tag, digest=None)

    def with_digest(self, digest: "Digest | str") -> "Reference":
        """다이제스트를 붙인 새 참조."""
        return replace(self, digest=Digest.parse(digest))

    def _with_suffix(self, name: str) -> str:
        text = name
        if self.tag is not None:
            text += f":{self.tag}"
        if self.digest is not None:
            text += f"@{self.digest}"
        return text

    def __str__(self) -> str:
        return self._with_suffix(self.name)

    def _repr_html_(self) -> str:
        rows = [
            ("레지스트리 (registry)", self.registry),
            ("저장소 (repository)", self.repository),
            ("태그 (tag)", self.tag or "—"),
            ("다이제스트 (digest)", str(self.digest or "—")),
        ]
        body = "".join(
            f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'><code>{v}</code></td></tr>"
            for k, v in rows
        )
        return f"<div><b>참조</b> <code>{self}</code> (짧게: <code>{self.familiar}</code>)<table>{body}</table></div>"


def parse_reference(text: "str | Reference") -> Reference:
    """``nginx``, ``nginx:1.25``, ``ghcr.io/x/y@sha256:…`` 같은 참조를 해석합니다.

    레지스트리가 없으면 ``docker.io``, 공식 이미지는 ``library/``, 태그도 다이제스트도
    없으면 ``latest`` 가 붙습니다. 형식이 틀리면 InvalidReferenceError를 냅니다.
    """
    if isinstance(text, Reference):
        return text
    if not isinstance(text, str):
        raise InvalidReferenceError(f"이미지 참조는 문자열이어야 합니다: {text!r}")
    if not text.strip():
        raise InvalidReferenceError("이미지 참조가 비어 있습니다. 예: 'nginx:latest'")
    if "://" in text:
        raise InvalidReferenceError(
            f"이미지 참조 {text!r}에 'http://' 같은 주소 형식(scheme)은 쓸 수 없습니다. "
            "레지스트리 주소만 적으세요. 예: '127.0.0.1:5000/demo/app:v1'"
        )
    if _BARE_ID_RE.match(text):
        raise InvalidReferenceError(
            f"{text!r}는 64자리 16진수라 이미지 ID처럼 보입니다. 다이제스트로 가리키려면 '이름@sha256:…' 형식을 쓰세요."
        )
    remainder, digest = _split_digest(text)
    name, tag = _split_tag(remainder, text)
    registry, repository = _split_registry(name, text)
    if tag is None and digest is None:
        tag = DEFAULT_TAG
    return Reference(registry, repository, tag, digest)


def tag_name(ref: "str | Reference") -> str:
    """이름표(태그)로 쓸 전체 이름: ``myapp:1.0`` → ``docker.io/library/myapp:1.0``.

    이름표는 움직일 수 있는 이름이라 다이제스트를 담을 수 없습니다(있으면 InvalidReferenceError).
    """
    reference = parse_reference(ref)
    if reference.digest is not None:
        raise InvalidReferenceError(
            f"{reference.familiar!r}: 이름표(태그)에는 다이제스트를 쓸 수 없습니다. '이름:태그'로 적으세요."
        )
    return str(reference)


def _split_digest(text: str) -> "tuple[str, Digest | None]":
    if "@" not in text:
        return text, None
    name, _, digest_text = text.partition("@")
    try:
        return name, Digest.parse(digest_text)
    except InvalidDigestError as error:
        raise InvalidReferenceError(f"이미지 참조 {text!r}의 다이제스트가 잘못되었습니다: {error}") from None


def _split_tag(name: str, text: str) -> "tuple[str, str | None]":
    colon = name.rfind(":")
    if colon == -1 or colon < name.rfind("/"):
        return name, None
    tag = name[colon + 1 :]
    _check_tag(tag, text)
    return name[:colon], tag


def _check_tag(tag: str, text: str) -> None:
    if len(tag) > MAX_TAG_LENGTH:
        raise InvalidReferenceError(
            f"이미지 참조 {text!r}의 태그가 {len(tag)}자입니다. 태그는 {MAX_TAG_LENGTH}자를 넘을 수 없습니다."
        )
    if not _TAG_RE.match(tag):
        raise InvalidReferenceError(
            f"이미지 참조 {text!r}의 태그 {tag!r}가 잘못되었습니다. 태그는 영문자·숫자·'_'로 "
            "시작하고 영문자·숫자·'_'·'.'·'-'만 쓸 수 있습니다."
        )


def _split_registry(name: str, text: str) -> "tuple[str, str]":
    first, slash, rest = name.partition("/")
    is_registry = bool(slash) and _looks_like_registry(first)
    if is_registry:
        registry, repository = first, rest
        if not _DOMAIN_RE.match(registry):
            raise InvalidReferenceError(f"이미지 참조 {text!r}의 레지스트리 {registry!r}가 잘못되었습니다.")
    else:
        registry, repository = DEFAULT_REGISTRY, name
    if registry == LEGACY_REGISTRY:
        registry = DEFAULT_REGISTRY
    if registry == DEFAULT_REGISTRY and "/" not in repository:
        repository = f"{OFFICIAL_NAMESPACE}/{repository}"
    _check_repository(registry, repository, text)
    return registry, repository


def _looks_like_registry(component: str) -> bool:
    """Docker's rule: a first component with '.' or ':', 'localhost', or uppercase is a registry."""
    return any(c in component for c in ".:") or component == "localhost" or component != component.lower()


def _check_repository(registry: str, repository: str, text: str) -> None:
    if repository != repository.lower():
        raise InvalidReferenceError(
            f"이미지 참조 {text!r}의 저장소 이름 {repository!r}에 대문자가 있습니다. "
            "저장소 이름은 소문자만 쓸 수 있습니다."
        )
    if not repository or not _PATH_RE.match(repository):
        raise InvalidReferenceError(
            f"이미지 참조 {text!r}의 저장소 이름 {repository!r}가 잘못되었습니다. 소문자·숫자와 "
            "구분자('.', '_', '__', '-')로 된 부분을 '/'로 이을 수 있습니다."
        )
    full = f"{registry}/{repository}"
    if len(full) > MAX_NAME_LENGTH:
        raise InvalidReferenceError(
            f"이미지 참조 {text[:40]!r}…의 이름이 {len(full)}자입니다. 레지스트리를 포함한 이름은 "
            f"{MAX_NAME_LENGTH}자를 넘을 수 없습니다."
        )
