"""il.viz.index_chain: the path from an image index to layers, legible and naming the right hashes."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from figure_layout import problems  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import imagelib as il  # noqa: E402

APP = 'FROM alpine:3.19\nCOPY app.sh /app.sh\nCMD ["/app.sh"]\n'


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def draw(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Korean glyph is a warning
        return il.viz.index_chain(*args, **kwargs)


def texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(Text) if t.get_visible())


def built() -> il.ImageIndex:
    return il.build_index(APP, {"app.sh": "echo hi\n"}, platforms=["linux/amd64", "linux/arm64"])


@pytest.mark.parametrize("platform", ["linux/amd64", "linux/arm64"])
def test_the_chosen_platform_path_names_its_five_hashes(platform):
    index = built()
    image = index.image(platform)
    shown = texts(draw(index, platform))
    for digest in (index.digest, image.digest, image.id, image.layers[0].digest, image.layers[-1].diff_id):
        assert digest.short in shown
    other = index.image("linux/arm64" if platform == "linux/amd64" else "linux/amd64")
    assert other.digest.short in shown and other.id.short not in shown  # listed, not followed


@pytest.mark.parametrize("name", ["alpine:3.19", "node:14", "python:3.12"])
def test_catalog_indexes_draw_without_overlap_or_clipping(name):
    fig = draw(il.catalog.index(name), "linux/arm64")
    assert [str(p) for p in problems(fig)] == []
    if len(il.catalog.get(name).layers) > 6:
        assert "외 레이어" in texts(fig)


def test_many_platforms_and_a_long_title_stay_legible():
    images = [
        il.Image.scratch(arch, variant=variant).add_layer(il.Layer.from_files({f"lib/{arch}{variant}": arch}))
        for arch, variant in [("amd64", None), ("arm64", "v8"), ("arm", "v7"), ("arm", "v6"), ("386", None)]
    ]
    fig = draw(il.ImageIndex.of(images), "linux/arm/v7", title="아주 긴 제목: 다섯 플랫폼 가운데 arm/v7을 고릅니다")
    assert [str(p) for p in problems(fig)] == []


def test_a_platform_the_index_lacks_is_the_pull_error_and_a_non_index_is_refused():
    with pytest.raises(il.TagNotFoundError):
        draw(built(), "linux/s390x")
    with pytest.raises(il.ImageLibError, match="ImageIndex"):
        draw(il.catalog.get("alpine:3.19"))
