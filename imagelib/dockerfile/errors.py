"""빌드 오류(BuildError): Dockerfile의 몇 번째 줄에서 무엇이 잘못되었는지 알려 줍니다."""

from __future__ import annotations

from ..errors import ImageLibError


class BuildError(ImageLibError):
    """Dockerfile을 빌드하다 실패했습니다. ``line`` 은 문제가 된 줄 번호(1부터, 모르면 None)입니다."""

    def __init__(self, message: str, line: "int | None" = None, instruction: str = "") -> None:
        self.line = line
        self.instruction = instruction
        self.detail = message
        where = f"Dockerfile {line}번째 줄" if line else "Dockerfile"
        if instruction:
            where += f" ({instruction})"
        super().__init__(f"{where}: {message}")
