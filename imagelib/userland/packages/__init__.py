"""패키지 관리자 모형: ``apk``, ``apt-get``, ``npm``, ``pip`` 과 몇몇 프로그램(node, python, vite).

진짜 인터넷에서 내려받지 않습니다. 관리자마다 있는 표(``apk.APK``, ``apt.APT``, ``npm.NPM``,
``pip.PIP``)에 적힌 패키지만 "설치"하며, 설치하면 실제 패키지가 놓이는 경로에 **모형 파일**(선언된
크기를 가진 작은 파일, ``imagelib.modelfile`` 참고)을 씁니다. 그래서 이미지 크기와 레이어 크기는
실제와 비슷하게 보이지만, 파일 내용은 진짜 프로그램이 아닙니다. 크기는 모두 **반올림한 근삿값**이고,
출처는 관리자마다 모듈의 설명에 적었습니다.

관리자 하나가 모듈 하나입니다: ``apk`` (Alpine), ``apt`` (apt-get·dpkg: Debian, Ubuntu),
``npm`` (node, npm, vite, webpack), ``pip`` (python, pip). 함께 쓰는 부분은 ``tables`` 에 있습니다.
선생님은 표에 패키지를 더할 수 있습니다: ``register_package("apk", "htop", "3.2.2-r1", 0.5e6)``.
"""

from __future__ import annotations

from . import apk, apt, npm, pip  # noqa: F401  (importing a manager registers its commands)
from .tables import Package, register_package

__all__ = ["Package", "register_package"]
