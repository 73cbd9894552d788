"""How many students one machine holds: N student servers on the class's JupyterHub, the course open.

    sudo python benchmarks/classroom.py --students 10            # as root: it makes throwaway accounts

Starts the classroom's JupyterHub (classroom/trial.py: configurable-http-proxy from npm, real Linux
accounts, the memory cgroup per student) with N students, starts all N servers at once through the
hub's API (a class arriving) and times each until ready, then in every student's server pulls the
course with nbgitpuller and runs notebook 02 in a kernel, film widget included. With every kernel
still running it reads the resident memory (RSS) of each student's processes: the single-user
server and the kernel, and the student's memory cgroup where there is one (RSS + page cache the
student caused). Prints a table and the class size the machine holds: (total memory - the hub's
own - a quarter kept free) / the largest student's total. Everything it started is stopped and
every account it made is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "classroom"))

import memory_limit  # noqa: E402
from trial import Kernel, TrialClass, trial_class  # noqa: E402

MIB = 1024 * 1024
NOTEBOOK = "notebooks/02_layers_as_films.ipynb"
FOLDER = "imagelib-course"


def processes() -> list[dict]:
    """Every process: pid, parent, owner, resident bytes and command line (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            rss_pages = int((entry / "statm").read_text().split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            uid = entry.stat().st_uid
        except (OSError, IndexError, ValueError):
            continue  # it ended while being read
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        rss = rss_pages * os.sysconf("SC_PAGE_SIZE")
        found.append({"pid": int(entry.name), "ppid": parent, "uid": uid, "rss": rss, "command": command})
    return found


def rss_by_role(uid: int) -> dict[str, int]:
    """Resident bytes of ``uid``'s processes: the single-user server, its kernels, anything else."""
    found = {"server": 0, "kernel": 0, "other": 0}
    for process in processes():
        if process["uid"] == uid:
            command = process["command"]
            role = "server" if "jupyterhub.singleuser" in command else "kernel" if "ipykernel" in command else "other"
            found[role] += process["rss"]
    return found


def cgroup_usage(name: str) -> int | None:
    found = memory_limit.students_cgroup()
    if found is None:
        return None
    usage = found[0] / name / ("memory.usage_in_bytes" if found[1] == "memory.limit_in_bytes" else "memory.current")
    return int(usage.read_text()) if usage.exists() else None


def process_rss(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def hub_rss(config: Path) -> int:
    """RSS of the hub and what it runs as root (the proxy, the idle culler); not the students' servers."""
    table = processes()
    hubs = [p["pid"] for p in table if str(config) in p["command"]]
    family, added = set(hubs), True
    while added:
        children = {p["pid"] for p in table if p["ppid"] in family} - family
        family |= children
        added = bool(children)
    return sum(p["rss"] for p in table if p["pid"] in family and p["uid"] == 0)


def open_the_course(trial: TrialClass, name: str) -> Kernel:
    """nbgitpuller's pull, then notebook 02 run in a kernel left running (a student mid-lesson)."""
    import json

    import nbformat

    query = {"repo": trial.repo, "branch": trial.branch, "targetpath": FOLDER}
    answer = trial.user_api(name, "GET", "/git-pull/api", params=query, stream=True)
    events = [json.loads(line[5:]) for line in answer.iter_lines(decode_unicode=True) if line.startswith("data:")]
    if not events or events[-1].get("phase") != "finished":
        raise RuntimeError(f"{name}: nbgitpuller가 끝나지 않았습니다: {events[-2:]}")
    notebook = nbformat.read(trial.home(name) / FOLDER / NOTEBOOK, as_version=4)
    kernel = Kernel(trial, name)
    kernel.run(f"import os; os.chdir(os.path.expanduser('~/{FOLDER}/notebooks'))")
    for cell in notebook.cells:
        if cell.cell_type == "code":
            failed = [m for m in kernel.run(cell.source) if m["msg_type"] == "error"]
            if failed:
                raise RuntimeError(f"{name}: 노트북 02 셀이 실패했습니다: {failed[0]['content']['evalue']}")
    return kernel


def memory_total() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("/proc/meminfo에 MemTotal이 없습니다")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--mem-limit", default="2G")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("root로 실행하세요: 학생 계정을 만들어야 합니다")
    with trial_class(ROOT, students=args.students, mem_limit=args.mem_limit, timeout=600) as trial:
        ready = trial.start_servers(trial.students)
        started = time.monotonic()
        kernels = [open_the_course(trial, name) for name in trial.students]
        course_seconds = time.monotonic() - started
        rows = []
        for name in trial.students:
            import pwd

            roles = rss_by_role(pwd.getpwnam(name).pw_uid)
            rows.append((name, ready[name], roles, cgroup_usage(name)))
        hub_bytes = hub_rss(str(trial.base))
        for kernel in kernels:
            kernel.close()

    print(f"{'학생':<16}{'준비(초)':>10}{'서버 RSS':>12}{'커널 RSS':>12}{'합계 RSS':>12}{'cgroup':>12}")
    for name, seconds, roles, usage in rows:
        total = sum(roles.values())
        cgroup = f"{usage / MIB:.0f} MiB" if usage is not None else "-"
        print(
            f"{name:<16}{seconds:>10.1f}{roles['server'] / MIB:>8.0f} MiB{roles['kernel'] / MIB:>8.0f} MiB"
            f"{total / MIB:>8.0f} MiB{cgroup:>12}"
        )
    totals = [sum(roles.values()) for _name, _s, roles, _u in rows]
    largest = max(max(totals), *(u for *_rest, u in rows if u is not None))
    usable = memory_total() * 3 // 4 - hub_bytes
    print(
        f"\n{args.students}명이 한꺼번에 서버를 시작: 준비까지 중앙값 {statistics.median(ready.values()):.1f}초,"
        f" 가장 늦은 학생 {max(ready.values()):.1f}초"
    )
    print(f"모두 노트북 02를 받아 실행하는 데 {course_seconds:.0f}초 (한 명씩 차례로)")
    print(f"학생 한 명: 평균 {statistics.mean(totals) / MIB:.0f} MiB, 가장 큰 학생 {largest / MIB:.0f} MiB")
    print(f"허브 + 프록시 + 정리 서비스: {hub_bytes / MIB:.0f} MiB, 기계 메모리 {memory_total() / 1024**3:.1f} GiB")
    print(f"메모리로 본 수용 인원 (4분의 1은 비워 둠): {usable // largest}명")


if __name__ == "__main__":
    main()
