"""Static HTML of a widget's first view, from the widget state a notebook run saved.

``ExecutePreprocessor(store_widget_state=True)`` keeps every widget model's state in the
notebook metadata. This module draws that state as plain HTML (controls shown disabled, images
inline), so a reader of the course site sees the widget as it first appeared, without a kernel
and without loading a widget manager from the network.
"""

from __future__ import annotations

import html

STATE_MIME = "application/vnd.jupyter.widget-state+json"
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
PREFIX = "IPY_MODEL_"
NOTE = "커널 없이 보는 첫 화면입니다. 직접 움직여 보려면 JupyterLab에서 노트북을 열고 셀을 실행하세요."


def saved_state(nb) -> dict:
    """model id → {"model_name", "state", "buffers"} saved in the notebook (empty if none)."""
    return nb.metadata.get("widgets", {}).get(STATE_MIME, {}).get("state", {})


class Snapshot:
    def __init__(self, models: dict, alt: str) -> None:
        self.models = models
        self.alt = alt

    def model(self, ref: str) -> "dict | None":
        return self.models.get(ref[len(PREFIX) :] if ref.startswith(PREFIX) else ref)

    def render(self, ref: str) -> str:
        model = self.model(ref)
        if model is None:
            return "<div class='widget-missing'>(저장된 위젯 상태가 없습니다)</div>"
        name = model.get("model_name", "").removesuffix("Model")
        state = model.get("state", {})
        draw = getattr(self, f"draw_{name}", None)
        if draw is None:
            return f"<div class='widget-missing'>({html.escape(name)} 위젯: 커널이 있어야 보입니다)</div>"
        return draw(state, model)

    def layout_style(self, state: dict) -> str:
        layout = (self.model(state.get("layout") or "") or {}).get("state", {})
        rules = {
            key.replace("_", "-"): value
            for key, value in layout.items()
            if value and key in ("max_height", "max_width", "overflow", "width", "height")
        }
        return ";".join(f"{key}:{value}" for key, value in rules.items())

    def children(self, state: dict) -> str:
        return "".join(self.render(child) for child in state.get("children", []))

    def draw_VBox(self, state: dict, model: dict) -> str:
        return f"<div class='widget-vbox' style='{self.layout_style(state)}'>{self.children(state)}</div>"

    def draw_HBox(self, state: dict, model: dict) -> str:
        return f"<div class='widget-hbox' style='{self.layout_style(state)}'>{self.children(state)}</div>"

    draw_Box = draw_VBox
    draw_GridBox = draw_HBox

    def draw_HTML(self, state: dict, model: dict) -> str:
        return f"<div class='widget-html'>{label(state)}{state.get('value', '')}</div>"

    draw_HTMLMath = draw_HTML

    def draw_Label(self, state: dict, model: dict) -> str:
        return f"<div class='widget-label'>{html.escape(str(state.get('value', '')))}</div>"

    def draw_IntSlider(self, state: dict, model: dict) -> str:
        bounds = " ".join(
            f"{key}='{html.escape(str(state.get(key)))}'"
            for key in ("min", "max", "step", "value")
            if state.get(key) is not None
        )
        return (
            f"<div class='widget-slider'>{label(state)}<input type='range' disabled {bounds}> "
            f"<output>{html.escape(str(state.get('value')))}</output></div>"
        )

    draw_FloatSlider = draw_IntSlider

    def draw_Checkbox(self, state: dict, model: dict) -> str:
        checked = " checked" if state.get("value") else ""
        return (
            f"<label class='widget-checkbox'><input type='checkbox' disabled{checked}> "
            f"{html.escape(str(state.get('description', '')))}</label>"
        )

    def draw_Dropdown(self, state: dict, model: dict) -> str:
        chosen = state.get("index")
        options = "".join(
            f"<option{' selected' if i == chosen else ''}>{html.escape(str(text))}</option>"
            for i, text in enumerate(state.get("_options_labels", []))
        )
        return f"<div class='widget-dropdown'>{label(state)}<select disabled>{options}</select></div>"

    draw_Select = draw_RadioButtons = draw_ToggleButtons = draw_Dropdown

    def draw_Button(self, state: dict, model: dict) -> str:
        return f"<button disabled>{html.escape(str(state.get('description', '')))}</button>"

    def draw_Image(self, state: dict, model: dict) -> str:
        data = next((b["data"] for b in model.get("buffers", []) if b.get("path") == ["value"]), "")
        if not data:
            return "<div class='widget-image widget-missing'>(그림 없음)</div>"
        kind = html.escape(str(state.get("format", "png")))
        return (
            f"<img class='widget-image' style='{self.layout_style(state)}' alt='{html.escape(self.alt)}' "
            f"src='data:image/{kind};base64,{data}'>"
        )

    def draw_Output(self, state: dict, model: dict) -> str:
        parts = []
        for output in state.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                parts.append(f"<img alt='{html.escape(self.alt)}' src='data:image/png;base64,{data['image/png']}'>")
            elif "text/html" in data:
                parts.append(join(data["text/html"]))
            else:
                text = output.get("text") or data.get("text/plain", "")
                parts.append(f"<pre>{html.escape(join(text))}</pre>")
        return f"<div class='widget-output'>{''.join(parts)}</div>"


def join(value: "str | list[str]") -> str:
    return value if isinstance(value, str) else "".join(value)


def label(state: dict) -> str:
    text = state.get("description") or ""
    return f"<span class='widget-description'>{html.escape(text)}</span> " if text else ""


def snapshot_html(models: dict, model_id: str, alt: str) -> str:
    """The first view of widget ``model_id`` as HTML, with a note that it is a still picture."""
    body = Snapshot(models, alt).render(model_id)
    return (
        f"<div class='widget-snapshot' data-model-id='{html.escape(model_id)}'>"
        f"<p class='widget-note'>{NOTE}</p>{body}</div>"
    )
