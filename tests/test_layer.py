import gzip
import io
import tarfile

import pytest

import imagelib as il
from imagelib.digest import Digest


def members(layer):
    with layer.open_tar() as stream:
        with tarfile.open(fileobj=io.BytesIO(stream.read())) as tar:
            return tar.getmembers()


def sample_layer(**kwargs):
    return il.Layer.from_files(
        {
            "app/hello.txt": "hello\n",
            "app/run.sh": il.File(b"#!/bin/sh\n", mode=0o755),
            "app/logs": il.Dir(),
            "app/latest": il.Symlink("hello.txt"),
            "app/한글.txt": "안녕하세요",
            "app/same": il.Hardlink("app/hello.txt"),
        },
        deleted=["app/old.txt"],
        opaque=["app/cache"],
        created_by="COPY . /app",
        **kwargs,
    )


def test_diff_id_and_digest_are_hashes_of_the_tar_bytes():
    layer = sample_layer()
    data = layer.blob_bytes()
    assert layer.diff_id == Digest.of_bytes(data) == layer.digest
    assert layer.size == layer.uncompressed_size == len(data)
    assert layer.media_type == "application/vnd.oci.image.layer.v1.tar"


def test_tar_is_sorted_reproducible_and_owner_free():
    tar_members = members(sample_layer())
    names = [m.name for m in tar_members]
    assert names[0] == "app"  # the parent directory is added automatically
    assert sample_layer().blob_bytes()[:100].rstrip(b"\0") == b"app/"  # written as Docker does
    assert names.index("app/.wh.old.txt") < names.index("app/hello.txt")
    assert names.index("app/cache") < names.index("app/cache/.wh..wh..opq")
    assert names[-1] == "app/same"  # hard links follow the file they name
    for member in tar_members:
        assert (member.mtime, member.uid, member.gid, member.uname, member.gname) == (0, 0, 0, "", "")
    assert sample_layer().digest == sample_layer().digest


def test_tar_has_no_record_padding_only_two_end_blocks():
    data = il.Layer.from_files({"a": "x"}).blob_bytes()
    # header + one data block + two zero blocks
    assert len(data) == 512 * 4
    assert data.endswith(b"\0" * 1024)


def test_whiteouts_and_opaque_markers_follow_layer_md():
    tar_members = {m.name: m for m in members(sample_layer())}
    assert tar_members["app/.wh.old.txt"].isreg() and tar_members["app/.wh.old.txt"].size == 0
    assert tar_members["app/cache/.wh..wh..opq"].isreg()
    assert tar_members["app/latest"].issym() and tar_members["app/latest"].linkname == "hello.txt"
    assert tar_members["app/same"].islnk() and tar_members["app/same"].linkname == "app/hello.txt"
    assert tar_members["app/run.sh"].mode == 0o755


def test_korean_names_use_pax_headers_and_round_trip():
    layer = sample_layer()
    again = il.Layer.from_tar(layer.blob_bytes())
    assert again.entry("app/한글.txt").read_text() == "안녕하세요"
    assert [e.path for e in again.entries] == [e.path for e in layer.entries]
    assert again.diff_id == layer.diff_id


def test_entries_have_path_kind_size_mode():
    layer = sample_layer()
    hello = layer.entry("/app/hello.txt")
    assert (hello.path, hello.kind, hello.size, hello.mode) == ("app/hello.txt", "file", 6, 0o644)
    assert layer.entry("app/logs").kind == "dir"
    assert layer.deleted == ["app/old.txt"] and layer.opaque == ["app/cache"]
    assert isinstance(layer.entries, tuple)


@pytest.mark.parametrize("algorithm, magic", [("gzip", b"\x1f\x8b"), ("zstd", b"\x28\xb5\x2f\xfd")])
def test_compress_keeps_diff_id_changes_digest_and_reads_back(algorithm, magic):
    layer = sample_layer()
    packed = layer.compress(algorithm)
    assert packed.diff_id == layer.diff_id and packed.digest != layer.digest
    assert packed.media_type.endswith("+" + algorithm)
    blob = packed.blob_bytes()
    assert blob.startswith(magic) and Digest.of_bytes(blob) == packed.digest
    again = il.Layer.from_tar(blob)
    assert again.diff_id == layer.diff_id and again.compression == algorithm
    assert again.entry("app/hello.txt").read_text() == "hello\n"
    assert layer.compress(algorithm).digest == packed.digest  # deterministic in one zlib build


def test_gzip_blob_has_no_name_and_zero_mtime():
    blob = sample_layer().compress("gzip").blob_bytes()
    assert blob[4:8] == b"\0\0\0\0"  # MTIME
    assert blob[3] & 0x08 == 0  # no FNAME
    assert gzip.decompress(blob) == sample_layer().blob_bytes()


def test_from_tar_reads_paths_and_file_objects(tmp_path):
    layer = sample_layer()
    path = tmp_path / "layer.tar"
    path.write_bytes(layer.blob_bytes())
    for source in (path, str(path), io.BytesIO(layer.blob_bytes())):
        again = il.Layer.from_tar(source)
        assert again.digest == layer.digest
        assert again.entry("app/run.sh").read() == b"#!/bin/sh\n"


def test_from_tar_checks_expected_digest():
    layer = sample_layer()
    with pytest.raises(il.DigestMismatchError) as info:
        il.Layer.from_tar(layer.blob_bytes(), expected_digest=Digest.of_bytes(b"other"))
    assert "sha256:" in str(info.value)


def test_broken_tar_gives_korean_layer_error():
    with pytest.raises(il.LayerFormatError):
        il.Layer.from_tar(b"this is not a tar archive at all" * 40)
    truncated = gzip.compress(sample_layer().blob_bytes())[:-30]
    with pytest.raises(il.LayerFormatError):
        il.Layer.from_tar(truncated)


def test_bad_paths_are_refused():
    with pytest.raises(il.InvalidPathError):
        il.Layer.from_files({"../etc/passwd": "x"})
    with pytest.raises(il.InvalidPathError):
        il.Layer.from_files({"/": "x"})
    with pytest.raises(il.InvalidPathError):
        il.Layer.from_files({"a": "x", "/a": "y"})
    with pytest.raises(il.InvalidPathError):
        il.Layer.from_files({"a": "x", "a/b": "y"})
    with pytest.raises(il.InvalidPathError):
        il.Layer.from_files({"a": "x"}, deleted=["a"])
    with pytest.raises(il.InvalidPathError):
        il.Layer.from_files({"a": 3})


def test_layer_is_read_only():
    layer = sample_layer()
    with pytest.raises(il.ReadOnlyError) as info:
        layer.write("app/new.txt", "x")
    assert "읽기 전용" in str(info.value)
    with pytest.raises(il.ReadOnlyError):
        layer.created_by = "changed"
    with pytest.raises(AttributeError):  # entries are a tuple of frozen values
        layer.entries[0].path = "x"
    assert layer.created_by == "COPY . /app"


def test_big_file_layer_spills_compression_to_disk(monkeypatch):
    from imagelib import blob

    monkeypatch.setattr(blob, "MEMORY_LIMIT", 1000)
    layer = il.Layer.from_files({"big.bin": bytes(range(256)) * 40})
    packed = layer.compress("gzip")
    assert il.Layer.from_tar(packed.open_blob()).diff_id == layer.diff_id
