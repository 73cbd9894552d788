"""imagelib.viz: figure structure, Korean font, no missing glyphs, widgets that react to their controls."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from conftest import real_image  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from paths import PROJECT_ROOT

import imagelib as il  # noqa: E402
from imagelib.display import human_size  # noqa: E402
from imagelib.viz import fonts  # noqa: E402
from imagelib.viz.style import clip_path, fold, listing, step_text  # noqa: E402
from imagelib.viz.treeview import tree_rows  # noqa: E402

# -- images to draw -------------------------------------------------------------------------


def build(*layers):
    image = il.Image.scratch()
    for layer in layers:
        image = image.add_layer(layer)
    return image


@pytest.fixture(scope="module")
def app_image():
    base = il.Layer.from_files(
        {
            "etc/os-release": "alpine\n",
            "etc/old.conf": "old",
            "bin/sh": b"s" * 900,
            "var/cache/a": "1",
            "var/cache/b": "2",
        },
        created_by="/bin/sh -c #(nop) ADD file:" + "ab" * 32 + " in / ",
    )
    runtime = il.Layer.from_files(
        {"usr/local/bin/node": b"n" * 5000, "bin/node": il.Symlink("/usr/local/bin/node")},
        created_by="RUN /bin/sh -c apk add nodejs # buildkit",
    )
    code = il.Layer.from_files(
        {"app/app.js": "console.log('안녕')", "etc/os-release": "changed\n"},
        deleted=["etc/old.conf"],
        opaque=["var/cache"],
        created_by="COPY . /app",
    )
    return build(base, runtime, code)


@pytest.fixture(scope="module")
def tall_image():
    layers = [
        il.Layer.from_files({f"step{i}/file.txt": "x" * (100 + 37 * (i % 9))}, created_by=f"RUN step {i}")
        for i in range(34)
    ]
    return build(*layers)


@pytest.fixture(scope="module")
def wide_image():
    files = {
        f"usr/share/{top}/{sub}/f{j}.dat": b"z"
        for top in ("doc", "man", "locale", "zoneinfo")
        for sub in range(25)
        for j in range(100)
    }
    return build(
        il.Layer.from_files({"etc/os-release": "debian\n"}, created_by="ADD rootfs.tar /"),
        il.Layer.from_files(files, created_by="RUN apt-get install -y docs"),
    )


# -- helpers --------------------------------------------------------------------------------


def render(fig) -> bytes:
    """Draw outside our style context (as a notebook does later) with warnings as errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    return buffer.getvalue()


def make(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = function(*args, **kwargs)
    render(fig)
    return fig


def texts(fig) -> "list[str]":
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def all_text(fig) -> str:
    return "\n".join(texts(fig))


def patches(fig, prefix: str) -> list:
    return [p for p in fig.findobj(lambda a: (a.get_gid() or "").startswith(prefix))]


def films_of(fig) -> "dict[int, object]":
    return {int(p.get_gid().split("-")[1]): p for p in patches(fig, "film-") if p.get_gid()[5:].isdigit()}


def has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def assert_korean_font(fig) -> None:
    korean = [t for t in fig.findobj(Text) if t.get_visible() and has_hangul(t.get_text())]
    assert korean, "그림에 한글 글자가 하나도 없습니다"
    for text in korean:
        path = Path(font_manager.findfont(text.get_fontproperties(), fallback_to_default=False))
        assert path.name.startswith("NanumGothic"), (text.get_text(), path)
        assert path.parent == fonts.font_dir()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# -- fonts ----------------------------------------------------------------------------------


def test_importing_imagelib_loads_neither_matplotlib_nor_the_font_package():
    script = textwrap.dedent("""
        import sys, warnings
        warnings.simplefilter("error")
        import imagelib as il
        print("matplotlib" in sys.modules)
        import matplotlib
        matplotlib.use("Agg")
        fig = il.viz.films(il.Image.scratch().add_layer(il.Layer.from_files({"a": "가"})))
        fig.savefig(__import__("io").BytesIO())
        print("koreanize_matplotlib" in sys.modules, "ipywidgets" in sys.modules)
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False"]


def test_font_files_are_the_pip_installed_nanum_gothic():
    files = fonts.font_files()
    assert fonts.korean_font_path() in files
    assert all(path.suffix == ".ttf" for path in files)
    assert font_manager.get_font(str(fonts.korean_font_path())).family_name == "NanumGothic"


def test_missing_font_package_is_a_korean_imagelib_error(monkeypatch):
    monkeypatch.setattr(fonts, "FONT_PACKAGE", "no_such_font_package_for_imagelib")
    with pytest.raises(il.ImageLibError, match="pip install koreanize-matplotlib"):
        fonts.font_dir()


def test_font_folder_without_ttf_is_a_korean_imagelib_error(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "font_dir", lambda: tmp_path)
    with pytest.raises(fonts.KoreanFontError, match="NanumGothic.ttf"):
        fonts.font_files()


def test_drawing_leaves_the_users_rcparams_alone(app_image):
    before = dict(matplotlib.rcParams)
    make(il.viz.films, app_image)
    make(il.viz.sizes, [app_image])
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()
    assert fonts.OWN_NAMES[fonts.FONT_FAMILY] not in matplotlib.rcParams["font.family"]


def test_our_font_names_mean_only_our_files():
    fonts.register_fonts()
    entries = font_manager.fontManager.ttflist
    ours = [Path(e.fname) for e in entries if e.name == fonts.OWN_NAMES[fonts.FONT_FAMILY]]
    fallback = [Path(e.fname) for e in entries if e.name == fonts.OWN_NAMES[fonts.FALLBACK_FAMILY]]
    assert sorted(ours) == fonts.font_files()
    assert fallback and all(path.parent == Path(matplotlib.get_data_path()) / "fonts" / "ttf" for path in fallback)
    count = len(entries)
    fonts._register_under_own_names([*fonts.font_files(), *fonts.fallback_font_files()])
    assert len(font_manager.fontManager.ttflist) == count  # registering again adds nothing


def test_fonts_are_registered_again_after_matplotlib_rebuilt_its_font_list(monkeypatch):
    fonts.register_fonts()
    manager = font_manager.fontManager
    # What matplotlib's rebuild (after a known font file disappeared) leaves: only the scanned fonts.
    scanned = [
        e
        for e in manager.ttflist
        if Path(e.fname).parent != fonts.font_dir() and e.name not in fonts.OWN_NAMES.values()
    ]
    monkeypatch.setattr(manager, "ttflist", scanned)
    fonts.register_fonts()
    assert (
        sorted(Path(e.fname) for e in manager.ttflist if e.name == fonts.OWN_NAMES[fonts.FONT_FAMILY])
        == fonts.font_files()
    )


def test_use_korean_font_makes_the_users_own_plots_korean():
    with matplotlib.rc_context():
        il.viz.use_korean_font()
        fig, ax = plt.subplots()
        ax.plot([-2, -1, 0, 1], [-3, 1, 0, 2])
        ax.set_title("레이어 크기")
        ax.set_xlabel("단계")
        render(fig)  # negative tick labels use '-' and Korean has its glyphs: no warning
        assert_korean_font(fig)
        assert not matplotlib.rcParams["axes.unicode_minus"]


def test_a_missing_glyph_really_fails_a_drawing():
    # Guard for the tests below: without our font, Hangul must raise under warnings-as-errors.
    fig, ax = plt.subplots()
    ax.set_title("한글", family="DejaVu Sans")
    with pytest.raises(UserWarning, match="missing from font"):
        render(fig)


SAME_PNG_SCRIPT = """
import sys, warnings
warnings.simplefilter("error")
import matplotlib
matplotlib.use("Agg")
from matplotlib import font_manager, ft2font
for path in sys.argv[2:]:  # fonts matplotlib knows before ours, as it knows the system's fonts
    font_manager.fontManager.ttflist.insert(0, font_manager.ttfFontProperty(ft2font.FT2Font(path)))
import imagelib as il
layer = il.Layer.from_files({"앱/안녕.txt": "가" * 300, "etc/os": "x"}, created_by="RUN 한글 단계 -1")
top = il.Layer.from_files({"앱/새.txt": "나"}, deleted=["etc/os"], created_by="COPY . /앱")
fig = il.viz.films(il.Image.scratch().add_layer(layer).add_layer(top), highlight=1)
fig.savefig(sys.argv[1], format="png")
print(font_manager.findfont(font_manager.FontProperties(family="NanumGothic")))
"""


@pytest.fixture(scope="module")
def other_nanum_gothic(tmp_path_factory) -> Path:
    """Another NanumGothic.ttf, as a system package may bring one: the bold cut renamed to claim it is
    the regular one, so text drawn with it looks different."""
    from fontTools.ttLib import TTFont

    font = TTFont(fonts.font_dir() / "NanumGothicBold.ttf")
    for record in font["name"].names:
        if record.nameID in (1, 4, 6, 16):
            record.string = "NanumGothic"
        elif record.nameID in (2, 17):
            record.string = "Regular"
    font["OS/2"].usWeightClass = 400
    font["OS/2"].fsSelection = (font["OS/2"].fsSelection & ~(1 << 5)) | (1 << 6)  # not bold; regular
    font["head"].macStyle &= ~1
    path = tmp_path_factory.mktemp("system-fonts") / "NanumGothic.ttf"
    font.save(path)
    return path


def render_in_subprocess(png: Path, *fonts_known_first: Path) -> "tuple[bytes, Path]":
    """PNG bytes of one figure drawn in a new process, and which file matplotlib calls "NanumGothic" there."""
    result = subprocess.run(
        [sys.executable, "-c", SAME_PNG_SCRIPT, str(png), *map(str, fonts_known_first)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return png.read_bytes(), Path(result.stdout.strip())


def test_figure_png_is_the_same_when_another_nanum_gothic_is_installed(tmp_path, other_nanum_gothic):
    alone, _ = render_in_subprocess(tmp_path / "alone.png")
    shadowed, nanum = render_in_subprocess(tmp_path / "shadowed.png", other_nanum_gothic)
    assert nanum == other_nanum_gothic  # there, the name "NanumGothic" means the other file
    assert alone.startswith(b"\x89PNG")
    assert shadowed == alone


PYENV_VERSIONS = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"

OTHER_PYTHON_SCRIPT = """
import sys, warnings
warnings.simplefilter("error")
import matplotlib
matplotlib.use("Agg")
from matplotlib import font_manager
import imagelib as il
layer = il.Layer.from_files({"앱/안녕.txt": "가"}, created_by="한글 단계")
fig = il.viz.films(il.Image.scratch().add_layer(layer))
fig.savefig(__import__("io").BytesIO())
title = fig.axes[0].title
print(font_manager.findfont(title.get_fontproperties(), fallback_to_default=False))
"""


@pytest.mark.parametrize("version", ["3.10", "3.13"])
def test_korean_figure_on_other_python_versions(version):
    candidates = sorted(PYENV_VERSIONS.glob(f"{version}.*/bin/python"))
    if not candidates:
        pytest.skip(f"pyenv에 파이썬 {version}이 없어 건너뜁니다")
    python = candidates[-1]
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.util, matplotlib, ipywidgets; assert importlib.util.find_spec('koreanize_matplotlib')",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if probe.returncode != 0:
        pytest.skip(
            f"파이썬 {version}에 matplotlib·ipywidgets·koreanize-matplotlib가 설치되어 있지 않아 "
            "건너뜁니다 (테스트는 다른 파이썬에 패키지를 설치하지 않습니다)"
        )
    result = subprocess.run(
        [str(python), "-c", OTHER_PYTHON_SCRIPT], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).name == "NanumGothic.ttf"


# -- films ----------------------------------------------------------------------------------


def test_films_draws_one_film_per_layer_with_labels(app_image):
    fig = make(il.viz.films, app_image)
    assert sorted(films_of(fig)) == [0, 1, 2]
    text = all_text(fig)
    assert app_image.digest.short in fig._suptitle.get_text()
    stack_title, tree_title = (t.get_text() for t in patches(fig, "panel-title"))
    assert "베이스" in stack_title and "rootfs" in tree_title
    assert "파일 4개" in tree_title  # sh, node, app.js, os-release
    for layer in app_image.layers:
        assert layer.digest.short in text
    assert "ADD file:abababab… in /" in text  # shell prefix and long hex shortened
    assert "RUN apk add nodejs" in text
    assert "COPY . /app" in text
    assert "+ 파일 2개: app/app.js, etc/os-release" in text
    whiteouts = [t.get_text() for t in patches(fig, "whiteout")]
    assert whiteouts == ["× etc/old.conf", "× var/cache/ 안"]
    assert_korean_font(fig)


def test_films_merged_view_marks_each_file_with_its_layer(app_image):
    fig = make(il.viz.films, app_image)
    tree_ax = fig.axes[1]
    rows = {}
    for text in tree_ax.texts:
        rows.setdefault(round(text.get_position()[1], 3), []).append(text.get_text())
    shown = {tuple(r) for r in rows.values()}
    for node in app_image.rootfs().walk():
        if node.kind in ("file", "symlink"):
            chip, path = f"L{node.layer_index}", "/" + node.path
            assert any(r[0] == chip and r[1].startswith(path) for r in shown), node.path
    assert not any("old.conf" in r[1] or "cache/a" in r[1] for r in shown if len(r) > 1)


def test_films_chip_colours_match_their_film(app_image):
    fig = make(il.viz.films, app_image)
    film = films_of(fig)
    chips = [t for t in fig.axes[1].texts if t.get_text().startswith("L") and t.get_bbox_patch()]
    assert chips
    for chip in chips:
        index = int(chip.get_text()[1:])
        assert chip.get_bbox_patch().get_facecolor()[:3] == pytest.approx(film[index].get_facecolor()[:3])


def test_films_highlight_emphasises_one_layer(app_image):
    fig = make(il.viz.films, app_image, highlight=1)
    film = films_of(fig)
    assert film[1].get_alpha() > max(film[0].get_alpha(), film[2].get_alpha())
    assert film[1].get_linewidth() > film[0].get_linewidth()
    bold = [t.get_text() for t in fig.axes[1].texts if t.get_fontweight() == "bold" and t.get_text().startswith("/")]
    assert bold == ["/bin/node (링크)", "/usr/local/bin/node  5.0 KB"]


def test_films_upto_hides_upper_layers_and_their_files(app_image):
    fig = make(il.viz.films, app_image, upto=0)
    assert sorted(films_of(fig)) == [0]
    text = all_text(fig)
    assert "위의 레이어 2장은 숨김" in text
    assert "/etc/old.conf" in text and "/app/app.js" not in text


def test_films_hide_leaves_an_empty_slot_and_removes_its_files(app_image):
    fig = make(il.viz.films, app_image, hide=[1])
    assert sorted(films_of(fig)) == [0, 2]
    assert [p.get_gid() for p in patches(fig, "film-off")] == ["film-off-1"]
    assert "/usr/local/bin/node" not in all_text(fig)


def test_films_refuses_bad_arguments_in_korean(app_image):
    with pytest.raises(il.ImageLibError, match="0부터 2까지"):
        il.viz.films(app_image, highlight=3)
    with pytest.raises(il.ImageLibError, match="upto"):
        il.viz.films(app_image, highlight=2, upto=1)
    with pytest.raises(il.ImageLibError, match="il.Image"):
        il.viz.films("nginx:latest")


def test_films_of_an_empty_image_says_so():
    fig = make(il.viz.films, il.Image.scratch())
    assert "레이어가 없습니다" in all_text(fig)
    assert films_of(fig) == {}


def test_films_summarises_a_tall_image(tall_image):
    fig = make(il.viz.films, tall_image, highlight=5)
    film = films_of(fig)
    folded = {p.get_gid() for p in patches(fig, "films-folded")}
    assert 5 in film and len(film) + len(folded) <= 12
    covered = set(film)
    for gid in folded:
        start, stop = map(int, gid.split("-")[2:])
        covered |= set(range(start, stop + 1))
    assert covered == set(range(34))
    assert "외 " in all_text(fig) and "개 레이어" in all_text(fig)
    assert len(texts(fig)) < 150


def test_films_summarises_ten_thousand_files(wide_image):
    fig = make(il.viz.films, wide_image)
    text = all_text(fig)
    assert "/usr/share/doc/ — 2,500개" in text
    assert "파일 10,001개" in text
    assert len(fig.axes[1].texts) < 40


def test_films_of_a_real_docker_image_keeps_the_deleting_layer():
    image = il.open(real_image("dive-test-docker-image.tar"))
    rm_layer = next(i for i, layer in enumerate(image.layers) if "rm -rf" in layer.created_by)
    fig = make(il.viz.films, image)
    film = films_of(fig)
    assert rm_layer in film and len(image.layers) > 12
    assert "× root/example" in [t.get_text() for t in patches(fig, "whiteout")]
    # busybox's /bin is hundreds of hard links to one file: the group counts those bytes once
    bin_bytes = sum(node.size for node in image.rootfs().walk() if node.path.startswith("bin/") and node.kind == "file")
    row = next(t for t in texts(fig) if t.startswith("/bin/ — "))
    assert row.endswith(human_size(bin_bytes))
    browser = il.viz.layer_browser(image)
    browser.dropdown.value = rm_layer
    assert "root/example" in browser.diff.deleted
    assert "D /root/example/somefile1.txt" in browser.changes.value


def test_same_image_same_picture(app_image):
    first = render(il.viz.films(app_image, highlight=2))
    second = render(il.viz.films(app_image, highlight=2))
    assert first == second
    assert first != render(il.viz.films(app_image, highlight=1))


# -- sizes ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def node_images():
    def layer(path, size, step):
        return il.Layer.from_files({path: b"x" * size}, created_by=step)

    debian = layer("etc/debian_version", 90_000, "ADD rootfs.tar /")
    app = layer("app/app.js", 2_000, "COPY . /app")
    full = build(
        debian,
        layer("usr/lib/gcc", 400_000, "RUN apt-get install build-essential"),
        layer("usr/local/bin/node", 250_000, "RUN install node"),
        app,
    )
    alpine = build(
        layer("etc/alpine-release", 6_000, "ADD alpine.tar /"), layer("usr/bin/node", 90_000, "RUN apk add nodejs"), app
    )
    other = build(*full.layers[:3], layer("app/other.js", 3_000, "COPY . /app"))
    return {"node:14": full, "node:14-alpine": alpine, "other:1": other}


def test_sizes_stacks_one_segment_per_layer_with_units(node_images):
    pair = {k: node_images[k] for k in ("node:14", "node:14-alpine")}
    fig = make(il.viz.sizes, pair)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "이미지별 레이어 크기"
    assert "크기" in ax.get_xlabel() and ax.get_ylabel() == "이미지"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["node:14", "node:14-alpine"]
    assert len(patches(fig, "segment-0-")) == 4 and len(patches(fig, "segment-1-")) == 3
    widths = [p.get_width() for p in patches(fig, "segment-0-")]
    assert widths == [layer.size for layer in pair["node:14"].layers]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert any(t.endswith("KB") for t in ticks)
    assert f"{human_size(pair['node:14'].size)} · 레이어 4장" in all_text(fig)
    assert_korean_font(fig)


def test_sizes_accepts_a_list_with_names_and_checks_them(node_images):
    images = [node_images["node:14"], node_images["node:14-alpine"]]
    fig = make(il.viz.sizes, images, names=["큰 이미지", "작은 이미지"], uncompressed=True)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["큰 이미지", "작은 이미지"]
    assert "압축을 푼" in fig.axes[0].get_xlabel()
    with pytest.raises(il.ImageLibError, match="이름\\(names\\)은 1개"):
        il.viz.sizes(images, names=["하나"])
    with pytest.raises(il.ImageLibError, match="il.Image가 아니라"):
        il.viz.sizes({"x": "nginx"})
    with pytest.raises(il.ImageLibError, match="이미지가 없습니다"):
        il.viz.sizes([])


def test_sizes_can_measure_layers_another_way(node_images):
    image = node_images["node:14"]
    fig = make(
        il.viz.sizes,
        {"모형": image},
        measure=lambda layer: 1000 * len(layer.entries),
        what="항목 수 × 1000",
        title="다른 잣대",
    )
    widths = [p.get_width() for p in patches(fig, "segment-0-")]
    assert widths == [1000 * len(layer.entries) for layer in image.layers]
    assert "항목 수 × 1000" in fig.axes[0].get_xlabel()
    assert fig.axes[0].get_title(loc="left") == "다른 잣대"


def test_build_figures_draw_modeled_sizes_with_the_same_chart():
    from imagelib import modelfile

    image = il.catalog.get("node:14-alpine")
    fig = make(il.viz.layer_sizes, {"node:14-alpine": image})
    widths = [p.get_width() for p in patches(fig, "segment-0-")]
    assert widths == [modelfile.layer_size(layer).size for layer in image.layers]
    assert sum(widths) > 100 * image.size  # modeled sizes, not the small stored model files
    assert "모형 크기" in fig.axes[0].get_xlabel()


def test_sizes_folds_small_layers_of_a_tall_image(tall_image):
    fig = make(il.viz.sizes, {"tall": tall_image})
    segments = patches(fig, "segment-0-")
    assert len(segments) <= 10
    assert sum(p.get_width() for p in segments) == tall_image.size
    assert any(p.get_hatch() for p in segments)


# -- sharing --------------------------------------------------------------------------------


def test_sharing_marks_shared_layers_and_compares_storage(node_images):
    fig = make(il.viz.sharing, node_images)
    # node:14 and other:1 share three layers; node:14 and node:14-alpine share the app layer.
    assert len(patches(fig, "shared-cell")) == 3 * 2 + 2
    assert len(patches(fig, "unique-cell")) == 2 + 1
    counted = sum(image.size for image in node_images.values())
    distinct = {layer.digest: layer.size for image in node_images.values() for layer in image.layers}
    stored = sum(distinct.values())
    bars = patches(fig, "total-bar")
    assert [b.get_width() for b in bars] == [counted, stored]
    matrix, totals = fig.axes
    assert human_size(counted - stored) in totals.get_title(loc="left")
    assert matrix.get_xlabel() == "이미지" and "레이어" in matrix.get_ylabel()
    assert [t.get_text() for t in matrix.get_xticklabels()] == list(node_images)
    assert "다이제스트" in fig._suptitle.get_text()
    assert_korean_font(fig)


def test_sharing_summarises_many_layers(tall_image, app_image):
    fig = make(il.viz.sharing, [tall_image, app_image], names=["tall", "app"])
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == 14 and labels[-1].startswith("외 24개 레이어")
    assert len(patches(fig, "folded-cell")) == 1 and "24장" in all_text(fig)


def test_sharing_keeps_rows_of_an_image_with_only_small_layers():
    big = build(*(il.Layer.from_files({f"big{i}": b"b" * 20_000}) for i in range(20)))
    small = build(*(il.Layer.from_files({f"small{i}": "s"}) for i in range(3)))
    fig = make(il.viz.sharing, {"big": big, "small": small})
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    for layer in small.layers:  # smaller than every layer of "big", still shown
        assert any(label.startswith(layer.digest.short) for label in labels)


# -- tags -----------------------------------------------------------------------------------


def nearest(rows: "dict[float, str]", y: float) -> str:
    best = min(rows, key=lambda row: abs(row - y))
    assert abs(best - y) < 0.1
    return rows[best]


def arrow_targets(fig) -> "dict[str, str]":
    """name box text -> text of the digest box its arrow ends in (by the drawn geometry)."""
    ax = fig.axes[0]
    fig.canvas.draw()
    names = {round(t.get_position()[1], 2): t.get_text() for t in ax.texts if t.get_position()[0] < 1}
    digests = {round(t.get_position()[1], 2): t.get_text() for t in ax.texts if 5.5 < t.get_position()[0] < 7}
    boxes = patches(fig, "digest-box") + patches(fig, "dangling-box")
    result = {}
    for arrow in patches(fig, "tag-arrow"):
        path = arrow.get_path()  # data coordinates
        vertices = [
            v
            for v, code in zip(path.vertices, path.codes, strict=True)
            if code not in (MplPath.CLOSEPOLY, MplPath.STOP)
        ]
        start, tip = min(vertices, key=lambda v: v[0]), max(vertices, key=lambda v: v[0])
        hit = [
            b
            for b in boxes
            if b.get_x() - 0.2 <= tip[0] <= b.get_x() + b.get_width()
            and b.get_y() <= tip[1] <= b.get_y() + b.get_height()
        ]
        assert len(hit) == 1
        box = hit[0]
        result[nearest(names, start[1])] = nearest(digests, box.get_y() + box.get_height() / 2)
    return result


def test_tags_arrows_follow_a_moved_tag(node_images):
    store = il.Store()
    first = store.put(node_images["node:14"], "myapp:1.0")
    store.tag("myapp:1.0", "myapp:latest")
    second = store.put(node_images["node:14-alpine"], "myapp:2.0")
    before = make(il.viz.tags, store, title="전")
    assert arrow_targets(before)["myapp:latest"].startswith(first.short)
    store.tag("myapp:2.0", "myapp:latest")
    after = make(il.viz.tags, store, title="후")
    targets = arrow_targets(after)
    assert targets == {
        "myapp:1.0": targets["myapp:1.0"],
        "myapp:2.0": targets["myapp:2.0"],
        "myapp:latest": targets["myapp:2.0"],
    }
    assert targets["myapp:latest"].startswith(second.short)
    assert after._suptitle.get_text().startswith("후")
    assert "이름 (repository:tag)" in all_text(after) and "매니페스트 다이제스트" in all_text(after)
    assert_korean_font(after)


def test_tags_shows_dangling_images(node_images):
    store = il.Store()
    store.put(node_images["node:14"], "myapp:1.0")
    store.put(node_images["node:14-alpine"], "myapp:1.0")  # the old image loses its only name
    fig = make(il.viz.tags, store)
    assert len(patches(fig, "dangling-box")) == 1 and len(patches(fig, "digest-box")) == 1
    assert "이름 없음 (dangling)" in all_text(fig)
    assert "dangling) 1개" in all_text(fig)


def test_tags_names_an_index_by_its_digest_and_platforms(node_images):
    from figure_layout import problems
    from index_helpers import three_platform_index

    store = il.Store()
    index = three_platform_index()
    store.put(index, "multi:1.0")
    store.put(node_images["node:14-alpine"], "single:1.0")
    fig = make(il.viz.tags, store)
    text = all_text(fig)
    assert "매니페스트·인덱스 다이제스트" in text
    assert index.digest.short in text and "인덱스 · 플랫폼 3개" in text
    assert f"ID {node_images['node:14-alpine'].id.short}" in text
    assert problems(fig) == []


def test_tags_summarises_many_names_and_refuses_non_stores(app_image):
    store = il.Store()
    store.put(app_image, "app:0")
    for i in range(1, 20):
        store.tag("app:0", f"app:{i}")
    fig = make(il.viz.tags, store)
    assert len(patches(fig, "name-box")) == 13 and "외 7개 이름" in all_text(fig)
    assert len(patches(fig, "tag-arrow")) == 13
    with pytest.raises(il.ImageLibError, match="il.Store"):
        il.viz.tags(app_image)
    empty = make(il.viz.tags, il.Store())
    assert "비어 있습니다" in all_text(empty)


# -- widgets --------------------------------------------------------------------------------


def test_film_explorer_slider_and_checkboxes_change_what_is_shown(app_image):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = il.viz.film_explorer(app_image)
        assert len(explorer.checkboxes) == 3 and explorer.slider.max == 2
        assert sorted(films_of(explorer.figure)) == [0, 1, 2]
        picture, tree = explorer.picture.value, explorer.tree.value
        assert bytes(picture).startswith(b"\x89PNG") and "/app/app.js" in tree

        explorer.slider.value = 0
        assert sorted(films_of(explorer.figure)) == [0]
        assert explorer.picture.value != picture
        assert "/app/app.js" not in explorer.tree.value and "/etc/old.conf" in explorer.tree.value

        explorer.slider.value = 2
        explorer.checkboxes[1].value = False
        assert explorer.selected == [0, 2]
        assert [p.get_gid() for p in patches(explorer.figure, "film-off")] == ["film-off-1"]
        assert "/usr/local/bin/node" not in explorer.tree.value
        assert "겹친 필름 L0, L2" in explorer.tree.value
    assert_korean_font(explorer.figure)


def test_film_explorer_tree_uses_image_layer_numbers(app_image):
    explorer = il.viz.film_explorer(app_image)
    explorer.checkboxes[0].value = False
    # only L1 and L2 are stacked: /app/app.js must still be labelled L2, not L1
    row = next(line for line in explorer.tree.value.split("<tr>") if "/app/app.js" in line)
    assert ">L2<" in row


def test_film_explorer_shows_a_korean_message_when_layers_cannot_stack():
    lower = il.Layer.from_files({"data/file": "x"})
    upper = il.Layer.from_files({"data/link": il.Hardlink("data/file")})
    explorer = il.viz.film_explorer(build(lower, upper))
    explorer.checkboxes[0].value = False
    assert "겹칠 수 없습니다" in explorer.tree.value and explorer.picture.value == b""


def test_layer_browser_dropdown_shows_added_modified_deleted(app_image):
    browser = il.viz.layer_browser(app_image)
    assert browser.dropdown.value == 2
    layers = app_image.layers
    expected = il.FileTree.from_layers(layers[:2]).diff(il.FileTree.from_layers(layers[:3]))
    assert browser.diff == expected
    assert "D /etc/old.conf" in browser.changes.value and "C /etc/os-release" in browser.changes.value
    assert "A /app/app.js" in browser.changes.value
    assert films_of(browser.figure)[2].get_linewidth() == 3
    shown = browser.changes.value

    browser.dropdown.value = 1
    assert browser.changes.value != shown
    assert "A /usr/local/bin/node" in browser.changes.value and "D /" not in browser.changes.value
    assert films_of(browser.figure)[1].get_linewidth() == 3
    assert "삭제 (deleted) 0개" in browser.changes.value
    assert_korean_font(browser.figure)


def test_widgets_refuse_an_image_without_layers():
    with pytest.raises(il.ImageLibError, match="레이어가 없는"):
        il.viz.film_explorer(il.Image.scratch())
    with pytest.raises(il.ImageLibError, match="레이어가 없는"):
        il.viz.layer_browser(il.Image.scratch())


# -- summarising helpers --------------------------------------------------------------------


def test_fold_keeps_order_covers_every_layer_once_and_respects_keep():
    sizes = [5, 1, 1, 9, 1, 1, 1, 7, 1, 1, 2, 1, 1, 1, 8, 1, 1, 1, 1, 1]
    spans = fold(sizes, 8, keep=[2])
    assert len(spans) <= 8
    covered = [i for span in spans for i in range(span.start, span.stop)]
    assert covered == list(range(len(sizes)))
    unfolded = {span.start for span in spans if not span.folded}
    assert {2, 3, 14} <= unfolded
    assert fold([1, 2, 3], 8) == [(0, 1, False), (1, 2, False), (2, 3, False)]
    preferred = fold(sizes, 8, prefer=[5])
    assert 5 in {span.start for span in preferred if not span.folded}
    assert 5 not in {span.start for span in spans if not span.folded}


def test_tree_rows_group_big_trees_and_count_everything(wide_image):
    result = tree_rows(wide_image.rootfs(), max_rows=16)
    assert len(result.rows) <= 16
    assert sum(row.count for row in result.rows) + result.left_out == result.total == 10_001
    doc = next(row for row in result.rows if row.path == "usr/share/doc")
    assert doc.is_group and doc.count == 2500 and doc.layers == (1,)


def test_text_helpers_shorten_readably():
    assert step_text('/bin/sh -c #(nop)  CMD ["sh"]') == 'CMD ["sh"]'
    assert step_text("RUN /bin/sh -c npm ci # buildkit") == "RUN npm ci"
    assert step_text("") == "(기록 없음)"
    assert clip_path("usr/local/lib/node_modules/npm/package.json", 24) == "…/npm/package.json"
    assert listing(["a", "b", "c", "d"], 12) == "a, b 외 2개"
