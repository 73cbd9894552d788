"""One word per concept (README's glossary): notebooks, README, ARCHITECTURE and Korean strings in the code.

저장소 is a repository only (the il.Store is 보관소); tests are 테스트; the source is the 스터디 노트; a
lesson is a 노트북; 불투명 디렉터리, 디렉터리, 마운트, 스트리밍. Markdown tables in the notebooks say how
each column aligns, because JupyterLab right-aligns table cells by default.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from paths import PROJECT_ROOT

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (PROJECT_ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb")
)
DOCUMENTS = [PROJECT_ROOT / "README.md", PROJECT_ROOT / "ARCHITECTURE.md"]
THIS_FILE = Path(__file__).resolve()
SOURCES = sorted(
    path
    for folder in ("imagelib", "tests", "tools")
    for path in (PROJECT_ROOT / folder).rglob("*.py")
    if path.resolve() != THIS_FILE
)

# (what is forbidden, what to write instead)
FORBIDDEN = [
    (r"시험", "테스트"),
    (r"(본문|공부|원본) 노트(?!북)", "스터디 노트"),
    (r"(?<!스터디 )(?<![가-힣A-Za-z])노트(?!북)", "노트북(강의) 또는 스터디 노트(원래 글)"),
    (r"불투명 폴더", "불투명 디렉터리"),
    (r"디렉토리", "디렉터리"),
    (r"탑재", "마운트"),
    (r"스트림 처리", "스트리밍"),
    (r"저장소\s*\(\s*[Ss]tore\s*\)", "보관소(store)"),
    (r"(?i:git|깃)\s*저장소", "Git 리포지터리"),
    (r"저장소에 넣", "보관소에 넣"),
    (r"저장소 폴더", "보관소 폴더"),
    (r"이미지 저장소\.", "이미지 보관소"),
]
PATTERNS = [(re.compile(pattern), instead) for pattern, instead in FORBIDDEN]
HANGUL = re.compile(r"[가-힣]")


def problems_in(text: str, where: str) -> "list[str]":
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern, instead in PATTERNS:
            for match in pattern.finditer(line):
                found.append(f"{where}:{number}: {match.group(0)!r} → {instead}: {line.strip()[:100]}")
    return found


def korean_strings(path: Path) -> str:
    """The Korean string literals (messages, docstrings) of a Python file, one per line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    texts = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and HANGUL.search(node.value)
    ]
    return "\n".join(texts)


def notebook_text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(cell.source for cell in nb.cells)


# -- the checks themselves ------------------------------------------------------------------------


def test_the_word_list_flags_variants_and_spares_the_right_words():
    wrong = [
        "이 시험은 umoci가 필요합니다",
        "본문 노트의 예",
        "다음 노트에서 봅니다",
        "노트의 네 장짜리 필름",
        "불투명 폴더",
        "디렉토리",
        "볼륨을 탑재합니다",
        "스트림 처리로 읽습니다",
        "저장소(store)",
        "git 저장소",
        "저장소에 넣습니다",
    ]
    right = [
        "스터디 노트의 예",
        "다음 노트북에서 봅니다",
        "이 테스트는",
        "불투명 디렉터리",
        "저장소(repository) library/nginx",
        "이미지 보관소(store)",
        "노트북 10",
        "본문 노트북과 같은 이미지",
    ]
    for text in wrong:
        assert problems_in(text, "예"), text
    for text in right:
        assert not problems_in(text, "예"), text


def test_korean_strings_are_read_from_code_not_comments(tmp_path):
    source = tmp_path / "m.py"
    source.write_text('# 시험 comment\nMESSAGE = "이 시험은 실패합니다"\nOTHER = "테스트"\n', encoding="utf-8")
    assert korean_strings(source) == "이 시험은 실패합니다\n테스트"


# -- the course and the code ----------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS + DOCUMENTS, ids=lambda p: p.name)
def test_notebooks_and_documents_use_the_glossary_words(path):
    text = notebook_text(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
    problems = problems_in(text, path.name)
    assert not problems, "\n".join(problems)


def test_korean_strings_in_the_code_and_tests_use_the_glossary_words():
    problems = []
    for path in SOURCES:
        problems += problems_in(korean_strings(path), str(path.relative_to(PROJECT_ROOT)))
    assert not problems, "\n".join(problems)


# -- tables ---------------------------------------------------------------------------------------

DELIMITER_ROW = re.compile(r"^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*(:?-{3,}:?\s*)?$")


def unaligned_tables(markdown: str) -> "list[str]":
    """Delimiter rows of markdown tables where some column does not say left (:---) or right (---:)."""
    rows = []
    for line in markdown.splitlines():
        if DELIMITER_ROW.match(line):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if any(":" not in cell for cell in cells):
                rows.append(line.strip())
    return rows


def test_the_table_check_wants_an_alignment_per_column():
    assert unaligned_tables("| a | b |\n|---|---|\n| 1 | 2 |") == ["|---|---|"]
    assert unaligned_tables("| a | b |\n|:---|---:|\n| x | 2 |") == []
    assert unaligned_tables("| a | b |\n|:---|---|\n| x | 2 |") == ["|:---|---|"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_tables_declare_their_alignment(path):
    nb = nbformat.read(path, as_version=4)
    problems = []
    for index, cell in enumerate(nb.cells):
        texts = [cell.source] if cell.cell_type == "markdown" else []
        for output in cell.get("outputs", []):
            texts.append(output.get("data", {}).get("text/markdown", ""))
        problems += [f"{path.name} 셀 {index}: {row}" for text in texts for row in unaligned_tables(text)]
    assert not problems, "JupyterLab은 표 칸을 오른쪽에 맞춥니다. |:---|처럼 정렬을 적으세요:\n" + "\n".join(problems)
