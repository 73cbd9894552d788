"""``il.viz.overlay``: the lowerdir/upperdir/merged figure of notebook 14 is legible (no text on
text, nothing cut off) and draws what the kernel's overlayfs shows: hidden paths stay out of
merged, and each merged path names the layer (or the upperdir) that gave it."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from figure_layout import problems  # noqa: E402

import imagelib as il  # noqa: E402

BASE = il.Layer.from_files({"etc/os-release": "x", "bin/busybox": "b", "bin/sh": il.Symlink("/bin/busybox")})
APP = il.Layer.from_files({f"srv/cache/page-{n}.html": str(n) for n in range(8)} | {"srv/old.txt": "o"})
CLEAN = il.Layer.from_files({"srv/cache": il.Dir()}, deleted=["srv/old.txt"], opaque=["srv/cache"])
IMAGE = il.Image.scratch().add_layer(BASE).add_layer(APP).add_layer(CLEAN)
UPPER = il.Layer.from_files({"srv/app.py": "v2", "srv/cache/new.html": "n"}, deleted=["bin/sh"])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(fig) -> "list[str]":
    return [text.get_text() for text in fig.findobj(matplotlib.text.Text)]


def _merged_paths(fig) -> "list[str]":
    """The paths listed in the merged box (the right half of the figure)."""
    return [
        text.get_text()
        for text in fig.findobj(matplotlib.text.Text)
        if text.get_text().startswith("/") and text.get_position()[0] > fig.get_figwidth() / 2
    ]


@pytest.mark.parametrize("upper", [None, UPPER], ids=["empty-upper", "with-changes"])
def test_the_overlay_figure_has_no_layout_problems(upper):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Korean glyph warns
        fig = il.viz.overlay(IMAGE, upper)
    assert problems(fig) == []


def test_merged_shows_what_overlayfs_shows():
    fig = il.viz.overlay(IMAGE, UPPER)
    texts = _texts(fig)
    assert "× /srv/old.txt  (0/0 장치)" in texts and "× /bin/sh  (0/0 장치)" in texts
    assert "/srv/cache/  (불투명)" in texts
    assert _merged_paths(fig) == ["/bin/busybox", "/etc/os-release", "/srv/app.py", "/srv/cache/new.html"]
    assert texts.count("U") == 2  # srv/app.py and srv/cache/new.html come from the upper directory
    assert "… 외 5개" in texts  # eight pages and old.txt: the box shows four lines and the rest as a count


def test_anything_but_an_image_is_refused():
    with pytest.raises(il.ImageLibError, match="il.Image"):
        il.viz.overlay("nginx")
