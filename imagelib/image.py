"""이미지(image): 레이어들을 아래에서 위로 쌓고, 실행 방법(설정, config)을 붙인 것.

케이크 상자에 비유하면 레이어는 재료, 설정은 레시피와 오븐 온도입니다. 이미지 ID는
설정 JSON 바이트의 다이제스트이고, 매니페스트 다이제스트는 매니페스트 JSON 바이트의
다이제스트입니다. 둘 다 "정확히 그 바이트"의 해시이므로 바이트는 한 번 만들면 바꾸지 않습니다.
"""

from __future__ import annotations

import enum
import io
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, BinaryIO, Final, TypeAlias, TypedDict, TypeVar

from . import display
from .digest import Digest, verify
from .errors import DigestMismatchError, ImageFormatError, ImageLibError
from .layer import Layer
from .oci import (
    DOCKER_TO_OCI_LAYER,
    OCI_CONFIG,
    Descriptor,
    Manifest,
    check_config_field_names,
    dump_json,
    load_json,
)
from .readonly import ReadOnlyValue
from .tario import reproducible_epoch

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .filetree import FileTree


class _Unset(enum.Enum):
    """The default of a setting that ``with_config`` leaves as it is (None clears it)."""

    UNSET = "unset"

    def __repr__(self) -> str:
        return "<unchanged>"


_UNSET: Final = _Unset.UNSET

# A command as Docker takes it: a list (exec form) or one string run by /bin/sh -c (shell form).
Command: TypeAlias = "str | Sequence[str]"

_K = TypeVar("_K")
_V = TypeVar("_V")

# OCI config field name -> Config attribute name
_CONFIG_FIELDS = {
    "User": "user",
    "ExposedPorts": "exposed_ports",
    "Env": "env",
    "Entrypoint": "entrypoint",
    "Cmd": "cmd",
    "Volumes": "volumes",
    "WorkingDir": "workdir",
    "Labels": "labels",
    "StopSignal": "stop_signal",
}


def timestamp(epoch: "int | None" = None) -> str:
    """RFC 3339 time for configs and history: fixed (1970-01-01) unless SOURCE_DATE_EPOCH is set."""
    seconds = reproducible_epoch() if epoch is None else epoch
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _frozen_dict(value: "Mapping[_K, _V] | None") -> "Mapping[_K, _V]":
    return MappingProxyType(dict(value or {}))


class ConfigChanges(TypedDict, total=False):
    """The settings ``Image.with_config`` takes, for code that passes them on as ``**changes``."""

    env: "Mapping[str, str | None] | None"
    cmd: "Command | None"
    entrypoint: "Command | None"
    workdir: "str | None"
    user: "str | None"
    labels: "Mapping[str, str | None] | None"
    exposed_ports: "Sequence[str | int] | None"
    volumes: "Sequence[str] | None"
    stop_signal: "str | None"


@dataclass(frozen=True)
class Config:
    """컨테이너를 어떻게 실행할지: 환경 변수(env), 명령(cmd, entrypoint), 작업 폴더 등."""

    env: "tuple[str, ...]" = ()
    cmd: "tuple[str, ...] | None" = None
    entrypoint: "tuple[str, ...] | None" = None
    workdir: str = ""
    user: str = ""
    labels: "Mapping[str, str]" = field(default_factory=dict)
    exposed_ports: "tuple[str, ...]" = ()
    volumes: "tuple[str, ...]" = ()
    stop_signal: str = ""
    extra: "Mapping[str, Any]" = field(default_factory=dict)  # fields imagelib does not model, kept as read

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "env", tuple(self.env))
        set_(self, "cmd", None if self.cmd is None else tuple(self.cmd))
        set_(self, "entrypoint", None if self.entrypoint is None else tuple(self.entrypoint))
        set_(self, "labels", _frozen_dict(self.labels))
        set_(self, "exposed_ports", tuple(self.exposed_ports))
        set_(self, "volumes", tuple(self.volumes))
        set_(self, "extra", _frozen_dict(self.extra))

    @property
    def env_dict(self) -> "dict[str, str]":
        """환경 변수를 사전으로: ``{'PATH': '/usr/bin', ...}``."""
        return {key: value for key, _, value in (item.partition("=") for item in self.env)}

    def changed(
        self,
        *,
        env: "Mapping[str, str | None] | None" = None,
        labels: "Mapping[str, str | None] | None" = None,
        exposed_ports: "Sequence[str | int] | None" = None,
        volumes: "Sequence[str] | None" = None,
        cmd: "Command | None | _Unset" = _UNSET,
        entrypoint: "Command | None | _Unset" = _UNSET,
        workdir: "str | None | _Unset" = _UNSET,
        user: "str | None | _Unset" = _UNSET,
        stop_signal: "str | None | _Unset" = _UNSET,
    ) -> "Config":
        """바뀐 새 설정. env·labels는 기존 값에 더하고(값이 None이면 지움), 포트·볼륨은 추가합니다."""
        return replace(
            self,
            env=self.env if env is None else tuple(f"{k}={v}" for k, v in _merged(self.env_dict, env).items()),
            labels=self.labels if labels is None else _merged(self.labels, labels),
            exposed_ports=self.exposed_ports
            if exposed_ports is None
            else _added(self.exposed_ports, [_port_name(port) for port in exposed_ports]),
            volumes=self.volumes if volumes is None else _added(self.volumes, volumes),
            cmd=self.cmd if isinstance(cmd, _Unset) else _command(cmd),
            entrypoint=self.entrypoint if isinstance(entrypoint, _Unset) else _command(entrypoint),
            workdir=self.workdir if isinstance(workdir, _Unset) else workdir or "",
            user=self.user if isinstance(user, _Unset) else user or "",
            stop_signal=self.stop_signal if isinstance(stop_signal, _Unset) else stop_signal or "",
        )

    def to_json(self) -> "dict[str, Any]":
        """OCI 이미지 설정의 ``config`` 객체(빈 값은 뺍니다)."""
        doc: "dict[str, Any]" = {}
        if self.user:
            doc["User"] = self.user
        if self.exposed_ports:
            doc["ExposedPorts"] = {port: {} for port in self.exposed_ports}
        if self.env:
            doc["Env"] = list(self.env)
        if self.entrypoint is not None:
            doc["Entrypoint"] = list(self.entrypoint)
        if self.cmd is not None:
            doc["Cmd"] = list(self.cmd)
        if self.volumes:
            doc["Volumes"] = {volume: {} for volume in self.volumes}
        if self.workdir:
            doc["WorkingDir"] = self.workdir
        if self.labels:
            doc["Labels"] = dict(self.labels)
        if self.stop_signal:
            doc["StopSignal"] = self.stop_signal
        doc.update(self.extra)
        return doc

    @classmethod
    def from_json(cls, doc: "Mapping[str, Any] | None") -> "Config":
        doc = dict(doc or {})
        values: "dict[str, Any]" = {}
        for key, attr in _CONFIG_FIELDS.items():
            value = doc.pop(key, None)
            if value is None:
                continue
            if attr in ("exposed_ports", "volumes"):
                value = tuple(value)
            values[attr] = value
        return cls(**values, extra=doc)

    def summary(self) -> "dict[str, str]":
        """사람이 보기 좋은 요약(비어 있지 않은 설정만)."""
        rows = {}
        if self.entrypoint is not None:
            rows["Entrypoint (진입점)"] = json.dumps(list(self.entrypoint), ensure_ascii=False)
        if self.cmd is not None:
            rows["Cmd (기본 명령)"] = json.dumps(list(self.cmd), ensure_ascii=False)
        if self.env:
            rows["Env (환경 변수)"] = " ".join(self.env)
        if self.workdir:
            rows["WorkingDir (작업 폴더)"] = self.workdir
        if self.user:
            rows["User (사용자)"] = self.user
        if self.exposed_ports:
            rows["ExposedPorts (포트)"] = " ".join(self.exposed_ports)
        if self.labels:
            rows["Labels (라벨)"] = ", ".join(f"{k}={v}" for k, v in self.labels.items())
        return rows


def _merged(values: "Mapping[str, str]", changes: "Mapping[str, str | None]") -> "dict[str, str]":
    """``values`` with ``changes`` applied: a None value removes its key."""
    merged = dict(values)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = str(value)
    return merged


def _added(values: "tuple[str, ...]", more: "Sequence[str]") -> "tuple[str, ...]":
    """``values`` followed by those of ``more`` not in it yet (first occurrence kept)."""
    return tuple(dict.fromkeys(list(values) + list(more)))


def _command(value: "Command | None") -> "tuple[str, ...] | None":
    if value is None:
        return None
    if isinstance(value, str):
        return ("/bin/sh", "-c", value)
    return tuple(value)


def _port_name(port: object) -> str:
    text = str(port)
    return text if "/" in text else f"{text}/tcp"


@dataclass(frozen=True)
class History:
    """이미지가 만들어진 한 단계의 기록(``docker history`` 의 한 줄)."""

    created_by: str = ""
    comment: str = ""
    empty_layer: bool = False
    created: str = ""
    author: str = ""
    extra: "Mapping[str, Any]" = field(default_factory=dict)

    def to_json(self) -> "dict[str, Any]":
        doc: "dict[str, Any]" = {}
        if self.created:
            doc["created"] = self.created
        if self.author:
            doc["author"] = self.author
        if self.created_by:
            doc["created_by"] = self.created_by
        if self.comment:
            doc["comment"] = self.comment
        if self.empty_layer:
            doc["empty_layer"] = True
        doc.update(self.extra)
        return doc

    @classmethod
    def from_json(cls, doc: "Mapping[str, Any]") -> "History":
        doc = dict(doc)
        return cls(
            created_by=doc.pop("created_by", "") or "",
            comment=doc.pop("comment", "") or "",
            empty_layer=bool(doc.pop("empty_layer", False)),
            created=doc.pop("created", "") or "",
            author=doc.pop("author", "") or "",
            extra=_frozen_dict(doc),
        )


class _ImageParts(TypedDict, total=False):
    """What ``Image._derive`` may change: the arguments of ``Image()`` that are not read bytes."""

    layers: Sequence[Layer]
    config: Config
    history: Sequence[History]
    platform: "Mapping[str, Any]"
    created: str
    author: str
    extra: "Mapping[str, Any]"
    annotations: "Mapping[str, str]"


class Image(ReadOnlyValue):
    """레이어(아래→위)와 설정으로 이루어진 이미지. 한번 만들면 바뀌지 않습니다."""

    __slots__ = (
        "_layers",
        "_config",
        "_history",
        "_platform",
        "_created",
        "_author",
        "_extra",
        "_config_bytes",
        "_manifest",
        "_id",
        "_annotations",
        "_rootfs",
        "_frozen",
    )
    _noun = "이미지"
    _layers: "tuple[Layer, ...]"
    _config: Config
    _history: "tuple[History, ...]"
    _platform: "Mapping[str, Any]"  # as read from the config JSON (os.features is a list)
    _created: str
    _author: str
    _extra: "Mapping[str, Any]"
    _annotations: "Mapping[str, str]"
    _config_bytes: "bytes | None"
    _manifest: "Manifest | None"
    _id: "Digest | None"
    _rootfs: "FileTree | None"
    _frozen: bool

    def __init__(
        self,
        *,
        layers: Sequence[Layer] = (),
        config: "Config | None" = None,
        history: Sequence[History] = (),
        platform: "Mapping[str, Any] | None" = None,
        created: "str | None" = None,
        author: str = "",
        extra: "Mapping[str, Any] | None" = None,
        annotations: "Mapping[str, str] | None" = None,
        config_bytes: "bytes | None" = None,
        manifest: "Manifest | None" = None,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "_layers", tuple(layers))
        set_(self, "_config", config or Config())
        set_(self, "_history", tuple(history))
        set_(self, "_platform", _frozen_dict(platform or {"architecture": "amd64", "os": "linux"}))
        set_(self, "_created", timestamp() if created is None else created)
        set_(self, "_author", author)
        set_(self, "_extra", _frozen_dict(extra))
        set_(self, "_annotations", _frozen_dict(annotations))
        set_(self, "_config_bytes", config_bytes)
        set_(self, "_manifest", manifest)
        set_(self, "_id", None)
        set_(self, "_rootfs", None)
        set_(self, "_frozen", True)

    # -- making images --------------------------------------------------------------------

    @classmethod
    def scratch(cls, architecture: str = "amd64", os: str = "linux", variant: "str | None" = None) -> "Image":
        """빈 이미지(``FROM scratch``): 레이어도 설정도 없습니다."""
        platform = {"architecture": architecture, "os": os}
        if variant:
            platform["variant"] = variant
        return cls(platform=platform)

    def _derive(self, **changes: "Unpack[_ImageParts]") -> "Image":
        fields = _ImageParts(
            layers=self._layers,
            config=self._config,
            history=self._history,
            platform=self._platform,
            created=self._created,
            author=self._author,
            extra=self._extra,
            annotations=self._annotations,
        )
        fields.update(changes)
        return Image(**fields)

    def add_layer(self, layer: Layer, created_by: "str | None" = None, comment: "str | None" = None) -> "Image":
        """레이어 하나를 맨 위에 얹은 새 이미지(원래 이미지는 그대로)."""
        if not isinstance(layer, Layer):
            raise ImageFormatError(f"add_layer에는 il.Layer가 필요합니다({type(layer).__name__}를 받았습니다).")
        step = History(
            created_by=layer.created_by if created_by is None else created_by,
            comment=layer.comment if comment is None else comment,
            created=timestamp(),
        )
        layer = layer.with_history(step.created_by, step.comment)
        return self._derive(layers=self._layers + (layer,), history=self._history + (step,))

    def with_config(
        self,
        *,
        env: "Mapping[str, str | None] | None" = None,
        cmd: "Command | None | _Unset" = _UNSET,
        entrypoint: "Command | None | _Unset" = _UNSET,
        workdir: "str | None | _Unset" = _UNSET,
        user: "str | None | _Unset" = _UNSET,
        labels: "Mapping[str, str | None] | None" = None,
        exposed_ports: "Sequence[str | int] | None" = None,
        volumes: "Sequence[str] | None" = None,
        stop_signal: "str | None | _Unset" = _UNSET,
        created_by: "str | None" = None,
    ) -> "Image":
        """설정을 바꾼 새 이미지. env·labels는 더하고, cmd 등은 바꿉니다.

        ``created_by`` 를 주면 ``docker history`` 에 레이어 없는 단계(empty_layer)로 기록합니다.
        """
        config = self._config.changed(
            env=env,
            labels=labels,
            exposed_ports=exposed_ports,
            volumes=volumes,
            cmd=cmd,
            entrypoint=entrypoint,
            workdir=workdir,
            user=user,
            stop_signal=stop_signal,
        )
        history = self._history
        if created_by:
            history += (History(created_by=created_by, empty_layer=True, created=timestamp()),)
        return self._derive(config=config, history=history)

    def with_history(self, created_by: str, comment: str = "") -> "Image":
        """레이어 없이 기록만 남기는 단계를 더한 새 이미지(``empty_layer``)."""
        step = History(created_by=created_by, comment=comment, empty_layer=True, created=timestamp())
        return self._derive(history=self._history + (step,))

    def with_platform(self, architecture: str, os: str = "linux", variant: "str | None" = None) -> "Image":
        """플랫폼(케이크틀)을 바꾼 새 이미지."""
        platform = {"architecture": architecture, "os": os}
        if variant:
            platform["variant"] = variant
        return self._derive(platform=platform)

    @classmethod
    def from_parts(cls, manifest: "Manifest | bytes", config_bytes: bytes, layers: Sequence[Layer]) -> "Image":
        """읽어 온 매니페스트·설정 바이트와 레이어로 이미지를 만듭니다(다이제스트를 모두 검사).

        바이트는 받은 그대로 간직하므로 이미지 ID와 다이제스트는 원본과 같습니다.
        ``manifest`` 는 한 번 읽은 ``il.oci.Manifest`` 나 매니페스트 바이트입니다.
        """
        if not isinstance(manifest, Manifest):
            manifest = Manifest.parse(manifest, "매니페스트")
        config_id = Digest.of_bytes(config_bytes)
        verify(config_id, len(config_bytes), manifest.config.digest, manifest.config.size, "이미지 설정(config) 블롭")
        try:
            image = cls._assemble(manifest, bytes(config_bytes), layers)
        except ImageLibError:
            raise
        except RecursionError:
            raise ImageFormatError(f"이미지 설정 {config_id}의 JSON이 너무 깊이 겹쳐 있습니다.") from None
        except (AttributeError, TypeError, KeyError, IndexError, ValueError) as error:
            raise ImageFormatError(
                f"이미지 설정 {config_id}의 구조가 OCI/도커 형식과 다릅니다({type(error).__name__}: {error})."
            ) from None
        object.__setattr__(image, "_id", config_id)
        return image

    @classmethod
    def _assemble(cls, manifest: Manifest, config_bytes: bytes, layers: Sequence[Layer]) -> "Image":
        config_doc = load_json(config_bytes, "이미지 설정")
        if not isinstance(config_doc, dict):
            raise ImageFormatError(f"이미지 설정 JSON은 객체여야 하는데 {type(config_doc).__name__}입니다.")
        check_config_field_names(config_doc, f"이미지 설정 {manifest.config.digest}")
        descriptors = manifest.layers
        diff_ids = [Digest.parse(d) for d in (config_doc.get("rootfs") or {}).get("diff_ids") or []]
        if not (len(descriptors) == len(diff_ids) == len(layers)):
            raise ImageFormatError(
                f"매니페스트의 레이어 {len(descriptors)}개, 설정의 diff_ids {len(diff_ids)}개, "
                f"읽은 레이어 {len(layers)}개가 서로 맞지 않습니다."
            )
        history = tuple(History.from_json(h) for h in config_doc.get("history") or [])
        steps = [h for h in history if not h.empty_layer]
        checked = []
        for index, (layer, descriptor, diff_id) in enumerate(zip(layers, descriptors, diff_ids, strict=True)):
            if layer.digest != descriptor.digest or layer.size != descriptor.size:
                raise DigestMismatchError(
                    f"레이어 {index}의 블롭({layer.digest})이 매니페스트의 {descriptor.digest}와 다릅니다."
                )
            if layer.diff_id != diff_id:
                raise DigestMismatchError(f"레이어 {index}의 diff_id {layer.diff_id}가 설정의 {diff_id}와 다릅니다.")
            step = steps[index] if len(steps) == len(layers) else History()
            layer = layer.with_history(step.created_by, step.comment)
            checked.append(layer.with_media_type(descriptor.media_type or layer.media_type))
        known = {
            "architecture",
            "os",
            "variant",
            "created",
            "author",
            "config",
            "rootfs",
            "history",
            "os.version",
            "os.features",
        }
        platform = {
            k: config_doc[k] for k in ("architecture", "os", "variant", "os.version", "os.features") if k in config_doc
        }
        return cls(
            layers=checked,
            config=Config.from_json(config_doc.get("config")),
            history=history,
            platform=platform,
            created=config_doc.get("created", ""),
            author=config_doc.get("author", ""),
            extra={k: v for k, v in config_doc.items() if k not in known},
            annotations=manifest.annotations,
            config_bytes=config_bytes,
            manifest=manifest,
        )

    # -- what an image is -----------------------------------------------------------------

    @property
    def layers(self) -> "tuple[Layer, ...]":
        """레이어들(0 = 맨 아래 베이스)."""
        return self._layers

    @property
    def config(self) -> Config:
        """실행 설정(Env, Cmd, Entrypoint, WorkingDir…)."""
        return self._config

    @property
    def history(self) -> "tuple[History, ...]":
        """만들어진 단계들의 기록(``docker history``; 레이어 없는 단계도 포함)."""
        return self._history

    @property
    def architecture(self) -> str:
        return self._platform_text("architecture")

    @property
    def os(self) -> str:
        return self._platform_text("os")

    @property
    def platform(self) -> str:
        """``linux/amd64`` 같은 플랫폼 문자열."""
        variant = self._platform_text("variant")
        parts = [self.os, self.architecture] + ([variant] if variant else [])
        return "/".join(parts)

    def _platform_text(self, key: str) -> str:
        # Like Platform.of_config: a value that is not a string counts as absent.
        value = self._platform.get(key, "")
        return value if isinstance(value, str) else ""

    @property
    def created(self) -> str:
        return self._created

    @property
    def annotations(self) -> "Mapping[str, str]":
        return self._annotations

    @property
    def config_json(self) -> "dict[str, Any]":
        """이미지 설정 JSON(사전). 바이트는 ``config_bytes`` 입니다."""
        return dict(load_json(self.config_bytes, "이미지 설정"))

    @property
    def config_bytes(self) -> bytes:
        """이미지 설정 JSON의 정확한 바이트. 이것의 SHA256이 이미지 ID입니다."""
        if self._config_bytes is None:
            config_bytes = dump_json(self._config_document())
            object.__setattr__(self, "_config_bytes", config_bytes)
            return config_bytes
        return self._config_bytes

    @property
    def manifest(self) -> Manifest:
        """매니페스트(``il.oci.Manifest``): 설정과 레이어의 디스크립터, 정확한 바이트와 다이제스트."""
        if self._manifest is None:
            manifest = self._build_manifest()
            object.__setattr__(self, "_manifest", manifest)
            return manifest
        return self._manifest

    @property
    def manifest_json(self) -> "dict[str, Any]":
        return self.manifest.json

    @property
    def manifest_bytes(self) -> bytes:
        """매니페스트 JSON의 정확한 바이트. 이것의 SHA256이 이미지 다이제스트입니다."""
        return self.manifest.data

    @property
    def manifest_media_type(self) -> str:
        return self.manifest.media_type

    @property
    def config_media_type(self) -> str:
        return self.manifest.config.media_type or OCI_CONFIG

    @property
    def id(self) -> Digest:
        """이미지 ID = 설정 JSON 바이트의 SHA256 (``docker images`` 의 IMAGE ID)."""
        if self._id is None:
            image_id = Digest.of_bytes(self.config_bytes)
            object.__setattr__(self, "_id", image_id)
            return image_id
        return self._id

    @property
    def digest(self) -> Digest:
        """매니페스트 다이제스트 = 매니페스트 JSON 바이트의 SHA256 (``이름@sha256:…``)."""
        return self.manifest.digest

    def blobs(self) -> "list[tuple[Descriptor, Callable[[], BinaryIO]]]":
        """설정과 레이어 블롭들: (매니페스트의 디스크립터, 여는 함수), 같은 블롭은 한 번만(push가 씁니다)."""
        config_bytes = self.config_bytes
        openers: "list[Callable[[], BinaryIO]]" = [lambda: io.BytesIO(config_bytes)]
        openers += [layer.open_blob for layer in self._layers]
        found: "dict[Digest, tuple[Descriptor, Callable[[], BinaryIO]]]" = {}
        for descriptor, opener in zip((self.manifest.config,) + self.manifest.layers, openers, strict=True):
            found.setdefault(descriptor.digest, (descriptor, opener))
        return list(found.values())

    @property
    def diff_ids(self) -> "list[Digest]":
        return [layer.diff_id for layer in self._layers]

    @property
    def chain_ids(self) -> "list[Digest]":
        """OCI ChainID: 레이어를 차례로 쌓은 결과마다의 이름."""
        chain: "list[Digest]" = []
        for diff_id in self.diff_ids:
            chain.append(diff_id if not chain else Digest.of_bytes(f"{chain[-1]} {diff_id}".encode("ascii")))
        return chain

    @property
    def size(self) -> int:
        """레이어 블롭 크기의 합(바이트)."""
        return sum(layer.size for layer in self._layers)

    @property
    def uncompressed_size(self) -> int:
        return sum(layer.uncompressed_size for layer in self._layers)

    def rootfs(self) -> "FileTree":
        """이 이미지로 시작한 컨테이너가 보는 파일 트리(FileTree)."""
        if self._rootfs is None:
            from .filetree import FileTree

            tree = FileTree.from_layers(self._layers)
            object.__setattr__(self, "_rootfs", tree)
            return tree
        return self._rootfs

    # -- serialization --------------------------------------------------------------------

    def _config_document(self) -> "dict[str, Any]":
        doc: "dict[str, Any]" = {"created": self._created}
        if self._author:
            doc["author"] = self._author
        doc.update(self._platform)
        doc["config"] = self._config.to_json()
        doc["rootfs"] = {"type": "layers", "diff_ids": [str(d) for d in self.diff_ids]}
        if self._history:
            doc["history"] = [h.to_json() for h in self._history]
        doc.update(self._extra)
        return doc

    def _build_manifest(self) -> Manifest:
        config = Descriptor(OCI_CONFIG, self.id, len(self.config_bytes))
        layers = [
            Descriptor(DOCKER_TO_OCI_LAYER.get(layer.media_type, layer.media_type), layer.digest, layer.size)
            for layer in self._layers
        ]
        return Manifest.build(config, layers, self._annotations)

    # -- identity and display -------------------------------------------------------------

    def _label(self) -> str:
        return self.id.short

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Image) and self.digest == other.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def __repr__(self) -> str:
        return (
            f"<Image id={self.id.short} digest={self.digest.short} "
            f"레이어 {len(self._layers)}개, {display.human_size(self.size)}>"
        )

    def _repr_html_(self) -> str:
        return _image_html(self)


def _image_html(image: Image) -> str:
    config = image.config
    head = (
        f"<b>이미지</b> · ID <code>{image.id.short}</code> · 다이제스트 "
        f"<code>{image.digest.short}</code> · {image.os}/{image.architecture} · "
        f"레이어 {len(image.layers)}개 · {display.human_size(image.size)}"
    )
    layers = display.table(
        ["#", "만든 단계 (created_by)", "크기", "다이제스트"],
        [
            (
                i,
                display.Code(display.short_text(layer.created_by or "—", 70)),
                display.human_size(layer.size),
                display.Code(layer.digest.short),
            )
            for i, layer in enumerate(image.layers)
        ],
        caption="레이어 (아래 → 위)",
    )
    settings = [(k, display.Code(v)) for k, v in config.summary().items()]
    conf = display.table(["설정", "값"], settings, caption="설정 (config)") if settings else ""
    return f"<div>{head}{layers}{conf}</div>"
