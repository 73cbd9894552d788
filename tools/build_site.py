"""코스 사이트 만들기: 모든 노트북과 풀이를 실행해 HTML 페이지로 만듭니다.

    python tools/build_site.py                 # site/ 에 전체 사이트
    python tools/build_site.py --only 00 04    # 일부 노트북만 (본문과 풀이)

Every page is executed fresh (widget state saved, so each widget's first view is drawn from that
state), figures are embedded with alt text, Korean renders with the pip-installed NanumGothic
(subset and embedded in course.css), and nothing is loaded from the network. site/index.html
is the table of contents; pages link to the previous/next notebook and to their solutions.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor
from traitlets.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_fonts import font_face_css, site_text  # noqa: E402
from widget_snapshot import VIEW_MIME, saved_state, snapshot_html  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = Path(__file__).resolve().parent / "site_template"
MARKER = ".course-site"
IMAGE_MIMES = ("image/png", "image/jpeg")
NOTEBOOK_NAME = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")


class SiteError(Exception):
    """사이트를 만들 수 없을 때(노트북 실행 실패, 잘못된 출력 폴더 등)."""


@dataclass(frozen=True)
class Page:
    source: Path
    href: str  # path inside the site, e.g. "solutions/00_introduction_solutions.html"
    number: str
    title: str
    minutes: str
    solution: bool

    @property
    def root(self) -> str:
        """Relative path from this page to the site root ("" or "../")."""
        return "../" * self.href.count("/")


def title_and_minutes(nb) -> "tuple[str, str]":
    first = nb.cells[0].source if nb.cells else ""
    title = next((line.lstrip("#").strip() for line in first.splitlines() if line.startswith("# ")), "")
    minutes = re.search(r"\*\*예상 시간\*\*\s*:\s*([^\n]+)", first)
    return title, (minutes.group(1).strip() if minutes else "")


def discover(notebooks: Path, only: "list[str] | None" = None) -> "list[Page]":
    """Lessons in number order, then their solutions; ``only`` keeps the given numbers."""
    pages = []
    for folder, prefix, solution in ((notebooks, "", False), (notebooks / "solutions", "solutions/", True)):
        for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
            number = path.name[:2]
            if only and number not in only:
                continue
            title, minutes = title_and_minutes(nbformat.read(path, as_version=4))
            href = f"{prefix}{path.stem}.html"
            pages.append(Page(path, href, number, title or path.stem, minutes, solution))
    if not pages:
        raise SiteError(f"{notebooks}에서 만들 노트북을 찾지 못했습니다. 폴더와 --only 번호를 확인하세요.")
    return pages


def execute(path: Path, timeout: int):
    """Run the notebook in its own folder (as nbval does) and keep the widget state."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="course-kernel-") as sockets:
        runner = ExecutePreprocessor(timeout=timeout, store_widget_state=True, config=_ipc_kernel(sockets))
        try:
            runner.preprocess(nb, {"metadata": {"path": str(path.parent)}})
        except CellExecutionError as error:
            raise SiteError(
                f"{path.name}을 실행하다가 셀에서 오류가 났습니다({error.ename}: {error.evalue}). "
                "노트북을 JupyterLab에서 위에서부터 실행해 고친 뒤 다시 만드세요."
            ) from None
    return nb


def _ipc_kernel(sockets: str) -> Config:
    """Talk to the kernel over Unix sockets in a private folder.

    Over TCP every kernel warns that anyone on the machine could listen (the channels are
    unencrypted); sockets in a folder only this user can open are private, so the warning's
    own advice (IPC transport) is the fix, not hiding it.
    """
    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(Path(sockets) / "kernel")
    return config


def plain(markdown: str) -> str:
    """Markdown reduced to readable text for alt attributes."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"\*\*|`|^#+\s*", "", text, flags=re.MULTILINE).strip()


def first_paragraph(markdown: str) -> str:
    """The first block of prose: no heading, table, code block or quote."""
    paragraph: list[str] = []
    in_code = False
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            continue
        if in_code or not stripped or stripped.startswith(("#", "|", ">")):
            if paragraph:
                break
            continue
        paragraph.append(stripped)
    return " ".join(paragraph)


def first_sentence(markdown: str) -> str:
    text = plain(first_paragraph(markdown))
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return sentence if len(sentence) <= 200 else sentence[:199] + "…"


def figure_alt(cells, index: int) -> str:
    """Alt text for a figure in cell ``index``: the section heading and the sentence before it."""
    sentence = heading = ""
    for cell in reversed(cells[:index]):
        if cell.cell_type != "markdown":
            continue
        if not sentence:
            sentence = first_sentence(cell.source)
        headings = [line for line in cell.source.splitlines() if re.match(r"#{1,4} ", line)]
        if headings:
            heading = plain(headings[-1])
            break
    parts = [part for part in (heading, sentence) if part]
    return " — ".join(dict.fromkeys(parts)) or "노트북 그림"


def prepare(nb) -> None:
    """Alt text on every figure; widgets replaced by a still picture of their saved first view."""
    models = saved_state(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        shown = [o for o in cell.outputs if any(mime in o.get("data", {}) for mime in (*IMAGE_MIMES, VIEW_MIME))]
        alt = figure_alt(nb.cells, index)
        for number, output in enumerate(shown, start=1):
            text = alt if len(shown) == 1 else f"{alt} ({number}/{len(shown)})"
            view = output.data.pop(VIEW_MIME, None)
            if view and view.get("model_id") in models:
                output.data = {"text/html": snapshot_html(models, view["model_id"], text)}
            else:
                output.metadata["alt"] = text
    nb.metadata.pop("widgets", None)


def link(page: "Page | None", here: Page, text: str, rel: str = "") -> str:
    if page is None:
        return "<span></span>"
    rel_attr = f" rel='{rel}'" if rel else ""
    return f"<a href='{here.root}{page.href}'{rel_attr}>{html.escape(text)}</a>"


def nav_html(page: Page, pages: "list[Page]") -> str:
    """Previous/next among pages of the same kind, the table of contents, and the counterpart."""
    chain = [p for p in pages if p.solution == page.solution]
    at = chain.index(page)
    before = chain[at - 1] if at else None
    after = chain[at + 1] if at + 1 < len(chain) else None
    other = next((p for p in pages if p.number == page.number and p.solution != page.solution), None)
    middle = f"<a href='{page.root}index.html'>목차</a>"
    if other is not None:
        middle += " " + link(other, page, "본문 보기" if page.solution else "연습문제 풀이 보기")
    return (
        f"<nav class='course-nav' aria-label='노트북 이동'>"
        f"{link(before, page, f'← 이전: {before.title}' if before else '', 'prev')}"
        f"<span class='middle'>{middle}</span>"
        f"{link(after, page, f'다음: {after.title} →' if after else '', 'next')}</nav>"
    )


def rewrite_links(body: str, page: Page) -> str:
    """Links between notebooks point to their pages; links to README point to the index."""

    def fix(match: re.Match) -> str:
        target, fragment = match.group(1), match.group(2) or ""
        if target.endswith("README.md"):
            return f'href="{page.root}index.html"'
        return f'href="{target[: -len(".ipynb")]}.html{fragment}"'

    return re.sub(r'href="((?![a-z]+:)[^"#]*(?:\.ipynb|README\.md))(#[^"]*)?"', fix, body)


def render(nb, page: Page, pages: "list[Page]") -> str:
    exporter = HTMLExporter(
        template_name="course", extra_template_basedirs=[str(TEMPLATES)], language_code="ko", embed_images=True
    )
    nb.metadata["title"] = page.title
    resources = {"course": {"root": page.root, "nav": nav_html(page, pages)}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return rewrite_links(body, page)


def build_page(page: Page, pages: "list[Page]", out: Path, timeout: int) -> float:
    started = time.perf_counter()
    nb = execute(page.source, timeout)
    prepare(nb)
    target = out / page.href
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(nb, page, pages), encoding="utf-8")
    return time.perf_counter() - started


def course_title() -> str:
    readme = ROOT / "README.md"
    lines = readme.read_text(encoding="utf-8").splitlines() if readme.exists() else []
    return next((line[2:].strip() for line in lines if line.startswith("# ")), "코스")


def index_html(pages: "list[Page]") -> str:
    rows = []
    for page in (p for p in pages if not p.solution):
        solution = next((p for p in pages if p.solution and p.number == page.number), None)
        rows.append(
            f"<tr><td>{page.number}</td><td><a href='{page.href}'>{html.escape(page.title)}</a></td>"
            f"<td>{html.escape(page.minutes)}</td>"
            f"<td>{link(solution, page, '풀이') if solution else ''}</td></tr>"
        )
    title = html.escape(course_title())
    return f"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<link rel="stylesheet" href="course.css">
</head>
<body>
<main>
<h1>{title}</h1>
<p>모든 페이지는 노트북을 실제로 실행한 결과입니다. 직접 실행하고 위젯을 움직여 보려면
JupyterLab에서 노트북을 여세요.</p>
<h2 id="목차">목차</h2>
<table class="course-toc">
<thead><tr><th>번호</th><th>노트북</th><th>예상 시간</th><th>연습문제 풀이</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</main>
</body>
</html>
"""


def prepare_out(out: Path) -> None:
    """Start from an empty folder; refuse to wipe a non-empty folder this script did not make."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise SiteError(
                f"{out}는 비어 있지 않고 이 스크립트가 만든 사이트 폴더도 아닙니다. "
                "지워지면 안 되는 파일이 있을 수 있으니 다른 --out 폴더를 주세요."
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("python tools/build_site.py가 만든 폴더입니다.\n", encoding="utf-8")


def write_style(out: Path) -> None:
    """course.css: the Korean font cut to the site's characters, then the shared rules."""
    rules = (TEMPLATES / "course.css").read_text(encoding="utf-8")
    fonts = font_face_css(site_text(out))
    (out / "course.css").write_text(fonts + "\n" + rules, encoding="utf-8")


def build(
    out: Path,
    notebooks: Path = ROOT / "notebooks",
    only: "list[str] | None" = None,
    jobs: int = 2,
    timeout: int = 300,
    log=print,
) -> "list[Page]":
    """Build the site into ``out``; returns the pages built."""
    pages = discover(notebooks, only)
    prepare_out(out)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {page: pool.submit(build_page, page, pages, out, timeout) for page in pages}
        for page, future in futures.items():
            log(f"{page.href}: {future.result():.1f}초")
    (out / "index.html").write_text(index_html(pages), encoding="utf-8")
    write_style(out)
    return pages


def main(argv: "list[str] | None" = None) -> int:
    parser = argparse.ArgumentParser(description="노트북을 실행해 정적 코스 사이트(HTML)를 만듭니다.")
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="만들 폴더 (기본: site/)")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks", help="노트북 폴더")
    parser.add_argument("--only", nargs="+", metavar="NN", help="이 번호의 노트북(과 풀이)만")
    parser.add_argument("--jobs", type=int, default=2, help="동시에 실행할 노트북 수 (기본 2)")
    parser.add_argument("--timeout", type=int, default=300, help="셀 하나의 최대 실행 시간(초)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        pages = build(args.out, args.notebooks, args.only, args.jobs, args.timeout)
    except SiteError as error:
        print(f"사이트를 만들지 못했습니다: {error}", file=sys.stderr)
        return 1
    print(f"페이지 {len(pages)}개를 {time.perf_counter() - started:.0f}초 만에 만들었습니다: {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
