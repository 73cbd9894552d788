"""Real nbgrader grades every lesson: full marks for the answers, none (with the Korean reason) for
an untouched notebook, part of the marks for a notebook with only its first exercise answered.

The course folder (course/nbgrader_config.py and course/source/) is copied to a temporary folder
and graded there the way README's teacher section says: ``generate_assignment``, then each
lesson's three submissions under ``submitted/``, ``autograde``, ``generate_feedback``. nbgrader
runs every submission in a kernel, so the lessons are graded in two course folders side by side
(nbgrader's gradebook is one SQLite file per folder), each with one nbgrader call per step for all
its lessons.
nbgrader needs Python 3.11 or newer and is a teacher's package (requirements-teacher.txt): without
it these tests are skipped.
"""

from __future__ import annotations

import copy
import html
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from paths import PROJECT_ROOT

pytest.importorskip(
    "nbgrader", reason="nbgrader가 없습니다(선생님용: pip install -r requirements-teacher.txt, 파이썬 3.11 이상)"
)

sys.path.insert(0, str(PROJECT_ROOT / "tools"))
import lesson_source as ls  # noqa: E402
from nbgrader.api import Gradebook  # noqa: E402

LESSONS = ls.lesson_names()
SOLVER, UNTOUCHED, PARTIAL = "solver", "untouched", "partial"
NOT_ANSWERED = "아직 답을 채우지 않았어요"
pytestmark = pytest.mark.slow


def nbgrader(course: Path, *arguments: str) -> None:
    """One nbgrader command in ``course``; fails the test with nbgrader's log when it fails."""
    run = subprocess.run(
        [sys.executable, "-m", "nbgrader", *arguments],
        cwd=course,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")])},
        timeout=1800,
    )
    if run.returncode != 0:
        pytest.fail(f"nbgrader {' '.join(arguments)} 실패:\n{run.stderr[-4000:]}")


def submission(released, answered: "dict[str, str]"):
    """The released notebook with these exercises answered (the others untouched)."""
    nb = copy.deepcopy(released)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answered:
            cell.source = answered[grade_id]
    return nb


def submit(course: Path, name: str) -> None:
    released = ls.read(course / "release" / name / f"{name}.ipynb")
    every = ls.answers(name)
    first = dict(list(every.items())[:1])
    for student, answered in [(SOLVER, every), (UNTOUCHED, {}), (PARTIAL, first)]:
        folder = course / "submitted" / student / name
        folder.mkdir(parents=True)
        nbformat.write(submission(released, answered), folder / f"{name}.ipynb")


def new_course(course: Path, lessons: "list[str]") -> Path:
    """A course folder with these lessons' sources and the course's nbgrader settings."""
    (course / "source").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "course" / "nbgrader_config.py", course)
    for name in lessons:
        shutil.copytree(ls.SOURCES / name, course / "source" / name)
    return course


def grade(course: Path, lessons: "list[str]") -> None:
    """README's teacher steps, on a course folder that has these lessons."""
    nbgrader(course, "generate_assignment", "*")
    for name in lessons:
        submit(course, name)
    nbgrader(course, "autograde", "*")
    nbgrader(course, "generate_feedback", "*", "--student", UNTOUCHED)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> "dict[str, Path]":
    """The course folder that graded each lesson."""
    root = tmp_path_factory.mktemp("grading")
    halves = {root / "a": LESSONS[0::2], root / "b": LESSONS[1::2]}
    started = time.monotonic()
    with ThreadPoolExecutor(len(halves)) as pool:
        runs = [pool.submit(grade, new_course(course, lessons), lessons) for course, lessons in halves.items()]
        for run in runs:
            run.result()
    print(f"\nnbgrader가 {len(LESSONS)}개 노트북 × 제출 3개를 채점한 시간: {time.monotonic() - started:.0f}초")
    return {name: course for course, lessons in halves.items() for name in lessons}


def only_error(cell):
    """The one error a graded cell showed (the Korean reason for no points)."""
    (error,) = [output for output in cell.outputs if output.output_type == "error"]
    return error


def score(course: Path, name: str, student: str) -> "tuple[float, float]":
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="imagelib-course") as book:
        found = book.find_submission(name, student)
        return found.score, found.max_score


def test_every_lesson_has_a_source():
    assert [path.stem for path in sorted(ls.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))] == LESSONS


@pytest.mark.parametrize("name", LESSONS)
def test_release_is_the_learners_notebook(graded, name):
    released = ls.read(graded[name] / "release" / name / f"{name}.ipynb")
    stored = ls.read(ls.student_path(name))
    assert [cell.source.rstrip() for cell in released.cells] == [cell.source for cell in stored.cells]


@pytest.mark.parametrize("name", LESSONS)
def test_answers_get_full_marks(graded, name):
    got, most = score(graded[name], name, SOLVER)
    assert most >= 2 and got == most


@pytest.mark.parametrize("name", LESSONS)
def test_untouched_notebook_gets_nothing_and_says_why_in_korean(graded, name):
    course = graded[name]
    assert score(course, name, UNTOUCHED)[0] == 0
    autograded = ls.read(course / "autograded" / UNTOUCHED / name / f"{name}.ipynb")
    reasons = [only_error(cell).evalue for cell in autograded.cells if ls.is_graded_cell(cell)]
    assert reasons and all(NOT_ANSWERED in reason for reason in reasons)
    feedback = (course / "feedback" / UNTOUCHED / name / f"{name}.html").read_text(encoding="utf-8")
    assert all(html.escape(reason, quote=False) in feedback for reason in reasons)
    assert "most recent call last" not in feedback  # no Python traceback, only the reason


@pytest.mark.parametrize("name", LESSONS)
def test_first_exercise_alone_gets_part_of_the_marks(graded, name):
    course = graded[name]
    got, most = score(course, name, PARTIAL)
    assert 0 < got < most
    autograded = ls.read(course / "autograded" / PARTIAL / name / f"{name}.ipynb")
    checks = [cell for cell in autograded.cells if ls.is_graded_cell(cell)]
    assert not any(output.output_type == "error" for output in checks[0].outputs)
    for cell in checks[1:]:
        error = only_error(cell)
        assert error.traceback == [error.evalue] and NOT_ANSWERED in error.evalue
