"""Execute course notebooks in place and store their outputs the way the course keeps them.

    python tools/run_notebooks.py                      # every notebook and solution
    python tools/run_notebooks.py notebooks/02_*.ipynb # only these

Each notebook runs top to bottom in a fresh kernel, from its own folder (as nbval runs it). Then
what would make a stored notebook differ from run to run is left out: execution timings in cell
metadata, and the live-widget part of an output (its model id is random and means nothing without
a running kernel). A widget's still view (text/html) and text stay, so a reader without a kernel
sees the picture, and nbval compares the text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_site import execute  # noqa: E402  (the kernel set-up the course site uses)

ROOT = Path(__file__).resolve().parent.parent
LIVE_WIDGET = "application/vnd.jupyter.widget-view+json"


def course_notebooks() -> "list[Path]":
    return sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))


def stored_form(notebook) -> None:
    """Remove what changes on every run from an executed notebook."""
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = joined_streams(cell.outputs)
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data and LIVE_WIDGET in data and len(data) > 1:
                del data[LIVE_WIDGET]


def joined_streams(outputs: list) -> list:
    """One output per run of printed text: how the kernel happened to flush it is not content."""
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            joined.append(output)
    return joined


def run(path: Path, timeout: int = 600) -> None:
    notebook = execute(path, timeout)
    stored_form(notebook)
    nbformat.write(notebook, path)


def main(argv: "list[str] | None" = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks to run (default: all of the course)")
    arguments = parser.parse_args(argv)
    for path in arguments.paths or course_notebooks():
        print(f"실행 중: {path.relative_to(ROOT) if path.is_absolute() else path}", flush=True)
        run(path.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
