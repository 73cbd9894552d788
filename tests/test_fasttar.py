"""The fast tar header reader used by layer scanning agrees with tarfile, and falls back to it."""

from __future__ import annotations

import contextlib
import gzip
import io
import tarfile
import warnings

import pytest
from hostile_archives import BLOCK, blocks_tar, header
from hypothesis import given, settings
from hypothesis import strategies as st
from tar_readers import tarfile_fallback_only

import imagelib as il
from imagelib import layerscan
from imagelib.blob import Blob
from imagelib.errors import ImageLibError
from imagelib.fasttar import UnusualTar, read_members

FIELDS = ("name", "type", "mode", "uid", "gid", "size", "linkname", "offset_data")


def make_tar(fmt: int, pax_headers: "dict | None" = None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=fmt, pax_headers=pax_headers) as tar:

        def add(name: str, kind: bytes = tarfile.REGTYPE, data: bytes = b"", **extra) -> None:
            info = tarfile.TarInfo(name)
            info.type, info.size = kind, len(data)
            for key, value in extra.items():
                setattr(info, key, value)
            tar.addfile(info, io.BytesIO(data) if data else None)

        add("app", tarfile.DIRTYPE, mode=0o755)
        add("app/empty.txt")
        add("app/block.bin", data=b"b" * 512)
        add("app/odd.bin", data=b"o" * 513, mode=0o750, uid=1000, gid=1000)
        if fmt == tarfile.USTAR_FORMAT:  # a long path goes into the ustar prefix field
            add("app/" + "sub-dir-" * 10 + "/name.txt", data=b"long\n")
        else:
            add("app/" + "long-name-" * 12 + ".txt", data=b"long\n")
        add("app/한글 파일.txt", data="안녕하세요\n".encode())
        long_target = fmt != tarfile.USTAR_FORMAT
        add("app/link", tarfile.SYMTYPE, linkname="../" + "target-" * (20 if long_target else 5))
        add("app/hard", tarfile.LNKTYPE, linkname="app/odd.bin")
        add("app/.wh.gone")
        add("app/cache/.wh..wh..opq")
        if fmt != tarfile.USTAR_FORMAT:
            add("app/big-owner", data=b"x", uid=2**22, gid=2**22)
    return buffer.getvalue()


def fields(members) -> list:
    return [tuple(getattr(m, f) for f in FIELDS) for m in members]


@pytest.mark.parametrize(
    "fmt", [tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT], ids=["ustar", "gnu", "pax"]
)
def test_members_match_tarfile(fmt):
    data = make_tar(fmt)
    expected = fields(tarfile.open(fileobj=io.BytesIO(data), mode="r|"))
    assert fields(read_members(io.BytesIO(data))) == expected


def test_layer_entries_are_the_same_either_way(monkeypatch):
    data = make_tar(tarfile.PAX_FORMAT)
    fast = il.Layer.from_tar(data)

    def refuse(stream):
        raise UnusualTar("forced")
        yield  # pragma: no cover

    monkeypatch.setattr(layerscan, "read_members", refuse)
    slow = il.Layer.from_tar(data)
    assert fast.diff_id == slow.diff_id
    assert [(e.path, e.kind, e.mode, e.uid, e.size) for e in fast.entries] == [
        (e.path, e.kind, e.mode, e.uid, e.size) for e in slow.entries
    ]
    assert fast.entry("app/odd.bin").read() == b"o" * 513


def test_a_global_pax_comment_is_read_fast_and_changes_nothing():
    data = make_tar(tarfile.PAX_FORMAT, pax_headers={"comment": "global"})
    expected = fields(tarfile.open(fileobj=io.BytesIO(data), mode="r|"))
    assert fields(read_members(io.BytesIO(data))) == expected
    layer = il.Layer.from_tar(data)
    assert layer.diff_id == il.Digest.of_bytes(data)
    assert "app/odd.bin" in layer.paths


def test_a_global_pax_header_that_changes_members_is_left_to_tarfile():
    data = make_tar(tarfile.PAX_FORMAT, pax_headers={"uid": "7"})
    with pytest.raises(UnusualTar):
        list(read_members(io.BytesIO(data)))


def test_damaged_archives_are_left_to_tarfile_and_the_digest_check():
    original = make_tar(tarfile.GNU_FORMAT)
    digest = il.Digest.of_bytes(original)
    cut = original[:1800]  # inside the data of app/block.bin
    bad_second = bytearray(original)
    bad_second[600] ^= 0xFF  # inside the second header: its checksum no longer matches
    bad_first = bytearray(original)
    bad_first[10] ^= 0xFF
    for damaged in (cut, bytes(bad_second), bytes(bad_first)):
        with pytest.raises(UnusualTar):
            list(read_members(io.BytesIO(damaged)))
        with pytest.raises(il.DigestMismatchError):
            il.Layer.from_tar(damaged, expected_digest=digest)
    with pytest.raises(il.LayerFormatError):
        il.Layer.from_tar(bytes(bad_first))


def test_gzip_layers_use_the_same_reader():
    data = make_tar(tarfile.PAX_FORMAT)
    packed = il.Layer.from_tar(gzip.compress(data, mtime=0))
    plain = il.Layer.from_tar(data)
    assert packed.diff_id == plain.diff_id and packed.compression == "gzip"
    assert packed.entry("app/한글 파일.txt").read_text() == "안녕하세요\n"


def test_digest_is_checked_in_the_same_pass(tmp_path):
    data = make_tar(tarfile.PAX_FORMAT)
    path = tmp_path / "layer.tar"
    path.write_bytes(data)
    good = il.Digest.of_bytes(data)
    opened = []
    real_from_file = Blob.from_file

    def counting_from_file(*args, **kwargs):
        blob = real_from_file(*args, **kwargs)
        opener = blob._open

        def counting_open():
            opened.append(1)
            return opener()

        blob._open = counting_open
        return blob

    Blob.from_file = counting_from_file
    try:
        layer = il.Layer.from_tar(path, expected_digest=good, expected_size=len(data))
    finally:
        Blob.from_file = real_from_file
    # One pass sniffs the compression, scans and hashes.
    assert len(opened) == 1 and layer.digest == good == layer.diff_id
    with pytest.raises(il.DigestMismatchError):
        il.Layer.from_tar(path, expected_digest=il.Digest.of_bytes(b"other"))
    with pytest.raises(il.DigestMismatchError):
        il.Layer.from_tar(path, expected_digest=good, expected_size=len(data) + 1)
    with pytest.raises(il.DigestMismatchError):  # garbage is reported as a digest mismatch first
        il.Layer.from_tar(b"not a tar at all" * 64, expected_digest=good)
    packed = gzip.compress(data, mtime=0)
    with pytest.raises(il.DigestMismatchError):
        il.Layer.from_tar(packed, expected_digest=good)


def test_a_file_inside_an_archive_region_is_reached_by_seeking(tmp_path):
    data = make_tar(tarfile.PAX_FORMAT)
    path = tmp_path / "outer.bin"
    path.write_bytes(b"P" * 1000 + data + b"S" * 1000)
    blob = Blob.from_file(path, offset=1000, size=len(data))
    with blob.open() as stream:
        assert stream.seekable()
        stream.seek(512)
        assert stream.tell() == 512
        assert stream.seek(0, io.SEEK_END) == len(data) and stream.read(10) == b""
    layer = il.Layer.from_tar(blob)
    assert layer.entry("app/odd.bin").read() == b"o" * 513
    assert layer.digest == il.Digest.of_bytes(data)


# -- the fields of a plain header, fuzzed ------------------------------------------------------

# Where the fast reader parses a ustar header itself (the owner names it leaves alone; mtime it
# only checks, as Go refuses a header whose mtime is no number).
# The magic is left valid: with another magic Go (and the fast reader) ignore the prefix field,
# tarfile still prepends it, so the fallback reads such a v7 header differently.
HEADER_FIELDS = {
    "name": (0, 100),
    "mode": (100, 108),
    "uid": (108, 116),
    "gid": (116, 124),
    "size": (124, 136),
    "mtime": (136, 148),
    "type": (156, 157),
    "linkname": (157, 257),
    "prefix": (345, 500),
}
FIELD_BYTES = st.sampled_from(
    [b"0", b"7", b"8", b" ", b"\0", b"/", b"a", b".", b"\x80", b"\xff", b"\xc3\xa9", b"-", b"+", b"_"]
)


def with_fields(member: bytes, values: "dict[str, bytes]") -> bytes:
    """``member`` with header fields replaced (cut or NUL-padded to their width), checksum redone."""
    block = bytearray(member)
    for field, value in values.items():
        start, end = HEADER_FIELDS[field]
        block[start:end] = value[: end - start].ljust(end - start, b"\0")
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\0 " % sum(block[:BLOCK])
    return bytes(block)


def layer_fields(data: bytes, fallback: bool) -> "list[tuple] | str":
    """What a layer read from ``data`` holds, or "refused" (either reader)."""
    with tarfile_fallback_only() if fallback else contextlib.nullcontext(), warnings.catch_warnings():
        warnings.simplefilter("ignore", il.SkippedEntryWarning)  # an unknown type byte: skipped alike
        try:
            layer = il.Layer.from_tar(data)
        except ImageLibError:
            return "refused"
    return [(e.path, e.kind, e.mode, e.uid, e.gid, e.size, str(getattr(e, "target", ""))) for e in layer.entries]


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(sorted(HEADER_FIELDS)), st.lists(FIELD_BYTES, max_size=14).map(b"".join), max_size=3
    ),
    st.sampled_from([tarfile.REGTYPE, tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE]),
)
def test_fast_reader_and_fallback_read_any_plain_header_fields_alike(values, kind):
    member = header("file", kind, b"data\n" if kind == tarfile.REGTYPE else b"", link="app")
    member = with_fields(member, {"prefix": b"app", **values})  # a ustar name in two parts
    data = blocks_tar(header("app", tarfile.DIRTYPE), member)
    assert layer_fields(data, fallback=False) == layer_fields(data, fallback=True)


def test_a_header_whose_mtime_is_no_number_is_refused_by_both_readers():
    member = with_fields(header("file", tarfile.REGTYPE, b"data\n"), {"mtime": b"not a time"})
    data = blocks_tar(member)
    assert layer_fields(data, fallback=False) == layer_fields(data, fallback=True) == "refused"
