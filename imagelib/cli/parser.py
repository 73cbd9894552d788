"""argparse with Korean help, usage and error messages."""

from __future__ import annotations

import argparse
import re
import sys

from .. import display
from . import commands

_ERROR_PATTERNS = [
    (r"the following arguments are required: (.*)", r"다음 인자가 필요합니다: \1"),
    (r"unrecognized arguments: (.*)", r"알 수 없는 인자입니다: \1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", r"\1: \2은(는) 고를 수 없습니다(가능: \3)"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"\1: \3은(는) 올바른 값이 아닙니다"),
    (r"argument (\S+): expected one argument", r"\1 뒤에 값을 하나 적으세요"),
    (r"argument (\S+): (.*)", r"\1: \2"),
]


class _KoreanHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, measuring text by display width (Hangul takes two columns).

    argparse pads and wraps with len(), so a Korean metavar or help text pushes its column out
    of line; the two methods that lay out the option list are redone with display widths.
    """

    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 (argparse API)
        return super().add_usage(usage, actions, groups, "사용법: " if prefix is None else prefix)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            invocations = [self._format_action_invocation(action)]
            invocations += [self._format_action_invocation(sub) for sub in self._iter_indented_subactions(action)]
            widest = max(display.text_width(text) for text in invocations) + self._current_indent
            self._action_max_length = max(self._action_max_length, widest)

    def _format_action(self, action: argparse.Action) -> str:
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent = " " * self._current_indent
        help_text = self._expand_help(action) if action.help and action.help.strip() else ""
        if not help_text:
            parts = [f"{indent}{header}\n"]
        elif display.text_width(header) <= action_width:
            lines = self._split_lines(help_text, help_width)
            parts = [f"{indent}{display.pad_right(header, action_width)}  {lines[0]}\n"]
            parts += [" " * help_position + line + "\n" for line in lines[1:]]
        else:
            lines = self._split_lines(help_text, help_width)
            parts = [f"{indent}{header}\n"] + [" " * help_position + line + "\n" for line in lines]
        for subaction in self._iter_indented_subactions(action):
            parts.append(self._format_action(subaction))
        return self._join_parts(parts)

    def _split_lines(self, text: str, width: int) -> "list[str]":
        lines: "list[str]" = []
        for word in " ".join(text.split()).split(" "):
            if lines and display.text_width(lines[-1]) + 1 + display.text_width(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return lines or [""]


class KoreanArgumentParser(argparse.ArgumentParser):
    """argparse whose fixed texts (usage, headings, errors) are Korean."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _KoreanHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "인자"
        self._optionals.title = "옵션"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help="이 도움말을 보여 주고 끝냅니다"
        )

    def error(self, message: str):
        for pattern, replacement in _ERROR_PATTERNS:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"오류: {message}\n")


def _ratio(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}은(는) 0과 1 사이의 수가 아닙니다") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r}은(는) 0과 1 사이의 비율로 적으세요(예: 0.1 = 10%)")
    return value


_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
    "k": 10**3,
    "m": 10**6,
    "g": 10**9,
}


def byte_size(text: str) -> int:
    """'20MB', '1.5GiB', '1000' → bytes (decimal units like dive, binary with 'i')."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", text)
    unit = match.group(2).lower() if match else None
    if not match or unit not in _SIZE_UNITS:
        raise argparse.ArgumentTypeError(f"{text!r}은(는) 크기가 아닙니다(예: 20MB, 1.5GiB, 1000)")
    return int(float(match.group(1)) * _SIZE_UNITS[unit])


_CHOICE_HELP = (
    "파일에 이미지가 여럿일 때 고를 이미지: 이름:태그, 다이제스트 또는 번호"
    "(0부터, 여럿일 때 오류 메시지가 목록을 보여 줍니다)"
)


def _add_image_arguments(parser: argparse.ArgumentParser, json_help: "str | None") -> None:
    parser.add_argument("path", help="docker save tar, OCI 레이아웃 폴더 또는 OCI tar")
    parser.add_argument("--image", metavar="이미지", default=None, help=_CHOICE_HELP)
    if json_help:
        parser.add_argument("--json", action="store_true", help=json_help)


def _command(sub, name: str, summary: str, description: str, run) -> KoreanArgumentParser:
    parser = sub.add_parser(name, help=summary, description=description)
    parser.set_defaults(run=run)
    return parser


def build_parser() -> KoreanArgumentParser:
    parser = KoreanArgumentParser(
        prog="python -m imagelib",
        description="도커 이미지 파일(docker save, OCI)을 들여다보고 분석합니다.",
        epilog="예: docker save myimage -o my.tar 한 다음 python -m imagelib analyze my.tar",
    )
    sub = parser.add_subparsers(title="명령 목록", metavar="명령", parser_class=KoreanArgumentParser)
    sub.required = True

    inspect = _command(
        sub,
        "inspect",
        "이미지 요약: ID, 다이제스트, 플랫폼, 설정 (docker image inspect처럼)",
        "이미지 ID, 다이제스트, 플랫폼, 레이어 수와 크기, 실행 설정을 보여 줍니다.",
        commands.inspect,
    )
    _add_image_arguments(inspect, "사람이 읽는 표 대신 JSON으로 출력합니다")

    layers = _command(
        sub,
        "layers",
        "레이어 목록: 크기와 만든 단계 (docker history와 달리 레이어 없는 단계는 빼고)",
        "레이어를 아래(0)부터 위로, 크기와 만든 단계와 함께 보여 줍니다.",
        commands.layers,
    )
    _add_image_arguments(layers, "JSON으로 출력합니다")

    tree = _command(
        sub,
        "tree",
        "파일 트리: 컨테이너가 보는 파일 시스템",
        "레이어를 모두 겹친 파일 트리(유니언 뷰)를 그립니다.\n"
        "[L3] = 그 항목을 준 레이어 번호(0 = 맨 아래), 이름 -> 대상 = 심볼릭 링크, 이름 => /대상 = 하드 링크",
        commands.tree,
    )
    _add_image_arguments(tree, "경로·종류·크기·레이어 목록을 JSON으로 출력합니다")
    tree.add_argument(
        "--layer", type=int, metavar="번호", default=None, help="0번부터 이 번호의 레이어까지만 겹쳐 봅니다"
    )
    tree.add_argument("--max-entries", type=int, metavar="개수", default=200, help="그릴 항목 수의 한도 (기본 200)")

    analyze = _command(
        sub,
        "analyze",
        "효율과 낭비된 공간 분석 (dive처럼), --ci로 기준 검사",
        "레이어별 변경과 효율·낭비된 공간을 dive와 같은 정의로 계산합니다.\n"
        "--ci를 주면 기준을 검사해 하나라도 넘지 못하면 종료 코드 1로 끝냅니다.",
        commands.analyze,
    )
    _add_image_arguments(analyze, "결과를 JSON으로 출력합니다")
    analyze.add_argument("--top", type=int, metavar="개수", default=10, help="보여 줄 낭비 경로 수 (기본 10)")
    analyze.add_argument("--ci", action="store_true", help="기준을 검사하고 실패하면 종료 코드 1")
    analyze.add_argument(
        "--lowest-efficiency", type=_ratio, metavar="비율", default=0.9, help="허용할 가장 낮은 효율, 0~1 (기본 0.9)"
    )
    analyze.add_argument(
        "--highest-user-wasted-percent",
        type=_ratio,
        metavar="비율",
        default=0.1,
        help="허용할 가장 높은 사용자 낭비율, 0~1 비율 (기본 0.1 = 10%%)",
    )
    analyze.add_argument(
        "--highest-wasted-bytes",
        type=byte_size,
        metavar="크기",
        default=None,
        help="허용할 가장 많은 낭비 바이트 (예: 20MB; 기본: 검사 안 함)",
    )

    unpack = _command(
        sub,
        "unpack",
        "이미지의 파일 시스템을 폴더에 풉니다",
        "레이어를 차례로 겹친 결과를 폴더에 씁니다(폴더 밖에는 아무것도 쓰지 않음).",
        commands.unpack,
    )
    _add_image_arguments(unpack, None)
    unpack.add_argument("folder", help="풀어 놓을 폴더")

    save = _command(
        sub,
        "save",
        "다른 형식으로 저장합니다 (OCI 레이아웃, OCI tar, docker-archive)",
        "이미지를 읽어 다른 형식으로 저장합니다. 매니페스트 다이제스트는 형식에 따라 같거나 달라집니다.",
        commands.save,
    )
    _add_image_arguments(save, None)
    save.add_argument("output", help="저장할 경로")
    save.add_argument(
        "--format",
        choices=["oci", "oci-archive", "docker-archive"],
        default="oci",
        help="저장 형식 (기본 oci = OCI 이미지 레이아웃 폴더)",
    )
    sbom = _command(
        sub,
        "sbom",
        "이미지에 든 패키지 목록(SBOM): 표, SPDX 2.3 JSON, CycloneDX 1.5 JSON",
        "이미지가 지닌 패키지 기록(apk, dpkg, npm의 package.json, 파이썬의 METADATA)을 읽어\n"
        "패키지마다 이름·버전·라이선스·그 기록을 쓴 레이어를 보여 줍니다. 같은 이미지는 언제나 같은 바이트입니다.",
        commands.sbom,
    )
    _add_image_arguments(sbom, None)
    sbom.add_argument(
        "--format",
        choices=["table", "spdx", "cyclonedx"],
        default="table",
        help="출력 형식 (기본 table = 사람이 읽는 표, spdx = SPDX 2.3 JSON, cyclonedx = CycloneDX 1.5 JSON)",
    )
    return parser
