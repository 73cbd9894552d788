"""``RUN --mount=type=secret`` with the real BuildKit and with ``il.build``: the secret file is
visible to that RUN, is absent from every layer tar, the RUN's history line names the command
without the mount, a changed secret does not change the cache key, and a missing required secret
fails with BuildKit's message (but not when its step is cached), and a missing optional one
leaves no mount point."""

from __future__ import annotations

import pytest
from docker_engine import store_with

import imagelib as il

pytestmark = pytest.mark.interop

TOKEN = b"//registry.npmjs.org/:_authToken=npm_SECRETVALUE1234\n"
DOCKERFILE = (
    "FROM busybox-base:1\n"
    "RUN --mount=type=secret,id=npmrc test -s /run/secrets/npmrc && echo seen > /seen\n"
    "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true cat /root/.npmrc > /tmp/size-check && "
    "rm /tmp/size-check\n"
)


def _context(tmp_path, dockerfile: str, secret: bytes):
    context = tmp_path / "context"
    context.mkdir(exist_ok=True)
    (context / "Dockerfile").write_text(dockerfile)
    source = tmp_path / "npmrc"
    source.write_bytes(secret)
    return context, source


def _tar_bytes(layer: il.Layer) -> bytes:
    with layer.open_tar() as stream:
        return stream.read()


def _secret_left_in(image: il.Image, secret: bytes) -> "list[str]":
    """Layers whose tar holds the secret's bytes or a file at one of its mount targets."""
    found = []
    for index, layer in enumerate(image.layers):
        paths = {entry.path for entry in layer.entries}
        if secret.strip() in _tar_bytes(layer) or paths & {"run/secrets/npmrc", "root/.npmrc"}:
            found.append(f"layer {index}")
    return found


def test_secret_is_seen_by_its_run_and_absent_from_every_layer_like_buildkit(docker, busybox, tmp_path):
    context, source = _context(tmp_path, DOCKERFILE, TOKEN)
    docker.build(context, "imagelib-secret:1", secrets={"npmrc": source})
    theirs = docker.saved("imagelib-secret:1", tmp_path)
    ours = il.build(DOCKERFILE, {}, store=store_with(busybox), secrets={"npmrc": source}).image

    assert _secret_left_in(theirs, TOKEN) == [] and _secret_left_in(ours, TOKEN) == []
    added = len(busybox.layers)
    assert [h.created_by for h in ours.history[-2:]] == [h.created_by for h in theirs.history[-2:]]
    assert "--mount" not in " ".join(h.created_by for h in theirs.history)
    # the RUN saw the secret: both wrote /seen; the mount point's new folders stay, as in 20.10's BuildKit
    first = [sorted(e.path for e in image.layers[added].entries) for image in (theirs, ours)]
    assert first[0] == first[1] == ["run", "run/secrets", "seen"]


def test_changing_the_secret_keeps_the_cache_like_buildkit(docker, busybox, tmp_path):
    dockerfile = "FROM busybox-base:1\nRUN --mount=type=secret,id=npmrc cat /run/secrets/npmrc > /dev/null\n"
    context, source = _context(tmp_path, dockerfile, TOKEN)
    docker.build(context, "imagelib-secret-cache:1", secrets={"npmrc": source})
    source.write_bytes(b"//registry.npmjs.org/:_authToken=npm_CHANGED\n")
    log = docker.build(context, "imagelib-secret-cache:1", secrets={"npmrc": source})
    run_step = log.split("RUN --mount=type=secret,id=npmrc", 1)[1].split("\n\n", 1)[0]
    assert "CACHED" in run_step

    cache = il.BuildCache()
    store = store_with(busybox)
    il.build(dockerfile, {}, store=store, cache=cache, secrets={"npmrc": TOKEN})
    again = il.build(dockerfile, {}, store=store, cache=cache, secrets={"npmrc": b"token=changed\n"})
    assert again.steps[-1].cached


def test_missing_required_secret_fails_with_buildkits_message(docker, busybox, tmp_path):
    dockerfile = "FROM busybox-base:1\nRUN --mount=type=secret,id=npmrc,required=true echo hi\n"
    context, _ = _context(tmp_path, dockerfile, TOKEN)
    with pytest.raises(AssertionError) as real:
        docker.build(context, "imagelib-secret-missing:1")
    with pytest.raises(il.ImageLibError) as modeled:
        il.build(dockerfile, {}, store=store_with(busybox))
    message = "secret npmrc not found: not found"
    assert message in str(real.value) and message in str(modeled.value)


def test_analyze_finds_the_npmrc_a_real_build_copied_and_deleted(docker, busybox, tmp_path):
    dockerfile = "FROM busybox-base:1\nCOPY .npmrc /root/.npmrc\nRUN rm /root/.npmrc\n"
    context, _ = _context(tmp_path, dockerfile, TOKEN)
    (context / ".npmrc").write_bytes(TOKEN)
    docker.build(context, "imagelib-secret-copied:1")
    theirs = docker.saved("imagelib-secret-copied:1", tmp_path)
    found = il.analyze(theirs).credentials
    added = len(busybox.layers)
    assert [(f.path, f.kind, f.layer, f.hidden_later) for f in found] == [("root/.npmrc", "npm-token", added, True)]
    assert TOKEN.strip() in _tar_bytes(theirs.layers[added])


def test_missing_optional_secret_leaves_no_mount_point_like_buildkit(docker, busybox, tmp_path):
    dockerfile = (
        "FROM busybox-base:1\nRUN --mount=type=secret,id=absent test -e /run/secrets/absent || echo none > /out\n"
    )
    context, _ = _context(tmp_path, dockerfile, TOKEN)
    docker.build(context, "imagelib-secret-optional:1")
    theirs = docker.saved("imagelib-secret-optional:1", tmp_path)
    ours = il.build(dockerfile, {}, store=store_with(busybox)).image
    assert [sorted(e.path for e in image.layers[-1].entries) for image in (theirs, ours)] == [["out"], ["out"]]


def test_cached_step_does_not_ask_again_for_its_required_secret_like_buildkit(docker, busybox, tmp_path):
    dockerfile = "FROM busybox-base:1\nRUN --mount=type=secret,id=npmrc,required echo hi > /hi\n"
    context, source = _context(tmp_path, dockerfile, TOKEN)
    docker.build(context, "imagelib-secret-required-cached:1", secrets={"npmrc": source})
    docker.build(context, "imagelib-secret-required-cached:1")  # no secret this time: the step is cached

    cache, store = il.BuildCache(), store_with(busybox)
    il.build(dockerfile, {}, store=store, cache=cache, secrets={"npmrc": TOKEN})
    assert il.build(dockerfile, {}, store=store, cache=cache).steps[-1].cached


def test_relative_target_is_under_the_workdir_like_buildkit(docker, busybox, tmp_path):
    dockerfile = (
        "FROM busybox-base:1\nWORKDIR /app\nRUN --mount=type=secret,id=npmrc,target=rel.txt "
        "(cat /app/rel.txt > /under-workdir || true) && (cat /rel.txt > /under-root || true)\n"
    )
    context, source = _context(tmp_path, dockerfile, TOKEN)
    docker.build(context, "imagelib-secret-relative:1", secrets={"npmrc": source})
    theirs = docker.saved("imagelib-secret-relative:1", tmp_path).rootfs()
    ours = il.build(dockerfile, {}, store=store_with(busybox), secrets={"npmrc": TOKEN}).image.rootfs()
    for tree in (theirs, ours):
        assert (tree.read_bytes("under-workdir"), tree.read_bytes("under-root")) == (TOKEN, b"")
        assert not tree.exists("app/rel.txt")
