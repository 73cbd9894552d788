"""OCI 이미지 레이아웃(image layout) 폴더: ``oci-layout``, ``index.json``, ``blobs/sha256/…``.

``il.Store(path)`` 가 이 폴더에 이미지를 저장합니다. skopeo(``oci:폴더:태그``)와
umoci(``--image 폴더:태그``)가 태그로 찾을 수 있도록, ``index.json`` 의 각 항목에는
도커 25 이상의 ``docker save`` 처럼 두 가지 이름표(annotation)를 붙입니다.

- ``io.containerd.image.name``: 전체 이름(예: ``docker.io/library/myapp:1.0``)
- ``org.opencontainers.image.ref.name``: 태그(예: ``1.0``). 같은 태그를 여러 저장소가 함께
  쓰면(``myapp:1.0`` 과 ``other:1.0``) 태그만으로는 구별할 수 없으므로 그 항목들에는 전체
  이름을 적습니다. 그러면 ``oci:폴더:docker.io/library/myapp:1.0`` 처럼 정확히 고를 수 있고,
  모호한 ``oci:폴더:1.0`` 은 아무것도 고르지 않습니다.

이미지 인덱스도 같은 이름표를 달고 인덱스 미디어 타입으로 ``index.json`` 에 적습니다(``skopeo copy
--all`` 이 만드는 모양). 인덱스 블롭이 플랫폼별 매니페스트를 가리킵니다.
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, cast

from ..blob import Blob
from ..digest import Digest, Hasher, verify
from ..errors import ImageFormatError, ImageLibError, InvalidReferenceError, UnsupportedError
from ..image import Image
from ..limits import DEFAULT_LIMITS, Limits
from ..oci import (
    IMAGE_NAME,
    REF_NAME,
    Descriptor,
    Index,
    Manifest,
    Platform,
    dump_json,
    is_index,
    is_manifest,
    load_json,
    parse_document,
)
from ..reference import parse_reference
from ..streams import HashingWriter, copy, read_up_to
from .atomic import FolderLock, atomic_file, is_temp_name, write_atomic

OCI_LAYOUT_FILE = "oci-layout"
INDEX_FILE = "index.json"
BLOBS_DIR = "blobs"
LAYOUT_VERSION = "1.0.0"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def layout_file_bytes() -> bytes:
    return dump_json({"imageLayoutVersion": LAYOUT_VERSION})


def blob_path(root: str, digest: Digest) -> str:
    return os.path.join(root, BLOBS_DIR, digest.algorithm, digest.hex)


def blob_member(digest: Digest) -> str:
    """The POSIX path of a blob inside a layout (and inside archives)."""
    return f"{BLOBS_DIR}/{digest.algorithm}/{digest.hex}"


@dataclass(frozen=True)
class IndexItem:
    """One image manifest or image index to list in ``index.json`` together with all its names."""

    descriptor: Descriptor
    names: "tuple[str, ...]" = field(default=())


def image_descriptor(manifest: Manifest, config_bytes: bytes) -> Descriptor:
    """The index entry of an image: its manifest, with the platform its config states."""
    config = load_json(config_bytes, f"이미지 설정 {manifest.config.digest}")
    platform = Platform.of_config(config if isinstance(config, dict) else {})
    return manifest.descriptor.with_changes(platform=platform if str(platform) else None)


def ref_names(names: Iterable[str]) -> "dict[str, str]":
    """Full name -> ``org.opencontainers.image.ref.name``: the tag, or the full name when shared."""
    refs = {name: parse_reference(name) for name in names}
    per_tag = Counter(ref.tag for ref in refs.values())
    return {
        name: (ref.tag if ref.tag is not None and per_tag[ref.tag] == 1 else str(ref)) for name, ref in refs.items()
    }


def named(descriptor: Descriptor, name: str, ref_name: str) -> Descriptor:
    """The descriptor with the two name annotations skopeo, umoci and containerd look up."""
    return descriptor.with_changes(annotations={IMAGE_NAME: name, REF_NAME: ref_name})


def index_bytes(items: Iterable[IndexItem], extra: Iterable[Descriptor] = ()) -> bytes:
    """``index.json`` listing every (image, name) pair; images without a name are listed once, bare."""
    items = list(items)
    refs = ref_names(name for item in items for name in item.names)
    manifests = []
    for item in items:
        if not item.names:
            manifests.append(item.descriptor)
        for name in sorted(item.names):
            manifests.append(named(item.descriptor, name, refs[name]))
    manifests.extend(extra)
    return Index.build(manifests).data


def repository_from_folder(folder: str) -> str:
    """A repository name for images a layout names only by tag: the folder's own name, cleaned."""
    name = re.sub(r"[^a-z0-9._-]+", "-", os.path.basename(os.path.normpath(folder)).lower())
    name = name.strip("._-")
    try:
        parse_reference(name)
        return name
    except InvalidReferenceError:
        return "image"


def names_in_descriptor(descriptor: Descriptor, default_repository: "str | None") -> "tuple[str | None, bool]":
    """(full normalized name or None, whether the annotations could be understood).

    ``org.opencontainers.image.ref.name`` decides, because skopeo and umoci address images by
    it (and umoci copies the other annotations when it makes a new tag). A bare tag takes the
    repository of ``io.containerd.image.name``, else ``default_repository``.
    """
    full, ref_name = descriptor.annotations.get(IMAGE_NAME) or "", descriptor.annotations.get(REF_NAME) or ""
    if not full and not ref_name:
        return None, True
    try:
        if not ref_name:
            reference = parse_reference(full)
        elif ":" in ref_name or "/" in ref_name:
            reference = parse_reference(ref_name)
        elif full:
            reference = parse_reference(full).with_tag(ref_name)
        elif default_repository is not None:
            reference = parse_reference(f"{default_repository}:{ref_name}")
        else:
            return None, True
    except InvalidReferenceError:
        return None, False
    if reference.digest is not None or reference.tag is None:
        return None, False
    return str(reference), True


def require_layers(image: Image) -> None:
    """OCI manifests need at least one layer (the schema says so; ``docker save`` refuses too)."""
    if not image.layers:
        raise UnsupportedError(
            "레이어가 하나도 없는 이미지(FROM scratch 그대로)는 파일로 저장할 수 없습니다. OCI 규격의 "
            "매니페스트에는 레이어가 적어도 하나 있어야 하고 docker save도 거부합니다. 레이어를 더하세요."
        )


_OPEN_UNTRUSTED = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_small_file(path: str, label: str, limits: Limits) -> bytes:
    """A small JSON file of a folder nobody vouches for: a regular file, at most ``max_json_bytes``.

    Opened without following a symlink and without waiting for a FIFO's writer, then checked
    with ``fstat``, so /dev/zero or a pipe in its place is refused at once instead of read forever.
    """
    try:
        handle = os.open(path, _OPEN_UNTRUSTED)
    except OSError as error:
        if os.path.islink(path):
            raise ImageFormatError(
                f"{label}이(가) 심볼릭 링크입니다. 보관소 폴더 밖의 파일을 읽게 되므로 열지 않습니다."
            ) from None
        raise ImageFormatError(f"{label}을(를) 읽을 수 없습니다({error.strerror}).") from None
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode):
        os.close(handle)
        raise ImageFormatError(
            f"{label}이(가) 보통 파일이 아니라 {_kind_of(info.st_mode)}입니다. 이미지 레이아웃의 파일이 "
            "아니므로 열지 않습니다."
        )
    with os.fdopen(handle, "rb", buffering=0) as stream:
        limits.check_json_size(info.st_size, label)
        data = read_up_to(stream, info.st_size + 1)  # one byte more tells if it grew meanwhile
        if len(data) > info.st_size:
            data += read_up_to(stream, limits.max_json_bytes + 1 - len(data))
            limits.check_json_size(len(data), label)
    return data


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "폴더"
    if stat.S_ISFIFO(mode):
        return "FIFO(이름 있는 파이프)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "장치 파일"
    if stat.S_ISSOCK(mode):
        return "소켓"
    return "특수 파일"


def _is_real_file(path: str) -> bool:
    return os.path.isfile(path) and not os.path.islink(path)


class LayoutBackend:
    """Blobs and names of a ``Store`` kept in an OCI image layout folder."""

    def __init__(self, path: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.root = os.path.abspath(path)
        self.limits = limits
        self.index: "dict[str, Digest]" = {}
        self.manifests: "list[Digest]" = []
        self._foreign: "list[Descriptor]" = []  # index entries imagelib keeps as they were
        self._info: "dict[Digest, Descriptor]" = {}
        self._listed: "dict[Digest, Descriptor]" = {}  # entries as index.json lists them, names aside
        self._lock = FolderLock(self.root)
        if not os.path.exists(self.root):
            self._create()
        elif not os.path.isdir(self.root):
            raise ImageLibError(f"{self._name!r}은(는) 폴더가 아니라 파일입니다. 보관소로 쓸 폴더 경로를 주세요.")
        elif os.path.lexists(os.path.join(self.root, OCI_LAYOUT_FILE)):
            self._read()
        elif not [name for name in os.listdir(self.root) if not is_temp_name(name)]:
            self._create()  # empty, or a creation that was cut short before oci-layout was written
        else:
            raise ImageLibError(
                f"폴더 {self._name!r}에 다른 파일이 있지만 OCI 이미지 레이아웃(oci-layout 파일)이 아닙니다. "
                "빈 폴더나 새 폴더를 주세요. docker save로 만든 파일은 il.open(경로)로 여세요."
            )

    @property
    def _name(self) -> str:
        return os.path.basename(self.root) or self.root

    @property
    def location(self) -> str:
        return f"OCI 이미지 레이아웃 폴더 {self._name!r}"

    def locked(self) -> "FolderLock":
        """Hold the store's lock: one writer at a time across processes (re-entrant)."""
        return self._lock

    # -- creating and reading the folder --------------------------------------------------

    def _create(self) -> None:
        # oci-layout first: a process killed after it leaves a layout _read() can complete.
        os.makedirs(self.root, exist_ok=True)
        with self.locked():
            layout_file = os.path.join(self.root, OCI_LAYOUT_FILE)
            if not os.path.lexists(layout_file):
                write_atomic(layout_file, layout_file_bytes())
        self._read()

    def _read(self) -> None:
        layout = load_json(self._read_small(OCI_LAYOUT_FILE), f"{self._name}/{OCI_LAYOUT_FILE}")
        version = layout.get("imageLayoutVersion") if isinstance(layout, dict) else None
        if version != LAYOUT_VERSION:
            raise ImageFormatError(
                f"{self._name}/{OCI_LAYOUT_FILE}의 imageLayoutVersion이 {version!r}입니다. "
                f"imagelib는 {LAYOUT_VERSION!r}만 읽을 수 있습니다."
            )
        for folder in (BLOBS_DIR, f"{BLOBS_DIR}/sha256"):
            if os.path.islink(os.path.join(self.root, folder)):
                raise ImageFormatError(
                    f"{self._name}/{folder}이(가) 심볼릭 링크입니다. 보관소 폴더 밖에 쓰고 지우게 되므로 열지 않습니다."
                )
        os.makedirs(os.path.join(self.root, BLOBS_DIR, "sha256"), exist_ok=True)
        index_file = os.path.join(self.root, INDEX_FILE)
        if not os.path.lexists(index_file):
            with self.locked():
                if not os.path.lexists(index_file):
                    write_atomic(index_file, index_bytes([]))
        self.reload()

    def reload(self) -> None:
        """Read index.json again (another process may have changed it)."""
        self.index, self.manifests, self._foreign = self._load_index()

    def _load_index(self) -> "tuple[dict[str, Digest], list[Digest], list[Descriptor]]":
        entries = Index.parse(self._read_small(INDEX_FILE), f"{self._name}/{INDEX_FILE}").manifests
        index: "dict[str, Digest]" = {}
        manifests: "dict[Digest, None]" = {}  # ordered, without repeats
        foreign: "list[Descriptor]" = []
        default_repository = repository_from_folder(self.root)
        for entry in entries:
            found = self._read_entry(entry, default_repository)
            if found is None:
                foreign.append(entry)
                continue
            digest, name = found
            self._listed[digest] = entry.with_changes(annotations={})
            manifests[digest] = None
            if name is not None:
                index[name] = digest
        return index, list(manifests), foreign

    @staticmethod
    def _read_entry(entry: Descriptor, default_repository: str) -> "tuple[Digest, str | None] | None":
        """(manifest or image index digest, name) of an index entry imagelib manages, None for others."""
        name, understood = names_in_descriptor(entry, default_repository)
        if not (is_manifest(entry.media_type) or is_index(entry.media_type)) or not understood:
            return None
        return entry.digest, name

    def _read_small(self, name: str) -> bytes:
        return read_small_file(os.path.join(self.root, name), f"{self._name}/{name}", self.limits)

    # -- blobs ----------------------------------------------------------------------------

    @staticmethod
    def check_image(image: Image) -> None:
        require_layers(image)

    def put_blob(self, blob: Blob) -> None:
        digest = blob.digest
        path = blob_path(self.root, digest)
        if _is_real_file(path):
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)  # a symlink in the way is replaced, not followed
        with atomic_file(path) as out:
            hashing = HashingWriter(out, Hasher())
            with blob.open() as source:
                copy(source, cast(BinaryIO, hashing))
            verify(hashing.hasher.digest(), hashing.hasher.size, digest, blob.size, f"블롭 {digest}")

    def get_blob(self, digest: Digest) -> "Blob | None":
        path = blob_path(self.root, digest)
        if not _is_real_file(path):
            return None  # a symlink planted in blobs/ is never followed
        return Blob.from_file(path)

    def delete_blob(self, digest: Digest) -> None:
        try:
            os.remove(blob_path(self.root, digest))
        except FileNotFoundError:
            pass

    def blob_digests(self) -> "list[Digest]":
        folder = os.path.join(self.root, BLOBS_DIR, "sha256")
        try:
            names = sorted(os.listdir(folder))
        except FileNotFoundError:
            return []
        return [
            Digest("sha256", name) for name in names if _HEX64.match(name) and _is_real_file(os.path.join(folder, name))
        ]

    # -- the index ------------------------------------------------------------------------

    def save_index(self, index: "dict[str, Digest]", manifests: "list[Digest]") -> None:
        """Write index.json with this store's changes merged into what is on disk now.

        Under the folder lock, index.json is read again and only the names and manifests this
        store changed since it last read or wrote the index are applied, so two processes
        writing one store lose nothing, and a manifest another process removed meanwhile is
        not listed again unless this store added it. The result becomes ``self.index`` /
        ``self.manifests``.
        """
        with self.locked():
            disk_index, disk_manifests, self._foreign = self._load_index()
            merged = dict(disk_index)
            for name, digest in self.index.items():
                if name not in index and merged.get(name) == digest:
                    del merged[name]  # this store removed the name
            merged.update({name: digest for name, digest in index.items() if self.index.get(name) != digest})
            dropped = set(self.manifests) - set(manifests)
            kept = set(merged.values())
            known = set(self.manifests)
            merged_manifests = [d for d in disk_manifests if d not in dropped or d in kept]
            listed = set(merged_manifests)
            for digest in [*(d for d in manifests if d not in known), *merged.values()]:
                if digest not in listed:  # added by this store, or named but not listed
                    merged_manifests.append(digest)
                    listed.add(digest)
            self._write_index(merged, merged_manifests)
            self.index, self.manifests = merged, merged_manifests

    def _write_index(self, index: "dict[str, Digest]", manifests: "list[Digest]") -> None:
        foreign_digests = {entry.digest for entry in self._foreign}
        names_of: "dict[Digest, list[str]]" = {}
        for name, target in index.items():
            names_of.setdefault(target, []).append(name)
        items = []
        for digest in manifests:
            names = tuple(sorted(names_of.get(digest, ())))
            if not names and digest in foreign_digests:
                continue
            items.append(IndexItem(self._descriptor(digest), names))
        write_atomic(os.path.join(self.root, INDEX_FILE), index_bytes(items, self._foreign))

    def remove_leftovers(self) -> "list[str]":
        """Delete temp files a killed writer left in blobs/ (call with the lock held)."""
        folder = os.path.join(self.root, BLOBS_DIR, "sha256")
        removed = []
        for name in os.listdir(folder) if os.path.isdir(folder) else []:
            if is_temp_name(name):
                try:
                    os.remove(os.path.join(folder, name))
                    removed.append(name)
                except OSError:
                    pass
        return removed

    def _descriptor(self, digest: Digest) -> Descriptor:
        if digest not in self._info:
            try:
                document = parse_document(self._blob_bytes(digest, "매니페스트"), f"매니페스트 {digest}", digest=digest)
                if isinstance(document, Index):
                    descriptor = document.descriptor  # an index names no one platform
                else:
                    config_bytes = self._blob_bytes(document.config.digest, "이미지 설정")
                    descriptor = image_descriptor(document, config_bytes)
            except ImageLibError:
                if digest in self._listed:
                    return self._listed[digest]  # a damaged entry stays as listed; verify() reports it
                raise
            self._info[digest] = descriptor
        return self._info[digest]

    def _blob_bytes(self, digest: Digest, what: str) -> bytes:
        blob = self.get_blob(digest)
        if blob is None:
            raise ImageFormatError(f"{self.location}에 {what} 블롭 {digest}가 없습니다.")
        self.limits.check_json_size(blob.size, f"{self.location}의 {what} 블롭 {digest}")
        return blob.read()

    def pinned_blobs(self) -> "set[Digest]":
        """Blobs reachable from index entries imagelib does not manage (gc must keep them)."""
        pinned: "set[Digest]" = set()
        for entry in self._foreign:
            pinned.update(self._reachable(entry, depth=0))
        return pinned

    def _reachable(self, entry: Descriptor, depth: int) -> Iterator[Digest]:
        yield entry.digest
        blob = self.get_blob(entry.digest)
        if blob is None or depth > 8 or not (is_manifest(entry.media_type) or is_index(entry.media_type)):
            return
        try:
            self.limits.check_json_size(blob.size, f"{self.location}의 블롭 {entry.digest}")
            if is_index(entry.media_type):
                children = Index.parse(blob.read(), f"이미지 인덱스 {entry.digest}").manifests
            else:
                manifest = Manifest.parse(blob.read(), f"매니페스트 {entry.digest}")
                children = (manifest.config,) + manifest.layers
        except ImageLibError:
            return  # a damaged document pins nothing more; gc keeps the entry's own blob
        for child in children:
            yield from self._reachable(child, depth + 1)
