"""The type checker: mypy with the settings in pyproject.toml (strict for the core modules)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from paths import PROJECT_ROOT

ROOT = PROJECT_ROOT

# Strict, and never to be relaxed in pyproject.toml's [[tool.mypy.overrides]].
CORE = (
    "imagelib.analyze",
    "imagelib.commit_changes",
    "imagelib.container",
    "imagelib.digest",
    "imagelib.display",
    "imagelib.entries",
    "imagelib.errors",
    "imagelib.filetree",
    "imagelib.readonly",
    "imagelib.reference",
    "imagelib.oci",
    "imagelib.image",
    "imagelib.imageindex",
    "imagelib.formats.choice",
    "imagelib.formats.docker",
    "imagelib.formats.oci_layout",
    "imagelib.formats.opening",
    "imagelib.modelfile",
    "imagelib.pathmatch",
    "imagelib.streams",
    "imagelib.blob",
    "imagelib.layerscan",
    "imagelib.fasttar",
    "imagelib.tario",
    "imagelib.limits",
    "imagelib.layer",
    "imagelib.formats.archive",
    "imagelib.formats.saving",
    "imagelib.formats.unpack",
    "imagelib.store",
    "imagelib.store.atomic",
    "imagelib.store.disk",
    "imagelib.store.layout",
    "imagelib.store.memory",
    "imagelib.registry",
    "imagelib.registry.auth",
    "imagelib.registry.bounds",
    "imagelib.registry.client",
    "imagelib.registry.local",
    "imagelib.registry.memory",
    "imagelib.registry.progress",
    "imagelib.registry.report",
    "imagelib.registry.transport",
    "imagelib.sbom",
    "imagelib.sbom.apk",
    "imagelib.sbom.context",
    "imagelib.sbom.cyclonedx",
    "imagelib.sbom.document",
    "imagelib.sbom.dpkg",
    "imagelib.sbom.licenses",
    "imagelib.sbom.model",
    "imagelib.sbom.npm",
    "imagelib.sbom.purl",
    "imagelib.sbom.python",
    "imagelib.sbom.records",
    "imagelib.sbom.spdx",
)


def mypy_settings() -> dict:
    pyprojecttoml = pytest.importorskip("setuptools.config.pyprojecttoml")
    return pyprojecttoml.load_file(ROOT / "pyproject.toml")["tool"]["mypy"]


def covers(pattern: str, module: str) -> bool:
    if pattern.endswith(".*"):
        return module == pattern[:-2] or module.startswith(pattern[:-1])
    return module == pattern


@pytest.mark.slow
def test_mypy_finds_no_errors():
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy가 없어 타입 검사를 건너뜁니다 (pip install -r requirements-test.txt)")
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"mypy:\n{result.stdout}{result.stderr}"


def test_core_modules_are_strict():
    settings = mypy_settings()
    assert settings["strict"] is True  # mypy's strict is global: the overrides below only relax
    for override in settings.get("overrides", []):
        patterns = override["module"] if isinstance(override["module"], list) else [override["module"]]
        relaxed = [m for m in CORE for p in patterns if covers(p, m)]
        assert not relaxed, f"core modules relaxed by an override: {relaxed}"
    excluded = settings.get("untyped_calls_exclude", [])
    assert not [m for m in CORE for p in excluded if covers(p + ".*", m)]


def test_core_modules_exist():
    for module in CORE:
        path = ROOT / module.replace(".", "/")
        assert path.with_suffix(".py").is_file() or (path / "__init__.py").is_file(), module
