"""The project's promises to a newcomer: README's two commands, CI running the same test command."""

import re

from paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands():
    return re.findall(r"```bash\n(.+?)\n```", README)


def test_readme_has_exactly_two_setup_commands():
    install, test = readme_commands()[:2]
    assert "pip install -r requirements.txt" in install and "jupyter lab" in install
    assert test == "python -m pytest --nbval"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_requirements_install_the_course_and_imagelib():
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    names = {re.split(r"[<>=!~ ]", line)[0].lower() for line in lines if line and not line.startswith("#")}
    for needed in ("jupyterlab", "ipywidgets", "matplotlib", "nbval", "pytest", "hypothesis", "-e"):
        assert needed in names


def test_readme_lists_every_notebook_and_only_existing_ones():
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    linked = sorted(set(re.findall(r"\(notebooks/([0-9]{2}_[a-z0-9_]+\.ipynb)\)", README)))
    assert linked == notebooks


def test_every_notebook_has_a_solutions_notebook():
    for notebook in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"):
        solution = ROOT / "notebooks" / "solutions" / f"{notebook.stem}_solutions.ipynb"
        assert solution.exists(), f"{notebook.name}의 풀이 노트북이 없습니다"


def test_readme_python_example_runs():
    (example,) = re.findall(r"## imagelib 한눈에\n\n```python\n(.+?)\n```", README, flags=re.S)
    exec(compile(example, "README.md", "exec"), {})  # noqa: S102 (README's own example)
