"""Progress bars (tqdm) for big transfers: shown only when asked, or in a terminal for big blobs."""

from __future__ import annotations

import sys
from typing import Protocol

from ..errors import needs_extra
from ..streams import CountingReader

__all__ = ["AUTO_THRESHOLD", "CountingReader", "ProgressBar", "progress_bar"]

# With progress=None (automatic), only blobs at least this big get a bar, and only in a terminal.
AUTO_THRESHOLD = 32 << 20


class ProgressBar(Protocol):
    """What the transfers use of a bar: tqdm's, or the silent stand-in."""

    def update(self, count: int) -> object: ...

    def close(self) -> None: ...


class _NoBar:
    def update(self, count: int) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(setting: bool | None, total: int, description: str) -> ProgressBar:
    """A tqdm bar, or a silent stand-in when no bar should be shown."""
    wanted = setting if setting is not None else (total >= AUTO_THRESHOLD and _is_terminal())
    if not wanted:
        return _NoBar()
    if setting:
        with needs_extra("progress", "진행 막대(progress=True)"):
            from tqdm.auto import tqdm
    else:
        try:
            from tqdm import tqdm
        except ModuleNotFoundError as error:
            if (error.name or "").partition(".")[0] != "tqdm":
                raise  # tqdm is installed but broken: say so
            return _NoBar()  # an automatic bar is a nicety: without tqdm, none
    bar: ProgressBar = tqdm(total=total, desc=description, unit="B", unit_scale=True, unit_divisor=1000, leave=False)
    return bar


def _is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
