"""docker build --platform (BuildKit) and il.build(platform=) agree: the base image each takes, the platform
the config states (arm64 with no variant, on a base that says arm64/v8) and BuildKit's automatic platform ARGs."""

from __future__ import annotations

import json
import platform as host

import pytest

import imagelib as il

pytestmark = [
    pytest.mark.interop,
    pytest.mark.skipif(
        host.machine() not in ("x86_64", "AMD64"),
        reason="모형의 빌드 기계(BUILDPLATFORM)는 linux/amd64라서, 다른 기계의 BuildKit과는 그 값이 달라 건너뜁니다",
    ),
]

# LABEL shows the ARG values without a RUN, so an arm64 build needs no emulation.
# A global ARG with a default replaces the automatic value in every BuildKit. (A global ARG without
# one keeps it in the current Dockerfile frontend, as il.build does; Docker 20.10's BuildKit empties it.)
DOCKERFILE = """ARG BUILDOS=plan9
FROM {base}
ARG TARGETPLATFORM
ARG TARGETOS
ARG TARGETARCH
ARG TARGETVARIANT
ARG BUILDPLATFORM
ARG BUILDARCH
ARG BUILDOS
LABEL target=$TARGETPLATFORM os=$TARGETOS arch=$TARGETARCH variant=[$TARGETVARIANT] build=$BUILDPLATFORM \\
      buildarch=$BUILDARCH buildos=$BUILDOS
COPY app.sh /app.sh
"""


@pytest.mark.parametrize("platform", ["linux/arm64", "linux/amd64"])
def test_docker_build_platform_writes_what_il_build_writes(docker, tmp_path, platform):
    base = il.catalog.get("alpine:3.19", platform=platform)
    name = f"platform-base-{platform.split('/')[1]}:1"
    il.save(base, tmp_path / "base.tar", format="docker-archive", ref=name)
    docker("load", "--input", str(tmp_path / "base.tar"))
    context = tmp_path / "context"
    context.mkdir()
    (context / "Dockerfile").write_text(DOCKERFILE.format(base=name))
    (context / "app.sh").write_text("echo hi\n")
    tag = f"platform-app-{platform.split('/')[1]}:1"
    docker("build", "--network", "none", "--platform", platform, "--tag", tag, str(context),
           environment={"DOCKER_BUILDKIT": "1"})  # fmt: skip
    [real] = json.loads(docker("image", "inspect", tag))

    store = il.Store()
    store.put(base, name)
    model = il.build(context / "Dockerfile", context, store=store, platform=platform).image

    assert (real["Os"], real["Architecture"], real.get("Variant", "")) == (
        model.os,
        model.architecture,
        model.config_json.get("variant", ""),
    )
    assert real["Architecture"] == platform.split("/")[1] and "Variant" not in real
    assert real["Config"]["Labels"] == dict(model.config.labels)
    assert model.config.labels["build"] == "linux/amd64"
    # The base layer each took is that platform's (its loader differs), then one COPY layer.
    assert real["RootFS"]["Layers"][:-1] == [str(d) for d in model.diff_ids[:-1]] == [str(d) for d in base.diff_ids]
    assert len(real["RootFS"]["Layers"]) == len(model.layers)
