"""Builds one representative image and prints its digests as JSON (run by test_determinism)."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import imagelib as il  # noqa: E402


def build() -> il.Image:
    base = il.Layer.from_files(
        {
            "etc/os-release": "ID=demo\n",
            "bin": il.Symlink("usr/bin"),
            "usr/bin/sh": il.File(b"\x7fELF", mode=0o755),
            "usr/share/긴/" + "이름" * 60 + ".txt": "long korean name\n",
            "data/blob": bytes(range(256)) * 9,
        },
        created_by="ADD rootfs.tar /",
    )
    app = il.Layer.from_files(
        {
            "app/hello.txt": "안녕하세요\n",
            "app/same": il.Hardlink("app/hello.txt"),
            "app/logs": il.Dir(mode=0o700),
            "app/cache/new": "n",
        },
        deleted=["data/blob"],
        opaque=["app/cache"],
        created_by="COPY . /app",
    )
    image = il.Image.scratch().add_layer(base).add_layer(app)
    image = image.with_config(
        env={"NODE_ENV": "production", "언어": "한국어"},
        cmd=["node", "app.js"],
        workdir="/app",
        exposed_ports=[80],
        labels={"course": "도커 이미지"},
        created_by='CMD ["node" "app.js"]',
    )
    box = il.Container(image)
    box.write("app/hello.txt", "v2\n")
    box.delete("etc/os-release")
    return box.commit(message="edit", changes={"user": "node"})


if __name__ == "__main__":
    image = build()
    print(json.dumps({"id": str(image.id), "digest": str(image.digest), "diff_ids": [str(d) for d in image.diff_ids]}))
