"""display.table: text columns read from the left, numbers from the right (JupyterLab right-aligns cells)."""

from __future__ import annotations

import re

from imagelib import display


def aligns(html: str, tag: str) -> "list[str]":
    return re.findall(rf"<{tag} style='text-align:(\w+)'", html)


def test_text_left_numbers_right_code_left():
    html = display.table(
        ["#", "만든 단계", "크기", "다이제스트"],
        [(0, "ADD rootfs.tar /", "1.5 KB", display.Code("abc123")), (1, "RUN 설치", "12.0 MB", display.Code("def456"))],
    )
    assert aligns(html, "th") == ["right", "left", "right", "left"]
    assert aligns(html, "td") == ["right", "left", "right", "left"] * 2


def test_a_column_with_any_text_reads_from_the_left():
    html = display.table(["값"], [("3개",), ("없음",), ("—",)])
    assert set(aligns(html, "td")) == {"left"}
    html = display.table(["수"], [("3개",), ("33.85%",), ("—",), ("19개/2.0 MB",)])
    assert set(aligns(html, "td")) == {"right"}


def test_long_tables_are_cut_without_reading_everything():
    rows = ((i, f"줄 {i}") for i in range(10**9))
    html = display.table(["#", "글"], rows)
    assert html.count("<tr>") == 31 + 1 and "…" in html
