"""OHP 필름 그림: 이미지의 레이어를 투명 필름처럼 쌓아 그리고, 옆에 컨테이너가 보는 모습을 그립니다."""

from __future__ import annotations

from collections.abc import Iterable

from .. import display, modelfile
from ..errors import ImageLibError
from ..filetree import FileTree
from ..image import Image
from ..layer import Layer
from ..tario import sort_key
from .style import (
    FOLD_COLOUR,
    INK,
    MUTED,
    SMALL_SIZE,
    TITLE_SIZE,
    WHITEOUT_EDGE,
    Span,
    chip,
    clip_path,
    drawing,
    fit,
    fold,
    layer_colour,
    listing,
    new_figure,
    step_text,
)
from .treeview import TreeEntry, TreeRow, TreeRows, own_bytes, tree_rows

MAX_FILM_ROWS = 12
MAX_TREE_ROWS = 16
MAX_MARKS = 2

FIG_WIDTH = 13.0
STACK_WIDTH = 7.8  # the stack alone (film explorer)
ROW_INCHES = 0.95  # one film row
TREE_ROW_INCHES = 0.34  # one row of the merged view
TOP_INCHES = 1.15  # title and panel headings
BOTTOM_INCHES = 0.55  # the key at the bottom
STACK_RECT = (0.01, 0.58)  # left, width (figure fractions)
TREE_RECT = (0.62, 0.37)

# film geometry in data units of the stack axes (x 0..10, one unit of y per row)
FILM_X, FILM_W, FILM_SKEW = 0.1, 3.4, 0.8
FILM_Y, FILM_H = 0.2, 0.6
LABEL_X = 4.6


def films(img: Image, highlight: "int | None" = None, upto: "int | None" = None, *, hide: Iterable[int] = ()):
    """이미지를 OHP 필름(레이어) 더미로 그립니다. 맨 아래가 베이스 레이어입니다.

    필름마다 만든 단계(created_by), 크기, 짧은 다이제스트, 더한 파일을 적고, 삭제(화이트아웃)는
    필름 위의 흰 칸(×)으로 그립니다. 오른쪽은 필름을 모두 겹쳐 위에서 본 모습, 곧 컨테이너가
    보는 파일 트리(rootfs)이며, 색 칩 ``L번호`` 는 그 파일을 준 필름입니다.

    - ``highlight=i``: i번 레이어만 진하게 강조합니다.
    - ``upto=i``: i번보다 위의 레이어를 숨깁니다(이미지를 i번 단계까지만 쌓은 모습).
    - ``hide=[i, ...]``: 그 필름을 빼고 겹칩니다(점선으로 빈자리만 표시).

    레이어가 많으면 큰 레이어만 그리고 작은 레이어들은 "외 N개 레이어"로 접습니다.
    matplotlib Figure를 돌려줍니다(노트북에서는 셀 끝에 ``;`` 나 ``plt.show()``).
    """
    return draw_films(img, highlight=highlight, upto=upto, hide=hide)


def draw_films(
    img: Image,
    highlight: "int | None" = None,
    upto: "int | None" = None,
    hide: Iterable[int] = (),
    managed: bool = True,
    with_tree: bool = True,
):
    """The films figure; ``with_tree=False`` draws the stack alone (the film explorer lists the
    merged files beside it as text, so the figure does not list them again)."""
    if not isinstance(img, Image):
        raise ImageLibError(f"il.viz.films에는 il.Image가 필요합니다({type(img).__name__}를 받았습니다).")
    count = len(img.layers)
    top = count - 1 if upto is None else _layer_index(upto, count, "upto")
    hidden = frozenset(_layer_index(i, count, "hide") for i in hide)
    if highlight is not None:
        highlight = _layer_index(highlight, count, "highlight")
        if highlight > top:
            raise ImageLibError(
                f"highlight={highlight}인 레이어는 upto={top} 위에 있어 숨겨집니다. "
                f"upto를 {highlight} 이상으로 하거나 highlight를 {top} 이하로 하세요."
            )
    active = [i for i in range(top + 1) if i not in hidden]
    sizes = Sizes.of(img)
    tree = img.rootfs() if len(active) == count else FileTree.from_layers([img.layers[i] for i in active])
    rows = tree_rows(tree, active, MAX_TREE_ROWS, focus=highlight if highlight in active else None, size_of=sizes.entry)
    # layers that delete something are small but tell the story: keep them unfolded if possible
    deleting = [i for i, layer in enumerate(img.layers[: top + 1]) if layer.deleted or layer.opaque]
    spans = fold(
        [sizes.layer(layer) for layer in img.layers[: top + 1]],
        MAX_FILM_ROWS,
        keep=[] if highlight is None else [highlight],
        prefer=deleting,
    )

    stack_inches = max(len(spans), 1) * ROW_INCHES + (0.4 if top < count - 1 else 0)
    tree_inches = (len(rows.rows) + (1 if rows.left_out else 0)) * TREE_ROW_INCHES if with_tree else 0
    body = max(stack_inches, tree_inches, 2.2)
    height = TOP_INCHES + body + BOTTOM_INCHES
    width = FIG_WIDTH if with_tree else STACK_WIDTH
    with drawing():
        fig = new_figure(width, height, managed)
        bottom, frac = BOTTOM_INCHES / height, body / height
        stack_ax = fig.add_axes((STACK_RECT[0], bottom, STACK_RECT[1] * FIG_WIDTH / width, frac))
        _draw_stack(stack_ax, img.layers, spans, highlight, hidden, count - 1 - top, body, sizes)
        if with_tree:
            tree_ax = fig.add_axes((TREE_RECT[0], bottom, TREE_RECT[1], frac))
            _draw_tree(tree_ax, tree, rows, highlight, body, sizes)
            title = (
                f"레이어 {count}장, {sizes.image_text(img)} — "
                f"이미지 ID {img.id.short} · 매니페스트 다이제스트 {img.digest.short}"
            )
        else:
            title = f"필름 {count}장 중 {len(active)}장을 겹쳤습니다"
        fig.suptitle(
            title,
            x=0.01,
            y=1 - 0.12 / height,
            ha="left",
            va="top",
            fontsize=TITLE_SIZE,
            fontweight="bold",
        )
        key = "흰 칸 × = 화이트아웃(whiteout): 아래 필름의 파일을 가리는 삭제 표시"
        if with_tree:
            key += " · 색 칩 L번호 = 그 파일을 준 레이어(필름)"
        fig.text(0.01, 0.18 / height, key, fontsize=SMALL_SIZE, color=MUTED, va="bottom")
    return fig


def _panel_title(ax, text: str) -> None:
    # A text, not ax.set_title: titles of axis-less panels cost a tick layout on every draw.
    ax.text(0, 1.02, text, transform=ax.transAxes, ha="left", va="bottom", fontsize=SMALL_SIZE + 1, gid="panel-title")


def _layer_index(value: object, count: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ImageLibError(f"{what}에는 레이어 번호(정수)를 주세요({value!r}를 받았습니다).")
    if not 0 <= value < count:
        raise ImageLibError(f"{what}={value}: 이 이미지의 레이어 번호는 0부터 {count - 1}까지입니다.")
    return value


# -- the stack of films ---------------------------------------------------------------------


def _draw_stack(
    ax,
    layers: "tuple[Layer, ...]",
    spans: "list[Span]",
    highlight: "int | None",
    hidden: "frozenset[int]",
    above: int,
    body_inches: float,
    sizes: "Sizes",
) -> None:
    rows = body_inches / ROW_INCHES
    ax.set_xlim(0, 10)
    ax.set_ylim(0, rows)
    ax.set_axis_off()
    _panel_title(ax, "필름(레이어) 쌓기\n아래가 베이스(base), 위로 갈수록 나중 단계")
    if not layers:
        ax.text(0.1, rows / 2, "레이어가 없습니다 (FROM scratch)", fontsize=SMALL_SIZE + 1, color=MUTED)
        return
    for row, span in enumerate(spans):
        if span.folded:
            _draw_fold(ax, row, span, layers, sizes)
        else:
            _draw_film(ax, row, span.start, layers[span.start], highlight, span.start in hidden, sizes)
    if above:
        ax.text(
            FILM_X, len(spans) + 0.1, f"▲ 위의 레이어 {above}장은 숨김", fontsize=SMALL_SIZE, color=MUTED, va="bottom"
        )


def _parallelogram(row: float, lift: float = 0.0) -> "list[tuple[float, float]]":
    y0, y1 = row + FILM_Y + lift, row + FILM_Y + FILM_H + lift
    return [(FILM_X, y0), (FILM_X + FILM_W, y0), (FILM_X + FILM_W + FILM_SKEW, y1), (FILM_X + FILM_SKEW, y1)]


def _draw_film(ax, row: int, index: int, layer: Layer, highlight: "int | None", off: bool, sizes: "Sizes") -> None:
    from matplotlib.patches import Polygon

    colour = layer_colour(index)
    faded = highlight is not None and index != highlight
    if off:
        patch = Polygon(
            _parallelogram(row),
            closed=True,
            fill=False,
            edgecolor=MUTED,
            linestyle="--",
            linewidth=1.5,
            gid=f"film-off-{index}",
        )
    else:
        strong = highlight == index
        patch = Polygon(
            _parallelogram(row),
            closed=True,
            facecolor=colour,
            alpha=0.85 if strong else 0.15 if faded else 0.45,
            edgecolor=INK if strong else colour,
            linewidth=3 if strong else 1.5,
            gid=f"film-{index}",
            zorder=2,
        )
    ax.add_patch(patch)
    muted = off or faded
    text_colour = MUTED if muted else INK
    chip(ax, LABEL_X, row + 0.78, index, muted=muted)
    right = ax.bbox.x1
    title = ax.text(
        LABEL_X + 0.6, row + 0.78, "", va="center", fontsize=SMALL_SIZE + 1, fontweight="bold", color=text_colour
    )
    fit(title, right, lambda width: step_text(layer.created_by, width) + ("  (꺼짐)" if off else ""), 40)
    ax.text(
        LABEL_X,
        row + 0.47,
        f"{sizes.layer_text(layer)} · 레이어 다이제스트 {layer.digest.short}",
        va="center",
        fontsize=SMALL_SIZE,
        color=MUTED if muted else "#444444",
    )
    contents = ax.text(LABEL_X, row + 0.17, "", va="center", fontsize=SMALL_SIZE, color=text_colour)
    fit(contents, right, lambda width: _contents_line(layer, width), 50)
    if not off:
        _draw_whiteouts(ax, row, layer, faded)


def _contents_line(layer: Layer, width: int = 44) -> str:
    added = sorted((e.path for e in layer.entries if e.kind not in ("dir", "whiteout", "opaque")), key=sort_key)
    folders = sum(1 for e in layer.entries if e.kind == "dir")
    removed = len(layer.deleted) + len(layer.opaque)
    parts = []
    if added:
        parts.append(f"+ 파일 {len(added):,}개: " + listing(added, width - (10 if removed else 0)))
    elif folders:
        parts.append(f"+ 폴더 {folders:,}개")
    if removed:
        parts.append(f"× 삭제 {removed:,}개")
    return " · ".join(parts) if parts else "(빈 레이어)"


def _draw_whiteouts(ax, row: int, layer: Layer, faded: bool) -> None:
    marks = [clip_path(p, 14) for p in layer.deleted] + [clip_path(p, 10) + "/ 안" for p in layer.opaque]
    if len(marks) > MAX_MARKS:
        marks = marks[: MAX_MARKS - 1] + [f"외 {len(marks) - MAX_MARKS + 1:,}개"]
    middle = row + FILM_Y + FILM_H / 2
    for slot, mark in enumerate(marks):
        x = FILM_X + FILM_SKEW / 2 + 0.15 + slot * FILM_W / MAX_MARKS
        ax.text(
            x,
            middle,
            "× " + mark,
            va="center",
            ha="left",
            fontsize=SMALL_SIZE,
            color=MUTED if faded else INK,
            zorder=3,
            gid="whiteout",
            bbox=dict(
                boxstyle="round,pad=0.2",
                facecolor="white",
                edgecolor=WHITEOUT_EDGE,
                linestyle="--",
                alpha=0.5 if faded else 1.0,
            ),
        )


def _draw_fold(ax, row: int, span: Span, layers: "tuple[Layer, ...]", sizes: "Sizes") -> None:
    from matplotlib.patches import Polygon

    for lift in (0.0, 0.1, 0.2):
        ax.add_patch(
            Polygon(
                _parallelogram(row, lift - 0.1),
                closed=True,
                facecolor=FOLD_COLOUR,
                edgecolor=MUTED,
                hatch="//",
                linewidth=1,
                gid=f"films-folded-{span.start}-{span.stop - 1}",
            )
        )
    total = sum(sizes.layer(layer) for layer in layers[span.start : span.stop])
    ax.text(
        LABEL_X,
        row + 0.7,
        f"L{span.start}–L{span.stop - 1}: 작은 레이어 {span.count}장",
        va="center",
        fontsize=SMALL_SIZE + 1,
        fontweight="bold",
        color=MUTED,
    )
    ax.text(
        LABEL_X,
        row + 0.35,
        f"외 {span.count}개 레이어 · 합계 {display.human_size(total)}",
        va="center",
        fontsize=SMALL_SIZE,
        color=MUTED,
    )


# -- the merged view ------------------------------------------------------------------------


def _draw_tree(ax, tree: FileTree, rows: TreeRows, highlight: "int | None", body_inches: float, sizes: "Sizes") -> None:
    capacity = body_inches / TREE_ROW_INCHES
    ax.set_xlim(0, 10)
    ax.set_ylim(capacity, 0)
    ax.set_axis_off()
    _panel_title(
        ax,
        f"컨테이너가 보는 모습 (rootfs)\n파일 {len(tree.files()):,}개 · {sizes.tree_text(tree)} · 항목 {len(tree):,}개",
    )
    if not rows.rows:
        ax.text(0.1, 0.5, "(보이는 파일이 없습니다)", va="center", fontsize=SMALL_SIZE, color=MUTED)
    right = ax.figure.bbox.x1 - 4
    for y, row in enumerate(rows.rows, start=0):
        faded = highlight is not None and highlight not in row.layers
        chip(ax, 0.1, y + 0.5, row.layer, muted=faded)
        text = ax.text(
            1.25,
            y + 0.5,
            "",
            va="center",
            fontsize=SMALL_SIZE,
            color=MUTED if faded else INK,
            fontweight="bold" if highlight is not None and not faded else "normal",
        )
        fit(text, right, lambda width, row=row: _row_text(row, width), 48)
    if rows.left_out:
        hidden = [f"/{row.path}/" if row.is_group or row.kind == "dir" else f"/{row.path}" for row in rows.hidden]
        tail = ax.text(1.25, len(rows.rows) + 0.5, "", va="center", fontsize=SMALL_SIZE, color=MUTED)
        fit(tail, right, lambda width: f"… 외 {rows.left_out:,}개: " + listing(hidden, width), 40)


def _row_text(row: TreeRow, width: int = 40) -> str:
    if row.is_group:
        others = "".join(f", L{i}" for i in row.layers[1:3]) + (" …" if len(row.layers) > 3 else "")
        tail = f"/ — {row.count:,}개, {display.human_size(row.size)}{others}"
        return "/" + clip_path(row.path, max(width - len(tail) - 1, 8)) + tail
    name = "/" + clip_path(row.path, max(width - 10, 8))
    if row.kind == "dir":
        return name + "/"
    if row.kind == "symlink":
        return name + " (링크)"
    if row.kind == "hardlink":
        return name + " (하드 링크)"
    return f"{name}  {display.human_size(row.size)}"


class Sizes:
    """How the figure measures: stored bytes, or, for an image with model files (the catalog's
    base images), the sizes they declare, as ``docker images`` would show the real image."""

    def __init__(self, modeled: bool) -> None:
        self.modeled = modeled

    @classmethod
    def of(cls, img: Image) -> "Sizes":
        return cls(any(modelfile.layer_size(layer).model_files for layer in img.layers))

    def layer(self, layer: Layer) -> int:
        return modelfile.layer_size(layer).size if self.modeled else layer.size

    def entry(self, entry: TreeEntry) -> int:
        declared = modelfile.declared(entry) if self.modeled else None
        return declared.size if declared is not None else own_bytes(entry)

    def layer_text(self, layer: Layer) -> str:
        return ("모형 " if self.modeled else "") + display.human_size(self.layer(layer))

    def image_text(self, img: Image) -> str:
        if not self.modeled:
            return display.human_size(img.size)
        modeled = sum(self.layer(layer) for layer in img.layers)
        return f"모형 크기 {display.human_size(modeled)}"

    def tree_text(self, tree: FileTree) -> str:
        total = sum(self.entry(node) for node in tree.files()) if self.modeled else tree.size
        return ("모형 " if self.modeled else "") + display.human_size(total)
