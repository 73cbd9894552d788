"""The course on a real JupyterHub (classroom/), end to end: one teacher and five students.

The hub runs classroom/jupyterhub_config.py itself, with configurable-http-proxy from npm, on
127.0.0.1 (free ports). The test makes the six Linux accounts with classroom/accounts.py (PAM signs
them in), starts every server through the hub's API, delivers the course with nbgitpuller from a
bare copy of this repository, runs notebook 02 in a student's kernel, shows its film widget in
JupyterLab in Debian's chromium, and goes through one nbgrader assignment: release, fetch, submit,
collect, autograde. Everything it starts, creates or changes is undone at the end. Skipped, with the
reason, without root (accounts, PAM), jupyterhub, nbgitpuller, nbgrader, the npm-installed proxy,
Playwright or chromium.
"""

from __future__ import annotations

import contextlib
import importlib.util
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
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from paths import PROJECT_ROOT
from processes import stop

CLASSROOM = PROJECT_ROOT / "classroom"
PROXY = CLASSROOM / "node_modules" / ".bin" / "configurable-http-proxy"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
COURSE_ID = "imagelib-test"
MEM_LIMIT = 1024**3
FOLDER = "imagelib-course"
NOTEBOOK_02 = "notebooks/02_layers_as_films.ipynb"
WAIT = 120  # seconds: the longest any one step may take on a loaded two-core machine

pytestmark = pytest.mark.slow


def missing() -> "str | None":
    if os.name != "posix" or os.geteuid() != 0:
        return "root가 아니어서 건너뜁니다: 학생 계정을 만들고 PAM으로 로그인해야 합니다"
    for module, package in [
        ("jupyterhub", "jupyterhub"),
        ("nbgitpuller", "nbgitpuller"),
        ("nbgrader", "nbgrader"),
        ("jupyterhub_idle_culler", "jupyterhub-idle-culler"),
        ("playwright", "playwright"),
        ("websocket", "websocket-client"),
        ("requests", "requests"),
    ]:
        if importlib.util.find_spec(module) is None:
            return f"{package}가 없어 건너뜁니다: pip install -r requirements-teacher.txt"
    if not PROXY.exists():
        return "configurable-http-proxy가 없어 건너뜁니다: npm ci --prefix classroom"
    if not CHROMIUM.exists():
        return f"chromium이 없어 건너뜁니다({CHROMIUM}): apt-get install chromium"
    if shutil.which("useradd") is None or shutil.which("git") is None:
        return "useradd나 git이 없어 건너뜁니다"
    return None


if missing():
    pytest.skip(missing(), allow_module_level=True)

import requests  # noqa: E402
import websocket  # noqa: E402
from playwright import sync_api  # noqa: E402

sys.path.insert(0, str(CLASSROOM))
import accounts  # noqa: E402
import memory_limit  # noqa: E402
import nbgitpuller_link  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, check, seconds: float = WAIT, every: float = 0.5):
    """``check()``'s first true answer, or a failure naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = check()
        if answer:
            return answer
        time.sleep(every)
    pytest.fail(f"{what}: {seconds:.0f}초 안에 되지 않았습니다")


@dataclass
class Hub:
    url: str
    token: str
    base: Path
    log: Path
    teacher: str
    students: "list[str]"
    passwords: "dict[str, str]"
    repo: str
    branch: str
    work: "dict[str, object]" = field(default_factory=dict)

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=60, **kwargs)

    def user_api(self, name: str, method: str, path: str, **kwargs) -> requests.Response:
        return self.api(method, f"/user/{name}{path}", **kwargs)

    def home(self, name: str) -> Path:
        return Path(pwd.getpwnam(name).pw_dir)

    def as_teacher(self, *command: str) -> str:
        """Run a command as the teacher's account, in the environment their server has."""
        env = {**os.environ, **self.work["server_env"]}  # type: ignore[dict-item]
        done = subprocess.run(
            ["runuser", "-u", self.teacher, "--", *command],
            cwd=self.home(self.teacher),
            env=env,
            capture_output=True,
            text=True,
            timeout=WAIT,
        )
        assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout + done.stderr


def blocked_folders(path: Path) -> "list[Path]":
    """Folders above ``path`` that other accounts cannot enter (Python under /root, for one)."""
    return [folder for folder in [path, *path.parents] if not folder.stat().st_mode & stat.S_IXOTH]


@contextlib.contextmanager
def enterable_by_students(paths: "list[Path]"):
    """The students' servers run this Python and this checkout: let other accounts enter (x only)
    the folders above them that they cannot, and put the modes back afterwards."""
    folders = {folder for path in paths for folder in blocked_folders(path)}
    modes = {folder: folder.stat().st_mode for folder in folders}
    try:
        for folder, mode in modes.items():
            folder.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)
        yield
    finally:
        for folder, mode in modes.items():
            folder.chmod(stat.S_IMODE(mode))


def kill_processes_of(uids: "set[int]") -> None:
    """End what the test's accounts still run (servers and kernels the test started), by pid."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid in uids:
                    os.kill(int(entry.name), 9)


def bare_course(base: Path) -> "tuple[str, str]":
    """A bare copy of this repository (its HEAD as branch ``course``) the students clone with file://."""
    bare = base / "course.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(PROJECT_ROOT), str(bare)], check=True)
    head = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    subprocess.run(["git", "--git-dir", str(bare), "update-ref", "refs/heads/course", head.stdout.strip()], check=True)
    # The students' git refuses a repository another account owns unless system config says it is safe.
    (base / "gitconfig").write_text(f"[safe]\n\tdirectory = {bare}\n")
    subprocess.run(["chmod", "-R", "a+rX", str(base)], check=True)
    return f"file://{bare}", "course"


TEST_CONFIG = """
c = get_config()
load_subconfig({config!r})
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.Spawner.environment["GIT_CONFIG_SYSTEM"] = {gitconfig!r}
c.JupyterHub.services.append({{"name": "classroom-test", "api_token": {token!r}}})
c.JupyterHub.load_roles.append(
    {{"name": "classroom-test", "scopes": ["admin:users", "admin:servers", "access:servers"],
      "services": ["classroom-test"]}}
)
"""


@pytest.fixture(scope="module")
def hub():
    base = Path(tempfile.mkdtemp(prefix="imagelib-classroom-"))
    base.chmod(0o755)  # the students' servers read the course copy and the exchange in it
    prefix = "ilc" + secrets.token_hex(2)
    teacher, students = f"{prefix}-teacher", [f"{prefix}-s{i}" for i in range(1, 6)]
    group = f"{prefix}-class"
    token = secrets.token_hex(24)
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),  # the students' kernels import this checkout's imagelib
        "CLASSROOM_GROUP": group,
        "CLASSROOM_TEACHERS": teacher,
        "CLASSROOM_MEM_LIMIT": "1G",  # = MEM_LIMIT
        "CLASSROOM_STATE": str(base / "state"),
        "CLASSROOM_EXCHANGE": str(base / "exchange"),
        "CLASSROOM_COURSE_ID": COURSE_ID,
    }
    config = base / "jupyterhub_test_config.py"
    log = base / "jupyterhub.log"
    hub_process = None
    with enterable_by_students([Path(sys.prefix), PROJECT_ROOT]):
        try:
            passwords = accounts.add([teacher, *students], group)
            repo, branch = bare_course(base)
            config.write_text(
                TEST_CONFIG.format(
                    config=str(CLASSROOM / "jupyterhub_config.py"),
                    port=port,
                    hub_port=free_port(),
                    api_port=free_port(),
                    gitconfig=str(base / "gitconfig"),
                    token=token,
                )
            )
            with log.open("wb") as sink:
                hub_process = subprocess.Popen(
                    [sys.executable, "-m", "jupyterhub", "-f", str(config)],
                    cwd=base,
                    env=env,
                    stdout=sink,
                    stderr=subprocess.STDOUT,
                )
            url = f"http://127.0.0.1:{port}"

            def up():
                if hub_process.poll() is not None:
                    pytest.fail(f"JupyterHub이 시작하지 못했습니다:\n{log.read_text(errors='replace')[-4000:]}")
                with contextlib.suppress(requests.RequestException):
                    return requests.get(f"{url}/hub/api", timeout=2).ok
                return False

            wait_for("JupyterHub 시작", up)
            server_env = {key: env[key] for key in env if key.startswith("CLASSROOM_") or key == "PYTHONPATH"}
            server_env["JUPYTER_CONFIG_PATH"] = str(CLASSROOM / "jupyter")
            found = Hub(url, token, base, log, teacher, students, passwords, repo, branch)
            found.work["server_env"] = server_env
            yield found
        finally:
            if hub_process is not None:
                stop(hub_process, timeout=60)  # the hub stops every server it started
            if log.exists():  # kept for a failure's reader (test-artifacts/ is not committed)
                (PROJECT_ROOT / "test-artifacts").mkdir(exist_ok=True)
                shutil.copyfile(log, PROJECT_ROOT / "test-artifacts" / "classroom-jupyterhub.log")
            uids = set()
            for name in [teacher, *students]:
                with contextlib.suppress(KeyError):
                    uids.add(pwd.getpwnam(name).pw_uid)
            kill_processes_of(uids)
            accounts.remove([teacher, *students])
            subprocess.run(["groupdel", group], check=False, capture_output=True)
            with contextlib.suppress(OSError):
                found_cgroup = memory_limit.students_cgroup()
                if found_cgroup is not None:
                    for child in found_cgroup[0].iterdir():
                        if child.is_dir() and child.name.startswith(prefix):
                            child.rmdir()
            shutil.rmtree(base, ignore_errors=True)


def start_server(hub: Hub, name: str) -> None:
    if hub.api("GET", f"/hub/api/users/{name}").status_code == 404:  # not signed in yet: the teacher adds them
        assert hub.api("POST", f"/hub/api/users/{name}").status_code == 201
    answer = hub.api("POST", f"/hub/api/users/{name}/server")
    assert answer.status_code in (201, 202, 400), answer.text  # 400: already running


def server_ready(hub: Hub, name: str) -> bool:
    model = hub.api("GET", f"/hub/api/users/{name}").json()
    server = model.get("servers", {}).get("")
    return bool(server and server.get("ready"))


def ensure_servers(hub: Hub, names: "list[str]") -> None:
    for name in names:
        if not server_ready(hub, name):
            start_server(hub, name)
    for name in names:
        wait_for(f"{name}의 서버 시작", lambda name=name: server_ready(hub, name))


# -- signing in --------------------------------------------------------------------------------------


def sign_in(hub: Hub, name: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{hub.url}/hub/login", timeout=30)  # the login form sets its XSRF cookie
    session.post(
        f"{hub.url}/hub/login",
        data={"username": name, "password": password, "_xsrf": session.cookies.get("_xsrf", "")},
        allow_redirects=False,
        timeout=60,
    )
    return session


def test_class_accounts_sign_in_with_their_password_only(hub):
    student = hub.students[0]
    signed = sign_in(hub, student, hub.passwords[student])
    assert signed.get(f"{hub.url}/hub/api/user", timeout=30).json()["name"] == student
    wrong = sign_in(hub, student, hub.passwords[student] + "x")
    assert wrong.get(f"{hub.url}/hub/api/user", timeout=30).status_code == 403
    # an account outside the class group is refused even with its right password
    outsider = f"{hub.teacher.split('-')[0]}-out"
    password = accounts.add([outsider], group="nogroup")[outsider]
    try:
        assert sign_in(hub, outsider, password).get(f"{hub.url}/hub/api/user", timeout=30).status_code == 403
    finally:
        accounts.remove([outsider])
    assert stat.S_IMODE(hub.home(student).stat().st_mode) == 0o700


# -- every server, as its own account, in its memory limit ----------------------------------------------


def test_every_server_starts_through_the_hub_api_as_its_own_account(hub):
    names = [hub.teacher, *hub.students]
    started = time.monotonic()
    ensure_servers(hub, names)
    hub.work["start_seconds"] = time.monotonic() - started
    for name in names:
        put = hub.user_api(
            name, "PUT", "/api/contents/whoami.txt", json={"type": "file", "format": "text", "content": name}
        )
        assert put.status_code in (200, 201), put.text
        made = hub.home(name) / "whoami.txt"
        assert made.stat().st_uid == pwd.getpwnam(name).pw_uid
        # another student's server cannot be reached with this student's sign-in
    session = sign_in(hub, hub.students[0], hub.passwords[hub.students[0]])
    other = session.get(f"{hub.url}/user/{hub.students[1]}/api/contents", timeout=30, allow_redirects=False)
    assert other.status_code in (302, 403, 404)


def test_each_student_server_is_in_a_memory_cgroup_with_the_limit(hub):
    ensure_servers(hub, hub.students)
    found = memory_limit.students_cgroup()
    if found is None:
        pytest.skip("이 기계에는 쓸 수 있는 메모리 cgroup이 없어 RLIMIT_AS만 걸립니다")
    parent, limit_file = found
    for name in hub.students:
        group = parent / name
        assert int((group / limit_file).read_text()) == MEM_LIMIT
        pids = [int(pid) for pid in (group / "cgroup.procs").read_text().split()]
        assert pids, name
        assert all(Path(f"/proc/{pid}").stat().st_uid == pwd.getpwnam(name).pw_uid for pid in pids)


# -- the kernel, through the hub ------------------------------------------------------------------------


class Kernel:
    """A kernel on a student's server, driven over its websocket through the hub's proxy."""

    def __init__(self, hub: Hub, name: str) -> None:
        self.hub, self.name = hub, name
        answer = hub.user_api(name, "POST", "/api/kernels", json={"name": "python3"})
        assert answer.status_code == 201, answer.text
        self.id = answer.json()["id"]
        url = hub.url.replace("http://", "ws://") + f"/user/{name}/api/kernels/{self.id}/channels"
        self.socket = websocket.create_connection(url, header=[f"Authorization: token {hub.token}"], timeout=WAIT)
        self.session = uuid.uuid4().hex

    def run(self, code: str) -> "list[dict]":
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
        deadline = time.monotonic() + WAIT
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
        pytest.fail(f"커널이 {WAIT}초 안에 끝내지 않았습니다: {code[:80]}")

    def close(self) -> None:
        self.socket.close()
        self.hub.user_api(self.name, "DELETE", f"/api/kernels/{self.id}")


def errors(messages: "list[dict]") -> "list[str]":
    return [f"{m['content']['ename']}: {m['content']['evalue']}" for m in messages if m["msg_type"] == "error"]


# -- the course through nbgitpuller ------------------------------------------------------------------------


def committed(path: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "show", f"HEAD:{path}"], capture_output=True, check=True
    ).stdout


def git_pull(hub: Hub, name: str) -> "list[dict]":
    """Call the student's nbgitpuller (the API the link's page calls) and read its event stream."""
    query = {"repo": hub.repo, "branch": hub.branch, "targetpath": FOLDER}
    answer = hub.user_api(name, "GET", "/git-pull/api", params=query, stream=True)
    events = [
        json.loads(line[len("data:") :]) for line in answer.iter_lines(decode_unicode=True) if line.startswith("data:")
    ]
    assert events and events[-1].get("phase") == "finished", events[-3:]
    return events


def push_a_course_update(hub: Hub) -> str:
    """The teacher publishes a change to README.md; returns the new line."""
    work = hub.base / "teacher-clone"
    subprocess.run(["git", "clone", "--quiet", "--branch", hub.branch, hub.repo, str(work)], check=True)
    line = f"수업 공지 {secrets.token_hex(3)}\n"
    with (work / "README.md").open("a", encoding="utf-8") as readme:
        readme.write(line)
    identity = ["-c", "user.name=Teacher", "-c", "user.email=teacher@example.org"]
    subprocess.run(["git", "-C", str(work), *identity, "commit", "--quiet", "-am", "Class notice"], check=True)
    subprocess.run(["git", "-C", str(work), "push", "--quiet", "origin", hub.branch], check=True)
    subprocess.run(["chmod", "-R", "a+rX", str(hub.base / "course.git")], check=True)
    return line


def test_nbgitpuller_gives_each_student_a_copy_and_an_update_keeps_their_work(hub):
    ensure_servers(hub, hub.students)
    for name in hub.students:
        git_pull(hub, name)
        copy = hub.home(name) / FOLDER / NOTEBOOK_02
        assert copy.read_bytes() == committed(NOTEBOOK_02)
        assert copy.stat().st_uid == pwd.getpwnam(name).pw_uid
    student = hub.students[0]
    path = f"{FOLDER}/{NOTEBOOK_02}"
    model = hub.user_api(student, "GET", f"/api/contents/{path}").json()
    model["content"]["cells"].insert(
        0, {"cell_type": "markdown", "metadata": {}, "source": "내 메모: 필름은 위에서 본다"}
    )
    saved = hub.user_api(
        student, "PUT", f"/api/contents/{path}", json={"type": "notebook", "content": model["content"]}
    )
    assert saved.status_code == 200, saved.text

    notice = push_a_course_update(hub)
    git_pull(hub, student)

    copy = hub.home(student) / FOLDER
    assert (copy / "README.md").read_text(encoding="utf-8").endswith(notice)
    assert "내 메모: 필름은 위에서 본다" in (copy / NOTEBOOK_02).read_text(encoding="utf-8")
    untouched = hub.home(hub.students[1]) / FOLDER / "README.md"
    assert not untouched.read_text(encoding="utf-8").endswith(notice)  # each student pulls their own copy


def test_a_student_runs_notebook_02_in_their_kernel(hub):
    student = hub.students[1]
    ensure_servers(hub, [student])
    if not (hub.home(student) / FOLDER).exists():
        git_pull(hub, student)
    notebook = nbformat.read(hub.home(student) / FOLDER / NOTEBOOK_02, as_version=4)
    kernel = Kernel(hub, student)
    try:
        assert not errors(kernel.run(f"import os; os.chdir(os.path.expanduser('~/{FOLDER}/notebooks'))"))
        widgets = 0
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            messages = kernel.run(cell.source)
            assert not errors(messages), (cell.source[:200], errors(messages))
            widgets += sum(
                "application/vnd.jupyter.widget-view+json" in m["content"].get("data", {})
                for m in messages
                if m["msg_type"] in ("display_data", "execute_result")
            )
        assert widgets >= 1  # the film explorer
    finally:
        kernel.close()


def test_the_memory_limit_ends_a_kernel_that_asks_for_more(hub):
    student = hub.students[2]
    ensure_servers(hub, [student])
    kernel = Kernel(hub, student)
    try:
        messages = kernel.run(f"hog = b'x' * {MEM_LIMIT + MEM_LIMIT // 2}\nprint('살아남음')")
        states = [m["content"].get("execution_state") for m in messages if m["msg_type"] == "status"]
        if memory_limit.students_cgroup() is not None:
            assert "restarting" in states or "dead" in states, messages[-3:]  # the OOM killer ended the kernel
        else:
            assert any(e.startswith("MemoryError") for e in errors(messages)), messages[-3:]
        assert hub.user_api(student, "GET", "/api/status").ok  # the student's server itself lives on
    finally:
        kernel.close()


# -- the browser --------------------------------------------------------------------------------------------


def test_a_student_opens_the_link_in_chromium_and_sees_the_film_widget(hub):
    student = hub.students[3]
    ensure_servers(hub, [student])
    link = nbgitpuller_link.link(hub.url, hub.repo, hub.branch, FOLDER, NOTEBOOK_02)
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.set_default_timeout(WAIT * 1000)
            page.goto(link)  # not signed in yet: the hub asks for the password, then goes on to the link
            page.fill("#username_input", student)
            page.fill("#password_input", hub.passwords[student])
            page.click("#login_submit")
            page.wait_for_url(f"**/user/{student}/lab/tree/{FOLDER}/{NOTEBOOK_02}*")
            # as a student does: wait for the kernel, then Run > Run All Cells
            sync_api.expect(page.locator(".jp-StatusBar-Widget", has_text="| Idle").first).to_be_visible(
                timeout=WAIT * 1000
            )
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            explorer = page.locator(".jp-OutputArea-output .widget-vbox:has(.widget-slider):has(.widget-image)").first
            sync_api.expect(explorer).to_be_visible(timeout=WAIT * 1000)
            assert page.get_by_text("Error displaying widget").count() == 0
        except BaseException:
            artifacts = PROJECT_ROOT / "test-artifacts"
            artifacts.mkdir(exist_ok=True)
            with contextlib.suppress(Exception):
                page.screenshot(path=str(artifacts / "classroom-hub-lab.png"))
            raise
        finally:
            browser.close()


# -- nbgrader: release, fetch, submit, collect, autograde ---------------------------------------------------

ASSIGNMENT = "layers"


def source_notebook() -> nbformat.NotebookNode:
    """A small assignment: two graded answers, 2 and 1 points, with nbgrader's solution markers."""

    def graded(source: str, grade_id: str, points: int = 0, solution: bool = False):
        cell = new_code_cell(source)
        cell.metadata["nbgrader"] = {
            "grade": not solution,
            "grade_id": grade_id,
            "locked": not solution,
            "schema_version": 3,
            "solution": solution,
            "task": False,
            **({"points": points} if not solution else {}),
        }
        return cell

    notebook = new_notebook(
        cells=[
            new_markdown_cell("# 레이어 과제\n이미지의 레이어 수를 세는 함수를 쓰세요."),
            graded(
                "def layer_count(digests):\n    ### BEGIN SOLUTION\n    return len(digests)\n    ### END SOLUTION",
                "answer-count",
                solution=True,
            ),
            graded('assert layer_count(["a", "b"]) == 2, "레이어 두 장이면 2입니다"', "test-count", points=2),
            graded(
                "def top_layer(digests):\n    ### BEGIN SOLUTION\n    return digests[-1]\n    ### END SOLUTION",
                "answer-top",
                solution=True,
            ),
            graded('assert top_layer(["a", "b"]) == "b", "맨 위 레이어는 마지막입니다"', "test-top", points=1),
        ]
    )
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


ANSWERS = {  # what each student writes: both right, both wrong, or only the first
    "right": ("return len(digests)", "return digests[-1]"),
    "wrong": ("return 0", "return digests[0]"),
    "half": ("return len(digests)", "return digests[0]"),
}


def answered(notebook: dict, count: str, top: str) -> dict:
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        body = {"answer-count": count, "answer-top": top}.get(grade_id)
        if body is not None:
            header = cell["source"].splitlines()[0]
            cell["source"] = f"{header}\n    {body}"
    return notebook


def test_teacher_releases_students_fetch_and_submit_teacher_autogrades(hub):
    ensure_servers(hub, hub.students)
    teacher_home = hub.home(hub.teacher)
    source = teacher_home / "course" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    source.parent.mkdir(parents=True)
    nbformat.write(source_notebook(), source)
    subprocess.run(["chown", "-R", f"{hub.teacher}:", str(teacher_home / "course")], check=True)
    python = [sys.executable, "-m", "nbgrader"]
    hub.as_teacher(*python, "generate_assignment", ASSIGNMENT)
    hub.as_teacher(*python, "release_assignment", ASSIGNMENT)

    plan = dict(zip(hub.students, ["right", "right", "wrong", "wrong", "half"], strict=True))
    for name, answer in plan.items():
        listed = hub.user_api(name, "GET", "/assignments", params={"course_id": COURSE_ID}).json()
        released = [a for a in listed["value"] if a["assignment_id"] == ASSIGNMENT and a["status"] == "released"]
        assert released, listed
        fetched = hub.user_api(
            name, "POST", "/assignments/fetch", data={"course_id": COURSE_ID, "assignment_id": ASSIGNMENT}
        )
        assert fetched.json()["success"], fetched.text
        listed = hub.user_api(name, "GET", "/assignments", params={"course_id": COURSE_ID}).json()
        (mine,) = [a for a in listed["value"] if a["assignment_id"] == ASSIGNMENT and a["status"] == "fetched"]
        path = f"{mine['path']}/{ASSIGNMENT}.ipynb".removeprefix(str(hub.home(name))).lstrip("/")
        model = hub.user_api(name, "GET", f"/api/contents/{path}").json()
        assert "### BEGIN SOLUTION" not in json.dumps(model["content"])  # the student's copy has no answers
        saved = hub.user_api(
            name,
            "PUT",
            f"/api/contents/{path}",
            json={"type": "notebook", "content": answered(model["content"], *ANSWERS[answer])},
        )
        assert saved.status_code == 200, saved.text
        submitted = hub.user_api(
            name, "POST", "/assignments/submit", data={"course_id": COURSE_ID, "assignment_id": ASSIGNMENT}
        )
        assert submitted.json()["success"], submitted.text

    hub.as_teacher(*python, "collect", ASSIGNMENT)
    hub.as_teacher(*python, "autograde", ASSIGNMENT)
    report = hub.as_teacher(
        sys.executable,
        "-c",
        "import json, os; from nbgrader.api import Gradebook\n"
        f"with Gradebook('sqlite:///' + os.path.expanduser('~/course/gradebook.db'), course_id={COURSE_ID!r}) as gb:\n"
        f"    print(json.dumps({{s.student.id: s.score for s in gb.assignment_submissions({ASSIGNMENT!r})}}))",
    )
    scores = json.loads(report.strip().splitlines()[-1])
    points = {"right": 3, "wrong": 0, "half": 2}
    assert scores == {name: points[answer] for name, answer in plan.items()}
