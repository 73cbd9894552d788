"""저장소(Store): 내용 주소(content-addressable) 블롭 창고와 이름표(태그).

블롭은 다이제스트를 이름으로 한 번만 저장됩니다. 그래서 같은 베이스 레이어를 쓰는
이미지가 여럿이어도 베이스는 한 번만 저장되고, 태그를 붙여도 아무것도 복사되지 않습니다.
``il.Store()`` 는 메모리에, ``il.Store(path)`` 는 디스크의 OCI 이미지 레이아웃 폴더에 저장합니다.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass

from .. import display
from ..blob import Blob
from ..digest import Digest
from ..errors import DigestMismatchError, ImageLibError, InvalidReferenceError, TagNotFoundError
from ..image import Image
from ..layer import Layer
from ..limits import Limits, resolve_limits
from ..oci import Manifest
from ..reference import Reference, parse_reference, tag_name
from .layout import LayoutBackend
from .memory import MemoryBackend


@dataclass(frozen=True)
class Usage:
    """저장 공간 요약: 이미지마다 따로 센 크기(logical)와 실제로 저장된 크기(stored)."""

    images: int
    tags: int
    blobs: int
    logical_bytes: int
    stored_bytes: int

    @property
    def saved_bytes(self) -> int:
        """공유 덕분에 아낀 바이트(= logical - stored)."""
        return self.logical_bytes - self.stored_bytes

    def __str__(self) -> str:
        return (f"이미지 {self.images}개, 이름 {self.tags}개, 블롭 {self.blobs}개: 이미지별로 세면 "
                f"{display.human_size(self.logical_bytes)}, 실제 저장 {display.human_size(self.stored_bytes)}"
                f" (공유로 {display.human_size(self.saved_bytes)} 절약)")

    def _repr_html_(self) -> str:
        return f"<p>{str(self)}</p>"


@dataclass(frozen=True)
class ImageRecord:
    """저장소 안의 이미지 하나(``docker images`` 의 한 줄)."""

    digest: Digest
    id: Digest
    names: "tuple[str, ...]"
    size: int

    @property
    def dangling(self) -> bool:
        """이름이 하나도 없는 이미지(``<none>:<none>``)면 True."""
        return not self.names


class Store:
    """이미지 저장소. ``put`` 으로 넣고, ``tag`` 로 이름을 더 붙이고, ``get`` 으로 꺼냅니다."""

    def __init__(self, path: "str | os.PathLike | None" = None, *, limits: "Limits | None" = None) -> None:
        """``path`` 가 없으면 메모리에, 있으면 그 폴더(OCI 이미지 레이아웃)에 저장합니다.

        남이 만든 레이아웃 폴더를 열 때 ``limits`` (기본 ``il.Limits()``)가 index.json과 레이어를
        읽는 한도를 정합니다. ``il.open`` 에 준 것과 같은 한도를 주면 됩니다.
        """
        self._limits = resolve_limits(limits)
        if path is None:
            self._backend = MemoryBackend()
        else:
            self._backend = LayoutBackend(os.fspath(path), self._limits)
        self._names: "dict[str, Digest]" = dict(self._backend.index)
        self._manifests: "list[Digest]" = list(self._backend.manifests)
        self._cache: "dict[Digest, Image]" = {}

    # -- putting images in ----------------------------------------------------------------

    def put(self, image: Image, ref: "str | Reference | None" = None) -> Digest:
        """이미지를 저장하고(이미 있는 블롭은 건너뜀) ``ref`` 이름을 붙입니다. 매니페스트 다이제스트를 돌려줍니다."""
        if not isinstance(image, Image):
            raise ImageLibError(f"Store.put에는 il.Image가 필요합니다({type(image).__name__}를 받았습니다).")
        getattr(self._backend, "check_image", lambda image: None)(image)  # e.g. what a format forbids
        key = None if ref is None else tag_name(ref)
        with self._locked():  # blobs and index together: a concurrent gc cannot take the new blobs
            for layer in image.layers:
                if self._backend.get_blob(layer.digest) is None:
                    self._backend.put_blob(layer._blob)
            self._backend.put_blob(Blob.from_bytes(image.config_bytes))
            self._backend.put_blob(Blob.from_bytes(image.manifest_bytes))
            digest = image.digest
            self._cache[digest] = image
            if digest not in self._manifests:
                self._manifests.append(digest)
            if key is not None:
                self._names[key] = digest
            self._save_index()
        return digest

    def tag(self, source: "str | Reference | Digest", target: "str | Reference") -> Digest:
        """``source`` 이미지에 ``target`` 이름을 하나 더 붙입니다(``docker tag``). 아무것도 복사하지 않습니다."""
        digest = self.resolve(source)
        self._names[tag_name(target)] = digest
        self._save_index()
        return digest

    def untag(self, ref: "str | Reference") -> Digest:
        """이름 하나를 뗍니다(``docker rmi 이름`` 의 이름 떼기). 이미지 내용은 gc() 전까지 남습니다."""
        key = tag_name(ref)
        if key not in self._names:
            raise TagNotFoundError(f"저장소에 {parse_reference(ref).familiar!r} 이름이 없습니다. "
                                   f"있는 이름: {', '.join(self.tags()) or '(없음)'}")
        digest = self._names.pop(key)
        self._save_index()
        return digest

    # -- finding images -------------------------------------------------------------------

    def resolve(self, ref: "str | Reference | Digest") -> Digest:
        """이름(태그)이나 다이제스트를 매니페스트 다이제스트로 바꿉니다.

        ``이름@sha256:…`` 은 다이제스트로 찾습니다. 태그를 다른 이미지로 옮긴 뒤에도 옛 다이제스트로
        옛 이미지를 꺼낼 수 있습니다(도커의 RepoDigests처럼). 이 저장소는 저장소 이름별로 블롭을
        나누지 않으므로 ``이름`` 부분은 다이제스트를 고르는 데 쓰이지 않습니다.
        """
        if isinstance(ref, Digest) or (isinstance(ref, str) and ref.startswith("sha256:")):
            digest = Digest.parse(ref)
            if digest not in self._manifests:
                raise TagNotFoundError(f"저장소에 다이제스트 {digest}인 이미지가 없습니다.")
            return digest
        reference = parse_reference(ref)
        if reference.digest is not None:
            if reference.digest not in self._manifests:
                raise TagNotFoundError(f"저장소에 {reference.familiar!r} 이미지가 없습니다.")
            return reference.digest
        key = str(reference)
        if key not in self._names:
            raise TagNotFoundError(f"저장소에 {reference.familiar!r} 이름이 없습니다. "
                                   f"있는 이름: {', '.join(self.tags()) or '(없음)'}")
        return self._names[key]

    def get(self, ref: "str | Reference | Digest") -> Image:
        """이름이나 다이제스트로 이미지를 꺼냅니다."""
        digest = self.resolve(ref)
        if digest not in self._cache:
            self._cache[digest] = self._load(digest)
        return self._cache[digest]

    def __contains__(self, ref: object) -> bool:
        try:
            self.resolve(ref)  # type: ignore[arg-type]
            return True
        except (TagNotFoundError, InvalidReferenceError):
            return False

    def tags(self) -> "list[str]":
        """모든 이름(짧은 형태, 정렬됨)."""
        return sorted(parse_reference(key).familiar for key in self._names)

    def names_of(self, ref: "str | Reference | Digest") -> "list[str]":
        """같은 이미지를 가리키는 이름들."""
        digest = self.resolve(ref)
        return sorted(parse_reference(k).familiar for k, d in self._names.items() if d == digest)

    def images(self) -> "list[ImageRecord]":
        """저장된 이미지 목록(이름 없는 이미지 포함)."""
        records = []
        for digest in self._manifests:
            image = self.get(digest)
            names = tuple(sorted(parse_reference(k).familiar for k, d in self._names.items()
                                 if d == digest))
            records.append(ImageRecord(digest, image.id, names, image.size))
        return records

    def dangling(self) -> "list[ImageRecord]":
        """이름이 모두 떨어진 이미지들(``docker images -f dangling=true``)."""
        return [record for record in self.images() if record.dangling]

    # -- space ----------------------------------------------------------------------------

    def usage(self) -> Usage:
        """이미지마다 따로 센 크기와 실제로 저장된 크기(공유된 블롭은 한 번만)."""
        logical = 0
        for digest in self._manifests:
            image = self.get(digest)
            logical += image.size + len(image.config_bytes) + len(image.manifest_bytes)
        digests = self._backend.blob_digests()
        stored = sum(self._backend.get_blob(d).size for d in digests)
        return Usage(len(self._manifests), len(self._names), len(digests), logical, stored)

    def verify(self) -> "list[str]":
        """모든 블롭을 다시 해시해 이름(다이제스트)과 맞는지 검사합니다. 문제 목록(빈 목록 = 정상)."""
        problems = []
        for digest in self._backend.blob_digests():
            blob = self._backend.get_blob(digest)
            try:
                with blob.open() as stream:
                    actual, size = Digest.of_stream(stream)
            except OSError as error:
                problems.append(f"블롭 {digest}: 읽을 수 없습니다({error}).")
                continue
            if actual != digest:
                problems.append(f"블롭 {digest}: 내용의 해시가 {actual}입니다(손상됨).")
        return problems

    def gc(self) -> "list[Digest]":
        """어떤 이름에서도 닿지 않는 이미지와 블롭을 지웁니다. 지운 블롭의 다이제스트 목록."""
        with self._locked():
            self._reload()  # names another process added since are live too
            return self._gc()

    def _gc(self) -> "list[Digest]":
        getattr(self._backend, "remove_leftovers", lambda: None)()  # temp files of killed writers
        live_manifests = set(self._names.values())
        keep: "set[Digest]" = set()
        for digest in live_manifests:
            keep |= set(self._reachable(digest))
        keep |= set(getattr(self._backend, "pinned_blobs", set)())  # entries the backend keeps as found
        removed = [d for d in self._backend.blob_digests() if d not in keep]
        self._manifests = [d for d in self._manifests if d in live_manifests]
        self._save_index()
        for digest in removed:
            self._backend.delete_blob(digest)
            self._cache.pop(digest, None)
        return removed

    # -- internals ------------------------------------------------------------------------

    def _reachable(self, manifest_digest: Digest) -> "Iterator[Digest]":
        yield manifest_digest
        manifest = self._manifest(manifest_digest)
        yield manifest.config.digest
        for descriptor in manifest.layers:
            yield descriptor.digest

    def _blob(self, digest: Digest) -> Blob:
        blob = self._backend.get_blob(digest)
        if blob is None:
            raise TagNotFoundError(f"저장소에 블롭 {digest}가 없습니다(지워졌거나 손상됨).")
        return blob

    def _small_blob(self, digest: Digest, what: str) -> bytes:
        """A JSON blob (manifest, config): refused by its size before it is read."""
        blob = self._blob(digest)
        self._limits.check_json_size(blob.size, f"{self._backend.location}의 {what} 블롭 {digest}")
        return blob.read()

    def _manifest(self, digest: Digest) -> Manifest:
        """The manifest blob ``digest``, checked against its name and parsed once."""
        data = self._small_blob(digest, "매니페스트")
        actual = Digest.of_bytes(data)
        if actual != digest:
            raise DigestMismatchError(f"{self._backend.location}의 매니페스트 블롭 {digest}의 내용의 해시가 "
                                      f"{actual}입니다(손상됨).")
        return Manifest.parse(data, f"{self._backend.location}의 매니페스트 {digest}", digest)

    def _load(self, digest: Digest) -> Image:
        manifest = self._manifest(digest)
        config_bytes = self._small_blob(manifest.config.digest, "이미지 설정")
        layers = [Layer.from_tar(self._blob(d.digest), media_type=d.media_type or None,
                                 expected_digest=d.digest, expected_size=d.size, limits=self._limits)
                  for d in manifest.layers]
        return Image.from_parts(manifest, config_bytes, layers)

    def _save_index(self) -> None:
        # A backend may merge what other processes wrote meanwhile: take its result as ours.
        self._backend.save_index(self._names, self._manifests)
        self._names, self._manifests = dict(self._backend.index), list(self._backend.manifests)

    def _reload(self) -> None:
        reload = getattr(self._backend, "reload", None)
        if reload is not None:
            reload()
            self._names, self._manifests = dict(self._backend.index), list(self._backend.manifests)

    def _locked(self):
        """The backend's cross-process lock (a no-op for memory)."""
        return getattr(self._backend, "locked", contextlib.nullcontext)()

    def _tag_rows(self) -> "list[tuple[str, Digest, int]]":
        rows = []
        for key, digest in sorted(self._names.items(), key=lambda kv: parse_reference(kv[0]).familiar):
            rows.append((parse_reference(key).familiar, digest, self.get(digest).size))
        return rows

    def __repr__(self) -> str:
        return f"<Store {self._backend.location}: 이미지 {len(self._manifests)}개, 이름 {len(self._names)}개>"

    def _repr_html_(self) -> str:
        return display.store_html(self)
