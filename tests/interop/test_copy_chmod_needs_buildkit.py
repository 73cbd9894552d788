"""``COPY --chmod`` needs BuildKit: the legacy builder refuses the flag. Notebook 09 shows the
refusal as 실제 출력; this test runs the build again and compares the message with the notebook's."""

from __future__ import annotations

import json

from paths import PROJECT_ROOT

NOTEBOOK = PROJECT_ROOT / "notebooks" / "09_build_cache.ipynb"


def _shown_refusal() -> str:
    """The line of the fenced block that follows the notebook's 실제 출력 naming this test."""
    for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and "실제 출력" in text and "test_copy_chmod_needs_buildkit.py" in text:
            return text.split("```text\n", 1)[1].split("\n```", 1)[0]
    raise AssertionError("노트북 09에 이 테스트가 확인하는 실제 출력이 없습니다")


def _build(docker, context, buildkit: str) -> "tuple[bool, str]":
    try:
        docker(
            "build", "--tag", f"imagelib-chmod-{buildkit}:1", str(context), environment={"DOCKER_BUILDKIT": buildkit}
        )
        return True, ""
    except AssertionError as error:
        return False, str(error).removeprefix("docker build failed: ")


def test_legacy_builder_refuses_copy_chmod_as_notebook_09_shows_and_buildkit_applies_it(docker, tmp_path):
    context = tmp_path / "context"
    context.mkdir()
    (context / "run.sh").write_text("echo hi\n")
    (context / "Dockerfile").write_text("FROM scratch\nCOPY --chmod=755 run.sh /run.sh\n")
    built, message = _build(docker, context, "0")
    assert not built and message == _shown_refusal()
    assert _build(docker, context, "1")[0]
