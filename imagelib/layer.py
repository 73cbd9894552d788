"""레이어(layer): 투명한 OHP 필름 한 장. 이전 레이어에서 바뀐 것만 담은 tar 아카이브입니다.

레이어는 한번 만들면 바뀌지 않습니다(읽기 전용). 바꾸고 싶다면 컨테이너(Container)에서
고친 뒤 커밋(commit)해 새 레이어를 만듭니다.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Mapping
from typing import BinaryIO

from . import display
from .blob import Blob, compress_stream, open_uncompressed
from .digest import Digest, verify
from .entries import MARKER_KINDS, Dir, Entry, File, Opaque, Whiteout, parent_paths, require_path
from .errors import InvalidPathError, LayerFormatError, LimitExceededError, UnsupportedError
from .layerscan import Scan, scan_blob
from .limits import Limits, resolve_limits
from .oci import OCI_LAYER, OCI_LAYER_GZIP, OCI_LAYER_ZSTD
from .readonly import ReadOnlyValue
from .streams import copy
from .tario import tar_bytes

_OCI_BY_COMPRESSION = {None: OCI_LAYER, "gzip": OCI_LAYER_GZIP, "zstd": OCI_LAYER_ZSTD}


class Layer(ReadOnlyValue):
    """레이어 하나: 파일 항목들과, 그것을 담은 tar 블롭(blob)의 다이제스트."""

    __slots__ = (
        "_entries",
        "_blob",
        "_compression",
        "_diff_id",
        "_uncompressed_size",
        "_media_type",
        "_created_by",
        "_comment",
        "_frozen",
    )
    _noun = "레이어"
    _entries: "tuple[Entry, ...]"
    _blob: Blob
    _compression: "str | None"
    _diff_id: Digest
    _uncompressed_size: int
    _media_type: str
    _created_by: str
    _comment: str

    def __init__(
        self,
        *,
        entries: Iterable[Entry],
        blob: Blob,
        compression: "str | None",
        diff_id: Digest,
        uncompressed_size: int,
        media_type: "str | None" = None,
        created_by: str = "",
        comment: str = "",
    ) -> None:
        set_ = object.__setattr__
        set_(self, "_entries", tuple(entries))
        set_(self, "_blob", blob)
        set_(self, "_compression", compression)
        set_(self, "_diff_id", diff_id)
        set_(self, "_uncompressed_size", uncompressed_size)
        set_(self, "_media_type", media_type or _OCI_BY_COMPRESSION[compression])
        set_(self, "_created_by", created_by)
        set_(self, "_comment", comment)
        set_(self, "_frozen", True)

    # -- making layers -------------------------------------------------------------------

    @classmethod
    def from_files(
        cls,
        files: "Mapping[str, bytes | str | Entry] | None" = None,
        *,
        deleted: Iterable[str] = (),
        opaque: Iterable[str] = (),
        created_by: str = "",
        comment: str = "",
    ) -> "Layer":
        """경로→내용 사전으로 레이어를 만듭니다.

        값이 str이면 UTF-8 텍스트 파일(권한 0o644), bytes면 바이너리 파일이고,
        ``il.File``/``il.Dir``/``il.Symlink``/``il.Hardlink`` 로 권한이나 종류를 정할 수 있습니다.
        ``deleted`` 의 경로는 화이트아웃(아래 레이어의 파일 가리기)이 되고, ``opaque`` 의 폴더는
        불투명 디렉터리(아래 레이어의 내용을 모두 가림)가 됩니다. 없는 부모 폴더는 자동으로 넣습니다.
        """
        entries = _entries_from_mapping(files or {}, deleted, opaque)
        return cls.from_entries(entries, created_by=created_by, comment=comment)

    @classmethod
    def from_entries(cls, entries: Iterable[Entry], *, created_by: str = "", comment: str = "") -> "Layer":
        """경로가 정해진 항목들로 레이어를 만듭니다(없는 부모 폴더는 자동으로 넣습니다)."""
        entries = _with_parents(list(entries))
        data = tar_bytes(entries)
        blob = Blob.from_bytes(data)
        # Re-scan so file contents point into the tar, exactly as a layer read from disk.
        scan = scan_blob(blob, _where(blob, None))
        return cls._from_scan(blob, scan, created_by=created_by, comment=comment)

    @classmethod
    def from_tar(
        cls,
        source: "str | os.PathLike[str] | bytes | BinaryIO | Blob",
        *,
        media_type: "str | None" = None,
        created_by: str = "",
        comment: str = "",
        expected_digest: "Digest | str | None" = None,
        expected_size: "int | None" = None,
        limits: "Limits | None" = None,
    ) -> "Layer":
        """tar 아카이브(압축 없음, gzip, zstd — 내용으로 알아냄)를 레이어로 읽습니다.

        파일 경로, 바이트, 파일 객체를 받을 수 있고, 파일 전체를 메모리에 올리지 않습니다.
        ``expected_digest`` 를 주면 블롭의 다이제스트와 크기를 검사합니다.
        루트를 벗어나는 경로('..'), 드라이브 문자, 자기 폴더를 지우는 화이트아웃처럼 위험한 항목은
        UnsafeEntryError로 거절하고, 압축 폭탄이나 너무 많은 항목은 ``limits``
        (기본 ``il.Limits()``)를 넘는 순간 LimitExceededError로 멈춥니다.
        """
        limits = resolve_limits(limits)
        blob = _blob_from_source(source, limits)
        expected = None if expected_digest is None else Digest.parse(expected_digest)
        if expected is not None and expected_size is not None:
            # The size is known before reading: a wrong one is refused at once (digest unchecked).
            verify(expected, blob.size, expected, expected_size, f"레이어 블롭 {expected}")
        try:
            scan = scan_blob(blob, _where(blob, expected), limits)
        except (LayerFormatError, LimitExceededError):
            if expected is not None and blob.size <= limits.max_bytes:
                _verify_blob(blob, expected, expected_size)  # damaged bytes: say so first
            raise
        if expected is not None:
            verify(scan.blob_digest, blob.size, expected, expected_size, f"레이어 블롭 {expected}")
        return cls._from_scan(blob, scan, media_type=media_type, created_by=created_by, comment=comment)

    @classmethod
    def _from_scan(
        cls, blob: Blob, scan: Scan, *, media_type: "str | None" = None, created_by: str = "", comment: str = ""
    ) -> "Layer":
        if blob._digest is None:
            blob._digest = scan.blob_digest  # hashed in the same pass: never read again for it
        return cls(
            entries=scan.entries,
            blob=blob,
            compression=scan.compression,
            diff_id=scan.diff_id,
            uncompressed_size=scan.uncompressed_size,
            media_type=media_type,
            created_by=created_by,
            comment=comment,
        )

    # -- what a layer is ------------------------------------------------------------------

    @property
    def entries(self) -> "tuple[Entry, ...]":
        """레이어에 담긴 항목들(파일, 폴더, 링크, 화이트아웃, 불투명 표시)."""
        return self._entries

    @property
    def diff_id(self) -> Digest:
        """압축하지 않은 tar의 다이제스트. 이미지 설정의 ``rootfs.diff_ids`` 에 들어갑니다."""
        return self._diff_id

    @property
    def digest(self) -> Digest:
        """저장된 블롭(압축했다면 압축된 바이트)의 다이제스트. 매니페스트에 들어갑니다."""
        return self._blob.digest

    @property
    def size(self) -> int:
        """저장된 블롭의 바이트 수."""
        return self._blob.size

    @property
    def uncompressed_size(self) -> int:
        """압축하지 않은 tar의 바이트 수."""
        return self._uncompressed_size

    @property
    def media_type(self) -> str:
        return self._media_type

    @property
    def compression(self) -> "str | None":
        """'gzip', 'zstd' 또는 None(압축 없음)."""
        return self._compression

    @property
    def created_by(self) -> str:
        """이 레이어를 만든 단계(예: ``COPY . /app``)."""
        return self._created_by

    @property
    def comment(self) -> str:
        return self._comment

    @property
    def files_size(self) -> int:
        """레이어에 담긴 파일 내용의 합(바이트)."""
        return sum(entry.size for entry in self._entries)

    @property
    def paths(self) -> "list[str]":
        """화이트아웃을 뺀 항목 경로들."""
        return [e.path for e in self._entries if e.kind not in MARKER_KINDS]

    @property
    def deleted(self) -> "list[str]":
        """이 레이어가 화이트아웃으로 가리는 경로들."""
        return [e.path for e in self._entries if isinstance(e, Whiteout)]

    @property
    def opaque(self) -> "list[str]":
        """이 레이어가 불투명하게 만든 폴더들."""
        return [e.path for e in self._entries if isinstance(e, Opaque)]

    def entry(self, path: str) -> Entry:
        """경로의 항목(화이트아웃 제외)."""
        wanted = require_path(path)
        for entry in self._entries:
            if entry.path == wanted and entry.kind not in MARKER_KINDS:
                return entry
        from .errors import PathNotFoundError

        raise PathNotFoundError(f"이 레이어에는 {wanted!r} 항목이 없습니다.")

    def open_blob(self) -> BinaryIO:
        """저장된 블롭 바이트를 읽는 스트림."""
        return self._blob.open()

    def open_tar(self) -> BinaryIO:
        """압축을 푼 tar 바이트를 읽는 스트림."""
        return open_uncompressed(self._blob, self._compression)

    def blob_bytes(self) -> bytes:
        """저장된 블롭 바이트 전체(작은 레이어용)."""
        return self._blob.read()

    # -- new layers from this one ---------------------------------------------------------

    def compress(self, algorithm: str = "gzip") -> "Layer":
        """같은 내용을 gzip(또는 zstd)으로 압축한 새 레이어. diff_id는 그대로, digest는 바뀝니다."""
        if algorithm not in ("gzip", "zstd"):
            raise UnsupportedError(f"압축 방식 {algorithm!r}은(는) 지원하지 않습니다. 'gzip'이나 'zstd'를 고르세요.")
        if algorithm == self._compression:
            return self

        def write(out: BinaryIO) -> None:
            with self.open_tar() as source:
                compress_stream(source, out, algorithm)

        blob = Blob.spool(write, self._uncompressed_size)
        return Layer(
            entries=self._entries,
            blob=blob,
            compression=algorithm,
            diff_id=self._diff_id,
            uncompressed_size=self._uncompressed_size,
            created_by=self._created_by,
            comment=self._comment,
        )

    def with_history(self, created_by: "str | None" = None, comment: "str | None" = None) -> "Layer":
        """같은 블롭에 다른 설명(created_by, comment)을 붙인 레이어."""
        return Layer(
            entries=self._entries,
            blob=self._blob,
            compression=self._compression,
            diff_id=self._diff_id,
            uncompressed_size=self._uncompressed_size,
            media_type=self._media_type,
            created_by=self._created_by if created_by is None else created_by,
            comment=self._comment if comment is None else comment,
        )

    def with_media_type(self, media_type: str) -> "Layer":
        """같은 블롭을 다른 미디어 타입(예: 도커 형식)으로 부르는 레이어."""
        return Layer(
            entries=self._entries,
            blob=self._blob,
            compression=self._compression,
            diff_id=self._diff_id,
            uncompressed_size=self._uncompressed_size,
            media_type=media_type,
            created_by=self._created_by,
            comment=self._comment,
        )

    # -- identity and display -------------------------------------------------------------

    def _label(self) -> str:
        return self.digest.short

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Layer) and self.digest == other.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def __repr__(self) -> str:
        step = f", created_by={self._created_by!r}" if self._created_by else ""
        return f"<Layer {self.digest.short} {display.human_size(self.size)}, 항목 {len(self._entries)}개{step}>"

    def _repr_html_(self) -> str:
        return _layer_html(self)


def _where(blob: Blob, expected: "Digest | None") -> str:
    """How error messages name the layer: by its digest when that is known before reading."""
    known = blob._digest or expected
    return f"레이어 {known.short}" if known is not None else "레이어"


def _verify_blob(blob: Blob, expected: Digest, expected_size: "int | None") -> None:
    verify(blob.digest, blob.size, expected, expected_size, f"레이어 블롭 {expected}")


def _blob_from_source(
    source: "str | os.PathLike[str] | bytes | BinaryIO | Blob", limits: "Limits | None" = None
) -> Blob:
    if isinstance(source, Blob):
        return source
    if isinstance(source, (bytes, bytearray, memoryview)):
        return Blob.from_bytes(bytes(source))
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if not os.path.isfile(path):
            from .errors import PathNotFoundError

            raise PathNotFoundError(f"레이어 파일 {path!r}을(를) 찾을 수 없습니다.")
        return Blob.from_file(path)
    if hasattr(source, "read"):
        return Blob.spool(lambda out: _copy_all(source, out, limits), size_hint=1 << 62)
    raise LayerFormatError(f"레이어로 읽을 수 없는 값입니다: {type(source).__name__}")


def _copy_all(source: BinaryIO, out: BinaryIO, limits: "Limits | None" = None) -> None:
    if limits is None:
        copy(source, out)
    elif copy(source, out, limits.max_bytes + 1) > limits.max_bytes:
        raise limits.exceeded("레이어 스트림", "max_bytes", f"{display.human_size(limits.max_bytes)}보다 깁니다")


def _entries_from_mapping(
    files: "Mapping[str, object]", deleted: Iterable[str], opaque: Iterable[str]
) -> "list[Entry]":
    entries: "dict[str, Entry]" = {}
    for raw_path, value in files.items():
        path = require_path(raw_path, what="파일 경로")
        if path in entries:
            raise InvalidPathError(f"경로 {raw_path!r}가 두 번 나옵니다({path!r}와 같은 경로).")
        entries[path] = _entry_from_value(value, raw_path).at(path)
    markers: "list[Entry]" = []
    for raw_path in deleted:
        path = require_path(raw_path, what="삭제할 경로")
        if path in entries:
            raise InvalidPathError(f"{path!r}를 한 레이어에서 만들면서 동시에 삭제(화이트아웃)할 수는 없습니다.")
        markers.append(Whiteout(path=path))
    for raw_path in opaque:
        path = require_path(raw_path, what="불투명 디렉터리 경로")
        if path in entries and not isinstance(entries[path], Dir):
            raise InvalidPathError(f"불투명 표시는 폴더에만 붙일 수 있는데 {path!r}는 폴더가 아닙니다.")
        entries.setdefault(path, Dir(path=path))
        markers.append(Opaque(path=path))
    return list(entries.values()) + markers


def _entry_from_value(value: object, raw_path: str) -> Entry:
    if isinstance(value, Entry):
        if value.kind in MARKER_KINDS:
            raise InvalidPathError(f"{raw_path!r}: 화이트아웃은 deleted=[...]로 지정하세요.")
        return value
    if isinstance(value, (bytearray, memoryview)):
        value = bytes(value)  # as File would copy it
    if isinstance(value, (str, bytes)):
        return File(value)
    raise InvalidPathError(
        f"{raw_path!r}의 내용은 str, bytes 또는 il.File/il.Dir/il.Symlink/il.Hardlink여야 합니다 "
        f"({type(value).__name__}를 받았습니다)."
    )


def _with_parents(entries: "list[Entry]") -> "list[Entry]":
    present = {e.path: e for e in entries if e.kind not in MARKER_KINDS}
    needed = {parent for e in entries for parent in parent_paths(e.path)}
    for parent in sorted(needed):
        existing = present.get(parent)
        if existing is not None and existing.kind != "dir":
            raise InvalidPathError(f"{parent!r}는 폴더가 아닌데 그 아래에 다른 항목이 있습니다.")
    return entries + [Dir(path=parent) for parent in sorted(needed - present.keys())]


def _layer_html(layer: Layer) -> str:
    entries = [e for e in layer.entries]
    rows = [
        (
            display.Code("/" + e.path),
            display.kind_name(e.kind),
            display.human_size(e.size) if e.kind == "file" else "",
            oct(e.mode)[2:] if e.kind != "whiteout" else "",
        )
        for e in entries
    ]
    info = (
        f"<b>레이어</b> <code>{layer.digest.short}</code> · {display.human_size(layer.size)} · "
        f"항목 {len(entries)}개"
        + (f" · <i>{html.escape(display.short_text(layer.created_by, 80))}</i>" if layer.created_by else "")
    )
    return f"<div>{info}{display.table(['경로', '종류', '크기', '권한'], rows)}</div>"
