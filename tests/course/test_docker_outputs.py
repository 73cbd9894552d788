"""No invented outputs: every output a notebook shows is labelled 예상 출력 or recorded by a real test.

An output block is a fenced block in markdown whose lines are not only commands (and comments),
or a code cell whose source prints text in the shape of a docker/CLI message ("Loaded image: …",
"<id>: Pushed", "$ docker …"). Each must be introduced by the words 예상 출력 (the values come from
imagelib's model), or by 실제 출력 and the name of a test under tests/interop/ that runs the real
command and compares; that file must exist and name the notebook.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from paths import PROJECT_ROOT

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (PROJECT_ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb")
)
INTEROP = PROJECT_ROOT / "tests" / "interop"

# Fenced blocks in these languages are source code, not a terminal.
NOT_A_TERMINAL = {"dockerfile", "python", "py", "ipython", "ipython3"}
COMMANDS = {
    "apk", "apt", "apt-get", "cat", "cd", "crane", "ctr", "curl", "dive", "docker", "du", "echo", "export",
    "find", "git", "gzip", "jq", "jupyter", "kubectl", "ls", "mkdir", "nerdctl", "node", "npm", "pip",
    "podman", "python", "python3", "registry", "rm", "sha256sum", "skopeo", "sudo", "tar", "umoci", "wget",
    "zcat",
}  # fmt: skip
# Lines in the shape of what docker (or a registry client) prints.
DOCKER_MESSAGES = re.compile(
    r"^\$ (docker|skopeo|umoci|crane|curl)\b"
    r"|Loaded image( ID)?: "
    r"|The push refers to repository"
    r"|: (Pushed|Pull complete|Already exists|Layer already exists|Mounted from|Download complete)\b"
    r"|digest: sha256:"
    r"|Successfully (built|tagged)"
    r"|Status: (Downloaded newer image|Image is up to date)"
    r"|Untagged: |Deleted: sha256:",
    re.MULTILINE,
)
REAL_TEST = re.compile(r"tests/interop/(test_\w+\.py)")


@dataclass(frozen=True)
class Shown:
    """An output block found in a notebook, with the text that introduces it."""

    notebook: str
    cell: int
    text: str
    introduction: str

    def problem(self) -> "str | None":
        """What is wrong with it, or None when it is labelled."""
        if "예상 출력" in self.introduction:
            return None
        if "실제 출력" in self.introduction:
            named = REAL_TEST.search(self.introduction)
            if named is None:
                return "'실제 출력'이라고 했지만 그 출력을 기록한 tests/interop/ 테스트 파일 이름이 없습니다"
            test = INTEROP / named.group(1)
            if not test.exists():
                return f"'실제 출력'의 테스트 {named.group(0)}이(가) 없습니다"
            if Path(self.notebook).stem.removesuffix("_solutions") not in test.read_text(encoding="utf-8"):
                return f"{named.group(0)}이(가) 이 노트북을 다루지 않습니다"
            return None
        return "출력 블록인데 '예상 출력'이나 '실제 출력'(과 테스트 파일) 표시가 없습니다"


def is_command(line: str, previous: str) -> bool:
    stripped = line.strip()
    if not stripped or stripped.startswith("#") or previous.rstrip().endswith("\\"):
        return True
    if stripped.startswith(("&&", "||", "|")):
        return True
    first = stripped.split()[0]
    return first in COMMANDS or "=" in first and first.split("=")[0].isidentifier()


def fenced_outputs(markdown: str) -> "list[tuple[str, str]]":
    """(block, introduction) for each fenced block that shows output, not only commands.

    A block with ``$`` prompts shows output on every other line; without prompts, a line whose
    first word is not a command is output. The introduction is the paragraph right before.
    """
    found = []
    for match in re.finditer(r"^```(\S*)[^\n]*\n(.*?)^```", markdown, re.MULTILINE | re.DOTALL):
        language, body = match.group(1).lower(), match.group(2)
        if language in NOT_A_TERMINAL:
            continue
        lines = body.splitlines()
        prompted = any(line.startswith("$ ") for line in lines)
        previous = ""
        output = False
        for line in lines:
            if prompted:
                output |= bool(line.strip()) and not line.startswith("$ ") and not previous.rstrip().endswith("\\")
            else:
                output |= not is_command(line, previous)
            previous = line
        if output:
            found.append((body, introduction(markdown[: match.start()])))
    return found


def introduction(before: str) -> str:
    """The paragraph right before a block (its lines up to the blank line above)."""
    paragraph = before.rstrip("\n").split("\n\n")[-1]
    return paragraph


def imitates_docker(source: str) -> bool:
    """Whether the cell's own string literals print text in the shape of docker's messages."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: fall back to the raw text
        return bool(DOCKER_MESSAGES.search(source))
    literals = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return any(DOCKER_MESSAGES.search(text) for text in literals)


def first_printed_line(cell) -> str:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            return "".join(output["text"]).split("\n", 1)[0]
    return ""


def shown_outputs(nb, name: str) -> "list[Shown]":
    shown = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            shown += [Shown(name, index, body, intro) for body, intro in fenced_outputs(cell.source)]
        elif cell.cell_type == "code" and imitates_docker(cell.source):
            before = nb.cells[index - 1].source if index and nb.cells[index - 1].cell_type == "markdown" else ""
            intro = first_printed_line(cell) + "\n" + introduction(before)
            shown.append(Shown(name, index, cell.source, intro))
    return shown


# -- the detector, on small made-up cells ---------------------------------------------------------


def made_up(*cells) -> "list[Shown]":
    return shown_outputs(new_notebook(cells=list(cells)), "99_made_up.ipynb")


def test_commands_alone_are_not_output():
    block = "```bash\ndocker save -o my.tar myapp:1.0   # 파일로\ndocker load -i my.tar \\\n  --quiet\n```"
    assert made_up(new_markdown_cell("명령입니다.\n\n" + block)) == []
    assert made_up(new_markdown_cell("```dockerfile\nFROM alpine\nCOPY . /app\n```")) == []


def test_an_unlabelled_output_block_fails():
    block = "```text\nThe push refers to repository [127.0.0.1:5000/demo/app]\nabc: Pushed\n```"
    found = made_up(new_markdown_cell("docker push는 이렇게 출력합니다.\n\n" + block))
    assert len(found) == 1 and found[0].problem() is not None
    prompted = "```console\n$ docker load -i my.tar\nLoaded image: myapp:1.0\n```"
    found = made_up(new_markdown_cell(prompted))
    assert len(found) == 1 and found[0].problem() is not None


def test_a_labelled_output_block_passes():
    block = "```text\nabc: Pushed\n```"
    found = made_up(new_markdown_cell("예상 출력(imagelib의 모형 값):\n\n" + block))
    assert len(found) == 1 and found[0].problem() is None


def test_real_output_must_name_an_existing_test_that_covers_the_notebook():
    block = "```text\nLoaded image: myapp:1.0\n```"
    missing = made_up(new_markdown_cell("실제 출력(tests/interop/test_no_such_file.py가 기록):\n\n" + block))
    assert "없습니다" in missing[0].problem()
    unnamed = made_up(new_markdown_cell("실제 출력입니다.\n\n" + block))
    assert "테스트 파일 이름이 없습니다" in unnamed[0].problem()
    existing = next(INTEROP.glob("test_*.py"))
    other = made_up(new_markdown_cell(f"실제 출력(tests/interop/{existing.name}):\n\n" + block))
    assert "다루지 않습니다" in other[0].problem()


def test_a_code_cell_printing_docker_messages_needs_a_label_in_its_first_line():
    source = 'print("$ docker load -i myapp.tar")\nprint("Loaded image: myapp:1.0")'
    unlabelled = new_code_cell(source, outputs=[new_output("stream", name="stdout", text="$ docker load\n")])
    assert made_up(unlabelled)[0].problem() is not None
    labelled = new_code_cell(
        source, outputs=[new_output("stream", name="stdout", text="예상 출력 (imagelib의 모형 값)\n$ docker load\n")]
    )
    assert made_up(labelled)[0].problem() is None
    assert made_up(new_code_cell('print(f"{digest.short}  올림 (Pushed)")')) == []


# -- the course ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_output_shown_is_labelled_or_real(path):
    nb = nbformat.read(path, as_version=4)
    problems = [
        f"{path.name} 셀 {shown.cell}: {shown.problem()}\n{shown.text.strip()[:200]}"
        for shown in shown_outputs(nb, path.name)
        if shown.problem()
    ]
    assert not problems, "\n\n".join(problems)
