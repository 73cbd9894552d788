"""Shared look of imagelib figures: colour-blind-safe palette, projector-sized text, Korean font.

Every figure is drawn inside ``drawing()``, which starts from matplotlib's defaults (so the same
image gives the same picture whatever style the user set) and adds our fonts and sizes only
for the duration of the drawing; the user's rcParams are left untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple

from .. import display
from ..errors import needs_extra
from .fonts import korean_rc, register_fonts

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
FILM_COLOURS = OKABE_ITO[:7]  # black is kept for text
SHARED_COLOUR = "#0072B2"
UNIQUE_COLOUR = "#E69F00"
FOLD_COLOUR = "#DDDDDD"
INK = "#222222"
MUTED = "#888888"
WHITEOUT_EDGE = "#555555"

TITLE_SIZE = 16
LABEL_SIZE = 13
SMALL_SIZE = 12  # the smallest text in any figure: still legible on a projector

STYLE = {
    "font.size": LABEL_SIZE,
    "axes.titlesize": LABEL_SIZE + 1,
    "axes.labelsize": LABEL_SIZE,
    "xtick.labelsize": SMALL_SIZE,
    "ytick.labelsize": SMALL_SIZE,
    "legend.fontsize": SMALL_SIZE,
    "figure.titlesize": TITLE_SIZE,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "imagelib",  # deterministic ids in SVG output
}


@contextmanager
def drawing() -> Iterator[None]:
    """Draw one of our figures: matplotlib defaults + our style + the Korean font, restored afterwards."""
    with needs_extra("viz", "imagelib.viz의 그림"):
        import matplotlib
        import matplotlib.style

    register_fonts()
    interactive = None
    try:
        with matplotlib.style.context(["default", {**STYLE, **korean_rc()}]):
            try:
                yield
            finally:
                interactive = matplotlib.is_interactive()
    finally:
        # pyplot may start its backend while we draw (a notebook's inline backend then turns
        # interactive mode on); that is not a style setting, so it must survive the context.
        if interactive is not None:
            matplotlib.interactive(interactive)


def new_figure(width: float, height: float, managed: bool = True):
    """A figure; ``managed`` ones belong to pyplot (so ``plt.show()`` shows them in a notebook)."""
    if managed:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=(width, height))
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)  # a renderer to measure text with (see fit)
    return figure


def renderer_of(figure):
    """The renderer that draws ``figure``'s PNG, to measure text before it is drawn."""
    canvas = figure.canvas
    return canvas.get_renderer() if hasattr(canvas, "get_renderer") else figure._get_renderer()


def fit(text, right: float, make: "Callable[[int], str]", widest: int, narrowest: int = 4) -> None:
    """Give the matplotlib ``text`` the longest ``make(width)`` (width in columns, from ``widest``
    down) whose drawing ends left of ``right`` (display pixels): labels never run into the next
    panel, whatever the mix of Korean, Latin and digits (their widths differ in a proportional font)."""
    renderer = renderer_of(text.figure)

    def fits(width: int) -> bool:
        text.set_text(make(width))
        return bool(text.get_window_extent(renderer).x1 <= right)

    if fits(widest):
        return
    low, high = narrowest, widest - 1  # bisect: the longest width that fits
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    while not fits(low) and low > 1:
        low -= 1


def wrap_to_fit(text, right: float, words: str, lines: int = 2) -> None:
    """Give ``text`` the ``words`` broken into at most ``lines`` lines that each end left of
    ``right`` (display pixels); the last line is shortened with '…' if the words do not all fit."""
    renderer = renderer_of(text.figure)

    def fits(candidate: "list[str]") -> bool:
        text.set_text("\n".join(candidate))
        return bool(text.get_window_extent(renderer).x1 <= right)

    done: "list[str]" = []
    rest = words.split()
    while rest and len(done) < lines - 1:
        line = rest.pop(0)
        while rest and fits(done + [f"{line} {rest[0]}"]):
            line += " " + rest.pop(0)
        done.append(line)
    last = " ".join(rest)
    if not last:
        done, last = done[:-1], done[-1]
    fit(text, right, lambda width: "\n".join(done + [clip(last, width)]), text_width(last), 2)


def layer_colour(index: int) -> str:
    """The colour of layer ``index`` (the same in every figure)."""
    return FILM_COLOURS[index % len(FILM_COLOURS)]


def ink_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (WCAG contrast)."""
    from matplotlib.colors import to_rgb

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in to_rgb(colour))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def chip(ax, x: float, y: float, index: int, *, transform=None, muted: bool = False, **kwargs):
    """A small coloured label ``L3`` naming layer 3, drawn at (x, y) (left, centre)."""
    colour = layer_colour(index)
    style = dict(
        ha="left",
        va="center",
        fontsize=SMALL_SIZE,
        fontweight="bold",
        color=ink_on(colour),
        alpha=0.45 if muted else 1.0,
        bbox=dict(boxstyle="round,pad=0.25", facecolor=colour, edgecolor="none", alpha=0.45 if muted else 1.0),
    )
    style.update(kwargs)
    if transform is not None:
        style["transform"] = transform
    return ax.text(x, y, f"L{index}", **style)


def rounded_box(
    ax,
    x: float,
    row: float,
    width: float,
    height: float,
    *,
    face: str,
    edge: str,
    gid: str,
    dashed: bool = False,
    alpha: float = 1.0,
) -> None:
    """A rounded box centred on ``row``, dashed when it stands for something not (yet) there."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x, row - height / 2),
            width,
            height,
            boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor=face,
            edgecolor=edge,
            linewidth=2,
            linestyle="--" if dashed else "-",
            alpha=alpha,
            gid=gid,
        )
    )


def size_formatter():
    """Axis ticks in readable units (1.5 MB) with a plain '-' sign."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: display.human_size(value) if value >= 0 else "")


def size_locator(ticks: int):
    """Tick positions at 1, 2 or 5 times a power of ten: labels in MB/KB stay exact."""
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(ticks, steps=[1, 2, 5, 10])


# -- text that fits ---------------------------------------------------------------------------


# Display width and one-line cutting are the text tables' own (Hangul counts two columns).
text_width = display.text_width
clip = display.short_text


def clip_path(path: str, width: int) -> str:
    """A path cut from the left, whole folder names first, so the file name stays: ``…/lib/libc.so``."""
    if text_width(path) <= width:
        return path
    parts = path.split("/")
    while len(parts) > 1 and text_width("…/" + "/".join(parts)) > width:
        parts.pop(0)
    tail = "/".join(parts)
    if len(parts) > 1 or text_width("…/" + tail) <= width:
        return "…/" + tail
    return clip(tail, width)


_SHELL = re.compile(r"^(\|\d+ (\S+=\S* )*)?/bin/(ba)?sh -c (#\(nop\)\s*)?")
_RUN_SHELL = re.compile(r"^RUN (\|\d+ (\S+=\S* )*)?/bin/(ba)?sh -c ")
_LONG_HEX = re.compile(r"([0-9a-f]{8})[0-9a-f]{16,}")


def step_text(created_by: str, width: int = 40) -> str:
    """The build step that made a layer, short: ``/bin/sh -c #(nop) ADD file:3f…`` → ``ADD file:3f2a…``."""
    text = " ".join((created_by or "").split())
    text = _SHELL.sub("", text)
    if not _SHELL.match(created_by or ""):
        text = _RUN_SHELL.sub("RUN ", text)
    text = text.removesuffix(" # buildkit")
    text = _LONG_HEX.sub(r"\1…", text)
    return clip(text, width) if text else "(기록 없음)"


def listing(names: Sequence[str], width: int, *, more_word: str = "개") -> str:
    """``a, b 외 3개``: as many names as fit in ``width`` columns, then how many are left."""
    shown: "list[str]" = []
    for i, name in enumerate(names):
        rest = len(names) - i - 1
        candidate = ", ".join(shown + [name]) + (f" 외 {rest:,}{more_word}" if rest else "")
        if shown and text_width(candidate) > width:
            break
        shown.append(clip_path(name, width) if not shown else name)
    left = len(names) - len(shown)
    return ", ".join(shown) + (f" 외 {left:,}{more_word}" if left else "")


# -- summarising long stacks ------------------------------------------------------------------


class Span(NamedTuple):
    """Layers ``start..stop-1`` drawn as one row; ``folded`` rows stand for several small layers."""

    start: int
    stop: int
    folded: bool

    @property
    def count(self) -> int:
        return self.stop - self.start


def fold(sizes: Sequence[int], max_rows: int, keep: "Sequence[int]" = (), prefer: "Sequence[int]" = ()) -> "list[Span]":
    """Rows for a stack of layers: every layer if they fit, else the ``prefer`` ones and the
    biggest ones (always ``keep``), each run of the others between them folded into one row.
    Order stays bottom to top."""
    count = len(sizes)
    if count <= max_rows:
        return [Span(i, i + 1, False) for i in range(count)]
    preferred = set(prefer)
    ranked = sorted(range(count), key=lambda i: (i not in preferred, -sizes[i], i))
    for top in range(max_rows, 0, -1):
        spans = _spans(count, set(keep) | set(ranked[:top]))
        if len(spans) <= max_rows:
            return spans
    return _spans(count, set(keep) | set(ranked[:1]))


def _spans(count: int, kept: "set[int]") -> "list[Span]":
    spans: "list[Span]" = []
    run_start = None
    for i in range(count + 1):
        if i < count and i not in kept:
            run_start = i if run_start is None else run_start
            continue
        if run_start is not None:
            spans.append(Span(run_start, i, i - run_start > 1))
            run_start = None
        if i < count:
            spans.append(Span(i, i + 1, False))
    return spans
