"""모형 셸의 오류와, 명령 하나를 멈추는 두 가지 신호(실패, exit)."""

from __future__ import annotations

from ..errors import ImageLibError


class ShellError(ImageLibError):
    """모형 셸(modeled shell)이 명령을 해석하거나 실행할 수 없습니다(빌드에서는 BuildError로 바뀝니다)."""


class CommandFailed(Exception):
    """Raised inside a command to stop it with an error message and exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


class ExitShell(Exception):
    """Raised by ``exit`` to end the whole shell with a status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status
