"""명령 표(command table): 모형 셸이 아는 명령의 이름, 실행 함수, 설명.

모형 셸은 여기 등록된 명령만 실행합니다. 선생님이 명령을 더하고 빼는 방법은
``imagelib.userland`` 의 설명(``help(il.userland)``)에 있습니다.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypeVar, overload

from .errors import ShellError

if TYPE_CHECKING:
    from .context import CommandContext

# What a command is: it gets the context (arguments, files, output) and returns the exit status.
Command: TypeAlias = "Callable[[CommandContext], int]"
# A decorator hands back the very function it was given, with its own type.
_C = TypeVar("_C", bound=Command)


@dataclass(frozen=True)
class CommandSpec:
    """등록된 명령 하나: 이름, 실행 함수, 이미지에 실행 파일이 필요한지, 설명, 출처."""

    name: str
    run: Command
    needs_binary: bool = False
    help: str = ""
    origin: str = "imagelib"


_REGISTRY: "dict[str, CommandSpec]" = {}


@overload
def register_command(
    name: str,
    run: None = None,
    *,
    help: str = "",
    needs_binary: bool = False,
    replace: bool = False,
    origin: str = "teacher",
) -> "Callable[[_C], _C]": ...


@overload
def register_command(
    name: str, run: _C, *, help: str = "", needs_binary: bool = False, replace: bool = False, origin: str = "teacher"
) -> _C: ...


def register_command(
    name: str,
    run: "Command | None" = None,
    *,
    help: str = "",
    needs_binary: bool = False,
    replace: bool = False,
    origin: str = "teacher",
) -> "Callable[[_C], _C] | Command":
    """모형 셸에 명령을 등록합니다. 데코레이터로도, 함수로도 씁니다.

    ``needs_binary=True`` 면 이미지의 PATH에 같은 이름의 실행 파일이 있어야 실행됩니다.
    이미 있는 이름을 바꾸려면 ``replace=True`` 를 주세요. 등록한 함수를 그대로 돌려줍니다.
    """
    if not name or any(ch.isspace() for ch in name) or "/" in name:
        raise ShellError(f"명령 이름 {name!r}이(가) 잘못되었습니다. 공백과 '/' 없는 이름을 쓰세요.")

    def add(func: _C) -> _C:
        if name in _REGISTRY and not replace:
            raise ShellError(f"명령 {name!r}은(는) 이미 등록되어 있습니다. 바꾸려면 replace=True를 주세요.")
        _REGISTRY[name] = CommandSpec(name, func, needs_binary, help, origin)
        return func

    return add if run is None else add(run)


def unregister_command(name: str) -> None:
    """등록된 명령을 뺍니다(선생님이 등록한 명령을 치울 때)."""
    if _REGISTRY.pop(name, None) is None:
        raise ShellError(f"등록된 명령 {name!r}이(가) 없습니다.")


def lookup_command(name: str) -> "CommandSpec | None":
    return _REGISTRY.get(name)


def supported_commands() -> "list[str]":
    """모형 셸이 아는 명령 이름들(정렬됨)."""
    return sorted(_REGISTRY)


def command_table() -> "list[tuple[str, str, str]]":
    """(이름, 설명, 이미지에 실행 파일이 필요한지) 목록."""
    return [
        (spec.name, spec.help, "필요" if spec.needs_binary else "셸 내장")
        for spec in sorted(_REGISTRY.values(), key=lambda s: s.name)
    ]


def builtin(name: str, help: str) -> "Callable[[_C], _C]":
    return register_command(name, help=help, needs_binary=False, origin="imagelib")


def program(name: str, help: str) -> "Callable[[_C], _C]":
    return register_command(name, help=help, needs_binary=True, origin="imagelib")
