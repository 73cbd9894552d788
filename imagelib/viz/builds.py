"""빌드 강의(07~09)의 그림: 모형 크기로 잰 레이어 막대, pull 시간, 캐시 적중/실패.

``il.viz.sizes`` 는 실제로 저장된 바이트를 그립니다. 카탈로그 이미지는 큰 파일이 모형 파일이라
그 값이 아주 작으므로, 실제 이미지의 크기를 보려면 ``layer_sizes`` (같은 그림, 모형 크기)를 씁니다.
모양(색, 글꼴, 글자 크기)은 ``il.viz`` 와 같습니다. 노트북에서는 셀 끝에 ``;`` 나 ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .. import display, modelfile
from ..catalog import PullEstimate
from ..dockerfile import BuildResult
from ..image import Image
from .charts import sizes as viz_sizes
from .style import (
    FOLD_COLOUR,
    INK,
    SHARED_COLOUR,
    SMALL_SIZE,
    UNIQUE_COLOUR,
    clip,
    drawing,
    ink_on,
    layer_colour,
    new_figure,
    size_formatter,
    size_locator,
    wrap_to_fit,
)

WIDTH = 13.0
ROW_INCHES = 1.15  # one build in cache_steps: two lines of step text and its status


def layer_sizes(images: "Mapping[str, Image]", *, download: bool = False, title: "str | None" = None):
    """이미지마다 레이어의 모형 크기를 쌓은 막대(왼쪽이 베이스). ``download=True`` 면 압축 후 크기.

    ``il.viz.sizes`` 와 같은 그림에, 잣대만 모형 크기로 바꾼 것입니다.
    """

    def measure(layer) -> int:
        modeled = modelfile.layer_size(layer)
        return modeled.download if download else modeled.size

    what = "내려받는 크기, 압축 후" if download else "압축 전, docker images의 SIZE"
    return viz_sizes(images, measure=measure, what=f"{what} · 모형 크기", title=title)


def pull_times(estimates: "Mapping[str, PullEstimate]", title: "str | None" = None):
    """이미지마다 pull에 걸리는 시간(초) 막대. 이미 있어서 건너뛴 양은 옅은 색으로 붙여 보여 줍니다."""
    rows = list(estimates.items())
    longest = max([e.total_bytes * 8 / (e.bandwidth_mbps * 1e6) for _, e in rows] + [1e-9])
    with drawing():
        height = 1.8 + 0.75 * len(rows)
        fig = new_figure(WIDTH, height)
        ax = fig.add_axes((0.22, 1.0 / height, 0.7, 0.75 * len(rows) / height))
        for row, (_, estimate) in enumerate(rows):
            skipped = estimate.reused_bytes * 8 / (estimate.bandwidth_mbps * 1e6)
            ax.barh(row, estimate.seconds, height=0.55, color=UNIQUE_COLOUR)
            if skipped:
                ax.barh(
                    row, skipped, left=estimate.seconds, height=0.55, color=FOLD_COLOUR, hatch="//", edgecolor="white"
                )
            label = f"{estimate.seconds:.1f}초 · {display.human_size(estimate.download_bytes)}"
            if skipped:
                label += f" (건너뜀 {display.human_size(estimate.reused_bytes)})"
            ax.text(
                estimate.seconds + skipped + longest * 0.012,
                row,
                label,
                va="center",
                fontsize=SMALL_SIZE + 1,
                fontweight="bold",
            )
        ax.set_yticks(range(len(rows)), [clip(name, 24) for name, _ in rows])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlim(0, longest * 1.45)
        ax.set_xlabel("pull에 걸리는 시간(초) = 내려받을 바이트 × 8 ÷ 대역폭  (빗금: 이미 있어 건너뛴 양)")
        ax.set_title(title or "내려받는 시간", loc="left", fontweight="bold")
    return fig


def cache_steps(results: "Mapping[str, BuildResult]", title: "str | None" = None):
    """빌드마다 레이어를 만드는 단계를 칸으로: 파랑 = 캐시 적중(CACHED), 주황 = 다시 실행."""
    rows = [(name, [s for s in result.steps if s.layer is not None]) for name, result in results.items()]
    columns = max(len(steps) for _, steps in rows)
    with drawing():
        height = 1.7 + ROW_INCHES * len(rows)
        fig = new_figure(WIDTH, height)
        ax = fig.add_axes((0.17, 0.95 / height, 0.81, ROW_INCHES * len(rows) / height))
        ax.set_xlim(0, columns)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        for row, (_, steps) in enumerate(rows):
            for column, step in enumerate(steps):
                colour = SHARED_COLOUR if step.cached else UNIQUE_COLOUR
                ax.add_patch(_box(column, row, colour))
                label = ax.text(
                    column + 0.5, row - 0.1, "", ha="center", va="center", color=ink_on(colour), linespacing=1.3
                )
                label.set_fontsize(SMALL_SIZE)
                wrap_to_fit(label, ax.transData.transform((column + 0.94, row))[0], step.text)
                tail = "CACHED" if step.cached else f"실행 · {display.human_size(step.size)}"
                ax.text(
                    column + 0.5,
                    row + 0.24,
                    tail,
                    ha="center",
                    va="center",
                    fontsize=SMALL_SIZE,
                    color=ink_on(colour),
                    fontweight="bold",
                )
        ax.set_yticks(range(len(rows)), [clip(name, 22) for name, _ in rows])
        ax.set_xticks([])
        for side in ("bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel("레이어를 만드는 단계(왼쪽부터 Dockerfile 순서) — 파랑: 캐시 적중, 주황: 다시 실행", color=INK)
        ax.set_title(title or "빌드 캐시: 어느 단계가 다시 실행되었나", loc="left", fontweight="bold")
    return fig


def _box(column: int, row: int, colour: str):
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch(
        (column + 0.04, row - 0.42),
        0.92,
        0.84,
        boxstyle="round,pad=0.0,rounding_size=0.06",
        facecolor=colour,
        edgecolor="white",
        linewidth=1.5,
    )


def size_comparison(values: "Sequence[tuple[str, int]]", title: str, xlabel: str):
    """이름과 바이트 수 목록을 가로 막대로(예: 다단계 빌드 전후 크기)."""
    longest = max([value for _, value in values] + [1])
    with drawing():
        height = 1.7 + 0.7 * len(values)
        fig = new_figure(WIDTH, height)
        ax = fig.add_axes((0.24, 0.95 / height, 0.68, 0.7 * len(values) / height))
        for row, (_, value) in enumerate(values):
            ax.barh(row, value, height=0.55, color=layer_colour(row))
            ax.text(
                value + longest * 0.012,
                row,
                display.human_size(value),
                va="center",
                fontsize=SMALL_SIZE + 1,
                fontweight="bold",
            )
        ax.set_yticks(range(len(values)), [clip(name, 26) for name, _ in values])
        ax.set_ylim(len(values) - 0.5, -0.5)
        ax.set_xlim(0, longest * 1.25)
        ax.xaxis.set_major_formatter(size_formatter())
        ax.xaxis.set_major_locator(size_locator(6))
        ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left", fontweight="bold")
    return fig
