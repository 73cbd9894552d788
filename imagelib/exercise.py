"""수업 노트북의 연습문제 채점: 답을 확인하고, 아직이면 한국어 한 줄로 알려 줍니다.

모든 수업이 같은 함수를 씁니다::

    from imagelib.exercise import check

    check(answer, lambda a: a == 2, "힌트: 무엇을 보면 되는지", "맞은 까닭")

답이 ``...`` 그대로이거나 틀리면 :class:`NotYet` 을 일으킵니다. Jupyter는 트레이스백 없이 그 한
줄만 보여 주고, nbgrader는 그 채점 셀에 0점을 줍니다. 맞으면 "정답입니다!"와 까닭을 출력합니다.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NOT_ANSWERED = "아직 답을 채우지 않았어요. `...`를 여러분의 답으로 바꿔 보세요."


class NotYet(AssertionError):
    """채점 셀의 실패: 트레이스백 없이 한국어 안내 한 줄만 보여 줍니다(nbgrader는 0점을 줍니다)."""

    def _render_traceback_(self) -> "list[str]":
        # IPython shows what this returns instead of a traceback.
        return [str(self)]


def check(answer: Any, is_right: "Callable[[Any], object]", hint: str, praise: str) -> None:
    """답을 확인합니다.

    - ``answer``: 학습자의 답(여러 개면 튜플). 하나라도 ``...`` 이면 아직 안 푼 것입니다.
    - ``is_right``: 답을 받아 맞으면 참을 돌려주는 함수. 이 함수가 답을 쓰다 실패해도 틀린 답입니다.
    - ``hint``: 틀렸을 때 보여 줄 길잡이(답 자체가 아니라 무엇을 보면 되는지).
    - ``praise``: 맞았을 때 보여 줄, 왜 그런지에 대한 설명.
    """
    parts = answer if isinstance(answer, tuple) else (answer,)
    if any(part is ... for part in parts):
        raise NotYet(NOT_ANSWERED)
    try:
        right = bool(is_right(answer))
    except Exception:  # an answer the test cannot even use counts as wrong
        right = False
    if not right:
        raise NotYet(f"아직 아니에요. 힌트: {hint}")
    print(f"정답입니다! {praise}")
