"""The docker outputs notebook 10_oci_files shows are what the real engine prints.

The notebook's cell "도커가 있다면" prints `docker load`, `docker image inspect` and
`docker history` with their outputs. Here the archive is written by the notebook's own cells,
loaded into the tests' private dockerd, each command is run, and its output is compared with the
output stored in the notebook (one engine: Docker's classic image store, where a tag names an
image ID; the notebook says what the containerd store shows instead).
"""

from __future__ import annotations

import re

import nbformat
from paths import PROJECT_ROOT

NOTEBOOK = PROJECT_ROOT / "notebooks" / "10_oci_files.ipynb"
CELLS_THAT_WRITE_THE_ARCHIVE = ("c02", "c04", "c08")  # imports, cake_box(), il.save(..., "myapp.tar")
CELL_THAT_SHOWS_DOCKER = "c41"


def cells_by_id() -> dict:
    return {cell.id: cell for cell in nbformat.read(NOTEBOOK, as_version=4).cells}


def shown_commands(cell) -> "dict[str, str]":
    """The stored output of the cell, as {command after '$ ': the lines printed under it}."""
    text = "".join(output["text"] for output in cell.outputs if output.get("name") == "stdout")
    blocks = re.split(r"^\$ ", text, flags=re.MULTILINE)[1:]
    return {block.split("\n", 1)[0]: block.split("\n", 1)[1].strip() for block in blocks}


def test_docker_load_inspect_and_history_print_what_the_notebook_shows(docker, tmp_path, monkeypatch):
    cells = cells_by_id()
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for cell_id in CELLS_THAT_WRITE_THE_ARCHIVE:
        exec(cells[cell_id].source, namespace)  # noqa: S102 (the notebook's own code)
    archive = namespace["archive"]
    shown = shown_commands(cells[CELL_THAT_SHOWS_DOCKER])
    assert set(shown) == {
        "docker load -i myapp.tar",
        "docker image inspect --format '{{.Id}}' myapp:1.0",
        "docker history --format '{{.CreatedBy}}' myapp:1.0",
    }

    assert docker("load", "-i", str(archive)).strip() == shown["docker load -i myapp.tar"]
    assert (
        docker("image", "inspect", "--format", "{{.Id}}", "myapp:1.0").strip()
        == shown["docker image inspect --format '{{.Id}}' myapp:1.0"]
    )
    history = docker("history", "--format", "{{.CreatedBy}}", "myapp:1.0").strip()
    assert history == shown["docker history --format '{{.CreatedBy}}' myapp:1.0"]
    namespace["workdir"].cleanup()
