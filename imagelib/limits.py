"""한도(limits): 밖에서 온 이미지·레이어를 읽을 때 지키는 안전한 상한선.

남이 만든 이미지 파일에는 압축 폭탄(compression bomb, 몇 MB가 풀면 수십 GB가 되는 파일)이나
항목이 수백만 개인 tar, 거대한 JSON이 들어 있을 수 있습니다. imagelib는 읽는 도중에(다 풀기 전에)
한도를 넘는지 살피고, 넘으면 ``LimitExceededError`` 를 냅니다. 믿을 수 있는 큰 이미지라면
한도를 올려 다시 읽으세요::

    il.open("big.tar", limits=il.Limits(max_bytes=64 << 30))
    il.Layer.from_tar(data, limits=il.Limits(max_ratio=5000))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields

from .display import human_size
from .errors import LimitExceededError
from .streams import AnyStream, CountingReader

_GiB = 1 << 30
_MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """읽기 한도. 기본값은 보통 이미지에는 넉넉하고 폭탄은 막을 만큼입니다(바꾸려면 새 Limits를 만드세요).

    - ``max_bytes``: 레이어 하나(또는 압축된 아카이브 하나)를 풀었을 때의 최대 바이트 수(16 GiB)
    - ``max_entries``: tar 하나에 든 항목의 최대 개수(100만)
    - ``max_image_entries``: 이미지 하나를 열 때 모든 레이어의 항목을 더한 최대 개수(100만).
      가장 큰 실제 이미지도 파일이 수십만 개라 넉넉하고, 같은 레이어를 여러 번 적어 항목 수백만 개로
      메모리를 다 쓰게 하는 이미지는 막습니다(두 번 적힌 레이어는 두 번 셉니다).
    - ``max_ratio``: 압축률(푼 크기 ÷ 압축된 크기)의 최댓값(500). 푼 크기가 ``ratio_grace_bytes``
      (64 MiB)를 넘은 뒤부터 검사하므로 작은 레이어는 압축이 아무리 잘 되어도 괜찮습니다.
    - ``max_json_bytes``: index.json, manifest.json, 설정 같은 JSON 문서 하나의 최대 크기(16 MiB)
    - ``max_name_bytes``: tar 항목 경로나 링크 대상의 최대 길이(UTF-8 바이트, 4096 = 리눅스 PATH_MAX)
    - ``max_record_bytes``: ``il.sbom`` 이 읽는 패키지 기록 파일 하나(apk·dpkg 데이터베이스,
      package.json, METADATA)의 최대 크기(64 MiB). 패키지 수천 개인 dpkg 데이터베이스도 몇 MB입니다.
    """

    max_bytes: int = 16 * _GiB
    max_entries: int = 1_000_000
    max_image_entries: int = 1_000_000
    max_ratio: int = 500
    ratio_grace_bytes: int = 64 * _MiB
    max_json_bytes: int = 16 * _MiB
    max_name_bytes: int = 4096
    max_record_bytes: int = 64 * _MiB

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                from .errors import ImageLibError

                raise ImageLibError(f"Limits의 {item.name}은(는) 양의 정수여야 합니다({value!r}를 받았습니다).")

    def exceeded(self, what: str, field: str, shown: str) -> LimitExceededError:
        """한도를 넘었다는 오류: 무엇이, 어느 한도를, 어떻게 올리는지."""
        limit = getattr(self, field)
        return LimitExceededError(
            f"{what}: {shown} — 한도 {field}={limit:_}를 넘습니다. 압축 폭탄이나 망가진 파일일 수 있어 "
            f"읽기를 멈췄습니다. 믿을 수 있는 파일이라면 limits=il.Limits({field}=...)로 한도를 올리세요."
        )

    def check_json_size(self, size: int, what: str) -> None:
        if size > self.max_json_bytes:
            raise self.exceeded(what, "max_json_bytes", f"JSON 문서가 {human_size(size)}")

    def check_name(self, name: str, what: str) -> None:
        """A tar member's path or link target: at most ``max_name_bytes`` bytes of UTF-8."""
        size = len(name.encode("utf-8", "surrogateescape"))
        if size > self.max_name_bytes:
            raise self.exceeded(what, "max_name_bytes", f"이름이 {size}바이트({name[:60]!r}…)")


DEFAULT_LIMITS = Limits()


def resolve_limits(limits: object) -> Limits:
    # object, not Limits | None: this is where a wrong value passed by a learner is caught
    if limits is None:
        return DEFAULT_LIMITS
    if not isinstance(limits, Limits):
        from .errors import ImageLibError

        raise ImageLibError(f"limits에는 il.Limits(...)를 주세요({type(limits).__name__}를 받았습니다).")
    return limits


class ImageEntryBudget:
    """The running count of entries read so far for one image, checked against ``max_image_entries``."""

    def __init__(self, limits: Limits, what: str) -> None:
        self.limits = limits
        self.what = what
        self.spent = 0

    def charge(self, count: int = 1) -> None:
        self.spent += count
        limit = self.limits.max_image_entries
        if self.spent > limit:
            raise self.limits.exceeded(
                self.what, "max_image_entries", f"모든 레이어의 항목을 더하면 {limit:_}개보다 많습니다"
            )


# Layer.from_tar is what learners call, so the budget of the image being read reaches the layer
# scan through the context instead of a parameter they would see in help().
_IMAGE_BUDGET: "ContextVar[ImageEntryBudget | None]" = ContextVar("image_entry_budget", default=None)


@contextmanager
def image_entry_budget(limits: Limits, what: str) -> Iterator[ImageEntryBudget]:
    """Count every layer entry read inside this block (in this thread) against one image's limit."""
    budget = ImageEntryBudget(limits, what)
    token = _IMAGE_BUDGET.set(budget)
    try:
        yield budget
    finally:
        _IMAGE_BUDGET.reset(token)


def current_image_budget() -> "ImageEntryBudget | None":
    return _IMAGE_BUDGET.get()


def inflate_guard(
    plain: AnyStream, limits: Limits, what: str, packed_bytes: "Callable[[], int] | None" = None
) -> CountingReader:
    """A reader of decompressed bytes that stops as soon as the total or the ratio goes over a limit.

    ``packed_bytes`` tells how many compressed bytes were consumed so far (None for an
    uncompressed stream), so a bomb is caught after at most one decompressor chunk past the
    limit, never at the end.
    """
    guard: CountingReader

    def check(_count: int) -> None:
        inflated = guard.count
        if inflated > limits.max_bytes:
            raise limits.exceeded(what, "max_bytes", f"풀어 보니 {human_size(inflated)}가 넘습니다")
        if packed_bytes is None or inflated <= limits.ratio_grace_bytes:
            return
        packed = max(1, packed_bytes())
        if inflated > limits.max_ratio * packed:
            raise limits.exceeded(
                what,
                "max_ratio",
                f"압축된 {human_size(packed)}가 {human_size(inflated)} 넘게 풀립니다"
                f"({inflated // packed}배, 압축 폭탄?)",
            )

    guard = CountingReader(plain, check)
    return guard


def decompression_errors() -> "tuple[type[BaseException], ...]":
    """What gzip, zlib and zstandard raise on damaged or cut input (not all are OSError)."""
    import zlib

    errors: "tuple[type[BaseException], ...]" = (OSError, EOFError, zlib.error)
    try:
        import zstandard
    except ImportError:  # pragma: no cover - zstandard is a dependency
        return errors
    return errors + (zstandard.ZstdError,)
