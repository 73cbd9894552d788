"""Small per-platform images and the image index over them, shared by the index tests."""

from __future__ import annotations

import tarfile

import imagelib as il

# The dynamic loader really differs per architecture in Alpine's images.
LOADERS = {
    ("amd64", ""): "ld-musl-x86_64.so.1",
    ("arm64", ""): "ld-musl-aarch64.so.1",
    ("arm", "v7"): "ld-musl-armhf.so.1",
}
OTHER_LOADERS = {("386", ""): "ld-musl-i386.so.1", ("arm", "v6"): "ld-musl-armhf.so.1"}


def platform_image(architecture: str, variant: str = "", compression: "str | None" = None) -> il.Image:
    """A one-layer image whose config names its platform and whose loader file matches it."""
    loader = {**LOADERS, **OTHER_LOADERS}[(architecture, variant)]
    layer = il.Layer.from_files({f"lib/{loader}": f"{architecture}{variant}\n", "etc/motd": "shared\n"})
    if compression is not None:
        layer = layer.compress(compression)
    image = il.Image.scratch(architecture, variant=variant or None).add_layer(layer, created_by="COPY lib /lib")
    return image.with_config(cmd=["/bin/sh"])


def platform_images() -> "list[il.Image]":
    return [platform_image(arch, variant) for arch, variant in LOADERS]


def three_platform_index() -> il.ImageIndex:
    return il.ImageIndex.of(platform_images())


def carrying_only(archive, kept: il.Image, index: il.ImageIndex, target) -> None:
    """A copy of ``archive`` that carries only ``kept``'s blobs (a store that pulled one platform)."""
    others = {d.hex for image in index.images if image != kept for d in (image.digest, image.id)}
    others |= {layer.digest.hex for image in index.images if image != kept for layer in image.layers}
    others -= {layer.digest.hex for layer in kept.layers}
    with tarfile.open(archive) as source, tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as copy:
        for member in source.getmembers():
            if member.name.rsplit("/", 1)[-1] not in others:
                copy.addfile(member, source.extractfile(member) if member.isfile() else None)
