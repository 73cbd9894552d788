"""``il.unpack_overlay``: an image laid out the way Docker's overlay2 storage driver keeps it,
and ``il.layer_from_upperdir``: a container's upper directory turned back into a layer.

overlay2 (moby's ``daemon/graphdriver/overlay2``) keeps one folder per layer holding only that
layer's own files in ``diff/``, a ``link`` file naming a short symlink in ``l/`` that points to
that ``diff/``, and, for every layer above the first, a ``lower`` file listing the short links of
all layers below (top first, ``:`` between them) and an empty ``work/``. A container gets one
more such folder whose ``diff/`` is the writable upper directory; the kernel's overlayfs merges
them at ``merged/``. Inside a ``diff/``, a deleted path is a 0/0 character device and a replaced
folder carries the ``trusted.overlay.opaque=y`` extended attribute: the kernel's own markers.

Differences from Docker, on purpose: folders are named by the layer's ChainID (Docker names
them by a random "cache id" and keeps ChainID -> cache id in ``image/overlay2/layerdb``), the
short links are derived from the ChainID instead of random, there is no ``<id>-init`` layer
(Docker puts ``/etc/hosts`` and friends there), owners are not set (as ``il.unpack``), and where
the machine refuses the kernel's markers (not root, or a file system without ``trusted.*``
attributes) the layer's own ``.wh.`` files are kept instead, which overlayfs does not understand.
"""

from __future__ import annotations

import base64
import errno
import html
import os
import stat
import subprocess
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from .. import display
from ..blob import Blob
from ..digest import Digest
from ..entries import OPAQUE_MARKER, WHITEOUT_PREFIX, Dir, Entry, File, Hardlink, Opaque, Symlink, Whiteout
from ..errors import ImageLibError, SkippedEntryWarning, UnpackError, UnsupportedError
from ..image import Image
from ..layer import Layer
from ..limits import Limits, resolve_limits
from ..tario import write_tar
from .unpack import (
    _check_limits,
    _Journal,
    _Options,
    _prepare,
    _set_dir_modes,
    _Target,
    _write_own_entries,
    delete_tree,
)

OPAQUE_XATTR = "trusted.overlay.opaque"
# Directories the kernel wrote with these cannot be told as a plain diff (Docker then compares
# folders instead: "naive diff"); imagelib refuses them.
UNREADABLE_XATTRS = ("trusted.overlay.redirect", "trusted.overlay.metacopy")
LINK_LENGTH = 26  # overlay2's idLength
CONTAINER = "container"
MARKERS_DEVICES = "devices"
MARKERS_FILES = "files"


@dataclass(frozen=True)
class OverlayLayer:
    """overlay2 폴더 하나: 레이어 하나(또는 컨테이너)의 자기 파일들(``diff/``)과 짧은 링크 이름."""

    chain_id: "Digest | None"  # None for the container's own folder
    diff_id: "Digest | None"
    folder: str
    link: str

    @property
    def diff(self) -> str:
        return os.path.join(self.folder, "diff")


@dataclass(frozen=True)
class OverlayLayout:
    """``il.unpack_overlay`` 가 만든 overlay2 모양의 폴더입니다.

    ``layers`` 는 이미지의 레이어 폴더들(아래부터), ``container`` 는 컨테이너의 쓰기 층
    (``upperdir`` = ``container/diff``, ``workdir`` = ``container/work``, ``merged`` =
    ``container/merged``)입니다. ``markers`` 는 삭제 표시를 어떻게 적었는지 알려 줍니다:
    ``"devices"`` 면 커널이 쓰는 그대로(0/0 문자 장치와 ``trusted.overlay.opaque`` 속성),
    ``"files"`` 면 이 컴퓨터가 허락하지 않아 레이어의 ``.wh.`` 파일을 그대로 두었습니다
    (이때는 overlayfs가 아래 파일을 가리지 못하므로 마운트하지 않습니다).
    ``print(layout)`` 은 이 층들을 겹치는 ``mount`` 명령을 보여 줍니다.
    """

    folder: str
    layers: "tuple[OverlayLayer, ...]"
    container: OverlayLayer
    markers: str

    @property
    def lowerdirs(self) -> "list[str]":
        """``lowerdir`` 에 들어가는 경로들: 맨 위 레이어부터(overlayfs가 원하는 순서), ``l/`` 의 짧은 링크로."""
        return [os.path.join(self.folder, "l", layer.link) for layer in reversed(self.layers)]

    @property
    def upperdir(self) -> str:
        return self.container.diff

    @property
    def workdir(self) -> str:
        return os.path.join(self.container.folder, "work")

    @property
    def merged(self) -> str:
        return os.path.join(self.container.folder, "merged")

    @property
    def mount_options(self) -> str:
        return f"lowerdir={':'.join(self.lowerdirs)},upperdir={self.upperdir},workdir={self.workdir}"

    @property
    def mount_command(self) -> str:
        """층들을 ``merged`` 에 겹쳐 보이게 하는 명령(관리자 권한의 리눅스에서)."""
        return f"mount -t overlay overlay -o {self.mount_options} {self.merged}"

    def __str__(self) -> str:
        return self.mount_command

    @contextmanager
    def mounted(self) -> Iterator[str]:
        """``with layout.mounted() as merged:`` 안에서 진짜로 마운트해 두고, 나올 때 꼭 해제합니다.

        리눅스의 관리자(root)이고 overlayfs를 쓸 수 있을 때만 됩니다. 아니면 왜 안 되는지
        한국어로 설명하는 UnsupportedError를 냅니다.
        """
        self._check_mountable()
        absolute = _absolute(self)
        _run(["mount", "-t", "overlay", "overlay", "-o", absolute.mount_options, absolute.merged], "마운트")
        try:
            yield self.merged
        finally:
            _run(["umount", absolute.merged], "마운트 해제")

    def commit(self, *, created_by: str = "", comment: str = "") -> Layer:
        """컨테이너의 쓰기 층(``upperdir``)을 새 레이어로 만듭니다(overlay2에서 ``docker commit`` 이 하는 일)."""
        return layer_from_upperdir(self.upperdir, created_by=created_by, comment=comment)

    def _check_mountable(self) -> None:
        if not sys.platform.startswith("linux"):
            raise UnsupportedError("overlay 마운트는 리눅스 커널의 기능이라 이 컴퓨터에서는 할 수 없습니다.")
        if os.geteuid() != 0:
            raise UnsupportedError("overlay 마운트는 관리자(root) 권한이 있어야 할 수 있습니다.")
        if self.markers != MARKERS_DEVICES:
            raise UnsupportedError(
                "이 폴더의 삭제 표시가 .wh. 파일로 남아 있어(markers='files') overlayfs가 아래 파일을 가리지 못합니다. "
                "마운트하지 않습니다."
            )

    def _repr_html_(self) -> str:
        rows = [
            (
                display.Code(os.path.basename(layer.folder)[:12]),
                display.Code(f"l/{layer.link}"),
                display.Code(layer.diff_id.short if layer.diff_id else "(쓰기 층)"),
            )
            for layer in (self.container, *reversed(self.layers))
        ]
        table = display.table(["폴더(ChainID)", "짧은 링크", "diff_id"], rows)
        return f"<div>{table}<pre>{html.escape(self.mount_command)}</pre></div>"


def unpack_overlay(
    image: Image,
    folder: "str | os.PathLike[str]",
    *,
    keep_setuid: bool = False,
    special_files: bool = False,
    limits: "Limits | None" = None,
) -> OverlayLayout:
    """이미지를 도커의 overlay2 저장 드라이버처럼 레이어마다 따로 폴더에 풉니다.

    레이어마다 ChainID 이름의 폴더를 만들고 그 레이어의 파일만 ``diff/`` 에 넣습니다(아래 레이어와
    합치지 않습니다). 짧은 링크 ``l/…``, 아래 층 목록 ``lower``, 빈 ``work/`` 도 overlay2처럼
    만들고, 컨테이너가 쓸 빈 ``container/diff``(upperdir)·``work``·``merged`` 를 더합니다.
    삭제 표시(화이트아웃)는 커널이 쓰는 0/0 문자 장치로, 불투명 디렉터리는 ``trusted.overlay.opaque``
    속성으로 적습니다. 관리자 권한이 없거나 파일 시스템이 그 속성을 받지 않으면 ``.wh.`` 파일로
    남기고 결과의 ``markers`` 에 ``"files"`` 라고 적습니다.

    도커와 다른 점: 도커는 폴더 이름을 무작위 ID로 짓고 ChainID와의 짝을 ``layerdb`` 에 따로 둡니다.
    ``/etc/hosts`` 같은 것을 담는 ``-init`` 층과 파일 소유자도 여기서는 만들지 않습니다.

    ``folder`` 는 없거나 비어 있어야 합니다. 폴더 밖을 가리키는 경로는 UnsafePathError로 거절하고,
    실패하면 쓰던 것을 모두 지워 폴더를 비워 둡니다. 나머지 인자는 ``il.unpack`` 과 같습니다.
    """
    if not isinstance(image, Image):
        raise ImageLibError(f"il.unpack_overlay에는 il.Image가 필요합니다({type(image).__name__}를 받았습니다).")
    if not image.layers:
        raise ImageLibError("레이어가 없는 이미지는 overlay로 겹칠 아래층이 없습니다. 레이어를 하나 이상 넣어 주세요.")
    limits = resolve_limits(limits)
    for index, layer in enumerate(image.layers):
        _check_limits(layer, index, limits)
    shown = os.fspath(folder)
    root = _prepare(shown)
    try:
        return _lay_out(image, root, shown, _Options(keep_setuid, special_files))
    except BaseException as error:
        for name in os.listdir(root):  # the folder was empty: leave it so
            delete_tree(os.path.join(root, name))
        if isinstance(error, OSError):
            raise UnpackError(
                f"overlay 폴더를 만들 수 없습니다({error.strerror or error}). 쓰던 것은 지웠습니다."
            ) from None
        if isinstance(error, ImageLibError):
            raise type(error)(f"{error} 쓰던 것은 모두 지워 폴더를 비워 두었습니다.") from None
        raise


def _lay_out(image: Image, root: str, shown: str, options: _Options) -> OverlayLayout:
    os.mkdir(os.path.join(root, "l"), 0o700)
    markers = _markers_this_machine_takes(root)
    layers: "list[OverlayLayer]" = []
    for index, (layer, chain_id) in enumerate(zip(image.layers, image.chain_ids, strict=True)):
        folder = _make_layer_folder(root, shown, chain_id.hex, layers)
        _write_diff(os.path.join(root, chain_id.hex, "diff"), layer, index, options, markers)
        layers.append(OverlayLayer(chain_id, layer.diff_id, *folder))
    container = OverlayLayer(None, None, *_make_layer_folder(root, shown, CONTAINER, layers))
    os.mkdir(os.path.join(root, CONTAINER, "merged"), 0o700)
    return OverlayLayout(shown, tuple(layers), container, markers)


def _make_layer_folder(root: str, shown: str, name: str, below: "list[OverlayLayer]") -> "tuple[str, str]":
    """One overlay2 layer folder: ``diff/``, ``link``, and ``lower`` + ``work/`` when layers lie below.

    Returns the folder (as the caller named it) and its short link name.
    """
    folder = os.path.join(root, name)
    # a layer's ChainID names it already; the container is named after the image it is on
    link = _link_name(f"{name} {below[-1].chain_id}" if name == CONTAINER else name)
    os.mkdir(folder, 0o710)
    os.mkdir(os.path.join(folder, "diff"), 0o755)
    try:
        os.symlink(os.path.join("..", name, "diff"), os.path.join(root, "l", link))
    except (OSError, NotImplementedError):
        if sys.platform.startswith("linux"):
            raise
        # Windows without the right to make symlinks: the links only serve a mount, which is Linux's
    _write_text(os.path.join(folder, "link"), link)
    if below:
        os.mkdir(os.path.join(folder, "work"), 0o700)
        _write_text(os.path.join(folder, "lower"), ":".join(f"l/{layer.link}" for layer in reversed(below)))
    return os.path.join(shown, name), link


def _link_name(seed: str) -> str:
    """A 26-letter name like overlay2's random ones, derived from ``seed`` so the layout is reproducible."""
    return base64.b32encode(Digest.of_bytes(seed.encode("ascii")).hex.encode("ascii")).decode("ascii")[:LINK_LENGTH]


def _write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as out:
        out.write(text)


def _markers_this_machine_takes(root: str) -> str:
    """``devices`` where a 0/0 character device and the opaque attribute can be written here."""
    probe = os.path.join(root, ".imagelib-probe")
    try:
        os.mknod(probe, stat.S_IFCHR, os.makedev(0, 0))
        os.unlink(probe)
        os.mkdir(probe, 0o700)
        try:
            os.setxattr(probe, OPAQUE_XATTR, b"y")
        finally:
            os.rmdir(probe)
    except (OSError, AttributeError):  # AttributeError: no mknod/setxattr on this system
        return MARKERS_FILES
    return MARKERS_DEVICES


def _write_diff(diff: str, layer: Layer, index: int, options: _Options, markers: str) -> None:
    """One layer's own entries into its empty ``diff/``, markers in the kernel's form or as ``.wh.`` files."""
    where = f"레이어 {index}({layer.digest.short})"
    dir_modes: "dict[str, int]" = {}
    journal = _Journal(diff)
    target = _Target(diff, journal, where, dir_modes)
    try:
        _write_own_entries(target, layer, options)
        for entry in layer.entries:
            if isinstance(entry, (Opaque, Whiteout)):
                _write_marker(target, entry, markers)
    except OSError as error:
        raise UnpackError(f"{where}을(를) 풀 수 없습니다({error.strerror or error}).") from None
    finally:
        journal.commit()
        _set_dir_modes(diff, dir_modes)


def _write_marker(target: _Target, entry: "Opaque | Whiteout", markers: str) -> None:
    if markers == MARKERS_FILES:
        path = target.place(entry.tar_name)
        if not os.path.lexists(path):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    elif isinstance(entry, Whiteout):
        path = target.place(entry.path)
        if not os.path.lexists(path):  # the layer's own entry at that path wins, as in il.unpack
            os.mknod(path, stat.S_IFCHR, os.makedev(0, 0))
    else:
        path = target.place(entry.path)
        if not os.path.lexists(path):
            os.mkdir(path, 0o755)
        os.setxattr(path, OPAQUE_XATTR, b"y", follow_symlinks=False)


# -- mounting -----------------------------------------------------------------------------------


def _absolute(layout: OverlayLayout) -> OverlayLayout:
    """The same layout with absolute paths, so that mounting does not depend on the current folder."""
    folder = os.path.abspath(layout.folder)

    def moved(layer: OverlayLayer) -> OverlayLayer:
        return OverlayLayer(
            layer.chain_id, layer.diff_id, os.path.join(folder, os.path.basename(layer.folder)), layer.link
        )

    return OverlayLayout(
        folder, tuple(moved(layer) for layer in layout.layers), moved(layout.container), layout.markers
    )


def _run(command: "list[str]", what: str) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise UnsupportedError(f"overlay {what} 명령 {command[0]!r}을(를) 실행할 수 없습니다({error}).") from None
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip() or f"종료 코드 {done.returncode}"
        raise UnsupportedError(f"이 컴퓨터에서 overlay {what}을(를) 할 수 없습니다({reason}).")


# -- upper directory -> layer -------------------------------------------------------------------


class _UpperFile:
    """A file of the upper directory, read when the layer tar is written."""

    def __init__(self, path: str, size: int) -> None:
        self.path, self.size = path, size

    def open(self) -> BinaryIO:
        return open(self.path, "rb")


def layer_from_upperdir(
    folder: "str | os.PathLike[str]", *, created_by: str = "", comment: str = "", limits: "Limits | None" = None
) -> Layer:
    """컨테이너의 쓰기 층(overlayfs의 upperdir) 폴더를 레이어로 만듭니다.

    overlay2에서 ``docker commit`` 이 하듯이 폴더를 그대로 tar로 묶되, 커널의 삭제 표시를 레이어의
    말로 바꿉니다: 0/0 문자 장치는 화이트아웃(``.wh.<이름>``), ``trusted.overlay.opaque=y`` 속성이 붙은
    폴더는 불투명 디렉터리(``.wh..wh..opq``)가 됩니다. 손으로 만든 ``.wh.`` 파일도 그대로 표시로 읽습니다.
    같은 폴더 내용이면 언제나 같은 다이제스트가 나옵니다(시각은 기록하지 않습니다).
    장치 파일과 FIFO는 레이어에 담지 않고 SkippedEntryWarning으로 알립니다. 폴더 이름 바꾸기를
    기록하는 ``redirect`` 속성처럼 폴더만 보고는 알 수 없는 것이 있으면 UnsupportedError를 냅니다.
    """
    root = os.fspath(folder)
    if not os.path.isdir(root) or os.path.islink(root):
        raise ImageLibError(f"{os.path.basename(root)!r}은(는) 폴더가 아닙니다. 컨테이너의 upperdir 폴더를 주세요.")
    entries = list(_upper_entries(root))
    size = sum(entry.size for entry in entries)
    blob = Blob.spool(lambda out: write_tar(entries, out), size_hint=size)
    return Layer.from_tar(blob, created_by=created_by, comment=comment, limits=limits)


def _upper_entries(root: str) -> Iterator[Entry]:
    """Entries of the upper directory, walked without recursion (deep trees)."""
    first_path: "dict[tuple[int, int], str]" = {}  # (device, inode) -> the path written as a file
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(os.path.join(root, relative) if relative else root) as found:
            items = sorted(found, key=lambda item: item.name)
        for item in items:
            path = f"{relative}/{item.name}" if relative else item.name
            info = item.stat(follow_symlinks=False)
            entry = _upper_entry(item.path, path, info, first_path)
            if entry is None:
                continue
            yield entry
            if isinstance(entry, Dir):
                pending.append(path)
                if _has_xattr(item.path, OPAQUE_XATTR, b"y"):
                    yield Opaque(path=path)


def _upper_entry(
    real: str, path: str, info: os.stat_result, first_path: "dict[tuple[int, int], str]"
) -> "Entry | None":
    mode, owner = stat.S_IMODE(info.st_mode), {"uid": info.st_uid, "gid": info.st_gid}
    name = os.path.basename(path)
    _refuse_what_a_plain_diff_cannot_tell(real, path, info)
    if stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(0, 0):
        return Whiteout(path=path, **owner)
    if stat.S_ISREG(info.st_mode) and name == OPAQUE_MARKER:
        return Opaque(path=os.path.dirname(path), **owner)
    if stat.S_ISREG(info.st_mode) and name.startswith(WHITEOUT_PREFIX):
        return Whiteout(path=_join(os.path.dirname(path), name[len(WHITEOUT_PREFIX) :]), **owner)
    if stat.S_ISDIR(info.st_mode):
        return Dir(path=path, mode=mode, **owner)
    if stat.S_ISLNK(info.st_mode):
        return Symlink(os.readlink(real), path=path, **owner)
    if stat.S_ISREG(info.st_mode):
        if info.st_nlink > 1:
            key = (info.st_dev, info.st_ino)
            if key in first_path:
                return Hardlink(first_path[key], path=path, mode=mode, **owner)
            first_path[key] = path
        return File(_UpperFile(real, info.st_size), path=path, mode=mode, **owner)
    warnings.warn(
        f"upperdir의 {path!r}은(는) 장치 파일이나 FIFO라 레이어에 담지 않습니다.", SkippedEntryWarning, stacklevel=4
    )
    return None


def _join(head: str, name: str) -> str:
    return f"{head}/{name}" if head else name


def _refuse_what_a_plain_diff_cannot_tell(real: str, path: str, info: os.stat_result) -> None:
    if stat.S_ISLNK(info.st_mode):
        return
    for name in UNREADABLE_XATTRS:
        if _has_xattr(real, name):
            raise UnsupportedError(
                f"upperdir의 {path!r}에 overlayfs의 {name} 속성이 있습니다"
                "(이름을 바꾼 폴더나 메타데이터만 복사된 파일). "
                "폴더만 보고는 바뀐 내용을 알 수 없어 레이어로 만들지 않습니다(도커는 이때 두 폴더를 비교합니다)."
            )


def _has_xattr(path: str, name: str, value: "bytes | None" = None) -> bool:
    try:
        found = os.getxattr(path, name, follow_symlinks=False)
    except OSError as error:
        if error.errno in (errno.ENODATA, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
            return False
        raise
    except AttributeError:  # no extended attributes on this system
        return False
    return value is None or found == value
