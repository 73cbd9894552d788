"""Fuzzing the tar and JSON readers: damaged input may fail, but only with an ImageLibError.

Hypothesis mutates valid layers (plain, gzip, zstd) and valid image metadata (index.json,
manifests, configs, manifest.json, a store's index.json) byte by byte and structure by
structure. Whatever it makes, reading raises nothing but ``ImageLibError``; a layer that
still reads is unpacked next to a planted victim folder, which must not change.
"""

from __future__ import annotations

import gzip
import json
import tempfile
import warnings
from pathlib import Path

import pytest
from hostile_archives import (
    docker_archive_files,
    file,
    folder,
    hardlink,
    oci_layout_files,
    plant_victim,
    raw_tar,
    sha256,
    snapshot,
    symlink,
    write_folder,
    zstd,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imagelib as il

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PLAIN = raw_tar(
    folder("app"),
    file("app/run.sh", b"#!/bin/sh\necho hi\n" * 20, mode=0o755),
    symlink("app/link", "run.sh"),
    hardlink("app/hard", "app/run.sh"),
    file("app/.wh.old", b""),
    folder("data"),
    file("data/.wh..wh..opq", b""),
    file("data/" + "long-name-" * 12, b"x" * 600),
)
PAX = raw_tar(
    file("p/" + "한글" * 40, b"pax" * 100), symlink("p/l", "../" + "t" * 120), fmt=__import__("tarfile").PAX_FORMAT
)
LAYERS = [PLAIN, PAX, gzip.compress(PLAIN, mtime=0), zstd(PLAIN), gzip.compress(PAX, mtime=0)]


@st.composite
def damaged(draw, base: "list[bytes]"):
    """One of ``base`` with a few bytes changed, maybe cut short, maybe with junk appended."""
    data = bytearray(draw(st.sampled_from(base)))
    for _ in range(draw(st.integers(0, 6))):
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    if draw(st.integers(0, 4)) == 0:
        data += draw(st.binary(min_size=1, max_size=64))
    return bytes(data)


def _only_imagelib_errors(action) -> "object | None":
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", il.SkippedEntryWarning)
            return action()
    except il.ImageLibError:
        return None


@FUZZ
@given(damaged(LAYERS))
def test_damaged_layers_raise_only_imagelib_errors_and_unpack_stays_inside(data):
    layer = _only_imagelib_errors(lambda: il.Layer.from_tar(data))
    if layer is None:
        return
    for entry in layer.entries:
        _only_imagelib_errors(lambda entry=entry: entry.read() if entry.kind == "file" else None)
    with tempfile.TemporaryDirectory() as base:
        base = Path(base)
        plant_victim(base)
        before = snapshot(base, skip="root")
        image = il.Image.scratch().add_layer(layer)
        _only_imagelib_errors(lambda: il.unpack(image, base / "root"))
        _only_imagelib_errors(lambda: image.rootfs().snapshot())
        assert snapshot(base, skip="root") == before


# -- JSON documents ---------------------------------------------------------------------------------

KEYS = [
    "schemaVersion",
    "mediaType",
    "manifests",
    "digest",
    "size",
    "config",
    "layers",
    "rootfs",
    "diff_ids",
    "history",
    "annotations",
    "platform",
    "Config",
    "Layers",
    "RepoTags",
    "os",
    "architecture",
    "org.opencontainers.image.ref.name",
    "io.containerd.image.name",
    "parent",
    "id",
]
MEDIA = [
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.layer.v1.tar",
]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-5, 10**6)
    | st.floats(allow_nan=True)
    | st.sampled_from(MEDIA + ["sha256:" + "0" * 64, "../x", "/etc/passwd", "1", "a:b", ""])
    | st.text(max_size=12)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), inner, max_size=6)
    ),
    max_leaves=25,
)


def _layout(base: Path, **kwargs) -> Path:
    return write_folder(base / "layout", oci_layout_files([PLAIN], **kwargs))


def _open_everything(target: Path) -> None:
    _only_imagelib_errors(lambda: [c.load() for c in il.formats.list_images(target)])
    _only_imagelib_errors(lambda: il.open(target))


@FUZZ
@given(JSON, st.sampled_from(["index", "manifest", "config", "docker"]))
def test_metadata_of_any_shape_raises_only_imagelib_errors(doc, which):
    data = json.dumps(doc).encode()
    with tempfile.TemporaryDirectory() as base:
        base = Path(base)
        if which == "docker":
            target = write_folder(base / "d", docker_archive_files([PLAIN], manifest=data))
        else:
            target = _layout(base, **{which: data if which == "config" else doc})
        _open_everything(target)


@FUZZ
@given(JSON, st.sampled_from(["manifests", "layers", "config", "annotations", "platform", "digest"]))
def test_one_wrong_field_in_valid_metadata_raises_only_imagelib_errors(value, field):
    files = oci_layout_files([PLAIN])
    index = json.loads(files["index.json"])
    manifest_name = "blobs/sha256/" + index["manifests"][0]["digest"][7:]
    manifest = json.loads(files[manifest_name])
    if field in ("layers", "config"):
        manifest[field] = value
        index_doc = None
    else:
        index_doc = index
        target = index if field == "manifests" else index["manifests"][0]
        target[field] = value
    with tempfile.TemporaryDirectory() as base:
        base = Path(base)
        layout = _layout(base, manifest=manifest, index=index_doc)
        _open_everything(layout)
        _only_imagelib_errors(lambda: [il.Store(layout).get(t) for t in il.Store(layout).tags()])


@FUZZ
@given(damaged([oci_layout_files([PLAIN])["index.json"], docker_archive_files([PLAIN])["manifest.json"]]))
def test_damaged_json_bytes_raise_only_imagelib_errors(data):
    with tempfile.TemporaryDirectory() as base:
        base = Path(base)
        _open_everything(_layout(base, index=data))
        _open_everything(write_folder(base / "d", docker_archive_files([PLAIN], manifest=data)))
        _only_imagelib_errors(lambda: il.Store(base / "layout").tags())


@FUZZ
@given(JSON)
def test_a_store_folder_with_any_index_raises_only_imagelib_errors(doc):
    with tempfile.TemporaryDirectory() as base:
        layout = _layout(Path(base), index=doc)

        def use_store():
            store = il.Store(layout)
            for tag in store.tags():
                store.get(tag)
            store.put(il.Image.scratch().add_layer(il.Layer.from_tar(PLAIN)), "new:1")
            return store.verify()

        _only_imagelib_errors(use_store)


def test_the_fuzzed_inputs_start_from_valid_documents(tmp_path):
    # The mutations only mean something if the untouched inputs read fine.
    for data in LAYERS:
        assert il.Layer.from_tar(data).entries
    image = il.open(_layout(tmp_path))
    assert image.layers[0].diff_id == sha256(PLAIN)
    docker = il.open(write_folder(tmp_path / "d", docker_archive_files([PLAIN])))
    assert docker.id == image.id and docker.layers[0].digest == image.layers[0].digest


@pytest.mark.parametrize(
    "doc", [[], {}, {"manifests": [[]]}, {"manifests": [{"digest": "sha256:" + "0" * 64, "mediaType": MEDIA[0]}]}]
)
def test_examples_hypothesis_found_once_stay_fixed(tmp_path, doc):
    _open_everything(_layout(tmp_path, index=doc))
