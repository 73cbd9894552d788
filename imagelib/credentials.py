"""자격 증명처럼 보이는 파일 찾기: ``.npmrc`` 토큰, 개인 키, ``.env``, ``.git-credentials`` ….

레이어마다 파일 이름이 후보인 것만 골라, 작은 파일(64 KiB 이하)의 앞부분(8 KiB)만 읽습니다. 나중
레이어에서 지우거나 덮어쓴 파일도 찾습니다: 그 파일을 넣은 레이어의 블롭에는 여전히 들어 있어서
이미지를 받은 사람 누구나 꺼낼 수 있기 때문입니다.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .entries import File

if TYPE_CHECKING:
    from .filetree import TreeEntry
    from .layer import Layer

MAX_FILE_BYTES = 64 * 1024
HEAD_BYTES = 8 * 1024

KINDS = {
    "npm-token": "npm 인증 토큰(.npmrc)",
    "pypi-password": "PyPI 비밀번호(.pypirc)",
    "git-credentials": "Git 자격 증명(.git-credentials)",
    "netrc-password": "비밀번호가 든 .netrc",
    "dotenv": "환경 변수 파일(.env)",
    "private-key": "개인 키(PRIVATE KEY)",
    "ssh-key-name": "SSH 개인 키 파일 이름(id_rsa 등)",
    "docker-auth": "레지스트리 자격 증명(.docker/config.json)",
    "aws-credentials": "AWS 비밀 키(.aws/credentials)",
}
"""찾는 것의 코드 → 한국어 설명."""

_PRIVATE_KEY = re.compile(rb"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")
_SSH_KEY_NAMES = {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"}
_KEY_SUFFIXES = (".pem", ".key", ".p8")
_DOTENV_EXAMPLES = {".env.example", ".env.sample", ".env.template", ".env.dist"}


def _contains(*words: bytes) -> "Callable[[bytes], bool]":
    return lambda head: any(word in head for word in words)


def _anything(head: bytes) -> bool:
    return bool(head.strip())


# basename -> (code, does the head confirm it)
_BY_NAME: "Mapping[str, tuple[str, Callable[[bytes], bool]]]" = {
    ".npmrc": ("npm-token", _contains(b"_authToken", b"_auth=", b"_password")),
    ".pypirc": ("pypi-password", _contains(b"password")),
    ".git-credentials": ("git-credentials", _anything),
    ".netrc": ("netrc-password", _contains(b"password")),
}


@dataclass(frozen=True)
class CredentialFinding:
    """자격 증명처럼 보이는 파일 하나와 그것을 넣은 레이어."""

    path: str
    kind: str
    """찾은 것의 코드(설명은 ``kind_text``): 'npm-token', 'private-key', 'dotenv' …"""
    layer: int
    """이 파일을 넣은 레이어 번호(0 = 맨 아래)."""
    created_by: str
    hidden_later: bool = False
    """나중 레이어가 지우거나 덮어써서 최종 파일 시스템에는 안 보이면 True(블롭에는 그대로 있습니다)."""

    @property
    def kind_text(self) -> str:
        return KINDS[self.kind]

    def to_dict(self) -> "dict[str, Any]":
        return {
            "path": "/" + self.path,
            "kind": self.kind,
            "kind_text": self.kind_text,
            "layer": self.layer,
            "created_by": self.created_by,
            "hidden_later": self.hidden_later,
        }

    def __str__(self) -> str:
        where = "나중 레이어에서 지우거나 덮어썼지만 블롭에 남아 있음" if self.hidden_later else "최종 이미지에 있음"
        return f"[L{self.layer}] /{self.path}  — {self.kind_text}, {where}"


def scan_layer(index: int, layer: Layer) -> "list[CredentialFinding]":
    """레이어 하나에서 자격 증명처럼 보이는 파일들(이름이 후보인 작은 파일의 앞부분만 읽습니다)."""
    found = []
    for entry in layer.entries:
        if isinstance(entry, File):
            kind = _classify(entry)
            if kind is not None:
                found.append(CredentialFinding(entry.path, kind, index, layer.created_by))
    return found


def mark_hidden(findings: "list[CredentialFinding]", final: "Mapping[str, TreeEntry]") -> "list[CredentialFinding]":
    """최종 파일 시스템(``final``: 경로 → 항목)에서 그 레이어의 파일이 더는 보이지 않는 것에 표시합니다."""
    marked = []
    for finding in findings:
        node = final.get(finding.path)
        hidden = node is None or node.layer_index != finding.layer
        marked.append(CredentialFinding(finding.path, finding.kind, finding.layer, finding.created_by, hidden))
    return marked


def _classify(entry: File) -> "str | None":
    name = posixpath.basename(entry.path)
    rule = _candidate_rule(entry.path, name)
    if rule is None or entry.size > MAX_FILE_BYTES:
        return None
    kind, confirms = rule
    with entry.open() as stream:
        head = stream.read(HEAD_BYTES)
    if _PRIVATE_KEY.search(head):
        return "private-key"
    if confirms(head):
        return kind
    return None


def _candidate_rule(path: str, name: str) -> "tuple[str, Callable[[bytes], bool]] | None":
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name in _SSH_KEY_NAMES:
        return ("ssh-key-name", _anything)
    if name.endswith(_KEY_SUFFIXES):
        return ("private-key", lambda head: False)  # only a PRIVATE KEY header makes it one
    if (name == ".env" or name.startswith(".env.")) and name not in _DOTENV_EXAMPLES:
        return ("dotenv", _anything)
    if path.endswith(".docker/config.json"):
        return ("docker-auth", _contains(b'"auth"', b'"identitytoken"'))
    if path.endswith(".aws/credentials"):
        return ("aws-credentials", _contains(b"aws_secret_access_key"))
    return None
