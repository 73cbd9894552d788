"""Limits for a whole image (``Limits.max_image_entries``), counted across its layers while reading.

A small gzip layer of many empty files, listed several times in a valid manifest, must stop
with a clear LimitExceededError instead of filling the memory with entries.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
import tarfile
import textwrap

import pytest
from formats_helpers import real_image
from hostile_archives import docker_archive_files, oci_layout_files, outer_tar, write_folder

import imagelib as il
from imagelib.errors import LayerFormatError, LimitExceededError

SMALL = il.Limits(max_image_entries=10_000)
GZIP_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def empty_files_tar(count: int, prefix: str = "f") -> bytes:
    """An uncompressed tar of ``count`` empty files, made header by header (fast for 10^5 files)."""
    template = tarfile.TarInfo(f"{prefix}{0:07d}")
    template.mtime = 0
    header = bytearray(template.tobuf(tarfile.USTAR_FORMAT))
    name_size = len(template.name)
    header[148:156] = b" " * 8
    base = sum(header) - sum(header[:name_size])
    blocks = []
    for i in range(count):
        name = f"{prefix}{i:07d}".encode()
        header[:name_size] = name
        header[148:156] = b"%06o\0 " % (base + sum(name))
        blocks.append(bytes(header))
    return b"".join(blocks) + bytes(1024)


def empty_files_layer(count: int, prefix: str = "f") -> bytes:
    return gzip.compress(empty_files_tar(count, prefix), compresslevel=1, mtime=0)


def _archive(tmp_path, layers: "list[bytes]", form: str):
    if form == "docker":
        path = tmp_path / "image.tar"
        path.write_bytes(outer_tar(docker_archive_files(layers)))
        return path
    return write_folder(tmp_path / "layout", oci_layout_files(layers, media_type=GZIP_LAYER))


@pytest.fixture(scope="module")
def layer_3000() -> bytes:
    return empty_files_layer(3000)


@pytest.mark.parametrize("form", ["docker", "oci"])
def test_one_layer_listed_four_times_goes_over_the_image_limit(tmp_path, layer_3000, form):
    path = _archive(tmp_path, [layer_3000] * 4, form)
    with pytest.raises(LimitExceededError, match="max_image_entries") as info:
        il.open(path, limits=SMALL)
    message = str(info.value)
    assert "10_000" in message and "limits=il.Limits(max_image_entries=" in message
    assert ("hostile:1" if form == "docker" else "sha256:") in message  # names the image
    assert len(il.open(path, limits=il.Limits(max_image_entries=12_000)).layers) == 4


@pytest.mark.parametrize("form", ["docker", "oci"])
def test_eight_small_distinct_layers_go_over_the_image_limit(tmp_path, form):
    layers = [empty_files_layer(1500, prefix=f"l{n}_") for n in range(8)]
    path = _archive(tmp_path, layers, form)
    with pytest.raises(LimitExceededError, match="max_image_entries"):
        il.open(path, limits=SMALL)
    assert len(il.open(path, limits=il.Limits(max_image_entries=12_000)).layers) == 8


def test_the_image_limit_stops_inside_a_layer_not_after_it(tmp_path, layer_3000):
    # The last layer is damaged after 2,000 entries: only a check made while reading reaches
    # the image limit (9,000 + 1,001 entries) before the damage.
    damaged = gzip.compress(empty_files_tar(2000, "z")[:-1024] + b"\xff" * 512 + bytes(1024), mtime=0)
    path = _archive(tmp_path, [layer_3000] * 3 + [damaged], "docker")
    with pytest.raises(LayerFormatError):
        il.open(path)
    with pytest.raises(LimitExceededError, match="max_image_entries"):
        il.open(path, limits=SMALL)


def test_a_layer_read_twice_by_the_slower_tar_reader_is_counted_once(tmp_path):
    # A global PAX header after 3,000 files sends the layer back to tarfile for a second pass.
    global_header = tarfile.TarInfo._create_pax_generic_header({"comment": "x"}, tarfile.XGLTYPE, "utf-8")
    tail = tarfile.TarInfo("tail").tobuf(tarfile.USTAR_FORMAT)
    layer = gzip.compress(empty_files_tar(3000)[:-1024] + global_header + tail + bytes(1024), mtime=0)
    path = _archive(tmp_path, [layer], "docker")
    assert len(il.open(path, limits=il.Limits(max_image_entries=3001)).layers[0].entries) == 3001
    with pytest.raises(LimitExceededError, match="max_image_entries"):
        il.open(path, limits=il.Limits(max_image_entries=3000))


def test_each_image_has_its_own_count(tmp_path, layer_3000):
    files = docker_archive_files([layer_3000] * 3)
    item = json.loads(files["manifest.json"])[0]
    files["manifest.json"] = json.dumps([item, dict(item, RepoTags=["other:1"])]).encode()
    path = tmp_path / "two.tar"
    path.write_bytes(outer_tar(files))
    assert il.open(path, "hostile:1", limits=SMALL).layers == il.open(path, "other:1", limits=SMALL).layers
    assert len(il.open(path, "hostile:1", limits=SMALL).layers) == 3  # opened again: counted afresh


def test_a_real_image_under_the_limit_opens():
    path = real_image("dive-test-docker-image.tar")
    image = il.open(path)
    total = sum(len(layer.entries) for layer in image.layers)
    assert total > 0
    assert il.open(path, limits=il.Limits(max_image_entries=total)).id == image.id
    with pytest.raises(LimitExceededError, match="max_image_entries"):
        il.open(path, limits=il.Limits(max_image_entries=total - 1))


def test_the_per_layer_limit_still_applies(tmp_path, layer_3000):
    path = _archive(tmp_path, [layer_3000], "docker")
    with pytest.raises(LimitExceededError, match="max_entries") as info:
        il.open(path, limits=il.Limits(max_entries=2000))
    assert "max_image_entries" not in str(info.value)
    with pytest.raises(LimitExceededError, match="max_entries"):
        il.Layer.from_tar(layer_3000, limits=il.Limits(max_entries=2000))
    assert len(il.open(path, limits=il.Limits(max_entries=3000)).layers[0].entries) == 3000


def test_a_layer_read_alone_has_no_image_limit(layer_3000):
    layer = il.Layer.from_tar(layer_3000, limits=il.Limits(max_image_entries=10))
    assert len(layer.entries) == 3000


def test_the_image_limit_must_be_positive():
    with pytest.raises(il.ImageLibError, match="max_image_entries"):
        il.Limits(max_image_entries=0)


_AT_THE_DEFAULT = textwrap.dedent("""
    import resource, sys
    import imagelib as il
    try:
        il.open(sys.argv[1])
    except il.LimitExceededError as error:
        print("refused", "max_image_entries" in str(error))
    else:
        print("opened")
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux
""")


@pytest.mark.slow
def test_at_the_default_limit_a_repeated_layer_is_refused_with_bounded_memory(tmp_path):
    limit = il.Limits().max_image_entries
    layer = empty_files_layer(limit // 2 + 1)
    path = tmp_path / "many.tar"
    diff_id = "sha256:" + hashlib.sha256(gzip.decompress(layer)).hexdigest()
    rootfs = {"type": "layers", "diff_ids": [diff_id] * 8}
    config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": rootfs})
    # 8 million entries if read whole
    path.write_bytes(outer_tar(docker_archive_files([layer] * 8, config=config.encode())))
    result = subprocess.run(
        [sys.executable, "-c", _AT_THE_DEFAULT, str(path)], capture_output=True, text=True, check=True, timeout=300
    )
    verdict, peak_kib = result.stdout.split("\n")[:2]
    assert verdict == "refused True"
    assert int(peak_kib) < 1_500_000  # the 8 million entries would take several GiB


def test_a_store_counts_its_images_entries_too(tmp_path, layer_3000):
    layout = _archive(tmp_path, [layer_3000] * 4, "oci")
    with pytest.raises(LimitExceededError, match="max_image_entries"):
        il.Store(layout, limits=SMALL).get(il.Store(layout).images()[0].digest)
    assert len(il.Store(layout, limits=il.Limits(max_image_entries=12_000)).get("layout:1").layers) == 4
