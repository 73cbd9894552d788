"""``il.unpack``: write an image's root file system into a real folder, layer by layer.

Like ``docker`` and ``umoci`` do, each layer's whiteouts and opaque markers are applied first,
then its entries in tar order, reading each layer tar once from start to end. Every path is
resolved inside the target folder (symlinks already written are followed as a container would
follow them, absolute targets count from the folder); a path or hard link that would leave the
folder is refused.

Each layer is applied as one undoable step: whatever it replaces or deletes is first moved
into a hidden folder inside the target (``.imagelib-undo-*``), and every path it creates is
recorded. If the layer fails, the record is replayed backwards, so the folder holds exactly the
layers below the failed one. A process killed in the middle can leave that hidden folder
behind; its name says what it is.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tarfile
import tempfile
from typing import BinaryIO, cast

from ..entries import Dir, Entry, File, Hardlink, Opaque, Symlink, Whiteout
from ..errors import ImageLibError, LayerFormatError, UnpackError, UnsafePathError
from ..image import Image
from ..layer import Layer
from ..limits import Limits, resolve_limits
from ..streams import CHUNK_SIZE, DescriptorWriter, copy, file_region, skip
from ..tario import TarContent, member_path

MAX_SYMLINK_HOPS = 40
UNDO_PREFIX = ".imagelib-undo-"
SETID_BITS = stat.S_ISUID | stat.S_ISGID


def unpack(
    image: Image,
    folder: "str | os.PathLike[str]",
    *,
    keep_setuid: bool = False,
    special_files: bool = False,
    limits: "Limits | None" = None,
) -> None:
    """이미지의 파일들(rootfs)을 진짜 폴더 ``folder`` 에 풉니다(``docker export`` 와 같은 결과).

    레이어를 아래부터 차례로 적용합니다: 화이트아웃은 지우고, 불투명 디렉터리는 비우고,
    파일·폴더·심볼릭 링크·하드 링크를 권한(mode)과 함께 씁니다. 레이어는 한 번씩 흘려 읽으므로
    큰 이미지도 메모리에 다 올리지 않습니다. ``folder`` 는 없거나 비어 있어야 합니다.

    안전을 위해:

    - 폴더 밖을 가리키는 경로나 링크(심볼릭 링크를 거쳐 나가는 것 포함)는 UnsafePathError로 거절합니다.
    - 한 레이어가 실패하면 그 레이어가 바꾼 것을 모두 되돌립니다. 폴더에는 그 아래 레이어까지만 남습니다.
    - 파일의 setuid/setgid 비트는 ``keep_setuid=True`` 일 때만 남깁니다(레이어에는 원래 권한이 그대로 있음).
    - 장치 파일과 FIFO는 ``special_files=True`` 일 때만 만듭니다(장치 파일은 관리자 권한이 필요).
    - 레이어가 ``limits`` (기본 ``il.Limits()``)보다 크면 쓰기 전에 멈춥니다.
    """
    if not isinstance(image, Image):
        raise ImageLibError(f"il.unpack에는 il.Image가 필요합니다({type(image).__name__}를 받았습니다).")
    limits = resolve_limits(limits)
    for index, layer in enumerate(image.layers):
        _check_limits(layer, index, limits)
    root = _prepare(os.fspath(folder))
    dir_modes: "dict[str, int]" = {}
    options = _Options(keep_setuid, special_files)
    try:
        for index, layer in enumerate(image.layers):
            _apply_undoable(root, layer, index, dir_modes, options)
    finally:  # after a failure too: the layers that stay get their folder modes
        _set_dir_modes(root, dir_modes)


def _set_dir_modes(root: str, dir_modes: "dict[str, int]") -> None:
    # Only folders still reached without a symlink (a later layer may have swapped a parent):
    # parents first, a folder counts when its parent did and it is a folder itself (one lstat each).
    reached = {root}
    folders = []
    for path in sorted(dir_modes, key=lambda p: p.count(os.sep)):
        parent = os.path.dirname(path)
        if parent not in reached and parent not in dir_modes and os.path.realpath(parent) == parent:
            reached.add(parent)  # a folder unpack did not record (none today): checked the slow way
        if parent in reached and _is_real_dir(path):
            reached.add(path)
            folders.append(path)
    for path in reversed(folders):  # children first: a parent's mode may take away access
        os.chmod(path, dir_modes[path])


def _is_real_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


class _Options:
    def __init__(self, keep_setuid: bool, special_files: bool) -> None:
        self.keep_setuid, self.special_files = keep_setuid, special_files

    def file_mode(self, mode: int) -> int:
        mode &= 0o7777
        return mode if self.keep_setuid else mode & ~SETID_BITS


def _check_limits(layer: Layer, index: int, limits: Limits) -> None:
    where = f"레이어 {index}({layer.digest.short})"
    if layer.uncompressed_size > limits.max_bytes:
        raise limits.exceeded(where, "max_bytes", f"풀면 {layer.uncompressed_size:_}바이트")
    if len(layer.entries) > limits.max_entries:
        raise limits.exceeded(where, "max_entries", f"항목이 {len(layer.entries):_}개")


def _prepare(folder: str) -> str:
    if os.path.lexists(folder):
        if not os.path.isdir(folder) or os.path.islink(folder):
            raise ImageLibError(
                f"{os.path.basename(folder)!r}은(는) 폴더가 아닙니다. 비어 있는 폴더나 새 경로를 주세요."
            )
        if os.listdir(folder):
            raise ImageLibError(
                f"폴더 {os.path.basename(folder)!r}에 이미 파일이 있습니다. "
                "섞이지 않도록 비어 있는 폴더나 새 경로를 주세요."
            )
    else:
        try:
            os.makedirs(folder)
        except OSError as error:
            raise UnpackError(f"폴더 {os.path.basename(folder)!r}을(를) 만들 수 없습니다({error.strerror}).") from None
    return os.path.realpath(folder)


# -- one layer, undoable ----------------------------------------------------------------------


class _Journal:
    """Undo record of one layer: paths it created and paths it moved aside, in order."""

    def __init__(self, root: str) -> None:
        self.aside = tempfile.mkdtemp(prefix=UNDO_PREFIX, dir=root)
        self.name = os.path.basename(self.aside)
        self._ops: "list[tuple[str, str]]" = []  # (created path, "") or (original, aside path)

    def created(self, path: str) -> None:
        self._ops.append((path, ""))

    def move_aside(self, path: str) -> "int | None":
        """Instead of deleting ``path``, keep it where a rollback can bring it back.

        Returns the mode of what was moved (None when nothing was there).
        """
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):  # nothing there (a parent is a file: umoci too)
            return None
        kept = os.path.join(self.aside, str(len(self._ops)))
        os.rename(path, kept)
        self._ops.append((path, kept))
        return mode

    def commit(self) -> None:
        delete_tree(self.aside)

    def rollback(self) -> None:
        for path, kept in reversed(self._ops):
            if kept:
                delete_tree(path)
                os.rename(kept, path)
            else:
                delete_tree(path)
        delete_tree(self.aside)


def _apply_undoable(root: str, layer: Layer, index: int, dir_modes: "dict[str, int]", options: _Options) -> None:
    where = f"레이어 {index}({layer.digest.short})"
    journal = _Journal(root)
    saved_modes = dict(dir_modes)
    try:
        _apply(_Target(root, journal, where, dir_modes), layer, options)
    except BaseException as error:
        dir_modes.clear()
        dir_modes.update(saved_modes)
        try:
            journal.rollback()
            note = (
                f" 레이어 {index}이(가) 바꾼 것은 모두 되돌렸습니다. 폴더에는 그 아래 레이어 {index}개만 풀려 있습니다."
            )
        except OSError as undo_error:
            note = (
                f" 레이어 {index}의 변경을 되돌리다가 실패했습니다({undo_error.strerror}). "
                f"폴더의 {journal.name}에 옮겨 둔 것이 남아 있을 수 있습니다."
            )
        if isinstance(error, ImageLibError):
            raise type(error)(f"{error}{note}") from None
        if isinstance(error, OSError):
            raise UnpackError(f"{where}을(를) 풀 수 없습니다({error.strerror or error}).{note}") from None
        raise
    journal.commit()


class _Target:
    """The folder being written for one layer: resolves paths inside it and records changes.

    Resolving a path costs a system call per part, so the real folder of each folder already
    reached is remembered (image path -> real path, only real folders): an entry whose parent
    was reached before, as in every tar written parents first, costs one step, however deep.
    Only moving a folder or symlink aside can change what a remembered path resolves to, and
    that forgets everything remembered. A new symlink or hard link cannot: it is made where
    nothing was, and no remembered path went through a name that did not exist.
    """

    def __init__(self, root: str, journal: _Journal, where: str, dir_modes: "dict[str, int]") -> None:
        self.root, self.journal, self.where, self.dir_modes = root, journal, where, dir_modes
        self._folders: "dict[str, str]" = {"": root}  # image path of a folder -> its real path

    def resolve(self, path: str, follow_last: bool, shown: "str | None" = None) -> str:
        return resolve(self.root, path, self.where, follow_last, shown, reserved=self.journal.name)

    def place(self, path: str, create: bool = True) -> str:
        """Real path for a new entry at ``path``: parents resolved (and made), the name not followed."""
        head, _, name = path.rpartition("/")
        if name in ("", ".", "..") or (os.name == "nt" and ("\\" in path or ":" in path)):
            raise UnsafePathError(f"{self.where}의 항목 이름 {path!r}은(는) 이 폴더에 쓸 수 없습니다.")
        return self._in_folder(head, name, path, create)

    def existing(self, path: str, shown: str) -> str:
        """Real path of what ``path`` names now (a hard link's target): parents followed, the name not."""
        head, _, name = path.rpartition("/")
        return self._in_folder(head, name, shown, create=False)

    def _in_folder(self, head: str, name: str, shown: str, create: bool) -> str:
        parent = self._folders.get(head)
        if parent is None:
            parent = self.resolve(head, follow_last=True, shown=shown)
            if create:
                self._make_dirs(parent, shown)
            if create or os.path.isdir(parent):  # a resolved path that exists has no symlink in it
                self._folders[head] = parent
        if parent == self.root and name == self.journal.name:
            raise UnsafePathError(f"{self.where}의 {shown!r}: imagelib가 잠시 쓰는 이름이라 쓸 수 없습니다.")
        return os.path.join(parent, name)

    def reached_folder(self, path: str, real: str) -> None:
        """Remember that image path ``path`` is the real folder ``real`` (a folder entry just written)."""
        self._folders[path] = real

    def _make_dirs(self, parent: str, shown: str) -> None:
        missing = []
        current = parent
        while current != self.root and not os.path.isdir(current):
            if os.path.lexists(current):  # Docker, containerd and umoci stop here too (ENOTDIR)
                name = os.path.relpath(current, self.root).replace(os.sep, "/")
                raise LayerFormatError(
                    f"{self.where}의 {shown!r}: 그 부모 {name!r}이(가) 폴더가 아닙니다. "
                    "이 레이어에 그 폴더 항목이 먼저 나와야 합니다(Docker, containerd, umoci도 풀지 않습니다)."
                )
            missing.append(current)
            current = os.path.dirname(current)
        for path in reversed(missing):
            os.mkdir(path, 0o700)
            self.journal.created(path)
            self.dir_modes[path] = Dir().mode

    def move_aside(self, path: str) -> None:
        """Take away what is at ``path`` (undoably)."""
        mode = self.journal.move_aside(path)
        if mode is not None and (stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
            self._folders = {"": self.root}

    def clear(self, folder: str) -> None:
        if not (os.path.isdir(folder) and not os.path.islink(folder)):
            return
        for name in sorted(os.listdir(folder)):
            if folder == self.root and name == self.journal.name:
                continue
            self.move_aside(os.path.join(folder, name))


def _apply(target: _Target, layer: Layer, options: _Options) -> None:
    for entry in layer.entries:
        if isinstance(entry, Opaque):
            target.clear(target.resolve(entry.path, follow_last=True))
    for entry in layer.entries:
        if isinstance(entry, Whiteout):
            target.move_aside(target.place(entry.path, create=False))
    _write_own_entries(target, layer, options)


def _write_own_entries(target: _Target, layer: Layer, options: _Options) -> None:
    """Every entry of the layer but its whiteout markers, then its special files."""
    written: "set[str]" = set()
    with layer.open_tar() as stream:
        reader = _SequentialReader(stream)
        for entry in layer.entries:
            if not isinstance(entry, (Opaque, Whiteout)):
                _write_entry(target, entry, reader, options)
                written.add(entry.path)
    if options.special_files:
        _write_special_files(target, layer, written)


def _write_entry(target: _Target, entry: Entry, reader: "_SequentialReader", options: _Options) -> None:
    try:
        _write(target, entry, reader, options)
    except OSError as error:
        raise UnpackError(f"{target.where}의 {entry.path!r}을(를) 쓸 수 없습니다({error.strerror or error}).") from None


def _write(target: _Target, entry: Entry, reader: "_SequentialReader", options: _Options) -> None:
    path = target.place(entry.path)
    if isinstance(entry, Dir):
        if not (os.path.isdir(path) and not os.path.islink(path)):
            target.move_aside(path)
            os.mkdir(path, 0o700)
            target.journal.created(path)
        target.dir_modes[path] = entry.mode & 0o7777
        target.reached_folder(entry.path, path)
        return
    target.dir_modes.pop(path, None)
    if isinstance(entry, File):
        _write_file(target, path, entry, reader, options)
        return
    target.move_aside(path)
    if isinstance(entry, Symlink):
        os.symlink(entry.target, path)
        target.journal.created(path)
    elif isinstance(entry, Hardlink):
        source = target.existing(entry.target, shown=entry.path)
        if not os.path.lexists(source):
            raise LayerFormatError(f"{target.where}의 하드 링크 {entry.path!r}의 대상 {entry.target!r}이(가) 없습니다.")
        if os.path.isdir(source) and not os.path.islink(source):
            raise LayerFormatError(
                f"{target.where}의 하드 링크 {entry.path!r}이(가) 폴더 {entry.target!r}를 가리킵니다."
            )
        os.link(source, path, follow_symlinks=False)
        target.journal.created(path)


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _write_file(target: _Target, path: str, entry: File, reader: "_SequentialReader", options: _Options) -> None:
    try:
        descriptor = os.open(path, _NEW_FILE, 0o600)
    except FileExistsError:  # a lower layer's entry: replaced, undoably (rarer than a new path)
        target.move_aside(path)
        descriptor = os.open(path, _NEW_FILE, 0o600)
    target.journal.created(path)
    try:
        reader.copy(entry, descriptor)
        os.fchmod(descriptor, options.file_mode(entry.mode))
    finally:
        os.close(descriptor)


def _write_special_files(target: _Target, layer: Layer, written: "set[str]") -> None:
    """Devices and FIFOs, which a Layer does not keep: one more pass over the layer's tar headers."""
    with layer.open_tar() as stream:
        try:
            specials = [m for m in tarfile.open(fileobj=stream, mode="r|") if m.ischr() or m.isblk() or m.isfifo()]
        except tarfile.TarError as error:
            raise LayerFormatError(f"{target.where}의 tar를 다시 읽을 수 없습니다({error}).") from None
        for member in specials:
            path = member_path(member.name, target.where, None)
            if not path or path in written:
                raise LayerFormatError(f"{target.where}: 특수 파일 {member.name!r}의 경로가 다른 항목과 겹칩니다.")
            written.add(path)
            real = target.place(path)
            target.move_aside(real)
            mode = member.mode & 0o777
            try:
                if member.isfifo():
                    os.mkfifo(real, mode)
                else:
                    kind = stat.S_IFCHR if member.ischr() else stat.S_IFBLK
                    os.mknod(real, mode | kind, os.makedev(member.devmajor, member.devminor))
            except PermissionError:
                raise UnpackError(
                    f"{target.where}의 장치 파일 {path!r}은(는) 관리자(root) 권한이 있어야 만들 수 있습니다. "
                    "special_files=False(기본값)로 풀면 건너뜁니다."
                ) from None
            target.journal.created(real)


# -- paths inside the folder ------------------------------------------------------------------


def resolve(
    root: str, path: str, where: str, follow_last: bool, shown: "str | None" = None, reserved: "str | None" = None
) -> str:
    """The real path of image path ``path`` inside ``root``, following symlinks as a container does."""
    shown = shown or path
    # ``pending`` is a stack (next name last) and ``reached`` holds the real path of each
    # prefix, so a step is one lstat and one join: linear in the number of names, any depth.
    pending = [part for part in reversed(path.split("/")) if part and part != "."]
    reached: "list[str]" = []
    hops = 0
    while pending:
        part = pending.pop()
        if part == "..":
            if not reached:
                raise UnsafePathError(
                    f"{where}의 {shown!r}이(가) 링크를 따라가면 풀 폴더 밖을 가리킵니다. 풀지 않습니다."
                )
            reached.pop()
            continue
        if not reached and part == reserved:
            raise UnsafePathError(f"{where}의 {shown!r}: imagelib가 잠시 쓰는 이름이라 쓸 수 없습니다.")
        candidate = os.path.join(reached[-1] if reached else root, part)
        if (pending or follow_last) and os.path.islink(candidate):
            hops += 1
            if hops > MAX_SYMLINK_HOPS:
                raise UnsafePathError(f"{where}의 {shown!r}: 심볼릭 링크가 너무 많이 이어집니다(순환?).")
            target = os.readlink(candidate)
            if target.startswith("/"):
                reached = []
            pending.extend(p for p in reversed(target.split("/")) if p and p != ".")
            continue
        reached.append(candidate)
    return reached[-1] if reached else root


def delete_tree(path: str) -> None:
    """Delete ``path`` and all below it, without recursion (``shutil.rmtree`` and ``os.walk``
    recurse, or hold a descriptor per level, before Python 3.13: a deep folder would fail)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(mode):
        os.unlink(path)
        return
    folders = [path]  # every folder found, parents before children
    index = 0
    while index < len(folders):
        folder = folders[index]
        index += 1
        os.chmod(folder, stat.S_IRWXU)  # folders keep a private mode until the end; be sure
        with os.scandir(folder) as found:
            for item in found:
                if item.is_dir(follow_symlinks=False):
                    folders.append(item.path)
                else:
                    os.unlink(item.path)
    for folder in reversed(folders):
        os.rmdir(folder)


class _SequentialReader:
    """Copies file contents out of one pass over a layer's tar stream (entries come in tar order).

    When the layer is a plain tar lying in a file (an uncompressed layer of an archive or
    layout), contents are copied file to file by the kernel (``sendfile``) without passing
    through Python, the way ``cp`` does it; otherwise they are read from the stream.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._position = 0
        self._region = file_region(stream) if _KERNEL_COPY else None
        self._sendfile = True

    def copy(self, entry: File, descriptor: int) -> None:
        content = entry.data
        region = self._region
        if region and isinstance(content, TarContent):
            self._copy_region(region, content.offset, content.size, descriptor)
            return
        out = cast(BinaryIO, DescriptorWriter(descriptor))
        if not isinstance(content, TarContent) or content.offset < self._position:
            with entry.open() as data:
                copy(data, out)
            return
        gap = content.offset - self._position
        if skip(self._stream, gap) != gap or copy(self._stream, out, content.size) != content.size:
            raise LayerFormatError(_CUT)
        self._position = content.offset + content.size

    def _copy_region(self, region: "tuple[int, int, int]", offset: int, size: int, descriptor: int) -> None:
        source, start, length = region
        if offset + size > length:
            raise LayerFormatError(_CUT)
        done = 0
        while done < size:
            position, count = start + offset + done, min(size - done, _KERNEL_COPY_MAX)
            if self._sendfile:
                try:
                    sent = os.sendfile(descriptor, source, position, count)
                except OSError as error:
                    if error.errno not in _NO_SENDFILE:
                        raise
                    self._sendfile = False  # this pair of file systems cannot: read and write instead
                    continue
            else:
                sent = DescriptorWriter(descriptor).write(os.pread(source, min(count, CHUNK_SIZE), position))
            if not sent:
                raise LayerFormatError(_CUT)
            done += sent


_CUT = "레이어 tar가 예상보다 일찍 끝났습니다(잘린 파일)."
_KERNEL_COPY = sys.platform.startswith("linux") and hasattr(os, "sendfile")
_KERNEL_COPY_MAX = 1 << 30
_NO_SENDFILE = {errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.EOPNOTSUPP, errno.ENOTSUP}
