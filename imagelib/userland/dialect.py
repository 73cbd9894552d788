"""셸의 말투(dialect): 이미지의 ``/bin/sh`` 가 어떤 셸이냐에 따라 오류 메시지가 다릅니다.

Debian·Ubuntu 계열의 ``/bin/sh`` 는 dash이고, Alpine·busybox의 ``/bin/sh`` 는 BusyBox의 ash입니다.
같은 실수에도 두 셸은 다르게 알립니다(도커의 ``RUN`` 은 ``/bin/sh -c`` 로 실행하므로 앞머리가
``/bin/sh`` 입니다)::

    dash:  /bin/sh: 1: node: not found
    ash:   /bin/sh: node: not found

모형 셸은 이미지의 ``/bin/sh`` 를 보고 진짜 셸과 글자 하나까지 같은 메시지를 냅니다.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from ..container import Container
from ..errors import ImageLibError


@dataclass(frozen=True)
class ShellDialect:
    """One shell's error messages, as it prints them when started as ``argv0`` (``/bin/sh`` for RUN)."""

    name: str
    line_number: bool  # dash names the script line ("1: "); ash does not
    create: str
    open: str
    nonexistent_directory: str
    no_such_file: str
    redirect_status: int

    def _head(self, argv0: str) -> str:
        return f"{argv0}: 1: " if self.line_number else f"{argv0}: "

    def not_found(self, name: str, argv0: str = "/bin/sh") -> str:
        return f"{self._head(argv0)}{name}: not found"

    def permission_denied(self, path: str) -> str:
        return f"{self._head('/bin/sh')}{path}: Permission denied"

    def cannot_create(self, path: str, reason: str) -> str:
        return f"{self._head('/bin/sh')}{self.create} {path}: {reason}"

    def cannot_create_missing_folder(self, path: str) -> str:
        return self.cannot_create(path, self.nonexistent_directory)

    def cannot_open(self, path: str) -> str:
        return f"{self._head('/bin/sh')}{self.open} {path}: {self.no_such_file}"

    def cannot_cd(self, target: str) -> str:
        if self.line_number:
            return f"/bin/sh: 1: cd: can't cd to {target}"
        return f"/bin/sh: cd: line 0: can't cd to {target}: No such file or directory"


DASH = ShellDialect("dash", True, "cannot create", "cannot open", "Directory nonexistent", "No such file", 2)
ASH = ShellDialect("ash", False, "can't create", "can't open", "nonexistent directory", "no such file", 1)


def dialect_of(fs: Container) -> ShellDialect:
    """``fs`` 의 ``/bin/sh`` 가 BusyBox이면 ash, 그 밖에는 dash의 말투."""
    try:
        sh = fs.entry("bin/sh", follow_symlinks=True)
    except ImageLibError:
        return DASH
    name = posixpath.basename(sh.target if sh.kind == "hardlink" and sh.target else sh.path)
    if name == "busybox" or (name != "dash" and fs.exists("bin/busybox")):
        return ASH
    return DASH
