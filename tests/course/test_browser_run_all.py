"""Run All in JupyterLab goes past an unanswered exercise: its graded cell shows one Korean line (no
traceback) and, because it is tagged ``raises-exception`` (JupyterLab then asks the kernel not to
stop on that error), the cells after it still run. Without the tag the kernel drops the cells queued
behind the error; how many were already queued depends on timing, so that side is not a test here.

Uses the browser and JupyterLab of test_browser.py (Debian's chromium through Playwright).
"""

from __future__ import annotations

import sys

import nbformat
import pytest
from paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tools"))
import lesson_source as ls  # noqa: E402
import test_browser  # noqa: E402  (its chromium and JupyterLab fixtures)

WAIT_MS, evidence_on_failure = test_browser.WAIT_MS, test_browser.evidence_on_failure
browser, lab = test_browser.browser, test_browser.lab  # the same fixtures, used by this module's tests

pytestmark = pytest.mark.slow
LESSON = "00_introduction"
NOT_ANSWERED = "아직 답을 채우지 않았어요"

RUN_STATE = """() => {
    const cells = window.jupyterapp.shell.currentWidget.content.widgets.filter(c => c.model.type === 'code');
    return cells.map(c => ({
        count: c.model.executionCount,
        text: c.node.querySelector('.jp-OutputArea')?.innerText ?? '',
    }));
}"""


def run_all(browser, lab, name: str) -> list:
    """Open the notebook, clear the stored outputs, Run All and let the kernel settle: each code cell's
    execution count (None: not run) and output text."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT_MS)
    page.goto(lab.page_url(f"lab/tree/{name}"))
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " const kernel = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        " return kernel && kernel.status === 'idle'; }"
    )
    with evidence_on_failure(page, f"run-all-{name}", lab.log):
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        page.wait_for_function(
            "() => !window.jupyterapp.shell.currentWidget.content.widgets.some(c => c.model.executionCount)"
        )
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_timeout(1000)
        page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " return w.sessionContext.session.kernel.status === 'idle'"
            " && !w.content.widgets.some(c => c.model.type === 'code' && c.model.executionState === 'running'); }"
        )
        page.wait_for_timeout(2000)  # a queued cell would have started by now
        state = page.evaluate(RUN_STATE)
    page.evaluate("() => window.jupyterapp.commands.execute('application:close-all')")
    page.close()
    return state


def graded_positions(nb) -> "list[int]":
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    return [index for index, cell in enumerate(code) if ls.RAISES in ls.tags(cell)]


def test_run_all_goes_past_unanswered_exercises(browser, lab):
    notebook = lab.notebook.parent / f"{LESSON}.ipynb"
    graded = graded_positions(nbformat.read(notebook, as_version=4))
    state = run_all(browser, lab, notebook.name)
    assert graded and all(cell["count"] for cell in state), "Run All이 모든 셀을 실행하지 않았습니다"
    for index in graded:
        assert NOT_ANSWERED in state[index]["text"] and "Traceback" not in state[index]["text"]
