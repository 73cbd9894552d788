"""``python -m imagelib …``: 이미지 파일을 들여다보고 분석하는 명령줄."""

from __future__ import annotations

import sys

from .cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
