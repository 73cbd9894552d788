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
import json
import os
import pwd
import statistics
import sys
import time
from pathlib import Path

import nbformat

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
        fields = stat[stat.rindex(")") + 2 :].split()
        rss = rss_pages * os.sysconf("SC_PAGE_SIZE")
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        found.append(
            {"pid": int(entry.name), "ppid": int(fields[1]), "uid": uid, "rss": rss, "cpu": cpu, "command": command}
        )
    return found


def usage_by_role(uid: int, what: str) -> dict[str, float]:
    """``what`` (rss bytes or cpu seconds) of ``uid``'s processes: the server, its kernels, the rest."""
    found = {"server": 0.0, "kernel": 0.0, "other": 0.0}
    for process in processes():
        if process["uid"] == uid:
            command = process["command"]
            role = "server" if "jupyterhub.singleuser" in command else "kernel" if "ipykernel" in command else "other"
            found[role] += process[what]
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
        uids = {name: pwd.getpwnam(name).pw_uid for name in trial.students}
        ready = trial.start_servers(trial.students)
        start_cpu = {name: sum(usage_by_role(uid, "cpu").values()) for name, uid in uids.items()}
        started = time.monotonic()
        kernels = [open_the_course(trial, name) for name in trial.students]
        course_seconds = time.monotonic() - started
        rows = []
        for name, uid in uids.items():
            cpu = sum(usage_by_role(uid, "cpu").values()) - start_cpu[name]
            rows.append((name, ready[name], start_cpu[name], cpu, usage_by_role(uid, "rss"), cgroup_usage(name)))
        hub_bytes = hub_rss(trial.base / "jupyterhub_trial_config.py")
        for kernel in kernels:
            kernel.close()
    report(rows, hub_bytes, course_seconds)


def report(rows: list[tuple], hub_bytes: int, course_seconds: float) -> None:
    head = ["학생", "준비(초)", "시작 CPU초", "02 CPU초", "서버 RSS", "커널 RSS", "합계 RSS", "cgroup"]
    print("| " + " | ".join(head) + " |")
    print("|:---|" + "---:|" * (len(head) - 1))
    for name, seconds, start_cpu, lesson_cpu, rss, usage in rows:
        cgroup = f"{usage / MIB:.0f} MiB" if usage is not None else "-"
        cells = [name, f"{seconds:.1f}", f"{start_cpu:.1f}", f"{lesson_cpu:.1f}"]
        cells += [f"{rss['server'] / MIB:.0f} MiB", f"{rss['kernel'] / MIB:.0f} MiB"]
        cells += [f"{sum(rss.values()) / MIB:.0f} MiB", cgroup]
        print("| " + " | ".join(cells) + " |")
    ready = [row[1] for row in rows]
    totals = [sum(row[4].values()) for row in rows]
    largest = max([*totals, *(row[5] for row in rows if row[5] is not None)])
    start_cpu = statistics.mean(row[2] for row in rows)
    lesson_cpu = statistics.mean(row[3] for row in rows)
    cores = os.cpu_count() or 1
    print(
        f"\n{len(rows)}명이 한꺼번에 서버를 시작: 준비까지 중앙값 {statistics.median(ready):.1f}초,"
        f" 가장 늦은 학생 {max(ready):.1f}초"
    )
    print(f"모두 노트북 02를 받아 실행하는 데 {course_seconds:.0f}초 (한 명씩 차례로)")
    print(f"학생 한 명: 서버 시작 CPU {start_cpu:.1f}초, 노트북 02 전체 실행 CPU {lesson_cpu:.1f}초")
    print(f"학생 한 명의 메모리: 평균 {statistics.mean(totals) / MIB:.0f} MiB, 가장 큰 학생 {largest / MIB:.0f} MiB")
    machine = f"기계 메모리 {memory_total() / 1024**3:.1f} GiB, 코어 {cores}개"
    print(f"허브 + 프록시 + 정리 서비스: {hub_bytes / MIB:.0f} MiB, {machine}")
    usable = memory_total() * 3 // 4 - hub_bytes
    print(f"메모리로 본 수용 인원 (4분의 1은 비워 둠): {int(usable // largest)}명")
    print(
        f"CPU로 본 기다림: N명이 동시에 서버를 시작하면 약 N × {start_cpu / cores:.1f}초,"
        f" 동시에 노트북 02를 모두 실행하면 약 N × {lesson_cpu / cores:.1f}초"
    )


if __name__ == "__main__":
    main()
