"""The core installs and works without the extras, and the package has one version number."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import textwrap
import warnings

import pytest
from paths import PROJECT_ROOT

import imagelib

ROOT = PROJECT_ROOT

# What the extras bring along without being extras themselves (ipywidgets -> IPython, matplotlib -> numpy).
BROUGHT_BY_EXTRAS = ("IPython", "numpy")

# Run before `import imagelib`: every import of a blocked top-level module fails, as if not installed.
BLOCKER = """
import importlib.abc
import sys

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
for name in BLOCKED:
    try:
        __import__(name)
    except ModuleNotFoundError:
        pass
    else:
        raise SystemExit(f"the blocker let {name} be imported")
"""

CORE_USE = """
import tempfile
from pathlib import Path

import imagelib as il

layer = il.Layer.from_files({"app/hello.txt": "안녕하세요\\n",
                             "app/run.sh": il.File(b"#!/bin/sh\\n", mode=0o755)},
                            deleted=["app/old.txt"], created_by="COPY . /app")
image = il.Image.scratch().add_layer(layer).with_config(cmd=["/app/run.sh"], env={"A": "1"})
box = il.Container(image)
box.write("app/hello.txt", "반갑습니다\\n")
committed = box.commit(message="인사말 변경")
with tempfile.TemporaryDirectory() as folder:
    layout = Path(folder) / "layout"
    il.save(committed, layout, format="oci")
    again = il.open(layout)
    store = il.Store(Path(folder) / "store")
    store.put(again, "demo:1.0")
    from_store = store.get("demo:1.0")
    assert again.digest == committed.digest and from_store.digest == committed.digest
    assert again.rootfs().read_text("app/hello.txt") == "반갑습니다\\n"
    assert il.analyze(again).efficiency <= 1.0
built = il.build("FROM scratch\\nCOPY hello.txt /\\n", context={"hello.txt": "hi\\n"}).image
assert built.rootfs().read_text("hello.txt") == "hi\\n"
print("core ok")
"""


def extras_import_names() -> "list[str]":
    """Top-level module names of every package in pyproject's optional dependencies."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = text.split("[project.optional-dependencies]", 1)[1].split("\n[", 1)[0]
    names = re.findall(r'^\s*"([A-Za-z0-9_.-]+)', section, flags=re.MULTILINE)
    assert names, "pyproject.toml has no optional dependencies"
    return sorted({name.replace("-", "_") for name in names})


def run_without(blocked: "list[str]", code: str) -> subprocess.CompletedProcess:
    program = f"BLOCKED = {blocked!r}\n" + BLOCKER + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_extras_are_figures_widgets_and_progress_bars():
    assert extras_import_names() == ["ipywidgets", "koreanize_matplotlib", "matplotlib", "tqdm"]


def test_core_works_without_any_extra():
    # The core must not need matplotlib, ipywidgets or tqdm: a learner or a server that only
    # reads, builds and stores images installs `imagelib` without the [viz] and [progress] extras.
    result = run_without(extras_import_names() + list(BROUGHT_BY_EXTRAS), CORE_USE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "core ok"


def test_the_blocker_catches_an_import_of_an_extra():
    # The same harness fails when imagelib code imports a blocked package (here: the widgets).
    result = run_without(["ipywidgets"], "import imagelib.viz.widgets\n")
    assert result.returncode != 0
    assert "No module named 'ipywidgets' (blocked by the test)" in result.stderr


def test_figures_and_widgets_without_the_viz_extra_say_what_to_install():
    result = run_without(
        extras_import_names(),
        """
        import imagelib as il

        image = il.Image.scratch()
        for use in (lambda: il.viz.films(image), lambda: il.viz.film_explorer(image)):
            try:
                use()
            except il.UnsupportedError as error:
                print(error)
            else:
                raise SystemExit("no error without the viz extra")
    """,
    )
    assert result.returncode == 0, result.stderr
    figures, widgets = result.stdout.splitlines()
    for message, package in ((figures, "matplotlib"), (widgets, "ipywidgets")):
        assert f"{package} 패키지가 필요한데" in message and "pip install 'imagelib[viz]'" in message


def test_pyproject_takes_the_version_from_the_package():
    pyprojecttoml = pytest.importorskip("setuptools.config.pyprojecttoml")
    path = ROOT / "pyproject.toml"
    written = pyprojecttoml.load_file(path)["project"]
    assert "version" not in written and "version" in written["dynamic"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # setuptools calls [tool.setuptools] in pyproject.toml "beta"
        built = pyprojecttoml.read_configuration(path, expand=True)["project"]
    assert built["version"] == imagelib.__version__


def test_installed_metadata_has_the_package_version():
    try:
        installed = importlib.metadata.version("imagelib")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("imagelib가 설치되어 있지 않아 설치 정보의 버전을 비교하지 않습니다")
    assert installed == imagelib.__version__, "버전이 바뀌었다면 pip install -e . 로 다시 설치하세요"
