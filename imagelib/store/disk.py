"""Failures of the disk under a store or a saved file (full, read-only, no permission), told in Korean.

``writing(target)`` turns any ``OSError`` raised inside it into a ``DiskError`` whose message
names ``target`` (the store folder or the file being saved), says why in Korean and what to do.
When such blocks nest, the outermost one names the target: the user's path, not a temp folder.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import DiskError

_NO_SPACE = "디스크에 빈 공간이 없습니다"
_NO_PERMISSION = "쓸 수 있는 권한이 없습니다"
_REASONS = {
    errno.ENOSPC: (_NO_SPACE, "공간을 비운 뒤(안 쓰는 이미지는 store.gc()로) 다시 하세요."),
    errno.EDQUOT: ("디스크 사용 한도(quota)를 넘었습니다", "공간을 비운 뒤 다시 하세요."),
    errno.EFBIG: ("파일이 이 파일 시스템에 담을 수 있는 것보다 큽니다", "다른 디스크에 저장하세요."),
    errno.EACCES: (_NO_PERMISSION, "폴더의 권한을 확인하거나 다른 폴더를 고르세요."),
    errno.EPERM: (_NO_PERMISSION, "폴더의 권한을 확인하거나 다른 폴더를 고르세요."),
    errno.EROFS: (f"{_NO_PERMISSION}(읽기 전용 파일 시스템)", "쓸 수 있는 다른 폴더를 고르세요."),
}


def disk_error(error: OSError, target: str) -> DiskError:
    """A ``DiskError`` for ``error`` (an ``OSError``, or a ``DiskError`` to name anew) while writing ``target``."""
    known = None if error.errno is None else _REASONS.get(error.errno)
    if known is None:
        where = f", 파일 {error.filename!r}" if error.filename else ""
        message = (
            f"{target}을(를) 읽거나 쓰다가 실패했습니다({error.strerror or error}{where}). "
            "이미 저장된 것은 그대로 있습니다."
        )
    else:
        reason, advice = known
        message = f"{target}에 쓰지 못했습니다: {reason}. {advice} 이미 저장된 것은 그대로 있습니다."
    result = DiskError(message)
    result.errno, result.strerror, result.filename = error.errno, error.strerror, error.filename
    return result


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


@contextmanager
def writing(target: str) -> Iterator[None]:
    """Run the block; an ``OSError`` leaving it becomes a ``DiskError`` naming ``target``."""
    try:
        yield
    except OSError as error:
        raise disk_error(error, target) from None
