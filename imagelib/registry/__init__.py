"""레지스트리(registry): 이미지를 올리고(push) 내려받는(pull) 곳과 이야기하기.

``il.Registry(url)`` 은 OCI Distribution API(도커 레지스트리 HTTP API v2)의 클라이언트입니다.
``LocalRegistry`` 는 이 컴퓨터에 진짜 레지스트리 프로그램을 잠깐 띄우고, ``StoreRegistry`` 는
프로그램이 없을 때 같은 규칙을 메모리(``il.Store``)에서 흉내 냅니다.
"""

from ..errors import (
    AccessDeniedError,
    AuthenticationError,
    RegistryError,
    RegistryNotFoundError,
    RegistryUnreachableError,
)
from ..oci import Descriptor, Index, Manifest
from .client import Registry
from .local import LocalRegistry, find_binary
from .memory import StoreRegistry
from .report import PushReport

__all__ = [
    "AccessDeniedError",
    "AuthenticationError",
    "Descriptor",
    "Index",
    "LocalRegistry",
    "Manifest",
    "PushReport",
    "Registry",
    "RegistryError",
    "RegistryNotFoundError",
    "RegistryUnreachableError",
    "StoreRegistry",
    "find_binary",
]
