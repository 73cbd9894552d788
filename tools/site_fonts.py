"""Korean web font for the course site: NanumGothic cut down to the characters the site uses.

Learners may have no Korean system font, so the site brings its own: the NanumGothic files that
pip installed with koreanize-matplotlib, subset with fontTools (a matplotlib dependency) to the
characters of the built pages and embedded in the style sheet as data URLs. Embedded, because
browsers refuse web fonts from ``file://`` URLs, and a site opened from disk must still show Korean.
"""

from __future__ import annotations

import base64
import io
import logging
from pathlib import Path

FAMILY = "CourseKorean"  # the subset's family name in CSS
WEIGHTS = {"NanumGothic.ttf": 400, "NanumGothicBold.ttf": 700}


def subset_woff(path: Path, text: str) -> bytes:
    """The font at ``path`` keeping only the glyphs for ``text``, as WOFF bytes."""
    from fontTools import subset

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # it lists every dropped table
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


def font_face_css(text: str) -> str:
    """@font-face rules (regular and bold) with the subset fonts embedded."""
    from imagelib.viz.fonts import font_files

    characters = "".join(sorted(set(text)))
    rules = []
    for path in font_files():
        weight = WEIGHTS.get(path.name)
        if weight is None:
            continue
        data = base64.b64encode(subset_woff(path, characters)).decode("ascii")
        # Only the embedded file, no local(): "CourseKorean" always means these exact glyphs. An
        # installed NanumGothic is used anyway, by its own name, which course.css lists first.
        rules.append(
            f'@font-face {{\n  font-family: "{FAMILY}";\n  font-weight: {weight};\n'
            f"  font-display: swap;\n"
            f'  src: url(data:font/woff;base64,{data}) format("woff");\n}}\n'
        )
    return "\n".join(rules)


def site_text(out: Path) -> str:
    """All text of the HTML pages in ``out`` (markup included: a few extra ASCII glyphs cost nothing)."""
    return "".join(path.read_text(encoding="utf-8") for path in sorted(out.rglob("*.html")))
