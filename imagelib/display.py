"""Plain-text and HTML views of imagelib values for notebooks (Korean labels)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .filetree import FileTree
    from .image import Image
    from .layer import Layer
    from .store import Store

_UNITS = ("B", "KB", "MB", "GB", "TB")
_MAX_ROWS = 30


def human_size(size: float) -> str:
    """바이트 수를 읽기 좋은 단위로: 1536 → '1.5 KB' (1 KB = 1000 B, 도커와 같은 십진 단위)."""
    value = float(size)
    for unit in _UNITS:
        if abs(value) < 1000 or unit == _UNITS[-1]:
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def short_text(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], caption: str = "") -> str:
    head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        if i == _MAX_ROWS:
            body.append(f"<tr><td colspan='{len(headers)}'>…</td></tr>")
            break
        body.append("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>")
    cap = f"<caption style='text-align:left'><b>{html.escape(caption)}</b></caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _cell(value: object) -> str:
    if isinstance(value, Code):
        return f"<code>{html.escape(str(value))}</code>"
    return html.escape(str(value))


class Code(str):
    """A table cell shown in monospace."""


def layer_html(layer: Layer) -> str:
    entries = [e for e in layer.entries]
    rows = [(Code("/" + e.path), _KIND_NAMES.get(e.kind, e.kind),
             human_size(e.size) if e.kind == "file" else "", oct(e.mode)[2:] if e.kind != "whiteout" else "")
            for e in entries]
    info = (f"<b>레이어</b> <code>{layer.digest.short}</code> · {human_size(layer.size)} · "
            f"항목 {len(entries)}개" + (f" · <i>{html.escape(short_text(layer.created_by, 80))}</i>"
                                      if layer.created_by else ""))
    return f"<div>{info}{table(['경로', '종류', '크기', '권한'], rows)}</div>"


_KIND_NAMES = {"file": "파일", "dir": "폴더", "symlink": "심볼릭 링크", "hardlink": "하드 링크",
               "whiteout": "화이트아웃(삭제)", "opaque": "불투명 표시"}


def kind_name(kind: str) -> str:
    return _KIND_NAMES.get(kind, kind)


def render_tree(tree: FileTree, max_entries: int, show_layers: bool) -> str:
    lines = ["/"]
    shown = 0

    def visit(directory: str, prefix: str) -> None:
        nonlocal shown
        names = tree._tree.children.get(directory, set())
        ordered = sorted(names)
        for i, name in enumerate(ordered):
            if shown >= max_entries:
                return
            path = f"{directory}/{name}" if directory else name
            node = tree._tree.nodes[path]
            last = i == len(ordered) - 1
            label = name + ("/" if node.kind == "dir" else "")
            if node.kind == "symlink":
                label += f" -> {node.target}"
            elif node.kind == "hardlink":
                label += f" => /{node.target}"
            elif node.kind == "file":
                label += f"  ({human_size(node.size)})"
            if show_layers:
                label += f"  [L{node.layer_index}]"
            lines.append(prefix + ("└── " if last else "├── ") + label)
            shown += 1
            if node.kind == "dir":
                visit(path, prefix + ("    " if last else "│   "))

    visit("", "")
    if len(tree) > shown:
        lines.append(f"… 외 {len(tree) - shown}개")
    return "\n".join(lines)


def tree_html(tree: FileTree) -> str:
    text = html.escape(render_tree(tree, 60, True))
    return (f"<div><b>파일 트리</b> · 항목 {len(tree)}개 · 파일 {human_size(tree.size)} · "
            f"[L번호] = 그 항목을 준 레이어(0이 맨 아래)<pre>{text}</pre></div>")


def image_html(image: Image) -> str:
    config = image.config
    head = (f"<b>이미지</b> · ID <code>{image.id.short}</code> · 다이제스트 "
            f"<code>{image.digest.short}</code> · {image.os}/{image.architecture} · "
            f"레이어 {len(image.layers)}개 · {human_size(image.size)}")
    layers = table(["#", "만든 단계 (created_by)", "크기", "다이제스트"],
                   [(i, Code(short_text(layer.created_by or "—", 70)), human_size(layer.size),
                     Code(layer.digest.short)) for i, layer in enumerate(image.layers)],
                   caption="레이어 (아래 → 위)")
    settings = [(k, Code(v)) for k, v in config.summary().items()]
    conf = table(["설정", "값"], settings, caption="설정 (config)") if settings else ""
    return f"<div>{head}{layers}{conf}</div>"


def store_html(store: Store) -> str:
    rows = [(Code(name), Code(digest.short), human_size(size)) for name, digest, size in store._tag_rows()]
    usage = store.usage()
    foot = (f"<p>이미지 {usage.images}개 · 이름(태그) {usage.tags}개 · 이미지별로 센 크기 "
            f"{human_size(usage.logical_bytes)} · 실제로 저장된 크기 {human_size(usage.stored_bytes)}</p>")
    return f"<div><b>저장소 (Store)</b>{table(['이름', '다이제스트', '크기'], rows)}{foot}</div>"
