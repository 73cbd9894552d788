"""The code keeps one style: ruff's lint rules and ruff's formatter (settings in pyproject.toml)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from paths import PROJECT_ROOT

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("ruff") is None,
    reason="ruff가 설치되어 있지 않아 건너뜁니다 (pip install -r requirements-test.txt)",
)


def ruff(*args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )


def test_ruff_finds_nothing_to_fix():
    done = ruff("check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_code_is_formatted_with_ruff_format():
    done = ruff("format", "--check", "--no-cache", ".")
    assert done.returncode == 0, "ruff format --check:\n" + done.stdout + done.stderr
