"""손으로 만져 보는 위젯(ipywidgets): 필름 켜고 끄기(film_explorer), 레이어 골라 보기(layer_browser)."""

from __future__ import annotations

import base64
import html
import io

import ipywidgets as widgets

from .. import display
from ..errors import ImageLibError
from ..filetree import FileTree, TreeDiff
from ..image import Image
from .films import draw_films
from .style import MUTED, OKABE_ITO, drawing, ink_on, layer_colour, step_text
from .treeview import tree_rows

TREE_ROWS = 40
LEFT = "style='text-align:left'"  # JupyterLab right-aligns table cells unless told
DIFF_ROWS = 12


def film_explorer(img: Image) -> "FilmExplorer":
    """필름(레이어)을 켜고 끄거나 슬라이더로 몇 장까지 쌓을지 고르며, 그림과 겹친 파일 트리가
    바뀌는 것을 봅니다. 위젯을 돌려주므로 셀의 마지막 줄에 두면 화면에 나타납니다."""
    return FilmExplorer(img)


def layer_browser(img: Image) -> "LayerBrowser":
    """레이어 하나를 골라, 그 레이어가 아래 레이어들에 비해 무엇을 추가·수정·삭제했는지 봅니다."""
    return LayerBrowser(img)


def _require_layers(img: object, what: str) -> Image:
    if not isinstance(img, Image):
        raise ImageLibError(f"{what}에는 il.Image가 필요합니다({type(img).__name__}를 받았습니다).")
    if not img.layers:
        raise ImageLibError(
            f"{what}: 레이어가 없는 이미지(FROM scratch)라 살펴볼 필름이 없습니다. 레이어를 더한 이미지를 주세요."
        )
    return img


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    with drawing():
        fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})  # speed over bytes
    return buffer.getvalue()


def _chip_html(index: int, faded: bool = False) -> str:
    colour = layer_colour(index)
    return (
        f"<span style='background:{colour};color:{ink_on(colour)};border-radius:4px;"
        f"padding:0 5px;font-weight:bold;opacity:{0.45 if faded else 1}'>L{index}</span>"
    )


def _picture() -> widgets.Image:
    return widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))


class FilmExplorer(widgets.VBox):
    """필름 탐색기. ``slider`` (몇 장까지), ``checkboxes`` (필름마다 켜기/끄기), ``picture``
    (그림), ``tree`` (겹친 파일 트리)를 속성으로 가집니다. ``selected`` 는 지금 겹친 레이어 번호들."""

    def __init__(self, img: Image) -> None:
        self.image = _require_layers(img, "il.viz.film_explorer")
        count = len(img.layers)
        self.slider = widgets.IntSlider(
            value=count - 1,
            min=0,
            max=count - 1,
            description="맨 위 필름 (upto)",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        self.checkboxes = [
            widgets.Checkbox(value=True, indent=False, description=f"L{i} {step_text(layer.created_by, 30)}")
            for i, layer in enumerate(img.layers)
        ]
        self.picture = _picture()
        self.picture.layout = widgets.Layout(width="58%", height="auto")
        self.tree = widgets.HTML(layout=widgets.Layout(width="42%"))
        self.figure = None
        switches = widgets.VBox(self.checkboxes, layout=widgets.Layout(max_height="220px", overflow="auto"))
        hint = widgets.HTML(
            "<b>필름 켜고 끄기</b> (체크를 풀면 그 필름을 빼고 겹칩니다. "
            "맨 위 필름보다 위의 필름은 쓰지 않으므로 고를 수 없습니다)"
        )
        view = widgets.HBox([self.picture, self.tree], layout=widgets.Layout(width="100%", align_items="flex-start"))
        super().__init__([self.slider, hint, switches, view])
        self.slider.observe(self.refresh, names="value")
        for box in self.checkboxes:
            box.observe(self.refresh, names="value")
        self.refresh()

    @property
    def selected(self) -> "list[int]":
        """지금 겹친 레이어 번호들(아래→위)."""
        return [i for i in range(self.slider.value + 1) if self.checkboxes[i].value]

    def refresh(self, _change: object = None) -> None:
        top = self.slider.value
        for index, box in enumerate(self.checkboxes):
            box.disabled = index > top  # above the top film: not stacked, so not a choice
        hidden = [i for i in range(top + 1) if not self.checkboxes[i].value]
        try:
            self.figure = draw_films(self.image, upto=top, hide=hidden, managed=False, with_tree=False)
            tree = FileTree.from_layers([self.image.layers[i] for i in self.selected])
        except ImageLibError as error:
            self.picture.value = b""
            self.tree.value = (
                f"<p style='color:{OKABE_ITO[5]}'><b>이 조합으로는 겹칠 수 없습니다:</b> {html.escape(str(error))}</p>"
            )
            return
        self.picture.value = _png(self.figure)
        self.tree.value = tree_html(tree, self.selected)

    def _repr_mimebundle_(self, **kwargs):
        # A still picture beside the live widget: nbconvert and nbval store it, and a reader
        # without a kernel (an untrusted notebook, an exported page) sees the first view.
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = self.still_html()
        bundle["text/plain"] = (
            f"필름 탐색기: {_overlaid(self.selected)} (JupyterLab에서 셀을 실행하면 움직여 볼 수 있습니다)"
        )
        return bundle

    def still_html(self) -> str:
        """지금 보이는 화면을 움직이지 않는 HTML로(커널 없이 보는 사람을 위한 그림)."""
        boxes = "".join(
            f"<label style='display:block;color:{MUTED if box.disabled else 'inherit'}'>"
            f"<input type='checkbox' disabled{' checked' if box.value else ''}> {html.escape(box.description)}</label>"
            for box in self.checkboxes
        )
        picture = base64.b64encode(bytes(self.picture.value)).decode("ascii")
        return (
            "<div class='film-explorer-still'>"
            f"<p><i>커널 없이 보는 첫 화면입니다. 셀을 실행하면 필름을 직접 켜고 끌 수 있습니다.</i></p>"
            f"<p>{html.escape(self.slider.description)}: {self.slider.value}</p>{boxes}"
            "<div style='display:flex;gap:1em;align-items:flex-start'>"
            f"<img style='width:58%;height:auto' alt='필름 탐색기: {html.escape(_overlaid(self.selected))}' "
            f"src='data:image/png;base64,{picture}'>"
            f"<div style='width:42%'>{self.tree.value}</div></div></div>"
        )


def _overlaid(layers: "list[int]") -> str:
    return "겹친 필름 " + (", ".join(f"L{i}" for i in layers) or "(없음)")


def tree_html(tree: FileTree, layer_map: "list[int]") -> str:
    """The merged view as HTML rows, each with the chip of the layer that provides it."""
    rows = tree_rows(tree, layer_map, TREE_ROWS)
    lines = [
        f"<p><b>{_overlaid(list(layer_map))} → 컨테이너가 보는 모습</b> · 파일 {len(tree.files()):,}개 · "
        f"{display.human_size(tree.size)}</p><table>"
    ]
    for row in rows.rows:
        if row.is_group:
            text = f"/{row.path}/ — {row.count:,}개, {display.human_size(row.size)}"
            others = " ".join(_chip_html(i) for i in row.layers[1:4])
        else:
            detail = display.kind_name(row.kind) + (f", {display.human_size(row.size)}" if row.kind == "file" else "")
            text = f"/{row.path}/" if row.kind == "dir" else f"/{row.path}  ({detail})"
            others = ""
        lines.append(
            f"<tr><td {LEFT}>{_chip_html(row.layer)}</td><td {LEFT}><code>{html.escape(text)}</code> {others}</td></tr>"
        )
    if rows.left_out:
        lines.append(f"<tr><td></td><td style='text-align:left;color:{MUTED}'>… 외 {rows.left_out:,}개</td></tr>")
    if not rows.rows:
        lines.append(f"<tr><td style='text-align:left;color:{MUTED}'>(보이는 파일이 없습니다)</td></tr>")
    return "".join(lines) + "</table>"


class LayerBrowser(widgets.VBox):
    """레이어 탐색기. ``dropdown`` 으로 레이어를 고르면 ``changes`` (추가·수정·삭제 목록)와
    ``picture`` (그 레이어를 강조한 필름 그림)가 바뀝니다. ``diff`` 는 지금 고른 레이어의 차이."""

    def __init__(self, img: Image) -> None:
        self.image = _require_layers(img, "il.viz.layer_browser")
        options = [
            (f"L{i} · {step_text(layer.created_by, 40)} · {display.human_size(layer.size)}", i)
            for i, layer in enumerate(img.layers)
        ]
        self.dropdown = widgets.Dropdown(
            options=options, value=len(options) - 1, description="레이어", layout=widgets.Layout(width="max-content")
        )
        self.changes = widgets.HTML()
        self.picture = _picture()
        self.figure = None
        self.diff: "TreeDiff | None" = None
        super().__init__([self.dropdown, self.changes, self.picture])
        self.dropdown.observe(self.refresh, names="value")
        self.refresh()

    def refresh(self, _change: object = None) -> None:
        index = self.dropdown.value
        layers = self.image.layers
        before = FileTree.from_layers(layers[:index])
        after = self.image.rootfs() if index == len(layers) - 1 else FileTree.from_layers(layers[: index + 1])
        self.diff = before.diff(after)
        self.changes.value = diff_html(self.diff, index, self.image)
        self.figure = draw_films(self.image, highlight=index, managed=False)
        self.picture.value = _png(self.figure)


_DIFF_GROUPS = (
    ("added", "추가 (added)", OKABE_ITO[2], "A"),
    ("modified", "수정 (modified)", OKABE_ITO[0], "C"),
    ("deleted", "삭제 (deleted)", OKABE_ITO[5], "D"),
)


def diff_html(diff: TreeDiff, index: int, img: Image) -> str:
    """What layer ``index`` changed, as three columns (A/C/D like ``docker diff``)."""
    layer = img.layers[index]
    compared = (
        f"아래 레이어 L0–L{index - 1}을 겹친 모습과 비교한 변화입니다:"
        if index
        else "베이스 레이어라서 모든 항목이 새로 추가된 것입니다:"
    )
    head = (
        f"<p>{_chip_html(index)} <b>{html.escape(step_text(layer.created_by, 70))}</b> · "
        f"{display.human_size(layer.size)} · 다이제스트 <code>{layer.digest.short}</code><br>"
        f"{compared}</p>"
    )
    columns = []
    for field, title, colour, letter in _DIFF_GROUPS:
        paths = getattr(diff, field)
        items = "".join(f"<li><code>{letter} /{html.escape(p)}</code></li>" for p in paths[:DIFF_ROWS])
        if len(paths) > DIFF_ROWS:
            items += f"<li>… 외 {len(paths) - DIFF_ROWS:,}개</li>"
        if not paths:
            items = f"<li style='color:{MUTED}'>(없음)</li>"
        columns.append(
            f"<div style='flex:1;min-width:14em'><div style='border-top:4px solid {colour}'>"
            f"<b>{title} {len(paths):,}개</b></div>"
            f"<ul style='padding-left:1.2em'>{items}</ul></div>"
        )
    return head + f"<div style='display:flex;gap:1.5em'>{''.join(columns)}</div>"
