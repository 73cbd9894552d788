"""Store(path) survives being killed at any moment and being written by two processes at once.

A forked child saves images (or image indexes over two platforms) into an OCI layout store in a
loop (put, untag, gc) and is killed with SIGKILL after a random delay, round after round on the
same folder. After every kill the folder must open, ``verify()`` must find every blob's content
matching its name, and every tag must load (which checks each blob's digest and size again).
"""

from __future__ import annotations

import json
import os
import random
import signal
import time

import pytest

import imagelib as il
from imagelib.store.atomic import is_temp_name

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork가 없는 플랫폼이라 건너뜁니다(윈도우)")

KILL_ROUNDS = 50


def _image(seed: int, number: int, rnd: random.Random) -> il.Image:
    data = rnd.randbytes(rnd.randrange(64, 2048) * 1024)
    layer = il.Layer.from_files({f"data/{seed}-{number}.bin": data, "etc/shared.txt": "same in every image\n"})
    return il.Image.scratch().add_layer(layer).with_config(cmd=["run", str(number)], labels={"w": str(seed)})


def _writer(
    path: str,
    seed: int,
    count: "int | None",
    gc_every: int = 0,
    progress: "int | None" = None,
    indexes: bool = False,
) -> None:
    """The child's work: save images (and sometimes untag and gc) until killed or done.

    Before each save it writes one byte to ``progress``, so the parent can aim its kill at
    the save itself rather than at building the image. With ``indexes``, every other save is
    an image index of the image and its arm64 twin (the same layer, another config).
    """
    rnd = random.Random(seed)
    store = il.Store(path)
    number = 0
    while count is None or number < count:
        image: "il.Image | il.ImageIndex" = _image(seed, number, rnd)
        if indexes and number % 2:
            assert isinstance(image, il.Image)
            image = il.ImageIndex.of([image, image.with_platform("arm64")])
        if progress is not None:
            os.write(progress, b".")
        store.put(image, f"app{seed}:v{number}")
        if count is None and number % 5 == 4:
            store.untag(f"app{seed}:v{number - 1}")
        if gc_every and number % gc_every == gc_every - 1:
            store.gc()
        number += 1


def _fork(target, *args) -> int:
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 1
        try:
            target(*args)
            code = 0
        finally:
            os._exit(code)
    return pid


def _check_store(path: str) -> "list[str]":
    store = il.Store(path)
    assert store.verify() == []
    with open(os.path.join(path, "index.json"), "rb") as handle:
        json.loads(handle.read())
    for tag in store.tags():
        image = store.get(tag)
        assert image.config.cmd and image.layers[0].entry("etc/shared.txt").read() == b"same in every image\n"
    return store.tags()


@pytest.mark.parametrize("indexes", [False, True], ids=["images", "indexes"])
def test_killed_writers_never_leave_a_bad_blob_or_index(tmp_path, indexes):
    path = str(tmp_path / "store")
    rnd = random.Random(2024)
    seen_tags = temp_files = 0
    start = time.monotonic()
    for round_number in range(KILL_ROUNDS):
        read_end, write_end = os.pipe()
        pid = _fork(_writer, path, 100 + round_number, None, 4, write_end, indexes)
        os.close(write_end)
        if round_number % 8:  # most rounds: let a few saves finish, then kill inside the next one
            for _ in range(rnd.randint(1, 3)):
                os.read(read_end, 1)
            time.sleep(rnd.uniform(0, 0.015))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(read_end)
        assert os.WIFSIGNALED(status) or os.WEXITSTATUS(status) == 0, f"round {round_number}: the writer failed"
        if os.path.exists(path):
            seen_tags += len(_check_store(path))
            blobs = os.path.join(path, "blobs", "sha256")
            temp_files += len([n for n in os.listdir(blobs) if is_temp_name(n)]) if os.path.isdir(blobs) else 0
    assert seen_tags > KILL_ROUNDS  # the writers did get work done between kills
    store = il.Store(path)
    store.gc()
    assert not [n for n in os.listdir(os.path.join(path, "blobs", "sha256")) if is_temp_name(n)]
    assert store.verify() == [] and _check_store(path) == store.tags()
    print(
        f"\n{KILL_ROUNDS} kills in {time.monotonic() - start:.1f}s, tags seen {seen_tags}, "
        f"temp files left by killed writers {temp_files}"
    )


@pytest.mark.parametrize("indexes", [False, True], ids=["images", "indexes"])
def test_two_processes_writing_one_store_lose_nothing(tmp_path, indexes):
    path = str(tmp_path / "store")
    il.Store(path)
    read_end, write_end = os.pipe()

    def after_go(seed: int, gc_every: int) -> None:
        os.read(read_end, 1)  # both start together
        _writer(path, seed, 12, gc_every, indexes=indexes)

    children = [_fork(after_go, 1, 0), _fork(after_go, 2, 3)]  # the second one also runs gc
    os.write(write_end, b"gg")
    for pid in children:
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    os.close(read_end)
    os.close(write_end)
    store = il.Store(path)
    assert store.tags() == sorted(f"app{seed}:v{n}" for seed in (1, 2) for n in range(12))
    assert store.verify() == []
    for tag in store.tags():
        assert store.get(tag).config.labels["w"] == tag[3]
    if indexes:
        assert store.get_index("app1:v1").platforms == ("linux/amd64", "linux/arm64")


def test_a_store_created_by_a_killed_process_opens(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / ".imagelib-tmp-abc").write_bytes(b'{"imageLayoutVersion"')  # cut before oci-layout
    store = il.Store(folder)
    store.put(_image(1, 1, random.Random(1)), "app:1")
    assert il.Store(folder).tags() == ["app:1"]
    only_layout = tmp_path / "second"
    only_layout.mkdir()
    (only_layout / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')  # cut before index.json
    assert il.Store(only_layout).tags() == []
    assert (only_layout / "index.json").exists() and (only_layout / "blobs" / "sha256").is_dir()


def test_a_stale_store_object_does_not_drop_names_another_wrote(tmp_path):
    first, second = il.Store(tmp_path / "s"), il.Store(tmp_path / "s")
    first.put(_image(1, 1, random.Random(1)), "one:1")
    second.put(_image(2, 2, random.Random(2)), "two:1")  # second never saw one:1
    second.untag("two:1")
    first.tag("one:1", "one:latest")
    assert il.Store(tmp_path / "s").tags() == ["one:1", "one:latest"]
    second.gc()  # re-reads the index first: one:1 stays
    assert il.Store(tmp_path / "s").get("one:latest").config.labels["w"] == "1"
