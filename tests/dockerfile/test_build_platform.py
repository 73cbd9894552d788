"""il.build(platform=...) and il.build_index: the target platform, FROM --platform and BuildKit's platform ARGs."""

import json
import os
import subprocess
import sys

import pytest

import imagelib as il

SHOW_ARGS = """
FROM alpine:3.19
ARG TARGETPLATFORM
ARG TARGETOS
ARG TARGETARCH
ARG TARGETVARIANT
ARG BUILDPLATFORM
ARG BUILDARCH
RUN echo "$TARGETPLATFORM|$TARGETOS|$TARGETARCH|$TARGETVARIANT|$BUILDPLATFORM|$BUILDARCH" > /args
"""

APP = """
FROM alpine:3.19
COPY app.sh /app.sh
CMD ["/app.sh"]
"""


def _args(platform):
    return il.build(SHOW_ARGS, platform=platform).image.rootfs().read_text("args").strip().split("|")


def test_the_automatic_platform_args_have_the_target_and_build_platforms():
    assert _args("linux/arm64") == ["linux/arm64", "linux", "arm64", "", "linux/amd64", "amd64"]
    assert _args(None) == ["linux/amd64", "linux", "amd64", "", "linux/amd64", "amd64"]


def test_an_automatic_arg_is_empty_in_a_stage_that_does_not_declare_it():
    image = il.build('FROM alpine:3.19\nRUN echo "[$TARGETARCH]" > /x\n', platform="linux/arm64").image
    assert image.rootfs().read_text("x") == "[]\n"


def test_the_automatic_args_work_in_from_without_a_declaration():
    image = il.build(
        "FROM alpine:3.19 AS base-amd64\nFROM alpine:3.18 AS base-arm64\nFROM base-$TARGETARCH\n",
        platform="linux/arm64",
    ).image
    assert image.rootfs().read_text("etc/alpine-release") == "3.18.5\n"


def test_a_global_arg_without_a_value_keeps_the_automatic_value_and_a_default_replaces_it():
    dockerfile = (
        "ARG TARGETARCH\nARG TARGETOS=plan9\nFROM alpine:3.19\nARG TARGETARCH\nARG TARGETOS\n"
        "RUN echo $TARGETARCH $TARGETOS > /a\n"
    )
    image = il.build(dockerfile, platform="linux/arm64").image
    assert image.rootfs().read_text("a") == "arm64 plan9\n"


def test_the_target_platform_chooses_the_base_and_is_written_in_the_config():
    arm = il.build(APP, {"app.sh": "echo hi\n"}, platform="linux/arm64").image
    assert arm.layers[0] == il.catalog.get("alpine:3.19", platform="linux/arm64").layers[0]
    assert "lib/ld-musl-aarch64.so.1" in arm.rootfs().paths()
    # As BuildKit writes it: arm64 normalized, the base's "v8" variant dropped.
    assert (arm.config_json["os"], arm.config_json["architecture"]) == ("linux", "arm64")
    assert "variant" not in arm.config_json


def test_the_default_build_is_the_linux_amd64_build():
    default = il.build(APP, {"app.sh": "echo hi\n"}).image
    amd64 = il.build(APP, {"app.sh": "echo hi\n"}, platform="linux/amd64").image
    assert default.digest == amd64.digest
    assert default.layers[0] == il.catalog.get("alpine:3.19").layers[0]


def test_from_platform_picks_that_stage_base_and_the_image_states_the_target():
    dockerfile = (
        "FROM --platform=$BUILDPLATFORM alpine:3.19 AS tools\n"
        "RUN echo built > /out\n"
        "FROM alpine:3.19\n"
        "COPY --from=tools /out /out\n"
    )
    result = il.build(dockerfile, platform="linux/arm64")
    assert "lib/ld-musl-x86_64.so.1" in result.stages["tools"].rootfs().paths()
    assert "lib/ld-musl-aarch64.so.1" in result.image.rootfs().paths()
    assert result.image.platform == "linux/arm64"


def test_scratch_takes_the_target_platform():
    image = il.build("FROM scratch\nCOPY app /app\n", {"app": "x"}, platform="linux/arm/v7").image
    assert (image.architecture, image.config_json["variant"]) == ("arm", "v7")


def test_a_platform_the_base_does_not_have_is_a_build_error():
    with pytest.raises(il.BuildError, match="linux/s390x"):
        il.build(APP, {"app.sh": "x"}, platform="linux/s390x")
    with pytest.raises(il.BuildError, match="플랫폼"):
        il.build(APP, {"app.sh": "x"}, platform="linux//")


def test_build_index_has_one_image_per_platform_that_differ_by_their_loader():
    index = il.build_index(APP, {"app.sh": "echo hi\n"}, platforms=["linux/amd64", "linux/arm64"])
    assert index.platforms == ("linux/amd64", "linux/arm64")
    amd, arm = index.images
    assert "lib/ld-musl-x86_64.so.1" in amd.rootfs().paths()
    assert "lib/ld-musl-aarch64.so.1" in arm.rootfs().paths()
    assert amd.layers[-1].diff_id == arm.layers[-1].diff_id  # the COPY layer is the same bytes
    assert index.image("linux/arm64/v8") is arm


def test_build_index_puts_the_index_under_the_tag():
    store = il.Store()
    index = il.build_index(APP, {"app.sh": "x"}, platforms=["linux/amd64", "linux/arm64"], store=store, tag="app:1")
    assert store.get_index("app:1") == index
    assert store.get("app:1", platform="linux/arm64").digest == index.image("linux/arm64").digest


def test_build_index_refuses_a_repeated_platform_and_a_string():
    with pytest.raises(il.ImageLibError, match="플랫폼"):
        il.build_index(APP, {"app.sh": "x"}, platforms=["linux/arm64", "linux/arm64/v8"])
    with pytest.raises(il.BuildError, match="목록"):
        il.build_index(APP, {"app.sh": "x"}, platforms="linux/arm64")


def test_the_base_image_can_be_pinned_by_its_index_digest():
    index = il.catalog.index("alpine:3.19")
    image = il.build(f"FROM alpine@{index.digest}\n", platform="linux/arm64").image
    assert image.layers == index.image("linux/arm64").layers
    with pytest.raises(il.BuildError, match="linux/s390x"):
        il.build(f"FROM alpine@{index.digest}\n", platform="linux/s390x")


PROBE = """
import imagelib as il
index = il.build_index('''{app}''', {{"app.sh": "echo hi\\n"}}, platforms=["linux/amd64", "linux/arm64"])
print(index.digest)
"""


def test_build_index_gives_the_same_digest_in_another_process():
    here = il.build_index(APP, {"app.sh": "echo hi\n"}, platforms=["linux/amd64", "linux/arm64"]).digest
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = "99"
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(app=APP)], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(here)
    assert json.loads(il.catalog.index("alpine:3.19").data)["manifests"][1]["platform"]["variant"] == "v8"


def test_a_stored_index_gives_the_base_of_the_build_platform_and_a_single_platform_image_says_so():
    store = il.Store()
    store.put(il.catalog.index("alpine:3.18"), "team/base:1")
    store.put(il.catalog.get("alpine:3.19"), "team/amd64-only:1")
    arm = il.build("FROM team/base:1\n", store=store, platform="linux/arm64").image
    assert arm.layers == il.catalog.get("alpine:3.18", platform="linux/arm64").layers
    with pytest.raises(il.BuildError, match="linux/arm64"):
        il.build("FROM team/amd64-only:1\n", store=store, platform="linux/arm64")
    assert il.build("FROM team/amd64-only:1\n", store=store).image.architecture == "amd64"
