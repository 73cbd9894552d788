"""il.catalog: modeled base images with the published images' layer structure and sizes."""

import json
import shutil
import subprocess

import pytest

import imagelib as il
from imagelib import catalog, modelfile

MB = 1_000_000


@pytest.mark.parametrize("name", catalog.names())
def test_modeled_sizes_add_up_to_the_published_sizes(name):
    image, entry = catalog.get(name), catalog.info(name)
    assert abs(il.modeled_size(image) - entry.published_size) < 0.002 * entry.published_size + 1000
    assert abs(il.modeled_download_size(image) - entry.published_download) < 0.002 * entry.published_download + 1000
    assert image.size < 500_000  # what is really stored stays small


def test_the_notes_sizes():
    node, alpine = catalog.get("node:14"), catalog.get("node:14-alpine")
    assert 880 * MB < il.modeled_size(node) < 950 * MB
    assert 100 * MB < il.modeled_size(alpine) < 125 * MB
    assert il.modeled_size(node) > 7 * il.modeled_size(alpine)
    assert il.modeled_size(catalog.get("nginx:latest")) > 4 * il.modeled_size(catalog.get("nginx:alpine"))
    python = [il.modeled_size(catalog.get(n)) for n in ("python:3.12", "python:3.12-slim", "python:3.12-alpine")]
    assert python == sorted(python, reverse=True) and python[0] > 1000 * MB


@pytest.mark.parametrize("name", catalog.names())
def test_images_are_real_well_formed_oci_images(name):
    image = catalog.get(name)
    manifest = image.manifest_json
    assert manifest["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
    assert [d["digest"] for d in manifest["layers"]] == [str(layer.digest) for layer in image.layers]
    for layer in image.layers:
        assert il.Digest.of_bytes(layer.blob_bytes()) == layer.digest  # digests of the stored bytes
    steps = [h for h in image.history if not h.empty_layer]
    assert len(steps) == len(image.layers)
    assert image.platform == "linux/amd64"
    assert catalog.get(name) is image  # built once per process


def test_model_files_explain_themselves():
    node = catalog.get("node:14").rootfs()
    text = node.read_text("usr/local/bin/node")
    assert text.startswith("#imagelib-model v1\n") and "모형 파일" in text
    declared = il.modelfile.declared(node.entry("usr/local/bin/node"))
    assert declared.size > 60 * MB and declared.get("version") == "14.21.3"
    rest = [p for p in node.paths() if ".imagelib-rest" in p]
    assert rest and "나머지 파일" in node.read_text(rest[0])
    assert modelfile.parse(b"not a model") is None


def test_alpine_is_musl_and_debian_is_glibc():
    alpine = catalog.get("node:14-alpine").rootfs()
    debian = catalog.get("node:14").rootfs()
    assert alpine.exists("lib/ld-musl-x86_64.so.1") and not alpine.exists("lib64/ld-linux-x86-64.so.2")
    assert debian.exists("lib64/ld-linux-x86-64.so.2") and not debian.exists("lib/ld-musl-x86_64.so.1")
    assert "ID=alpine" in alpine.read_text("etc/os-release")
    assert "VERSION_CODENAME=buster" in debian.read_text("etc/os-release")
    assert alpine.entry("bin/ls").target == "/bin/busybox"
    assert il.modelfile.declared(alpine.entry("usr/local/bin/node")).get("interp") == "/lib/ld-musl-x86_64.so.1"


def test_layer_structure_follows_the_published_images():
    node = catalog.get("node:14")
    assert len(node.layers) == 9 and node.layers[0] == catalog.get("debian:buster").layers[0]
    assert node.config.entrypoint == ("docker-entrypoint.sh",) and node.config.cmd == ("node",)
    assert node.config.env_dict["NODE_VERSION"] == "14.21.3"
    assert "node:x:1000:1000" in node.rootfs().read_text("etc/passwd")
    nginx = catalog.get("nginx:alpine")
    assert nginx.layers[:-1] == catalog.get("nginx:alpine-slim").layers
    assert nginx.config.cmd == ("nginx", "-g", "daemon off;") and nginx.config.stop_signal == "SIGQUIT"
    assert nginx.rootfs().entry("var/log/nginx/access.log").target == "/dev/stdout"
    assert "Welcome to nginx!" in nginx.rootfs().read_text("usr/share/nginx/html/index.html")


def test_images_share_base_layers_like_the_real_ones():
    slim = catalog.get("debian:bookworm-slim").layers[0]
    assert catalog.get("nginx:latest").layers[0] == slim == catalog.get("python:3.12-slim").layers[0]
    assert catalog.get("python:3.12-alpine").layers[0] == catalog.get("alpine").layers[0]
    assert catalog.get("node:14-alpine").layers[0] == catalog.get("alpine:3.17").layers[0]


def test_slim_leaves_out_docs_and_build_tools():
    full, slim = catalog.get("debian:bookworm").rootfs(), catalog.get("debian:bookworm-slim").rootfs()
    assert full.exists("usr/share/man") and not slim.exists("usr/share/man")
    py_full, py_slim = catalog.get("python:3.12").rootfs(), catalog.get("python:3.12-slim").rootfs()
    assert py_full.exists("usr/bin/gcc") and not py_slim.exists("usr/bin/gcc")
    assert py_full.exists("usr/include/stdio.h") and not py_slim.exists("usr/include/stdio.h")


def test_names_aliases_and_lookup_errors():
    nginx = catalog.get("nginx")
    assert nginx is catalog.get("nginx:latest") is catalog.get("docker.io/library/nginx:1.25.3")
    assert "nginx:alpine" in catalog.aliases("nginx:1.25-alpine")
    assert catalog.has("alpine") and not catalog.has("nosuch") and not catalog.has("bad name!")
    with pytest.raises(catalog.CatalogError, match="node:14"):
        catalog.get("node:15")
    with pytest.raises(catalog.CatalogError, match="다이제스트"):
        catalog.get("alpine@sha256:" + "0" * 64)
    rows = catalog.table(["alpine", "node:14"])
    assert [r["이름"] for r in rows] == ["alpine:3.19", "node:14"] and rows[1]["libc"] == "glibc"


@pytest.mark.interop
def test_skopeo_reads_a_catalog_image(tmp_path):
    if shutil.which("skopeo") is None:
        pytest.skip("skopeo가 없어 건너뜁니다: PATH에 skopeo가 없음")
    image = catalog.get("node:14-alpine")
    il.save(image, tmp_path / "layout", ref="node:14-alpine")
    done = subprocess.run(
        ["skopeo", "inspect", f"oci:{tmp_path / 'layout'}:14-alpine"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["Digest"] == str(image.digest)
    assert info["Layers"] == [str(layer.digest) for layer in image.layers]
    assert "NODE_VERSION=14.21.3" in info["Env"]


def test_modeled_size_counts_like_docker_images():
    layer = il.Layer.from_files(
        {"bin/tool": b"x" * 100, "bin/alias": il.Symlink("tool"), "bin/again": il.Hardlink("bin/tool"), "etc": il.Dir()}
    )
    assert il.modeled_size(layer) == 100 + len("tool")  # a hard link is the same inode
