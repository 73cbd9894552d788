"""The modeled package managers write real-format records, so il.sbom lists what a modeled
RUN installed exactly as it lists a real image's packages, with the layer of that RUN."""

from __future__ import annotations

import imagelib as il


def packages_of(img: il.Image, ecosystem: str) -> "dict[str, tuple[str, int, str]]":
    return {p.name: (p.version, p.layer_index, p.path) for p in il.sbom(img).packages if p.ecosystem == ecosystem}


def test_modeled_apk_add_and_del():
    base = il.build("FROM alpine:3.19\n").image
    added = il.build("FROM alpine:3.19\nRUN apk add --no-cache curl\nRUN apk add jq\n").image
    before, after = packages_of(base, "apk"), packages_of(added, "apk")
    top = len(added.layers) - 1
    assert set(after) - set(before) == {"curl", "ca-certificates", "jq"}
    assert after["curl"] == ("8.5.0-r0", top - 1, "/lib/apk/db/installed")
    assert after["jq"][1] == top
    # the base's packages keep the base's layer though both RUNs rewrote the database
    assert {name: after[name] for name in before} == before
    removed = il.build("FROM alpine:3.19\nRUN apk add curl && apk del curl\n").image
    assert "curl" not in packages_of(removed, "apk")


def test_modeled_apt_get_install():
    img = il.build("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n").image
    packages = packages_of(img, "deb")
    assert packages["curl"][1] == len(img.layers) - 1
    assert packages["curl"][2] == "/var/lib/dpkg/status"
    assert il.sbom(img).packages[0].purl.startswith("pkg:deb/debian/")


def test_modeled_npm_and_pip_install():
    node = il.build(
        "FROM node:14\nWORKDIR /app\nCOPY package.json .\nRUN npm install express\n",
        {"package.json": '{"name": "app", "version": "1.0.0"}'},
    ).image
    assert packages_of(node, "npm")["express"][1:] == (len(node.layers) - 1, "/app/node_modules/express/package.json")
    python = il.build("FROM python:3.12-slim\nRUN pip install requests\n").image
    version, layer, path = packages_of(python, "python")["requests"]
    assert layer == len(python.layers) - 1 and path.endswith(f"requests-{version}.dist-info/METADATA")
