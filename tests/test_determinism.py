"""Same inputs, same digests: in this process, in other processes, and under other Pythons."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from determinism_probe import build

PROBE = Path(__file__).parent / "support" / "determinism_probe.py"


def run_probe(python: str, seed: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = seed
    done = subprocess.run([python, str(PROBE)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def expected() -> dict:
    image = build()
    return {"id": str(image.id), "digest": str(image.digest), "diff_ids": [str(d) for d in image.diff_ids]}


def test_same_image_twice_in_one_process():
    assert build().digest == build().digest


@pytest.mark.parametrize("seed", ["1", "4242"])
def test_same_digests_in_another_process_with_another_hash_seed(seed):
    assert run_probe(sys.executable, seed) == expected()


def _other_pythons():
    root = Path.home() / ".pyenv" / "versions"
    found = []
    for minor in ("3.10", "3.12", "3.13"):
        candidates = sorted(root.glob(f"{minor}.*/bin/python{minor}")) if root.exists() else []
        found.append(pytest.param(str(candidates[-1]) if candidates else None, id=minor))
    return found


@pytest.mark.parametrize("python", _other_pythons())
def test_same_digests_under_other_python_versions(python):
    if python is None:
        pytest.skip("이 Python 버전이 설치되어 있지 않아 건너뜁니다 (pyenv에서 찾지 못함)")
    assert run_probe(python, "7") == expected()
