"""The commands of ``python -m imagelib``: each takes the parsed arguments, prints, returns an exit code."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .. import display


def open_image(path: str, choice: "str | None" = None):
    """``path`` 의 이미지를 엽니다(``il.open``). 이미지가 여럿이면 ``choice`` 로 고릅니다."""
    import imagelib

    from ..errors import PathNotFoundError, UnsupportedError

    if not os.path.exists(path):
        raise PathNotFoundError(f"이미지 파일 {path!r}을(를) 찾을 수 없습니다. 경로를 확인하세요.")
    opener = getattr(imagelib, "open", None)
    if opener is None:
        raise UnsupportedError(
            "이 imagelib에는 이미지 파일을 여는 il.open이 아직 없습니다. imagelib를 새 버전으로 바꾸세요."
        )
    try:
        with _spinner(f"{os.path.basename(path) or path} 여는 중"):
            return opener(path) if choice is None else opener(path, ref=choice)
    except LookupError as error:  # several images (AmbiguousImageError) or no such one
        if not isinstance(error, imagelib.ImageLibError):
            raise
        raise type(error)(f"{error} 명령줄에서는 --image 이름 으로 고르세요.") from None


def _print_json(document: object) -> None:
    print(json.dumps(document, ensure_ascii=False, indent=2))


def _interactive() -> bool:
    return sys.stderr.isatty()


@contextmanager
def _spinner(description: str) -> Iterator[None]:
    """A one-line status on stderr while something long happens (only on a terminal)."""
    if not _interactive():
        yield
        return
    print(f"{description}…", end="\r", file=sys.stderr, flush=True)
    try:
        yield
    finally:
        print(" " * (len(description) + 4), end="\r", file=sys.stderr, flush=True)


def _progress(total: int, description: str):
    """A tqdm bar on stderr when stderr is a terminal; otherwise None."""
    if not _interactive() or total <= 0:
        return None
    try:
        from tqdm import tqdm
    except ModuleNotFoundError:  # tqdm comes with the [progress] extra; the bar is only a nicety
        return None

    return tqdm(total=total, desc=description, unit="레이어", file=sys.stderr, leave=False)


# -- inspect / layers / tree ---------------------------------------------------------------


def inspect(args) -> int:
    image = open_image(args.path, args.image)
    if args.json:
        _print_json(
            {
                "id": str(image.id),
                "digest": str(image.digest),
                "platform": image.platform,
                "created": image.created,
                "size": image.size,
                "uncompressed_size": image.uncompressed_size,
                "layers": [_layer_json(i, layer) for i, layer in enumerate(image.layers)],
                "config": image.config_json,
            }
        )
        return 0
    rows = [
        ("이미지 ID", str(image.id)),
        ("다이제스트", str(image.digest)),
        ("플랫폼", image.platform or "—"),
        ("만든 시각", image.created or "—"),
        (
            "레이어",
            f"{len(image.layers)}개, {display.human_size(image.size)} "
            f"(압축 풀면 {display.human_size(image.uncompressed_size)})",
        ),
    ]
    rows += list(image.config.summary().items())
    print(f"이미지 {args.path}")
    width = max(_width(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {_pad(name, width)}  {value}")
    return 0


def _layer_json(index: int, layer) -> dict:
    return {
        "index": index,
        "digest": str(layer.digest),
        "diff_id": str(layer.diff_id),
        "media_type": layer.media_type,
        "size": layer.size,
        "uncompressed_size": layer.uncompressed_size,
        "entries": len(layer.entries),
        "created_by": layer.created_by,
    }


def layers(args) -> int:
    image = open_image(args.path, args.image)
    if args.json:
        _print_json([_layer_json(i, layer) for i, layer in enumerate(image.layers)])
        return 0
    print(f"레이어 {len(image.layers)}개 (0 = 맨 아래 베이스), 합계 {display.human_size(image.size)}")
    print(f"  {'#':>3}  {'다이제스트':<12}  {'크기':>9}  {'항목':>6}  만든 단계")
    for index, layer in enumerate(image.layers):
        print(
            f"  {index:>3}  {layer.digest.short:<12}  {display.human_size(layer.size):>9}  "
            f"{len(layer.entries):>6}  {display.short_text(layer.created_by or '—', 70)}"
        )
    return 0


def tree(args) -> int:
    from ..errors import ImageLibError
    from ..filetree import FileTree

    image = open_image(args.path, args.image)
    chosen = image.layers
    if args.layer is not None:
        if not 0 <= args.layer < len(image.layers):
            raise ImageLibError(f"--layer {args.layer}: 레이어 번호는 0부터 {len(image.layers) - 1}까지입니다.")
        chosen = image.layers[: args.layer + 1]
    files = FileTree.from_layers(chosen)
    if args.json:
        _print_json(
            [
                {
                    "path": "/" + node.path,
                    "kind": node.kind,
                    "size": node.size,
                    "mode": oct(node.mode),
                    "layer": node.layer_index,
                    **({"target": node.target} if node.target is not None else {}),
                }
                for node in files.walk()
            ]
        )
        return 0
    print(files.render(max_entries=args.max_entries))
    return 0


# -- analyze ---------------------------------------------------------------------------------


def analyze(args) -> int:
    from ..analyze import analyze as run_analysis

    image = open_image(args.path, args.image)
    bar = _progress(len(image.layers), "분석")
    try:
        result = run_analysis(image, top=args.top, on_layer=(lambda done, total: bar.update(1)) if bar else None)
    finally:
        if bar is not None:
            bar.close()
    rules = (
        result.check(args.lowest_efficiency, args.highest_user_wasted_percent, args.highest_wasted_bytes)
        if args.ci
        else []
    )
    if args.json:
        document = result.to_dict()
        if args.ci:
            document["ci"] = {
                "passed": all(r.passed for r in rules),
                "rules": [
                    {"name": r.name, "passed": r.passed, "actual": _finite(r.actual), "threshold": r.threshold}
                    for r in rules
                ],
            }
        _print_json(document)
    else:
        print(result)
        if args.ci:
            _print_rules(rules)
    return 0 if all(rule.passed for rule in rules) else 1


def _finite(value: float) -> "float | None":
    return value if value == value and abs(value) != float("inf") else None


def _print_rules(rules) -> None:
    print("\nCI 기준 검사:")
    for rule in rules:
        print(f"  {'통과' if rule.passed else '실패'}: {rule.name}: {rule.message}")
    failed = sum(not rule.passed for rule in rules)
    verdict = "통과" if not failed else "실패"
    print(f"결과: {verdict} (규칙 {len(rules)}개 중 통과 {len(rules) - failed}개, 실패 {failed}개)")


# -- unpack / save ---------------------------------------------------------------------------


def unpack(args) -> int:
    import imagelib

    from ..errors import UnsupportedError

    unpacker = getattr(imagelib, "unpack", None)
    if unpacker is None:
        raise UnsupportedError("이 imagelib에는 il.unpack이 아직 없습니다. imagelib를 새 버전으로 바꾸세요.")
    image = open_image(args.path, args.image)
    with _spinner(f"{args.folder}에 푸는 중"):
        unpacker(image, args.folder)
    print(f"레이어 {len(image.layers)}개를 겹친 파일 시스템을 {args.folder}에 풀었습니다.")
    return 0


def save(args) -> int:
    import imagelib

    from ..errors import UnsupportedError

    saver = getattr(imagelib, "save", None)
    if saver is None:
        raise UnsupportedError("이 imagelib에는 il.save가 아직 없습니다. imagelib를 새 버전으로 바꾸세요.")
    image = open_image(args.path, args.image)
    with _spinner(f"{args.output}에 저장하는 중"):
        saver(image, args.output, format=args.format)
    print(f"이미지 {image.digest.short}를 {args.format} 형식으로 {args.output}에 저장했습니다.")
    return 0


# -- text layout -----------------------------------------------------------------------------


def _width(text: str) -> int:
    """Display width: Hangul and other wide characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
