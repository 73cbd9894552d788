"""The stream primitives, and layers built from them reading each blob once."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import sys
import tarfile

import pytest

import imagelib as il
from imagelib import layerscan
from imagelib.blob import Blob
from imagelib.digest import Hasher
from imagelib.streams import (
    ClosingReader,
    CountingReader,
    DescriptorWriter,
    HashingReader,
    HashingWriter,
    LimitedReader,
    ReadAhead,
    copy,
    drain,
    read_into,
    read_up_to,
    seek_forward,
    skip,
)

DATA = bytes(range(256)) * 40 + b"tail"  # 10,244 bytes


class Trickle(io.RawIOBase):
    """A stream that hands out at most ``step`` bytes per read (a pipe, a socket)."""

    def __init__(self, data: bytes, step: int = 3) -> None:
        self._data, self._step, self.position, self.closed_by_owner = data, step, 0, False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data[self.position : self.position + min(self._step, len(buffer))]
        buffer[: len(chunk)] = chunk
        self.position += len(chunk)
        return len(chunk)


class ReadOnly:
    """Only ``read``: no readinto, no seek."""

    def __init__(self, data: bytes) -> None:
        self._stream = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)


class Failing(io.RawIOBase):
    def __init__(self, good: bytes) -> None:
        self._good = io.BytesIO(good)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self._good.readinto(buffer)
        if not count:
            raise OSError("disk gone")
        return count


# -- reading, copying, skipping --------------------------------------------------------------


def test_read_into_uses_readinto_or_read():
    for stream in (io.BytesIO(b"abcdef"), ReadOnly(b"abcdef")):
        buffer = bytearray(4)
        assert read_into(stream, memoryview(buffer)) == 4 and buffer == b"abcd"
        assert read_into(stream, memoryview(buffer)) == 2 and buffer[:2] == b"ef"
        assert read_into(stream, memoryview(buffer)) == 0


def test_read_up_to_retries_short_reads_and_stops_at_the_end():
    stream = Trickle(DATA)
    assert read_up_to(stream, 100) == DATA[:100]
    assert read_up_to(stream, len(DATA)) == DATA[100:]  # the stream ends first
    assert read_up_to(stream, 10) == b""


def test_copy_all_or_at_most_size():
    out = io.BytesIO()
    assert copy(Trickle(DATA, 1000), out) == len(DATA) and out.getvalue() == DATA
    out = io.BytesIO()
    assert copy(io.BytesIO(DATA), out, 10) == 10 and out.getvalue() == DATA[:10]
    out = io.BytesIO()
    assert copy(io.BytesIO(b"short"), out, 10) == 5  # ended early: the count says so


def test_skip_counts_what_it_skipped():
    stream = Trickle(DATA, 7)
    assert skip(stream, 1000) == 1000 and stream.position == 1000
    assert skip(stream, 5, bytearray(2)) == 5 and stream.position == 1005  # a lent buffer
    assert skip(stream, 1 << 20) == len(DATA) - 1005  # the stream ended first
    assert skip(ReadOnly(DATA), -1) == len(DATA) == drain(io.BytesIO(DATA))


def test_seek_forward_seeks_or_reads():
    seekable = io.BytesIO(DATA)
    assert seek_forward(seekable, 500) and seekable.read(3) == DATA[500:503]
    forward_only = Trickle(DATA)
    assert seek_forward(forward_only, 500) and forward_only.read(3) == DATA[500:503]
    assert not seek_forward(Trickle(DATA), len(DATA) + 1)


# -- readers and writers ---------------------------------------------------------------------


def test_limited_reader_stops_at_its_size_and_seeks_inside_it():
    base = io.BytesIO(DATA)
    base.seek(100)
    window = LimitedReader(base, 50)
    assert window.seekable() and window.read() == DATA[100:150] and window.read() == b""
    assert window.seek(10) == 10 and window.read(5) == DATA[110:115]
    assert window.seek(0, io.SEEK_END) == 50 and window.seek(999) == 50  # clamped to the window
    window.close()
    assert base.closed


def test_limited_reader_over_a_forward_only_stream():
    window = LimitedReader(Trickle(DATA), 20)
    assert not window.seekable() and window.read() == DATA[:20]
    with pytest.raises(io.UnsupportedOperation):
        window.seek(0)
    short = LimitedReader(io.BytesIO(b"abc"), 10)  # the stream ends before the window
    assert short.read() == b"abc" and short.tell() == 3


def test_limited_reader_that_does_not_own_its_stream():
    base = io.BytesIO(DATA)
    with LimitedReader(base, 4, owns=False) as window:
        assert window.read() == DATA[:4]
    assert not base.closed and base.read(2) == DATA[4:6]


def test_counting_reader_counts_and_reports_each_read():
    heard = []
    reader = CountingReader(Trickle(DATA, 1000), heard.append)
    assert copy(reader, io.BytesIO()) == len(DATA)
    assert reader.count == len(DATA) == sum(heard) and len(heard) > 10


def test_counting_reader_callback_can_stop_reading():
    def limit(_: int) -> None:
        if reader.count > 2000:
            raise il.LimitExceededError("too much")

    reader = CountingReader(io.BytesIO(DATA), limit)
    with pytest.raises(il.LimitExceededError):
        while reader.read(1000):
            pass
    assert 2000 < reader.count <= 3000


def test_hashing_reader_and_writer_hash_every_byte():
    reader = HashingReader(Trickle(DATA, 100), Hasher())
    assert reader.read() == DATA
    target = io.BytesIO()
    writer = HashingWriter(target, Hasher())
    copy(io.BytesIO(DATA), writer)
    expected = "sha256:" + hashlib.sha256(DATA).hexdigest()
    assert reader.hasher.digest() == expected == writer.hasher.digest()
    assert reader.hasher.size == writer.hasher.size == len(DATA) and target.getvalue() == DATA


def test_descriptor_writer_writes_everything(tmp_path):
    descriptor = os.open(tmp_path / "out", os.O_WRONLY | os.O_CREAT)
    try:
        assert copy(io.BytesIO(DATA), DescriptorWriter(descriptor)) == len(DATA)
    finally:
        os.close(descriptor)
    assert (tmp_path / "out").read_bytes() == DATA


def test_closing_reader_closes_both():
    inner, also = io.BytesIO(DATA), io.BytesIO()
    with ClosingReader(inner, also) as reader:
        assert reader.read(3) == DATA[:3]
    assert inner.closed and also.closed


# -- reading ahead in a thread ---------------------------------------------------------------


@pytest.mark.parametrize("chunk", [1, 7, 512, 1 << 20])
def test_read_ahead_serves_the_bytes_in_order_and_hashes_them_all(chunk):
    with ReadAhead(Trickle(DATA, 5), Hasher(), chunk=chunk, depth=2) as ahead:
        assert ahead.peek(3)[:1] == DATA[:1] and ahead.tell() == 0
        assert ahead.read(10) == DATA[:10]
        assert ahead.seek(100, io.SEEK_CUR) == 110 and ahead.read(4) == DATA[110:114]
        assert ahead.seek(5000) == 5000 and ahead.read(3) == DATA[5000:5003]
        with pytest.raises(io.UnsupportedOperation):
            ahead.seek(0)  # forward only
        assert ahead.seek(0, io.SEEK_END) == len(DATA) and ahead.read(1) == b""
        assert ahead.seek(10, io.SEEK_CUR) == len(DATA)  # nothing past the end
    assert ahead.hasher.digest() == "sha256:" + hashlib.sha256(DATA).hexdigest()


def test_read_ahead_of_an_empty_stream():
    with ReadAhead(io.BytesIO(), Hasher(), chunk=8) as ahead:
        assert ahead.peek(4) == b"" and ahead.read(4) == b""
    assert ahead.hasher.size == 0


def test_read_ahead_passes_read_errors_to_the_reader():
    with ReadAhead(Failing(DATA[:100]), Hasher(), chunk=64, depth=2) as ahead:
        assert ahead.read(64) == DATA[:64]
        with pytest.raises(OSError, match="disk gone"):
            ahead.seek(0, io.SEEK_END)


def test_read_ahead_waits_for_the_last_hash_and_passes_a_hashing_error_on():
    class Broken(Hasher):
        def update(self, data) -> None:
            raise MemoryError("no room to hash")

    with ReadAhead(io.BytesIO(DATA), Hasher(), chunk=7, depth=2) as ahead:
        ahead.seek(0, io.SEEK_END)
        assert ahead.digest() == "sha256:" + hashlib.sha256(DATA).hexdigest()  # every chunk hashed first
    with ReadAhead(io.BytesIO(DATA), Broken(), chunk=64, depth=2) as ahead:
        ahead.seek(0, io.SEEK_END)  # reading goes on: the reader gets every byte
        with pytest.raises(MemoryError, match="no room"):
            ahead.digest()


def test_read_ahead_closed_early_stops_its_thread():
    source = Trickle(DATA * 100, 4096)
    ahead = ReadAhead(source, Hasher(), chunk=1024, depth=2)
    assert ahead.read(10) == DATA[:10]
    ahead.close()
    assert not ahead._thread.is_alive()
    assert source.position < len(DATA) * 100  # it stopped reading, a few chunks ahead at most


# -- a layer's blob is read once --------------------------------------------------------------


def sample_tar(size: int = 3 << 20) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for index, length in enumerate((size, 0, 513, 1 << 16)):
            info = tarfile.TarInfo(f"app/file{index}.bin")
            info.size = length
            tar.addfile(info, io.BytesIO(os.urandom(length)))
    return buffer.getvalue()


def counting_blob(path, reads: list) -> Blob:
    """A blob over ``path`` that records every byte any of its streams reads."""
    size = os.path.getsize(path)
    return Blob(lambda: CountingReader(open(path, "rb"), reads.append), size)


@pytest.fixture(params=["streamed", "read ahead"])
def read_ahead(request, monkeypatch):
    monkeypatch.setattr(layerscan, "READ_AHEAD_MIN", 0 if request.param == "read ahead" else 1 << 62)
    monkeypatch.setattr(layerscan, "_CORES", 2)
    return request.param


@pytest.mark.parametrize("compression", [None, "gzip", "zstd"])
def test_a_layer_blob_is_read_once(tmp_path, read_ahead, compression):
    tar = sample_tar()
    data = {None: tar, "gzip": gzip.compress(tar, mtime=0)}.get(compression)
    if compression == "zstd":
        import zstandard

        data = zstandard.ZstdCompressor().compress(tar)
    path = tmp_path / "layer.blob"
    path.write_bytes(data)
    reads: "list[int]" = []
    digest = il.Digest.of_bytes(data)
    layer = il.Layer.from_tar(counting_blob(path, reads), expected_digest=digest, expected_size=len(data))
    assert sum(reads) == len(data)  # no second pass for the digest, the diff_id or the entries
    assert layer.digest == digest and layer.diff_id == il.Digest.of_bytes(tar)
    assert layer.compression == compression and layer.uncompressed_size == len(tar)
    assert sum(reads) == len(data)  # asking for the digest read nothing more
    reads.clear()
    unknown = il.Layer.from_tar(counting_blob(path, reads))
    assert unknown.digest == digest and sum(reads) == len(data)


def test_file_contents_read_back_the_same_either_way(tmp_path, read_ahead):
    tar = sample_tar(1 << 20)
    path = tmp_path / "layer.tar"
    path.write_bytes(tar)
    layer = il.Layer.from_tar(path)
    with tarfile.open(fileobj=io.BytesIO(tar)) as reference:
        for member in reference.getmembers():
            assert layer.entry(member.name).read() == reference.extractfile(member).read()


def test_a_wrong_digest_or_size_is_still_refused(tmp_path, read_ahead):
    tar = sample_tar(1 << 20)
    packed = gzip.compress(tar, mtime=0)
    for data in (tar, packed):
        path = tmp_path / "layer.blob"
        path.write_bytes(data)
        with pytest.raises(il.DigestMismatchError, match="sha256:"):
            il.Layer.from_tar(path, expected_digest=il.Digest.of_bytes(b"other"))
        with pytest.raises(il.DigestMismatchError, match="크기"):
            il.Layer.from_tar(path, expected_digest=il.Digest.of_bytes(data), expected_size=len(data) - 1)
    damaged = bytearray(packed)
    damaged[len(damaged) // 2] ^= 0xFF
    path.write_bytes(bytes(damaged))
    with pytest.raises(il.DigestMismatchError):  # damaged bytes: the digest speaks first
        il.Layer.from_tar(path, expected_digest=il.Digest.of_bytes(packed))
    with pytest.raises(il.LayerFormatError):
        il.Layer.from_tar(path)


def test_a_blob_shorter_than_its_size_is_a_cut_file(tmp_path, read_ahead):
    tar = sample_tar(1 << 20)
    path = tmp_path / "layer.tar"
    path.write_bytes(tar)
    claimed = Blob.from_file(path, size=len(tar))
    path.write_bytes(tar[: len(tar) - 1024])  # the end blocks are gone
    with pytest.raises(il.LayerFormatError):
        il.Layer.from_tar(claimed)


def test_limits_apply_while_reading_ahead(tmp_path, read_ahead):
    tar = sample_tar(4 << 20)
    path = tmp_path / "layer.tar.gz"
    path.write_bytes(gzip.compress(tar, mtime=0))
    with pytest.raises(il.LimitExceededError, match="max_bytes"):
        il.Layer.from_tar(path, limits=il.Limits(max_bytes=1 << 20))
    path.write_bytes(tar)
    with pytest.raises(il.LimitExceededError, match="max_bytes"):
        il.Layer.from_tar(path, limits=il.Limits(max_bytes=1 << 20))
    with pytest.raises(il.LimitExceededError, match="max_entries"):
        il.Layer.from_tar(path, limits=il.Limits(max_entries=2))


def test_read_ahead_shortens_the_switch_interval_until_the_last_one_closes():
    before = sys.getswitchinterval()
    first = ReadAhead(io.BytesIO(DATA), Hasher(), chunk=64)
    second = ReadAhead(io.BytesIO(DATA), Hasher(), chunk=64)
    assert sys.getswitchinterval() < before
    first.close()
    assert sys.getswitchinterval() < before  # the second one still runs
    second.close()
    second.close()  # closing twice gives nothing back twice
    assert sys.getswitchinterval() == before
