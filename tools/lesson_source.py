"""One source notebook per lesson, in nbgrader's course layout, and the two notebooks made from it.

    course/source/<NN_slug>/<NN_slug>.ipynb     the source: the lesson with its answers
    notebooks/<NN_slug>.ipynb                   the learner's copy (answers cleared)
    notebooks/solutions/<NN_slug>_solutions.ipynb  the worked solutions (answers filled in)

A source notebook is the lesson as learners see it, with nbgrader's cell metadata:

- an exercise cell (nbgrader "solution" cell) holds the learner's placeholders (``name = ...``)
  followed by the answer between ``### BEGIN SOLUTION`` and ``### END SOLUTION``; the learner's
  copy keeps only the placeholders, the worked solution only the answer;
- the graded test cell after it (nbgrader "autograder tests" cell, locked, with points) calls the
  lesson's ``check``, which raises a one-line Korean message when the answer is missing or wrong;
  it is tagged ``raises-exception`` so a stored message is expected (nbval) and Run All goes on
  (JupyterLab);
- a cell tagged ``solutions-only`` (the worked solutions' title, an explanation of an answer) is
  left out of the learner's copy and of nbgrader's release (course/nbgrader_config.py drops it),
  and a cell tagged ``student-only`` (the lesson's title with its links) is left out of the worked
  solutions.

Nothing here executes a notebook: tools/generate_notebooks.py writes the two copies and runs them.
"""

from __future__ import annotations

import copy
import posixpath
import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
SOURCES = COURSE / "source"
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
# What nbgrader's ClearSolutions puts where an answer was (course/nbgrader_config.py sets the same).
CODE_STUB = ""
SOLUTIONS_ONLY = "solutions-only"
STUDENT_ONLY = "student-only"
RAISES = "raises-exception"
# A learner's placeholder line: ``name = ...`` or ``a, b = ..., ...`` with an optional comment, a
# comment line (``# 여기에 코드를 쓰세요``) or a blank line.
# A relative link target in markdown: ``](03_x.ipynb)``, ``](../README.md#목차)``.
RELATIVE_LINK = re.compile(r"\]\((?!https?:|mailto:|#|/)([^)\s#]+)")
PLACEHOLDER = re.compile(r"^\s*([A-Za-z_][\w, ]*=\s*\.\.\.(\s*,\s*\.\.\.)*\s*)?(#.*)?$")


def lesson_names() -> "list[str]":
    """Every lesson that has a source, in course order (``02_layers_as_films`` …)."""
    return sorted(path.name for path in SOURCES.iterdir() if (path / f"{path.name}.ipynb").exists())


def source_path(name: str) -> Path:
    return SOURCES / name / f"{name}.ipynb"


def student_path(name: str) -> Path:
    return NOTEBOOKS / f"{name}.ipynb"


def solutions_path(name: str) -> Path:
    return SOLUTIONS / f"{name}_solutions.ipynb"


def tags(cell) -> "list[str]":
    return list(cell.metadata.get("tags", []))


def is_solution_cell(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("solution"))


def is_graded_cell(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("grade"))


def split_solution(source: str) -> "tuple[list[str], list[str], list[str]]":
    """(lines before the answer, the answer, lines after it) of an exercise cell."""
    lines = source.split("\n")
    if lines.count(BEGIN_SOLUTION) != 1 or lines.count(END_SOLUTION) != 1:
        raise ValueError(f"연습 셀에는 {BEGIN_SOLUTION}와 {END_SOLUTION}이 한 번씩 있어야 합니다:\n{source}")
    begin, end = lines.index(BEGIN_SOLUTION), lines.index(END_SOLUTION)
    return lines[:begin], lines[begin + 1 : end], lines[end + 1 :]


def cleared(source: str) -> str:
    """The learner's copy of an exercise cell: what nbgrader's ClearSolutions makes of it."""
    before, _answer, after = split_solution(source)
    return "\n".join([*before, CODE_STUB, *after]).rstrip("\n")


def answered(source: str) -> str:
    """The worked solution of an exercise cell: the answer instead of the placeholders.

    The placeholders are the lines just before the answer that only assign ``...``, comment or
    are blank; the lines before them (set-up the exercise gives) stay.
    """
    before, answer, after = split_solution(source)
    removed = []
    while before and PLACEHOLDER.match(before[-1]):
        removed.insert(0, before.pop())
    if before and removed and not removed[0].strip():
        before.append("")  # the blank line that set the placeholders apart now sets the answer apart
    return "\n".join([*before, *answer, *after]).rstrip("\n")


def answers(name: str) -> "dict[str, str]":
    """Each exercise's worked solution by its nbgrader grade id, in the lesson's order."""
    source = read(source_path(name))
    return {
        cell.metadata["nbgrader"]["grade_id"]: answered(cell.source) for cell in source.cells if is_solution_cell(cell)
    }


def from_solutions_folder(markdown: str) -> str:
    """A lesson cell's relative links, pointing to the same files from notebooks/solutions/."""

    def moved(match: re.Match) -> str:
        target = posixpath.relpath(posixpath.join("notebooks", match.group(1)), "notebooks/solutions")
        return f"]({target}"

    return RELATIVE_LINK.sub(moved, markdown)


def _without(cell, tag: str):
    cell = copy.deepcopy(cell)
    rest = [name for name in tags(cell) if name != tag]
    if rest:
        cell.metadata["tags"] = rest
    else:
        cell.metadata.pop("tags", None)
    return cell


def _blank(cell):
    cell = copy.deepcopy(cell)
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    return cell


def student_version(source_nb):
    """The learner's notebook (cells only; no outputs yet), without nbgrader's metadata."""
    nb = copy.deepcopy(source_nb)
    cells = []
    for cell in source_nb.cells:
        if SOLUTIONS_ONLY in tags(cell):
            continue
        cell = _blank(_without(cell, STUDENT_ONLY))
        if is_solution_cell(cell):
            cell.source = cleared(cell.source)
        # nbgrader's release carries its metadata; a learner studying alone does not need it (and
        # nbgrader's JupyterLab extension treats a notebook that has it as an assignment).
        cell.metadata.pop("nbgrader", None)
        cells.append(cell)
    nb.cells = cells
    _slides(nb)
    return nb


def solutions_version(source_nb):
    """The worked solutions (cells only; no outputs yet), without nbgrader's metadata."""
    nb = copy.deepcopy(source_nb)
    cells = []
    for cell in source_nb.cells:
        if STUDENT_ONLY in tags(cell):
            continue
        if SOLUTIONS_ONLY in tags(cell):
            cell = _blank(_without(cell, SOLUTIONS_ONLY))
        elif cell.cell_type == "markdown":
            cell = _blank(cell)
            cell.source = from_solutions_folder(cell.source)
        else:
            cell = _blank(cell)
        if is_solution_cell(cell):
            cell.source = answered(cell.source)
        cell.metadata.pop("nbgrader", None)
        cells.append(cell)
    nb.cells = cells
    _slides(nb)
    return nb


def _slides(nb) -> None:
    import slides  # tools/slides.py: the same slide rules as every course notebook

    slides.apply(nb)


def skeleton(nb) -> "list[tuple]":
    """What a generated notebook must match: each cell's kind, id, source and metadata (not outputs)."""
    return [(cell.cell_type, cell.get("id"), cell.source, _plain(cell.metadata)) for cell in nb.cells]


def _plain(value):
    return nbformat.from_dict(value) if isinstance(value, dict) else value


def read(path: Path):
    return nbformat.read(path, as_version=4)
