"""명령줄(command line): ``python -m imagelib 명령 …``

    python -m imagelib inspect my.tar          # 이미지 요약 (docker image inspect처럼)
    python -m imagelib layers my.tar           # 레이어 목록 (레이어 없는 단계는 빼고)
    python -m imagelib tree my.tar             # 파일 트리 ([L번호] = 온 레이어)
    python -m imagelib analyze my.tar --ci     # 효율과 낭비된 공간 (dive처럼), 기준 검사
    python -m imagelib sbom my.tar --format spdx  # 패키지 목록(SBOM): table, spdx, cyclonedx
    python -m imagelib unpack my.tar 폴더      # 파일 시스템을 폴더에 풀기
    python -m imagelib save my.tar out --format oci   # 형식 바꾸기

잘못된 입력은 한 줄짜리 한국어 오류와 종료 코드 2로 알려 줍니다. ``--ci`` 기준을 넘지 못하면 1입니다.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .parser import build_parser

EXIT_OK, EXIT_FAILED_CHECK, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def main(argv: "Sequence[str] | None" = None) -> int:
    """명령줄 진입점. 종료 코드를 돌려줍니다(0 성공, 1 CI 기준 실패, 2 오류)."""
    from ..errors import ImageLibError
    from ..store.disk import disk_error

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ImageLibError as error:
        return _fail(str(error))
    except FileNotFoundError as error:
        return _fail(f"파일이나 폴더 {error.filename!r}을(를) 찾을 수 없습니다. 경로를 확인하세요.")
    except PermissionError as error:
        return _fail(f"{error.filename!r}에 접근할 권한이 없습니다. 권한을 확인하세요.")
    except OSError as error:  # a full or read-only disk says so in Korean
        return _fail(str(disk_error(error, repr(error.filename) if error.filename else "파일")))
    except KeyboardInterrupt:
        print("중단했습니다.", file=sys.stderr)
        return EXIT_INTERRUPTED


def _fail(message: str) -> int:
    one_line = " ".join(message.split())
    print(f"오류: {one_line}", file=sys.stderr)
    return EXIT_ERROR


__all__ = ["main"]
