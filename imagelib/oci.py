"""OCI 모형(model): 미디어 타입, 디스크립터(descriptor), 플랫폼, 매니페스트, 이미지 인덱스.

도커와 OCI 이미지를 이루는 JSON 문서들을 값(value)으로 나타냅니다. 밖에서 읽은 문서는
여기서 **한 번** 엄격하게 읽고(모르는 모양이나 틀린 타입은 그 필드를 밝힌 ImageFormatError),
해시한 정확한 바이트와 함께 간직합니다. 그래서 다이제스트는 언제나 받은 바이트의 해시입니다.

- ``Descriptor``: 블롭 하나를 가리키는 설명자(미디어 타입, 다이제스트, 크기 …)
- ``Platform``: ``linux/arm64/v8`` 같은 플랫폼(운영체제, CPU 아키텍처, 변형)
- ``Manifest``: 이미지 하나(설정 + 레이어들)의 매니페스트
- ``Index``: 플랫폼별 매니페스트들을 모은 이미지 인덱스(또는 OCI 레이아웃의 index.json)

This module sits at the bottom of the package: it imports only ``digest`` and ``errors``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypedDict

from .digest import Digest
from .errors import ImageFormatError, InvalidDigestError, UnsupportedError

if TYPE_CHECKING:
    from typing_extensions import Unpack

# -- media types ------------------------------------------------------------------------------

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
OCI_LAYER_GZIP = OCI_LAYER + "+gzip"
OCI_LAYER_ZSTD = OCI_LAYER + "+zstd"
OCI_NONDISTRIBUTABLE_LAYER = "application/vnd.oci.image.layer.nondistributable.v1.tar"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar"
DOCKER_LAYER_GZIP = DOCKER_LAYER + ".gzip"
DOCKER_FOREIGN_LAYER_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"

MANIFEST_TYPES = (OCI_MANIFEST, DOCKER_MANIFEST)
INDEX_TYPES = (OCI_INDEX, DOCKER_MANIFEST_LIST)
CONFIG_TYPES = (OCI_CONFIG, DOCKER_CONFIG)
LAYER_TYPES = (
    OCI_LAYER,
    OCI_LAYER_GZIP,
    OCI_LAYER_ZSTD,
    DOCKER_LAYER,
    DOCKER_LAYER_GZIP,
    DOCKER_FOREIGN_LAYER_GZIP,
    OCI_NONDISTRIBUTABLE_LAYER,
    OCI_NONDISTRIBUTABLE_LAYER + "+gzip",
    OCI_NONDISTRIBUTABLE_LAYER + "+zstd",
)
# The OCI layer type a Docker layer type becomes in an OCI manifest.
DOCKER_TO_OCI_LAYER = {DOCKER_LAYER: OCI_LAYER, DOCKER_LAYER_GZIP: OCI_LAYER_GZIP}

REF_NAME = "org.opencontainers.image.ref.name"
IMAGE_NAME = "io.containerd.image.name"


def is_manifest(media_type: str) -> bool:
    """이미지 매니페스트(OCI 또는 도커 schema2)의 미디어 타입이면 True."""
    return media_type in MANIFEST_TYPES


def is_index(media_type: str) -> bool:
    """이미지 인덱스(OCI 인덱스 또는 도커 매니페스트 목록)의 미디어 타입이면 True."""
    return media_type in INDEX_TYPES


def is_config(media_type: str) -> bool:
    """이미지 설정(config)의 미디어 타입이면 True."""
    return media_type in CONFIG_TYPES


def is_layer(media_type: str) -> bool:
    """이미지 레이어의 미디어 타입이면 True."""
    return media_type in LAYER_TYPES


def is_foreign_layer(media_type: str) -> bool:
    """레지스트리 밖에서 받아야 하는 레이어(foreign, nondistributable)이면 True."""
    return "foreign" in media_type or "nondistributable" in media_type


# -- JSON in and out --------------------------------------------------------------------------


def load_json(data: bytes, what: str) -> Any:
    """JSON 바이트를 읽습니다. 읽을 수 없으면 ``what`` 을 밝힌 ImageFormatError.

    Go's encoding/json reads UTF-8 only and knows no NaN or Infinity: neither does this.
    """
    try:
        text = bytes(data).decode("utf-8")
        return json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ImageFormatError(f"{what}의 JSON이 너무 깊이 겹쳐 있어 읽지 않습니다.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ImageFormatError(f"{what}을(를) JSON으로 읽을 수 없습니다({error}).") from None


def _refuse_constant(name: str) -> object:
    raise ValueError(f"JSON에 없는 값 {name}")


def dump_json(doc: object) -> bytes:
    """imagelib가 쓰는 JSON 바이트: 공백 없이, 한글은 그대로(UTF-8)."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _object(doc: object, where: str) -> "dict[str, Any]":
    if not isinstance(doc, dict):
        raise ImageFormatError(f"{where}은(는) JSON 객체여야 하는데 {_kind(doc)}입니다.")
    return doc


def _kind(value: object) -> str:
    names = {dict: "객체", list: "목록", str: "문자열", bool: "참/거짓", int: "정수", float: "실수"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _string(doc: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = doc.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise ImageFormatError(f"{where}의 {key}는 문자열이어야 하는데 {_kind(value)}입니다.")
    return value


def _list(doc: Mapping[str, Any], key: str, where: str) -> "list[Any]":
    """A JSON array field; absent or null is empty, as Go reads it into a nil slice."""
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImageFormatError(f"{where}의 {key}는 목록이어야 하는데 {_kind(value)}입니다.")
    return value


def _strings(doc: Mapping[str, Any], key: str, where: str) -> "tuple[str, ...]":
    values = _list(doc, key, where)
    for position, value in enumerate(values):
        if not isinstance(value, str):
            raise ImageFormatError(f"{where}의 {key}[{position}]는 문자열이어야 하는데 {_kind(value)}입니다.")
    return tuple(values)


def _string_map(doc: Mapping[str, Any], key: str, where: str) -> "Mapping[str, str]":
    value = doc.get(key)
    if value is None:
        return _EMPTY
    if not isinstance(value, dict):
        raise ImageFormatError(f"{where}의 {key}는 객체여야 하는데 {_kind(value)}입니다.")
    for name, text in value.items():
        if not isinstance(text, str):
            raise ImageFormatError(f"{where}의 {key}[{name!r}]는 문자열이어야 하는데 {_kind(text)}입니다.")
    return MappingProxyType(dict(value))


def _schema_version(doc: Mapping[str, Any], where: str) -> None:
    version = doc.get("schemaVersion")
    if version == 1 and not isinstance(version, bool):
        raise UnsupportedError(
            f"{where}는 오래된 도커 schema 1 형식이라 읽을 수 없습니다. imagelib는 schema 2와 OCI 형식만 읽습니다."
        )
    if version != 2 or isinstance(version, bool):
        raise ImageFormatError(f"{where}의 schemaVersion은 2여야 하는데 {version!r}입니다.")


_EMPTY: "Mapping[str, str]" = MappingProxyType({})


# -- field names as Go reads them ---------------------------------------------------------------
# Go's encoding/json matches an object's keys to a struct's fields ignoring case, and a later key
# wins. So {"layers": [A], "Layers": [B]} is an image with layer B to Docker, containerd, umoci and
# skopeo, while a reader that matches exactly sees layer A. Where a document is decoded into a Go
# struct, a key that equals one of its fields only when case is ignored is refused: the same bytes
# must not be two different images. (Maps such as annotations and Labels keep exact keys in Go.)

DESCRIPTOR_FIELDS = ("mediaType", "digest", "size", "urls", "annotations", "data", "platform", "artifactType")
PLATFORM_FIELDS = ("architecture", "os", "os.version", "os.features", "variant")
MANIFEST_FIELDS = ("schemaVersion", "mediaType", "artifactType", "config", "layers", "subject", "annotations")
INDEX_FIELDS = ("schemaVersion", "mediaType", "artifactType", "manifests", "subject", "annotations")
CONFIG_FIELDS = (
    "created",
    "author",
    "architecture",
    "variant",
    "os",
    "os.version",
    "os.features",
    "config",
    "rootfs",
    "history",
    "id",
    "parent",
    "comment",
    "container",
    "container_config",
    "docker_version",
    "Size",
)
RUN_CONFIG_FIELDS = (
    "Hostname",
    "Domainname",
    "User",
    "AttachStdin",
    "AttachStdout",
    "AttachStderr",
    "ExposedPorts",
    "Tty",
    "OpenStdin",
    "StdinOnce",
    "Env",
    "Cmd",
    "Healthcheck",
    "ArgsEscaped",
    "Image",
    "Volumes",
    "WorkingDir",
    "Entrypoint",
    "NetworkDisabled",
    "MacAddress",
    "OnBuild",
    "Labels",
    "StopSignal",
    "StopTimeout",
    "Shell",
)
ROOTFS_FIELDS = ("type", "diff_ids")
HISTORY_FIELDS = ("created", "created_by", "author", "comment", "empty_layer")


def check_field_names(doc: object, fields: Sequence[str], where: str) -> None:
    """``doc`` 의 키 가운데 대소문자만 다른 필드 이름(예: ``Layers``)이 있으면 ImageFormatError."""
    if not isinstance(doc, dict):
        return
    folded = {name.lower(): name for name in fields}
    for key in doc:
        field_name = folded.get(key.lower())
        if field_name is not None and key != field_name:
            raise ImageFormatError(
                f"{where}에 {key!r} 키가 있습니다. Go로 된 도구(도커, containerd, umoci)는 대소문자를 가리지 "
                f"않고 이것을 {field_name!r} 필드로 읽으므로, 같은 바이트가 다른 이미지로 읽힙니다. 읽지 않습니다."
            )


def check_config_field_names(doc: object, where: str) -> None:
    """이미지 설정 JSON과 그 안의 config·rootfs·history 객체들의 키를 검사합니다."""
    if not isinstance(doc, dict):
        return
    check_field_names(doc, CONFIG_FIELDS, where)
    for key in ("config", "container_config"):
        check_field_names(doc.get(key), RUN_CONFIG_FIELDS, f"{where}의 {key}")
    check_field_names(doc.get("rootfs"), ROOTFS_FIELDS, f"{where}의 rootfs")
    for position, step in enumerate(doc.get("history") or [] if isinstance(doc.get("history"), list) else []):
        check_field_names(step, HISTORY_FIELDS, f"{where}의 history[{position}]")


# -- platform ---------------------------------------------------------------------------------

_ARCH_ALIASES = {
    "x86_64": "amd64",
    "x86-64": "amd64",
    "i386": "386",
    "aarch64": "arm64",
    "armhf": "arm",
    "armel": "arm",
}
_DEFAULT_VARIANT = {"arm": "v7"}


@dataclass(frozen=True)
class Platform:
    """플랫폼: 운영체제(os)와 CPU 아키텍처(architecture), 필요하면 변형(variant).

    ``Platform.parse("linux/arm64")`` 처럼 만들고, ``str(p)`` 는 ``linux/arm64`` 입니다.
    """

    os: str
    architecture: str
    variant: str = ""
    os_version: str = ""
    os_features: "tuple[str, ...]" = ()

    @classmethod
    def parse(cls, text: "str | Platform") -> "Platform":
        """``os/architecture[/variant]`` 글(예: ``linux/amd64``, ``linux/arm/v7``)을 플랫폼으로."""
        if isinstance(text, Platform):
            return text
        parts = text.strip().split("/") if isinstance(text, str) else []
        if not 1 <= len(parts) <= 3 or not all(parts):
            raise UnsupportedError(
                f"플랫폼 {text!r}을(를) 알 수 없습니다. 'linux/amd64'나 'linux/arm64'처럼 "
                "운영체제/아키텍처[/변형]으로 주세요."
            )
        os_, architecture, variant = (parts + ["", ""])[:3]
        return cls(os_, architecture, variant)

    @classmethod
    def from_json(cls, doc: object, where: str) -> "Platform":
        """디스크립터의 ``platform`` 객체(os와 architecture는 꼭 있어야 합니다)."""
        obj = _object(doc, f"{where}의 platform")
        inner = f"{where}의 platform"
        check_field_names(obj, PLATFORM_FIELDS, inner)
        return cls(
            os=_string(obj, "os", inner, required=True),
            architecture=_string(obj, "architecture", inner, required=True),
            variant=_string(obj, "variant", inner),
            os_version=_string(obj, "os.version", inner),
            os_features=_strings(obj, "os.features", inner),
        )

    @classmethod
    def of_config(cls, config: Mapping[str, Any]) -> "Platform":
        """이미지 설정 JSON에 적힌 플랫폼(문자열이 아닌 값은 없는 것으로 봅니다)."""

        def text(key: str) -> str:
            value = config.get(key)
            return value if isinstance(value, str) else ""

        features = config.get("os.features")
        features = tuple(f for f in features if isinstance(f, str)) if isinstance(features, list) else ()
        return cls(text("os"), text("architecture"), text("variant"), text("os.version"), features)

    def to_json(self) -> "dict[str, Any]":
        """디스크립터의 ``platform`` 객체(빈 값은 뺍니다)."""
        doc: "dict[str, Any]" = {}
        for key, value in (
            ("architecture", self.architecture),
            ("os", self.os),
            ("os.version", self.os_version),
            ("os.features", list(self.os_features)),
            ("variant", self.variant),
        ):
            if value:
                doc[key] = value
        return doc

    def __str__(self) -> str:
        parts = [self.os, self.architecture] + ([self.variant] if self.variant else [])
        return "/".join(parts) if any(parts) else ""

    def normalized(self) -> "Platform":
        """같은 플랫폼의 다른 이름을 하나로(``x86_64`` → ``amd64``, ``arm64/v8`` → ``arm64``)."""
        architecture = self.architecture.lower()
        variant = self.variant.lower()
        if architecture in ("armhf", "armel") and not variant:
            variant = "v7" if architecture == "armhf" else "v6"
        architecture = _ARCH_ALIASES.get(architecture, architecture)
        if variant.isdigit():
            variant = "v" + variant
        if (architecture, variant) in (("arm64", "v8"), ("amd64", "v1")):
            variant = ""
        variant = variant or _DEFAULT_VARIANT.get(architecture, "")
        return Platform(self.os.lower(), architecture, variant)

    def matches(self, wanted: "str | Platform") -> bool:
        """이 플랫폼이 ``wanted`` 와 같은 플랫폼이면 True(이름의 차이는 무시합니다)."""
        mine, theirs = self.normalized(), Platform.parse(wanted).normalized()
        return (mine.os, mine.architecture, mine.variant) == (theirs.os, theirs.architecture, theirs.variant)


DEFAULT_PLATFORM = Platform("linux", "amd64")


def compatible_platforms(wanted: "str | Platform") -> "list[Platform]":
    """The platforms an engine takes for ``wanted``, best first, as Docker 20.10's pull does.

    Only 32-bit arm falls back to older variants: arm/v8 takes arm/v7, then v6, then v5.
    (Newer containerd releases also let amd64 take 386 and arm64 take arm/v8…v5; Docker 20.10
    answers "no matching manifest" there, and imagelib follows the engine the course checks.)
    """
    first = Platform.parse(wanted).normalized()
    vector = [first]
    version = first.variant[1:] if first.architecture == "arm" and first.variant[:1] == "v" else ""
    if version.isdigit():
        vector += [Platform(first.os, "arm", f"v{n}") for n in range(int(version) - 1, 4, -1)]
    return vector


def best_match(entries: "Sequence[Descriptor]", wanted: "str | Platform") -> "Descriptor | None":
    """The entry ``docker pull --platform`` takes: the best platform that runs, first in the index on a tie."""
    for candidate in compatible_platforms(wanted):
        for entry in entries:
            if entry.platform is not None and entry.platform.matches(candidate):
                return entry
    return None


# -- descriptor -------------------------------------------------------------------------------

_DESCRIPTOR_KEYS = ("mediaType", "digest", "size", "urls", "annotations", "platform")


@dataclass(frozen=True)
class Descriptor:
    """블롭 하나를 가리키는 설명자(descriptor): 미디어 타입, 다이제스트, 크기 등."""

    media_type: str
    digest: Digest
    size: int
    platform: "Platform | None" = None
    annotations: "Mapping[str, str]" = field(default_factory=lambda: _EMPTY)
    urls: "tuple[str, ...]" = ()
    extra: "Mapping[str, Any]" = field(default_factory=lambda: _EMPTY, compare=False)  # fields kept as read

    def __post_init__(self) -> None:
        object.__setattr__(self, "annotations", MappingProxyType(dict(self.annotations)))
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))

    @classmethod
    def from_json(cls, doc: object, where: str) -> "Descriptor":
        """JSON 객체 하나를 디스크립터로(digest와 size는 꼭 있어야 합니다)."""
        obj = _object(doc, f"{where}의 디스크립터(descriptor)")
        check_field_names(obj, DESCRIPTOR_FIELDS, where)
        media_type = _string(obj, "mediaType", where)
        raw_digest = obj.get("digest")
        if not isinstance(raw_digest, str):
            raise ImageFormatError(f"{where}의 digest는 문자열이어야 하는데 {_kind(raw_digest)}입니다.")
        try:
            digest = Digest.parse(raw_digest)
        except InvalidDigestError as error:
            raise ImageFormatError(f"{where}: {error}") from None
        size = obj.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ImageFormatError(f"{where}: 블롭 {digest}의 size는 0 이상의 정수여야 하는데 {size!r}입니다.")
        platform = obj.get("platform")
        return cls(
            media_type,
            digest,
            size,
            platform=None if platform is None else Platform.from_json(platform, where),
            annotations=_string_map(obj, "annotations", where),
            urls=_strings(obj, "urls", where),
            extra={k: v for k, v in obj.items() if k not in _DESCRIPTOR_KEYS},
        )

    def to_json(self) -> "dict[str, Any]":
        doc: "dict[str, Any]" = {"mediaType": self.media_type, "digest": str(self.digest), "size": self.size}
        if self.urls:
            doc["urls"] = list(self.urls)
        if self.annotations:
            doc["annotations"] = dict(self.annotations)
        if self.platform is not None:
            doc["platform"] = self.platform.to_json()
        doc.update(self.extra)
        return doc

    def with_changes(self, **changes: "Unpack[DescriptorChanges]") -> "Descriptor":
        """바뀐 새 디스크립터(annotations, platform 등)."""
        return replace(self, **changes)

    @property
    def is_attestation(self) -> bool:
        """BuildKit이 인덱스에 넣는 증명(attestation) 매니페스트이면 True: 실행할 이미지가 아닙니다."""
        return self.annotations.get("vnd.docker.reference.type") == "attestation-manifest" or (
            self.platform is not None and self.platform.os == "unknown"
        )


class DescriptorChanges(TypedDict, total=False):
    """The fields ``Descriptor.with_changes`` may change."""

    media_type: str
    digest: Digest
    size: int
    platform: "Platform | None"
    annotations: "Mapping[str, str]"
    urls: "tuple[str, ...]"
    extra: "Mapping[str, Any]"


# -- manifest and index -----------------------------------------------------------------------

_MANIFEST_KEYS = ("schemaVersion", "mediaType", "config", "layers", "annotations")
_INDEX_KEYS = ("schemaVersion", "mediaType", "manifests", "annotations")


def _read_document(data: bytes, where: str, fields: Sequence[str]) -> "tuple[dict[str, Any], str]":
    """The JSON object of a manifest or index, its field names checked, and its mediaType."""
    doc = _object(load_json(data, where), where)
    check_field_names(doc, fields, where)
    _schema_version(doc, where)
    return doc, _string(doc, "mediaType", where)


def _document_bytes(media_type: str, body: "dict[str, Any]", annotations: "Mapping[str, str] | None") -> bytes:
    doc: "dict[str, Any]" = {"schemaVersion": 2, "mediaType": media_type, **body}
    if annotations:
        doc["annotations"] = dict(annotations)
    return dump_json(doc)


def _extra(doc: "dict[str, Any]", known: Sequence[str]) -> "Mapping[str, Any]":
    return MappingProxyType({k: v for k, v in doc.items() if k not in known})


class _Document:
    """What manifests and indexes share: exact bytes, their digest, a media type, equality by digest."""

    data: bytes
    digest: Digest
    media_type: str
    _what = "문서"

    @property
    def json(self) -> "dict[str, Any]":
        """JSON(사전, 바이트에서 새로 읽은 복사본)."""
        return dict(load_json(self.data, self._what))

    @property
    def descriptor(self) -> Descriptor:
        """이 문서를 가리키는 디스크립터."""
        return Descriptor(self.media_type, self.digest, len(self.data))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Document) and type(other) is type(self) and self.digest == other.digest

    def __hash__(self) -> int:
        return hash(self.digest)


@dataclass(frozen=True, eq=False)
class Manifest(_Document):
    """이미지 매니페스트: 설정(config)과 레이어들의 디스크립터. 읽은 정확한 바이트를 간직합니다."""

    data: bytes
    digest: Digest
    media_type: str
    config: Descriptor
    layers: "tuple[Descriptor, ...]"
    annotations: "Mapping[str, str]" = field(default_factory=lambda: _EMPTY)
    extra: "Mapping[str, Any]" = field(default_factory=lambda: _EMPTY)

    is_index = False
    _what = "매니페스트"

    @classmethod
    def parse(cls, data: bytes, where: str, digest: "Digest | None" = None) -> "Manifest":
        """매니페스트 바이트를 한 번 읽습니다. ``digest`` 를 주면 이미 검사한 다이제스트로 씁니다."""
        doc, media_type = _read_document(data, where, MANIFEST_FIELDS + ("manifests",))
        if is_index(media_type) or "manifests" in doc:
            raise ImageFormatError(f"{where}는 이미지 매니페스트가 아니라 이미지 인덱스입니다.")
        if media_type and not is_manifest(media_type):
            raise UnsupportedError(f"{where}의 미디어 타입 {media_type!r}은(는) 이미지 매니페스트가 아닙니다.")
        if "config" not in doc:
            raise ImageFormatError(f"{where}에 config가 없습니다.")
        config = Descriptor.from_json(doc["config"], f"{where}의 config")
        layers = tuple(
            Descriptor.from_json(layer, f"{where}의 layers[{position}]")
            for position, layer in enumerate(_list(doc, "layers", where))
        )
        return cls(
            bytes(data),
            digest or Digest.of_bytes(data),
            media_type or OCI_MANIFEST,
            config,
            layers,
            _string_map(doc, "annotations", where),
            _extra(doc, _MANIFEST_KEYS),
        )

    @classmethod
    def build(
        cls, config: Descriptor, layers: Sequence[Descriptor], annotations: "Mapping[str, str] | None" = None
    ) -> "Manifest":
        """새 OCI 매니페스트(imagelib가 쓰는 바이트)."""
        body = {"config": config.to_json(), "layers": [layer.to_json() for layer in layers]}
        data = _document_bytes(OCI_MANIFEST, body, annotations)
        return cls(
            data, Digest.of_bytes(data), OCI_MANIFEST, config, tuple(layers), MappingProxyType(dict(annotations or {}))
        )


@dataclass(frozen=True, eq=False)
class Index(_Document):
    """이미지 인덱스: 매니페스트(대개 플랫폼별)들의 디스크립터. 읽은 정확한 바이트를 간직합니다.

    OCI 이미지 레이아웃의 ``index.json`` 도 같은 모양입니다.
    """

    data: bytes
    digest: Digest
    media_type: str
    manifests: "tuple[Descriptor, ...]"
    annotations: "Mapping[str, str]" = field(default_factory=lambda: _EMPTY)
    extra: "Mapping[str, Any]" = field(default_factory=lambda: _EMPTY)

    is_index = True
    _what = "이미지 인덱스"

    @classmethod
    def parse(cls, data: bytes, where: str, digest: "Digest | None" = None) -> "Index":
        """인덱스 바이트를 한 번 읽습니다(``"manifests": null`` 은 빈 목록)."""
        doc, media_type = _read_document(data, where, INDEX_FIELDS)
        if media_type and not is_index(media_type):
            raise ImageFormatError(f"{where}의 미디어 타입 {media_type!r}은(는) 이미지 인덱스가 아닙니다.")
        manifests = tuple(
            Descriptor.from_json(item, f"{where}의 manifests[{position}]")
            for position, item in enumerate(_list(doc, "manifests", where))
        )
        return cls(
            bytes(data),
            digest or Digest.of_bytes(data),
            media_type or OCI_INDEX,
            manifests,
            _string_map(doc, "annotations", where),
            _extra(doc, _INDEX_KEYS),
        )

    @classmethod
    def build(cls, manifests: Sequence[Descriptor], annotations: "Mapping[str, str] | None" = None) -> "Index":
        """새 OCI 이미지 인덱스(imagelib가 쓰는 바이트)."""
        data = _document_bytes(OCI_INDEX, {"manifests": [m.to_json() for m in manifests]}, annotations)
        return cls(data, Digest.of_bytes(data), OCI_INDEX, tuple(manifests), MappingProxyType(dict(annotations or {})))

    def images(self) -> "tuple[Descriptor, ...]":
        """실행할 이미지의 매니페스트들(증명 attestation 같은 것은 뺍니다)."""
        return tuple(m for m in self.manifests if not m.is_attestation)


def parse_document(
    data: bytes, where: str, content_type: str = "", digest: "Digest | None" = None
) -> "Manifest | Index":
    """매니페스트나 인덱스 바이트를 알맞은 값으로(미디어 타입 → Content-Type → 모양 순서로 판단)."""
    doc = _object(load_json(data, where), where)
    media_type = doc.get("mediaType") if isinstance(doc.get("mediaType"), str) else ""
    kind = media_type or content_type.split(";")[0].strip()
    if is_index(kind) or (not is_manifest(kind) and "manifests" in doc):
        return Index.parse(data, where, digest)
    return Manifest.parse(data, where, digest)
