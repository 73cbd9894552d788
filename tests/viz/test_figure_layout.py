"""What a learner sees: no text on text, nothing cut off, in every figure the course draws.

The course figures are drawn here from the same images the notebooks use (the catalog and
imagelib.course_examples), with the same calls; hard cases (long names, Korean, many layers and
files) are drawn too. tests/support/figure_layout.py does the measuring.
"""

from __future__ import annotations

import base64
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from figure_layout import problems  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import imagelib as il  # noqa: E402
from imagelib import course_examples as examples  # noqa: E402
from imagelib.display import human_size  # noqa: E402
from imagelib.viz import fonts  # noqa: E402

NODE_AND_PYTHON = ["node:14", "node:14-alpine", "python:3.12", "python:3.12-slim", "python:3.12-alpine"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def draw(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return function(*args, **kwargs)


def texts(fig) -> "list[str]":
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


# -- the checker itself ---------------------------------------------------------------------------


@pytest.fixture
def korean():
    fonts.register_fonts()
    with matplotlib.rc_context(fonts.korean_rc()):
        yield


def test_checker_finds_text_on_text_and_text_cut_off(korean):
    fig = plt.figure(figsize=(4, 2))
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set_axis_off()
    ax.text(0.1, 0.5, "레이어 L1 COPY . /app")
    ax.text(0.2, 0.5, "겹친 글자")
    fig.text(0.9, 0.9, "그림 밖으로 나가는 아주 긴 제목")
    ax.add_patch(Rectangle((0.1, 0.1), 0.2, 0.2, facecolor="#0072B2"))
    ax.text(0.2, 0.2, "상자보다 긴 글자", ha="center", va="center")
    ax.text(0.5, 0.9, "축 밖으로 잘리는 글자" * 3, clip_on=True)
    found = {(p.kind, p.text) for p in problems(fig)}
    assert ("overlap", "레이어 L1 COPY . /app") in found
    assert ("figure edge", "그림 밖으로 나가는 아주 긴 제목") in found
    assert ("box edge", "상자보다 긴 글자") in found
    assert ("axes edge", "축 밖으로 잘리는 글자" * 3) in found


def test_checker_passes_a_clean_figure_and_ignores_ticks_out_of_view(korean):
    fig = plt.figure(figsize=(6, 3))
    ax = fig.add_axes((0.2, 0.2, 0.7, 0.7))
    ax.barh([0, 1], [5, 3], color="#E69F00")
    ax.text(5.1, 0, "5 MB", va="center")  # beside its bar, not in it
    ax.set_yticks([0, 1], ["첫째", "둘째"])
    ax.set_xlim(0, 8)
    ax.set_title("깨끗한 그림")
    assert problems(fig) == []


# -- the course's figures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def builds():
    app = examples.web_app()
    cache = il.BuildCache()
    first = il.build(examples.NOTE_DOCKERFILE, app, cache=cache)
    second = il.build(examples.NOTE_DOCKERFILE, app, cache=cache)
    edited = examples.web_app(**{"src/greet.js": examples.GREET_JS.replace("안녕하세요", "반갑습니다")})
    third = il.build(examples.NOTE_DOCKERFILE, edited, cache=cache)
    poor = examples.NOTE_DOCKERFILE.replace(
        "COPY package*.json ./\nRUN npm install\nCOPY . .\n", "COPY . .\nRUN npm install\n"
    )
    poor_cache = il.BuildCache()
    il.build(poor, app, cache=poor_cache)
    poor_edited = il.build(poor, edited, cache=poor_cache)
    single = il.build(examples.SINGLE_STAGE_DOCKERFILE, app)
    alpine = il.build(examples.SINGLE_STAGE_DOCKERFILE.replace("FROM node:14", "FROM node:14-alpine"), app)
    return {
        "first": first,
        "second": second,
        "third": third,
        "poor_edited": poor_edited,
        "final": first.image,
        "single": single.image,
        "single_alpine": alpine.image,
    }


def course_figures(b):
    """(name, figure) for every figure of notebooks 07-09, drawn as the notebooks draw them."""
    catalog = il.catalog.get
    yield (
        "07 layer sizes",
        draw(
            il.viz.layer_sizes,
            {name: catalog(name) for name in [*NODE_AND_PYTHON, "nginx:latest", "nginx:alpine"]},
            title="베이스 이미지의 레이어 크기(모형)",
        ),
    )
    yield (
        "07 pull times",
        draw(
            il.viz.pull_times,
            {name: il.pull_time(catalog(name), bandwidth_mbps=100) for name in NODE_AND_PYTHON},
            title="100 Mbps 회선에서 pull에 걸리는 시간(모형)",
        ),
    )
    yield (
        "07 sharing",
        draw(
            il.viz.sharing, {"nginx:latest": catalog("nginx:latest"), "python:3.12-slim": catalog("python:3.12-slim")}
        ),
    )
    yield "08 films", draw(il.viz.films, b["final"])
    sizes = [
        ("단일 단계 (node:14)", il.modeled_size(b["single"])),
        ("단일 단계 (node:14-alpine)", il.modeled_size(b["single_alpine"])),
        ("다단계 (nginx:alpine)", il.modeled_size(b["final"])),
    ]
    yield (
        "08 size comparison",
        draw(
            il.viz.size_comparison,
            sizes,
            "같은 앱, 세 가지 빌드: 최종 이미지 크기(모형)",
            "크기(압축 전, docker images의 SIZE)",
        ),
    )
    yield (
        "08 layer sizes",
        draw(
            il.viz.layer_sizes,
            {
                "단일 단계 (node:14)": b["single"],
                "단일 단계 (node:14-alpine)": b["single_alpine"],
                "다단계 (nginx:alpine)": b["final"],
            },
            title="레이어별로 보면(모형 크기)",
        ),
    )
    yield (
        "09 cache steps",
        draw(il.viz.cache_steps, {"처음 빌드": b["first"], "그대로 다시": b["second"], "greet.js 수정 뒤": b["third"]}),
    )
    yield (
        "09 cache order",
        draw(
            il.viz.cache_steps,
            {"스터디 노트의 순서: 수정 뒤": b["third"], "나쁜 순서: 수정 뒤": b["poor_edited"]},
            title="소스 한 줄을 고친 뒤: 명령 순서에 따라 다시 실행되는 단계",
        ),
    )


def test_course_figures_have_no_overlap_or_clipping(builds):
    found = {name: [str(p) for p in problems(fig)] for name, fig in course_figures(builds)}
    assert {name: issues for name, issues in found.items() if issues} == {}


@pytest.mark.parametrize("name", il.catalog.names())
def test_films_of_every_catalog_image_have_no_overlap_or_clipping(name):
    image = il.catalog.get(name)
    assert [str(p) for p in problems(draw(il.viz.films, image))] == []
    assert [str(p) for p in problems(draw(il.viz.films, image, highlight=0))] == []


def hard_image():
    """Long Korean and Latin names, deep paths, deletions and many layers."""
    image = il.Image.scratch()
    for i in range(30):
        files = {
            f"usr/share/아주/긴/한글/폴더/이름/{'가나다라마바사' * 3}_{i}.txt": "내용",
            f"opt/vendor-{i:02d}/{'very-long-component-name-' * 3}{i}/lib/libsomething.so.{i}": b"x" * (100 * i + 1),
        }
        image = image.add_layer(
            il.Layer.from_files(
                files,
                deleted=[f"opt/vendor-{i - 1:02d}/old-config-file-with-a-long-name.conf"] if i % 5 == 4 else [],
                created_by=f"RUN apt-get install -y 한글-패키지-이름-{i} another-very-long-package-name-{i} && echo 끝",
            )
        )
    return image


def test_hard_cases_have_no_overlap_or_clipping():
    image = hard_image()
    named = {f"{'아주 긴 한글 이미지 이름' * 2}:{i}": image for i in range(3)}
    named["registry.example.com/a/very/long/repository/name:1.0.0-alpine3.19"] = image
    store = il.Store()
    for i in range(12):
        store.put(image, f"registry.example.com/a/very/long/repository/name-{i}:1.0.0-alpine3.19-build{i}")
    figures = {
        "films": draw(il.viz.films, image),
        "films highlight": draw(il.viz.films, image, highlight=7),
        "films upto hide": draw(il.viz.films, image, upto=20, hide=[3, 4]),
        "sizes": draw(il.viz.sizes, named),
        "sharing": draw(il.viz.sharing, named),
        "layer sizes": draw(il.viz.layer_sizes, named),
        "tags": draw(il.viz.tags, store, title="아주 긴 제목: 이름표 열두 개가 한 이미지를 가리킵니다"),
    }
    found = {name: [str(p) for p in problems(fig)] for name, fig in figures.items()}
    assert {name: issues for name, issues in found.items() if issues} == {}


# -- what each figure must show -------------------------------------------------------------------


def tree_texts(fig) -> "list[str]":
    return [t.get_text() for t in fig.axes[1].texts]


def test_08_rootfs_panel_shows_the_files_the_last_step_copied(builds):
    final = builds["final"]
    fig = draw(il.viz.films, final)
    copied = [path for path in final.layers[-1].paths if final.rootfs().entry(path).kind == "file"]
    assert copied, "the COPY --from layer adds files"
    shown = [text for text in tree_texts(fig) if text.startswith("/")]
    for path in copied:
        name = path.rsplit("/", 1)[-1]
        assert any(name in text and ("/usr/share/nginx/html/" in text or text.startswith("/…/")) for text in shown), (
            path,
            shown,
        )
    assert [p for p in problems(fig) if p.kind == "overlap"] == []


def test_tree_panel_keeps_the_highlighted_layer_in_view():
    image = hard_image()
    fig = draw(il.viz.films, image, highlight=7)
    chips = [t.get_text() for t in fig.axes[1].texts if t.get_bbox_patch() is not None]
    assert "L7" in chips


def test_films_title_names_each_hash():
    image = il.catalog.get("nginx:alpine")
    title = draw(il.viz.films, image)._suptitle.get_text()
    assert f"이미지 ID {image.id.short}" in title
    assert f"매니페스트 다이제스트 {image.digest.short}" in title
    assert not re.search(r"이미지 [0-9a-f]{12}", title)


def test_07_sharing_uses_the_download_sizes_the_story_tells():
    nginx, slim = il.catalog.get("nginx:latest"), il.catalog.get("python:3.12-slim")
    fig = draw(il.viz.sharing, {"nginx:latest": nginx, "python:3.12-slim": slim})
    base = nginx.layers[0]
    assert base == slim.layers[0]
    shared = human_size(il.modeled_download_size(base))
    assert shared.endswith("MB")
    cells = texts(fig)
    assert cells.count(shared) == 2  # the shared base layer, in both columns
    assert any(f"공유로 {shared} 절약" in text for text in cells)
    assert any("모형" in text for text in cells)  # the axis says what is measured


def test_cache_steps_show_each_step_whole_inside_its_box(builds):
    fig = draw(il.viz.cache_steps, {"처음 빌드": builds["first"]})
    labels = [" ".join(text.split()) for text in texts(fig)]
    assert "COPY package*.json ./" in labels
    assert [str(p) for p in problems(fig)] == []
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    assert min(sizes) >= il.viz.style.SMALL_SIZE


# -- the film explorer ----------------------------------------------------------------------------


def small_image():
    image = il.Image.scratch()
    for name in ("기본", "런타임", "앱"):
        image = image.add_layer(il.Layer.from_files({f"{name}.txt": name}, created_by=f"COPY {name}.txt /"))
    return image


def test_film_explorer_lists_the_files_once_beside_a_stack_only_picture():
    explorer = il.viz.film_explorer(small_image())
    assert len(explorer.figure.axes) == 1  # the stack; the merged files are the HTML list
    assert "rootfs" not in " ".join(texts(explorer.figure))
    assert explorer.tree.value.count("/기본.txt") == 1
    assert [str(p) for p in problems(explorer.figure)] == []


def test_film_explorer_greys_out_films_above_the_top_one():
    explorer = il.viz.film_explorer(small_image())
    assert [box.disabled for box in explorer.checkboxes] == [False, False, False]
    explorer.slider.value = 0
    assert [box.disabled for box in explorer.checkboxes] == [False, True, True]
    explorer.slider.value = 2
    assert [box.disabled for box in explorer.checkboxes] == [False, False, False]


def test_film_explorer_output_carries_a_still_view_for_readers_without_a_kernel():
    explorer = il.viz.film_explorer(small_image())
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    still = bundle["text/html"]
    png = base64.b64decode(re.search(r"src='data:image/png;base64,([^']+)'", still).group(1))
    assert png == bytes(explorer.picture.value) and png[:8] == b"\x89PNG\r\n\x1a\n"
    assert still.count("type='checkbox' disabled checked") == 3
    assert "겹친 필름 L0, L1, L2 →" in still
    assert "IntSlider" not in bundle["text/plain"]
