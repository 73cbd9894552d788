"""Write every lesson's notebook and worked solutions from its source, and run the ones that changed.

    python tools/generate_notebooks.py                  # every lesson in course/source/
    python tools/generate_notebooks.py 02_layers_as_films
    python tools/generate_notebooks.py --check          # exit 1 if a notebook is out of date

The sources are course/source/<NN_slug>/<NN_slug>.ipynb (tools/lesson_source.py tells their shape).
A generated notebook whose cells (kind, id, source, metadata) already match is left alone, outputs
and all; one that changed is written and executed (tools/run_notebooks.py), so its stored outputs
are the ones its cells print.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lesson_source as ls  # noqa: E402
import run_notebooks  # noqa: E402


def targets(name: str) -> "list[tuple[Path, object]]":
    """(path, generated notebook without outputs) for the lesson's two notebooks."""
    source = ls.read(ls.source_path(name))
    return [
        (ls.student_path(name), ls.student_version(source)),
        (ls.solutions_path(name), ls.solutions_version(source)),
    ]


def is_current(path: Path, generated) -> bool:
    return path.exists() and ls.skeleton(ls.read(path)) == ls.skeleton(generated)


def stale(names: "list[str]") -> "list[Path]":
    """The generated notebooks that do not match their source."""
    return [path for name in names for path, generated in targets(name) if not is_current(path, generated)]


def write(names: "list[str]", execute: bool = True) -> "list[Path]":
    """Write (and run) the notebooks that do not match their source; returns them."""
    written = []
    for name in names:
        for path, generated in targets(name):
            if is_current(path, generated):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            before = path.read_bytes() if path.exists() else None
            nbformat.write(generated, path)
            written.append(path)
            if execute:
                print(f"실행 중: {path.relative_to(ls.ROOT)}", flush=True)
                try:
                    run_notebooks.run(path)
                except BaseException:
                    # A notebook written but never run would count as current next time.
                    _restore(path, before)
                    raise
    return written


def _restore(path: Path, before: "bytes | None") -> None:
    if before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(before)


def main(argv: "list[str] | None" = None) -> int:
    parser = argparse.ArgumentParser(description="course/source의 원본에서 연습 노트북과 풀이 노트북을 만듭니다.")
    parser.add_argument("lessons", nargs="*", help="NN_slug (기본: 모든 원본)")
    parser.add_argument("--check", action="store_true", help="만들지 않고, 원본과 다른 노트북이 있으면 1로 끝냅니다")
    parser.add_argument("--no-execute", action="store_true", help="쓰기만 하고 실행하지 않습니다")
    arguments = parser.parse_args(argv)
    names = arguments.lessons or ls.lesson_names()
    if arguments.check:
        out_of_date = stale(names)
        for path in out_of_date:
            print(f"원본과 다름: {path.relative_to(ls.ROOT)}")
        return 1 if out_of_date else 0
    for path in write(names, execute=not arguments.no_execute):
        print(f"새로 만듦: {path.relative_to(ls.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
