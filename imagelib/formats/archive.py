"""Read-only views of a folder or a tar file holding image files, by POSIX member name.

A tar member is never extracted: for an uncompressed tar on disk a member is a ``Blob`` over
its byte range. A compressed tar (``docker save | gzip``) is first unpacked into one temp file
(streaming), then read the same way. Symlinks and hard links between members resolve inside
the archive; nothing outside it can be reached.
"""

from __future__ import annotations

import os
import tarfile
import tempfile
import weakref
from typing import BinaryIO, cast

from ..blob import Blob, decompressing_reader, detect_compression
from ..entries import lexical_path
from ..errors import ImageFormatError, PathNotFoundError
from ..limits import Limits, decompression_errors, inflate_guard, resolve_limits
from ..streams import CountingReader, copy
from ..tario import tar_problem

MAX_LINK_HOPS = 40


class Source:
    """Common interface: ``label``, ``exists``, ``is_file``, ``listdir``, ``blob``, ``read_bytes``."""

    label = ""
    limits: Limits = resolve_limits(None)

    def read_bytes(self, name: str) -> bytes:
        """A small member (a JSON document): at most ``limits.max_json_bytes``."""
        blob = self.blob(name)
        self.limits.check_json_size(blob.size, f"{self.label}의 {name!r}")
        return blob.read()

    def checked(self, name: object) -> str:
        """A member name from the archive's own metadata, refused if it points outside the archive."""
        if not isinstance(name, str) or "\0" in name or "\\" in name or name.startswith("/") or ".." in name.split("/"):
            raise ImageFormatError(
                f"{self.label}의 메타데이터가 아카이브 밖이나 잘못된 경로 {name!r}을(를) 가리킵니다. "
                "안전하지 않은 파일이라 열지 않습니다."
            )
        return lexical_path(name)

    def exists(self, name: str) -> bool:
        raise NotImplementedError

    def is_file(self, name: str) -> bool:
        raise NotImplementedError

    def listdir(self, name: str) -> "list[str]":
        raise NotImplementedError

    def blob(self, name: str) -> Blob:
        raise NotImplementedError

    def missing(self, name: str) -> PathNotFoundError:
        return PathNotFoundError(f"{self.label} 안에 {name!r}이(가) 없습니다. 파일이 잘렸거나 형식이 다릅니다.")


class FolderSource(Source):
    """An image layout or an unpacked ``docker save`` in a real folder."""

    def __init__(self, path: str, limits: "Limits | None" = None) -> None:
        self.root = os.path.realpath(path)
        self.label = f"폴더 {os.path.basename(self.root)!r}"
        self.limits = resolve_limits(limits)

    def _real(self, name: str) -> str:
        real = os.path.realpath(os.path.join(self.root, self.checked(name)))
        if real != self.root and not real.startswith(self.root + os.sep):
            raise ImageFormatError(f"{self.label}의 {name!r}이(가) 폴더 밖을 가리킵니다.")
        return real

    def exists(self, name: str) -> bool:
        return os.path.exists(self._real(name))

    def is_file(self, name: str) -> bool:
        return os.path.isfile(self._real(name))

    def listdir(self, name: str) -> "list[str]":
        try:
            return sorted(os.listdir(self._real(name)))
        except (FileNotFoundError, NotADirectoryError):
            return []

    def blob(self, name: str) -> Blob:
        real = self._real(name)
        if not os.path.isfile(real):
            raise self.missing(name)
        return Blob.from_file(real)


class TarSource(Source):
    """A tar file (plain, gzip or zstd) read member by member."""

    def __init__(self, path: str, limits: "Limits | None" = None) -> None:
        self.label = f"파일 {os.path.basename(path)!r}"
        self.limits = resolve_limits(limits)
        self.path, self._keepalive = _plain_tar(path, self.label, self.limits)
        self.members: "dict[str, tarfile.TarInfo]" = {}
        self.folders: "set[str]" = {""}
        try:
            with tarfile.open(self.path, "r:") as tar:
                for count, member in enumerate(tar, start=1):
                    if count > self.limits.max_entries:
                        raise self.limits.exceeded(
                            self.label, "max_entries", f"항목이 {self.limits.max_entries:_}개보다 많습니다"
                        )
                    self._add(member)
        except (tarfile.TarError, EOFError, OSError) as error:
            self._check_complete()
            raise ImageFormatError(f"{self.label}을(를) tar 아카이브로 읽을 수 없습니다{tar_problem(error)}.") from None
        self._check_complete()

    def _check_complete(self) -> None:
        size = os.path.getsize(self.path)
        for name, member in self.members.items():
            if member.isreg() and member.offset_data + member.size > size:
                raise ImageFormatError(
                    f"{self.label}이(가) 잘렸습니다: {name!r}의 {member.size}바이트 중 "
                    f"{max(0, size - member.offset_data)}바이트만 있습니다. 파일을 다시 받거나 만드세요."
                )

    def _add(self, member: tarfile.TarInfo) -> None:
        if ".." in member.name.split("/"):
            raise ImageFormatError(
                f"{self.label}의 항목 {member.name!r}에 '..'이 있어 아카이브 밖을 가리킵니다. "
                "안전하지 않은 파일이라 열지 않습니다."
            )
        name = lexical_path(member.name)
        if not name:
            return
        self.members[name] = member
        parts = name.split("/")
        self.folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
        if member.isdir():
            self.folders.add(name)

    def _resolve(self, name: str) -> "str | None":
        """The name of the member ``name`` leads to after following links; None if absent."""
        pending = [part for part in self.checked(name).split("/") if part]
        done: "list[str]" = []
        hops = 0
        while pending:
            part = pending.pop(0)
            if part == "..":
                if done:
                    done.pop()
                continue
            current = "/".join(done + [part])
            member = self.members.get(current)
            if member is not None and (member.issym() or member.islnk()):
                hops += 1
                if hops > MAX_LINK_HOPS:
                    raise ImageFormatError(f"{self.label}의 {name!r}: 링크가 너무 많이 이어집니다.")
                if member.islnk():
                    done, target = [], member.linkname
                elif member.linkname.startswith("/"):
                    done, target = [], member.linkname
                else:
                    target = member.linkname
                pending = [p for p in target.split("/") if p and p != "."] + pending
                continue
            done.append(part)
        resolved = "/".join(done)
        return resolved if resolved in self.members or resolved in self.folders else None

    def exists(self, name: str) -> bool:
        return self._resolve(name) is not None

    def is_file(self, name: str) -> bool:
        resolved = self._resolve(name)
        return resolved is not None and resolved in self.members and self.members[resolved].isreg()

    def listdir(self, name: str) -> "list[str]":
        folder = self._resolve(name) if name else ""
        if folder is None or folder not in self.folders:
            return []
        prefix = folder + "/" if folder else ""
        names = {
            n[len(prefix) :].split("/")[0]
            for n in list(self.members) + list(self.folders)
            if n.startswith(prefix) and n != folder
        }
        return sorted(n for n in names if n)

    def blob(self, name: str) -> Blob:
        resolved = self._resolve(name)
        member = self.members.get(resolved) if resolved is not None else None
        if member is None or not member.isreg():
            raise self.missing(name)
        return Blob.from_file(self.path, member.offset_data, member.size, keepalive=self._keepalive)


def _plain_tar(path: str, label: str, limits: Limits) -> "tuple[str, object]":
    """The path of an uncompressed tar with the same members (a temp copy for compressed ones).

    The copy is inflated through the limits' guard: a bomb stops while streaming, and the
    half-written temp file is removed.
    """
    with open(path, "rb") as handle:
        compression = detect_compression(handle.read(4))
    if compression is None:
        return path, None
    descriptor, temp = tempfile.mkstemp(prefix="imagelib-archive-", suffix=".tar")
    try:
        packed = CountingReader(open(path, "rb"))
        with (
            os.fdopen(descriptor, "wb") as out,
            inflate_guard(
                decompressing_reader(cast(BinaryIO, packed), compression), limits, label, lambda: packed.count
            ) as plain,
        ):
            copy(cast(BinaryIO, plain), out)
    except decompression_errors() as error:
        os.remove(temp)
        raise ImageFormatError(
            f"{label}의 {compression} 압축을 풀 수 없습니다. 파일이 잘렸거나 손상되었습니다({error})."
        ) from None
    except BaseException:
        os.remove(temp)
        raise
    token = _TempFile(temp)
    return temp, token


class _TempFile:
    """Deletes its file when the last blob that reads from it is gone."""

    def __init__(self, path: str) -> None:
        self.path = path
        weakref.finalize(self, _remove_quietly, path)


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def open_source(path: "str | os.PathLike[str]", limits: "Limits | None" = None) -> Source:
    """A folder or a tar file at ``path`` as a Source."""
    path = os.fspath(path)
    if os.path.isdir(path):
        return FolderSource(path, limits)
    if os.path.isfile(path):
        return TarSource(path, limits)
    raise PathNotFoundError(
        f"{os.path.basename(path)!r}을(를) 찾을 수 없습니다. 이미지 파일(tar)이나 폴더 경로를 확인하세요."
    )
