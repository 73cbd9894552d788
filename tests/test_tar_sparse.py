"""Sparse tar members (GNU tar --sparse), made by real GNU tar in every sparse format: expanded
to the bytes GNU tar extracts, never read as the archive's raw bytes, with a wrong size, or as
a cut archive; a map that does not fit its file is refused."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

import pytest

import imagelib as il
from imagelib import layerscan
from imagelib.fasttar import UnusualTar

FORMATS = {"gnu-S": ["--format=gnu"], "pax-1.0": ["--format=posix"],
           "pax-0.1": ["--format=posix", "--sparse-version=0.1"],
           "pax-0.0": ["--format=posix", "--sparse-version=0.0"]}


def gnu_tar() -> str:
    tar = shutil.which("tar")
    if tar is None or "GNU tar" not in subprocess.run([tar, "--version"], capture_output=True, text=True).stdout:
        pytest.skip("GNU tar가 없어 건너뜁니다: 희소(sparse) 멤버는 GNU tar로 만듭니다")
    return tar


def sparse_archive(tmp_path: Path, flags: "list[str]", islands: int = 0) -> "tuple[bytes, dict[str, bytes]]":
    """A tar of one sparse file and one plain file, and what GNU tar extracts from it.

    ``islands`` more data regions make the map longer than a header (old GNU extension
    blocks) or a block (PAX 1.0 map).
    """
    tar = gnu_tar()
    source = tmp_path / "src"
    source.mkdir()
    with open(source / "holes.bin", "wb") as out:
        out.truncate(1 << 20)
        out.seek(300_000)
        out.write(b"x")
        out.seek(1_048_000)
        out.write(b"yz")
        for number in range(islands):
            out.seek(400_000 + number * 6_000)
            out.write(b"%d" % number)
    (source / "plain.txt").write_bytes(b"plain\n")
    archive = tmp_path / "layer.tar"
    subprocess.run([tar, "--sparse", *flags, "-cf", str(archive), "-C", str(source), "holes.bin", "plain.txt"],
                   check=True)
    extracted = tmp_path / "out"
    extracted.mkdir()
    subprocess.run([tar, "-xf", str(archive), "-C", str(extracted)], check=True)
    return archive.read_bytes(), {p.name: p.read_bytes() for p in extracted.iterdir()}


@pytest.fixture(params=["fast", "tarfile"])
def reader(request, monkeypatch):
    if request.param == "tarfile":
        def refuse(stream):
            raise UnusualTar("forced")
            yield  # pragma: no cover

        monkeypatch.setattr(layerscan, "read_members", refuse)
    return request.param


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("islands", [0, 100])
def test_sparse_members_read_as_gnu_tar_extracts_them(fmt, compressed, islands, reader, tmp_path):
    data, extracted = sparse_archive(tmp_path, FORMATS[fmt], islands)
    holes = extracted["holes.bin"]
    assert len(holes) == 1 << 20 and holes[300_000] == ord("x") and holes[400_000 + 6_000 * 99] == (
        ord("9") if islands else 0)
    assert len(data) < len(holes)  # truly sparse in the archive
    layer = il.Layer.from_tar(gzip.compress(data, mtime=0) if compressed else data)
    assert sorted(layer.paths) == ["holes.bin", "plain.txt"]
    assert layer.entry("holes.bin").size == len(holes)
    assert layer.entry("holes.bin").read() == holes
    assert layer.entry("plain.txt").read() == extracted["plain.txt"]
    with layer.entry("holes.bin").open() as stream:  # small reads cross regions and holes
        assert b"".join(iter(lambda: stream.read(4099), b"")) == holes


def test_unpacking_writes_the_expanded_file(tmp_path):
    data, extracted = sparse_archive(tmp_path, FORMATS["pax-1.0"])
    il.unpack(il.Image(layers=[il.Layer.from_tar(data)]), tmp_path / "root")
    assert (tmp_path / "root" / "holes.bin").read_bytes() == extracted["holes.bin"]


def test_a_sparse_map_outside_its_file_is_refused(tmp_path):
    data, _ = sparse_archive(tmp_path, FORMATS["pax-0.1"])
    assert data.count(b"GNU.sparse.size=1048576") == 1
    # same number of digits: the record's length prefix stays right; the last region now ends past the file
    shrunk = data.replace(b"GNU.sparse.size=1048576", b"GNU.sparse.size=1048000", 1)
    with pytest.raises(il.LayerFormatError, match="희소 파일"):
        il.Layer.from_tar(shrunk)
