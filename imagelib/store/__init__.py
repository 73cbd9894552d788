"""보관소(Store): 내용 주소(content-addressable) 블롭 창고와 이름표(태그).

블롭은 다이제스트를 이름으로 한 번만 저장됩니다. 그래서 같은 베이스 레이어를 쓰는
이미지가 여럿이어도 베이스는 한 번만 저장되고, 태그를 붙여도 아무것도 복사되지 않습니다.
``il.Store()`` 는 메모리에, ``il.Store(path)`` 는 디스크의 OCI 이미지 레이아웃 폴더에 저장합니다.
이름은 이미지(매니페스트)에도, 여러 플랫폼을 묶은 이미지 인덱스에도 붙일 수 있습니다.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from .. import display
from ..blob import Blob
from ..digest import Digest, verify
from ..errors import (
    DigestMismatchError,
    ImageFormatError,
    ImageLibError,
    InvalidReferenceError,
    TagNotFoundError,
    UnsupportedError,
)
from ..image import Image
from ..imageindex import ImageIndex
from ..layer import Layer
from ..limits import Limits, image_entry_budget, resolve_limits
from ..oci import Descriptor, Index, Manifest, Platform, best_match, parse_document
from ..reference import Reference, parse_reference, tag_name
from .disk import is_disk_full, writing
from .layout import LayoutBackend
from .memory import MemoryBackend
from .usage import ImageUsage, usage_by_image


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
        return (
            f"이미지 {self.images}개, 이름 {self.tags}개, 블롭 {self.blobs}개: 이미지별로 세면 "
            f"{display.human_size(self.logical_bytes)}, 실제 저장 {display.human_size(self.stored_bytes)}"
            f" (공유로 {display.human_size(self.saved_bytes)} 절약)"
        )

    def _repr_html_(self) -> str:
        return f"<p>{str(self)}</p>"


@dataclass(frozen=True)
class ImageRecord:
    """보관소 안의 이미지 하나(``docker images`` 의 한 줄).

    이미지 인덱스이면 ``digest`` 와 ``id`` 가 인덱스 다이제스트이고(도커 25 이상의 containerd 이미지
    보관소처럼), ``size`` 는 플랫폼 이미지들의 레이어 블롭 크기를 공유된 것은 한 번만 센 합이며,
    ``platforms`` 에 플랫폼들이 있습니다. 플랫폼 하나짜리 이미지이면 ``platforms`` 는 빈 튜플입니다.
    """

    digest: Digest
    id: Digest
    names: "tuple[str, ...]"
    size: int
    platforms: "tuple[str, ...]" = ()

    @property
    def dangling(self) -> bool:
        """이름이 하나도 없는 이미지(``<none>:<none>``)면 True."""
        return not self.names


class Store:
    """이미지 보관소. ``put`` 으로 넣고, ``tag`` 로 이름을 더 붙이고, ``get`` 으로 꺼냅니다."""

    def __init__(self, path: "str | os.PathLike[str] | None" = None, *, limits: "Limits | None" = None) -> None:
        """``path`` 가 없으면 메모리에, 있으면 그 폴더(OCI 이미지 레이아웃)에 저장합니다.

        남이 만든 레이아웃 폴더를 열 때 ``limits`` (기본 ``il.Limits()``)가 index.json과 레이어를
        읽는 한도를 정합니다. ``il.open`` 에 준 것과 같은 한도를 주면 됩니다.
        """
        self._limits = resolve_limits(limits)
        self._backend: "MemoryBackend | LayoutBackend"
        if path is None:
            self._folder = None
            self._backend = MemoryBackend()
        else:
            self._folder = f"보관소 폴더 {os.fspath(path)!r}"
            with writing(self._folder):
                self._backend = LayoutBackend(os.fspath(path), self._limits)
        self._names: "dict[str, Digest]" = dict(self._backend.index)
        self._manifests: "list[Digest]" = list(self._backend.manifests)
        self._cache: "dict[Digest, Image]" = {}
        self._indexes: "dict[Digest, ImageIndex]" = {}

    # -- putting images in ----------------------------------------------------------------

    def put(self, image: "Image | ImageIndex", ref: "str | Reference | None" = None) -> Digest:
        """이미지를 저장하고(이미 있는 블롭은 건너뜀) ``ref`` 이름을 붙입니다. 매니페스트 다이제스트를 돌려줍니다.

        이미지 인덱스(``il.ImageIndex``)를 주면 인덱스 블롭과 플랫폼마다의 매니페스트, 설정, 레이어를
        모두 저장하고(공유된 블롭은 한 번만) 이름은 인덱스에 붙입니다. 돌려주는 값은 인덱스
        다이제스트입니다. 도커 25 이상의 containerd 이미지 보관소와 ``skopeo copy --all`` 이 만든
        OCI 레이아웃도 이렇게 담습니다.

        실패하면(디스크가 가득 참 등) 이번에 쓴 블롭을 지우고 이름표도 그대로 둡니다.
        """
        if not isinstance(image, (Image, ImageIndex)):
            raise ImageLibError(
                f"Store.put에는 il.Image나 il.ImageIndex가 필요합니다({type(image).__name__}를 받았습니다)."
            )
        self._put_all([(image, () if ref is None else (tag_name(ref),))])
        return image.digest

    def _put_all(self, named: "list[tuple[Image | ImageIndex, tuple[str, ...]]]") -> None:
        """Store every image with its names in one go: on failure, none of them (no blob, no name)."""
        check: Callable[[Image], None] = getattr(self._backend, "check_image", lambda image: None)
        for item, _ in named:
            for image in _images_of(item):
                check(image)  # e.g. what a format forbids
        with self._writing(), self._locked():  # blobs and index together: a gc cannot take new blobs
            self._reload()  # what other processes removed meanwhile is not ours to write back
            written: "list[Digest]" = []
            try:
                for item, _ in named:
                    self._put_blobs(item, written)
                names, manifests = dict(self._names), list(self._manifests)
                for item, keys in named:
                    if item.digest not in manifests:
                        manifests.append(item.digest)
                    names.update(dict.fromkeys(keys, item.digest))
                self._save_index(names, manifests)
            except BaseException:
                for digest in written:
                    with contextlib.suppress(OSError):
                        self._backend.delete_blob(digest)
                raise
        for item, _ in named:
            if isinstance(item, ImageIndex):
                self._indexes[item.digest] = item
            for image in _images_of(item):
                self._cache[image.digest] = image

    def _put_blobs(self, item: "Image | ImageIndex", written: "list[Digest]") -> None:
        """Write the blobs of ``item`` the store lacks, adding each to ``written`` as soon as it is there.

        ``written`` grows blob by blob so that a failure halfway through still removes the blobs
        written before it. The index blob goes last, after everything it names.
        """
        blobs = []
        for image in _images_of(item):
            blobs += [layer._blob for layer in image.layers]
            blobs += [Blob.from_bytes(image.config_bytes), Blob.from_bytes(image.manifest_bytes)]
        if isinstance(item, ImageIndex):
            blobs.append(Blob.from_bytes(item.data))
        for blob in blobs:
            if blob.digest not in written and self._backend.get_blob(blob.digest) is None:
                self._backend.put_blob(blob)
                written.append(blob.digest)

    def tag(self, source: "str | Reference | Digest", target: "str | Reference") -> Digest:
        """``source`` 이미지에 ``target`` 이름을 하나 더 붙입니다(``docker tag``). 아무것도 복사하지 않습니다.

        다른 프로세스가 그 이미지를 지웠으면(이름을 떼고 gc) ``TagNotFoundError`` 를 냅니다.
        """
        key = tag_name(target)
        with self._writing(), self._locked():
            self._reload()
            digest = self.resolve(source)
            if self._backend.get_blob(digest) is None:
                raise TagNotFoundError(
                    f"보관소에 {_shown(source)} 이미지의 매니페스트 블롭 {digest}가 없습니다(지워졌거나 손상됨). "
                    "이미지를 다시 put 하세요."
                )
            self._save_index({**self._names, key: digest}, self._manifests)
        return digest

    def untag(self, ref: "str | Reference") -> Digest:
        """이름 하나를 뗍니다(``docker rmi 이름`` 의 이름 떼기). 이미지 내용은 gc() 전까지 남습니다."""
        key = tag_name(ref)
        with self._writing(), self._locked():
            self._reload()
            if key not in self._names:
                raise TagNotFoundError(
                    f"보관소에 {parse_reference(ref).familiar!r} 이름이 없습니다. "
                    f"있는 이름: {', '.join(self.tags()) or '(없음)'}"
                )
            names = dict(self._names)
            digest = names.pop(key)
            self._save_index(names, self._manifests)
        return digest

    # -- finding images -------------------------------------------------------------------

    def resolve(self, ref: "str | Reference | Digest") -> Digest:
        """이름(태그)이나 다이제스트를 매니페스트 다이제스트(이미지 인덱스이면 인덱스 다이제스트)로 바꿉니다.

        ``이름@sha256:…`` 은 다이제스트로 찾습니다. 태그를 다른 이미지로 옮긴 뒤에도 옛 다이제스트로
        옛 이미지를 꺼낼 수 있습니다(도커의 RepoDigests처럼). 이 보관소는 저장소 이름별로 블롭을
        나누지 않으므로 ``이름`` 부분은 다이제스트를 고르는 데 쓰이지 않습니다.
        """
        if isinstance(ref, Digest) or (isinstance(ref, str) and ref.startswith("sha256:")):
            digest = Digest.parse(ref)
            if digest not in self._manifests:
                raise TagNotFoundError(f"보관소에 다이제스트 {digest}인 이미지가 없습니다.")
            return digest
        reference = parse_reference(ref)
        if reference.digest is not None:
            if reference.digest not in self._manifests:
                raise TagNotFoundError(f"보관소에 {reference.familiar!r} 이미지가 없습니다.")
            return reference.digest
        key = str(reference)
        if key not in self._names:
            raise TagNotFoundError(
                f"보관소에 {reference.familiar!r} 이름이 없습니다. 있는 이름: {', '.join(self.tags()) or '(없음)'}"
            )
        return self._names[key]

    def get(self, ref: "str | Reference | Digest", platform: "str | Platform | None" = None) -> Image:
        """이름이나 다이제스트로 이미지를 꺼냅니다.

        이름이 이미지 인덱스를 가리키면 ``platform`` (기본 ``linux/amd64``)의 이미지를
        ``ImageIndex.image`` 와 같은 규칙으로 고릅니다(``docker run --platform`` 처럼). 플랫폼 하나짜리
        이미지에 다른 플랫폼을 주면 ``TagNotFoundError`` 를 냅니다.
        """
        digest = self.resolve(ref)
        if self._is_index(digest):
            return self._get_index(digest).image(platform)
        image = self._image(digest)
        if platform is not None and best_match([_platform_entry(image)], Platform.parse(platform)) is None:
            raise TagNotFoundError(
                f"보관소의 {_shown(ref)} 이미지는 플랫폼이 {image.platform}입니다. "
                f"{Platform.parse(platform)} 이미지는 없습니다."
            )
        return image

    def get_index(self, ref: "str | Reference | Digest") -> ImageIndex:
        """이름이나 다이제스트로 이미지 인덱스(``il.ImageIndex``)를 꺼냅니다.

        플랫폼 하나짜리 이미지를 가리키면 ``UnsupportedError`` 를 냅니다(그때는 ``get`` 을 쓰세요).
        """
        digest = self.resolve(ref)
        if not self._is_index(digest):
            raise UnsupportedError(
                f"보관소의 {_shown(ref)}은(는) 이미지 인덱스가 아니라 플랫폼 하나짜리 이미지입니다. "
                "store.get(이름)으로 꺼내세요."
            )
        return self._get_index(digest)

    def _image(self, digest: Digest) -> Image:
        top = self._top(digest)
        if not isinstance(top, Image):
            raise ImageFormatError(f"{self._backend.location}의 {digest}는 이미지가 아니라 이미지 인덱스입니다.")
        return top

    def _get_index(self, digest: Digest) -> ImageIndex:
        top = self._top(digest)
        if not isinstance(top, ImageIndex):
            raise ImageFormatError(f"{self._backend.location}의 {digest}는 이미지 인덱스가 아닙니다.")
        return top

    def _top(self, digest: Digest) -> "Image | ImageIndex":
        """The image or image index stored under ``digest``, its document read and parsed once."""
        if digest in self._cache:
            return self._cache[digest]
        if digest in self._indexes:
            return self._indexes[digest]
        document = self._document(digest)
        if isinstance(document, Index):
            images = [self._image(entry.digest) for entry in document.images()]
            self._indexes[digest] = ImageIndex(document, images)
            return self._indexes[digest]
        self._cache[digest] = self._load(document)
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
            names = tuple(sorted(parse_reference(k).familiar for k, d in self._names.items() if d == digest))
            if self._is_index(digest):
                platforms = self._get_index(digest).platforms
                records.append(ImageRecord(digest, digest, names, self._size(digest), platforms))
            else:
                records.append(ImageRecord(digest, self._image(digest).id, names, self._size(digest)))
        return records

    def dangling(self) -> "list[ImageRecord]":
        """이름이 모두 떨어진 이미지들(``docker images -f dangling=true``)."""
        return [record for record in self.images() if record.dangling]

    # -- space ----------------------------------------------------------------------------

    def usage(self) -> Usage:
        """이미지마다 따로 센 크기와 실제로 저장된 크기(공유된 블롭은 한 번만).

        이미지 인덱스는 ``images`` 에서 하나로 세고, 이미지별 크기에는 그 플랫폼 이미지들을 각각 셉니다.
        """
        logical = 0
        for digest in self._manifests:
            if self._is_index(digest):
                index = self._get_index(digest)
                images: "tuple[Image, ...]" = index.images
                logical += len(index.data)
            else:
                images = (self._image(digest),)
            logical += sum(image.size + len(image.config_bytes) + len(image.manifest_bytes) for image in images)
        # A blob another process removed since it was listed is not counted.
        blobs = [blob for blob in map(self._backend.get_blob, self._backend.blob_digests()) if blob is not None]
        stored = sum(blob.size for blob in blobs)
        return Usage(len(self._manifests), len(self._names), len(blobs), logical, stored)

    def usage_by_image(self) -> "list[ImageUsage]":
        """``docker system df -v`` 의 이미지 표처럼, 이미지마다 크기와 공유 크기·고유 크기를 셉니다.

        엔진은 레이어를 ChainID마다 한 번 보관하므로, 같은 베이스 위에 쌓은 이미지들은 그 레이어를
        함께 씁니다(공유). 크기는 압축한 블롭이 아니라 풀린 레이어 폴더의 크기입니다.
        이미지 인덱스는 도커 20.10의 이미지 목록에 없으므로 세지 않습니다.
        """
        images = [
            (record.names, self._image(record.digest)) for record in self.images() if not self._is_index(record.digest)
        ]
        return usage_by_image(images)

    def verify(self) -> "list[str]":
        """보관소를 검사합니다. 문제 목록(빈 목록 = 정상)을 한국어 문장으로 돌려줍니다.

        - 이름이 가리키는 매니페스트, 매니페스트가 가리키는 설정과 레이어 블롭이 모두 있는지
        - 모든 블롭을 다시 해시해 이름(다이제스트)과 맞는지
        """
        with self._locked():  # a gc of another process must not delete blobs under our feet
            self._reload()
            present = set(self._backend.blob_digests())
            problems = self._missing_blobs(present)
            problems += self._damaged_blobs(present)
        return problems

    def _missing_blobs(self, present: "set[Digest]") -> "list[str]":
        problems = []
        for digest in self._manifests:
            if digest not in present:
                problems.append(f"{self._label(digest)}: 매니페스트 블롭 {digest}가 없습니다.")
                continue
            try:
                document = self._document(digest)
            except DigestMismatchError:
                continue  # the hash check of every blob reports it
            except ImageLibError as error:
                problems.append(f"{self._label(digest)}: 매니페스트를 읽을 수 없습니다({error}).")
                continue
            if isinstance(document, Manifest):
                problems += self._missing_parts(self._label(digest), document, present)
                continue
            for entry in document.manifests:
                where = f"{self._label(digest)}의 {entry.platform or '플랫폼 없는'} 매니페스트"
                if entry.digest not in present:
                    problems.append(f"{where} 블롭 {entry.digest}가 없습니다.")
                    continue
                try:
                    problems += self._missing_parts(where, self._manifest(entry.digest), present)
                except DigestMismatchError:
                    continue
                except ImageLibError as error:
                    problems.append(f"{where} {entry.digest}를 읽을 수 없습니다({error}).")
        return problems

    @staticmethod
    def _missing_parts(label: str, manifest: Manifest, present: "set[Digest]") -> "list[str]":
        parts = [("이미지 설정", manifest.config)]
        parts += [(f"레이어 {number}", layer) for number, layer in enumerate(manifest.layers, start=1)]
        return [
            f"{label}: {what} 블롭 {descriptor.digest}가 없습니다."
            for what, descriptor in parts
            if descriptor.digest not in present
        ]

    def _damaged_blobs(self, present: "set[Digest]") -> "list[str]":
        problems = []
        for digest in sorted(present, key=str):
            blob = self._backend.get_blob(digest)
            if blob is None:
                continue  # removed by hand since it was listed
            try:
                with blob.open() as stream:
                    actual, _ = Digest.of_stream(stream)
            except OSError as error:
                problems.append(f"블롭 {digest}: 읽을 수 없습니다({error}).")
                continue
            if actual != digest:
                problems.append(f"블롭 {digest}: 내용의 해시가 {actual}입니다(손상됨).")
        return problems

    def _label(self, digest: Digest) -> str:
        """How a problem names an image: its names, else its digest."""
        names = sorted(parse_reference(k).familiar for k, d in self._names.items() if d == digest)
        return f"이미지 {', '.join(names)}" if names else f"이름 없는 이미지 {digest}"

    def _size(self, digest: Digest) -> int:
        """The size a listing shows: an index's platform images together, shared layers once."""
        if not self._is_index(digest):
            return self._image(digest).size
        layers = [layer for image in self._get_index(digest).images for layer in image.layers]
        return sum({layer.digest: layer.size for layer in layers}.values())

    def _is_index(self, digest: Digest) -> bool:
        """Whether the stored top-level document ``digest`` is an image index."""
        return isinstance(self._top(digest), ImageIndex)

    def gc(self) -> "list[Digest]":
        """어떤 이름에서도 닿지 않는 이미지와 블롭을 지웁니다. 지운 블롭의 다이제스트 목록.

        디스크가 가득 차 index.json을 새로 쓸 수 없으면 이름 없는 이미지의 레이어부터 지워 자리를 만듭니다.
        """
        with self._writing(), self._locked():
            self._reload()  # names another process added since are live too
            return self._gc()

    def _gc(self) -> "list[Digest]":
        getattr(self._backend, "remove_leftovers", lambda: None)()  # temp files of killed writers
        live = set(self._names.values())
        keep = set(live) | set(getattr(self._backend, "pinned_blobs", set)())  # entries kept as found
        claimed: "set[Digest]" = set()  # blobs some readable manifest refers to
        blind = False  # a named manifest is missing or unreadable: what it refers to is unknown
        for digest in dict.fromkeys([*self._manifests, *live]):
            parts = self._parts(digest)
            if parts is None:
                blind = blind or digest in live
                continue
            claimed |= parts
            if digest in live:
                keep |= parts
        # Blind, only blobs of readable unnamed manifests go: any other might be the lost image's.
        removed = [d for d in self._backend.blob_digests() if d not in keep and (not blind or d in claimed)]
        manifests = [d for d in self._manifests if d in live]
        try:
            self._save_index(self._names, manifests)
        except OSError as error:
            if not is_disk_full(error):
                raise
            # No room for the new index.json: first free what the old one does not list itself.
            self._delete_blobs(d for d in removed if d not in self._manifests)
            self._save_index(self._names, manifests)
        self._delete_blobs(removed)
        return removed

    def _delete_blobs(self, digests: "Iterable[Digest]") -> None:
        for digest in digests:
            self._backend.delete_blob(digest)
            self._cache.pop(digest, None)
            self._indexes.pop(digest, None)

    # -- internals ------------------------------------------------------------------------

    def _parts(self, digest: Digest) -> "set[Digest] | None":
        """The manifest or index and every blob it reaches; None if any document is missing or unreadable."""
        try:
            document = self._document(digest)
            if isinstance(document, Index):
                children = [self._manifest(entry.digest) for entry in document.manifests]
            else:
                children = [document]
        except ImageLibError:
            return None
        parts = {digest}
        for manifest in children:
            parts |= {manifest.digest, manifest.config.digest, *(d.digest for d in manifest.layers)}
        return parts

    def _blob(self, digest: Digest) -> Blob:
        blob = self._backend.get_blob(digest)
        if blob is None:
            raise TagNotFoundError(f"보관소에 블롭 {digest}가 없습니다(지워졌거나 손상됨).")
        return blob

    def _small_blob(self, digest: Digest, what: str) -> bytes:
        """A JSON blob (manifest, config): refused by its size before it is read."""
        blob = self._blob(digest)
        self._limits.check_json_size(blob.size, f"{self._backend.location}의 {what} 블롭 {digest}")
        return blob.read()

    def _manifest(self, digest: Digest) -> Manifest:
        """The manifest blob ``digest``, checked against its name and parsed once."""
        data = self._checked_blob(digest, "매니페스트")
        return Manifest.parse(data, f"{self._backend.location}의 매니페스트 {digest}", digest)

    def _document(self, digest: Digest) -> "Manifest | Index":
        """A top-level blob: an image manifest or an image index, told apart by its media type."""
        data = self._checked_blob(digest, "매니페스트")
        return parse_document(data, f"{self._backend.location}의 매니페스트 {digest}", digest=digest)

    def _checked_blob(self, digest: Digest, what: str) -> bytes:
        data = self._small_blob(digest, what)
        verify(Digest.of_bytes(data), len(data), digest, None, f"{self._backend.location}의 {what} 블롭 {digest}")
        return data

    def _load(self, manifest: Manifest) -> Image:
        digest = manifest.digest
        config_bytes = self._small_blob(manifest.config.digest, "이미지 설정")
        with image_entry_budget(self._limits, f"{self._backend.location}의 이미지 {digest}"):
            layers = [
                Layer.from_tar(
                    self._blob(d.digest),
                    media_type=d.media_type or None,
                    expected_digest=d.digest,
                    expected_size=d.size,
                    limits=self._limits,
                )
                for d in manifest.layers
            ]
        return Image.from_parts(manifest, config_bytes, layers)

    def _save_index(self, names: "dict[str, Digest]", manifests: "list[Digest]") -> None:
        """Write the new names and manifests; this store's view changes only once they are written."""
        # A backend may merge what other processes wrote meanwhile: take its result as ours.
        self._backend.save_index(names, manifests)
        self._names, self._manifests = dict(self._backend.index), list(self._backend.manifests)

    def _reload(self) -> None:
        reload = getattr(self._backend, "reload", None)
        if reload is not None:
            reload()
            self._names, self._manifests = dict(self._backend.index), list(self._backend.manifests)

    def _writing(self) -> AbstractContextManager[None]:
        """Disk failures (full, read-only) as a DiskError naming the store's folder."""
        return contextlib.nullcontext() if self._folder is None else writing(self._folder)

    def _locked(self) -> AbstractContextManager[object]:
        """The backend's cross-process lock (a no-op for memory)."""
        locked: Callable[[], AbstractContextManager[object]] = getattr(self._backend, "locked", contextlib.nullcontext)
        return locked()

    def _tag_rows(self) -> "list[tuple[str, Digest, int]]":
        rows = []
        for key, digest in sorted(self._names.items(), key=lambda kv: parse_reference(kv[0]).familiar):
            rows.append((parse_reference(key).familiar, digest, self._size(digest)))
        return rows

    def __repr__(self) -> str:
        return f"<Store {self._backend.location}: 이미지 {len(self._manifests)}개, 이름 {len(self._names)}개>"

    def _repr_html_(self) -> str:
        return _store_html(self)


def _images_of(item: "Image | ImageIndex") -> "tuple[Image, ...]":
    return item.images if isinstance(item, ImageIndex) else (item,)


def _platform_entry(image: Image) -> Descriptor:
    """The image as an index entry, so one matcher decides for indexes and single images alike."""
    return image.manifest.descriptor.with_changes(platform=Platform.of_config(image.config_json))


def _shown(ref: "str | Reference | Digest") -> str:
    if isinstance(ref, Digest) or (isinstance(ref, str) and ref.startswith("sha256:")):
        return str(ref)
    return repr(parse_reference(ref).familiar)


def _store_html(store: Store) -> str:
    rows = [
        (display.Code(name), display.Code(digest.short), display.human_size(size))
        for name, digest, size in store._tag_rows()
    ]
    usage = store.usage()
    foot = (
        f"<p>이미지 {usage.images}개 · 이름(태그) {usage.tags}개 · 이미지별로 센 크기 "
        f"{display.human_size(usage.logical_bytes)} · "
        f"실제로 저장된 크기 {display.human_size(usage.stored_bytes)}</p>"
    )
    return f"<div><b>보관소 (Store)</b>{display.table(['이름', '다이제스트', '크기'], rows)}{foot}</div>"
