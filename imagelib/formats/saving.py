"""``il.save``: an image (or a whole store) as an OCI layout folder, OCI archive or docker-archive.

Archives are deterministic tars (sorted members, fixed times, numeric owners): the same
images give the same bytes. A docker-archive is what Docker 25+ ``docker save`` writes: the
OCI layout plus ``manifest.json`` (Config, RepoTags, Layers), which every ``docker load``
since Docker 1.10 reads. For an image index that is containerd's exporter with every platform
and the saving platform preferred: all platforms' blobs, and ``manifest.json`` naming the one
image of the saving platform.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from typing import BinaryIO, TypeAlias

from ..blob import Blob
from ..digest import Digest
from ..entries import Content, Dir, Entry, File
from ..errors import ImageLibError, UnsupportedError
from ..image import Image
from ..imageindex import ImageIndex
from ..oci import DEFAULT_PLATFORM, Platform, best_match, dump_json
from ..reference import Reference, parse_reference, tag_name
from ..store import Store
from ..store.atomic import TEMP_PREFIX, atomic_file
from ..store.disk import writing
from ..store.layout import (
    BLOBS_DIR,
    INDEX_FILE,
    OCI_LAYOUT_FILE,
    IndexItem,
    blob_member,
    image_descriptor,
    index_bytes,
    layout_file_bytes,
    require_layers,
)
from ..tario import write_tar
from .docker import MANIFEST_FILE

FORMATS = ("oci", "oci-archive", "docker-archive")
Named: TypeAlias = "tuple[Image | ImageIndex, tuple[str, ...]]"


def save(
    img_or_store: "Image | ImageIndex | Store",
    path: "str | os.PathLike[str]",
    format: str = "oci",
    ref: "str | Reference | Sequence[str] | None" = None,
    platform: "str | Platform | None" = None,
) -> None:
    """이미지(또는 보관소의 이미지들)를 파일로 저장합니다.

    - ``format="oci"``: OCI 이미지 레이아웃 폴더(``skopeo … oci:폴더:태그``, ``umoci``)
    - ``format="oci-archive"``: 그 폴더를 tar 하나로(``skopeo … oci-archive:파일``)
    - ``format="docker-archive"``: ``docker load -i 파일`` 로 읽을 수 있는 tar(도커 25+ 형식)

    ``ref`` 는 붙일 이름(예: ``"myapp:1.0"``, 여러 개면 목록)입니다. 보관소를 저장할 때 ``ref`` 를
    주면 그 이름의 이미지만, 주지 않으면 모든 이미지를 모든 이름과 함께 저장합니다. 보관소에 든
    이미지 인덱스는 인덱스 그대로 저장합니다(``"docker-archive"`` 의 ``manifest.json`` 에는 아래처럼
    linux/amd64 이미지 하나를 적습니다).
    tar는 같은 이미지면 언제나 같은 바이트가 되도록(재현 가능하게) 씁니다.

    이미지 인덱스(``il.ImageIndex``)는 ``index.json`` → 인덱스 블롭 → 플랫폼별 매니페스트 → 설정과
    레이어 모양으로 저장합니다(``skopeo copy --all`` 과 같은 모양). ``"oci"`` 폴더는 새 폴더(또는 빈
    폴더)여야 합니다. ``"docker-archive"`` 는 containerd 이미지 저장소를 쓰는 도커 25+의 ``docker save``
    처럼 모든 플랫폼을 담고, 예전 ``docker load`` 가 읽는 ``manifest.json`` 에는 저장하는 기계의
    플랫폼 이미지 하나만 적습니다. 그 플랫폼이 ``platform`` 입니다(기본 ``linux/amd64``; 기본
    플랫폼이 인덱스에 없으면 도커처럼 인덱스의 첫 이미지). ``platform`` 은 이 경우에만 씁니다.
    ``docker save --platform`` 과는 다릅니다: 그것은 그 플랫폼 하나만 저장하며, imagelib에서는
    ``il.save(index.image(플랫폼), 경로, format="docker-archive")`` 입니다.
    """
    if format not in FORMATS:
        raise UnsupportedError(f"저장 형식 {format!r}은(는) 모릅니다. {', '.join(map(repr, FORMATS))} 중에서 고르세요.")
    if platform is not None and not (isinstance(img_or_store, ImageIndex) and format == "docker-archive"):
        raise UnsupportedError(
            f"platform={str(platform)!r}은(는) 이미지 인덱스를 docker-archive로 저장할 때만 씁니다: "
            "manifest.json에 적을 플랫폼입니다. 이미지 하나를 고르려면 index.image(플랫폼)을 쓰세요."
        )
    if isinstance(img_or_store, ImageIndex):
        _save_index(img_or_store, os.fspath(path), format, ref, platform)
        return
    named = _named_images(img_or_store, ref)
    for item, _ in named:
        for image in _images_of(item):
            require_layers(image)
    path = os.fspath(path)
    with writing(repr(path)):  # a full or read-only disk: a Korean DiskError, nothing half-written
        if format == "oci":
            _save_layout(named, path)
            return
        _check_archive_path(path, format)
        with atomic_file(path) as out:
            write_archive(named, out, docker=format == "docker-archive")


def _save_index(
    index: ImageIndex,
    path: str,
    format: str,
    ref: "str | Reference | Sequence[str] | None",
    platform: "str | Platform | None",
) -> None:
    refs: "list[str | Reference]" = [] if ref is None else [ref] if isinstance(ref, (str, Reference)) else list(ref)
    names = tuple(tag_name(r) for r in refs)
    for image in index.images:
        require_layers(image)
    entries = index_layout_entries(index, names)
    if format == "docker-archive":
        chosen = saving_platform_image(index, platform)
        entries.append(File(docker_manifest_json([(chosen, names)]), path=MANIFEST_FILE))
    with writing(repr(path)):
        if format == "oci":
            _write_new_folder(entries, path)
            return
        _check_archive_path(path, format)
        with atomic_file(path) as out:
            write_tar(entries, out)


def index_layout_entries(index: ImageIndex, names: "tuple[str, ...]") -> "list[Entry]":
    """An OCI layout holding one image index: index.json -> the index blob -> manifests -> blobs."""
    members: "dict[str, Entry]" = {}
    for image in index.images:
        for position, layer in enumerate(image.layers):
            _add_blob(members, layer.digest, _LayerContent(image, position))
        _add_blob(members, image.id, Blob.from_bytes(image.config_bytes))
        _add_blob(members, image.digest, Blob.from_bytes(image.manifest_bytes))
    _add_blob(members, index.digest, Blob.from_bytes(index.data))
    files = {OCI_LAYOUT_FILE: layout_file_bytes(), INDEX_FILE: index_bytes([IndexItem(index.descriptor, names)])}
    entries = [Dir(path=BLOBS_DIR), Dir(path=f"{BLOBS_DIR}/sha256")] + list(members.values())
    return entries + [File(data, path=name) for name, data in files.items()]


def saving_platform_image(index: ImageIndex, platform: "str | Platform | None") -> Image:
    """The image ``manifest.json`` names, as containerd's exporter picks it for ``docker save``.

    Docker exports every platform and prefers its own: the entries sort with the saving
    platform's first and otherwise keep their order, so without a match the first entry wins.
    A platform asked for by name must be in the index.
    """
    if platform is not None:
        return index.image(platform)
    entry = best_match(index.index.images(), DEFAULT_PLATFORM)
    return index.image(DEFAULT_PLATFORM) if entry is not None else index.images[0]


def _write_new_folder(entries: "list[Entry]", path: str) -> None:
    """Write the layout into a new folder that appears only when complete."""
    if os.path.lexists(path) and not (os.path.isdir(path) and not os.listdir(path)):
        raise UnsupportedError(
            f"{os.path.basename(path)!r}에 이미 파일이 있습니다. 이미지 인덱스는 새 폴더(또는 빈 폴더)에 저장합니다."
        )
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    temp = tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=parent)
    try:
        for entry in entries:
            target = os.path.join(temp, *entry.path.split("/"))
            if isinstance(entry, Dir):
                os.makedirs(target, exist_ok=True)
            elif isinstance(entry, File):
                with open(target, "wb") as out:
                    _copy_content(entry, out)
        os.chmod(temp, 0o777 & ~_umask())
        if os.path.isdir(path):
            os.rmdir(path)
        os.rename(temp, path)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _copy_content(entry: File, out: BinaryIO) -> None:
    data = entry.data
    if isinstance(data, bytes):
        out.write(data)
        return
    assert not isinstance(data, str)
    with data.open() as source:
        shutil.copyfileobj(source, out, 1 << 20)


def _check_archive_path(path: str, format: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ImageLibError(f"{os.path.basename(path)!r}을(를) 저장할 폴더가 없습니다. 폴더를 먼저 만드세요.")
    if os.path.isdir(path):
        raise ImageLibError(f"{os.path.basename(path)!r}은(는) 폴더입니다. {format} 형식은 tar 파일 경로를 주세요.")


def _named_images(img_or_store: "Image | Store", ref: "str | Reference | Sequence[str] | None") -> "list[Named]":
    refs: "list[str | Reference]" = [] if ref is None else [ref] if isinstance(ref, (str, Reference)) else list(ref)
    if isinstance(img_or_store, Image):
        return [(img_or_store, tuple(tag_name(r) for r in refs))]
    if not isinstance(img_or_store, Store):
        raise ImageLibError(
            f"il.save에는 il.Image나 il.Store가 필요합니다({type(img_or_store).__name__}를 받았습니다)."
        )
    store = img_or_store
    if not refs:
        return [(_stored(store, record.digest), tuple(tag_name(n) for n in record.names)) for record in store.images()]
    chosen: "dict[Digest, list[str]]" = {}
    for wanted in refs:
        digest = store.resolve(wanted)
        names = chosen.setdefault(digest, [])
        by_digest = isinstance(wanted, str) and wanted.startswith("sha256:")
        if not by_digest and parse_reference(wanted).digest is None:
            names.append(tag_name(wanted))
    return [(_stored(store, digest), tuple(dict.fromkeys(names))) for digest, names in chosen.items()]


def _stored(store: Store, digest: Digest) -> "Image | ImageIndex":
    """What the store holds under ``digest``: an image index as a whole, or the image."""
    return store.get_index(digest) if store._is_index(digest) else store.get(digest)


def _images_of(item: "Image | ImageIndex") -> "tuple[Image, ...]":
    return item.images if isinstance(item, ImageIndex) else (item,)


def _save_layout(named: "list[Named]", path: str) -> None:
    """Add the images to the layout at ``path``; a new folder appears only when complete."""
    if not os.path.lexists(path):
        _save_new_layout(named, path)
        return
    was_empty = os.path.isdir(path) and not os.listdir(path)
    try:
        Store(path)._put_all(named)  # all images and names, or none of them
    except BaseException:
        if was_empty:
            _empty_folder(path)
        raise


def _save_new_layout(named: "list[Named]", path: str) -> None:
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    temp = tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=parent)
    try:
        Store(temp)._put_all(named)
        os.chmod(temp, 0o777 & ~_umask())  # mkdtemp made it private; a new folder is made as usual
        os.rename(temp, path)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _empty_folder(path: str) -> None:
    for name in os.listdir(path):
        member = os.path.join(path, name)
        if os.path.isdir(member) and not os.path.islink(member):
            shutil.rmtree(member, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.remove(member)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class _LayerContent:
    """A layer's stored bytes as the content of a tar member."""

    def __init__(self, image: Image, index: int) -> None:
        self._layer = image.layers[index]
        self.size = self._layer.size

    def open(self) -> BinaryIO:
        return self._layer.open_blob()


def write_archive(named: "list[Named]", out: BinaryIO, docker: bool) -> None:
    """Write an OCI layout (plus Docker's manifest.json if ``docker``) as one tar stream."""
    members: "dict[str, Entry]" = {}
    items = []
    for item, names in named:
        for image in _images_of(item):
            for index, layer in enumerate(image.layers):
                _add_blob(members, layer.digest, _LayerContent(image, index))
            _add_blob(members, image.id, Blob.from_bytes(image.config_bytes))
            _add_blob(members, image.digest, Blob.from_bytes(image.manifest_bytes))
        if isinstance(item, ImageIndex):
            _add_blob(members, item.digest, Blob.from_bytes(item.data))
            items.append(IndexItem(item.descriptor, names))
        else:
            items.append(IndexItem(image_descriptor(item.manifest, item.config_bytes), names))
    files = {OCI_LAYOUT_FILE: layout_file_bytes(), INDEX_FILE: index_bytes(items)}
    if docker:
        files[MANIFEST_FILE] = docker_manifest_json(_loaded_images(named))
    entries = [Dir(path=BLOBS_DIR), Dir(path=f"{BLOBS_DIR}/sha256")] + list(members.values())
    entries += [File(data, path=name) for name, data in files.items()]
    write_tar(entries, out)


def _loaded_images(named: "list[Named]") -> "list[tuple[Image, tuple[str, ...]]]":
    """What manifest.json lists: each image once with all its names, an index as its saving platform's image."""
    loaded: "dict[Digest, tuple[Image, tuple[str, ...]]]" = {}
    for item, names in named:
        image = saving_platform_image(item, None) if isinstance(item, ImageIndex) else item
        _, known = loaded.get(image.digest, (image, ()))
        loaded[image.digest] = (image, tuple(dict.fromkeys(known + names)))
    return list(loaded.values())


def _add_blob(members: "dict[str, Entry]", digest: Digest, content: Content) -> None:
    name = blob_member(digest)
    if name not in members:
        members[name] = File(content, path=name)


def docker_manifest_json(named: "Iterable[tuple[Image, tuple[str, ...]]]") -> bytes:
    """Docker's ``manifest.json``: one entry per image with its config, tags and layer files."""
    doc = []
    for image, names in named:
        doc.append(
            {
                "Config": blob_member(image.id),
                "RepoTags": [parse_reference(name).familiar for name in names] or None,
                "Layers": [blob_member(layer.digest) for layer in image.layers],
            }
        )
    return dump_json(doc) + b"\n"
