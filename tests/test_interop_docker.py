"""A real Docker engine loads what imagelib writes, sees the same files, and writes what imagelib reads;
``docker build`` and ``il.build`` make the same layers from the same COPY-only Dockerfile.

The tests start their own ``dockerd`` (Debian's docker.io) with the vfs storage driver and no
network setup, in a temporary folder, so they need root but no running Docker. Without
``dockerd``, or where it cannot start, they are skipped with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time

import pytest
from formats_helpers import gzip_layers, tree_snapshot, tricky_image
from processes import stop

import imagelib as il

pytestmark = pytest.mark.interop

# What ``docker create`` adds to every container's file system (not part of the image).
ENGINE_PATHS = {".dockerenv", "dev", "proc", "sys", "etc/hostname", "etc/hosts", "etc/mtab",
                "etc/resolv.conf"}


@pytest.fixture(scope="module")
def docker(tmp_path_factory):
    """A ``docker`` command (a function taking CLI arguments) talking to a private dockerd."""
    daemon = shutil.which("dockerd")
    client = shutil.which("docker")
    if daemon is None or client is None:
        pytest.skip("dockerd가 없어 건너뜁니다: 이 시험은 진짜 도커 엔진이 imagelib의 결과를 읽는지 확인합니다")
    if os.geteuid() != 0:
        pytest.skip("dockerd는 관리자(root) 권한이 있어야 시작할 수 있어 건너뜁니다")
    home = tmp_path_factory.mktemp("docker")
    socket = home / "docker.sock"
    log = open(home / "dockerd.log", "wb")
    process = subprocess.Popen(
        [daemon, "--data-root", str(home / "data"), "--exec-root", str(home / "exec"),
         "--pidfile", str(home / "dockerd.pid"), "--host", f"unix://{socket}",
         "--storage-driver", "vfs", "--iptables=false", "--ip6tables=false", "--bridge=none"],
        stdout=log, stderr=subprocess.STDOUT)

    def run(*args: str, environment: "dict[str, str] | None" = None) -> str:
        done = subprocess.run([client, *args], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "DOCKER_HOST": f"unix://{socket}", **(environment or {})})
        if done.returncode != 0:
            raise AssertionError(f"docker {args[0]} failed: {done.stderr.strip()}")
        return done.stdout

    try:
        _wait_until_ready(run, process, home / "dockerd.log")
        yield run
    finally:
        stop(process, timeout=30)
        log.close()


def _wait_until_ready(run, process: subprocess.Popen, log_path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            lines = log_path.read_text(errors="replace").strip().splitlines() or ["(로그 없음)"]
            pytest.skip(f"dockerd가 시작되지 않아 건너뜁니다: {lines[-1][:300]}")
        try:
            run("version")
            return
        except AssertionError:
            time.sleep(0.5)
    pytest.skip("dockerd가 60초 안에 준비되지 않아 건너뜁니다")


def _relinked() -> il.Image:
    # a folder replaced by a symlink in one layer, then written through in the next
    return (il.Image.scratch()
            .add_layer(il.Layer.from_files({"data/old.txt": "old\n", "real/keep.txt": "keep\n"}))
            .add_layer(il.Layer.from_files({"data": il.Symlink("real")}))
            .add_layer(il.Layer.from_files({"data/new.txt": "new\n"})))


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
    theirs = {path: entry for path, entry in tree_snapshot(exported).items()
              if path not in ENGINE_PATHS and path.split("/", 1)[0] not in ("dev", "proc", "sys")
              and (path != "etc" or "etc" in mine)}  # the engine makes /etc for its files if needed
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
        str(image.id), str(image.digest))  # Docker 25+ with the containerd store names images by manifest


BUILD_CONTEXT = {
    "a.txt": "hi\n", "b.txt": "b\n", "src/sub/deep.txt": "deep\n", "src/run.sh": "#!/bin/sh\n",
    "logs/x.log": "x\n", "logs/keep.log": "keep\n", "junk.tmp": "t\n",
    ".dockerignore": "logs/*.log\n!logs/keep.log\n*.tmp\n",
    "Dockerfile": ("FROM scratch\nCOPY . /app/\nCOPY src/ /dest/\nCOPY a.txt b.txt /multi/\n"
                   "WORKDIR /srv/work\nCOPY a.txt ./here.txt\nENV GREETING=hello\n"),
}


def test_il_build_makes_the_layers_and_files_docker_build_makes(docker, tmp_path):
    context = tmp_path / "context"
    for path, text in BUILD_CONTEXT.items():
        (context / path).parent.mkdir(parents=True, exist_ok=True)
        (context / path).write_text(text)
    (context / "src" / "run.sh").chmod(0o755)
    docker_build = ["build", "--tag", "imagelib-built:1.0", str(context)]
    docker(*docker_build, environment={"DOCKER_BUILDKIT": "0"})  # COPY-only: no container is run
    docker("save", "--output", str(tmp_path / "docker-built.tar"), "imagelib-built:1.0")
    theirs = il.open(tmp_path / "docker-built.tar")
    mine = il.build(context / "Dockerfile", context).image
    assert [sorted(e.path for e in layer.entries) for layer in mine.layers] == \
        [sorted(e.path for e in layer.entries) for layer in theirs.layers]
    assert tree_snapshot(mine.rootfs()) == tree_snapshot(theirs.rootfs())
    for key in ("Env", "WorkingDir"):
        assert mine.config_json["config"][key] == theirs.config_json["config"][key]
    assert [h.get("empty_layer", False) for h in mine.config_json["history"]] == \
        [h.get("empty_layer", False) for h in theirs.config_json["history"]]
