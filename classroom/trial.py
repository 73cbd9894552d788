"""A throwaway class on this machine: the classroom's JupyterHub on 127.0.0.1 with new accounts.

Used by the end-to-end test (tests/classroom/test_hub.py) and the benchmark
(benchmarks/classroom.py). ``trial_class()`` makes one teacher and N student accounts
(accounts.py), a bare copy of the course repository for nbgitpuller, and starts
``jupyterhub -f jupyterhub_config.py`` (with configurable-http-proxy from npm) on free ports, plus
an API token for the caller. On leaving it stops the hub and every server, removes the accounts,
their group and cgroups, and the temporary folder, and puts back any folder mode it changed.
Run as root.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import accounts
import memory_limit
import requests
import websocket

HERE = Path(__file__).resolve().parent
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"

CONFIG = """
c = get_config()
load_subconfig({config!r})
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.Spawner.environment["GIT_CONFIG_SYSTEM"] = {gitconfig!r}
c.JupyterHub.services.append({{"name": "class-trial", "api_token": {token!r}}})
c.JupyterHub.load_roles.append(
    {{"name": "class-trial", "scopes": ["admin:users", "admin:servers", "access:servers"],
      "services": ["class-trial"]}}
)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, check: Callable[[], object], seconds: float, every: float = 0.5) -> object:
    """``check()``'s first true answer; TimeoutError naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = check()
        if answer:
            return answer
        time.sleep(every)
    raise TimeoutError(f"{what}: {seconds:.0f}초 안에 되지 않았습니다")


@dataclass
class TrialClass:
    url: str
    token: str
    base: Path
    log: Path
    teacher: str
    students: list[str]
    passwords: dict[str, str]
    repo: str
    branch: str
    server_env: dict[str, str]
    timeout: float = 120

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=60, **kwargs)

    def user_api(self, name: str, method: str, path: str, **kwargs) -> requests.Response:
        return self.api(method, f"/user/{name}{path}", **kwargs)

    def home(self, name: str) -> Path:
        return Path(pwd.getpwnam(name).pw_dir)

    def server_ready(self, name: str) -> bool:
        server = self.api("GET", f"/hub/api/users/{name}").json().get("servers", {}).get("")
        return bool(server and server.get("ready"))

    def server_running(self, name: str) -> bool:
        """True while the user has a server, starting or ready (False once it was stopped)."""
        return "" in self.api("GET", f"/hub/api/users/{name}").json().get("servers", {})

    def start_servers(self, names: list[str]) -> dict[str, float]:
        """Start the servers not running yet, all at once (a class arriving); seconds from each
        request to that server being ready."""
        for name in names:
            if self.api("GET", f"/hub/api/users/{name}").status_code == 404:  # not signed in yet: add them
                self.api("POST", f"/hub/api/users/{name}").raise_for_status()
        waiting = [name for name in names if not self.server_ready(name)]
        asked = {name: time.monotonic() for name in waiting}
        # The hub answers a start request only after up to 10 s (slow_spawn_timeout): ask in parallel.
        with ThreadPoolExecutor(max_workers=max(len(waiting), 1)) as pool:
            answers = list(pool.map(lambda name: self.api("POST", f"/hub/api/users/{name}/server"), waiting))
        for name, answer in zip(waiting, answers, strict=True):
            if answer.status_code not in (201, 202, 400):  # 400: already starting
                raise RuntimeError(f"{name}의 서버를 시작하지 못했습니다: {answer.text}")
        ready = {}
        deadline = time.monotonic() + self.timeout
        while len(ready) < len(asked) and time.monotonic() < deadline:
            for name in asked.keys() - ready.keys():
                if self.server_ready(name):
                    ready[name] = time.monotonic() - asked[name]
            time.sleep(0.2)
        if len(ready) < len(asked):
            raise TimeoutError(
                f"{sorted(asked.keys() - ready.keys())}의 서버가 {self.timeout:.0f}초 안에 뜨지 않았습니다"
            )
        return ready

    def as_teacher(self, *command: str) -> str:
        """Run a command as the teacher's account, with the environment their server has."""
        done = subprocess.run(
            ["runuser", "-u", self.teacher, "--", *command],
            cwd=self.home(self.teacher),
            env={**os.environ, **self.server_env},
            capture_output=True,
            text=True,
            timeout=self.timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}")
        return done.stdout + done.stderr


class Kernel:
    """A kernel on a student's server, driven over its websocket through the hub's proxy."""

    def __init__(self, hub: TrialClass, name: str) -> None:
        self.hub, self.name = hub, name
        answer = hub.user_api(name, "POST", "/api/kernels", json={"name": "python3"})
        answer.raise_for_status()
        self.id = answer.json()["id"]
        url = hub.url.replace("http://", "ws://") + f"/user/{name}/api/kernels/{self.id}/channels"
        self.socket = websocket.create_connection(
            url, header=[f"Authorization: token {hub.token}"], timeout=hub.timeout
        )
        self.session = uuid.uuid4().hex

    def run(self, code: str) -> list[dict]:
        """Run ``code``; the iopub messages it caused, up to its idle status (or the kernel's restart)."""
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": "execute_request", "session": self.session, "username": self.name}
        request = {
            "header": {**header, "date": "", "version": "5.3"},
            "parent_header": {},
            "metadata": {},
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {}},
            "channel": "shell",
            "buffers": [],
        }
        self.socket.send(json.dumps(request))
        seen = []
        deadline = time.monotonic() + self.hub.timeout
        while time.monotonic() < deadline:
            raw = self.socket.recv()
            if isinstance(raw, bytes):
                continue  # a widget's comm message with binary buffers (the film pictures)
            message = json.loads(raw)
            state = message.get("content", {}).get("execution_state")
            if message.get("channel") == "iopub" and state in ("restarting", "dead"):
                seen.append(message)
                return seen
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            seen.append(message)
            if message["msg_type"] == "status" and state == "idle":
                return seen
        raise TimeoutError(f"커널이 {self.hub.timeout:.0f}초 안에 끝내지 않았습니다: {code[:80]}")

    def close(self) -> None:
        self.socket.close()
        self.hub.user_api(self.name, "DELETE", f"/api/kernels/{self.id}")


def blocked_folders(path: Path) -> list[Path]:
    """Folders on the way to ``path`` that other accounts cannot enter (Python under /root, for one)."""
    return [folder for folder in [path, *path.parents] if not folder.stat().st_mode & stat.S_IXOTH]


@contextlib.contextmanager
def enterable_by_others(paths: list[Path]) -> Iterator[None]:
    """Let other accounts enter (x only) the folders on the way to ``paths``; put the modes back after."""
    modes = {folder: folder.stat().st_mode for path in paths for folder in blocked_folders(path)}
    try:
        for folder, mode in modes.items():
            folder.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)
        yield
    finally:
        for folder, mode in modes.items():
            folder.chmod(stat.S_IMODE(mode))


def kill_processes_of(uids: set[int]) -> None:
    """End what the trial's accounts still run (their servers and kernels), by pid."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid in uids:
                    os.kill(int(entry.name), 9)


def bare_course(base: Path, project: Path) -> tuple[str, str]:
    """A bare copy of ``project``'s repository (its HEAD as branch ``course``), to clone with file://."""
    bare = base / "course.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(project), str(bare)], check=True)
    head = subprocess.run(["git", "-C", str(project), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    subprocess.run(["git", "--git-dir", str(bare), "update-ref", "refs/heads/course", head.stdout.strip()], check=True)
    # The students' git refuses a repository another account owns unless system config says it is safe.
    (base / "gitconfig").write_text(f"[safe]\n\tdirectory = {bare}\n")
    subprocess.run(["chmod", "-R", "a+rX", str(base)], check=True)
    return f"file://{bare}", "course"


def stop_process(process: subprocess.Popen, timeout: float) -> None:
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def trial_class(
    project: Path,
    students: int = 5,
    mem_limit: str = "1G",
    course_id: str = "imagelib-trial",
    timeout: float = 120,
    idle_timeout: int = 3600,
) -> Iterator[TrialClass]:
    """A running class of one teacher and ``students`` students, undone on leaving. The idle culler
    stops a server nobody used for ``idle_timeout`` seconds, as CLASSROOM_IDLE_TIMEOUT says."""
    base = Path(tempfile.mkdtemp(prefix="imagelib-class-"))
    base.chmod(0o755)  # the students' servers read the course copy and the exchange in it
    prefix = "ilc" + secrets.token_hex(2)
    teacher, names, group = f"{prefix}-teacher", [f"{prefix}-s{i}" for i in range(1, students + 1)], f"{prefix}-class"
    token, port = secrets.token_hex(24), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(project),  # the students' kernels import this checkout's imagelib
        "CLASSROOM_GROUP": group,
        "CLASSROOM_TEACHERS": teacher,
        "CLASSROOM_MEM_LIMIT": mem_limit,
        "CLASSROOM_STATE": str(base / "state"),
        "CLASSROOM_EXCHANGE": str(base / "exchange"),
        "CLASSROOM_COURSE_ID": course_id,
        "CLASSROOM_IDLE_TIMEOUT": str(idle_timeout),
    }
    config, log = base / "jupyterhub_trial_config.py", base / "jupyterhub.log"
    hub = None
    with enterable_by_others([Path(sys.prefix), project]):
        try:
            passwords = accounts.add([teacher, *names], group)
            repo, branch = bare_course(base, project)
            config.write_text(
                CONFIG.format(
                    config=str(HERE / "jupyterhub_config.py"),
                    port=port,
                    hub_port=free_port(),
                    api_port=free_port(),
                    gitconfig=str(base / "gitconfig"),
                    token=token,
                )
            )
            with log.open("wb") as sink:
                command = [sys.executable, "-m", "jupyterhub", "-f", str(config)]
                hub = subprocess.Popen(command, cwd=base, env=env, stdout=sink, stderr=subprocess.STDOUT)
            url = f"http://127.0.0.1:{port}"

            def up() -> bool:
                if hub.poll() is not None:
                    raise RuntimeError(f"JupyterHub이 시작하지 못했습니다:\n{log.read_text(errors='replace')[-4000:]}")
                with contextlib.suppress(requests.RequestException):
                    return requests.get(f"{url}/hub/api", timeout=2).ok
                return False

            wait_for("JupyterHub 시작", up, timeout)
            server_env = {key: value for key, value in env.items() if key.startswith("CLASSROOM_")}
            server_env.update(PYTHONPATH=str(project), JUPYTER_CONFIG_PATH=str(HERE / "jupyter"))
            yield TrialClass(url, token, base, log, teacher, names, passwords, repo, branch, server_env, timeout)
        finally:
            if hub is not None:
                stop_process(hub, timeout=60)  # the hub stops every server it started
            uids = set()
            for name in [teacher, *names]:
                with contextlib.suppress(KeyError):
                    uids.add(pwd.getpwnam(name).pw_uid)
            kill_processes_of(uids)
            accounts.remove([teacher, *names])
            subprocess.run(["groupdel", group], check=False, capture_output=True)
            remove_cgroups(prefix)
            if log.exists():  # kept for whoever reads a failure (test-artifacts/ is not committed)
                (project / "test-artifacts").mkdir(exist_ok=True)
                shutil.copyfile(log, project / "test-artifacts" / "classroom-jupyterhub.log")
            shutil.rmtree(base, ignore_errors=True)


def remove_cgroups(prefix: str) -> None:
    with contextlib.suppress(OSError):
        found = memory_limit.students_cgroup()
        if found is not None:
            for child in found[0].iterdir():
                if child.is_dir() and child.name.startswith(prefix):
                    child.rmdir()
            found[0].rmdir()  # only when empty: no other class is running on this machine
