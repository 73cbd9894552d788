"""A real Docker engine loads what imagelib writes, sees the same files, and writes what imagelib reads;
``docker build`` with BuildKit and ``il.build`` make the same layers from the same Dockerfile, and
``docker commit`` and ``il.Container.commit`` the same layer from the same changes.

The tests start their own ``dockerd`` (Debian's docker.io) in a temporary folder, with the
overlay2 storage driver (vfs where overlay2 cannot mount) and no network setup, so they need
root but no running Docker. Without ``dockerd``, or where it cannot start, they are skipped
with the reason.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import tarfile

import pytest
from docker_engine import busybox_base, docker_run, store_with
from formats_helpers import gzip_layers, tree_snapshot, tricky_image
from registry_server import FAST

import imagelib as il

pytestmark = pytest.mark.interop

# The real registry fixture (Debian's docker-registry) lives in tests/support/registry_server.py.
pytest_plugins = ["registry_server"]


# What ``docker create`` adds to every container's file system (not part of the image).
ENGINE_PATHS = {".dockerenv", "dev", "proc", "sys", "etc/hostname", "etc/hosts", "etc/mtab", "etc/resolv.conf"}


def _relinked() -> il.Image:
    # a folder replaced by a symlink in one layer, then written through in the next
    return (
        il.Image.scratch()
        .add_layer(il.Layer.from_files({"data/old.txt": "old\n", "real/keep.txt": "keep\n"}))
        .add_layer(il.Layer.from_files({"data": il.Symlink("real")}))
        .add_layer(il.Layer.from_files({"data/new.txt": "new\n"}))
    )


IMAGES = {"tricky": tricky_image, "gzip": lambda: gzip_layers(tricky_image()), "relinked": _relinked}


@pytest.mark.parametrize("name", list(IMAGES))
def test_docker_loads_a_docker_archive_with_the_same_image_id(docker, tmp_path, name):
    image = IMAGES[name]()
    il.save(image, tmp_path / "image.tar", format="docker-archive", ref=f"imagelib-{name}:1.0")
    assert f"imagelib-{name}:1.0" in docker("load", "--input", str(tmp_path / "image.tar"))
    [inspected] = json.loads(docker("image", "inspect", f"imagelib-{name}:1.0"))
    assert inspected["Id"] == str(image.id)
    assert inspected["RepoTags"] == [f"imagelib-{name}:1.0"]
    assert inspected["RootFS"]["Layers"] == [str(layer.diff_id) for layer in image.layers]


@pytest.mark.parametrize("name", list(IMAGES))
def test_a_docker_container_sees_the_files_imagelib_sees(docker, tmp_path, name):
    image = IMAGES[name]()
    il.save(image, tmp_path / "image.tar", format="docker-archive", ref=f"imagelib-files-{name}:1.0")
    docker("load", "--input", str(tmp_path / "image.tar"))
    container = docker("create", f"imagelib-files-{name}:1.0", "/never-run").strip()  # created, not started
    try:
        docker("export", "--output", str(tmp_path / "export.tar"), container)
    finally:
        docker("rm", container)
    exported = il.Image.scratch().add_layer(il.Layer.from_tar(tmp_path / "export.tar")).rootfs()
    mine = tree_snapshot(image.rootfs())
    theirs = {
        path: entry
        for path, entry in tree_snapshot(exported).items()
        if path not in ENGINE_PATHS
        and path.split("/", 1)[0] not in ("dev", "proc", "sys")
        and (path != "etc" or "etc" in mine)
    }  # the engine makes /etc for its files if needed
    assert theirs == mine


def test_an_image_docker_saves_opens_with_the_same_id_and_files(docker, tmp_path):
    image = tricky_image()
    il.save(image, tmp_path / "mine.tar", format="docker-archive", ref="imagelib-roundtrip:1.0")
    docker("load", "--input", str(tmp_path / "mine.tar"))
    docker("tag", "imagelib-roundtrip:1.0", "imagelib-roundtrip:again")
    docker("save", "--output", str(tmp_path / "theirs.tar"), "imagelib-roundtrip:again")
    opened = il.open(tmp_path / "theirs.tar")
    assert opened.id == image.id
    assert tree_snapshot(opened.rootfs()) == tree_snapshot(image.rootfs())


def test_docker_loads_an_oci_archive_when_it_is_new_enough(docker, tmp_path):
    version = docker("version", "--format", "{{.Server.Version}}").strip()
    if int(version.split(".")[0]) < 25:
        pytest.skip(f"도커 {version}는 OCI 아카이브를 docker load로 읽지 못해 건너뜁니다(도커 25부터 지원)")
    image = tricky_image()
    il.save(image, tmp_path / "image.tar", format="oci-archive", ref="imagelib-oci:1.0")
    docker("load", "--input", str(tmp_path / "image.tar"))
    assert docker("image", "inspect", "imagelib-oci:1.0", "--format", "{{.Id}}").strip() in (
        str(image.id),
        str(image.digest),
    )  # Docker 25+ with the containerd store names images by manifest


COPY_CONTEXT = {
    "a.txt": "hi\n",
    "b.txt": "b\n",
    "src/sub/deep.txt": "deep\n",
    "src/run.sh": "#!/bin/sh\n",
    "logs/x.log": "x\n",
    "logs/keep.log": "keep\n",
    "junk.tmp": "t\n",
    ".dockerignore": "logs/*.log\n!logs/keep.log\n*.tmp\n",
    "Dockerfile": (
        "FROM scratch\nCOPY . /app/\nCOPY src/ /dest/\nCOPY a.txt b.txt /multi/\n"
        "WORKDIR /srv/work\nCOPY a.txt ./here.txt\nENV GREETING=hello\n"
    ),
}
RUN_CONTEXT = {
    "Dockerfile": (
        "FROM busybox-base:1\n"
        "RUN mkdir -p /data/logs && echo hi > /data/hello.txt && printf 'a\\nb\\n' > /data/logs/app.log\n"
        "RUN chmod 600 /data/hello.txt && rm -rf /home && ln -s /data/hello.txt /hello\n"
        "RUN cp /data/hello.txt /data/copy.txt && mv /data/logs /data/old-logs && touch /data/empty\n"
        'WORKDIR /data\nRUN true\nRUN pwd > where.txt\nCMD ["cat", "where.txt"]\n'
    ),
}


STAGES_CONTEXT = {
    "pkg/one.txt": "one\n",
    "pkg/two.txt": "two\n",
    "Dockerfile": (
        "ARG BASE=busybox-base:1\nFROM ${BASE} AS build\nARG OUT=/out\nENV APP_HOME=$OUT/app\n"
        "RUN mkdir -p $APP_HOME && echo built > $APP_HOME/result.txt\nCOPY pkg/ $APP_HOME/pkg/\n"
        'FROM busybox-base:1\nLABEL org.example.course="imagelib"\nADD bundle.tar /opt/bundle/\n'
        "COPY --from=build /out/app /srv/app\nCOPY --chown=1000:1000 pkg/two.txt /home/user/two.txt\n"
        "USER 1000\nWORKDIR /home/user\nRUN echo hi > mine.txt && mkdir -p made/deeper\n"
        'EXPOSE 8080\nENTRYPOINT ["cat"]\nCMD ["mine.txt"]\n'
    ),
}
BUILD_CASES = {"copy": COPY_CONTEXT, "run": RUN_CONTEXT, "stages": STAGES_CONTEXT}


def _entries(layer: il.Layer) -> "list[tuple]":
    """What a layer holds, without timestamps (BuildKit stamps the build time, imagelib 0)."""
    return sorted(
        (
            e.path,
            type(e).__name__,
            getattr(e, "mode", None),
            getattr(e, "target", None),
            e.uid,
            e.gid,
            hashlib.sha256(e.read()).hexdigest() if isinstance(e, il.File) else None,
        )
        for e in layer.entries
    )


def _steps(image: il.Image, skip: int) -> "list[tuple]":
    """History lines and empty-layer flags. BuildKit before 0.10 (Docker 20.10) left --chown and
    --chmod out of COPY lines and wrote EXPOSE as a Go map; il.build writes what newer BuildKit writes."""

    def text(line: str) -> str:
        line = re.sub(r" --ch(own|mod)=\S+", "", line)
        return re.sub(r"^EXPOSE map\[(.*?):\{\}\]$", r"EXPOSE [\1]", line)

    return [(text(h.get("created_by", "")), h.get("empty_layer", False)) for h in image.config_json["history"][skip:]]


def _write_context(context, files: "dict[str, str]") -> None:
    for path, text in files.items():
        (context / path).parent.mkdir(parents=True, exist_ok=True)
        (context / path).write_text(text)


@pytest.mark.parametrize("case", list(BUILD_CASES))
def test_il_build_makes_what_buildkit_makes(docker, tmp_path, case, request):
    """COPY with .dockerignore, WORKDIR, ENV on scratch; RUN steps run by a real shell (busybox);
    and two stages with ARG, ADD of a tar, COPY --from, COPY --chown, USER, EXPOSE and LABEL."""
    context = tmp_path / "context"
    _write_context(context, BUILD_CASES[case])
    store, base_steps, base_layers = il.Store(), 0, 0
    if case == "copy":
        (context / "src" / "run.sh").chmod(0o755)
    else:
        if case == "stages":
            with tarfile.open(context / "bundle.tar", "w") as bundle:
                bundle.add(context / "pkg", arcname=".")
            (context / "pkg" / "alias").symlink_to("one.txt")
        base = request.getfixturevalue("busybox")
        store = store_with(base)
        base_steps, base_layers = len(base.history), len(base.layers)
    try:
        docker(
            "build",
            "--network",
            "none",
            "--tag",
            f"imagelib-buildkit-{case}:1.0",
            str(context),
            environment={"DOCKER_BUILDKIT": "1"},
        )
    except AssertionError as error:
        if "buildx" in str(error):
            pytest.skip("이 docker 클라이언트에는 BuildKit(buildx)이 없어 건너뜁니다")
        raise
    docker("save", "--output", str(tmp_path / "theirs.tar"), f"imagelib-buildkit-{case}:1.0")
    theirs = il.open(tmp_path / "theirs.tar")
    mine = il.build(context / "Dockerfile", context, store=store).image
    assert len(mine.layers) == len(theirs.layers) > base_layers
    assert [_entries(layer) for layer in mine.layers[base_layers:]] == [
        _entries(layer) for layer in theirs.layers[base_layers:]
    ]
    assert _steps(mine, base_steps) == _steps(theirs, base_steps)  # history text and empty layers
    assert tree_snapshot(mine.rootfs()) == tree_snapshot(theirs.rootfs())
    for key in ("Env", "WorkingDir", "Cmd", "Entrypoint", "User", "ExposedPorts", "Labels"):
        assert mine.config_json["config"].get(key) == theirs.config_json["config"].get(key), key


def testdocker_runs_an_image_il_build_made_with_its_cmd_env_and_workdir(docker, busybox, tmp_path):
    store = store_with(busybox)
    dockerfile = (
        "FROM busybox-base:1\nWORKDIR /srv\nCOPY note.txt ./\nCOPY hello.sh /usr/local/bin/hello\n"
        'ENV GREETING=안녕하세요\nCMD ["hello"]\n'
    )
    context = {
        "note.txt": "메모\n",
        "hello.sh": il.File('#!/bin/sh\necho "$GREETING, $(pwd)"\ncat note.txt\n', mode=0o755),
    }
    built = il.build(dockerfile, context, store=store).image
    assert docker_run(docker, tmp_path, built, "imagelib-hello:1.0") == "안녕하세요, /srv\n메모\n"


def testdocker_runs_a_committed_container_with_its_whiteouts(docker, busybox, tmp_path):
    box = il.Container(busybox)
    box.write("/etc/motd", "imagelib가 쓴 파일\n")
    box.delete("/bin/vi")  # a whiteout over a file of a lower layer
    box.delete("/home")  # a whiteout over a whole folder
    committed = box.commit(message="write one, delete two")
    assert any(isinstance(e, il.Whiteout) for e in committed.layers[-1].entries)
    script = "cat /etc/motd; ls /bin/vi 2>/dev/null || echo no-vi; ls -d /home 2>/dev/null || echo no-home"
    output = docker_run(docker, tmp_path, committed, "imagelib-committed:1.0", "sh", "-c", script)
    assert output == "imagelib가 쓴 파일\nno-vi\nno-home\n"
    assert box.exists("/bin/sh") and not box.exists("/bin/vi")  # the same view imagelib gives


def test_il_container_commit_makes_the_layer_docker_commit_makes(docker, busybox, tmp_path):
    """The same changes in a Docker container and in il.Container: the same whiteouts, opaque folder and files."""
    if docker.driver != "overlay2":
        pytest.skip(
            f"docker commit의 화이트아웃·불투명 디렉터리는 저장 드라이버마다 달라 overlay2에서만 비교합니다"
            f"(이 엔진: {docker.driver})"
        )
    script = (
        "echo hello > /etc/motd; echo extra >> /etc/passwd; rm /bin/vi; rm -rf /home; "
        "rm -rf /var && mkdir -p /var/new && echo x > /var/new/f; chmod 600 /etc/group; mkdir -p /srv/app"
    )
    docker("run", "--name", "imagelib-commit", "--network", "none", "busybox-base:1", "sh", "-c", script)
    docker("commit", "imagelib-commit", "imagelib-committed:1")
    docker("rm", "imagelib-commit")
    docker("save", "--output", str(tmp_path / "theirs.tar"), "imagelib-committed:1")
    theirs = il.open(tmp_path / "theirs.tar")

    box = il.Container(busybox)
    box.write("/etc/motd", "hello\n")
    box.write("/etc/passwd", box.read_text("/etc/passwd") + "extra\n")
    box.delete("/bin/vi")
    box.delete("/home")
    box.delete("/var")
    box.mkdir("/var/new")
    box.write("/var/new/f", "x\n")
    box.chmod("/etc/group", 0o600)
    box.mkdir("/srv/app")
    mine = box.commit(message="the same changes")

    kinds = {type(e).__name__ for e in mine.layers[-1].entries}
    assert {"Whiteout", "Opaque", "File", "Dir"} <= kinds
    assert _entries(mine.layers[-1]) == _entries(theirs.layers[-1])
    assert tree_snapshot(mine.rootfs()) == tree_snapshot(theirs.rootfs())


CACHE_DOCKERFILES = {
    # dependencies first: editing the app's code reuses the installed dependencies
    "good": (
        "FROM busybox-base:1\nWORKDIR /cache-good\nCOPY package.json ./\n"
        "RUN mkdir -p node_modules && cp package.json node_modules/installed.json\n"
        'COPY src/ ./src/\nRUN cat src/main.js > bundle.js\nCMD ["cat", "bundle.js"]\n'
    ),
    # everything first: any edit installs the dependencies again
    "bad": (
        "FROM busybox-base:1\nWORKDIR /cache-bad\nCOPY . .\n"
        "RUN mkdir -p node_modules && cp package.json node_modules/installed.json\n"
        'RUN cat src/main.js > bundle.js\nCMD ["cat", "bundle.js"]\n'
    ),
}
CACHE_EDITS = [
    ("첫 빌드", {}),
    ("코드 수정", {"src/main.js": "console.log(2)\n"}),
    ("의존성 수정", {"package.json": '{"name": "app", "version": "2"}\n'}),
    ("그대로", {}),
]


def _buildkit_cached_steps(log: str) -> "list[tuple[str, bool]]":
    """("[2/6] COPY package.json ./", cached?) for each step BuildKit printed with --progress=plain."""
    names, cached = {}, set()
    for line in log.splitlines():
        step = re.match(r"^#(\d+) (\[\d+/\d+\] .*)$", line)
        if step and " FROM " not in step.group(2):
            names.setdefault(step.group(1), step.group(2).strip())
        if re.match(r"^#(\d+) CACHED$", line):
            cached.add(line.split()[0][1:])
    return sorted((name, number in cached) for number, name in names.items())


@pytest.mark.parametrize("order", list(CACHE_DOCKERFILES))
def test_il_build_reuses_the_same_steps_buildkit_reuses(docker, busybox, tmp_path, order):
    """Notebook 09's claim, measured on both builders: which steps an edit sends back to work."""
    store, cache = store_with(busybox), il.BuildCache()
    context = tmp_path / "context"
    _write_context(
        context,
        {
            "Dockerfile": CACHE_DOCKERFILES[order],
            "package.json": '{"name": "app"}\n',
            "src/main.js": "console.log(1)\n",
        },
    )
    for what, edits in CACHE_EDITS:
        _write_context(context, edits)
        log = docker.build(context, f"imagelib-cache-{order}")
        result = il.build(context / "Dockerfile", context, store=store, cache=cache)
        mine = sorted(
            (f"[{s.progress}] {s.text}", s.cached) for s in result.steps if s.progress and s.instruction != "FROM"
        )
        assert mine == _buildkit_cached_steps(log), what
        install = dict(mine)[next(name for name, _ in mine if "node_modules" in name)]
        expected = {"첫 빌드": False, "코드 수정": order == "good", "의존성 수정": False, "그대로": True}
        assert install is expected[what], what  # the lesson: order decides what an edit re-runs


def test_docker_pulls_what_il_pushes_and_il_pulls_what_docker_pushes(docker, local_registry, tmp_path):
    """Through a real registry on 127.0.0.1 (Docker allows plain HTTP there): same digests both ways."""
    registry = il.Registry(local_registry.url, **FAST)
    mine = gzip_layers(tricky_image())  # registries carry compressed layers
    pushed = f"{local_registry.host}/imagelib-docker/mine:v1"
    registry.push(mine, pushed)
    docker("pull", pushed)
    [inspected] = json.loads(docker("image", "inspect", pushed))
    assert inspected["Id"] == str(mine.id)
    assert f"{local_registry.host}/imagelib-docker/mine@{mine.digest}" in inspected["RepoDigests"]

    theirs = f"{local_registry.host}/imagelib-docker/theirs:v1"
    docker("tag", pushed, theirs)
    printed = docker("push", theirs)
    digest = re.search(r"digest: (sha256:[0-9a-f]{64})", printed).group(1)
    pulled = registry.pull(theirs)
    assert str(pulled.digest) == digest  # the manifest Docker wrote, byte for byte
    assert pulled.id == mine.id
    assert tree_snapshot(pulled.rootfs()) == tree_snapshot(mine.rootfs())


def test_docker_images_size_is_what_il_build_modeled_size_counts(docker, tmp_path):
    """`docker images` SIZE: file bytes plus symlink target lengths, a hard-linked file once."""
    images = {"tricky": tricky_image(), "relinked": _relinked()}
    if platform.machine() in ("x86_64", "AMD64"):
        images["busybox"] = busybox_base()
    for name, image in images.items():
        il.save(image, tmp_path / f"{name}.tar", format="docker-archive", ref=f"imagelib-size-{name}:1")
        docker("load", "--input", str(tmp_path / f"{name}.tar"))
        [inspected] = json.loads(docker("image", "inspect", f"imagelib-size-{name}:1"))
        assert inspected["Size"] == il.modeled_size(image), name


PERMISSION_RUNS = {
    "tmp": ("echo mine > /tmp/mine.txt && rm /tmp/mine.txt", True),
    "etc": ("echo x > /etc/motd", False),
    "passwd": ("echo x >> /etc/passwd", False),
    "bin": ("rm /bin/vi", False),
    "chmod": ("chmod 777 /etc/group", False),
    "root-folder": ("mkdir /data", False),
}


@pytest.mark.parametrize("name", list(PERMISSION_RUNS))
def test_il_build_refuses_what_docker_refuses_a_user_who_is_not_root(docker, busybox, tmp_path, name):
    run, succeeds = PERMISSION_RUNS[name]
    context = tmp_path / "context"
    _write_context(context, {"Dockerfile": f"FROM busybox-base:1\nUSER 1000\nRUN {run}\n"})
    try:
        docker("build", "--network", "none", str(context), environment={"DOCKER_BUILDKIT": "1"})
        docker_built = True
    except AssertionError as error:
        assert "did not complete successfully" in str(error) or "exit code" in str(error), error
        docker_built = False
    try:
        il.build(context / "Dockerfile", context, store=store_with(busybox))
        il_built = True
    except il.BuildError:
        il_built = False
    assert docker_built is il_built is succeeds
