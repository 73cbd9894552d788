"""한글 글꼴(font): pip으로 설치한 나눔고딕(NanumGothic)으로 그림 속 한글을 그립니다.

글꼴 파일은 ``koreanize-matplotlib`` 패키지에 들어 있는 것을 씁니다. 그 패키지를 ``import`` 하면
파이썬 3.12부터 없어진 ``distutils`` 가 필요하므로, 패키지를 실행하지 않고 글꼴 폴더만 찾아
matplotlib에 등록합니다. 컴퓨터에 나눔고딕이 따로 설치되어 있어도(예: ``fonts-nanum``) 그림은
언제나 이 파일로 그려지므로, 같은 그림은 어느 컴퓨터에서나 같은 PNG가 됩니다. imagelib의 그림은
자기 그림 안에서만 이 글꼴을 쓰므로, 여러분의 matplotlib 설정은 바뀌지 않습니다. 여러분의 그림에도
한글을 쓰려면 ``use_korean_font()`` 를 부르세요.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

from ..errors import ImageLibError

FONT_PACKAGE = "koreanize_matplotlib"
FONT_FAMILY = "NanumGothic"
# matplotlib's bundled font, used only for glyphs NanumGothic lacks (e.g. U+2212 MINUS SIGN).
FALLBACK_FAMILY = "DejaVu Sans"
# Our files are also registered under these names. matplotlib picks a font by family name, and
# among equal names the first one it knows wins: a system copy (fonts-nanum, fonts-dejavu) would
# shadow ours. No other file carries these names, so each one always means our file.
OWN_NAMES = {FONT_FAMILY: "imagelib NanumGothic", FALLBACK_FAMILY: "imagelib DejaVu Sans"}
INSTALL_HINT = "pip install koreanize-matplotlib==0.1.1 (또는 pip install -r requirements.txt)"

_registered: "tuple[Path, ...] | None" = None


class KoreanFontError(ImageLibError):
    """한글 글꼴(나눔고딕) 파일을 찾을 수 없습니다. koreanize-matplotlib를 설치하세요."""


def font_dir() -> Path:
    """나눔고딕 TTF 파일이 든 폴더(koreanize-matplotlib 패키지 안). 패키지를 import하지 않고 찾습니다."""
    try:
        spec = importlib.util.find_spec(FONT_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise KoreanFontError(
            f"한글 글꼴 패키지 {FONT_PACKAGE!r}를 찾을 수 없습니다. 그림에 한글을 쓰려면 "
            f"{INSTALL_HINT}로 설치한 뒤 커널을 다시 시작하세요."
        )
    return Path(locations[0]) / "fonts"


def font_files() -> "list[Path]":
    """등록할 나눔고딕 TTF 파일들(이름 순)."""
    folder = font_dir()
    files = sorted(folder.glob("*.ttf")) if folder.is_dir() else []
    if not any(path.stem == FONT_FAMILY for path in files):
        raise KoreanFontError(
            f"{folder}에 {FONT_FAMILY}.ttf가 없습니다. 글꼴 패키지가 망가진 것 같습니다. "
            f"{INSTALL_HINT}로 다시 설치하세요."
        )
    return files


def korean_font_path() -> Path:
    """보통 굵기 나눔고딕 파일의 경로."""
    return next(path for path in font_files() if path.stem == FONT_FAMILY)


def fallback_font_files() -> "list[Path]":
    """matplotlib 자신에 들어 있는 DejaVu Sans 파일들(나눔고딕에 없는 글자용)."""
    import matplotlib

    return sorted((Path(matplotlib.get_data_path()) / "fonts" / "ttf").glob("DejaVuSans*.ttf"))


def register_fonts() -> "tuple[Path, ...]":
    """나눔고딕 글꼴을 matplotlib 글꼴 목록에 등록합니다(여러 번 불러도 한 번만 등록).

    글꼴 목록에 더할 뿐 rcParams(그림 설정)는 바꾸지 않습니다.
    """
    global _registered
    if _registered is None or not _own_names_known():
        files = tuple(font_files())
        _register_under_own_names([*files, *fallback_font_files()])
        _registered = files
    return _registered


def _own_names_known() -> bool:
    # matplotlib rebuilds its font list when a file in it has gone (say fonts-nanum was removed),
    # which drops the fonts added to it: then ours must be added again.
    from matplotlib import font_manager

    return any(entry.name == OWN_NAMES[FONT_FAMILY] for entry in font_manager.fontManager.ttflist)


def _register_under_own_names(paths: "list[Path]") -> None:
    # Our names are only ever looked up after this ran, so findfont's cache holds no stale answer.
    from matplotlib import font_manager, ft2font

    manager = font_manager.fontManager
    known = {(entry.fname, entry.name) for entry in manager.ttflist}
    for path in paths:
        entry = font_manager.ttfFontProperty(ft2font.FT2Font(str(path)))
        own_name = OWN_NAMES.get(entry.name)
        if own_name is None:
            continue  # e.g. DejaVu Sans Mono: not one of our families
        if (str(path), own_name) not in known:
            manager.ttflist.append(dataclasses.replace(entry, name=own_name))
        if (str(path), entry.name) not in known:
            manager.addfont(str(path))  # under its real name too, for users who ask for "NanumGothic"


def korean_rc() -> "dict[str, object]":
    """한글 그림에 필요한 matplotlib 설정: 글꼴 가족과, 빼기 기호를 '-'로 그리기."""
    return {"font.family": [OWN_NAMES[FONT_FAMILY], OWN_NAMES[FALLBACK_FAMILY]], "axes.unicode_minus": False}


def use_korean_font() -> None:
    """여러분이 그리는 matplotlib 그림에서도 한글이 보이게 합니다(나눔고딕, 빼기 기호 '-').

    지금 파이썬 세션의 matplotlib 설정(rcParams)을 바꿉니다::

        import imagelib as il
        il.viz.use_korean_font()
        plt.title("레이어 크기")
    """
    import matplotlib

    register_fonts()
    matplotlib.rcParams.update(korean_rc())
