"""il.build's build secrets: ``RUN --mount=type=secret`` (visible during that RUN only, never in a
layer, the history or the cache key) and the warning for ARG/ENV names that look like secrets, with
BuildKit's word list. The comparison with the real BuildKit is in
tests/interop/test_secret_mount_stays_out_of_layers.py."""

import pytest

import imagelib as il
from imagelib.dockerfile.secrets import looks_like_secret, parse_mount

TOKEN = b"//registry.npmjs.org/:_authToken=npm_TOKEN123\n"


def _layer_bytes(image: il.Image) -> bytes:
    chunks = []
    for layer in image.layers:
        with layer.open_tar() as stream:
            chunks.append(stream.read())
    return b"".join(chunks)


def test_secret_is_readable_in_its_run_and_gone_in_the_next():
    result = il.build(
        "FROM alpine:3.19\n"
        "RUN --mount=type=secret,id=npmrc cat /run/secrets/npmrc > /copy\n"
        "RUN test -e /run/secrets/npmrc && echo present > /after || echo absent > /after\n",
        secrets={"npmrc": TOKEN},
    )
    tree = result.image.rootfs()
    assert tree.read_bytes("copy") == TOKEN
    assert tree.read_bytes("after") == b"absent\n"
    assert not tree.exists("run/secrets/npmrc")


def test_secret_never_reaches_a_layer_or_the_history():
    result = il.build(
        "FROM alpine:3.19\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc test -s /root/.npmrc\n",
        secrets={"npmrc": TOKEN},
    )
    assert b"npm_TOKEN123" not in _layer_bytes(result.image)
    assert result.image.history[-1].created_by == "RUN /bin/sh -c test -s /root/.npmrc # buildkit"
    assert not result.image.rootfs().exists("root/.npmrc")


def test_secret_given_as_a_file_path(tmp_path):
    source = tmp_path / "npmrc"
    source.write_bytes(TOKEN)
    result = il.build(
        "FROM alpine:3.19\nRUN --mount=type=secret,id=npmrc cat /run/secrets/npmrc > /copy\n",
        secrets={"npmrc": source},
    )
    assert result.image.rootfs().read_bytes("copy") == TOKEN
    with pytest.raises(il.ImageLibError, match="npmrc"):
        il.build("FROM alpine:3.19\n", secrets={"npmrc": tmp_path / "missing"})


def test_relative_target_is_under_the_workdir_and_a_covered_file_comes_back():
    result = il.build(
        "FROM alpine:3.19\nWORKDIR /app\nRUN echo original > .npmrc\n"
        "RUN --mount=type=secret,id=npmrc,target=.npmrc cat .npmrc > seen\n",
        secrets={"npmrc": TOKEN},
    )
    tree = result.image.rootfs()
    assert tree.read_bytes("app/seen") == TOKEN
    assert tree.read_bytes("app/.npmrc") == b"original\n"


def test_cache_ignores_the_secret_content_but_not_its_id():
    cache = il.BuildCache()
    dockerfile = "FROM alpine:3.19\nRUN --mount=type=secret,id=npmrc cat /run/secrets/npmrc > /dev/null\n"
    il.build(dockerfile, cache=cache, secrets={"npmrc": TOKEN})
    assert il.build(dockerfile, cache=cache, secrets={"npmrc": b"other\n"}).steps[-1].cached
    renamed = dockerfile.replace("id=npmrc", "id=npmrc2").replace("secrets/npmrc", "secrets/npmrc2")
    assert not il.build(renamed, cache=cache, secrets={"npmrc2": TOKEN}).steps[-1].cached


def test_optional_missing_secret_runs_without_the_file_and_required_fails():
    result = il.build(
        "FROM alpine:3.19\nRUN --mount=type=secret,id=npmrc test -e /run/secrets/npmrc || echo none > /out\n"
    )
    assert result.image.rootfs().read_bytes("out") == b"none\n"
    with pytest.raises(il.ImageLibError, match="secret npmrc not found") as error:
        il.build("FROM alpine:3.19\nRUN --mount=type=secret,id=npmrc,required echo hi\n")
    assert error.value.line == 2


def test_other_mount_types_are_refused_in_korean():
    with pytest.raises(il.ImageLibError, match="type=cache"):
        il.build("FROM alpine:3.19\nRUN --mount=type=cache,target=/root/.cache echo hi\n")


def test_mount_options_follow_buildkit():
    assert parse_mount("type=secret,id=aws", 1).target == "/run/secrets/aws"
    assert parse_mount("type=secret,target=/root/.npmrc", 1).id == ".npmrc"
    assert parse_mount("type=secret,src=x,dst=/y,required", 1) == parse_mount(
        "type=secret,id=x,target=/y,required=true", 1
    )


# From the examples in BuildKit's own rule (frontend/dockerfile/dockerfile2llb): the word must be the
# whole name or its first or last underscore-separated part, and public/file/version clear it.
@pytest.mark.parametrize(
    "name", ["api_key", "DATABASE_PASSWORD", "GITHUB_TOKEN", "secret_MESSAGE", "AUTH", "NPM_TOKEN"]
)
def test_secret_looking_names(name):
    assert looks_like_secret(name)


@pytest.mark.parametrize("name", ["AUTH_FILE", "PUBLIC_KEY", "TOKEN_VERSION", "KEYBOARD", "MONKEY", "NODE_ENV"])
def test_names_that_are_not_secrets(name):
    assert not looks_like_secret(name)


def test_arg_and_env_with_secret_names_warn_in_the_result():
    result = il.build("FROM alpine:3.19\nARG NPM_TOKEN\nENV DB_PASSWORD=x APP_VERSION=1\nARG PUBLIC_KEY=k\n")
    warned = [w for w in result.warnings if "SecretsUsedInArgOrEnv" in w]
    assert len(warned) == 2
    assert warned[0].startswith("2번째 줄: ARG 'NPM_TOKEN'") and 'ENV "DB_PASSWORD"' in warned[1]


def test_the_build_log_ends_with_the_warnings():
    log = il.build("FROM alpine:3.19\nARG GITHUB_TOKEN\n").log()
    assert log.splitlines()[-2:] == ["경고 1개:", " - " + il.build("FROM alpine:3.19\nARG GITHUB_TOKEN\n").warnings[0]]


def test_global_arg_with_a_secret_name_warns_too():
    result = il.build("ARG API_KEY=x\nFROM alpine:3.19\n")
    assert [w for w in result.warnings if 'ARG "API_KEY"' in w]
