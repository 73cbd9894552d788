"""Turn a lesson kept as two notebooks (exercises, and a copy with the answers) into one source.

    python tools/make_source.py notebooks/13_x.ipynb notebooks/solutions/13_x_solutions.ipynb

writes course/source/13_x/13_x.ipynb (see tools/lesson_source.py for its shape). Then
``python tools/generate_notebooks.py 13_x`` writes both notebooks again from it.

    python tools/make_source.py --adopt notebooks/05_commit.ipynb

takes into the existing source the lesson cells (not exercises or their checks) that were changed or
added in a learner's notebook by hand, for instance by a merge, matching cells by id.

How the two notebooks are matched: every exercise (a markdown cell ``**연습 N …**`` or
``**문제 N.**``) is found in both; the code cells after it are paired in order. A pair that differs
is an exercise: the lines both end with (the ``check(...)`` call) become the graded test cell, the
lines that differ become the learner's placeholders and the answer. Cells only the solutions have
after an exercise (an explanation, a confirming experiment) stay in the source, tagged
``solutions-only``, and so does the solutions' title cell; the rest of the solutions notebook (its
copy of the lesson's set-up) is not needed any more, because the worked solutions are now the
whole lesson with its answers. The old ``check`` helper, which only printed, is replaced by the import
of ``imagelib.exercise.check``, which fails with a one-line Korean message, so that nbgrader gives
no points to a missing or wrong answer.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lesson_source as ls  # noqa: E402
from slides import is_exercise  # noqa: E402

# Every lesson imports the one checker; it fails with a one-line Korean message (imagelib/exercise.py).
CHECK_HELPER = "from imagelib.exercise import check"


def new_helper(source: str) -> "str | None":
    """The import of the failing checker for an old printing ``check`` helper cell, or None for any other cell."""
    if not source.startswith("def check(") or "print(" not in source or "raise NotYet" in source:
        return None
    if not source.startswith("def check(answer, is_right, hint, praise)"):
        raise SystemExit("채점 함수는 check(answer, is_right, hint, praise) 모양이어야 합니다:\n" + source)
    return CHECK_HELPER


def nbgrader_meta(grade_id: str, *, solution: bool, grade: bool, locked: bool, points: int = 0) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


def split_pair(student: str, solved: str) -> "tuple[list[str], list[str], list[str], list[str]]":
    """(shared first lines, placeholders, answer, test lines) of an exercise cell and its solution."""
    s, a = student.split("\n"), solved.split("\n")
    head = 0
    while head < min(len(s), len(a)) and s[head] == a[head]:
        head += 1
    tail = 0
    while tail < min(len(s), len(a)) - head and s[-1 - tail] == a[-1 - tail]:
        tail += 1
    test = s[len(s) - tail :]
    while test and not test[0].strip():
        test = test[1:]
    placeholders = s[head : len(s) - tail]
    while placeholders and not placeholders[-1].strip():
        placeholders = placeholders[:-1]
    answer = a[head : len(a) - tail]
    while answer and not answer[-1].strip():
        answer = answer[:-1]
    if not test or test[0].startswith((" ", ")", "]", "}")):
        raise SystemExit(f"연습 셀에서 채점 줄을 찾지 못했습니다:\n{student}")
    if not all(ls.PLACEHOLDER.match(line) for line in placeholders):
        raise SystemExit(f"연습 셀의 다른 줄이 `이름 = ...` 자리표시가 아닙니다:\n{placeholders}")
    return s[:head], placeholders, answer, test


def exercise_cells(number: int, student_cell, solved_cell) -> list:
    """The exercise cell (answer between the markers) and its graded test cell."""
    shared, placeholders, answer, test = split_pair(student_cell.source, solved_cell.source)
    exercise = copy.deepcopy(student_cell)
    exercise.source = "\n".join([*shared, *placeholders, ls.BEGIN_SOLUTION, *answer, ls.END_SOLUTION])
    exercise.outputs, exercise.execution_count = [], None
    exercise.metadata["nbgrader"] = nbgrader_meta(f"exercise_{number}", solution=True, grade=False, locked=False)
    graded = nbformat.v4.new_code_cell("\n".join(test))
    graded.id = f"{student_cell.id}-check"[:64]
    graded.metadata["tags"] = [ls.RAISES]
    graded.metadata["nbgrader"] = nbgrader_meta(
        f"exercise_{number}_check", solution=False, grade=True, locked=True, points=1
    )
    return [exercise, graded]


def solutions_only(cell):
    cell = copy.deepcopy(cell)
    cell.id = f"sol-{cell.id}"[:64]
    cell.metadata["tags"] = [*ls.tags(cell), ls.SOLUTIONS_ONLY]
    return cell


def run_after(cells, start: int, stop_sources: "set[str]") -> list:
    """The cells after an exercise heading, up to the next heading or a cell shared with the lesson."""
    run = []
    for cell in cells[start + 1 :]:
        heading = cell.cell_type == "markdown" and cell.source.startswith("#")
        if is_exercise(cell) or heading or cell.source in stop_sources:
            break
        run.append(cell)
    return run


def convert(student_nb, solutions_nb):
    """The source notebook for a lesson kept as an exercise notebook and a solutions notebook."""
    solved_at = {cell.source: index for index, cell in enumerate(solutions_nb.cells) if is_exercise(cell)}
    cells, number, index = [], 0, 0
    title = copy.deepcopy(student_nb.cells[0])
    title.metadata["tags"] = [*ls.tags(title), ls.STUDENT_ONLY]
    cells += [title, solutions_only(solutions_nb.cells[0])]
    index = 1
    while index < len(student_nb.cells):
        cell = student_nb.cells[index]
        helper = new_helper(cell.source) if cell.cell_type == "code" else None
        if helper is not None:
            cell = copy.deepcopy(cell)
            cell.source = helper
            cell.outputs, cell.execution_count = [], None
            cell.metadata["nbgrader"] = nbgrader_meta("check_helper", solution=False, grade=False, locked=True)
        cells.append(cell)
        index += 1
        if not is_exercise(cell) or cell.source not in solved_at:
            continue
        later = {c.source for c in student_nb.cells[index:]}
        own = run_after(student_nb.cells, index - 1, set())
        solved = run_after(solutions_nb.cells, solved_at[cell.source], later - {c.source for c in own})
        own_sources = {c.source for c in own}
        for mine in own:
            same = next((k for k, theirs in enumerate(solved) if theirs.source == mine.source), None)
            if same is not None:
                cells += [solutions_only(extra) for extra in solved[:same]] + [mine]
                solved = solved[same + 1 :]
            elif mine.cell_type == "code" and solved and solved[0].cell_type == "code":
                number += 1
                cells += exercise_cells(number, mine, solved.pop(0))
            else:
                # The solutions' own cells after an answer come before the lesson's next cell.
                while solved and solved[0].source not in own_sources:
                    cells.append(solutions_only(solved.pop(0)))
                cells.append(mine)
            index += 1
        cells += [solutions_only(extra) for extra in solved]
    source = copy.deepcopy(student_nb)
    source.cells = cells
    for cell in source.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
    return source


def adopt(notebook, source) -> "list[str]":
    """Copy the learner's notebook's edited and new lesson cells into ``source``; the ids it changed."""
    generated = {cell.id for cell in source.cells if ls.is_solution_cell(cell) or ls.is_graded_cell(cell)}
    position = {cell.id: index for index, cell in enumerate(source.cells)}
    changed, after = [], 0
    for cell in notebook.cells:
        if cell.id in generated:
            after = position[cell.id] + 1
            continue
        kept = copy.deepcopy(cell)
        if kept.cell_type == "code":
            kept.outputs, kept.execution_count = [], None
        kept.metadata.pop("execution", None)
        if cell.id in position:
            mine = source.cells[position[cell.id]]
            kept.metadata = {**mine.metadata, **{k: v for k, v in kept.metadata.items() if k != "tags"}}
            if mine.source != kept.source or mine.cell_type != kept.cell_type:
                source.cells[position[cell.id]] = kept
                changed.append(cell.id)
            after = position[cell.id] + 1
        else:
            source.cells.insert(after, kept)
            changed.append(cell.id)
            position = {c.id: index for index, c in enumerate(source.cells)}
            after += 1
    return changed


def main(argv: "list[str] | None" = None) -> int:
    parser = argparse.ArgumentParser(description="연습 노트북과 풀이 노트북을 nbgrader 원본 하나로 합칩니다.")
    parser.add_argument("notebook", type=Path, help="notebooks/NN_slug.ipynb")
    parser.add_argument("solutions", type=Path, nargs="?", help="notebooks/solutions/NN_slug_solutions.ipynb")
    parser.add_argument("--force", action="store_true", help="이미 있는 원본을 덮어씁니다")
    parser.add_argument("--adopt", action="store_true", help="연습 노트북에서 고친 본문 셀을 원본에 옮깁니다")
    arguments = parser.parse_args(argv)
    name = arguments.notebook.stem
    target = ls.source_path(name)
    if arguments.adopt:
        source = ls.read(target)
        changed = adopt(ls.read(arguments.notebook), source)
        nbformat.write(source, target)
        print(f"원본에 옮긴 셀 {len(changed)}개: {', '.join(changed) or '없음'} ({target.relative_to(ls.ROOT)})")
        return 0
    if arguments.solutions is None:
        parser.error("풀이 노트북 경로가 필요합니다(--adopt가 아니면)")
    if target.exists() and not arguments.force:
        print(f"원본이 이미 있습니다: {target.relative_to(ls.ROOT)} (덮어쓰려면 --force)")
        return 1
    source = convert(ls.read(arguments.notebook), ls.read(arguments.solutions))
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(source, target)
    graded = sum(ls.is_graded_cell(cell) for cell in source.cells)
    print(f"원본을 만들었습니다: {target.relative_to(ls.ROOT)} (채점 셀 {graded}개)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
