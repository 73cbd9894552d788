"""il.viz.packages: the SBOM of each image as bars of packages per layer, next to its size."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from figure_layout import problems  # noqa: E402

import imagelib as il  # noqa: E402

# The images notebook 15 compares.
NAMES = ["node:22", "node:22-slim", "node:22-alpine", "gcr.io/distroless/nodejs22-debian12"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _widths(fig, prefix):
    return {p.get_gid(): p.get_width() for ax in fig.axes for p in ax.patches if (p.get_gid() or "").startswith(prefix)}


def test_bars_count_the_packages_each_layer_added_and_show_the_sizes():
    images = {name: il.catalog.get(name) for name in NAMES}
    fig = il.viz.packages(images)
    widths = _widths(fig, "pkg-")
    for row, image in enumerate(images.values()):
        found = il.sbom(image).packages
        for layer in {p.layer_index for p in found}:
            assert widths[f"pkg-{row}-{layer}"] == sum(p.layer_index == layer for p in found)
        assert _widths(fig, f"size-{row}")[f"size-{row}"] == il.modeled_size(image)
    assert widths["pkg-0-3"] > 200  # node:22's buildpack-deps layer with the compilers
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {"414개", "18개", "8개"} <= texts


def test_the_course_figure_has_no_overlap_or_clipping():
    fig = il.viz.packages({name: il.catalog.get(name) for name in NAMES})
    assert problems(fig) == []


def test_refuses_what_is_not_an_image():
    with pytest.raises(il.ImageLibError, match="il.viz.packages"):
        il.viz.packages({"node:22": "node:22"})
