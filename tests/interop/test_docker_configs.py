"""The configs imagelib writes are the configs the real Docker engine writes, not only the layers:
``docker commit`` (another run command, ``-e``, ``--entrypoint``, ``-c``) against ``il.Container.commit``,
and ``docker build`` of the course's Dockerfiles with BuildKit and with the legacy builder against
``il.build``. Cmd, Entrypoint, Env, WorkingDir, User, ExposedPorts, Labels and the history (``created_by``,
``comment``, ``empty_layer``) are compared; where imagelib differs on purpose, the difference is written
down below as a table and asserted, so a change on either side shows.
"""

from __future__ import annotations

import json
import re
import tarfile

import pytest
from docker_engine import store_with

import imagelib as il
from imagelib.course_examples import NOTE_DOCKERFILE, SINGLE_STAGE_DOCKERFILE, web_app

pytestmark = pytest.mark.interop

FIELDS = ("Cmd", "Entrypoint", "Env", "WorkingDir", "User", "ExposedPorts", "Labels", "Volumes", "OnBuild")

# What Docker 20.10's classic store writes into a committed image's config that imagelib does not:
# the container's runtime settings (its random hostname, the image name typed, attached streams) ...
COMMIT_RUNTIME_KEYS = {"Hostname", "Domainname", "AttachStdin", "AttachStdout", "AttachStderr"}
COMMIT_RUNTIME_KEYS |= {"Tty", "OpenStdin", "StdinOnce", "Image"}
# ... and, beside the config, the container's ID and whole config and the engine's version. imagelib
# leaves these out, as the OCI image spec and Docker's containerd image store do: a random container
# ID would make every commit's digest different.
COMMIT_TOP_LEVEL_ONLY_DOCKER = {"container", "container_config", "docker_version"}


def _config(docker, tmp_path, tag: str) -> "dict":
    """The image config JSON exactly as the engine stored it (docker save keeps the bytes)."""
    archive = tmp_path / f"{tag.replace(':', '-').replace('/', '-')}.tar"
    docker("save", "--output", str(archive), tag)
    with tarfile.open(archive) as saved:
        [entry] = json.load(saved.extractfile("manifest.json"))
        return json.load(saved.extractfile(entry["Config"]))


def _fields(config_json: "dict") -> "dict":
    """The compared settings; Docker writes unset ones as null, "" or {}, imagelib leaves them out."""
    config = config_json["config"]
    return {key: config.get(key) or None for key in FIELDS}


def _last_step(config_json: "dict") -> "dict":
    step = config_json["history"][-1]
    return {key: step.get(key) for key in ("created_by", "comment", "empty_layer", "author")}


SERVED = "imagelib-served:1"  # busybox whose CMD serves a page, as nginx's does in notebook 06


@pytest.fixture(scope="module")
def served(docker, busybox, tmp_path_factory) -> il.Image:
    image = busybox.with_config(
        cmd=["httpd", "-f", "-p", "80", "-h", "/srv/www"], exposed_ports=[80], created_by='CMD ["httpd" ...]'
    )
    archive = tmp_path_factory.mktemp("served") / "served.tar"
    il.save(image, archive, format="docker-archive", ref=SERVED)
    docker("load", "--input", str(archive))
    return image


# name: (docker run options, run command, docker commit options, what the container does in imagelib)
COMMITS = {
    "sh-with-env": (
        ["-e", "GREETING=hi", "-e", "LANG=C"],
        ["sh", "-c", "mkdir -p /srv/www && echo team > /srv/www/index.html"],
        ["-m", "첫 화면 교체", "-a", "Kim <kim@example.com>"],
        lambda box: box.write("/srv/www/index.html", "team\n"),
    ),
    "env-replacing-the-image-path": (
        ["-e", "GREETING=hi", "-e", "PATH=/bin:/usr/bin"],
        ["sh", "-c", "mkdir -p /srv/www && echo team > /srv/www/index.html"],
        ["-m", "첫 화면 교체", "-a", "Kim <kim@example.com>"],
        lambda box: box.write("/srv/www/index.html", "team\n"),
    ),
    "sh-then-cmd-restored": (
        [],
        ["sh", "-c", "mkdir -p /srv/www && echo team > /srv/www/index.html"],
        ["-m", "restore CMD", "-c", 'CMD ["httpd", "-f", "-p", "80", "-h", "/srv/www"]', "-c", "ENV PORT=80"],
        lambda box: box.write("/srv/www/index.html", "team\n"),
    ),
    "nothing-changed-every-change": (
        [],
        ["true"],
        [
            *("-c", 'CMD ["python3", "-m", "http.server"]', "-c", "ENV PORT=8080", "-c", 'ENTRYPOINT ["x"]'),
            *("-c", "WORKDIR app", "-c", "EXPOSE 8080 53/udp", "-c", 'LABEL a=b c="d e"', "-c", "USER 1000"),
            *("-c", "VOLUME /data", "-c", "ONBUILD RUN ls"),
        ],
        lambda box: None,
    ),
    "entrypoint-and-run-options": (
        ["--entrypoint", "echo", "-w", "/tmp", "-u", "12", "-l", "x=y", "--expose", "99"],
        ["hello"],
        ["-c", "ENTRYPOINT /bin/app"],
        lambda box: None,
    ),
}


# Docker 20.10 writes a run's -e variables in an order that varies from run to run (measured:
# `-e GREETING=hi -e LANG=C` gave LANG first in 3 of 10 test runs), then the image's other variables in
# their order. imagelib writes the -e variables in the order given. So the -e part is compared as a
# set, the rest in order.
def _env_parts(config_json: "dict", run_variables: int) -> "tuple[list[str], list[str]]":
    env = config_json["config"].get("Env") or []
    return sorted(env[:run_variables]), env[run_variables:]


def _il_commit(image: il.Image, run_options: "list[str]", command: "list[str]", commit_options: "list[str]", act):
    """The same container and commit in imagelib, from the same command-line options."""
    run = dict(zip(run_options[::2], run_options[1::2], strict=True))  # each option here is given once, except -e
    env = [value for option, value in zip(run_options[::2], run_options[1::2], strict=True) if option == "-e"]
    box = il.Container(
        image,
        command=command,
        env=env,
        entrypoint=run.get("--entrypoint"),
        workdir=run.get("-w", ""),
        user=run.get("-u", ""),
        labels=dict([run["-l"].split("=", 1)]) if "-l" in run else None,
        exposed_ports=[run["--expose"]] if "--expose" in run else (),
    )
    act(box)
    changes = [value for option, value in zip(commit_options[::2], commit_options[1::2], strict=True) if option == "-c"]
    options = dict(zip(commit_options[::2], commit_options[1::2], strict=True))
    return box.commit(message=options.get("-m", ""), changes=changes, author=options.get("-a", ""))


@pytest.mark.parametrize("case", list(COMMITS))
def test_il_commit_writes_the_config_docker_commit_writes(docker, served, tmp_path, case):
    run_options, command, commit_options, act = COMMITS[case]
    container = f"imagelib-config-{case}"
    docker("run", "--name", container, "--network", "none", *run_options, SERVED, *command)
    try:
        docker("commit", *commit_options, container, f"imagelib-config-{case}:1")
    finally:
        docker("rm", container)
    theirs = _config(docker, tmp_path, f"imagelib-config-{case}:1")
    mine = _il_commit(served, run_options, command, commit_options, act).config_json

    run_variables = run_options.count("-e")
    assert _env_parts(mine, run_variables) == _env_parts(theirs, run_variables)
    mine["config"]["Env"] = theirs["config"].get("Env")
    assert _fields(mine) == _fields(theirs)
    assert _last_step(mine) == _last_step(theirs)
    assert mine.get("author") == theirs.get("author")
    assert len(mine["rootfs"]["diff_ids"]) == len(theirs["rootfs"]["diff_ids"])  # no layer when nothing changed
    # the differences on purpose
    assert set(theirs) - set(mine) == COMMIT_TOP_LEVEL_ONLY_DOCKER
    written_only_by_docker = {k for k, v in theirs["config"].items() if k not in mine["config"] and v}
    assert written_only_by_docker <= COMMIT_RUNTIME_KEYS
    assert {"Hostname", "Image"} <= written_only_by_docker


def test_the_committed_page_is_served_only_when_the_cmd_is_restored(docker, served, tmp_path):
    """Notebook 06's point on the real engine: a container started with ``sh`` commits to CMD ["sh" ...]."""
    script = ["sh", "-c", "mkdir -p /srv/www && echo team > /srv/www/index.html"]
    docker("run", "--name", "imagelib-page", "--network", "none", SERVED, *script)
    try:
        docker("commit", "imagelib-page", "imagelib-page:plain")
        docker(
            "commit", "-c", 'CMD ["httpd", "-f", "-p", "80", "-h", "/srv/www"]', "imagelib-page", "imagelib-page:cmd"
        )
    finally:
        docker("rm", "imagelib-page")
    for tag, cmd in (("plain", script), ("cmd", ["httpd", "-f", "-p", "80", "-h", "/srv/www"])):
        inspected = docker("image", "inspect", "--format", "{{json .Config.Cmd}}", f"imagelib-page:{tag}")
        assert json.loads(inspected) == cmd, tag


# The course's Dockerfiles on the busybox base the engine has: each FROM and RUN line becomes one
# busybox can run, with the same shape of steps (the other lines are kept as written).
ON_BUSYBOX = {
    "FROM node:14 AS build": "FROM busybox-base:1 AS build",
    "FROM node:14": "FROM busybox-base:1",
    "FROM nginx:alpine": "FROM busybox-base:1",
    "RUN npm install": "RUN mkdir -p node_modules && cp package.json node_modules/",
    "RUN npm run build": "RUN mkdir -p dist && cp index.html dist/",
}
COURSE_DOCKERFILES = {"note": NOTE_DOCKERFILE, "single-stage": SINGLE_STAGE_DOCKERFILE}


def _on_busybox(dockerfile: str) -> str:
    lines = [ON_BUSYBOX.get(line, line) for line in dockerfile.splitlines()]
    assert not [line for line in lines if line.startswith(("FROM", "RUN")) and line not in ON_BUSYBOX.values()]
    return "\n".join(lines) + "\n"


def _steps(config_json: "dict", skip: int) -> "list[dict]":
    return [
        {key: step.get(key) for key in ("created_by", "comment", "empty_layer")}
        for step in config_json["history"][skip:]
    ]


def _buildkit_0_8(created_by: str) -> str:
    """BuildKit before 0.10 (Docker 20.10) wrote EXPOSE as a Go map; il.build writes what newer BuildKit writes."""
    return re.sub(r"^EXPOSE map\[(.*?):\{\}\]$", r"EXPOSE [\1]", created_by)


# The legacy builder's history, from il.build's (BuildKit's) step: the differences, one rule per kind.
LEGACY = {
    # config-only steps: "/bin/sh -c #(nop)  " (two spaces) before the instruction as written
    "config": lambda mine: "/bin/sh -c #(nop)  " + mine,
    # RUN: the shell command line, without "RUN" and BuildKit's "# buildkit"
    "RUN": lambda mine: re.sub(r"^RUN (.*) # buildkit$", r"\1", mine),
    # EXPOSE: the ports as the Dockerfile writes them ("EXPOSE 80"), not the list of port/protocol names
    "EXPOSE": lambda mine: "/bin/sh -c #(nop)  EXPOSE " + " ".join(re.findall(r"(\d+)/tcp", mine)),
    # WORKDIR: one space after #(nop)
    "WORKDIR": lambda mine: "/bin/sh -c #(nop) " + mine,
    # COPY: a content hash of the sources (file:, dir: or multi:) instead of their names, then " in <dest> "
    "COPY": lambda mine: re.sub(
        r"^COPY (?:--from=\S+ )?.* (\S+) # buildkit$",
        lambda m: r"/bin/sh -c #\(nop\) COPY (file|dir|multi):[0-9a-f]{64} in " + re.escape(m.group(1)) + " ",
        mine,
    ),
}


def _legacy_kind(created_by: str) -> str:
    keyword = created_by.split()[0]
    return keyword if keyword in ("RUN", "EXPOSE", "WORKDIR", "COPY") else "config"


@pytest.mark.parametrize("name", list(COURSE_DOCKERFILES))
def test_il_build_writes_the_config_and_history_buildkit_and_the_legacy_builder_write(docker, busybox, tmp_path, name):
    context = tmp_path / "context"
    files = {**web_app(), "Dockerfile": _on_busybox(COURSE_DOCKERFILES[name])}
    for path, text in files.items():
        (context / path).parent.mkdir(parents=True, exist_ok=True)
        (context / path).write_text(text)
    docker.build(context, f"imagelib-course-{name}:buildkit", "buildkit")
    docker.build(context, f"imagelib-course-{name}:legacy", "legacy")
    buildkit = _config(docker, tmp_path, f"imagelib-course-{name}:buildkit")
    legacy = _config(docker, tmp_path, f"imagelib-course-{name}:legacy")
    mine = il.build(context / "Dockerfile", context, store=store_with(busybox)).image.config_json
    base = len(busybox.history)

    assert _fields(mine) == _fields(buildkit) == _fields(legacy)
    theirs = _steps(buildkit, base)
    assert _steps(mine, base) == [{**step, "created_by": _buildkit_0_8(step["created_by"])} for step in theirs]

    # The legacy builder: the same steps, told differently (LEGACY), and no BuildKit comment.
    old = _steps(legacy, base)
    assert len(old) == len(mine["history"][base:])
    for step, legacy_step in zip(_steps(mine, base), old, strict=True):
        kind = _legacy_kind(step["created_by"])
        expected = LEGACY[kind](step["created_by"])
        if kind == "COPY":
            assert re.fullmatch(expected, legacy_step["created_by"]), (expected, legacy_step)
        else:
            assert legacy_step["created_by"] == expected
        assert step["comment"] == "buildkit.dockerfile.v0" and legacy_step["comment"] is None
        assert legacy_step["empty_layer"] == step["empty_layer"], step
