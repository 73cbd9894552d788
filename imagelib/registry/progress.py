"""Progress bars (tqdm) for big transfers: shown only when asked, or in a terminal for big blobs."""

from __future__ import annotations

import sys

from ..streams import CountingReader

__all__ = ["AUTO_THRESHOLD", "CountingReader", "progress_bar"]

# With progress=None (automatic), only blobs at least this big get a bar, and only in a terminal.
AUTO_THRESHOLD = 32 << 20


class _NoBar:
    def update(self, count: int) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(setting: "bool | None", total: int, description: str):
    """A tqdm bar, or a silent stand-in when no bar should be shown."""
    wanted = setting if setting is not None else (total >= AUTO_THRESHOLD and _is_terminal())
    if not wanted:
        return _NoBar()
    if setting:
        from tqdm.auto import tqdm
    else:
        from tqdm import tqdm
    return tqdm(total=total, desc=description, unit="B", unit_scale=True, unit_divisor=1000,
                leave=False)


def _is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
