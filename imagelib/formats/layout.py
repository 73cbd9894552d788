"""OCI 이미지 레이아웃(image layout) 폴더: ``oci-layout``, ``index.json``, ``blobs/sha256/…``.

``il.Store(path)`` 가 이 폴더에 이미지를 저장합니다. skopeo(``oci:폴더:태그``)와
umoci(``--image 폴더:태그``)가 태그로 찾을 수 있도록, ``index.json`` 의 각 항목에는
도커 25 이상의 ``docker save`` 처럼 두 가지 이름표(annotation)를 붙입니다.

- ``io.containerd.image.name``: 전체 이름(예: ``docker.io/library/myapp:1.0``)
- ``org.opencontainers.image.ref.name``: 태그(예: ``1.0``). 같은 태그를 여러 저장소가 함께
  쓰면(``myapp:1.0`` 과 ``other:1.0``) 태그만으로는 구별할 수 없으므로 그 항목들에는 전체
  이름을 적습니다. 그러면 ``oci:폴더:docker.io/library/myapp:1.0`` 처럼 정확히 고를 수 있고,
  모호한 ``oci:폴더:1.0`` 은 아무것도 고르지 않습니다.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from ..blob import Blob
from ..digest import Digest, Hasher, verify
from ..errors import (
    ImageFormatError,
    ImageLibError,
    InvalidDigestError,
    InvalidReferenceError,
    UnsupportedError,
)
from ..image import DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST, Image
from ..limits import DEFAULT_LIMITS, Limits
from ..reference import parse_reference
from ..streams import HashingWriter, copy
from .atomic import FolderLock, atomic_file, is_temp_name, write_atomic

OCI_LAYOUT_FILE = "oci-layout"
INDEX_FILE = "index.json"
BLOBS_DIR = "blobs"
LAYOUT_VERSION = "1.0.0"
REF_NAME = "org.opencontainers.image.ref.name"
IMAGE_NAME = "io.containerd.image.name"
MANIFEST_TYPES = (OCI_MANIFEST, DOCKER_MANIFEST)
INDEX_TYPES = (OCI_INDEX, DOCKER_MANIFEST_LIST)
_PLATFORM_KEYS = ("architecture", "os", "os.version", "os.features", "variant")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def dump_json(doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def layout_file_bytes() -> bytes:
    return dump_json({"imageLayoutVersion": LAYOUT_VERSION})


def blob_path(root: str, digest: Digest) -> str:
    return os.path.join(root, BLOBS_DIR, digest.algorithm, digest.hex)


def blob_member(digest: Digest) -> str:
    """The POSIX path of a blob inside a layout (and inside archives)."""
    return f"{BLOBS_DIR}/{digest.algorithm}/{digest.hex}"


def platform_of(config_doc: Mapping) -> dict:
    """The ``platform`` object of a descriptor, taken from an image config."""
    return {key: config_doc[key] for key in _PLATFORM_KEYS if config_doc.get(key)}


def platform_text(platform: Mapping) -> str:
    if not isinstance(platform, Mapping):
        return ""
    parts = [value if isinstance(value, str) else "" for value in
             (platform.get("os", ""), platform.get("architecture", ""), platform.get("variant"))]
    if not parts[2]:
        parts.pop()
    return "/".join(parts) if any(parts) else ""


@dataclass(frozen=True)
class IndexItem:
    """One image manifest to list in ``index.json`` together with all its names."""

    digest: Digest
    size: int
    media_type: str
    platform: Mapping
    names: "tuple[str, ...]" = field(default=())


def ref_names(names: Iterable[str]) -> "dict[str, str]":
    """Full name -> ``org.opencontainers.image.ref.name``: the tag, or the full name when shared."""
    refs = {name: parse_reference(name) for name in names}
    per_tag = Counter(ref.tag for ref in refs.values())
    return {name: (ref.tag if per_tag[ref.tag] == 1 else str(ref)) for name, ref in refs.items()}


def descriptor(item: IndexItem, name: "str | None" = None, ref_name: "str | None" = None) -> dict:
    doc: dict = {"mediaType": item.media_type, "digest": str(item.digest), "size": item.size}
    if name is not None:
        doc["annotations"] = {IMAGE_NAME: name, REF_NAME: ref_name or parse_reference(name).tag}
    if item.platform:
        doc["platform"] = dict(item.platform)
    return doc


def index_bytes(items: Iterable[IndexItem], extra: Iterable[dict] = ()) -> bytes:
    """``index.json`` listing every (image, name) pair; images without a name are listed once, bare."""
    items = list(items)
    refs = ref_names(name for item in items for name in item.names)
    manifests = []
    for item in items:
        if not item.names:
            manifests.append(descriptor(item))
        for name in sorted(item.names):
            manifests.append(descriptor(item, name, refs[name]))
    manifests.extend(extra)
    return dump_json({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": manifests})


def load_json(data: bytes, what: str) -> object:
    try:
        return json.loads(data)
    except RecursionError:
        raise ImageFormatError(f"{what}의 JSON이 너무 깊이 겹쳐 있어 읽지 않습니다.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ImageFormatError(f"{what}을(를) JSON으로 읽을 수 없습니다({error}).") from None



def index_manifests(data: bytes, what: str) -> "list[dict]":
    """The descriptors listed in an ``index.json`` (``"manifests": null`` counts as none)."""
    doc = load_json(data, what)
    if not isinstance(doc, dict):
        raise ImageFormatError(f"{what}은(는) JSON 객체여야 합니다.")
    manifests = doc.get("manifests") or []
    if not isinstance(manifests, list):
        raise ImageFormatError(f"{what}: manifests가 목록이 아닙니다.")
    return manifests

def repository_from_folder(folder: str) -> str:
    """A repository name for images a layout names only by tag: the folder's own name, cleaned."""
    name = re.sub(r"[^a-z0-9._-]+", "-", os.path.basename(os.path.normpath(folder)).lower())
    name = name.strip("._-")
    try:
        parse_reference(name)
        return name
    except InvalidReferenceError:
        return "image"


def parse_descriptor(doc: object, where: str) -> "tuple[Digest, int | None, str]":
    """(digest, size, mediaType) of a descriptor, or ImageFormatError naming ``where``."""
    if not isinstance(doc, dict):
        raise ImageFormatError(f"{where}의 디스크립터(descriptor)가 JSON 객체가 아닙니다: {doc!r}")
    try:
        digest = Digest.parse(doc.get("digest", ""))
    except InvalidDigestError as error:
        raise ImageFormatError(f"{where}: {error}") from None
    size = doc.get("size")
    if size is not None and (not isinstance(size, int) or size < 0):
        raise ImageFormatError(f"{where}: 블롭 {digest}의 size {size!r}가 잘못되었습니다.")
    return digest, size, doc.get("mediaType") or ""


def names_in_descriptor(doc: Mapping, default_repository: "str | None") -> "tuple[str | None, bool]":
    """(full normalized name or None, whether the annotations could be understood).

    ``org.opencontainers.image.ref.name`` decides, because skopeo and umoci address images by
    it (and umoci copies the other annotations when it makes a new tag). A bare tag takes the
    repository of ``io.containerd.image.name``, else ``default_repository``.
    """
    annotations = doc.get("annotations") or {}
    if not isinstance(annotations, dict):
        return None, False
    full, ref_name = annotations.get(IMAGE_NAME), annotations.get(REF_NAME)
    if not full and not ref_name:
        return None, True
    if not isinstance(full or "", str) or not isinstance(ref_name or "", str):
        return None, False
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
            "매니페스트에는 레이어가 적어도 하나 있어야 하고 docker save도 거부합니다. 레이어를 더하세요.")


def _is_real_file(path: str) -> bool:
    return os.path.isfile(path) and not os.path.islink(path)


class LayoutBackend:
    """Blobs and names of a ``Store`` kept in an OCI image layout folder."""

    def __init__(self, path: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.root = os.path.abspath(path)
        self.limits = limits
        self.index: "dict[str, Digest]" = {}
        self.manifests: "list[Digest]" = []
        self._foreign: "list[dict]" = []  # index entries imagelib keeps as they were
        self._info: "dict[Digest, IndexItem]" = {}
        self._lock = FolderLock(self.root)
        if not os.path.exists(self.root):
            self._create()
        elif not os.path.isdir(self.root):
            raise ImageLibError(
                f"{self._name!r}은(는) 폴더가 아니라 파일입니다. 저장소로 쓸 폴더 경로를 주세요.")
        elif os.path.exists(os.path.join(self.root, OCI_LAYOUT_FILE)):
            self._read()
        elif not [name for name in os.listdir(self.root) if not is_temp_name(name)]:
            self._create()  # empty, or a creation that was cut short before oci-layout was written
        else:
            raise ImageLibError(
                f"폴더 {self._name!r}에 다른 파일이 있지만 OCI 이미지 레이아웃(oci-layout 파일)이 아닙니다. "
                "빈 폴더나 새 폴더를 주세요. docker save로 만든 파일은 il.open(경로)로 여세요.")

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
            if not os.path.exists(layout_file):
                write_atomic(layout_file, layout_file_bytes())
        self._read()

    def _read(self) -> None:
        layout = load_json(self._read_small(OCI_LAYOUT_FILE), f"{self._name}/{OCI_LAYOUT_FILE}")
        version = layout.get("imageLayoutVersion") if isinstance(layout, dict) else None
        if version != LAYOUT_VERSION:
            raise ImageFormatError(
                f"{self._name}/{OCI_LAYOUT_FILE}의 imageLayoutVersion이 {version!r}입니다. "
                f"imagelib는 {LAYOUT_VERSION!r}만 읽을 수 있습니다.")
        for folder in (BLOBS_DIR, f"{BLOBS_DIR}/sha256"):
            if os.path.islink(os.path.join(self.root, folder)):
                raise ImageFormatError(
                    f"{self._name}/{folder}이(가) 심볼릭 링크입니다. 저장소 폴더 밖에 쓰고 지우게 되므로 "
                    "열지 않습니다.")
        os.makedirs(os.path.join(self.root, BLOBS_DIR, "sha256"), exist_ok=True)
        index_file = os.path.join(self.root, INDEX_FILE)
        if not os.path.exists(index_file):
            with self.locked():
                if not os.path.exists(index_file):
                    write_atomic(index_file, index_bytes([]))
        self.reload()

    def reload(self) -> None:
        """Read index.json again (another process may have changed it)."""
        self.index, self.manifests, self._foreign = self._load_index()

    def _load_index(self) -> "tuple[dict[str, Digest], list[Digest], list[dict]]":
        entries = index_manifests(self._read_small(INDEX_FILE), f"{self._name}/{INDEX_FILE}")
        index: "dict[str, Digest]" = {}
        manifests: "list[Digest]" = []
        foreign: "list[dict]" = []
        default_repository = repository_from_folder(self.root)
        for entry in entries:
            found = self._read_entry(entry, default_repository)
            if found is None:
                foreign.append(entry)
                continue
            digest, name = found
            if digest not in manifests:
                manifests.append(digest)
            if name is not None:
                index[name] = digest
        return index, manifests, foreign

    def _read_entry(self, entry: object, default_repository: str) -> "tuple[Digest, str | None] | None":
        """(manifest digest, name) of an index entry imagelib manages, None for others."""
        digest, _, media_type = parse_descriptor(entry, f"{self._name}/{INDEX_FILE}의 manifests 항목")
        name, understood = names_in_descriptor(entry, default_repository)
        if media_type not in MANIFEST_TYPES or not understood:
            return None
        return digest, name

    def _read_small(self, name: str) -> bytes:
        path = os.path.join(self.root, name)
        try:
            self.limits.check_json_size(os.path.getsize(path), f"{self._name}/{name}")
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as error:
            raise ImageFormatError(f"{self._name}/{name}을(를) 읽을 수 없습니다({error.strerror}).") from None

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
                copy(source, hashing)
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
        return [Digest("sha256", name) for name in names
                if _HEX64.match(name) and _is_real_file(os.path.join(folder, name))]

    # -- the index ------------------------------------------------------------------------

    def save_index(self, index: "dict[str, Digest]", manifests: "list[Digest]") -> None:
        """Write index.json with this store's changes merged into what is on disk now.

        Under the folder lock, index.json is read again and only the names and manifests this
        store changed since it last read or wrote the index are applied, so two processes
        writing one store lose nothing. The result becomes ``self.index`` / ``self.manifests``.
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
            merged_manifests = [d for d in disk_manifests if d not in dropped or d in kept]
            merged_manifests += [d for d in manifests if d not in merged_manifests]
            self._write_index(merged, merged_manifests)
            self.index, self.manifests = merged, merged_manifests

    def _write_index(self, index: "dict[str, Digest]", manifests: "list[Digest]") -> None:
        foreign_digests = {entry.get("digest") for entry in self._foreign}
        items = []
        for digest in manifests:
            names = tuple(sorted(name for name, target in index.items() if target == digest))
            if not names and digest in foreign_digests:
                continue
            base = self._item(digest)
            items.append(IndexItem(base.digest, base.size, base.media_type, base.platform, names))
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

    def _item(self, digest: Digest) -> IndexItem:
        if digest not in self._info:
            manifest_bytes = self._blob_bytes(digest, "매니페스트")
            manifest = load_json(manifest_bytes, f"매니페스트 {digest}")
            media_type = manifest.get("mediaType") or OCI_MANIFEST
            config_digest = Digest.parse((manifest.get("config") or {}).get("digest", ""))
            config = load_json(self._blob_bytes(config_digest, "이미지 설정"), f"이미지 설정 {config_digest}")
            self._info[digest] = IndexItem(digest, len(manifest_bytes), media_type,
                                           platform_of(config if isinstance(config, dict) else {}))
        return self._info[digest]

    def _blob_bytes(self, digest: Digest, what: str) -> bytes:
        blob = self.get_blob(digest)
        if blob is None:
            raise ImageFormatError(f"{self.location}에 {what} 블롭 {digest}가 없습니다.")
        return blob.read()

    def pinned_blobs(self) -> "set[Digest]":
        """Blobs reachable from index entries imagelib does not manage (gc must keep them)."""
        pinned: "set[Digest]" = set()
        for entry in self._foreign:
            pinned.update(self._reachable(entry, depth=0))
        return pinned

    def _reachable(self, entry: Mapping, depth: int) -> Iterator[Digest]:
        try:
            digest = Digest.parse(entry.get("digest", ""))
        except InvalidDigestError:
            return
        yield digest
        media_type = entry.get("mediaType")
        blob = self.get_blob(digest)
        if blob is None or depth > 8 or media_type not in MANIFEST_TYPES + INDEX_TYPES:
            return
        try:
            doc = json.loads(blob.read())
        except (ValueError, UnicodeDecodeError):
            return
        children = list(doc.get("manifests") or []) if media_type in INDEX_TYPES else (
            [doc.get("config") or {}] + list(doc.get("layers") or []))
        for child in children:
            if isinstance(child, dict):
                yield from self._reachable(child, depth + 1)
