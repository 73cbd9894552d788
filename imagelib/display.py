"""Plain-text and HTML views of imagelib values for notebooks (Korean labels)."""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
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


def text_width(text: str) -> int:
    """터미널에서 차지하는 칸 수: 한글처럼 넓은 글자(East Asian Wide/Fullwidth)는 두 칸입니다."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad_right(text: str, width: int) -> str:
    """``text`` 뒤에 공백을 붙여 화면 너비를 ``width`` 칸으로 맞춥니다(왼쪽 정렬)."""
    return text + " " * max(0, width - text_width(text))


def pad_left(text: str, width: int) -> str:
    """``text`` 앞에 공백을 붙여 화면 너비를 ``width`` 칸으로 맞춥니다(오른쪽 정렬)."""
    return " " * max(0, width - text_width(text)) + text


def short_text(text: str, width: int = 60) -> str:
    """한 줄로 줄인 글. 화면 너비가 ``width`` 칸을 넘으면 잘라 끝에 …를 붙입니다."""
    text = " ".join(text.split())
    if text_width(text) <= width:
        return text
    kept, used = [], 1  # one column for the ellipsis
    for ch in text:
        used += text_width(ch)
        if used > width:
            break
        kept.append(ch)
    return "".join(kept) + "…"


# A cell that reads as a quantity: 12, 1,024, 3.5 KB, 33.85%, 4개, 2회, 0.4초, 12.0 MB/s, 19개/2.0 MB.
_QUANTITY = r"[-+]?[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:[KMGT]?i?B|%|개|회|초|s|[KMGT]?B/s)?"
_NUMBER = re.compile(rf"{_QUANTITY}(?:/{_QUANTITY})?")


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], caption: str = "") -> str:
    """HTML 표. 글자 열은 왼쪽, 수(크기, 개수, 비율) 열은 오른쪽에 맞춥니다.

    JupyterLab은 표 칸을 기본으로 오른쪽에 맞추므로 칸마다 정렬을 적어 둡니다.
    """
    shown = list(itertools.islice(rows, _MAX_ROWS + 1))
    cut = len(shown) > _MAX_ROWS
    shown = shown[:_MAX_ROWS]
    aligns = [_column_align([row[i] for row in shown if i < len(row)]) for i in range(len(headers))]
    head = "".join(f"<th style='text-align:{a}'>{html.escape(h)}</th>" for h, a in zip(headers, aligns, strict=True))
    body = [
        "<tr>"
        + "".join(f"<td style='text-align:{a}'>{_cell(c)}</td>" for c, a in zip(row, aligns, strict=False))
        + "</tr>"
        for row in shown
    ]
    if cut:
        body.append(f"<tr><td colspan='{len(headers)}' style='text-align:left'>…</td></tr>")
    cap = f"<caption style='text-align:left'><b>{html.escape(caption)}</b></caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _column_align(cells: Sequence[object]) -> str:
    filled = [c for c in cells if str(c).strip() not in ("", "—", "-")]
    return "right" if filled and all(_is_number(c) for c in filled) else "left"


def _is_number(value: object) -> bool:
    if isinstance(value, Code):
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return _NUMBER.fullmatch(str(value).strip()) is not None


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
