"""Widgets and pages proven in a real browser: JupyterLab running the course's film explorer, and the static site.

Drives Debian's chromium through Playwright's Python package (no browser download). Skipped, with
the reason, where Playwright or chromium is missing. On failure a screenshot (and the JupyterLab
log) is saved under test-artifacts/.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from paths import PROJECT_ROOT
from processes import stop

ROOT = PROJECT_ROOT
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
EXPLORER_CALL = "il.viz.film_explorer("
WAIT_MS = 90_000

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright 파이썬 패키지가 없어 건너뜁니다: pip install -r requirements-test.txt"
)
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

pytestmark = pytest.mark.slow
expect = sync_api.expect
expect.set_options(timeout=WAIT_MS)


def explorer_notebook(folder: Path) -> Path:
    """The first course notebook that shows il.viz.film_explorer, copied with its folder;
    a small generated one if the course has none."""
    shutil.copytree(ROOT / "notebooks", folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        if EXPLORER_CALL in path.read_text(encoding="utf-8"):
            return path
    path = folder / "99_film_explorer.ipynb"
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 99. 필름 탐색기"),
            new_code_cell(
                "import imagelib as il\nimg = il.Image.scratch()\n"
                "for name in ('기본', '런타임', '앱'):\n"
                "    img = img.add_layer(il.Layer.from_files({name: name}, created_by=f'COPY {name}'))\n"
                f"{EXPLORER_CALL}img)"
            ),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"jupyter lab이 시작하지 못했습니다:\n{log.read_text(errors='replace')[-3000:]}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        time.sleep(0.3)
    pytest.fail(f"jupyter lab이 {seconds:.0f}초 안에 응답하지 않았습니다")


class Lab:
    def __init__(self, url: str, token: str, notebook: Path, log: Path) -> None:
        self.url, self.token, self.notebook, self.log = url, token, notebook, log

    def page_url(self, path: str) -> str:
        return f"{self.url}/{path}?token={self.token}"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"chromium이 없어 건너뜁니다({CHROMIUM}): apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    base = tmp_path_factory.mktemp("lab")
    notebook = explorer_notebook(base / "notebooks")
    port, token = free_port(), secrets.token_hex(16)
    log = base / "jupyter-lab.log"
    # Render every cell, not only those in view, so a page read sees the whole notebook.
    tracker = base / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}', encoding="utf-8")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(base / "config"), "JUPYTER_RUNTIME_DIR": str(base / "runtime")}
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--expose-app-in-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={base / 'notebooks'}",
        f"--LabApp.user_settings_dir={base / 'settings'}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    with log.open("wb") as sink:
        server = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=base)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/api/status?token={token}", server, log)
        yield Lab(url, token, notebook, log)
    finally:
        stop(server, timeout=15)


@contextlib.contextmanager
def evidence_on_failure(page, name: str, log: "Path | None" = None):
    """Keep a screenshot (and the server log) in test-artifacts/ when the block fails."""
    try:
        yield
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
        if log is not None and log.exists():
            shutil.copyfile(log, ARTIFACTS / f"{name}-jupyter-lab.log")
        raise


def open_notebook(browser, lab: Lab, path: str):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(WAIT_MS)
    page.goto(lab.page_url(f"lab/tree/{path}"))
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " const kernel = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        " return kernel && kernel.status === 'idle'; }"
    )
    return page


def overlaid(count: int) -> str:
    return "겹친 필름 " + ", ".join(f"L{i}" for i in range(count))


def test_film_explorer_renders_and_reacts_in_jupyterlab(browser, lab):
    page = open_notebook(browser, lab, lab.notebook.name)
    with evidence_on_failure(page, "jupyterlab-film-explorer", lab.log):
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        explorer = page.locator(".jp-OutputArea-output .widget-vbox:has(.widget-slider):has(.widget-image)").first
        expect(explorer).to_be_visible()
        explorer.scroll_into_view_if_needed()
        boxes = explorer.locator(".widget-checkbox input[type=checkbox]")
        expect(boxes.first).to_be_visible()
        count = boxes.count()
        assert count >= 2
        tree = explorer.locator(".widget-html").last
        expect(tree).to_contain_text(overlaid(count) + " →")
        picture = explorer.locator("img").first
        expect(picture).to_have_js_property("complete", True)
        before = picture.get_attribute("src")
        assert page.get_by_text("Error displaying widget").count() == 0

        boxes.last.uncheck()

        expect(tree).to_contain_text(overlaid(count - 1) + " →")
        expect(picture).not_to_have_attribute("src", before)
        assert page.get_by_text("Error displaying widget").count() == 0

        # a teacher presents live in JupyterLab's presentation mode: the widget stays and still works
        page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-presentation-mode')")
        expect(page.locator("#main.jp-mod-presentationMode")).to_have_count(1)
        boxes.last.check()
        expect(tree).to_contain_text(overlaid(count) + " →")


def course_font_families() -> "list[str]":
    """The font families the course site asks for, in order (tools/site_template/course.css)."""
    css = (ROOT / "tools" / "site_template" / "course.css").read_text(encoding="utf-8")
    return re.findall(r'"([^"]+)"', re.search(r"--course-font:([^;]+);", css).group(1))


def fonts_drawing(page, selector: str) -> "list[dict]":
    """The fonts Chromium really drew the text in ``selector`` with (DevTools protocol)."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("DOM.enable")
    devtools.send("CSS.enable")
    root = devtools.send("DOM.getDocument")["root"]["nodeId"]
    node = devtools.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return devtools.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


@pytest.fixture(scope="module")
def site_page(tmp_path_factory):
    """The static site page of the notebook that has the film explorer (and its solutions)."""
    folder = tmp_path_factory.mktemp("site")
    notebook = explorer_notebook(folder / "notebooks")
    out = folder / "site"
    build_site.build(out, notebook.parent, only=[notebook.name[:2]], log=lambda _line: None)
    return out / f"{notebook.stem}.html", build_site.title_and_minutes(nbformat.read(notebook, as_version=4))[0]


def test_static_site_page_shows_figures_widget_and_korean(browser, site_page):
    path, title = site_page
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    with evidence_on_failure(page, "site-page"):
        page.goto(path.as_uri())  # opened from disk, as a learner without a server would
        page.evaluate("document.fonts.ready")
        heading = page.locator("h1").first
        expect(heading).to_contain_text(title)
        # The heading's Korean is drawn with a Korean font the style sheet names: an installed one
        # (e.g. fonts-nanum's NanumGothic) or, on a computer without one, the embedded web font.
        drawn = fonts_drawing(page, "h1")
        assert any(font["isCustomFont"] or font["familyName"] in course_font_families() for font in drawn), drawn
        # The embedded font itself loads from a page opened from disk and has the Hangul glyphs.
        assert page.evaluate("document.fonts.load('16px CourseKorean', '레이어').then(faces => faces.length)") >= 1
        faces = page.evaluate("[...document.fonts].map(f => [f.family.replace(/\"/g, ''), f.status])")
        assert ["CourseKorean", "loaded"] in faces, faces
        assert page.evaluate("document.fonts.check('16px CourseKorean', '레이어')")
        figures = page.locator("main img")
        assert figures.count() >= 2
        for index in range(figures.count()):
            figure = figures.nth(index)
            figure.scroll_into_view_if_needed()
            assert figure.evaluate("img => img.complete && img.naturalWidth > 0"), f"그림 {index}가 비었습니다"
            assert (figure.get_attribute("alt") or "").strip(), f"그림 {index}에 대체 텍스트가 없습니다"
        snapshot = page.locator(".widget-snapshot").first
        snapshot.scroll_into_view_if_needed()
        expect(snapshot.locator("input[type=checkbox]").first).to_be_visible()
        expect(page.locator("nav.course-nav a", has_text="목차").first).to_be_visible()


def require_rise() -> None:
    if importlib.util.find_spec("jupyterlab_rise") is None:
        pytest.skip("jupyterlab-rise가 설치되어 있지 않아 건너뜁니다 (pip install jupyterlab-rise)")


def test_rise_presents_the_notebook_as_slides(browser, lab):
    require_rise()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    with evidence_on_failure(page, "rise-slideshow", lab.log):
        page.goto(lab.page_url(f"rise/{lab.notebook.name}"))
        expect(page.locator(".reveal.ready")).to_have_count(1)
        title = build_site.title_and_minutes(nbformat.read(lab.notebook, as_version=4))[0]
        expect(page.locator(".reveal .slides section.present").first).to_contain_text(title.split(". ", 1)[-1])


@pytest.mark.xfail(
    strict=True,
    reason=(
        "jupyterlab-rise 0.43.1 bundles JupyterLab 4.3 packages; the ipywidgets manager of JupyterLab 4.6 "
        "needs @jupyterlab/console and ^4.6 packages, fails to load there, and widgets show as plain text"
    ),
)
def test_rise_shows_widgets(browser, lab):
    require_rise()
    page = open_notebook(browser, lab, lab.notebook.name)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    expect(page.locator(".jp-OutputArea-output .widget-slider").first).to_be_visible()
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    slideshow = browser.new_page(viewport={"width": 1280, "height": 900})
    slideshow.goto(lab.page_url(f"rise/{lab.notebook.name}"))
    expect(slideshow.locator(".reveal.ready")).to_have_count(1)
    expect(slideshow.locator(".widget-slider").first).to_be_attached(timeout=20_000)


# -- every notebook's page: what a reader sees --------------------------------------------------

# numbers with their unit, "19개/2.0 MB" pairs, layer numbers, and the dash of an empty number cell
_NUMBER = r"[-+]?[\d.,]+\s*(B|KB|MB|GB|%|초|개|장|배|번|회)?"
NUMBER_CELL = re.compile(rf"^({_NUMBER}(/{_NUMBER})?|L\d+|—)$")
READ_PAGE = """() => {
  const cells = [...document.querySelectorAll('.jp-RenderedHTMLCommon td')];
  return {
    text: [...document.querySelectorAll('.jp-RenderedMarkdown')].map(e => {
      const prose = e.cloneNode(true);  // code may hold a literal ** (a glob), prose may not
      prose.querySelectorAll('code, pre').forEach(c => c.remove());
      return prose.textContent;
    }).join('\\n'),
    cells: cells.map(c => [c.innerText.trim(), getComputedStyle(c).textAlign]),
  };
}"""


@pytest.fixture(scope="module")
def stored_pages(tmp_path_factory):
    """Every notebook as a site page, from its stored outputs (no kernel: fast; the solutions
    repeat the same cells)."""
    out = tmp_path_factory.mktemp("pages")
    pages = [page for page in build_site.discover(ROOT / "notebooks") if not page.solution]
    for page in pages:
        nb = nbformat.read(page.source, as_version=4)
        build_site.prepare(nb)
        (out / page.href).parent.mkdir(parents=True, exist_ok=True)
        (out / page.href).write_text(build_site.render(nb, page, pages), encoding="utf-8")
    (out / "course.css").write_text((ROOT / "tools" / "site_template" / "course.css").read_text(encoding="utf-8"))
    return out, pages


def test_every_page_shows_no_literal_markdown_and_left_aligned_text_cells(browser, stored_pages):
    out, pages = stored_pages
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    found = {}
    for entry in pages:
        page.goto((out / entry.href).as_uri())
        seen = page.evaluate(READ_PAGE)
        stray = [line for line in seen["text"].splitlines() if "**" in line]
        right = [text for text, align in seen["cells"] if text and not NUMBER_CELL.match(text) and align == "right"]
        if stray or right:
            found[entry.href] = {"** 그대로": stray[:3], "오른쪽 정렬 글": right[:3]}
    page.close()
    assert found == {}, "\n".join(f"{href}: {what}" for href, what in found.items())


def test_every_notebook_in_jupyterlab_shows_no_literal_markdown_and_left_aligned_text_cells(browser, lab):
    """The same reading in JupyterLab itself (its own styles), from the stored outputs, no kernel run."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT_MS)
    found, tables = {}, 0
    for path in sorted(lab.notebook.parent.glob("[0-9][0-9]_*.ipynb")):
        page.goto(lab.page_url(f"lab/tree/{path.name}"))
        cells = len(nbformat.read(path, as_version=4).cells)
        page.wait_for_function(f"() => document.querySelectorAll('.jp-Notebook .jp-Cell').length >= {cells}")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-MarkdownCell')].every("
            "c => c.querySelector('.jp-RenderedMarkdown'))"
        )
        with evidence_on_failure(page, f"jupyterlab-{path.stem}", lab.log):
            seen = page.evaluate(READ_PAGE)
            assert len(seen["text"]) > 1000, path.name  # the whole notebook was rendered and read
        tables += len(seen["cells"])
        stray = [line for line in seen["text"].splitlines() if "**" in line]
        right = [text for text, align in seen["cells"] if text and not NUMBER_CELL.match(text) and align == "right"]
        if stray or right:
            found[path.name] = {"** 그대로": stray[:3], "오른쪽 정렬 글": right[:3]}
        page.evaluate("() => window.jupyterapp.commands.execute('application:close-all')")
    page.close()
    assert tables > 100  # the HTML tables of the stored outputs were read too
    assert found == {}, "\n".join(f"{name}: {what}" for name, what in found.items())
