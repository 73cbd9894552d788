"""One source per lesson (course/source/): the learner's notebook and the worked solutions are made
from it by tools/generate_notebooks.py, and stay what it makes."""

from __future__ import annotations

import sys

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from paths import PROJECT_ROOT

from imagelib import exercise

sys.path.insert(0, str(PROJECT_ROOT / "tools"))
import generate_notebooks  # noqa: E402
import lesson_source as ls  # noqa: E402
import make_source  # noqa: E402

LESSONS = ls.lesson_names()
FIX = "python tools/generate_notebooks.py"
NOT_ANSWERED = "아직 답을 채우지 않았어요"


def graded_cells(nb) -> list:
    return [cell for cell in nb.cells if ls.is_graded_cell(cell)]


def test_every_lesson_has_one_source():
    assert LESSONS == [path.stem for path in sorted(ls.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))]


@pytest.mark.parametrize("name", LESSONS)
def test_generated_notebooks_match_their_source(name):
    stale = generate_notebooks.stale([name])
    assert not stale, f"원본(course/source/{name})과 다른 노트북: {[str(p.name) for p in stale]}. 고치기: {FIX} {name}"


@pytest.mark.parametrize("name", LESSONS)
def test_source_has_graded_exercises_with_answers(name):
    source = ls.read(ls.source_path(name))
    exercises = [cell for cell in source.cells if ls.is_solution_cell(cell)]
    checks = graded_cells(source)
    assert len(exercises) >= 2 and len(checks) == len(exercises)
    assert all(cell.metadata["nbgrader"]["points"] > 0 and ls.RAISES in ls.tags(cell) for cell in checks)
    assert all(ls.split_solution(cell.source)[1] for cell in exercises)


@pytest.mark.parametrize("name", LESSONS)
def test_unanswered_exercise_says_so_in_one_korean_line(name):
    """The learner's stored notebook, as executed: each graded cell shows one line, no traceback."""
    graded_ids = {cell.id for cell in graded_cells(ls.read(ls.source_path(name)))}
    stored = ls.read(ls.student_path(name))
    assert ls.BEGIN_SOLUTION not in "".join(cell.source for cell in stored.cells)
    checks = [cell for cell in stored.cells if cell.id in graded_ids]
    assert len(checks) == len(graded_ids)
    for cell in checks:
        (error,) = cell.outputs
        assert error.output_type == "error" and error.traceback == [error.evalue]
        assert NOT_ANSWERED in error.evalue


@pytest.mark.parametrize("name", LESSONS)
def test_worked_solutions_pass_every_check(name):
    source = ls.read(ls.source_path(name))
    graded_ids = {cell.id for cell in graded_cells(source)}
    stored = ls.read(ls.solutions_path(name))
    checks = [cell for cell in stored.cells if cell.id in graded_ids]
    assert len(checks) == len(graded_ids)
    for cell in checks:
        assert [output.output_type for output in cell.outputs] == ["stream"]
        assert "정답" in cell.outputs[0].text


def old_pair():
    """A lesson in the old two-notebook form."""
    helper = new_code_cell(
        "def check(answer, is_right, hint, praise):\n"
        "    if answer is ...:\n"
        '        print("아직 답을 채우지 않았어요.")\n'
        "        return\n"
        '    print(f"정답입니다! {praise}" if is_right(answer) else f"아직 아니에요. 힌트: {hint}")'
    )
    exercise = new_markdown_cell("**연습 1 — 더하기.** `total`에 1 + 1을 담으세요.")
    test = 'check(total, lambda a: a == 2, "1 + 1을 계산해 보세요.", "2입니다.")'
    second = new_markdown_cell("**연습 2 — 빼기.** `rest`에 3 - 1을 담으세요.")
    test2 = 'check(rest, lambda a: a == 2, "3 - 1을 계산해 보세요.", "역시 2입니다.")'
    student = new_notebook(
        cells=[
            new_markdown_cell("# 99. 산수\n\n[목차](../README.md#목차)"),
            new_markdown_cell("## 연습문제"),
            helper,
            exercise,
            new_code_cell(f"start = 1\n\ntotal = ...  # 숫자 하나\n\n{test}"),
            second,
            new_code_cell(f"rest = ...\n\n{test2}"),
            new_markdown_cell("## 정리\n\n- 더하기를 했습니다."),
        ]
    )
    solutions = new_notebook(
        cells=[
            new_markdown_cell("# 99. 연습문제 풀이: 산수\n\n[목차](../../README.md#목차)"),
            new_code_cell("start = 1  # 본문의 준비를 옮겨 온 셀"),
            helper,
            exercise,
            new_code_cell(f"start = 1\n\ntotal = start + 1\nprint(total)\n\n{test}"),
            new_markdown_cell("1에 1을 더하면 2입니다."),
            second,
            new_code_cell(f"rest = 3 - 1\n\n{test2}"),
        ]
    )
    for nb in (student, solutions):
        for number, cell in enumerate(nb.cells):
            cell.id = f"c{number}"
    return student, solutions


def test_make_source_splits_answers_from_checks():
    source = make_source.convert(*old_pair())
    exercise = next(cell for cell in source.cells if ls.is_solution_cell(cell))
    answer = "### BEGIN SOLUTION\ntotal = start + 1\nprint(total)\n### END SOLUTION"
    assert exercise.source == f"start = 1\n\ntotal = ...  # 숫자 하나\n{answer}"
    checks = graded_cells(source)
    assert [cell.source.split("(")[0] for cell in checks] == ["check", "check"]
    assert [cell.metadata["nbgrader"]["grade_id"] for cell in checks] == ["exercise_1_check", "exercise_2_check"]

    student = ls.student_version(source)
    assert [cell.source for cell in student.cells][4:6] == ["start = 1\n\ntotal = ...  # 숫자 하나", checks[0].source]
    assert "1에 1을 더하면 2입니다." not in [cell.source for cell in student.cells]
    assert student.cells[0].source.startswith("# 99. 산수")

    solved = ls.solutions_version(source)
    texts = [cell.source for cell in solved.cells]
    assert texts[0].startswith("# 99. 연습문제 풀이") and "# 99. 산수" not in texts[1]
    assert "start = 1\n\ntotal = start + 1\nprint(total)" in texts
    assert texts.index("1에 1을 더하면 2입니다.") == texts.index(checks[0].source) + 1
    assert "rest = 3 - 1" in texts and "## 정리\n\n- 더하기를 했습니다." in texts
    assert not any("nbgrader" in cell.metadata for cell in solved.cells)


def test_converted_lessons_import_the_one_checker():
    source = make_source.convert(*old_pair())
    helpers = [cell for cell in source.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == "check_helper"]
    assert [cell.source for cell in helpers] == ["from imagelib.exercise import check"]


@pytest.mark.parametrize("name", LESSONS)
def test_every_lesson_imports_the_checker_rather_than_defining_one(name):
    sources = [cell.source for cell in ls.read(ls.source_path(name)).cells if cell.cell_type == "code"]
    assert "from imagelib.exercise import check" in sources
    assert not any("def check(" in text or "class NotYet" in text for text in sources)


def test_checker_fails_with_one_korean_line():
    for answer, expected in [(..., NOT_ANSWERED), ((1, ...), NOT_ANSWERED), (3, "아직 아니에요. 힌트: 1 + 1")]:
        with pytest.raises(exercise.NotYet) as failed:
            exercise.check(answer, lambda a: a == 2, "1 + 1을 계산해 보세요.", "2입니다.")
        assert isinstance(failed.value, AssertionError)  # nbgrader counts a failing assert as 0 points
        assert failed.value._render_traceback_() == [str(failed.value)] and expected in str(failed.value)


def test_checker_counts_an_answer_it_cannot_use_as_wrong(capsys):
    with pytest.raises(exercise.NotYet, match="힌트: 길이"):
        exercise.check(3, lambda a: len(a) == 2, "길이를 보세요.", "두 개입니다.")
    exercise.check((1, 1), lambda a: len(a) == 2, "길이를 보세요.", "두 개입니다.")
    assert capsys.readouterr().out == "정답입니다! 두 개입니다.\n"


@pytest.mark.parametrize("name", LESSONS)
def test_links_of_both_notebooks_resolve_from_their_folders(name):
    for path in (ls.student_path(name), ls.solutions_path(name)):
        for cell in ls.read(path).cells:
            if cell.cell_type == "markdown":
                for target in ls.RELATIVE_LINK.findall(cell.source):
                    assert (path.parent / target).exists(), f"{path.name}: 없는 링크 {target}"


def test_lesson_links_are_moved_for_the_solutions_folder():
    moved = ls.from_solutions_folder(
        "[풀이](solutions/01_x_solutions.ipynb) [다음](02_y.ipynb) [목차](../README.md#목차)"
    )
    assert moved == "[풀이](01_x_solutions.ipynb) [다음](../02_y.ipynb) [목차](../../README.md#목차)"


@pytest.mark.parametrize("name", LESSONS)
def test_adopt_finds_nothing_to_take_from_a_generated_notebook(name):
    assert make_source.adopt(ls.read(ls.student_path(name)), ls.read(ls.source_path(name))) == []


def test_adopt_takes_edited_and_new_lesson_cells_into_the_source():
    source = make_source.convert(*old_pair())
    learner = ls.student_version(source)
    learner.cells[1].source = "## 연습문제\n\n고친 설명입니다."
    learner.cells.insert(2, new_markdown_cell("새 셀입니다.", id="new-cell"))
    learner.cells[5].source = "total = 42"  # an exercise cell: the source keeps its answer
    assert make_source.adopt(learner, source) == [learner.cells[1].id, "new-cell"]
    regenerated = ls.student_version(source)
    assert [cell.source for cell in regenerated.cells][1:3] == ["## 연습문제\n\n고친 설명입니다.", "새 셀입니다."]
    assert "total = start + 1" in next(cell.source for cell in source.cells if ls.is_solution_cell(cell))
