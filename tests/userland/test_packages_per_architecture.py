"""RUN's package managers write the names of the architecture they run on (an arm64 build says arm64)."""

from __future__ import annotations

import pytest

import imagelib as il

ALPINE = "FROM alpine:3.19\nRUN apk add g++ curl\n"
DEBIAN = (
    "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl build-essential\n"
)
UBUNTU = "FROM ubuntu:20.04\nRUN apt-get update && apt-get install -y curl\n"


def _added(image: il.Image) -> "list[str]":
    return sorted(image.layers[-1].paths)


def test_apk_on_arm64_records_aarch64_and_installs_aarch64_paths():
    result = il.build(ALPINE, platform="linux/arm64")
    installed = result.image.rootfs().read_text("lib/apk/db/installed")
    added = [line for line in installed.split("\n\n") if "P:g++" in line or "P:curl" in line]
    assert added and all("\nA:aarch64\n" in record for record in added)
    assert "x86_64" not in "".join(added)
    paths = _added(result.image)
    assert "usr/libexec/gcc/aarch64-alpine-linux-musl/13.2.1/cc1" in paths
    assert not any("x86_64" in path for path in paths)
    assert "/main/aarch64/APKINDEX.tar.gz" in result.steps[-1].output


def test_apt_on_arm64_fetches_arm64_lists_and_uses_the_aarch64_multiarch_folders():
    result = il.build(DEBIAN, platform="linux/arm64")
    paths = _added(result.image)
    assert "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-arm64_Packages.lz4" in paths
    assert "usr/lib/aarch64-linux-gnu/libcurl.so.4.8.0" in paths
    assert "usr/libexec/gcc/aarch64-linux-gnu/12/cc1" in paths
    assert not any("amd64" in path or "x86_64" in path for path in paths)
    log = result.image.rootfs().read_text("var/log/dpkg.log")
    assert "status installed curl:arm64 7.88.1-10" in log and ":amd64" not in log
    assert "bookworm/main arm64 Packages" in result.steps[-1].output


def test_ubuntu_on_arm64_fetches_from_the_ports_archive_its_sources_list_names():
    result = il.build(UBUNTU, platform="linux/arm64")
    assert "ports.ubuntu.com/ubuntu-ports" in result.image.rootfs().read_text("etc/apt/sources.list")
    assert "archive.ubuntu.com" not in result.image.rootfs().read_text("etc/apt/sources.list")
    lists = [path for path in _added(result.image) if path.startswith("var/lib/apt/lists/") and "Packages" in path]
    assert lists and all(
        path.startswith("var/lib/apt/lists/ports.ubuntu.com_ubuntu-ports_dists_focal") for path in lists
    )
    assert all(path.endswith("_binary-arm64_Packages.lz4") for path in lists)


@pytest.mark.parametrize("dockerfile", [ALPINE, DEBIAN, UBUNTU])
def test_amd64_builds_keep_their_amd64_names(dockerfile):
    image = il.build(dockerfile, platform="linux/amd64").image
    assert image == il.build(dockerfile).image  # no --platform: the same amd64 bytes
    paths = _added(image)
    assert not any("aarch64" in path or "arm64" in path for path in paths)


def test_the_sbom_of_an_arm64_build_names_aarch64_packages():
    def purls(platform: str) -> "dict[str, str]":
        return {p.name: p.purl for p in il.sbom(il.build(ALPINE, platform=platform).image).packages}

    amd, arm = purls("linux/amd64"), purls("linux/arm64")
    assert "curl" in arm and "g++" in arm
    assert all("arch=aarch64" in purl for purl in arm.values())
    # The same packages; only the architecture qualifier differs.
    assert arm == {name: purl.replace("arch=x86_64", "arch=aarch64") for name, purl in amd.items()}


def test_an_architecture_the_model_cannot_name_is_a_build_error():
    store = il.Store()
    store.put(il.catalog.get("alpine:3.19").with_platform("mips64le"), "mips:1")
    with pytest.raises(il.BuildError, match="mips64le"):
        il.build("FROM mips:1\nRUN apk add curl\n", store=store)
