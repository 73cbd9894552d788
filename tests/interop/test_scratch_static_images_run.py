"""``FROM scratch`` images holding one static binary, made by imagelib, run under the real Docker engine.

Debian's busybox-static is a real statically linked program: an empty image has no dynamic loader and no
libraries, so only such a program can run in it. The image is made two ways — by hand with
``il.Image.scratch().add_layer(...)`` (``course_examples.busybox_on_scratch``) and by ``il.build`` of
``course_examples.SCRATCH_DOCKERFILE`` and two variants — loaded with ``docker load`` and run: it prints
the CMD's greeting, ``id -u``/``id -g`` inside show the non-root USER of the config, and ``stat`` of
``/bin/busybox`` and ``/bin`` shows the owner and mode imagelib wrote into the layer (``COPY --chown``
and ``--chmod`` as BuildKit applies them). ``docker build`` of the same Dockerfiles with BuildKit is then
compared with il.build: the config, the history and every layer entry (path, kind, mode, owner, content).

What differs, on purpose or by BuildKit version, is written down and asserted below.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import struct
import tarfile

import pytest

import imagelib as il
from imagelib.course_examples import SCRATCH_DOCKERFILE, busybox_on_scratch

pytestmark = pytest.mark.interop

STATIC_BUSYBOX = "/bin/busybox"  # installed by Debian's busybox-static

# The Dockerfile of the course and three variants: a mode the context file does not have (so --chmod
# must be applied, not kept by chance), a plain COPY (root owns the file, the context's mode stays) and
# a USER without a group.
DOCKERFILES = {
    "chown-chmod-755": SCRATCH_DOCKERFILE,
    "chown-chmod-750": SCRATCH_DOCKERFILE.replace("--chmod=755", "--chmod=750"),
    "plain-copy": SCRATCH_DOCKERFILE.replace("--chown=1000:1000 --chmod=755 ", ""),
    "user-without-group": SCRATCH_DOCKERFILE.replace("USER 1000:1000", "USER 1000"),
}

# One run answers every question: the user and group the process has, then owner and mode of the files.
INSIDE = ["sh", "-c", "id -u; id -g; stat -c '%u %g %a' /bin/busybox /bin"]

# The config keys Docker 20.10's BuildKit (0.8) writes that il.build does not: "ArgsEscaped": true,
# which every BuildKit writes after CMD (a Windows-only setting Linux runtimes ignore), and "OnBuild": null.
ONLY_BUILDKIT_WRITES = {"ArgsEscaped", "OnBuild"}


def _is_static_elf(path: str) -> bool:
    """True for an ELF program with no PT_INTERP header (no dynamic loader): ``ldd`` says "not a dynamic
    executable"."""
    with open(path, "rb") as program:
        header = program.read(64)
        if header[:4] != b"\x7fELF" or header[4] != 2:  # 64-bit only, as this machine's busybox is
            return False
        (table,) = struct.unpack_from("<Q", header, 32)
        size, count = struct.unpack_from("<HH", header, 54)
        program.seek(table)
        types = [struct.unpack_from("<I", program.read(size))[0] for _ in range(count)]
    return 3 not in types  # PT_INTERP


@pytest.fixture(scope="module")
def busybox_static() -> bytes:
    if platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip("이미지의 플랫폼이 linux/amd64라 이 컴퓨터에서는 실행할 수 없어 건너뜁니다")
    if not os.path.isfile(STATIC_BUSYBOX) or not _is_static_elf(STATIC_BUSYBOX):
        pytest.skip("정적 링크된 busybox(Debian의 busybox-static)가 없어 건너뜁니다")
    with open(STATIC_BUSYBOX, "rb") as program:
        return program.read()


def _context(tmp_path, dockerfile: str):
    context = tmp_path / "context"
    context.mkdir()
    shutil.copy2(STATIC_BUSYBOX, context / "busybox")  # with its mtime, which BuildKit keeps
    (context / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    return context


def _load(docker, tmp_path, image: il.Image, tag: str) -> None:
    archive = tmp_path / f"{tag.replace(':', '-')}.tar"
    il.save(image, archive, format="docker-archive", ref=tag)
    docker("load", "--input", str(archive))


def _run(docker, tag: str, *command: str) -> str:
    return docker("run", "--rm", "--network", "none", tag, *command)


def _written(image: il.Image) -> "list[str]":
    """What ``INSIDE`` should print, from the config's USER and the layer entries imagelib wrote."""
    [layer] = image.layers
    entries = {entry.path: entry for entry in layer.entries}
    user, _, group = image.config.user.partition(":")
    # USER without a group: runc takes the user's group from /etc/passwd, and an image without one gives 0
    return [user, group or "0"] + [
        f"{entries[p].uid} {entries[p].gid} {entries[p].mode:o}" for p in ("bin/busybox", "bin")
    ]


def _entries(image: il.Image) -> "list[tuple]":
    return [
        (entry.path, entry.kind, entry.mode, entry.uid, entry.gid, _content_digest(entry))
        for layer in image.layers
        for entry in layer.entries
    ]


def _tar_times_and_names(image: il.Image) -> "dict[str, tuple[int, str, str]]":
    """Path -> (mtime, user name, group name) of the layer's tar headers."""
    [layer] = image.layers
    with layer.open_tar() as stream, tarfile.open(fileobj=stream, mode="r|") as tar:
        return {member.name.rstrip("/"): (member.mtime, member.uname, member.gname) for member in tar}


def _content_digest(entry) -> "str | None":
    return hashlib.sha256(entry.read()).hexdigest() if isinstance(entry, il.File) else None


def test_busybox_on_scratch_made_by_hand_runs_as_user_1000_with_the_owner_and_mode_imagelib_wrote(
    docker, busybox_static, tmp_path
):
    image = busybox_on_scratch(busybox_static)
    _load(docker, tmp_path, image, "imagelib-scratch-by-hand:1")
    assert _run(docker, "imagelib-scratch-by-hand:1") == "안녕하세요\n"
    inside = _run(docker, "imagelib-scratch-by-hand:1", *INSIDE).splitlines()
    assert inside == _written(image) == ["1000", "1000", "1000 1000 755", "1000 1000 755"]


@pytest.mark.parametrize("name", list(DOCKERFILES))
def test_il_build_of_a_scratch_dockerfile_runs_with_the_user_owner_and_mode_of_its_image(
    docker, busybox_static, tmp_path, name
):
    image = il.build(DOCKERFILES[name], _context(tmp_path, DOCKERFILES[name])).image
    tag = f"imagelib-scratch-{name}:il"
    _load(docker, tmp_path, image, tag)
    assert _run(docker, tag) == "안녕하세요\n"
    assert _run(docker, tag, *INSIDE).splitlines() == _written(image)


def _without_flags_buildkit_0_8_leaves_out(created_by: str) -> str:
    """Docker 20.10's BuildKit (0.8) writes COPY's history without --chown/--chmod; il.build writes them as
    newer BuildKit does (``COPY --chown=1000:1000 --chmod=755 busybox /bin/busybox # buildkit``)."""
    if created_by.startswith("COPY "):
        return " ".join(word for word in created_by.split(" ") if not word.startswith(("--chown=", "--chmod=")))
    return created_by


@pytest.mark.parametrize("name", list(DOCKERFILES))
def test_il_build_writes_the_config_history_and_layer_entries_buildkit_writes_for_a_scratch_image(
    docker, busybox_static, tmp_path, name
):
    context = _context(tmp_path, DOCKERFILES[name])
    mine = il.build(DOCKERFILES[name], context).image
    docker.build(context, f"imagelib-scratch-{name}:buildkit")
    theirs = docker.saved(f"imagelib-scratch-{name}:buildkit", tmp_path)

    config, their_config = mine.config_json["config"], theirs.config_json["config"]
    assert config == {key: their_config.get(key) for key in config}
    assert {key for key in their_config if key not in config} == ONLY_BUILDKIT_WRITES
    assert their_config["ArgsEscaped"] is True and their_config["OnBuild"] is None
    assert config["WorkingDir"] == "/"  # BuildKit's empty image starts there

    steps = [(h.created_by, h.comment, h.empty_layer) for h in mine.history]
    assert [(_without_flags_buildkit_0_8_leaves_out(s[0]), *s[1:]) for s in steps] == [
        (h.created_by, h.comment, h.empty_layer) for h in theirs.history
    ]
    # The layer tars differ only in what the entries leave out: BuildKit writes the context file's mtime
    # (and the time of the build on the /bin it makes) and the names the daemon's machine has for the
    # owner's ids; imagelib writes mtime 0 and no names, so the same Dockerfile and context give the
    # same digest anywhere.
    assert _entries(mine) == _entries(theirs)
    assert set(_tar_times_and_names(mine).values()) == {(0, "", "")}
    assert _tar_times_and_names(theirs)["bin/busybox"][0] == int((context / "busybox").stat().st_mtime)
    assert _run(docker, f"imagelib-scratch-{name}:buildkit", *INSIDE).splitlines() == _written(mine)
