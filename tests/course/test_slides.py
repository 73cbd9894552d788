"""Slide metadata (tools/slides.py): the rules on a small notebook, and every course notebook carries it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
sys.path.insert(0, str(ROOT / "tools"))

import slides  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb")
)
FIX = "python tools/slides.py notebooks/*.ipynb notebooks/solutions/*.ipynb"


def kinds(nb) -> "list[str]":
    return [cell.metadata.get("slideshow", {}).get("slide_type") for cell in nb.cells]


def sample():
    return new_notebook(
        cells=[
            new_markdown_cell("# 01. 제목"),  # slide
            new_code_cell("import imagelib as il"),  # -
            new_markdown_cell("## 1. 첫 절"),  # slide
            new_markdown_cell("설명 한 줄"),  # fragment
            new_code_cell("x = 1"),  # -
            new_code_cell("print(x)"),  # subslide
            new_markdown_cell("무엇을 보았나"),  # subslide
            new_markdown_cell("### 작은 제목"),  # subslide
            new_code_cell("y = 2"),  # -
            new_markdown_cell("## 연습문제"),  # slide
            new_code_cell("def check(): ..."),  # -
            new_markdown_cell("**문제 1.** 풀어 보세요"),  # slide
            new_code_cell("answer = ..."),  # -
            new_code_cell("check()"),  # - (still the exercise)
            new_markdown_cell("**연습 2 — 둘째.** 또"),  # slide
            new_code_cell("answer2 = ..."),  # -
            new_markdown_cell("## 정리"),  # slide
        ]
    )


EXPECTED = [
    "slide",
    "-",
    "slide",
    "fragment",
    "-",
    "subslide",
    "subslide",
    "subslide",
    "-",
    "slide",
    "-",
    "slide",
    "-",
    "-",
    "slide",
    "-",
    "slide",
]


def test_rules_on_a_small_notebook():
    nb = sample()
    assert slides.apply(nb) is True
    assert kinds(nb) == EXPECTED


def test_second_run_changes_nothing_and_keeps_other_metadata(tmp_path):
    nb = sample()
    nb.cells[4].metadata["tags"] = ["nbval-ignore-output"]
    path = tmp_path / "01_sample.ipynb"
    nbformat.write(nb, path)
    assert slides.process(path) is True
    once = path.read_bytes()
    assert slides.process(path) is False
    assert path.read_bytes() == once
    assert nbformat.read(path, as_version=4).cells[4].metadata["tags"] == ["nbval-ignore-output"]


def test_check_mode_reports_without_writing(tmp_path, capsys):
    path = tmp_path / "01_sample.ipynb"
    nbformat.write(sample(), path)
    before = path.read_bytes()
    assert slides.main(["--check", str(path)]) == 1
    assert path.read_bytes() == before and "01_sample.ipynb" in capsys.readouterr().out
    assert slides.main([str(path)]) == 0
    assert slides.main(["--check", str(path)]) == 0


def test_only_metadata_changes_on_a_course_notebook(tmp_path):
    source = ROOT / "notebooks" / "00_introduction.ipynb"
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    nb = nbformat.read(copy, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("slideshow", None)
    nbformat.write(nb, copy)
    slides.process(copy)
    after = nbformat.read(copy, as_version=4)
    assert [c.source for c in after.cells] == [c.source for c in nb.cells]
    assert [c.get("outputs") for c in after.cells] == [c.get("outputs") for c in nb.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_course_notebook_has_slide_metadata(path):
    nb = nbformat.read(path, as_version=4)
    stored = kinds(nb)
    assert None not in stored, f"{path.name}에 슬라이드 정보가 없는 셀이 있습니다. 고치기: {FIX}"
    assert stored[0] == "slide"
    for index, cell in enumerate(nb.cells):
        text = slides.source(cell)
        if cell.cell_type == "markdown" and (text.startswith("## ") or slides.is_exercise(cell)):
            assert stored[index] == "slide", f"{path.name} 셀 {index}: {text[:30]!r}는 새 슬라이드여야 합니다"
        if slides.is_exercise(cell):
            following = nb.cells[index + 1 :]
            code = following[: next((i for i, c in enumerate(following) if c.cell_type != "code"), len(following))]
            assert all(stored[index + 1 + i] == "-" for i in range(len(code))), (
                f"{path.name} 셀 {index}: 연습문제의 코드 셀은 같은 슬라이드에 있어야 합니다"
            )
    assert stored == slides.slide_types(nb.cells), f"{path.name}의 슬라이드 정보가 낡았습니다. 고치기: {FIX}"


def section_counts(deck: str) -> "tuple[int, int]":
    """(slides, subslides) of a reveal.js deck: top-level and second-level <section> elements."""
    depth, counts = 0, [0, 0]
    for match in re.finditer(r"<(/?)section", deck):
        depth += -1 if match.group(1) else 1
        if not match.group(1) and depth <= 2:
            counts[depth - 1] += 1
    return counts[0], counts[1]


def test_nbconvert_exports_the_slides_we_set(tmp_path):
    source = ROOT / "notebooks" / "00_introduction.ipynb"
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "slides", str(source), "--output-dir", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    deck = (tmp_path / "00_introduction.slides.html").read_text(encoding="utf-8")
    stored = kinds(nbformat.read(source, as_version=4))
    # every slide is a column of reveal.js sections: its first part plus one per subslide
    assert section_counts(deck) == (stored.count("slide"), stored.count("slide") + stored.count("subslide"))
    assert "코스 안내와 환경 점검" in deck and "Reveal.initialize" in deck
