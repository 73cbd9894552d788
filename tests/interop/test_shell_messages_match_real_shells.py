"""The modeled shell's own messages ("not found", "Permission denied", "can't create" …) are the ones
the real /bin/sh prints, byte for byte, with the same exit status: BusyBox ash (Alpine, busybox)
and dash (Debian, Ubuntu). Real shells come from the host (Debian's busybox-static and dash) and
from the busybox image run by the private Docker engine."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from docker_engine import busybox_base

import imagelib as il
from imagelib.userland.shell import ShellSession

ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root"}

# Each script fails in the shell itself; none writes outside the folder it runs in. vite and webpack
# are programs the model knows but neither the images nor the host have.
SCRIPTS = [
    "vite build",
    "true; webpack --version",
    "/usr/local/bin/vite",
    "printf x > t.sh && ./t.sh",
    "cd /nope",
    "echo x > /nope/dir/f",
    "cat < /nope",
    "echo x > /tmp",
]

# the image whose /bin/sh is the same shell, and the host program that is that shell
SHELLS = {"ash": ("alpine:3.19", "busybox"), "dash": ("debian:bookworm-slim", "dash")}


def modeled(image: il.Image, script: str, user: str = "", owner: "tuple[int, int]" = (0, 0)) -> "tuple[int, str]":
    shell = ShellSession(il.Container(image), dict(ENV), "/", user, owner)
    status = shell.run(script)
    return status, shell.log.decode()


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("dialect", list(SHELLS))
def test_modeled_shell_says_what_the_real_shell_says(dialect, script, tmp_path):
    image_name, program = SHELLS[dialect]
    executable = shutil.which(program)
    if executable is None:
        pytest.skip(f"{program}가 없어 건너뜁니다(Debian: apt-get install busybox-static dash)")
    # started as /bin/sh, as Docker starts it for RUN: the shell names itself by argv[0]
    real = subprocess.run(["/bin/sh", "-c", script], executable=executable, cwd=tmp_path, capture_output=True)
    assert real.stdout == b""
    assert modeled(il.catalog.get(image_name), script) == (real.returncode, real.stderr.decode())


def _docker_run(docker, *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [docker.client, "run", "--rm", "--network", "none", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DOCKER_HOST": f"unix://{docker.socket}"},
    )


# The busybox in the test image is BusyBox 1.29.3, whose cd counts the lines of "sh -c" from 1;
# BusyBox 1.35 (Debian's busybox-static) counts from 0, as the model does.
DOCKER_SCRIPTS = [s for s in SCRIPTS if not s.startswith("cd ")]


@pytest.mark.parametrize(
    "script", [*DOCKER_SCRIPTS, "USER 1000: echo x > /etc/motd", "USER 1000: echo x >> /etc/passwd"]
)
def test_modeled_shell_says_what_busybox_in_docker_says(docker, busybox, script):
    user = ""
    if script.startswith("USER "):
        user, script = script[len("USER ") :].split(": ", 1)
    real = _docker_run(docker, *(["--user", user] if user else []), "busybox-base:1", "/bin/sh", "-c", script)
    owner = (int(user), 0) if user else (0, 0)
    assert modeled(busybox_base(), script, user, owner) == (real.returncode, real.stderr)
