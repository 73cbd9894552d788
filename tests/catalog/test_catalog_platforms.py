"""Catalog images per platform: the arm64 image names its loader, multiarch folders and apk arch as arm64 does."""

import pytest

import imagelib as il
from imagelib import catalog


def _paths(image: il.Image) -> "set[str]":
    return set(image.rootfs().paths())


def test_every_catalog_image_has_an_index_of_amd64_and_arm64_v8():
    for name in catalog.names():
        index = catalog.index(name)
        assert index.platforms == ("linux/amd64", "linux/arm64/v8") == catalog.platforms(name)
        assert index.image("linux/amd64") is catalog.get(name)
        arm = index.image("linux/arm64")
        assert (arm.config_json["architecture"], arm.config_json["variant"]) == ("arm64", "v8")
        assert arm.digest != catalog.get(name).digest


def test_the_default_platform_image_is_unchanged_by_platforms():
    assert catalog.get("alpine:3.19", platform="linux/amd64") is catalog.get("alpine:3.19")
    assert catalog.get("alpine:3.19").config_json["architecture"] == "amd64"
    assert "variant" not in catalog.get("alpine:3.19").config_json


def test_alpine_arm64_has_the_aarch64_musl_loader_and_apk_arch():
    amd, arm = catalog.get("alpine:3.19"), catalog.get("alpine:3.19", platform="linux/arm64")
    assert "lib/ld-musl-x86_64.so.1" in _paths(amd) and "lib/ld-musl-aarch64.so.1" not in _paths(amd)
    assert "lib/ld-musl-aarch64.so.1" in _paths(arm) and "lib/ld-musl-x86_64.so.1" not in _paths(arm)
    assert arm.rootfs().entry("lib/libc.musl-aarch64.so.1").target == "ld-musl-aarch64.so.1"
    installed = arm.rootfs().read_text("lib/apk/db/installed")
    assert "A:aarch64\n" in installed and "x86_64" not in installed
    assert "A:x86_64\n" in amd.rootfs().read_text("lib/apk/db/installed")
    busybox = il.modelfile.declared(arm.rootfs().entry("bin/busybox"))
    assert busybox.get("interp") == "/lib/ld-musl-aarch64.so.1"


@pytest.mark.parametrize("name", ["debian:bookworm", "debian:bookworm-slim", "ubuntu:20.04", "python:3.12-slim"])
def test_merged_usr_debian_arm64_has_lib_ld_linux_aarch64_and_no_lib64(name):
    amd, arm = _paths(catalog.get(name)), catalog.get(name, platform="linux/arm64")
    assert "lib64" in amd and "usr/lib64/ld-linux-x86-64.so.2" in amd
    paths = _paths(arm)
    assert "lib64" not in paths and not any(p.startswith("usr/lib64") for p in paths)
    assert arm.rootfs().entry("usr/lib/ld-linux-aarch64.so.1").target == "aarch64-linux-gnu/ld-linux-aarch64.so.1"
    assert "usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1" in paths
    assert not any("x86_64" in p or "x86-64" in p for p in paths)
    bash = il.modelfile.declared(arm.rootfs().entry("usr/bin/bash"))
    assert bash.get("interp") == "/lib/ld-linux-aarch64.so.1"


def test_debian_buster_arm64_links_its_loader_in_lib():
    arm = catalog.get("debian:buster", platform="linux/arm64")
    assert arm.rootfs().entry("lib/ld-linux-aarch64.so.1").target == "aarch64-linux-gnu/ld-2.28.so"
    assert "lib64" not in _paths(arm)


def test_layer_structure_and_history_are_the_same_on_every_platform():
    for name in ("node:14", "nginx:alpine", "python:3.12-alpine"):
        amd, arm = catalog.index(name).images
        assert len(amd.layers) == len(arm.layers)
        assert [h.created_by.split(":")[0] for h in amd.history] == [h.created_by.split(":")[0] for h in arm.history]
        assert il.modeled_size(amd) == pytest.approx(il.modeled_size(arm), rel=0.002)


def test_a_platform_the_catalog_does_not_have_is_a_korean_error():
    with pytest.raises(catalog.CatalogError, match="linux/s390x"):
        catalog.get("alpine:3.19", platform="linux/s390x")
    with pytest.raises(catalog.CatalogError):
        catalog.get("alpine:3.19", platform="linux/arm/v7")  # arm64 does not run 32-bit arm images
