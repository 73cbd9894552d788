"""Sparse tar members (GNU tar --sparse), made by real GNU tar: refused with a LayerFormatError
that says so, never read as the archive's raw bytes, with a wrong size, or as a cut archive."""

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


def sparse_archive(tmp_path: Path, flags: "list[str]") -> "tuple[bytes, dict[str, bytes]]":
    """A tar of one sparse file and one plain file, and what GNU tar extracts from it."""
    tar = gnu_tar()
    source = tmp_path / "src"
    source.mkdir()
    with open(source / "holes.bin", "wb") as out:
        out.truncate(1 << 20)
        out.seek(300_000)
        out.write(b"x")
        out.seek(1_048_000)
        out.write(b"yz")
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
def test_sparse_members_are_refused_not_misread(fmt, compressed, reader, tmp_path):
    data, extracted = sparse_archive(tmp_path, FORMATS[fmt])
    holes = extracted["holes.bin"]
    assert len(holes) == 1 << 20 and holes[300_000] == ord("x") and holes.count(0) == len(holes) - 3
    assert len(data) < len(holes)  # the archive is valid and truly sparse: GNU tar expanded it
    blob = gzip.compress(data, mtime=0) if compressed else data
    with pytest.raises(il.LayerFormatError, match="희소 파일") as caught:
        il.Layer.from_tar(blob)
    assert "holes.bin" in str(caught.value) and "잘렸" not in str(caught.value)
