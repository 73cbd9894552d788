"""레이어를 눈으로 보기: OHP 필름 그림과 손으로 만져 보는 위젯(imagelib.viz).

- ``films(img)``: 이미지를 투명 필름(레이어) 더미로, 옆에 컨테이너가 보는 파일 트리로
- ``overlay(img, upper)``: overlayfs가 lowerdir·upperdir를 merged 하나로 겹치는 모습
- ``sharing(images)``: 여러 이미지가 함께 쓰는 레이어와 아끼는 저장 공간
- ``sizes(images)``: 이미지마다 레이어 크기를 쌓은 막대
- ``tags(store)``: 이름(태그)이 어느 매니페스트 다이제스트를 가리키는지
- ``index_chain(index, platform)``: 이미지 인덱스 → 플랫폼 매니페스트 → 설정 → 레이어로 이어지는 해시들
- ``packages(images)``: 이미지마다 SBOM의 패키지 수를 그것을 넣은 레이어별로 쌓은 막대와 크기(15강)
- ``layer_sizes(images)``, ``pull_times(estimates)``, ``cache_steps(results)``, ``size_comparison(values, …)``:
  빌드 강의(07~09)의 그림(모형 크기, pull 시간, 캐시 적중)
- ``film_explorer(img)``, ``layer_browser(img)``: ipywidgets 위젯
- ``use_korean_font()``: 여러분의 matplotlib 그림에서도 한글이 보이게

그림 함수는 matplotlib Figure를 돌려줍니다. 노트북에서는 셀 끝에 ``;`` 를 붙이거나
``plt.show()`` 를 부르세요. matplotlib과 ipywidgets는 처음 쓸 때 불러옵니다.
"""

from __future__ import annotations

import importlib

from ..errors import needs_extra

_EXPORTS = {
    "films": "films",
    "overlay": "overlay",
    "sharing": "charts",
    "sizes": "charts",
    "tags": "charts",
    "index_chain": "indexes",
    "packages": "packages",
    "film_explorer": "widgets",
    "layer_browser": "widgets",
    "FilmExplorer": "widgets",
    "LayerBrowser": "widgets",
    "layer_sizes": "builds",
    "pull_times": "builds",
    "cache_steps": "builds",
    "size_comparison": "builds",
    "use_korean_font": "fonts",
    "KoreanFontError": "fonts",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    # Loaded on first use so that `import imagelib` does not pay for matplotlib and ipywidgets.
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'imagelib.viz' has no attribute {name!r}")
    with needs_extra("viz", f"imagelib.viz.{name}"):
        module = importlib.import_module(f".{module_name}", __name__)
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> "list[str]":
    return sorted(set(globals()) | set(_EXPORTS))
