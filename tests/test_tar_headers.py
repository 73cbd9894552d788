"""Extended tar headers read as Go's archive/tar reads them (what Docker, containerd and umoci
unpack), by the fast header reader and by the tarfile fallback alike; where tar readers
disagree with each other, the layer is refused.

Each case states Go's reading (checked against ``umoci unpack`` where umoci reads the layer:
it refuses any layer holding a 'g' or 'X' member) and GNU tar's (checked with ``tar -tf``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile_archives import (
    blocks_tar,
    global_pax,
    header,
    long_link,
    long_name,
    meta,
    oci_layout_files,
    pax,
    pax_payload,
    with_bytes,
    with_fields,
    write_folder,
)

import imagelib as il

REFUSED = "refused"


@dataclass(frozen=True)
class Case:
    blocks: "tuple[bytes, ...]"
    go: "tuple[str, ...]"  # member names as Go reads them
    gnu: "tuple[str, ...]"  # as GNU tar lists them
    imagelib: "tuple[str, ...] | str"
    umoci_reads: bool = True  # umoci refuses 'g' and 'X' members outright

    @property
    def data(self) -> bytes:
        return blocks_tar(*self.blocks)


def regular(name: str) -> bytes:
    return header(name, data=b"data\n")


def prefixed(magic: bytes, prefix: bytes, trailer: bytes = bytes(4)) -> bytes:
    """Member "hdr" whose prefix field holds ``prefix``, under another magic (and star trailer)."""
    return with_fields(regular("hdr"), magic=magic, prefix=prefix, trailer=trailer)


USTAR, GNU, V7 = b"ustar\x0000", b"ustar  \x00", bytes(8)
STAR_TIMES = b"00000000000\x0000000000000\x00"  # access and change time after a star header's 131-byte prefix


CASES = {
    "long-name-then-pax-path": Case(
        (long_name("gnu/name"), pax(path="pax/name"), regular("hdr")),
        go=("gnu/name",),
        gnu=("pax/name",),
        imagelib=REFUSED,
    ),
    "pax-path-then-long-name": Case(
        (pax(path="pax/name"), long_name("gnu/name"), regular("hdr")),
        go=("gnu/name",),
        gnu=("pax/name",),
        imagelib=REFUSED,
    ),
    "long-name-equal-to-pax-path": Case(
        (long_name("same/name"), pax(path="same/name"), regular("hdr")),
        go=("same/name",),
        gnu=("same/name",),
        imagelib=("same/name",),
    ),
    "two-pax-headers": Case(
        (pax(path="first"), pax(path="second"), regular("hdr")), go=("second",), gnu=("second",), imagelib=("second",)
    ),
    "two-pax-headers-the-second-replaces-whole": Case(
        (pax(path="first"), pax(uid="7"), regular("hdr")), go=("hdr",), gnu=("hdr",), imagelib=("hdr",)
    ),
    "two-long-names": Case(
        (long_name("first"), long_name("second"), regular("hdr")), go=("second",), gnu=("second",), imagelib=("second",)
    ),
    "pax-long-name-pax": Case(
        (pax(path="pax"), long_name("gnu"), pax(uid="7"), regular("hdr")), go=("gnu",), gnu=("gnu",), imagelib=("gnu",)
    ),
    "long-name-makes-a-v7-directory": Case(
        (long_name("folder/"), header("hdr", tarfile.AREGTYPE)), go=("folder",), gnu=("folder/",), imagelib=("folder",)
    ),
    "global-comment": Case(
        (global_pax(comment="c"), regular("a"), global_pax(comment="d"), regular("b")),
        go=("a", "b"),
        gnu=("a", "b"),
        imagelib=("a", "b"),
        umoci_reads=False,
    ),
    "global-path": Case(
        (global_pax(path="gpath"), regular("a"), regular("b")),
        go=("a", "b"),
        gnu=("gpath", "gpath"),
        imagelib=REFUSED,
        umoci_reads=False,
    ),
    "global-path-then-pax": Case(
        (global_pax(path="gpath"), pax(uid="7"), regular("a")),
        go=("a",),
        gnu=("gpath",),
        imagelib=REFUSED,
        umoci_reads=False,
    ),
    "pax-path-then-global": Case(
        (pax(path="pax/name"), global_pax(comment="c"), regular("hdr")),
        go=("hdr",),
        gnu=("pax/name",),
        imagelib=REFUSED,
        umoci_reads=False,
    ),
    "empty-long-name": Case((long_name(""), regular("hdr")), go=("hdr",), gnu=(), imagelib=REFUSED),
    "long-name-then-empty-long-name": Case(
        (long_name("gnu"), long_name(""), regular("hdr")), go=("hdr",), gnu=(), imagelib=REFUSED
    ),
    "pax-header-before-the-end": Case((regular("a"), pax(path="p")), go=("a",), gnu=("a",), imagelib=("a",)),
    "long-name-before-the-end": Case((regular("a"), long_name("p")), go=("a",), gnu=("a",), imagelib=("a",)),
    "global-header-at-the-end": Case(
        (regular("a"), global_pax(comment="c")), go=("a",), gnu=("a",), imagelib=("a",), umoci_reads=False
    ),
    # Which headers have a name prefix (Go's getFormat and readHeader; GNU tar's list.c)
    "ustar-prefix": Case((prefixed(USTAR, b"pre"),), go=("pre/hdr",), gnu=("pre/hdr",), imagelib=("pre/hdr",)),
    "ustar-magic-with-another-version": Case(
        (prefixed(b"ustar\x00xx", b"pre"),), go=("pre/hdr",), gnu=("pre/hdr",), imagelib=("pre/hdr",)
    ),
    "v7-header-with-bytes-in-the-prefix-field": Case(
        (prefixed(V7, b"pre"),), go=("hdr",), gnu=("hdr",), imagelib=("hdr",)
    ),
    "gnu-header-with-times-in-the-prefix-field": Case(
        (prefixed(GNU, b"00000000000\x00" * 2),), go=("hdr",), gnu=("hdr",), imagelib=("hdr",)
    ),
    "gnu-header-with-text-in-the-prefix-field": Case(
        (prefixed(GNU, b"pre"),), go=("pre/hdr",), gnu=("hdr",), imagelib=REFUSED
    ),
    "star-prefix": Case(
        (prefixed(USTAR, b"pre".ljust(131, b"\0") + STAR_TIMES, b"tar\0"),),
        go=("pre/hdr",),
        gnu=("pre/hdr",),
        imagelib=("pre/hdr",),
    ),
    "star-prefix-of-131-bytes": Case(
        (prefixed(USTAR, b"p" * 131 + STAR_TIMES, b"tar\0"),),
        go=("p" * 131 + "/hdr",),
        gnu=("p" * 131 + "00000000000/hdr",),
        imagelib=REFUSED,
    ),
    "solaris-x-header": Case(
        (meta(b"X", pax_payload({"path": "solaris"})), regular("hdr")),
        go=("PaxHeader", "hdr"),
        gnu=("solaris",),
        imagelib=REFUSED,
        umoci_reads=False,
    ),
}

LINK_CASES = {  # symlink "l": its target as Go reads it, as GNU tar does, as imagelib must
    "long-link-then-pax-linkpath": (
        (long_link("gnu-target"), pax(linkpath="pax-target")),
        "gnu-target",
        "pax-target",
        REFUSED,
    ),
    "pax-linkpath-then-long-link": (
        (pax(linkpath="pax-target"), long_link("gnu-target")),
        "gnu-target",
        "pax-target",
        REFUSED,
    ),
    "two-long-links": ((long_link("first"), long_link("second")), "second", "second", "second"),
    "empty-long-link": ((long_link(""),), "hdr-target", "", REFUSED),
    "two-pax-linkpaths": ((pax(linkpath="first"), pax(linkpath="second")), "second", "second", "second"),
}


def with_parents(names) -> "set[str]":
    out = set()
    for name in names:
        parts = name.strip("/").split("/")
        out.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    return out


def umoci_files(tmp_path: Path, data: bytes) -> Path:
    umoci = shutil.which("umoci")
    if umoci is None:
        pytest.skip("umoci가 없어 건너뜁니다: 이 테스트는 imagelib가 umoci(Go archive/tar)처럼 읽는지 확인합니다")
    write_folder(tmp_path / "layout", oci_layout_files([data]))
    flags = [] if os.geteuid() == 0 else ["--rootless"]
    result = subprocess.run(
        [umoci, "unpack", *flags, "--image", f"{tmp_path / 'layout'}:1", str(tmp_path / "bundle")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise AssertionError(f"umoci unpack failed: {result.stderr.strip()}")
    return tmp_path / "bundle" / "rootfs"


def gnu_tar_names(tmp_path: Path, data: bytes) -> "list[str]":
    tar = shutil.which("tar")
    if tar is None or "GNU tar" not in subprocess.run([tar, "--version"], capture_output=True, text=True).stdout:
        pytest.skip("GNU tar가 없어 건너뜁니다")
    path = tmp_path / "layer.tar"
    path.write_bytes(data)
    return subprocess.run([tar, "-tf", str(path)], capture_output=True, text=True, check=True).stdout.split()


@pytest.mark.parametrize("name", CASES)
def test_imagelib_reads_member_names_as_go_or_refuses(name, reader):
    case = CASES[name]
    if case.imagelib == REFUSED:
        assert case.go != case.gnu  # refused only where tar readers disagree
        with pytest.raises(il.LayerFormatError):
            il.Layer.from_tar(case.data)
        return
    assert case.imagelib == case.go
    layer = il.Layer.from_tar(case.data)
    assert [entry.path for entry in layer.entries] == list(case.imagelib)


def test_a_v7_file_whose_long_name_ends_in_a_slash_is_a_directory_as_in_go(reader, tmp_path):
    data = CASES["long-name-makes-a-v7-directory"].data
    assert il.Layer.from_tar(data).entry("folder").kind == "dir"
    assert (umoci_files(tmp_path, data) / "folder").is_dir()


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.umoci_reads])
def test_umoci_reads_member_names_as_stated_and_as_imagelib(name, reader, tmp_path):
    case = CASES[name]
    rootfs = umoci_files(tmp_path, case.data)
    on_disk = {str(p.relative_to(rootfs)) for p in rootfs.rglob("*")}
    assert on_disk == with_parents(case.go)
    if case.imagelib != REFUSED:
        assert with_parents(e.path for e in il.Layer.from_tar(case.data).entries) == on_disk


def test_a_star_header_whose_times_are_no_numbers_is_refused_as_by_go(reader, tmp_path):
    data = blocks_tar(prefixed(USTAR, b"pre".ljust(131, b"\0") + b"yesterday\0\0\0" + bytes(12), b"tar\0"))
    with pytest.raises(il.LayerFormatError, match="star"):
        il.Layer.from_tar(data)
    with pytest.raises(AssertionError, match="archive/tar: invalid tar header"):
        umoci_files(tmp_path, data)
    assert gnu_tar_names(tmp_path, data) == ["pre/hdr"]  # not a star header to GNU tar


# A mode field Python's int() reads but Go's strconv.ParseUint(…, 8, 64) does not.
NOT_GO_NUMBERS = [b"+000644\0", b"0o644\0\0\0", b"00006_44", b"\t000644\0"]


@pytest.mark.parametrize("mode", NOT_GO_NUMBERS)
def test_a_number_go_cannot_read_is_refused(mode, reader, tmp_path):
    data = blocks_tar(with_bytes(regular("hdr"), {100: mode}))
    with pytest.raises(il.LayerFormatError):
        il.Layer.from_tar(data)
    with pytest.raises(AssertionError, match="archive/tar: invalid tar header"):
        umoci_files(tmp_path, data)


@pytest.mark.parametrize("magic", [USTAR, GNU])
def test_device_numbers_go_cannot_read_are_refused_in_a_regular_file_too(magic, reader, tmp_path):
    data = blocks_tar(with_bytes(regular("hdr"), {257: magic, 329: b"+000001\0"}))
    with pytest.raises(il.LayerFormatError):
        il.Layer.from_tar(data)
    with pytest.raises(AssertionError, match="archive/tar: invalid tar header"):
        umoci_files(tmp_path, data)


def test_a_v7_header_has_no_device_numbers(reader, tmp_path):
    data = blocks_tar(with_bytes(regular("hdr"), {257: V7, 329: b"+000001\0"}))
    assert [entry.path for entry in il.Layer.from_tar(data).entries] == ["hdr"]
    assert (umoci_files(tmp_path, data) / "hdr").is_file()


def test_numbers_between_spaces_and_nuls_read_as_go_reads_them(reader, tmp_path):
    data = blocks_tar(with_bytes(regular("hdr"), {100: b"  0755 \0"}))
    assert il.Layer.from_tar(data).entry("hdr").mode == 0o755
    assert (umoci_files(tmp_path, data) / "hdr").stat().st_mode & 0o7777 == 0o755


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if not c.umoci_reads])
def test_umoci_refuses_global_and_solaris_headers(name, tmp_path):
    with pytest.raises(AssertionError, match="unknown typeflag"):
        umoci_files(tmp_path, CASES[name].data)


@pytest.mark.parametrize("name", CASES)
def test_gnu_tar_lists_member_names_as_stated(name, tmp_path):
    assert gnu_tar_names(tmp_path, CASES[name].data) == list(CASES[name].gnu)


@pytest.mark.parametrize("name", LINK_CASES)
def test_link_targets_as_go_or_refused(name, reader, tmp_path):
    blocks, go, gnu, expected = LINK_CASES[name]
    data = blocks_tar(*blocks, header("l", tarfile.SYMTYPE, link="hdr-target"))
    assert os.readlink(umoci_files(tmp_path, data) / "l") == go
    tar = shutil.which("tar")
    if tar is not None:
        (tmp_path / "l.tar").write_bytes(data)
        listing = subprocess.run([tar, "-tvf", str(tmp_path / "l.tar")], capture_output=True, text=True).stdout
        assert listing.rstrip("\n").endswith(f"l -> {gnu}")
    if expected == REFUSED:
        assert go != gnu
        with pytest.raises(il.LayerFormatError, match="GNU 긴 링크"):  # "긴 링크 헤더" when empty
            il.Layer.from_tar(data)
    else:
        assert il.Layer.from_tar(data).entry("l").target == expected == go
