"""Layout problems a reader sees in a matplotlib figure: text on text, text cut by an edge.

``problems(fig)`` draws the figure once and measures every text it would show (tick labels only
where a tick is drawn; a text with a box, such as a layer chip, counts with its box). It reports

- **overlap**: two texts whose drawn areas intersect;
- **figure edge**: a text that reaches beyond the figure (``savefig`` without ``bbox_inches``
  cuts it off);
- **axes edge**: a text clipped by its axes (``clip_on``) that does not fit inside it;
- **box edge**: a text that starts inside a filled rectangle or rounded box (a bar, a step box)
  and runs out of it, so it is partly drawn on another colour.

Sizes are in display pixels at the figure's own dpi, as the PNG is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

TOLERANCE = 1.0  # pixels: anti-aliasing and rounding, not a visible overlap


@dataclass(frozen=True)
class Problem:
    kind: str  # "overlap", "figure edge", "axes edge", "box edge"
    text: str
    other: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.text!r}" + (f" / {self.other!r}" if self.other else "")


def problems(fig) -> "list[Problem]":
    """Every layout problem of ``fig`` (an empty list for a clean figure)."""
    renderer = _renderer(fig)
    drawn = [(text, _extent(text, renderer)) for text in shown_texts(fig)]
    found: "list[Problem]" = []
    figure_box = fig.bbox
    for text, box in drawn:
        if not _inside(box, figure_box):
            found.append(Problem("figure edge", text.get_text()))
        clip = text.get_clip_box() if text.get_clip_on() else None
        if clip is not None and not _inside(box, clip):
            found.append(Problem("axes edge", text.get_text()))
        container = _box_under(text, renderer)
        if container is not None and not _inside(box, container):
            found.append(Problem("box edge", text.get_text()))
    for i, (first, first_box) in enumerate(drawn):
        for second, second_box in drawn[i + 1 :]:
            if _overlap(first_box, second_box):
                found.append(Problem("overlap", first.get_text(), second.get_text()))
    return found


def shown_texts(fig) -> "list[Text]":
    """The texts a reader sees: visible, not blank, tick labels only of ticks inside the view."""
    ticks = {id(label) for ax in fig.axes for label in _all_tick_labels(ax)}
    texts = [t for t in fig.findobj(Text) if id(t) not in ticks and _visible(t)]
    for ax in fig.axes:
        texts += [label for label in _drawn_tick_labels(ax) if _visible(label)]
    return texts


def _visible(text: Text) -> bool:
    if not text.get_text().strip() or text.get_alpha() == 0:
        return False
    artist = text
    while artist is not None:
        if not artist.get_visible():
            return False
        artist = getattr(artist, "axes", None) if artist is text else None
    return True


def _all_tick_labels(ax) -> "list[Text]":
    labels = []
    for axis in (ax.xaxis, ax.yaxis):
        for tick in axis.get_major_ticks() + axis.get_minor_ticks():
            labels += [tick.label1, tick.label2]
    return labels


def _drawn_tick_labels(ax) -> "list[Text]":
    labels = []
    for axis in (ax.xaxis, ax.yaxis):
        if not axis.get_visible():
            continue
        low, high = sorted(axis.get_view_interval())
        span = (high - low) or 1.0
        for tick in axis.get_major_ticks() + axis.get_minor_ticks():
            if tick.get_visible() and low - span * 1e-9 <= tick.get_loc() <= high + span * 1e-9:
                labels += [label for label in (tick.label1, tick.label2) if label.get_visible()]
    return labels


def _renderer(fig):
    if not hasattr(fig.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    fig.canvas.draw()  # places tick labels, titles and offsets as a saved PNG has them
    return fig.canvas.get_renderer()


def _extent(text: Text, renderer) -> Bbox:
    box = text.get_window_extent(renderer)
    patch = text.get_bbox_patch()
    if patch is not None:
        box = Bbox.union([box, patch.get_window_extent(renderer)])
    return box


def _inside(box: Bbox, outer: Bbox) -> bool:
    return (
        box.x0 >= outer.x0 - TOLERANCE
        and box.y0 >= outer.y0 - TOLERANCE
        and box.x1 <= outer.x1 + TOLERANCE
        and box.y1 <= outer.y1 + TOLERANCE
    )


def _overlap(a: Bbox, b: Bbox) -> bool:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return width > TOLERANCE and height > TOLERANCE


def _box_under(text: Text, renderer) -> "Bbox | None":
    """The smallest filled rectangle or rounded box (in the text's axes) its anchor point is in."""
    ax = text.axes
    if ax is None:
        return None
    anchor = text.get_transform().transform(text.get_unitless_position())
    boxes = []
    for patch in ax.patches:
        if not isinstance(patch, (Rectangle, FancyBboxPatch)) or not patch.get_visible() or not patch.get_fill():
            continue
        extent = patch.get_window_extent(renderer)
        inner = extent.padded(-TOLERANCE)  # a label set just beside a bar is not in it
        if inner.width > 0 and inner.height > 0 and inner.contains(*anchor):
            boxes.append(extent)
    return min(boxes, key=lambda b: b.width * b.height, default=None)
