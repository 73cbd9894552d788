"""모형 리눅스 사용자 영역(userland): Dockerfile의 ``RUN`` 이 실행되는 모형 셸과 명령들.

``RUN`` 은 진짜 리눅스가 아니라 이미지의 파일 트리 위에서 돌아가는 **모형 셸**에서 실행됩니다.
진짜 프로그램을 실행하지도, 여러분의 컴퓨터를 건드리지도 않습니다. 파일 변경은 모두 컨테이너의
쓰기 가능한 레이어에 쌓이고, RUN 한 번이 레이어 하나가 됩니다. 모형 셸은 **명령 표**(command
table)에 등록된 명령만 압니다. 모르는 명령을 만나면 빌드를 멈추고 아는 명령의 목록을 알려 줍니다.

- ``shell``: 셸 문법(``&&``, ``|``, ``>``, 따옴표, ``$VAR`` …)과 실행
- ``dialect``: 이미지의 ``/bin/sh`` (Alpine·busybox는 BusyBox ash, Debian·Ubuntu는 dash)에 맞춘 셸의 오류 메시지
- ``builtins``: 셸 내장 명령(``echo``, ``cd``, ``export``, ``set``, ``test`` …)
- ``coreutils``: 이미지에 실행 파일이 있어야 하는 기본 프로그램(``mkdir``, ``cp``, ``chmod``, ``ls`` …)
- ``packages``: 패키지 관리자 모형(``apk``, ``apt-get``, ``npm``, ``pip``), 관리자 하나가 모듈 하나

선생님을 위한 확장 지점(extension point)은 두 가지입니다. 여기 적은 것이 그 설명서입니다.

**1. 명령 더하기: register_command**

명령 함수는 :class:`CommandContext` 하나(``ctx``)를 받고 종료 코드(int, 0 = 성공)를 돌려줍니다.
데코레이터로도, 함수로도 등록할 수 있습니다::

    import imagelib as il

    @il.userland.register_command("hello", help="인사말 파일을 만듭니다")
    def hello(ctx):
        ctx.write("/hello.txt", f"안녕하세요 {' '.join(ctx.args)}\\n")
        ctx.out("hello.txt를 만들었습니다\\n")
        return 0

    il.build("FROM alpine\\nRUN hello 여러분\\n")          # 이제 RUN에서 쓸 수 있습니다
    il.userland.register_command("fails", lambda ctx: ctx.fail("실패했습니다", 3))
    il.userland.unregister_command("hello")               # 치우기
    il.userland.supported_commands()                      # 모형 셸이 아는 명령 이름들
    il.userland.command_table()                           # (이름, 설명, 실행 파일이 필요한지)

``ctx.args`` 는 명령 이름을 뺀 인자 목록, ``ctx.env`` 는 환경 변수, ``ctx.cwd`` 는 현재 폴더입니다.
파일은 ``ctx.read_text``, ``ctx.write``, ``ctx.mkdir``, ``ctx.delete``, ``ctx.symlink``,
``ctx.write_model`` (큰 파일을 선언된 크기의 모형 파일로) 등으로 다루고, 출력은 ``ctx.out``,
오류는 ``return ctx.fail("메시지", 종료 코드)`` 로 냅니다. 같은 이름을 바꾸려면 ``replace=True`` 를
주세요. ``needs_binary=True`` 로 등록한 명령은 진짜 리눅스처럼 이미지의 PATH에 같은 이름의 실행
파일이 있어야 하고, 없으면 ``not found`` (종료 코드 127)로 실패합니다.

**2. 패키지 더하기: register_package**

패키지 관리자(``"apk"``, ``"apt"``, ``"npm"``, ``"pip"``)의 표에 패키지를 더합니다. 크기는 바이트
(의존성을 포함한 설치 크기)이고, ``files`` 는 설치할 때 모형 파일을 쓸 경로입니다::

    il.userland.register_package("apk", "htop", "3.2.2-r1", 0.5e6, files=["usr/bin/htop"])
    il.build("FROM alpine:3.19\\nRUN apk add --no-cache htop\\n")

이미 있는 패키지를 바꾸려면 ``replace=True`` 를 주세요.
"""

from __future__ import annotations

from . import builtins, coreutils, packages  # noqa: F401  (importing them registers their commands)
from .context import CommandContext
from .errors import CommandFailed, ShellError
from .packages import register_package
from .shell import ShellSession
from .table import command_table, register_command, supported_commands, unregister_command

__all__ = [
    "CommandContext",
    "CommandFailed",
    "ShellError",
    "ShellSession",
    "command_table",
    "register_command",
    "register_package",
    "supported_commands",
    "unregister_command",
]
