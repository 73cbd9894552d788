"""The static course site (tools/build_site.py): executed pages, navigation, Korean, figures with alt text.

A small course is generated here (cells without stored outputs, so every output on a page proves
the notebook ran); one real course notebook is built too, so the real course cannot rot.
"""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
sys.path.insert(0, str(ROOT / "tools"))

import build_site  # noqa: E402

pytestmark = pytest.mark.slow

FIGURE_INTRO = "막대 그림으로 레이어 크기를 봅니다."
EXPLORER = """\
import imagelib as il
img = il.Image.scratch()
for name in ("기본", "런타임", "앱"):
    img = img.add_layer(il.Layer.from_files({f"{name}.txt": name}, created_by=f"COPY {name}"))
il.viz.film_explorer(img)"""
FIGURE = """\
import matplotlib.pyplot as plt
import imagelib as il
il.viz.use_korean_font()
plt.bar(["기본", "앱"], [3, 1])
plt.title("레이어 크기")
plt.show()"""


def notebook(path: Path, *cells) -> None:
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def mini_course(folder: Path) -> Path:
    notebooks = folder / "notebooks"
    notebook(
        notebooks / "00_alpha.ipynb",
        new_markdown_cell(
            "# 00. 첫 번째 실험\n\n**예상 시간**: 5분\n\n[목차](../README.md#목차) · [다음: 01 →](01_beta.ipynb)"
        ),
        new_code_cell('print("안녕하세요, 실행되었습니다")'),
        new_markdown_cell(f"## 그림 그리기\n\n{FIGURE_INTRO} 두 번째 문장입니다."),
        new_code_cell(FIGURE),
        new_markdown_cell("## 필름 탐색기"),
        new_code_cell(EXPLORER),
    )
    notebook(
        notebooks / "01_beta.ipynb",
        new_markdown_cell("# 01. 두 번째 실험\n\n**예상 시간**: 7분\n\n[← 이전](00_alpha.ipynb)"),
        new_code_cell("print(6 * 7)"),
    )
    for stem in ("00_alpha", "01_beta"):
        notebook(
            notebooks / "solutions" / f"{stem}_solutions.ipynb",
            new_markdown_cell(f"# {stem[:2]}. 풀이\n\n[← 본문](../{stem}.ipynb) · [목차](../../README.md#목차)"),
            new_code_cell('print("풀이 " + "실행됨")'),
        )
    return notebooks


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("course")
    out = folder / "site"
    pages = build_site.build(out, mini_course(folder), log=lambda _line: None)
    assert [p.href for p in pages] == [
        "00_alpha.html",
        "01_beta.html",
        "solutions/00_alpha_solutions.html",
        "solutions/01_beta_solutions.html",
    ]
    return out


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def hrefs(page: str) -> "list[str]":
    return re.findall(r'href=["\']([^"\']+)["\']', page)


def test_index_is_the_table_of_contents(site):
    index = read(site / "index.html")
    assert '<html lang="ko">' in index and '<meta charset="utf-8">' in index
    for href, title, minutes in (
        ("00_alpha.html", "00. 첫 번째 실험", "5분"),
        ("01_beta.html", "01. 두 번째 실험", "7분"),
    ):
        row = next(line for line in index.splitlines() if f"href='{href}'" in line)
        assert title in row and minutes in row
    assert "solutions/00_alpha_solutions.html" in index and "solutions/01_beta_solutions.html" in index


def test_pages_show_outputs_of_a_fresh_run(site):
    assert "안녕하세요, 실행되었습니다" in read(site / "00_alpha.html")
    assert "42" in read(site / "01_beta.html")
    assert "풀이 실행됨" in read(site / "solutions" / "00_alpha_solutions.html")


def test_pages_are_korean_utf8_with_the_course_style(site):
    for path in site.rglob("*.html"):
        page = read(path)
        assert '<html lang="ko">' in page and re.search(r'<meta charset="utf-8"\s*/?>', page)
        assert "course.css" in page


def test_prev_next_and_counterpart_navigation(site):
    first, second = read(site / "00_alpha.html"), read(site / "01_beta.html")
    solution = read(site / "solutions" / "00_alpha_solutions.html")
    assert re.search(r"href=.01_beta\.html. rel=.next.", first)
    assert re.search(r"href=.00_alpha\.html. rel=.prev.", second)
    assert "rel='prev'" not in first and "rel='next'" not in second
    assert "solutions/00_alpha_solutions.html" in first
    assert re.search(r"href=.\.\./solutions/01_beta_solutions\.html. rel=.next.", solution)
    assert "../00_alpha.html" in solution and "../index.html" in solution


def test_links_between_notebooks_point_to_pages_and_all_resolve(site):
    for path in site.rglob("*.html"):
        page = read(path)
        assert ".ipynb" not in "".join(hrefs(page)) and "README.md" not in page
        for href in hrefs(page):
            if href.startswith(("#", "data:")):
                continue
            assert (path.parent / href.split("#")[0]).resolve().exists(), f"{path.name}: 깨진 링크 {href}"


def test_figures_are_embedded_pngs_with_alt_text(site):
    page = read(site / "00_alpha.html")
    images = re.findall(r"<img [^>]*>", page)
    assert len(images) == 2  # the matplotlib figure and the film explorer's picture
    for tag in images:
        alt = re.search(r'alt=["\']([^"\']*)["\']', tag)
        assert alt and alt.group(1).strip(), tag[:80]
        data = re.search(r"src=[\"']data:image/png;base64,([^\"']+)", tag).group(1)
        assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    assert f'alt="그림 그리기 — {FIGURE_INTRO}"' in page


def test_widget_first_view_is_drawn_from_saved_state(site):
    from bs4 import BeautifulSoup

    page = read(site / "00_alpha.html")
    assert "Error displaying widget" not in page and "application/vnd.jupyter.widget" not in page
    snapshot = BeautifulSoup(page, "html.parser").select_one(".widget-snapshot")
    boxes = snapshot.select("input[type=checkbox]")
    assert len(boxes) == 3 and all(box.has_attr("checked") and box.has_attr("disabled") for box in boxes)
    assert "COPY 런타임" in snapshot.get_text()
    slider = snapshot.select_one("input[type=range]")
    assert (slider["min"], slider["max"], slider["value"]) == ("0", "2", "2")
    picture = snapshot.select_one("img")
    assert picture["alt"] == "필름 탐색기" and picture["src"].startswith("data:image/png;base64,")


def test_nothing_is_loaded_from_the_network(site):
    for path in site.rglob("*.html"):
        page = read(path)
        assert "<script src" not in page
        assert not re.search(r"""src=["']https?://""", page)
        assert not re.search(r"""<link [^>]*href=["']https?://""", page)


def test_korean_font_is_embedded_and_cut_to_the_site(site):
    from fontTools.ttLib import TTFont

    css = read(site / "course.css")
    fonts = re.findall(r"url\(data:font/woff;base64,([^)]+)\)", css)
    assert len(fonts) == 2 and "font-weight: 700" in css
    assert "local(" not in css  # the family always means the embedded file, never an installed copy
    font = TTFont(io.BytesIO(base64.b64decode(fonts[0])))
    cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in "첫번째실험풀이")
    assert ord("뷁") not in cmap  # not on any page, so not in the subset
    assert len(base64.b64decode(fonts[0])) < 1_000_000


def test_refuses_to_wipe_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "important.txt").write_text("keep me")
    with pytest.raises(build_site.SiteError, match="비어 있지 않고"):
        build_site.prepare_out(tmp_path)
    assert (tmp_path / "important.txt").exists()


def test_a_failing_cell_names_the_notebook(tmp_path):
    notebook(tmp_path / "nb" / "00_broken.ipynb", new_markdown_cell("# 00. 고장"), new_code_cell("1 / 0"))
    with pytest.raises(build_site.SiteError, match="00_broken.ipynb.*ZeroDivisionError"):
        build_site.build(tmp_path / "site", tmp_path / "nb", log=lambda _line: None)


def test_build_talks_to_kernels_without_the_tcp_warning(tmp_path):
    """Each kernel used to warn that it ran over unencrypted TCP (once per page); the build uses IPC."""
    notebooks = tmp_path / "nb"
    notebook(notebooks / "00_alpha.ipynb", new_markdown_cell("# 00. 하나"), new_code_cell("print(1)"))
    notebook(notebooks / "solutions" / "00_alpha_solutions.ipynb", new_markdown_cell("# 00. 풀이"))
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "build_site.py"),
            "--notebooks",
            str(notebooks),
            "--out",
            str(tmp_path / "s"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "running over TCP" not in done.stderr and "WARNING" not in done.stderr, done.stderr
    assert "1" in read(tmp_path / "s" / "00_alpha.html")


def test_site_tables_read_from_the_left_unless_a_column_says_otherwise(site):
    css = read(site / "course.css")
    rule = re.search(r"\.jp-RenderedHTMLCommon th,\s*\.jp-RenderedHTMLCommon td\s*\{([^}]*)\}", css)
    assert rule and "text-align: left" in rule.group(1)


@pytest.fixture(scope="module")
def course_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("course-site") / "site"
    build_site.build(out, ROOT / "notebooks", log=lambda _line: None)
    return out


def test_real_course_has_a_page_for_every_notebook_and_solution(course_site):
    index = read(course_site / "index.html")
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        title, _ = build_site.title_and_minutes(nbformat.read(notebook, as_version=4))
        assert f"href='{notebook.stem}.html'>{title}</a>" in index
        assert (course_site / f"{notebook.stem}.html").exists()
        assert (course_site / "solutions" / f"{notebook.stem}_solutions.html").exists()


def test_real_course_links_resolve_and_figures_have_alt_text(course_site):
    pages = sorted(course_site.rglob("*.html"))
    for path in pages:
        page = read(path)
        for href in hrefs(page):
            if not href.startswith(("#", "data:", "http:", "https:", "mailto:")):
                assert (path.parent / href.split("#")[0]).resolve().exists(), f"{path.name}: 깨진 링크 {href}"
        for tag in re.findall(r"<img [^>]*>", page):
            assert re.search(r"""alt=["'][^"']+["']""", tag), f"{path.name}: 대체 텍스트 없는 그림"
    lessons = [p for p in pages if p.parent == course_site and p.name != "index.html"]
    for before, after in zip(lessons, lessons[1:], strict=False):
        assert re.search(rf"href=.{after.name}. rel=.next.", read(before))
        assert re.search(rf"href=.{before.name}. rel=.prev.", read(after))
