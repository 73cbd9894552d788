"""멀티 플랫폼 이미지의 그림: 인덱스 → 플랫폼 매니페스트 → 설정 → 레이어(index_chain)."""

from __future__ import annotations

from ..errors import ImageLibError
from ..imageindex import ImageIndex
from ..oci import DEFAULT_PLATFORM, Platform
from .style import INK, MUTED, SMALL_SIZE, drawing, layer_colour, new_figure, rounded_box

FIG_WIDTH = 13.0
COLUMNS = (0.1, 4.55, 9.0)  # index, platform manifests, the blobs of the chosen manifest
BOX_WIDTH = 4.0
BOX_HEIGHT = 0.78
ROW = 1.0
MAX_LAYERS = 6
CHOSEN = "#0072B2"
HEADINGS = ("이미지 인덱스", "플랫폼 매니페스트", "고른 매니페스트가 가리키는 것")


def index_chain(index: ImageIndex, platform: "str | Platform | None" = None, title: "str | None" = None):
    """이미지 인덱스에서 레이어까지 해시가 이어지는 길을 그립니다(``docker pull --platform`` 이 따라가는 길).

    인덱스는 플랫폼마다 매니페스트 하나를 가리키고, ``platform`` (기본 ``linux/amd64``)에 맞는
    매니페스트는 설정(이미지 ID) 하나와 레이어들(레이어 다이제스트)을 가리키며, 설정은 레이어의
    압축을 푼 해시(diff_id)를 적어 둡니다. 고른 플랫폼의 길은 색으로, 나머지는 회색으로 그립니다.
    """
    if not isinstance(index, ImageIndex):
        raise ImageLibError(f"il.viz.index_chain에는 il.ImageIndex가 필요합니다({type(index).__name__}를 받았습니다).")
    wanted = DEFAULT_PLATFORM if platform is None else Platform.parse(platform)
    chosen = index.image(wanted)
    layers = list(enumerate(chosen.layers))
    hidden = max(len(layers) - MAX_LAYERS, 0)
    if hidden:
        layers = layers[: MAX_LAYERS - 1]
    rows = max(len(index), 1 + len(layers) + bool(hidden), 2)
    height = 1.5 + ROW * rows + 0.5
    with drawing():
        fig = new_figure(FIG_WIDTH, height)
        ax = fig.add_axes((0.01, 0.2 / height, 0.98, (ROW * rows + 0.9) / height))
        ax.set_xlim(0, 13.2)
        ax.set_ylim(rows - 0.45, -1.3)
        ax.set_axis_off()
        for x, heading in zip(COLUMNS, HEADINGS, strict=True):
            ax.text(x + 0.05, -0.95, heading, fontsize=SMALL_SIZE + 1, fontweight="bold", color=INK)
        _box(ax, COLUMNS[0], 0, f"인덱스 다이제스트\n{index.digest.short}", CHOSEN, gid="index-box")
        manifest_row = 0
        for row, (name, image) in enumerate(zip(index.platforms, index.images, strict=True)):
            picked = image is chosen
            colour = CHOSEN if picked else MUTED
            _box(ax, COLUMNS[1], row, f"{name}\n매니페스트 다이제스트 {image.digest.short}", colour, gid="manifest-box")
            _arrow(ax, COLUMNS[0] + BOX_WIDTH, 0, COLUMNS[1], row, colour)
            if picked:
                manifest_row = row
        config = f"설정(config) = 이미지 ID {chosen.id.short}\n레이어들의 diff_id를 적은 JSON"
        _box(ax, COLUMNS[2], 0, config, CHOSEN, gid="config-box")
        _arrow(ax, COLUMNS[1] + BOX_WIDTH, manifest_row, COLUMNS[2], 0, CHOSEN)
        for row, (number, layer) in enumerate(layers, start=1):
            text = f"레이어 {number}: 다이제스트 {layer.digest.short}\ndiff_id {layer.diff_id.short}"
            _box(ax, COLUMNS[2], row, text, layer_colour(number), gid="layer-box")
            _arrow(ax, COLUMNS[1] + BOX_WIDTH, manifest_row, COLUMNS[2], row, layer_colour(number), faint=True)
        if hidden:
            _box(ax, COLUMNS[2], 1 + len(layers), f"외 레이어 {hidden + 1}개", MUTED, gid="more-layers", dashed=True)
        heading = title or f"이름 하나, 이미지 여럿: {wanted}에서 받는 길"
        fig.suptitle(heading, x=0.01, y=1 - 0.12 / height, ha="left", va="top", fontweight="bold")
        fig.text(
            0.01,
            1 - 0.55 / height,
            f"플랫폼 {len(index)}개 · 고른 매니페스트의 레이어 {len(chosen.layers)}개 (해시는 앞 12자리)",
            fontsize=SMALL_SIZE,
            color=MUTED,
            va="top",
        )
    return fig


def _box(ax, x: float, row: float, text: str, colour: str, *, gid: str, dashed: bool = False) -> None:
    from matplotlib.colors import to_hex, to_rgb

    face = to_hex(tuple(0.8 + 0.2 * c for c in to_rgb(colour)))
    rounded_box(ax, x, row, BOX_WIDTH, BOX_HEIGHT, face=face, edge=colour, gid=gid, dashed=dashed)
    ax.text(x + 0.12, row, text, va="center", fontsize=SMALL_SIZE, linespacing=1.15, color=INK)


def _arrow(ax, x0: float, y0: float, x1: float, y1: float, colour: str, *, faint: bool = False) -> None:
    from matplotlib.patches import FancyArrowPatch

    ax.add_patch(
        FancyArrowPatch(
            (x0 + 0.03, y0),
            (x1 - 0.03, y1),
            arrowstyle="-|>",
            mutation_scale=16,
            linewidth=1.2 if faint else 2,
            color=colour,
            alpha=0.6 if faint else 1.0,
        )
    )
