"""The course on a real JupyterHub (classroom/), end to end: one teacher and five students.

The hub runs classroom/jupyterhub_config.py itself, with configurable-http-proxy from npm, on
127.0.0.1 (free ports). The test makes the six Linux accounts with classroom/accounts.py (PAM signs
them in), checks the idle culler runs with its rights, starts every server through the hub's API
as its own account in its own memory cgroup, delivers the course with nbgitpuller from a
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
import stat
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from paths import PROJECT_ROOT

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
from playwright import sync_api  # noqa: E402

sys.path.insert(0, str(CLASSROOM))
import accounts  # noqa: E402
import memory_limit  # noqa: E402
import nbgitpuller_link  # noqa: E402
from trial import Kernel, TrialClass, trial_class, wait_for  # noqa: E402

sys.path.insert(0, str(PROJECT_ROOT / "tools"))
import lesson_source as ls  # noqa: E402


@pytest.fixture(scope="module")
def hub():
    with trial_class(PROJECT_ROOT, students=5, mem_limit="1G", course_id=COURSE_ID, timeout=WAIT) as running:
        yield running


def ensure_servers(hub: TrialClass, names: "list[str]") -> None:
    hub.start_servers(names)  # those not running yet


# -- signing in --------------------------------------------------------------------------------------


def sign_in(hub: TrialClass, name: str, password: str) -> requests.Session:
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


def test_the_idle_culler_runs_as_a_hub_service_with_the_rights_it_needs(hub):
    # jupyterhub-idle-culler lists the users with their servers' activity as soon as it starts;
    # a missing scope would show as 403 here instead of 200
    def culler_listed_users():
        return [
            line
            for line in hub.log.read_text(errors="replace").splitlines()
            if "GET /hub/api/users" in line and "(idle-culler@" in line
        ]

    listed = wait_for("정리 서비스의 첫 사용자 조회", culler_listed_users, WAIT)
    assert all(" 200 GET " in line for line in listed), listed


# -- every server, as its own account, in its memory limit ----------------------------------------------


def test_the_idle_culler_stops_a_server_nobody_uses():
    # a class of its own, beside the module's, whose culler gives a server 30 seconds without use
    timeout = 30
    with trial_class(PROJECT_ROOT, students=1, course_id="imagelib-idle", timeout=WAIT, idle_timeout=timeout) as small:
        (student,) = small.students
        small.start_servers([student])
        started = time.monotonic()
        wait_for("유휴 서버 정리", lambda: not small.server_running(student), timeout + WAIT)
        assert time.monotonic() - started >= timeout - 5  # not stopped before it was idle that long
        culled = [line for line in small.log.read_text(errors="replace").splitlines() if "(idle-culler@" in line]
        assert any(f"DELETE /hub/api/users/{student}/server" in line for line in culled), culled[-5:]


def test_every_server_starts_through_the_hub_api_as_its_own_account(hub):
    names = [hub.teacher, *hub.students]
    ensure_servers(hub, names)
    for name in names:
        put = hub.user_api(
            name, "PUT", "/api/contents/whoami.txt", json={"type": "file", "format": "text", "content": name}
        )
        assert put.status_code in (200, 201), put.text
        made = hub.home(name) / "whoami.txt"
        assert made.stat().st_uid == pwd.getpwnam(name).pw_uid
    # a student signed in opens their own JupyterLab (the hub's OAuth lets them in) and not another's
    session = sign_in(hub, hub.students[0], hub.passwords[hub.students[0]])
    assert session.get(f"{hub.url}/user/{hub.students[0]}/lab", timeout=60).status_code == 200
    own = session.get(f"{hub.url}/user/{hub.students[0]}/api/contents/whoami.txt", timeout=60)
    assert own.status_code == 200 and own.json()["content"] == hub.students[0]
    other = session.get(f"{hub.url}/user/{hub.students[1]}/lab", timeout=60)
    assert other.status_code == 403, other.status_code


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


def errors(messages: "list[dict]") -> "list[str]":
    return [f"{m['content']['ename']}: {m['content']['evalue']}" for m in messages if m["msg_type"] == "error"]


# -- the course through nbgitpuller ------------------------------------------------------------------------


def committed(path: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "show", f"HEAD:{path}"], capture_output=True, check=True
    ).stdout


def git_pull(hub: TrialClass, name: str) -> "list[dict]":
    """Call the student's nbgitpuller (the API the link's page calls) and read its event stream."""
    query = {"repo": hub.repo, "branch": hub.branch, "targetpath": FOLDER}
    answer = hub.user_api(name, "GET", "/git-pull/api", params=query, stream=True)
    events = [
        json.loads(line[len("data:") :]) for line in answer.iter_lines(decode_unicode=True) if line.startswith("data:")
    ]
    assert events and events[-1].get("phase") == "finished", events[-3:]
    return events


def push_a_course_update(hub: TrialClass) -> str:
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
            if "raises-exception" in cell.metadata.get("tags", []):  # an unanswered exercise's check
                assert [error.split(":")[0] for error in errors(messages)] == ["NotYet"], cell.source[:200]
            else:
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


# -- nbgrader's teacher tools: the teacher's server only ---------------------------------------------

TEACHER_TOOLS = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:course-list"]


def lab_page_config(hub: TrialClass, name: str) -> dict:
    """The page settings JupyterLab's page on this server is served with (its jupyter-config-data)."""
    page = hub.user_api(name, "GET", "/lab").text
    start = page.index('id="jupyter-config-data"')
    body = page[page.index(">", start) + 1 : page.index("</script>", start)]
    return json.loads(body)


def test_students_see_only_their_assignments_and_the_teacher_has_formgrader(hub):
    student = hub.students[0]
    ensure_servers(hub, [hub.teacher, student])
    assert hub.user_api(hub.teacher, "GET", "/formgrader").status_code == 200
    assert hub.user_api(student, "GET", "/formgrader").status_code == 404
    disabled = lab_page_config(hub, student)["disabledExtensions"]
    assert set(TEACHER_TOOLS) <= set(disabled)
    assert "@jupyter/nbgrader:assignment-list" not in disabled  # the Assignments tab: fetch and submit
    assert not set(TEACHER_TOOLS) & set(lab_page_config(hub, hub.teacher)["disabledExtensions"])


# -- nbgrader: release, fetch, submit, collect, autograde ---------------------------------------------------

ASSIGNMENT = "00_introduction"  # a real lesson, released from its source as README's teacher section says


def points(name: str) -> "dict[str, int]":
    """The points of each graded check cell of the lesson (by grade id, in order)."""
    source = ls.read(ls.source_path(name))
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"]
        for cell in source.cells
        if ls.is_graded_cell(cell)
    }


def answered(notebook: dict, answers: "dict[str, str]") -> dict:
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    return notebook


def test_teacher_releases_students_fetch_and_submit_teacher_autogrades(hub):
    ensure_servers(hub, hub.students)
    teacher_home = hub.home(hub.teacher)
    # README: the teacher puts the lessons' sources in ~/course/source (here only the first lesson)
    shutil.copytree(ls.SOURCES / ASSIGNMENT, teacher_home / "course" / "source" / ASSIGNMENT)
    subprocess.run(["chown", "-R", f"{hub.teacher}:", str(teacher_home / "course")], check=True)
    python = [sys.executable, "-m", "nbgrader"]
    hub.as_teacher(*python, "generate_assignment", ASSIGNMENT)
    hub.as_teacher(*python, "release_assignment", ASSIGNMENT)
    every = ls.answers(ASSIGNMENT)
    answers = {"right": every, "untouched": {}, "half": dict(list(every.items())[:1])}
    solutions_only = {
        cell.source for cell in ls.read(ls.source_path(ASSIGNMENT)).cells if ls.SOLUTIONS_ONLY in ls.tags(cell)
    }

    plan = dict(zip(hub.students, ["right", "right", "untouched", "untouched", "half"], strict=True))
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
        assert not solutions_only & {
            "".join(cell["source"]) for cell in model["content"]["cells"]
        }  # nor their explanations
        saved = hub.user_api(
            name,
            "PUT",
            f"/api/contents/{path}",
            json={"type": "notebook", "content": answered(model["content"], answers[answer])},
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
    worth = points(ASSIGNMENT)
    first = worth[f"{next(iter(every))}_check"]
    expected = {"right": sum(worth.values()), "untouched": 0, "half": first}
    assert scores == {name: expected[answer] for name, answer in plan.items()}
