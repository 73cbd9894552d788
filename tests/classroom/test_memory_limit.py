"""classroom/memory_limit.py where the hub test cannot go: the RLIMIT_AS fallback (a machine without
a writable memory cgroup), for real in a child process, and the cgroup v2 layout it writes.

The hub test runs every student's server in a real memory cgroup, on this machine a cgroup v1
one. A cgroup v2 memory controller cannot be had here (the v1 hierarchy holds it), so the v2
branch is checked only for the files it writes in a folder laid out like /sys/fs/cgroup; what
the kernel makes of them is not tested.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from paths import PROJECT_ROOT

pytest.importorskip("jupyterhub", reason="jupyterhub가 없어 건너뜁니다: pip install -r requirements-teacher.txt")
sys.path.insert(0, str(PROJECT_ROOT / "classroom"))
import memory_limit  # noqa: E402

LIMIT = 512 * 1024**2


def allocate_in_child(megabytes: int, group=None, limit: int = LIMIT) -> subprocess.CompletedProcess:
    """A Python child that takes the student's limit before it starts, then asks for ``megabytes``."""
    code = f"data = bytearray({megabytes} * 1024 * 1024); print(len(data))"
    return subprocess.run(
        [sys.executable, "-c", code],
        preexec_fn=lambda: memory_limit.enter_limit(group, limit),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_a_cgroup_each_process_gets_the_limit_as_rlimit_as():
    assert allocate_in_child(64).returncode == 0  # the interpreter and a small array fit
    refused = allocate_in_child(1024)
    assert refused.returncode != 0 and "MemoryError" in refused.stderr


def test_without_a_limit_nothing_is_set():
    assert allocate_in_child(1024, limit=0).returncode == 0


def test_cgroup_v2_hands_the_memory_controller_down_and_limits_memory_max(tmp_path, monkeypatch):
    (tmp_path / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (tmp_path / "cgroup.subtree_control").write_text("")
    monkeypatch.setattr(memory_limit, "CGROUP_ROOT", tmp_path)
    parent, limit_file = memory_limit.students_cgroup()
    assert (parent, limit_file) == (tmp_path / memory_limit.GROUP_NAME, "memory.max")
    assert (tmp_path / "cgroup.subtree_control").read_text() == "+memory"
    assert (parent / "cgroup.subtree_control").read_text() == "+memory"


def test_no_memory_controller_means_no_cgroup(tmp_path, monkeypatch):
    (tmp_path / "cgroup.controllers").write_text("cpu io pids\n")
    monkeypatch.setattr(memory_limit, "CGROUP_ROOT", tmp_path)
    monkeypatch.setattr(memory_limit, "own_cgroup_v1", lambda controller: None)
    assert memory_limit.students_cgroup() is None
