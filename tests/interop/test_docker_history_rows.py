"""``docker history`` shows one row per build step, not one per layer: steps that only change the
config (WORKDIR, ENV, CMD, ...) are rows too, with SIZE 0B, because the image config's ``history``
holds one entry per step and marks those ``empty_layer``. Notebooks 01 and 02 say so and cite this file.
Checked with BuildKit and the legacy builder on the ``busybox`` base, against ``il.build``'s history.
"""

from __future__ import annotations

import pytest
from docker_engine import BUILDERS, store_with

import imagelib as il

pytestmark = pytest.mark.interop

DOCKERFILE = (
    "FROM busybox-base:1\nWORKDIR /app\nCOPY hello.txt ./\nENV GREETING=hi\n"
    'RUN echo built > built.txt\nEXPOSE 3000\nCMD ["cat", "built.txt"]\n'
)


def _history_rows(docker, tag: str) -> "list[str]":
    """SIZE of each row ``docker history`` prints, top row (the last step) first."""
    return docker("history", "--format", "{{.Size}}", tag).splitlines()


@pytest.mark.parametrize("builder", list(BUILDERS))
def test_docker_history_has_a_row_per_step_and_0b_for_steps_without_a_layer(docker, busybox, tmp_path, builder):
    context = tmp_path / "context"
    context.mkdir()
    (context / "Dockerfile").write_text(DOCKERFILE)
    (context / "hello.txt").write_text("hello\n")
    tag = f"imagelib-history-{builder}:1"
    docker.build(context, tag, builder)
    theirs = docker.saved(tag, tmp_path)
    rows = _history_rows(docker, tag)

    assert len(rows) == len(theirs.history) > len(theirs.layers)  # a row per step, more rows than layers
    for row, step in zip(rows, reversed(theirs.history), strict=True):
        if step.empty_layer:
            assert row == "0B", step.created_by
    steps_on_base = theirs.history[len(busybox.history) :]
    assert [step.empty_layer for step in steps_on_base][-2:] == [True, True]  # EXPOSE and CMD: rows without a layer

    mine = il.build(DOCKERFILE, {"hello.txt": "hello\n"}, store=store_with(busybox)).image
    if builder == "buildkit":  # il.build models BuildKit's history
        assert [s.empty_layer for s in mine.history] == [s.empty_layer for s in theirs.history]
    assert len(mine.history) == len(theirs.history)
