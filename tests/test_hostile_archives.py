"""Hostile archives and layers refused while reading: bombs, cut files, bad metadata, limits.

Each case asserts the ImageLibError subclass and, for archives, that nothing next to the
archive changed (no temp file or extracted member escapes).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import tarfile
import tempfile
import time

import pytest
from hostile_archives import (
    _with_size,
    docker_archive_files,
    file,
    folder,
    gzip_bomb,
    oci_layout_files,
    outer_tar,
    plant_victim,
    raw_tar,
    sha256,
    snapshot,
    symlink,
    write_folder,
    zstd,
    zstd_bomb,
)

import imagelib as il
from imagelib.errors import (
    DigestMismatchError,
    ImageFormatError,
    LayerFormatError,
    LimitExceededError,
    UnsafeEntryError,
)

GOOD = raw_tar(
    folder("app"),
    file("app/a.txt", b"a" * 700),
    file("app/b.txt", b"b" * 10),
    folder("etc"),
    file("etc/c.txt", b"c" * 1300),
)


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    plant_victim(tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # temp copies must be cleaned up too
    return tmp_path


def _refused(sandbox, files, expected, *, folder_form=False, limits=None, match=None):
    """Write the archive (tar or folder), open it, expect the error, and check nothing else changed."""
    if folder_form:
        target = write_folder(sandbox / "layout", files)
    else:
        target = sandbox / "in.tar"
        target.write_bytes(files if isinstance(files, bytes) else outer_tar(files))
    before = snapshot(sandbox, skip="tmp")
    with pytest.raises(expected, match=match) as info:
        il.unpack(il.open(target, limits=limits), sandbox / "root")
    assert snapshot(sandbox, skip="tmp") == before
    assert os.listdir(sandbox / "tmp") == []  # no temp copy left behind
    return info.value


# -- compression bombs: stopped while streaming ----------------------------------------------------


def test_gzip_bomb_layer_stops_at_the_ratio_limit():
    bomb = gzip_bomb(160 << 20)
    start = time.perf_counter()
    with pytest.raises(LimitExceededError, match="max_ratio") as info:
        il.Layer.from_tar(bomb)
    assert "bomb.bin" not in str(info.value) and "배" in str(info.value)
    assert time.perf_counter() - start < 5
    with pytest.raises(LimitExceededError, match="max_bytes"):
        il.Layer.from_tar(bomb, limits=il.Limits(max_bytes=32 << 20, max_ratio=10_000))


def test_zstd_bomb_layer_stops_at_the_ratio_limit():
    bomb = zstd_bomb(256 << 20)
    assert len(bomb) < (256 << 20) // 1000  # a real bomb: more than 1000 times smaller
    with pytest.raises(LimitExceededError, match="max_ratio"):
        il.Layer.from_tar(bomb)


def test_raised_limits_let_a_big_but_wanted_layer_through():
    bomb = gzip_bomb(80 << 20)
    with pytest.raises(LimitExceededError):
        il.Layer.from_tar(bomb)
    layer = il.Layer.from_tar(bomb, limits=il.Limits(max_ratio=100_000))
    assert layer.entry("bomb.bin").size == (80 << 20) - 1024 and layer.uncompressed_size == (80 << 20) + 512


def test_a_header_claiming_a_huge_file_is_refused_at_once():
    header = _with_size(raw_tar(file("huge"), trailer=False)[:512], 1 << 60)
    for data in (header + bytes(2048), gzip.compress(header + bytes(2048), mtime=0)):
        start = time.perf_counter()
        with pytest.raises((LayerFormatError, LimitExceededError), match="huge"):
            il.Layer.from_tar(data)
        assert time.perf_counter() - start < 2


def test_a_bomb_inside_an_archive_is_refused_before_the_layer_is_read(sandbox):
    files = docker_archive_files([gzip_bomb(96 << 20)])
    _refused(sandbox, files, LimitExceededError, match="max_ratio")


def test_a_gzipped_archive_bomb_leaves_no_temp_copy(sandbox):
    outer = outer_tar(docker_archive_files([GOOD])) + bytes(200 << 20)
    packed = gzip.compress(outer, compresslevel=1, mtime=0)
    error = _refused(sandbox, packed, LimitExceededError, limits=il.Limits(max_ratio=50))
    assert "max_ratio" in str(error)
    assert os.listdir(sandbox / "tmp") == []


def test_entry_count_limit(sandbox):
    many = raw_tar(*[file(f"f{i}") for i in range(300)])
    with pytest.raises(LimitExceededError, match="max_entries"):
        il.Layer.from_tar(many, limits=il.Limits(max_entries=100))
    assert len(il.Layer.from_tar(many).entries) == 300
    _refused(sandbox, docker_archive_files([many]), LimitExceededError, limits=il.Limits(max_entries=100))


def test_layer_streams_are_capped():
    with pytest.raises(LimitExceededError, match="max_bytes"):
        il.Layer.from_tar(io.BytesIO(GOOD + bytes(1 << 20)), limits=il.Limits(max_bytes=4096))
    with pytest.raises(LimitExceededError, match="max_bytes"):
        il.Layer.from_tar(GOOD, limits=il.Limits(max_bytes=4096))


def test_limits_must_be_positive_integers():
    for bad in (dict(max_bytes=0), dict(max_ratio=-1), dict(max_entries=1.5), dict(max_json_bytes=True)):
        with pytest.raises(il.ImageLibError):
            il.Limits(**bad)
    with pytest.raises(il.ImageLibError, match="il.Limits"):
        il.Layer.from_tar(GOOD, limits={"max_bytes": 1})


# -- cut and damaged files ---------------------------------------------------------------------------


@pytest.mark.parametrize("cut", ["in-data", "at-member-boundary", "in-header", "no-trailer"])
def test_truncated_tar_layers_are_refused(cut):
    ends = {
        "in-data": 1400,
        "at-member-boundary": 2048,
        "in-header": 2100,
        "no-trailer": len(raw_tar(folder("app"), file("app/a.txt", b"a" * 700), trailer=False)),
    }
    data = (
        GOOD[: ends[cut]]
        if cut != "no-trailer"
        else raw_tar(folder("app"), file("app/a.txt", b"a" * 700), trailer=False)
    )
    with pytest.raises(LayerFormatError, match="잘렸|끝"):
        il.Layer.from_tar(data)


def test_a_damaged_header_after_good_members_is_refused():
    data = bytearray(GOOD)
    data[2048 + 5] ^= 0x55  # the name of the third member: its checksum no longer matches
    with pytest.raises(LayerFormatError):
        il.Layer.from_tar(bytes(data))


@pytest.mark.parametrize(
    "kind", ["gzip-cut", "gzip-corrupt", "gzip-trailing-garbage", "zstd-cut", "zstd-garbage", "zstd-trailing-garbage"]
)
def test_damaged_compressed_layers_are_refused(kind):
    packed = gzip.compress(GOOD, mtime=0) if kind.startswith("gzip") else zstd(GOOD)
    if kind.endswith("cut"):
        data = packed[: len(packed) // 2]
    elif kind.endswith("trailing-garbage"):
        data = packed + b"garbage!" * 4
    else:
        middle = bytearray(packed)
        for position in range(12, len(middle) - 8, 7):
            middle[position] ^= 0xA5
        data = bytes(middle)
    with pytest.raises(LayerFormatError) as info:
        il.Layer.from_tar(data)
    assert "레이어" in str(info.value)


def test_truncated_archives_are_refused(sandbox):
    whole = outer_tar(docker_archive_files([GOOD]))
    _refused(sandbox, whole[: len(whole) // 2], ImageFormatError)
    packed = gzip.compress(whole, mtime=0)
    _refused(sandbox, packed[: len(packed) - 40], ImageFormatError, match="잘렸거나")
    assert os.listdir(sandbox / "tmp") == []


# -- archive metadata ---------------------------------------------------------------------------------


def _manifest(**changes):
    files = docker_archive_files([GOOD])
    doc = json.loads(files["manifest.json"])
    doc[0].update(changes)
    files["manifest.json"] = json.dumps(doc).encode()
    return files


@pytest.mark.parametrize(
    "name", ["../victim/passwd", "/etc/passwd", "blobs/../../victim/hello", "blobs\\sha256\\x", "a\u0000b"]
)
def test_manifest_json_paths_outside_the_archive_are_refused(sandbox, name):
    _refused(sandbox, _manifest(Config=name), ImageFormatError, match="아카이브 밖")
    _refused(sandbox, _manifest(Layers=[name]), ImageFormatError, match="아카이브 밖")


def test_archive_members_with_dotdot_are_refused(sandbox):
    files = docker_archive_files([GOOD])
    files["../escaped"] = b"x"
    _refused(sandbox, files, ImageFormatError, match="'..'")


@pytest.mark.parametrize(
    "digest", ["sha256:../../victim/hello", "sha256:" + "A" * 64, "md5:abc", "sha256:" + "0" * 63, 42, None]
)
def test_index_json_with_malformed_digests_is_refused(sandbox, digest):
    files = oci_layout_files([GOOD])
    index = json.loads(files["index.json"])
    index["manifests"][0]["digest"] = digest
    files["index.json"] = json.dumps(index).encode()
    _refused(sandbox, files, ImageFormatError)
    _refused(sandbox, files, ImageFormatError, folder_form=True)


def test_a_blob_that_is_a_symlink_out_of_a_layout_folder_is_refused(sandbox):
    files = oci_layout_files([GOOD])
    layer_member = f"blobs/sha256/{sha256(GOOD)[7:]}"
    del files[layer_member]
    layout = write_folder(sandbox / "layout", files)
    os.symlink(sandbox / "victim" / "hello", layout / layer_member)
    before = snapshot(sandbox)
    with pytest.raises(ImageFormatError, match="폴더 밖"):
        il.open(layout)
    assert snapshot(sandbox) == before


def test_symlinked_members_inside_an_archive_stay_inside(sandbox):
    files = docker_archive_files([GOOD])
    config_name = json.loads(files["manifest.json"])[0]["Config"]
    config = files.pop(config_name)
    files["real-config.json"] = config
    link = tarfile.TarInfo(config_name)
    link.type, link.linkname = tarfile.SYMTYPE, "/../../../real-config.json"
    target = sandbox / "in.tar"
    target.write_bytes(outer_tar(files, extra=[link]))
    assert il.open(target).config_bytes == config  # resolved inside the archive, never on the host


@pytest.mark.parametrize(
    "text",
    [
        b"",
        b"{",
        b"[1,2",
        b"\xff\xfe{}",
        b"null",
        b"[[[[" * 50_000,
        b'{"manifests": {"a": 1}}',
        b'{"manifests": "abc"}',
        b'{"manifests": [{"digest": 5}]}',
    ],
)
def test_malformed_index_json_is_refused(sandbox, text):
    files = oci_layout_files([GOOD], index=text)
    _refused(sandbox, files, (ImageFormatError, il.TagNotFoundError))
    _refused(sandbox, files, (ImageFormatError, il.TagNotFoundError), folder_form=True)


@pytest.mark.parametrize(
    "text",
    [b"{}", b"[{}]", b'[{"Config": 5, "Layers": []}]', b"[" * 100_000, b'[{"Config": "x", "Layers": "abc"}]', b"\x00"],
)
def test_malformed_manifest_json_is_refused(sandbox, text):
    files = docker_archive_files([GOOD], manifest=text)
    _refused(sandbox, files, (ImageFormatError, il.PathNotFoundError))


@pytest.mark.parametrize(
    "change", [{"mediaType": "application/vnd.oci.image.index.v1+json"}, {"size": -5}, {"size": "big"}, {"size": 1}]
)
def test_index_entries_of_the_wrong_shape_are_refused(sandbox, change):
    files = oci_layout_files([GOOD])
    index = json.loads(files["index.json"])
    index["manifests"][0].update(change)
    files["index.json"] = json.dumps(index).encode()
    _refused(sandbox, files, (ImageFormatError, il.TagNotFoundError, DigestMismatchError))


@pytest.mark.parametrize(
    "config",
    [
        b'{"rootfs": []}',
        b'{"rootfs": {"diff_ids": "x"}}',
        b'{"history": 5}',
        b'{"config": []}',
        b"[]",
        b'{"rootfs": {"diff_ids": [5]}}',
    ],
)
def test_configs_of_the_wrong_shape_are_refused(sandbox, config):
    _refused(sandbox, oci_layout_files([GOOD], config=config), (ImageFormatError, il.InvalidDigestError))


def test_json_documents_over_the_size_limit_are_refused(sandbox):
    files = oci_layout_files([GOOD])
    index = json.loads(files["index.json"])
    index["annotations"] = {"padding": "x" * 5000}
    files["index.json"] = json.dumps(index).encode()
    error = _refused(sandbox, files, LimitExceededError, limits=il.Limits(max_json_bytes=4096))
    assert "max_json_bytes" in str(error)
    assert il.open(write_folder(sandbox / "ok", files)).layers[0].diff_id == sha256(GOOD)


def test_legacy_repositories_with_bad_ids_are_refused(sandbox):
    files = {"repositories": json.dumps({"hostile": {"1": "../../victim"}}).encode()}
    _refused(sandbox, files, (ImageFormatError, il.TagNotFoundError))


def test_read_time_refusals_work_in_layers_read_directly():
    for members, expected in [
        ((file("../x"),), UnsafeEntryError),
        ((file(".wh..."),), UnsafeEntryError),
        ((symlink(".", "/etc"),), UnsafeEntryError),
        ((file(b"\xff"),), LayerFormatError),
    ]:
        for packing in (lambda d: d, lambda d: gzip.compress(d, mtime=0), zstd):
            with pytest.raises(expected):
                il.Layer.from_tar(packing(raw_tar(*members)))


def test_names_that_are_not_tags_are_ignored_not_trusted(sandbox):
    files = oci_layout_files([GOOD])
    index = json.loads(files["index.json"])
    entry = dict(index["manifests"][0], annotations={"io.containerd.image.name": "../../x"})
    files["index.json"] = json.dumps(dict(index, manifests=[entry])).encode()
    layout = write_folder(sandbox / "layout", files)
    assert il.open(layout).layers[0].diff_id == sha256(GOOD)
    assert il.Store(layout).tags() == []


@pytest.mark.parametrize(
    ("odd", "field"),
    [
        ({"annotations": {"org.opencontainers.image.ref.name": 5}}, "annotations['org.opencontainers.image.ref.name']"),
        ({"annotations": "not an object"}, "annotations"),
        ({"platform": "linux"}, "platform"),
        ({"platform": {"os": ["linux"], "architecture": "amd64"}}, "os"),
        ({"platform": {"os": "linux"}}, "architecture"),
        ({"size": "415"}, "size"),
        ({"size": 1e400}, "size"),
        ({"urls": "http://x"}, "urls"),
    ],
)
def test_index_entries_of_the_wrong_type_are_refused_as_go_refuses_them(sandbox, odd, field):
    # Go's encoding/json cannot put these values into the descriptor's typed fields, so Docker,
    # containerd and skopeo refuse the index; imagelib names the field instead of guessing.
    files = oci_layout_files([GOOD])
    index = json.loads(files["index.json"])
    entry = dict(index["manifests"][0], **odd)
    files["index.json"] = json.dumps(dict(index, manifests=[entry])).encode().replace(b"Infinity", b"1e400")
    layout = write_folder(sandbox / "layout", files)
    before = snapshot(sandbox)
    for read in (il.open, il.Store):
        with pytest.raises(ImageFormatError, match=re.escape(field)):
            read(layout)
    assert snapshot(sandbox) == before


def test_a_store_folder_never_writes_or_reads_through_planted_symlinks(sandbox):
    layout = write_folder(sandbox / "layout", oci_layout_files([GOOD]))
    outside = sandbox / "outside-blobs"
    outside.mkdir()
    (layout / "blobs").rename(outside / "blobs")
    os.symlink(outside / "blobs", layout / "blobs")
    before = snapshot(sandbox)
    with pytest.raises(ImageFormatError, match="심볼릭 링크"):
        il.Store(layout).put(il.Image.scratch().add_layer(il.Layer.from_tar(GOOD)), "x:1")
    assert snapshot(sandbox) == before
    os.unlink(layout / "blobs")
    (outside / "blobs").rename(layout / "blobs")
    layer_blob = layout / "blobs" / "sha256" / sha256(GOOD)[7:]
    layer_blob.unlink()
    os.symlink(sandbox / "victim" / "passwd", layer_blob)
    store = il.Store(layout)
    assert sha256(GOOD) not in [str(d) for d in store._backend.blob_digests()]
    with pytest.raises(il.ImageLibError):
        store.get(store.tags()[0] if store.tags() else "layout:1")
    store.put(il.Image.scratch().add_layer(il.Layer.from_tar(GOOD)), "x:1")  # replaces the link
    assert not layer_blob.is_symlink() and layer_blob.read_bytes() == GOOD
    assert (sandbox / "victim" / "passwd").read_text().startswith("root:")
    assert store.verify() == []
