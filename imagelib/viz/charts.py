"""여러 이미지를 비교하는 그림: 레이어 공유(sharing), 레이어 크기(sizes), 이름표와 다이제스트(tags)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .. import display, modelfile
from ..digest import Digest
from ..errors import ImageLibError
from ..image import Image
from ..layer import Layer
from ..store import Store
from .style import (
    FOLD_COLOUR,
    INK,
    MUTED,
    SHARED_COLOUR,
    SMALL_SIZE,
    UNIQUE_COLOUR,
    clip,
    drawing,
    fold,
    ink_on,
    layer_colour,
    new_figure,
    rounded_box,
    size_formatter,
    size_locator,
    step_text,
)

FIG_WIDTH = 13.0
MAX_SEGMENTS = 10  # per bar in sizes()
MAX_SHARE_ROWS = 14  # layer rows in sharing()
MAX_NAMES = 14  # name boxes in tags()
MAX_DIGESTS = 10  # digest boxes in tags()


def named_images(
    images: "Image | Sequence[Image] | Mapping[str, Image]", names: "Sequence[str] | None", what: str
) -> "list[tuple[str, Image]]":
    """(name, image) pairs from a list of images (+ names) or a dict name -> image."""
    if isinstance(images, Image):
        images = [images]
    if isinstance(images, Mapping):
        if names is not None:
            raise ImageLibError(f"{what}: 사전(dict)을 주면 이름은 사전의 키입니다. names=는 빼세요.")
        pairs = [(str(name), image) for name, image in images.items()]
    else:
        images = list(images)
        if names is None:
            names = [f"이미지 {i + 1}" for i in range(len(images))]
        names = [str(name) for name in names]
        if len(names) != len(images):
            raise ImageLibError(
                f"{what}: 이미지는 {len(images)}개인데 이름(names)은 {len(names)}개입니다. 개수를 맞추세요."
            )
        pairs = list(zip(names, images, strict=True))
    if not pairs:
        raise ImageLibError(f"{what}: 그릴 이미지가 없습니다. 이미지를 하나 이상 주세요.")
    for name, image in pairs:
        if not isinstance(image, Image):
            raise ImageLibError(f"{what}: {name!r}의 값이 il.Image가 아니라 {type(image).__name__}입니다.")
    return pairs


# -- sizes ----------------------------------------------------------------------------------


def sizes(
    images: "Image | Sequence[Image] | Mapping[str, Image]",
    names: "Sequence[str] | None" = None,
    *,
    uncompressed: bool = False,
    measure: "Callable[[Layer], int] | None" = None,
    what: "str | None" = None,
    title: "str | None" = None,
):
    """이미지마다 레이어 크기를 쌓은 막대로 그립니다(왼쪽이 베이스 레이어).

    ``images`` 는 이미지 목록(이름은 ``names``)이나 ``{"node:14": img1, "node:14-alpine": img2}``
    같은 사전입니다. 크기는 저장된 레이어 블롭의 바이트이며, ``uncompressed=True`` 면 압축을
    푼 크기입니다. 다른 잣대로 재려면 ``measure`` 에 레이어 → 바이트 수 함수를, ``what`` 에 그
    이름을 줍니다(빌드 강의의 모형 크기가 이렇게 그려집니다). 레이어가 많으면 작은 레이어들을
    회색 한 칸("N장")으로 접습니다.
    """
    pairs = named_images(images, names, "il.viz.sizes")
    if measure is None:
        measure = _uncompressed_size if uncompressed else _stored_size
        what = what or ("압축을 푼 크기" if uncompressed else "저장된 블롭 크기")
    measured = [[measure(layer) for layer in image.layers] for _, image in pairs]
    longest = max([sum(row) for row in measured] + [1])
    with drawing():
        height = 1.6 + 0.85 * len(pairs)
        fig = new_figure(FIG_WIDTH, height)
        ax = fig.add_axes((0.2, 0.95 / height, 0.77, 0.85 * len(pairs) / height))
        for row, layer_sizes in enumerate(measured):
            _size_bar(ax, row, layer_sizes, longest)
        ax.set_yticks(range(len(pairs)), [clip(name, 22) for name, _ in pairs])
        ax.set_ylim(len(pairs) - 0.5, -0.5)
        ax.set_xlim(0, longest * 1.28)
        ax.xaxis.set_major_formatter(size_formatter())
        ax.xaxis.set_major_locator(size_locator(6))
        ax.set_xlabel(f"크기 ({what or '레이어마다 잰 값'}) — 칸 하나가 레이어 하나, 왼쪽이 베이스")
        ax.set_ylabel("이미지")
        ax.set_title(title or "이미지별 레이어 크기", loc="left", fontweight="bold")
    return fig


def _stored_size(layer: Layer) -> int:
    return layer.size


def _uncompressed_size(layer: Layer) -> int:
    return layer.uncompressed_size


def _size_bar(ax, row: int, layer_sizes: "list[int]", longest: int) -> None:
    left = 0
    for span in fold(layer_sizes, MAX_SEGMENTS):
        width = sum(layer_sizes[span.start : span.stop])
        colour = FOLD_COLOUR if span.folded else layer_colour(span.start)
        ax.barh(
            row,
            width,
            left=left,
            height=0.6,
            color=colour,
            edgecolor="white",
            linewidth=1.5,
            hatch="//" if span.folded else None,
            gid=f"segment-{row}-{span.start}",
        )
        label = f"{span.count}장" if span.folded else f"L{span.start}"
        if width >= longest * 0.16:
            label += " " + display.human_size(width)
        if width >= longest * 0.045:
            ax.text(
                left + width / 2,
                row,
                label,
                ha="center",
                va="center",
                fontsize=SMALL_SIZE,
                color=INK if span.folded else ink_on(colour),
            )
        left += width
    ax.text(
        left + longest * 0.015,
        row,
        f"{display.human_size(left)} · 레이어 {len(layer_sizes)}장",
        va="center",
        fontsize=SMALL_SIZE + 1,
        fontweight="bold",
    )


# -- sharing --------------------------------------------------------------------------------


def sharing(
    images: "Image | Sequence[Image] | Mapping[str, Image]",
    names: "Sequence[str] | None" = None,
    *,
    measure: "Callable[[Layer], int] | None" = None,
    what: "str | None" = None,
):
    """여러 이미지가 어떤 레이어를 함께 쓰는지(다이제스트가 같은 레이어) 표로 그립니다.

    칸이 채워져 있으면 그 이미지가 그 레이어를 씁니다. 파란 칸은 여러 이미지가 함께 쓰는
    레이어로, 보관소(store)와 레지스트리에는 한 번만 저장되고 pull할 때도 한 번만
    내려받습니다. 오른쪽 막대는 이미지마다 따로 센 합계와 실제로 저장되는 양(같은 레이어는
    한 번)을 비교합니다.

    크기는 저장된 레이어 블롭의 바이트입니다. 카탈로그의 베이스 이미지처럼 모형 파일이 든
    이미지는 모형 파일이 선언한 내려받는 크기(압축 후, ``il.modeled_download_size``)로 잽니다.
    다른 잣대는 ``measure`` (레이어 → 바이트 수)와 그 이름 ``what`` 으로 줍니다.
    """
    pairs = named_images(images, names, "il.viz.sharing")
    if measure is None:
        measure, what = _default_measure([layer for _, image in pairs for layer in image.layers])
    layers: "dict[Digest, Layer]" = {}
    users: "dict[Digest, set[int]]" = {}
    for column, (_, image) in enumerate(pairs):
        for layer in image.layers:
            layers.setdefault(layer.digest, layer)
            users.setdefault(layer.digest, set()).add(column)
    order = list(layers)
    size = {digest: measure(layer) for digest, layer in layers.items()}
    shown, rest = _share_rows(order, size, users, [image for _, image in pairs])
    rows = len(shown) + (1 if rest else 0)
    height = 2.3 + 0.5 * max(rows, 3)
    with drawing():
        fig = new_figure(FIG_WIDTH, height)
        body = (0.5 * max(rows, 3)) / height
        matrix = fig.add_axes((0.3, 1.1 / height, 0.36, body))
        totals = fig.add_axes((0.74, 1.1 / height, 0.23, min(body, 2.2 / height)))
        _draw_matrix(matrix, pairs, shown, rest, layers, users, size)
        _draw_totals(totals, pairs, size, what or "레이어 바이트")
        fig.suptitle(
            "이미지들이 함께 쓰는 레이어 (다이제스트가 같으면 같은 레이어)",
            x=0.01,
            y=1 - 0.15 / height,
            ha="left",
            va="top",
            fontweight="bold",
        )
    return fig


def _default_measure(layers: "list[Layer]") -> "tuple[Callable[[Layer], int], str]":
    if any(modelfile.layer_size(layer).model_files for layer in layers):
        return _modeled_download, "내려받는 크기(압축 후) · 모형 크기"
    return _stored_size, "저장된 블롭 크기"


def _modeled_download(layer: Layer) -> int:
    return modelfile.layer_size(layer).download


def _share_rows(
    order: "list[Digest]", size: "dict[Digest, int]", users: "dict[Digest, set[int]]", images: "list[Image]"
) -> "tuple[list[Digest], list[Digest]]":
    """Rows to show when there are too many: shared layers first, then every image's biggest
    layer, then every image's second biggest, … (so no image disappears from the table)."""
    if len(order) <= MAX_SHARE_ROWS:
        return order, []
    place = {}
    for image in images:
        by_size = sorted(image.layers, key=lambda layer: -size[layer.digest])
        for rank, layer in enumerate(by_size):
            place[layer.digest] = min(place.get(layer.digest, rank), rank)
    position = {digest: i for i, digest in enumerate(order)}
    ranked = sorted(order, key=lambda d: (-len(users[d]), place[d], -size[d], position[d]))
    keep = set(ranked[: MAX_SHARE_ROWS - 1])
    return [d for d in order if d in keep], [d for d in order if d not in keep]


def _draw_matrix(ax, pairs, shown, rest, layers, users, size) -> None:
    from matplotlib.patches import Patch, Rectangle

    for row, digest in enumerate(shown):
        shared = len(users[digest]) > 1
        colour = SHARED_COLOUR if shared else UNIQUE_COLOUR
        for column in sorted(users[digest]):
            ax.add_patch(
                Rectangle(
                    (column - 0.45, row - 0.4),
                    0.9,
                    0.8,
                    facecolor=colour,
                    hatch="//" if shared else None,
                    edgecolor="white",
                    gid="shared-cell" if shared else "unique-cell",
                )
            )
            ax.text(
                column,
                row,
                display.human_size(size[digest]),
                ha="center",
                va="center",
                fontsize=SMALL_SIZE,
                color=ink_on(colour),
                bbox=dict(boxstyle="round,pad=0.1", facecolor=colour, edgecolor="none"),
            )
    labels = [f"{d.short} · {step_text(layers[d].created_by, 20)}" for d in shown]
    if rest:
        row = len(shown)
        for column in range(len(pairs)):
            count = sum(1 for d in rest if column in users[d])
            if count:
                ax.add_patch(
                    Rectangle(
                        (column - 0.45, row - 0.4),
                        0.9,
                        0.8,
                        facecolor=FOLD_COLOUR,
                        edgecolor="white",
                        gid="folded-cell",
                    )
                )
                ax.text(column, row, f"{count}장", ha="center", va="center", fontsize=SMALL_SIZE)
        labels.append(f"외 {len(rest)}개 레이어 ({display.human_size(sum(size[d] for d in rest))})")
    ax.set_xlim(-0.5, len(pairs) - 0.5)
    ax.set_ylim(-0.5, max(len(labels), 3) - 0.5)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xticks(
        range(len(pairs)),
        [clip(name, 16 if len(pairs) < 4 else 12) for name, _ in pairs],
        rotation=0 if len(pairs) < 5 else 30,
        ha="center" if len(pairs) < 5 else "left",
    )
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("이미지")
    ax.set_ylabel("레이어 (아래가 먼저 나온 것)")
    ax.legend(
        handles=[
            Patch(facecolor=SHARED_COLOUR, hatch="//", edgecolor="white", label="여러 이미지가 함께 씀 (한 번만 저장)"),
            Patch(facecolor=UNIQUE_COLOUR, label="한 이미지만 씀"),
        ],
        loc="upper left",
        bbox_to_anchor=(0.0, -0.02),
        ncol=2,
        frameon=False,
    )


def _draw_totals(ax, pairs, size, what: str) -> None:
    counted = sum(size[layer.digest] for _, image in pairs for layer in image.layers)
    stored = sum(size.values())
    bars = [("이미지마다\n따로 세면", counted, UNIQUE_COLOUR), ("실제 저장\n(한 번씩)", stored, SHARED_COLOUR)]
    for row, (_label, value, colour) in enumerate(bars):
        ax.barh(row, value, height=0.6, color=colour, gid="total-bar")
        ax.text(value, row, " " + display.human_size(value), va="center", fontsize=SMALL_SIZE)
    ax.set_yticks(range(len(bars)), [label for label, _, _ in bars])
    ax.set_ylim(len(bars) - 0.5, -0.5)
    ax.set_xlim(0, max(counted, 1) * 1.45)
    ax.xaxis.set_major_formatter(size_formatter())
    ax.xaxis.set_major_locator(size_locator(3))
    ax.set_xlabel(what)
    saved = counted - stored
    percent = f" ({saved / counted:.0%})" if counted else ""
    ax.set_title(f"저장 공간: 공유로 {display.human_size(saved)} 절약{percent}", loc="left", fontsize=SMALL_SIZE + 1)


# -- tags -----------------------------------------------------------------------------------


def tags(store: Store, title: "str | None" = None):
    """보관소(store)의 이름(repository:tag)이 어느 매니페스트(또는 인덱스) 다이제스트를 가리키는지 화살표로 그립니다.

    이름은 다이제스트에 붙은 이름표일 뿐이라, ``store.tag`` 로 이름을 옮기면 화살표만 바뀝니다.
    옮기기 전과 후에 한 번씩 그려 비교해 보세요(``title="전"``, ``title="후"``). 이름이 하나도
    없는 이미지(dangling)는 점선 상자로 그립니다.
    """
    if not isinstance(store, Store):
        raise ImageLibError(f"il.viz.tags에는 il.Store가 필요합니다({type(store).__name__}를 받았습니다).")
    records = store.images()
    targets = {name: index for index, record in enumerate(records) for name in record.names}
    names = sorted(targets)
    shown_records = records if len(records) <= MAX_DIGESTS else records[: MAX_DIGESTS - 1]
    shown_names = names if len(names) <= MAX_NAMES else names[: MAX_NAMES - 1]
    rows = max(
        len(shown_names) + (len(shown_names) < len(names)), len(shown_records) + (len(shown_records) < len(records)), 2
    )
    height = 1.9 + 0.62 * rows
    with drawing():
        fig = new_figure(FIG_WIDTH, height)
        ax = fig.add_axes((0.02, 0.3 / height, 0.96, (0.62 * rows + 0.6) / height))
        ax.set_xlim(0, 10)
        ax.set_ylim(rows - 0.4, -1.2)
        ax.set_axis_off()
        ax.text(0.2, -0.9, "이름 (repository:tag)", fontsize=SMALL_SIZE + 1, fontweight="bold")
        heading = (
            "매니페스트·인덱스 다이제스트"
            if any(record.platforms for record in records)
            else "매니페스트 다이제스트 (manifest digest)"
        )
        ax.text(5.8, -0.9, heading, fontsize=SMALL_SIZE + 1, fontweight="bold")
        if not records:
            ax.text(
                0.2,
                0.5,
                "보관소가 비어 있습니다 (store.put으로 이미지를 넣으세요)",
                fontsize=SMALL_SIZE + 1,
                color=MUTED,
            )
        for row, record in enumerate(shown_records):
            _digest_box(ax, row, record, layer_colour(row))
        if len(shown_records) < len(records):
            _box(
                ax,
                5.8,
                len(shown_records),
                f"외 {len(records) - len(shown_records):,}개 이미지",
                "white",
                MUTED,
                dashed=True,
                gid="more-digests",
            )
        for row, name in enumerate(shown_names):
            target = min(targets[name], len(shown_records))
            colour = layer_colour(target) if target < len(shown_records) else MUTED
            _box(ax, 0.2, row, clip(name, 30), "white", colour, gid="name-box")
            _arrow(ax, row, target, colour)
        if len(shown_names) < len(names):
            _box(
                ax,
                0.2,
                len(shown_names),
                f"외 {len(names) - len(shown_names):,}개 이름",
                "white",
                MUTED,
                dashed=True,
                gid="more-names",
            )
        dangling = sum(1 for record in records if record.dangling)
        subtitle = f"이미지 {len(records)}개 · 이름 {len(names)}개"
        if dangling:
            subtitle += f" · 이름 없는 이미지(dangling) {dangling}개"
        fig.suptitle(
            (title + " — " if title else "") + "이름표(태그)는 다이제스트를 가리킬 뿐입니다",
            x=0.01,
            y=1 - 0.12 / height,
            ha="left",
            va="top",
            fontweight="bold",
        )
        fig.text(0.01, 1 - 0.55 / height, subtitle, fontsize=SMALL_SIZE, color=MUTED, va="top")
    return fig


BOX_WIDTH = 3.9
BOX_HEIGHT = 0.72


def _box(
    ax, x: float, row: int, text: str, face: str, edge: str, *, dashed: bool = False, gid: str, alpha: float = 1.0
) -> None:
    rounded_box(ax, x, row, BOX_WIDTH, BOX_HEIGHT, face=face, edge=edge, gid=gid, dashed=dashed, alpha=alpha)
    ax.text(x + 0.15, row, text, va="center", fontsize=SMALL_SIZE, linespacing=1.1, color=INK)


def _digest_box(ax, row: int, record, colour: str) -> None:
    first = f"{record.digest.short} · {display.human_size(record.size)}"
    if record.dangling:
        second = "이름 없음 (dangling)"
    elif record.platforms:  # an image index: its digest, no image ID of its own
        second = f"인덱스 · 플랫폼 {len(record.platforms)}개"
    else:
        second = f"ID {record.id.short}"
    face, edge = ("#F2F2F2", MUTED) if record.dangling else (_tint(colour), colour)
    _box(
        ax,
        5.8,
        row,
        f"{first}\n{second}",
        face,
        edge,
        dashed=record.dangling,
        gid="dangling-box" if record.dangling else "digest-box",
    )


def _tint(colour: str) -> str:
    from matplotlib.colors import to_hex, to_rgb

    return to_hex(tuple(0.75 + 0.25 * c for c in to_rgb(colour)))


def _arrow(ax, name_row: int, digest_row: int, colour: str) -> None:
    from matplotlib.patches import FancyArrowPatch

    ax.add_patch(
        FancyArrowPatch(
            (0.2 + BOX_WIDTH + 0.05, name_row),
            (5.75, digest_row),
            arrowstyle="-|>",
            mutation_scale=20,
            linewidth=2,
            color=colour,
            gid="tag-arrow",
        )
    )
