"""Plain-text and HTML views of imagelib values for notebooks (Korean labels)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

_UNITS = ("B", "KB", "MB", "GB", "TB")
_MAX_ROWS = 30


def human_size(size: float) -> str:
    """바이트 수를 읽기 좋은 단위로: 1536 → '1.5 KB' (1 KB = 1000 B, 도커와 같은 십진 단위)."""
    value = float(size)
    for unit in _UNITS:
        if abs(value) < 1000 or unit == _UNITS[-1]:
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def short_text(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], caption: str = "") -> str:
    head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        if i == _MAX_ROWS:
            body.append(f"<tr><td colspan='{len(headers)}'>…</td></tr>")
            break
        body.append("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>")
    cap = f"<caption style='text-align:left'><b>{html.escape(caption)}</b></caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _cell(value: object) -> str:
    if isinstance(value, Code):
        return f"<code>{html.escape(str(value))}</code>"
    return html.escape(str(value))


class Code(str):
    """A table cell shown in monospace."""


_KIND_NAMES = {
    "file": "파일",
    "dir": "폴더",
    "symlink": "심볼릭 링크",
    "hardlink": "하드 링크",
    "whiteout": "화이트아웃(삭제)",
    "opaque": "불투명 표시",
}


def kind_name(kind: str) -> str:
    return _KIND_NAMES.get(kind, kind)
