"""`.dockerignore` as the real engine reads it: the files BuildKit and the legacy builder copy with
``COPY . /ctx/`` are the files il.build copies, for anchored patterns, ``**``, exceptions (``!``)
and the implicit rules for the folders that hold a re-included file."""

from __future__ import annotations

import pytest
from docker_engine import BUILDERS

import imagelib as il

CONTEXT_FILES = [
    "a.log",
    "logs/a.log",
    "logs/deep/b.log",
    "src/app.js",
    "src/app.log",
    "node_modules/x/index.js",
    "node_modules/keep.js",
    "docs/README.md",
    "docs/keep.md",
    "build/out/keep.txt",
    "build/out/drop.txt",
    "build/keep.txt",
    "tmp/upload.bin",
]

IGNORE_FILES = {
    # *.log is anchored at the context root; a folder name drops what is inside; ! re-includes
    "anchored": "*.log\nnode_modules\n!node_modules/keep.js\ndocs/*\n!docs/keep.md\n",
    # **/ reaches any depth; an exception for a path inside an excluded folder
    "double-star": "**/*.log\nbuild\n!build/out/keep.txt\ntmp/\n",
    # an exception the excluded folder's name does not start: which files come back
    "exception-elsewhere": "build\n!**/keep.txt\n/src/*.js\n",
    # an exception with a wildcard below the excluded folder: Docker enters build/, not build/out/
    "wildcard-exception": "build\n!build/*/keep.txt\n!build/keep.txt\n",
    # everything out, then some back
    "all-but": "*\n!src\n!docs/keep.md\n",
    # a leading / and ./ are dropped. (A ** glued to a name, "**.md", is left out: patternmatcher,
    # in Docker 23 and later, reads it as a plain suffix; Docker 20.10 read it as a regular expression.)
    "cleaned": "/logs/deep\n./tmp\n**/keep.*\n",
}


def _context(folder, ignore: str) -> None:
    for path in CONTEXT_FILES:
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(path + "\n")
    (folder / ".dockerignore").write_text(ignore)
    (folder / "Dockerfile").write_text("FROM scratch\nCOPY . /ctx/\n")


def _copied(image: il.Image) -> "list[str]":
    tree = image.rootfs()
    return sorted(path for path in tree.paths() if path.startswith("ctx/"))


@pytest.mark.parametrize("builder", list(BUILDERS))
@pytest.mark.parametrize("case", list(IGNORE_FILES))
def test_il_build_copies_the_files_docker_copies(docker, tmp_path, case, builder):
    context = tmp_path / "context"
    _context(context, IGNORE_FILES[case])
    tag = f"imagelib-dockerignore-{case}-{builder}:1"
    docker.build(context, tag, builder, network=True)
    theirs = _copied(docker.saved(tag, tmp_path))
    mine = _copied(il.build(context / "Dockerfile", context).image)
    assert mine == theirs
