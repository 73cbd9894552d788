"""A per-student memory limit for JupyterHub's LocalProcessSpawner.

LocalProcessSpawner only passes ``mem_limit`` to the server as MEM_LIMIT; nothing enforces it.
``LimitedSpawner`` enforces it: before the student's server starts (still as root, in the forked
child, before it becomes the student), the process joins its own memory cgroup whose limit is
``mem_limit``. The server's kernels, terminals and every program they start inherit that cgroup, so
the limit is for the student's whole server: past it the kernel's OOM killer ends the largest
process in the cgroup (usually the kernel that asked for too much), not the hub or other students.

Where no memory cgroup can be written (not root, no cgroup filesystem), each process gets
RLIMIT_AS = ``mem_limit`` instead: allocations beyond it fail with MemoryError, but the limit is
per process (a student with three kernels may use three times the limit) and counts address space,
not memory really used.
"""

from __future__ import annotations

import os
import resource
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner

CGROUP_ROOT = Path("/sys/fs/cgroup")
GROUP_NAME = "jupyterhub-students"


def own_cgroup_v1(controller: str) -> "str | None":
    """This process's cgroup path in the cgroup v1 hierarchy of ``controller`` (e.g. memory)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _number, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            return path
    return None


def students_cgroup() -> "tuple[Path, str] | None":
    """The folder the students' cgroups go in and the limit file's name, or None where there is none."""
    unified = CGROUP_ROOT / "cgroup.controllers"
    if unified.exists() and "memory" in unified.read_text().split():
        parent = CGROUP_ROOT / GROUP_NAME
        try:
            parent.mkdir(exist_ok=True)
            # cgroup v2: a child gets a memory limit only if each parent hands the controller down.
            (CGROUP_ROOT / "cgroup.subtree_control").write_text("+memory")
            (parent / "cgroup.subtree_control").write_text("+memory")
        except OSError:
            return None
        return parent, "memory.max"
    v1 = CGROUP_ROOT / "memory"
    own = own_cgroup_v1("memory")
    if own is None or not (v1 / "memory.limit_in_bytes").exists():
        return None
    parent = v1 / own.lstrip("/") / GROUP_NAME
    try:
        parent.mkdir(exist_ok=True)
    except OSError:
        return None
    return parent, "memory.limit_in_bytes"


def enter_limit(group: "Path | None", limit: int) -> None:
    """Put this process under the student's limit: into their cgroup ``group``, or, where there is
    none, under RLIMIT_AS = ``limit`` bytes (0: no limit). Its children inherit either."""
    if group is not None:
        (group / "cgroup.procs").write_text(str(os.getpid()))
    elif limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class LimitedSpawner(LocalProcessSpawner):
    """LocalProcessSpawner whose ``mem_limit`` is enforced (a memory cgroup per student)."""

    def student_cgroup(self) -> "Path | None":
        found = students_cgroup() if self.mem_limit else None
        if found is None:
            return None
        parent, limit_file = found
        group = parent / self.user.name
        try:
            group.mkdir(exist_ok=True)
            (group / limit_file).write_text(str(self.mem_limit))
        except OSError as error:
            self.log.warning("No memory cgroup for %s (%s): RLIMIT_AS per process instead", self.user.name, error)
            return None
        return group

    def make_preexec_fn(self, name):
        become_student = super().make_preexec_fn(name)
        group = self.student_cgroup()
        limit = self.mem_limit

        def preexec():
            # Runs in the forked child, still root: take the limit first, then drop to the student.
            enter_limit(group, limit)
            become_student()

        return preexec

    async def stop(self, now=False):
        await super().stop(now=now)
        found = students_cgroup() if self.mem_limit else None
        if found is not None:
            try:
                (found[0] / self.user.name).rmdir()
            except OSError:
                pass  # a process of the student's is still ending; the next start reuses the folder
