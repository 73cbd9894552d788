"""overlayfs 그림: lowerdir(레이어 폴더들, 맨 위가 먼저)와 upperdir(컨테이너의 쓰기 층)이
merged 하나로 겹쳐 보이는 모습."""

from __future__ import annotations

from matplotlib.patches import FancyArrowPatch, Rectangle

from ..entries import Entry, Opaque, Symlink, Whiteout
from ..errors import ImageLibError
from ..filetree import FileTree
from ..image import Image
from ..layer import Layer
from .style import INK, MUTED, SMALL_SIZE, TITLE_SIZE, WHITEOUT_EDGE, chip, drawing, layer_colour, new_figure

FIG_WIDTH = 13.0
ROW = 0.34  # inches per text line
GAP = 0.22  # inches between boxes
TOP = 0.75  # title
BOTTOM = 0.5  # key
MAX_ITEMS = 5  # lines per layer box
MAX_MERGED = 14
LEFT_X, LEFT_W = 0.2, 6.3
RIGHT_X, RIGHT_W = 7.5, 5.3
UPPER_COLOUR = "#FFFFFF"
LOWER_LABEL = "lowerdir: 읽기 전용 레이어 폴더들, 맨 위 레이어가 먼저"


def overlay(img: Image, upper: "Layer | None" = None):
    """overlayfs가 겹치는 모습을 그립니다. 왼쪽은 upperdir(컨테이너의 쓰기 층)와 lowerdir(레이어 폴더들,
    맨 위 레이어가 먼저), 오른쪽은 모두 겹친 merged(컨테이너의 ``/``)입니다.

    ``upper`` 는 컨테이너가 바꾼 것(예: ``layout.commit()`` 의 레이어)이고, 없으면 빈 upperdir를 그립니다.
    삭제 표시는 overlay2 폴더에서처럼 ``× 경로 (0/0 장치)``, 불투명 디렉터리는 ``경로/ (불투명)`` 으로 적습니다.
    merged의 색 칩 ``L번호`` 는 그 파일을 준 레이어, ``U`` 는 upperdir입니다.
    matplotlib Figure를 돌려줍니다(노트북에서는 셀 끝에 ``;`` 나 ``plt.show()``).
    """
    if not isinstance(img, Image):
        raise ImageLibError(f"il.viz.overlay에는 il.Image가 필요합니다({type(img).__name__}를 받았습니다).")
    if upper is not None and not isinstance(upper, Layer):
        raise ImageLibError(f"upper에는 il.Layer가 필요합니다({type(upper).__name__}를 받았습니다).")
    layers = list(img.layers) + ([upper] if upper is not None else [])
    boxes = [("upperdir  (컨테이너의 쓰기 층)", _items(upper) if upper is not None else ["(비어 있음)"], None)]
    for index in reversed(range(len(img.layers))):
        title = f"L{index}  ChainID {img.chain_ids[index].short}"
        boxes.append((title, _items(img.layers[index]), index))
    merged = _merged_items(FileTree.from_layers(layers), len(img.layers))
    left_inches = sum((1 + len(items)) * ROW + GAP for _, items, _ in boxes) + ROW
    right_inches = (1 + len(merged)) * ROW + GAP
    body = max(left_inches, right_inches)
    height = TOP + body + BOTTOM
    with drawing():
        fig = new_figure(FIG_WIDTH, height)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, FIG_WIDTH)
        ax.set_ylim(0, height)
        ax.set_axis_off()
        top = height - TOP
        for title, items, index in boxes:
            if index == len(img.layers) - 1:
                ax.text(LEFT_X, top - ROW / 2, LOWER_LABEL, fontsize=SMALL_SIZE, color=MUTED, va="center")
                top -= ROW
            top = _draw_box(ax, LEFT_X, top, LEFT_W, title, items, index) - GAP
        _draw_merged(ax, height - TOP, merged)
        middle = height - TOP - min(left_inches, right_inches) / 2
        arrow = FancyArrowPatch(
            (LEFT_X + LEFT_W + 0.1, middle), (RIGHT_X - 0.1, middle), arrowstyle="-|>", mutation_scale=22, color=INK
        )
        ax.add_patch(arrow)
        ax.text((LEFT_X + LEFT_W + RIGHT_X) / 2, middle + 0.15, "겹치기", ha="center", fontsize=SMALL_SIZE)
        ax.text(
            LEFT_X,
            height - 0.15,
            f"overlayfs: lowerdir {len(img.layers)}개 + upperdir → merged",
            fontsize=TITLE_SIZE,
            fontweight="bold",
            va="top",
        )
        key = (
            "× = 화이트아웃(0/0 문자 장치) · (불투명) = trusted.overlay.opaque=y · "
            "색 칩 = 그 파일을 준 층(U = upperdir)"
        )
        ax.text(LEFT_X, 0.15, key, fontsize=SMALL_SIZE, color=MUTED, va="bottom")
    return fig


def _items(layer: Layer) -> "list[str]":
    lines = [_item(entry) for entry in sorted(layer.entries, key=lambda e: e.path) if _shown(entry)]
    if len(lines) > MAX_ITEMS:
        lines = lines[: MAX_ITEMS - 1] + [f"… 외 {len(lines) - MAX_ITEMS + 1}개"]
    return lines or ["(폴더만 있음)"]


def _shown(entry: Entry) -> bool:
    return entry.kind != "dir"


def _item(entry: Entry) -> str:
    if isinstance(entry, Whiteout):
        return f"× /{entry.path}  (0/0 장치)"
    if isinstance(entry, Opaque):
        return f"/{entry.path}/  (불투명)"
    if isinstance(entry, Symlink):
        return f"/{entry.path} -> {entry.target}"
    return f"/{entry.path}"


def _merged_items(tree: FileTree, upper_index: int) -> "list[tuple[str, int | None]]":
    rows: "list[tuple[str, int | None]]" = []
    for node in tree.walk():
        if node.kind == "dir":
            continue
        text = f"/{node.path}" + (f" -> {node.target}" if node.kind == "symlink" else "")
        rows.append((text, None if node.layer_index == upper_index else node.layer_index))
    if len(rows) > MAX_MERGED:
        rows = rows[: MAX_MERGED - 1] + [(f"… 외 {len(rows) - MAX_MERGED + 1}개", -1)]
    return rows


def _draw_box(ax, x: float, top: float, width: float, title: str, items: "list[str]", index: "int | None") -> float:
    height = (1 + len(items)) * ROW
    colour = UPPER_COLOUR if index is None else layer_colour(index)
    ax.add_patch(
        Rectangle((x, top - height), width, height, facecolor=colour, alpha=0.18, edgecolor=WHITEOUT_EDGE, lw=1.2)
    )
    if index is None:
        ax.text(x + 0.12, top - ROW / 2, title, fontsize=SMALL_SIZE, fontweight="bold", va="center")
    else:
        chip(ax, x + 0.12, top - ROW / 2, index)
        ax.text(x + 0.6, top - ROW / 2, title.split("  ", 1)[1], fontsize=SMALL_SIZE, fontweight="bold", va="center")
    for row, text in enumerate(items, start=1):
        ax.text(x + 0.35, top - ROW * (row + 0.5), text, fontsize=SMALL_SIZE, va="center")
    return top - height


def _draw_merged(ax, top: float, rows: "list[tuple[str, int | None]]") -> None:
    height = (1 + len(rows)) * ROW
    ax.add_patch(Rectangle((RIGHT_X, top - height), RIGHT_W, height, facecolor="white", edgecolor=INK, lw=1.5))
    ax.text(
        RIGHT_X + 0.12, top - ROW / 2, "merged  (컨테이너의 /)", fontsize=SMALL_SIZE, fontweight="bold", va="center"
    )
    for row, (text, index) in enumerate(rows, start=1):
        y = top - ROW * (row + 0.5)
        if index is None:
            ax.text(RIGHT_X + 0.12, y, "U", fontsize=SMALL_SIZE, fontweight="bold", va="center", color=INK)
        elif index >= 0:
            chip(ax, RIGHT_X + 0.12, y, index)
        ax.text(RIGHT_X + 0.7, y, text, fontsize=SMALL_SIZE, va="center")
