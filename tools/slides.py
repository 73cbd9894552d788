"""Give course notebooks slide metadata (``cell.metadata.slideshow.slide_type``).

The same rules for every notebook, so a teacher can present any of them with
jupyterlab-rise or export them with ``jupyter nbconvert --to slides``:

- the title cell (the first cell) starts a slide;
- every ``# `` or ``## `` heading starts a slide;
- every exercise (a markdown cell starting with ``**문제 N.**`` or ``**연습 N``) starts a slide,
  and the code cells up to the next markdown cell stay on that slide;
- a ``### `` heading, and any other markdown cell that follows a code cell, starts a subslide
  (one explanation and the experiment it introduces per subslide);
- a markdown cell that follows another markdown cell appears as a fragment;
- a code cell that follows markdown stays on the same slide ("-"), a code cell that follows
  another code cell outside an exercise starts a subslide (outputs need room).

Only metadata changes; outputs stay as they are. Running it twice changes nothing.

    python tools/slides.py notebooks/*.ipynb notebooks/solutions/*.ipynb
    python tools/slides.py --check notebooks/*.ipynb   # exit 1 if a notebook needs updating
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

SLIDE, SUBSLIDE, FRAGMENT, SAME = "slide", "subslide", "fragment", "-"
SLIDE_TYPES = (SLIDE, SUBSLIDE, FRAGMENT, SAME, "skip", "notes")
EXERCISE = re.compile(r"^\*\*(문제|연습)\s*\d+")


def source(cell) -> str:
    text = cell.source if isinstance(cell.source, str) else "".join(cell.source)
    return text.lstrip()


def is_exercise(cell) -> bool:
    return cell.cell_type == "markdown" and bool(EXERCISE.match(source(cell)))


def markdown_type(cell, previous) -> str:
    text = source(cell)
    if text.startswith(("# ", "## ")) or is_exercise(cell):
        return SLIDE
    if text.startswith("### ") or previous.cell_type != "markdown":
        return SUBSLIDE
    return FRAGMENT


def slide_types(cells) -> "list[str]":
    """The slide type of every cell, by the rules in this module's docstring."""
    types: list[str] = []
    in_exercise = False
    for index, cell in enumerate(cells):
        previous = cells[index - 1] if index else None
        if previous is None:
            kind = SLIDE
        elif cell.cell_type == "markdown":
            kind = markdown_type(cell, previous)
            in_exercise = is_exercise(cell)
        elif previous.cell_type == "markdown" or in_exercise:
            kind = SAME
        else:
            kind = SUBSLIDE
        types.append(kind)
    return types


def apply(nb) -> bool:
    """Set the slide types on ``nb`` in place; True when anything changed."""
    changed = False
    for cell, kind in zip(nb.cells, slide_types(nb.cells), strict=True):
        show = cell.metadata.setdefault("slideshow", {})
        if show.get("slide_type") != kind:
            show["slide_type"] = kind
            changed = True
    return changed


def process(path: Path, check: bool = False) -> bool:
    """Update one notebook file (or only report in ``check`` mode); True when it needs/needed a change."""
    nb = nbformat.read(path, as_version=4)
    changed = apply(nb)
    if changed and not check:
        nbformat.write(nb, path)
    return changed


def main(argv: "list[str] | None" = None) -> int:
    parser = argparse.ArgumentParser(description="노트북에 슬라이드 정보(slide_type)를 붙입니다.")
    parser.add_argument("notebooks", nargs="+", type=Path, help="고칠 .ipynb 파일들")
    parser.add_argument("--check", action="store_true", help="고치지 않고, 고칠 것이 있으면 1로 끝냅니다")
    args = parser.parse_args(argv)
    stale = [path for path in args.notebooks if process(path, check=args.check)]
    for path in stale:
        print(f"{'슬라이드 정보가 맞지 않음' if args.check else '슬라이드 정보 갱신'}: {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
