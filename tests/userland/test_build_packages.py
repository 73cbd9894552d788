"""Modeled package managers: files of documented sizes where the real ones put them."""

import json

import pytest

import imagelib as il
from imagelib.userland.packages import apk, apt, pip


def size_of(layer):
    return il.modeled_size(layer)


def test_apk_add_no_cache_leaves_no_index_and_installs_dependencies():
    result = il.build("FROM alpine:3.19\nRUN apk add --no-cache g++\n")
    layer = result.image.layers[-1]
    assert not any(p.startswith("var/cache/apk/APKINDEX") for p in layer.paths)
    expected = apk.APK["g++"].size + apk.APK["gcc"].size
    assert abs(size_of(layer) - expected) < 5_000  # plus the updated apk database (real text)
    installed = result.image.rootfs().read_text("lib/apk/db/installed")
    assert "P:gcc\n" in installed and "P:g++\n" in installed
    assert "(2/2) Installing g++ (13.2.1-r0)" in result.steps[-1].output


def test_apk_add_without_no_cache_keeps_the_index_files():
    layer = il.build("FROM alpine:3.19\nRUN apk add curl\n").image.layers[-1]
    indexes = [p for p in layer.paths if p.startswith("var/cache/apk/APKINDEX")]
    assert len(indexes) == 2


def test_apk_virtual_packages_removed_in_the_same_run_leave_nothing():
    result = il.build(
        "FROM alpine:3.19\nRUN apk add --no-cache --virtual .build-deps gcc make && apk del .build-deps\n"
    )
    layer = result.image.layers[-1]
    assert size_of(layer) < 10_000
    assert not result.image.rootfs().exists("usr/bin/gcc")


def test_apk_unknown_package_fails_like_apk():
    with pytest.raises(il.BuildError, match="no such package"):
        il.build("FROM alpine\nRUN apk add --no-cache nosuchpkg\n")


def test_apt_needs_update_and_yes_and_keeps_lists_until_removed():
    with pytest.raises(il.BuildError, match="Unable to locate package curl"):
        il.build("FROM debian:bookworm-slim\nRUN apt-get install -y curl\n")
    with pytest.raises(il.BuildError, match="Abort"):
        il.build("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install curl\n")
    kept = il.build(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && apt-get clean\n"
    ).image.layers[-1]
    cleaned = il.build(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
    ).image.layers[-1]
    assert any(p.startswith("var/lib/apt/lists/deb.debian.org") for p in kept.paths)
    assert not any(p.startswith("var/lib/apt/lists/deb.debian.org") for p in cleaned.paths)
    assert size_of(kept) - size_of(cleaned) > 8_000_000  # apt-get clean does not remove the lists


def test_apt_recommends_are_bigger_and_ubuntu_lists_differ():
    plain = il.build(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y "
        "--no-install-recommends git && rm -rf /var/lib/apt/lists/*\n"
    ).image.layers[-1]
    recommended = il.build(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n"
    ).image.layers[-1]
    assert size_of(recommended) - size_of(plain) == apt.APT["git"].recommends
    ubuntu = il.build("FROM ubuntu:20.04\nRUN apt-get update\n").image.layers[-1]
    assert any("archive.ubuntu.com" in p for p in ubuntu.paths)


def test_npm_install_reads_package_json_and_skips_dev_in_production():
    manifest = json.dumps({"name": "svc", "dependencies": {"express": "^4"}, "devDependencies": {"jest": "*"}})
    full = il.build(
        "FROM node:14-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\n", {"package.json": manifest}
    ).image
    prod = il.build(
        "FROM node:14-alpine\nWORKDIR /app\nENV NODE_ENV=production\nCOPY package.json ./\nRUN npm install\n",
        {"package.json": manifest},
    ).image
    assert full.rootfs().exists("app/node_modules/jest/package.json")
    assert not prod.rootfs().exists("app/node_modules/jest")
    assert prod.rootfs().exists("app/node_modules/express/package.json")
    assert prod.rootfs().exists("app/package-lock.json") and prod.rootfs().exists("root/.npm")


def test_npm_ci_needs_a_lock_file_and_npm_needs_package_json():
    with pytest.raises(il.BuildError, match="package-lock.json"):
        il.build("FROM node:14-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\n", {"package.json": "{}"})
    with pytest.raises(il.BuildError, match="ENOENT"):
        il.build("FROM node:14-alpine\nWORKDIR /app\nRUN npm install\n")


def test_npm_run_build_needs_the_dev_tool_and_node():
    manifest = json.dumps({"name": "a", "scripts": {"build": "vite build"}, "devDependencies": {"vite": "4"}})
    app = {
        "package.json": manifest,
        "index.html": "<script src='/src/main.js'></script>",
        "src/main.js": "console.log(1)\n",
    }
    with pytest.raises(il.BuildError, match="vite: not found"):
        il.build("FROM node:14-alpine\nWORKDIR /app\nCOPY . .\nRUN npm install --omit=dev && npm run build\n", app)
    with pytest.raises(il.BuildError, match="npm: not found"):
        il.build("FROM alpine\nWORKDIR /app\nCOPY . .\nRUN npm run build\n", app)


def test_pip_install_with_and_without_cache():
    cached = il.build("FROM python:3.12-slim\nRUN pip install flask\n").image.layers[-1]
    lean = il.build("FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n").image.layers[-1]
    assert any(p.startswith("root/.cache/pip") for p in cached.paths)
    assert size_of(cached) - size_of(lean) == pip.PIP["flask"].packed
    assert "usr/local/lib/python3.12/site-packages/flask/__init__.py" in lean.paths


def test_pip_requirements_file_and_python_version():
    result = il.build(
        "FROM python:3.12-alpine\nCOPY requirements.txt .\nRUN python3 --version && "
        "python3 -m pip install --no-cache-dir -r requirements.txt\n",
        {"requirements.txt": "requests==2.31.0\n# comment\nnumpy>=1.26\n"},
    )
    output = result.steps[-1].output
    assert output.startswith("Python 3.12.1\n")
    assert "Successfully installed requests-2.31.0 numpy-1.26.2" in output


def test_register_package_adds_to_the_table():
    il.userland.register_package("apk", "cowsay-model", "1.0", 2_000_000, files=["usr/bin/cowsay"])
    try:
        layer = il.build("FROM alpine\nRUN apk add --no-cache cowsay-model\n").image.layers[-1]
        assert abs(size_of(layer) - 2_000_000) < 5_000
    finally:
        del apk.APK["cowsay-model"]


def test_pip_prefix_feeds_a_multi_stage_python_build():
    result = il.build(
        "FROM python:3.12 AS build\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir --prefix=/install -r requirements.txt\n"
        "FROM python:3.12-slim\nCOPY --from=build /install /usr/local\n",
        {"requirements.txt": "flask\n"},
    )
    tree = result.image.rootfs()
    assert tree.exists("usr/local/lib/python3.12/site-packages/flask/__init__.py")
    assert not tree.exists("usr/bin/gcc")
    assert result.image.layers[:-1] == il.catalog.get("python:3.12-slim").layers
