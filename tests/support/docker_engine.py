"""A private Docker engine for the tests: ``docker`` starts Debian's dockerd in a temporary folder
(overlay2, or vfs where overlay2 cannot mount; no network setup), ``busybox`` loads a small runnable
base image into it. Without dockerd, without root, or where it cannot start, the tests that use them
are skipped with the reason. Registered as a pytest plugin in tests/conftest.py.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import time

import pytest
from formats_helpers import real_image
from processes import stop

import imagelib as il

__all__ = ["BUILDERS", "PrivateDocker", "busybox_base", "docker_run", "store_with"]

DOCKER_IO_CLIENT = "/usr/bin/docker"


# docker build's two builders, by the DOCKER_BUILDKIT value that chooses each
BUILDERS = {"buildkit": "1", "legacy": "0"}


class PrivateDocker:
    """A dockerd of the tests' own in ``home``, and its ``docker`` command: ``docker("load", ...)``."""

    def __init__(self, daemon: str, client: str, home, driver: str) -> None:
        self.client, self.home, self.driver = client, home, driver
        self.socket = home / "docker.sock"
        self.log_path = home / "dockerd.log"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    daemon,
                    "--data-root",
                    str(home / "data"),
                    "--exec-root",
                    str(home / "exec"),
                    "--pidfile",
                    str(home / "dockerd.pid"),
                    "--host",
                    f"unix://{self.socket}",
                    "--storage-driver",
                    driver,
                    "--iptables=false",
                    "--ip6tables=false",
                    "--bridge=none",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def __call__(self, *args: str, environment: "dict[str, str] | None" = None, output: str = "stdout") -> str:
        done = subprocess.run(
            [self.client, *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "DOCKER_HOST": f"unix://{self.socket}", **(environment or {})},
        )
        if done.returncode != 0:
            raise AssertionError(f"docker {args[0]} failed: {done.stderr.strip()}")
        return {"stdout": done.stdout, "stderr": done.stderr, "both": done.stdout + done.stderr}[output]

    def build(
        self, context, tag: str, builder: str = "buildkit", network: bool = False, secrets: "dict | None" = None
    ) -> str:
        """``docker build`` of ``context`` as ``tag`` with BuildKit or the legacy builder, and its log
        (BuildKit's plain progress, where each step says whether it was CACHED); skips the test
        where this client has no BuildKit (newer clients need the buildx plugin). ``secrets`` maps a
        secret id to the file given as ``--secret id=ID,src=FILE`` (BuildKit only)."""
        options = [] if network else ["--network", "none"]
        if builder == "buildkit":
            options += ["--progress", "plain"]
        for name, source in (secrets or {}).items():
            options += ["--secret", f"id={name},src={source}"]
        environment = {"DOCKER_BUILDKIT": BUILDERS[builder]}
        try:
            return self("build", *options, "--tag", tag, str(context), environment=environment, output="both")
        except AssertionError as error:
            if "buildx" in str(error):
                pytest.skip("이 docker 클라이언트에는 BuildKit(buildx)이 없어 건너뜁니다")
            raise

    def saved(self, tag: str, folder) -> il.Image:
        """The image ``tag`` as ``docker save`` writes it, read by imagelib."""
        archive = folder / f"{tag.replace('/', '-').replace(':', '-')}.tar"
        self("save", "--output", str(archive), tag)
        return il.open(archive)

    def close(self) -> None:
        """Stop the daemon and undo any mount it left under its folder (a daemon that failed may)."""
        stop(self.process, timeout=30)
        with open("/proc/self/mounts") as mounts:
            points = [line.split()[1] for line in mounts if line.split()[1].startswith(str(self.home))]
        for point in sorted(points, key=len, reverse=True):
            subprocess.run(["umount", point], capture_output=True)

    def wait_until_ready(self) -> "str | None":
        """None when the daemon answers, else why it does not."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                lines = self.log_path.read_text(errors="replace").strip().splitlines() or ["(로그 없음)"]
                return lines[-1][:300]
            try:
                self("version")
                return None
            except AssertionError:
                time.sleep(0.5)
        return "60초 안에 준비되지 않았습니다"


@pytest.fixture(scope="module")
def docker(tmp_path_factory):
    """A private Docker engine: overlay2 storage as on most machines, or vfs where overlay2 cannot mount."""
    daemon = shutil.which("dockerd")
    # docker.io's own client matches its daemon and has BuildKit built in (newer ones need buildx)
    client = DOCKER_IO_CLIENT if os.path.exists(DOCKER_IO_CLIENT) else shutil.which("docker")
    if daemon is None or client is None:
        pytest.skip("dockerd가 없어 건너뜁니다: 이 테스트는 진짜 도커 엔진이 imagelib의 결과를 읽는지 확인합니다")
    if os.geteuid() != 0:
        pytest.skip("dockerd는 관리자(root) 권한이 있어야 시작할 수 있어 건너뜁니다")
    reasons = []
    for driver in ("overlay2", "vfs"):
        engine = PrivateDocker(daemon, client, tmp_path_factory.mktemp(f"docker-{driver}"), driver)
        reason = engine.wait_until_ready()
        if reason is None:
            try:
                yield engine
            finally:
                engine.close()
            return
        engine.close()
        reasons.append(f"{driver}: {reason}")
    pytest.skip(f"dockerd가 시작되지 않아 건너뜁니다 ({'; '.join(reasons)})")


@pytest.fixture(scope="module")
def busybox(docker, tmp_path_factory) -> il.Image:
    """The busybox base image, loaded into the engine once as ``busybox-base:1``."""
    if platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip("테스트 이미지의 busybox는 linux/amd64용이라 이 컴퓨터에서는 실행할 수 없어 건너뜁니다")
    base = busybox_base()
    archive = tmp_path_factory.mktemp("busybox") / "base.tar"
    il.save(base, archive, format="docker-archive", ref="busybox-base:1")
    docker("load", "--input", str(archive))
    return base


def store_with(base: il.Image) -> il.Store:
    """A store holding ``base`` as ``busybox-base:1``, where il.build finds what the engine has."""
    store = il.Store()
    store.put(base, "busybox-base:1")
    return store


def busybox_base() -> il.Image:
    """dive's test image (busybox for linux/amd64, written by Docker itself) with the folders and
    files real distributions ship and a container runtime mounts over: /proc, /sys, /etc/hosts,
    /etc/hostname, /etc/resolv.conf. Without them runc creates them as mount points while a step
    runs, and BuildKit keeps those (or their parent folder) in that step's layer."""
    runtime_paths = il.Layer.from_files(
        {"proc": il.Dir(), "sys": il.Dir(), "etc/hosts": "", "etc/hostname": "", "etc/resolv.conf": ""}
    )
    return il.open(real_image("dive-test-docker-image.tar")).add_layer(runtime_paths)


def docker_run(docker, tmp_path, image: il.Image, tag: str, *command: str) -> str:
    il.save(image, tmp_path / f"{tag.replace(':', '-')}.tar", format="docker-archive", ref=tag)
    docker("load", "--input", str(tmp_path / f"{tag.replace(':', '-')}.tar"))
    return docker("run", "--rm", "--network", "none", tag, *command)
