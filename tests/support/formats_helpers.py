"""Helpers for the image file tests: sample images, real tools, folder snapshots."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from paths import PROJECT_ROOT, REAL_IMAGES, SHARED  # noqa: F401  (re-exported to the tests)

import imagelib as il

OCI_SCHEMAS = SHARED / "oci-schema"

# Every archive in ../shared/real-images that holds images, with the number of layers of each
# image it holds (by reference), as the archive's own manifest.json / index.json states.
READABLE_ARCHIVES = [
    "dive-test-docker-image.tar",
    "dive-test-kaniko-image.tar",
    "dive-test-oci-uncompressed-image.tar",
    "dive-test-oci-gzip-image.tar",
    "dive-test-oci-zstd-image.tar",
    "dive-test-oci-estargz-image.tar",
    "ggcr-hello-world-v25.tar",
    "ggcr-test_image_1.tar",
    "ggcr-test_bundle.tar",
    "ggcr-test_link.tar",
    "ggcr-no_manifest.tar",
    "ggcr-whiteout_image.tar",
    "ggcr-whiteout_dir.tar",
    "ggcr-overwritten_file.tar",
]


def real_image(name: str) -> Path:
    path = REAL_IMAGES / name
    if not path.exists():
        pytest.skip(f"실제 이미지 {name}가 없어 건너뜁니다 (../shared/real-images/ 가 없음)")
    return path


def tool(name: str) -> str:
    """Path of an external tool, or skip the test saying which tool is missing."""
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name}가 없어 건너뜁니다: 이 테스트는 {name}가 imagelib의 결과를 읽는지 확인합니다")
    return found


def run(*args: "str | os.PathLike", cwd: "Path | None" = None) -> str:
    result = subprocess.run([os.fspath(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=120)
    if result.returncode != 0:
        raise AssertionError(f"{args[0]} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout


def skopeo_inspect(target: str, raw: bool = False) -> dict:
    args = ["--raw"] if raw else []
    return json.loads(run(tool("skopeo"), "inspect", *args, target))


def umoci_unpack(image: str, bundle: Path) -> Path:
    """``umoci unpack`` (rootless when not root); returns the bundle's rootfs folder."""
    flags = [] if os.geteuid() == 0 else ["--rootless"]
    run(tool("umoci"), "unpack", *flags, "--image", image, bundle)
    return bundle / "rootfs"


# -- sample images ---------------------------------------------------------------------------


def tricky_image() -> il.Image:
    """Three layers exercising overwrites, whiteouts, opaque dirs, links, modes and Korean names."""
    base = il.Layer.from_files(
        {
            "etc/hello.txt": "hello\n",
            "etc/passwd": il.File("root:x:0:0:root:/root:/bin/sh\n", mode=0o644),
            "app/run.sh": il.File(b"#!/bin/sh\necho hi\n", mode=0o755),
            "app/data/a.txt": "a\n",
            "app/data/b.txt": "b\n",
            "app/data/sub/deep.txt": "deep\n",
            "old/x.txt": "x\n",
            "old/inner/y.txt": "y\n",
            "한글/파일 이름.txt": "안녕하세요\n",
            "secret": il.Dir(mode=0o700),
            "secret/key": il.File("k", mode=0o600),
            "app/link": il.Symlink("run.sh"),
            "abs": il.Symlink("/etc/hello.txt"),
            "dangling": il.Symlink("nowhere/at/all"),
            "app/hard": il.Hardlink("app/run.sh", mode=0o755),
            "empty": b"",
            "big.bin": bytes(range(256)) * 8192,  # 2 MiB: crosses read chunk boundaries
        },
        created_by="base",
    )
    middle = il.Layer.from_files(
        {
            "etc/hello.txt": "bye\n",  # overwrite
            "app/data/c.txt": "c\n",
            "app/data/d.txt": "d\n",  # replaced below by opaque dir
            "설정/값.conf": il.File("키=값\n", mode=0o640),
            "app/link": il.Symlink("/etc/passwd"),  # a symlink re-pointed
            "tools": il.Dir(mode=0o750),
        },
        deleted=["old", "empty"],
        created_by="middle",
    )
    top = il.Layer.from_files(
        {
            "app/data/e.txt": "e\n",
            "new.txt": "new\n",
            "한글/둘째.txt": il.File("둘\n", mode=0o600),
            "tools/bin": il.File(b"\x7fELF", mode=0o4755),
            "tools/alias": il.Hardlink("tools/bin", mode=0o4755),
        },
        opaque=["app/data"],
        deleted=["한글/파일 이름.txt"],
        created_by="top",
    )
    return (
        il.Image.scratch()
        .add_layer(base)
        .add_layer(middle)
        .add_layer(top)
        .with_config(cmd=["/app/run.sh"], env={"LANG": "ko_KR.UTF-8"}, workdir="/app")
    )


def simple_image(text: str = "hello\n", tag_layer: str = "app") -> il.Image:
    layer = il.Layer.from_files({f"{tag_layer}/hello.txt": text}, created_by=f"COPY {tag_layer}")
    return il.Image.scratch().add_layer(layer).with_config(cmd=["cat", f"/{tag_layer}/hello.txt"])


# -- comparing file trees ------------------------------------------------------------------------


def folder_snapshot(root: "str | os.PathLike") -> "dict[str, tuple]":
    """Path -> (kind, mode, content hash or link target) of a real folder, like tree_snapshot()."""
    root = os.fspath(root)
    result, hashes = {}, {}
    for current, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            path = os.path.join(current, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            info = os.lstat(path)
            mode = stat.S_IMODE(info.st_mode)
            if stat.S_ISLNK(info.st_mode):
                result[rel] = ("symlink", 0o777, os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                result[rel] = ("dir", mode, None)
            else:
                if info.st_ino not in hashes:
                    with open(path, "rb") as handle:
                        hashes[info.st_ino] = hashlib.sha256(handle.read()).hexdigest()
                result[rel] = ("file", mode, hashes[info.st_ino])
    return result


def tree_snapshot(tree: il.FileTree) -> "dict[str, tuple]":
    """Path -> (kind, mode, content hash or link target) of imagelib's union view."""
    result, hashes = {}, {}
    for node in tree.walk():
        if node.kind in ("file", "hardlink"):
            source = node.content or node.entry
            if id(source) not in hashes:
                hashes[id(source)] = hashlib.sha256(node.read_bytes()).hexdigest()
            result[node.path] = ("file", node.mode, hashes[id(source)])
        elif node.kind == "symlink":
            result[node.path] = ("symlink", 0o777, node.target)
        else:
            result[node.path] = (node.kind, node.mode, None)
    return result


def hardlink_groups(root: "str | os.PathLike") -> "list[set[str]]":
    """Sets of paths sharing one inode (hard links), sorted."""
    by_inode: "dict[int, set[str]]" = {}
    for current, _, files in os.walk(os.fspath(root)):
        for name in files:
            path = os.path.join(current, name)
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
                by_inode.setdefault(info.st_ino, set()).add(os.path.relpath(path, root))
    return sorted(by_inode.values(), key=sorted)


def raw_layer(*members: "tuple[str, str, str | bytes]") -> il.Layer:
    """A layer from raw tar members (kind, name, data or link target); parents are NOT added."""
    import tarfile

    from hostile_archives import Member, raw_tar

    built = [
        Member(name, kind, value) if kind == "file" else Member(name, kind, link=value) for kind, name, value in members
    ]
    return il.Layer.from_tar(raw_tar(*built, fmt=tarfile.PAX_FORMAT))


def gzip_layers(image: il.Image) -> il.Image:
    """The same layers, each compressed with gzip, on a fresh image (config left empty)."""
    packed = il.Image.scratch()
    for layer in image.layers:
        packed = packed.add_layer(layer.compress("gzip"))
    return packed
