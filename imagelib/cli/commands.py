"""The commands of ``python -m imagelib``: each takes the parsed arguments, prints, returns an exit code."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .. import display


def open_image(path: str, choice: "str | None" = None):
    """``path`` 의 이미지를 엽니다(``il.open``).

    이미지가 여럿이면 ``choice`` (이름:태그, 다이제스트 또는 번호)로 고릅니다.
    """
    import imagelib

    from ..errors import AmbiguousImageError, PathNotFoundError, UnsupportedError

    if not os.path.exists(path):
        raise PathNotFoundError(f"이미지 파일 {path!r}을(를) 찾을 수 없습니다. 경로를 확인하세요.")
    opener = getattr(imagelib, "open", None)
    if opener is None:
        raise UnsupportedError(
            "이 imagelib에는 il.open(이미지 파일을 여는 함수)이 아직 없습니다. imagelib를 새 버전으로 바꾸세요."
        )
    with _spinner(f"{os.path.basename(path) or path} 여는 중"):
        if choice is not None and choice.isdigit():
            return _open_numbered(path, int(choice))
        try:
            return opener(path) if choice is None else opener(path, ref=choice)
        except AmbiguousImageError:
            raise AmbiguousImageError(_several_images(path)) from None


def _listing(path: str) -> "list[str]":
    from ..formats import list_images

    return [f"{number} = {candidate}" for number, candidate in enumerate(list_images(path))]


def _several_images(path: str) -> str:
    from ..formats import list_images

    candidates = list_images(path)
    named = next((c for c in candidates if c.names or c.tags), None)
    example = (named.names + named.tags)[0] if named is not None else "0"
    return (
        f"파일 {os.path.basename(path)!r}에 이미지가 {len(candidates)}개 있어 하나를 고를 수 없습니다: "
        f"{', '.join(_listing(path))}. --image 이름:태그 또는 --image 번호로 고르세요. 예: --image {example}"
    )


def _open_numbered(path: str, number: int):
    """The ``number``-th image of ``il.formats.list_images`` (the numbers the error lists)."""
    import imagelib

    from ..errors import TagNotFoundError

    candidates = imagelib.formats.list_images(path)
    if number >= len(candidates):
        raise TagNotFoundError(
            f"--image {number}: 파일 {os.path.basename(path)!r}의 이미지 번호는 0부터 {len(candidates) - 1}까지입니다"
            f" ({', '.join(_listing(path))})."
        )
    chosen = candidates[number]
    identity = chosen.digest or chosen.image_id
    return imagelib.open(path, ref=str(identity), platform=chosen.platform or None)


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
    width = max(display.text_width(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {display.pad_right(name, width)}  {value}")
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
    columns = (("#", 3), ("다이제스트", 12), ("크기", 9), ("항목", 6))
    print(
        "  " + "  ".join(_cell(title, width, numeric=title != "다이제스트") for title, width in columns) + "  만든 단계"
    )
    for index, layer in enumerate(image.layers):
        cells = (str(index), layer.digest.short, display.human_size(layer.size), str(len(layer.entries)))
        aligned = "  ".join(
            _cell(text, width, numeric=title != "다이제스트")
            for text, (title, width) in zip(cells, columns, strict=True)
        )
        print(f"  {aligned}  {display.short_text(layer.created_by or '—', 70)}")
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
    print(TREE_LEGEND)
    return 0


TREE_LEGEND = "[L번호] = 그 항목을 준 레이어(0 = 맨 아래), 이름 -> 대상 = 심볼릭 링크, 이름 => /대상 = 하드 링크"


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


# -- sbom ------------------------------------------------------------------------------------

SBOM_COLUMNS = ("생태계", "이름", "버전", "라이선스", "레이어", "기록 파일")


def sbom(args) -> int:
    from ..sbom import sbom as read_sbom

    image = open_image(args.path, args.image)
    with _spinner("패키지 기록 읽는 중"):
        result = read_sbom(image)
    if args.format in ("spdx", "cyclonedx"):
        data = result.to_spdx() if args.format == "spdx" else result.to_cyclonedx()
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    if not result.packages:
        print("패키지 0개: 이미지에 패키지 기록이 없습니다")
        return 0
    # a license may be a whole license text: the table shows its start
    shown = (
        [_plain(cell, 40 if title == "라이선스" else 400) for cell, title in zip(row, SBOM_COLUMNS, strict=True)]
        for row in result.rows()
    )
    rows = [SBOM_COLUMNS, *shown]
    widths = [max(display.text_width(row[column]) for row in rows) for column in range(len(SBOM_COLUMNS))]
    for row in rows:
        cells = [
            _cell(text, width, numeric=title == "레이어")
            for text, width, title in zip(row, widths, SBOM_COLUMNS, strict=True)
        ]
        print("  ".join(cells).rstrip())
    counts = ", ".join(f"{ecosystem} {number}개" for ecosystem, number in result.count().items())
    print(f"패키지 {len(result)}개 ({counts})")
    return 0


def _plain(text: str, width: int) -> str:
    """A cell on one line: what an image recorded may hold line breaks or terminal control codes."""
    one_line = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return display.short_text(one_line, width)


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


def _cell(text: str, width: int, numeric: bool) -> str:
    """One column by display width: numbers to the right, text to the left."""
    return display.pad_left(text, width) if numeric else display.pad_right(text, width)
