"""공급망 그림(packages): 이미지마다 SBOM의 패키지 수를 그 패키지를 넣은 레이어별로 쌓고, 크기를 옆에 그립니다."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from .. import display, modelfile
from ..image import Image
from ..sbom import sbom
from .charts import FIG_WIDTH, named_images
from .style import INK, SMALL_SIZE, clip, drawing, ink_on, layer_colour, new_figure, size_formatter, size_locator


def packages(
    images: "Image | Sequence[Image] | Mapping[str, Image]",
    names: "Sequence[str] | None" = None,
    *,
    title: "str | None" = None,
):
    """이미지마다 ``il.sbom`` 이 찾은 패키지 수를 레이어별로 쌓은 막대(왼쪽)와 모형 크기(오른쪽)를 그립니다.

    막대의 칸 하나는 레이어 하나이고 색은 레이어 번호(L0 = 베이스)를 따릅니다. 칸의 길이는 그
    레이어가 처음 기록한 패키지 수입니다. 크기는 ``il.modeled_size`` (압축 전, ``docker images`` 의
    SIZE와 같은 뜻)입니다.
    """
    pairs = named_images(images, names, "il.viz.packages")
    counts = [Counter(p.layer_index for p in sbom(image).packages) for _, image in pairs]
    sizes = [modelfile.modeled_size(image) for _, image in pairs]
    most = max([sum(c.values()) for c in counts] + [1])
    biggest = max(sizes + [1])
    with drawing():
        height = 1.9 + 0.9 * len(pairs)
        fig = new_figure(FIG_WIDTH, height)
        bottom, tall = 1.05 / height, 0.9 * len(pairs) / height
        left_ax = fig.add_axes((0.27, bottom, 0.42, tall))
        right_ax = fig.add_axes((0.75, bottom, 0.2, tall), sharey=left_ax)
        for row, (count, size) in enumerate(zip(counts, sizes, strict=True)):
            _package_bar(left_ax, row, count, most)
            right_ax.barh(row, size, height=0.6, color="#9aa5b1", gid=f"size-{row}")
            right_ax.text(size + biggest * 0.03, row, display.human_size(size), va="center", fontsize=SMALL_SIZE + 1)
        left_ax.set_yticks(range(len(pairs)), [clip(name, 36) for name, _ in pairs])
        left_ax.set_ylim(len(pairs) - 0.5, -0.5)
        left_ax.set_xlim(0, most * 1.22)
        left_ax.set_xlabel("패키지 수 — 칸 하나가 그 패키지를 넣은 레이어, 왼쪽이 베이스(L0)")
        left_ax.set_title(title or "이미지에 든 패키지(SBOM)와 크기", loc="left", fontweight="bold")
        right_ax.set_xlim(0, biggest * 1.6)
        right_ax.xaxis.set_major_formatter(size_formatter())
        right_ax.xaxis.set_major_locator(size_locator(3))
        right_ax.set_xlabel("크기(압축 전)")
        right_ax.tick_params(labelleft=False)
    return fig


def _package_bar(ax, row: int, count: "Counter[int]", most: int) -> None:
    left = 0
    for layer in sorted(count):
        width = count[layer]
        colour = layer_colour(layer)
        ax.barh(
            row,
            width,
            left=left,
            height=0.6,
            color=colour,
            edgecolor="white",
            linewidth=0.8 if width >= most * 0.02 else 0,
            gid=f"pkg-{row}-{layer}",
        )
        if width >= most * 0.07:
            ax.text(
                left + width / 2, row, f"L{layer}", ha="center", va="center", fontsize=SMALL_SIZE, color=ink_on(colour)
            )
        left += width
    ax.text(left + most * 0.015, row, f"{left}개", va="center", fontsize=SMALL_SIZE + 1, fontweight="bold", color=INK)
