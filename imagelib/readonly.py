"""읽기 전용 값(read-only value): 레이어와 이미지는 한번 만들면 바뀌지 않습니다."""

from __future__ import annotations

from .errors import ReadOnlyError

READ_ONLY_MESSAGE = (
    "레이어와 이미지는 읽기 전용(read-only)입니다. 바꾸려면 il.Container(image)로 컨테이너를 만들어 "
    "쓴 다음 commit()으로 새 이미지를 만드세요."
)


class ReadOnlyValue:
    """Refuses writes and attribute changes with a Korean ReadOnlyError (the read-only lesson)."""

    __slots__ = ()
    _noun = "값"

    def _label(self) -> str:
        raise NotImplementedError

    def write(self, path: str, data: object = None) -> None:
        """읽기 전용이라 항상 ReadOnlyError를 냅니다(그것이 레이어와 이미지의 성질입니다)."""
        raise ReadOnlyError(f"{self._noun} {self._label()}에 {path!r}를 쓸 수 없습니다. " + READ_ONLY_MESSAGE)

    delete = write
    mkdir = write

    def __setattr__(self, name: str, value: object) -> None:
        raise ReadOnlyError(f"{self._noun}의 {name!r}를 바꿀 수 없습니다. " + READ_ONLY_MESSAGE)

    def __delattr__(self, name: str) -> None:
        raise ReadOnlyError(f"{self._noun}의 {name!r}를 지울 수 없습니다. " + READ_ONLY_MESSAGE)
