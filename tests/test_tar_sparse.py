"""Sparse tar members (GNU tar --sparse), made by real GNU tar in every sparse format.

PAX sparse members (0.0, 0.1, 1.0) are expanded to the bytes GNU tar and umoci extract; the old
GNU type 'S', which Go-based runtimes refuse to unpack, is refused; never are they read as the
archive's raw bytes, with a wrong size, or as a cut archive. A map that does not fit its file
or its stored data is refused."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import imagelib as il

OLD_GNU = ["--format=gnu"]
FORMATS = {
    "pax-1.0": ["--format=posix"],
    "pax-0.1": ["--format=posix", "--sparse-version=0.1"],
    "pax-0.0": ["--format=posix", "--sparse-version=0.0"],
}


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
    subprocess.run(
        [tar, "--sparse", *flags, "-cf", str(archive), "-C", str(source), "holes.bin", "plain.txt"], check=True
    )
    extracted = tmp_path / "out"
    extracted.mkdir()
    subprocess.run([tar, "-xf", str(archive), "-C", str(extracted)], check=True)
    return archive.read_bytes(), {p.name: p.read_bytes() for p in extracted.iterdir()}


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("islands", [0, 100])
def test_sparse_members_read_as_gnu_tar_extracts_them(fmt, compressed, islands, reader, tmp_path):
    data, extracted = sparse_archive(tmp_path, FORMATS[fmt], islands)
    holes = extracted["holes.bin"]
    assert (
        len(holes) == 1 << 20
        and holes[300_000] == ord("x")
        and holes[400_000 + 6_000 * 99] == (ord("9") if islands else 0)
    )
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


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_old_gnu_sparse_members_are_refused_as_runtimes_refuse_them(compressed, reader, tmp_path):
    data, extracted = sparse_archive(tmp_path, OLD_GNU)
    assert len(extracted["holes.bin"]) == 1 << 20 and len(data) < 1 << 20  # valid, and sparse
    with pytest.raises(il.LayerFormatError, match="옛 GNU 형식의 희소 파일") as caught:
        il.Layer.from_tar(gzip.compress(data, mtime=0) if compressed else data)
    assert "holes.bin" in str(caught.value) and "잘렸" not in str(caught.value)
    umoci = shutil.which("umoci")
    if umoci is not None:
        from hostile_archives import oci_layout_files, write_folder

        write_folder(tmp_path / "layout", oci_layout_files([data]))
        result = subprocess.run(
            [umoci, "unpack", *umoci_flags(), "--image", f"{tmp_path / 'layout'}:1", str(tmp_path / "bundle")],
            capture_output=True,
            text=True,
        )
        assert result.returncode != 0 and "unknown typeflag" in result.stderr


def umoci_flags() -> "list[str]":
    return [] if os.geteuid() == 0 else ["--rootless"]


def test_a_sparse_map_claiming_more_than_stored_is_refused(tmp_path, reader):
    data, _ = sparse_archive(tmp_path, FORMATS["pax-1.0"])
    assert data.count(b"\n299008\n4096\n") == 1  # the 1.0 map in front of the data: offset, length
    with pytest.raises(il.LayerFormatError, match="희소 파일.*지도"):
        il.Layer.from_tar(data.replace(b"\n299008\n4096\n", b"\n299008\n8192\n"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_umoci_unpacks_sparse_members_as_imagelib_reads_them(fmt, tmp_path):
    from hostile_archives import oci_layout_files, write_folder

    umoci = shutil.which("umoci")
    if umoci is None:
        pytest.skip("umoci가 없어 건너뜁니다: 이 테스트는 imagelib가 umoci(Go archive/tar)처럼 읽는지 확인합니다")
    data, extracted = sparse_archive(tmp_path, FORMATS[fmt], islands=100)
    write_folder(tmp_path / "layout", oci_layout_files([data]))
    subprocess.run(
        [umoci, "unpack", *umoci_flags(), "--image", f"{tmp_path / 'layout'}:1", str(tmp_path / "bundle")],
        check=True,
        capture_output=True,
    )
    unpacked = (tmp_path / "bundle" / "rootfs" / "holes.bin").read_bytes()
    assert unpacked == extracted["holes.bin"] == il.Layer.from_tar(data).entry("holes.bin").read()
