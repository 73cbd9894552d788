"""Hostile images opened with il.open and written with il.unpack: nothing outside the folder changes.

Every case is a ``docker save`` archive made by the test from raw tar layers. Each one either
fails with the stated ImageLibError subclass, or (for cases runtimes *contain* rather than
refuse, such as absolute symlinks) succeeds with everything written inside the folder. In both
outcomes a snapshot of everything next to the folder (a planted "victim" tree) is unchanged.
"""

from __future__ import annotations

import os
import stat
import warnings

import pytest
from formats_helpers import folder_snapshot
from hostile_archives import (
    Member,
    docker_archive_files,
    file,
    folder,
    hardlink,
    outer_tar,
    plant_victim,
    raw_tar,
    snapshot,
    symlink,
)

import imagelib as il
from imagelib.errors import (
    LayerFormatError,
    LimitExceededError,
    SkippedEntryWarning,
    UnpackError,
    UnsafeEntryError,
    UnsafePathError,
)

L = raw_tar  # one layer from raw members
CONTAINED = None  # the case must succeed, writing only inside the folder

# (layers, expected error or CONTAINED, path inside the folder that must exist afterwards)
CASES = {
    # -- path traversal in names (moby TestUntarInvalidFilenames) -------------------------------
    "dotdot-name": ([L(file("../victim/dotdot"))], UnsafeEntryError, None),
    "slash-dotdot-name": ([L(file("/../victim/slash-dotdot"))], UnsafeEntryError, None),
    "inner-dotdot-name": ([L(folder("a"), file("a/../../victim/x"))], UnsafeEntryError, None),
    "drive-letter": ([L(file("C:/Windows/evil.dll"))], UnsafeEntryError, None),
    "drive-letter-relative": ([L(file("c:evil"))], UnsafeEntryError, None),
    "absolute-name-is-read-under-root": ([L(file("/etc/inside", b"in"))], CONTAINED, "etc/inside"),
    # -- hard links (moby TestUntarInvalidHardlink, containerd Hardlink* breakouts) ---------------
    "hardlink-dotdot": ([L(hardlink("dotdot", "../victim/hello"))], UnsafeEntryError, None),
    "hardlink-slash-dotdot": ([L(hardlink("slash-dotdot", "/../victim/hello"))], UnsafeEntryError, None),
    "hardlink-dir-loophole": (
        [L(hardlink("loophole-victim", "../victim"), file("loophole-victim/file"))],
        UnsafeEntryError,
        None,
    ),
    "hardlink-drive-letter": ([L(file("x"), hardlink("y", "C:/x"))], UnsafeEntryError, None),
    "hardlink-through-symlinked-dir": (
        [
            L(
                folder("breakouts"),
                symlink("breakouts/d1", "../../victim"),
                hardlink("breakouts/mypasswd", "breakouts/d1/passwd"),
            )
        ],
        UnsafePathError,
        None,
    ),
    "hardlink-down-and-out": (
        [
            L(
                folder("breakouts"),
                folder("downandout"),
                symlink("breakouts/d1", "../downandout/../../victim"),
                hardlink("breakouts/mypasswd", "breakouts/d1/passwd"),
            )
        ],
        UnsafePathError,
        None,
    ),
    "hardlink-via-symlink-to-outside": (
        [L(symlink("loophole", "../victim"), hardlink("stolen", "loophole/hello"))],
        UnsafePathError,
        None,
    ),
    "hardlink-missing-target": ([L(hardlink("ghost", "no/such/file"))], LayerFormatError, None),
    "hardlink-to-directory": ([L(folder("d"), hardlink("d2", "d"))], LayerFormatError, None),
    "hardlink-absolute-symlinked-dir": (
        [
            L(
                folder("etc"),
                file("etc/passwd", b"inside"),
                symlink("localetc", "/etc"),
                hardlink("localpasswd", "localetc/passwd"),
            )
        ],
        CONTAINED,
        "localpasswd",
    ),
    "hardlink-to-escaping-symlink-itself": (
        [L(symlink("passwdlink", "../../../../etc/passwd"), hardlink("localpasswd", "passwdlink"))],
        CONTAINED,
        "localpasswd",
    ),
    # -- symlinks written through (moby TestUntarInvalidSymlink, containerd Symlink*) -------------
    "symlink-then-file-through-it": (
        [L(symlink("loophole", "../victim"), file("loophole/file"))],
        UnsafePathError,
        None,
    ),
    "symlink-then-new-dirs-through-it": (
        [L(folder("dir"), symlink("dir/loophole", "../../victim"), file("dir/loophole/newdir/newfile"))],
        UnsafePathError,
        None,
    ),
    "symlink-chain-out": (
        [L(symlink("a", "b"), symlink("b", "c"), symlink("c", "../victim"), file("a/x"))],
        UnsafePathError,
        None,
    ),
    "symlink-up-and-out": (
        [L(folder("etc"), symlink("localetc", "upandout/../../../victim"), file("localetc/unbroken"))],
        UnsafePathError,
        None,
    ),
    "symlink-in-lower-layer": (
        [L(symlink("evil", "../../victim")), L(file("evil/x", b"pwned"))],
        UnsafePathError,
        None,
    ),
    "symlink-loop": ([L(symlink("a", "b"), symlink("b", "a"), file("a/x"))], UnsafePathError, None),
    "symlink-replaced-by-file": (
        [L(symlink("loophole", "../victim"), file("loophole"))],
        LayerFormatError,
        None,
    ),  # same path twice in one layer
    "symlink-replaced-in-next-layer": (
        [L(symlink("loophole", "../victim")), L(file("loophole", b"f"))],
        CONTAINED,
        "loophole",
    ),
    "symlink-absolute-is-contained": (
        [L(folder("etc"), symlink("localetc", "/etc"), file("localetc/unbroken", b"unbroken"))],
        CONTAINED,
        "etc/unbroken",
    ),
    "symlink-absolute-to-victim-path-is-contained": (
        [L(symlink("v", "/victim"), file("v/hello", b"mine"))],
        CONTAINED,
        "victim/hello",
    ),
    "symlink-multiple-absolute": (
        [
            L(
                folder("etc"),
                folder("dummy"),
                symlink("dummy/etc", "/etc"),
                symlink("localetc", "/dummy/etc"),
                file("dummy/etc/unbroken"),
            )
        ],
        CONTAINED,
        "etc/unbroken",
    ),
    # -- whiteouts (umoci/proxmox whiteout breakouts) ------------------------------------------
    "whiteout-dot": ([L(file("keep")), L(file(".wh.."))], UnsafeEntryError, None),
    "whiteout-dotdot": ([L(file("keep")), L(file(".wh..."))], UnsafeEntryError, None),
    "whiteout-dotdot-in-dir": ([L(folder("d"), file("d/keep")), L(file("d/.wh..."))], UnsafeEntryError, None),
    "whiteout-bare": ([L(file("keep")), L(file(".wh."))], UnsafeEntryError, None),
    "whiteout-through-symlink": ([L(symlink("evil", "../victim")), L(file("evil/.wh.hello"))], UnsafePathError, None),
    "opaque-through-symlink": ([L(symlink("evil", "../victim")), L(file("evil/.wh..wh..opq"))], UnsafePathError, None),
    "whiteout-dotdot-name": ([L(file("keep")), L(file("../victim/.wh.hello"))], UnsafeEntryError, None),
    # -- the root itself -------------------------------------------------------------------------
    "root-as-symlink": ([L(symlink("./", "../victim"), file("x"))], UnsafeEntryError, None),
    "root-as-file": ([L(file(".", b"not a folder"))], UnsafeEntryError, None),
    "root-as-hardlink": ([L(file("a"), hardlink("./", "a"))], UnsafeEntryError, None),
    # -- directory overrides ----------------------------------------------------------------------
    "dir-replaced-by-symlink-then-written": (
        [L(folder("d"), file("d/x")), L(symlink("d", "../victim")), L(file("d/y", b"pwned"))],
        UnsafePathError,
        None,
    ),
    # a folder made for an earlier entry of the same layer, then swapped for a symlink
    "implicit-dir-replaced-by-symlink-then-written": (
        [L(file("a/x"), symlink("a", "../victim"), file("a/pwned", b"pwned"))],
        UnsafePathError,
        None,
    ),
    "nested-implicit-dir-replaced-by-symlink": (
        [L(file("a/b/x"), symlink("a", "../victim"), file("a/b/pwned", b"pwned"))],
        UnsafePathError,
        None,
    ),
    "dir-replaced-by-symlink-keeps-modes-inside": (
        [L(folder("a"), folder("a/b", mode=0o700)), L(symlink("a", "../victim"))],
        CONTAINED,
        "a",
    ),
    # -- names ------------------------------------------------------------------------------------
    "duplicate-path": ([L(file("a", b"1"), file("./a", b"2"))], LayerFormatError, None),
    "non-utf8-name": ([L(file(b"caf\xe9.txt"))], LayerFormatError, None),
    "non-utf8-link-target": ([L(symlink("s", b"\xff\xfe"))], LayerFormatError, None),
    "name-over-4096-bytes": ([L(file("d/" + "n" * 4100))], LimitExceededError, None),
    "link-over-4096-bytes": ([L(symlink("s", "t" * 4100))], LimitExceededError, None),
    "component-over-255-bytes": ([L(file("x" * 300))], UnpackError, None),
}


@pytest.fixture
def sandbox(tmp_path):
    plant_victim(tmp_path)
    return tmp_path


def _open_archive(base, layers, name="in.tar"):
    archive = base / name
    archive.write_bytes(outer_tar(docker_archive_files(layers)))
    return archive


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_image_changes_nothing_outside(sandbox, case):
    layers, expected, inside = CASES[case]
    archive = _open_archive(sandbox, layers)
    before = snapshot(sandbox, skip="root")
    root = sandbox / "root"
    if expected is CONTAINED:
        il.unpack(il.open(archive), root)
        assert os.path.lexists(root / inside)
    else:
        with pytest.raises(expected) as info:
            il.unpack(il.open(archive), root)
        assert isinstance(info.value, il.ImageLibError)
        assert any("\uac00" <= ch <= "\ud7a3" for ch in str(info.value))  # a Korean message
    assert snapshot(sandbox, skip="root") == before
    if root.exists():
        assert not [name for name in os.listdir(root) if name.startswith(".imagelib-undo-")]


def test_there_are_at_least_thirty_hostile_cases():
    assert len(CASES) >= 30
    assert sum(1 for _, expected, _ in CASES.values() if expected is not CONTAINED) >= 30


def test_errors_name_the_offending_entry(sandbox):
    archive = _open_archive(sandbox, [L(symlink("evil", "../victim")), L(file("evil/planted"))])
    with pytest.raises(UnsafePathError, match="evil/planted"):
        il.unpack(il.open(archive), sandbox / "root")
    archive = _open_archive(sandbox, [L(file("ok")), L(file("sub/.wh..."))], "w.tar")
    with pytest.raises(UnsafeEntryError, match=r"sub/\.wh\.\.\."):
        il.open(archive)


def test_a_failed_layer_is_rolled_back_to_the_layers_below(sandbox):
    base = [
        file("etc/hello", b"hi"),
        file("etc/passwd", b"root"),
        folder("var"),
        file("var/log", b"log"),
        folder("opaque"),
        file("opaque/old", b"old"),
    ]
    middle = [file("etc/hello", b"changed"), symlink("link", "etc/hello")]
    breaking = [
        file(".wh.var"),
        file("etc/.wh.passwd"),
        file("opaque/.wh..wh..opq"),
        file("etc/hello", b"overwritten"),
        folder("new"),
        file("new/a/deep", b"new"),
        hardlink("etc/second", "etc/hello"),
        symlink("escape", "../victim"),
        file("escape/pwned"),
    ]
    archive = _open_archive(sandbox, [L(*base), L(*middle), L(*breaking)])
    image = il.open(archive)
    before = snapshot(sandbox, skip="root")
    with pytest.raises(UnsafePathError, match="되돌렸습니다"):
        il.unpack(image, sandbox / "root")
    assert snapshot(sandbox, skip="root") == before
    two_layers = il.Image.scratch().add_layer(image.layers[0]).add_layer(image.layers[1])
    il.unpack(two_layers, sandbox / "expected")
    assert folder_snapshot(sandbox / "root") == folder_snapshot(sandbox / "expected")
    assert (sandbox / "root" / "etc" / "hello").read_bytes() == b"changed"
    assert (sandbox / "root" / "opaque" / "old").read_bytes() == b"old"


def test_a_failing_first_layer_leaves_an_empty_folder(sandbox):
    archive = _open_archive(sandbox, [L(file("a"), folder("b"), file("b/c"), symlink("s", "../victim"), file("s/x"))])
    with pytest.raises(UnsafePathError):
        il.unpack(il.open(archive), sandbox / "root")
    assert os.listdir(sandbox / "root") == []


def test_setuid_bits_are_kept_only_when_asked(sandbox):
    layer = L(
        file("bin/su", b"\x7fELF", mode=0o4755),
        file("bin/wall", b"\x7fELF", mode=0o2755),
        folder("shared", mode=0o2775),
    )
    image = il.open(_open_archive(sandbox, [layer]))
    assert image.layers[0].entry("bin/su").mode == 0o4755  # the layer keeps the real mode
    il.unpack(image, sandbox / "safe")
    assert stat.S_IMODE(os.stat(sandbox / "safe" / "bin" / "su").st_mode) == 0o755
    assert stat.S_IMODE(os.stat(sandbox / "safe" / "bin" / "wall").st_mode) == 0o755
    assert stat.S_IMODE(os.stat(sandbox / "safe" / "shared").st_mode) == 0o2775  # folders keep setgid
    il.unpack(image, sandbox / "asked", keep_setuid=True)
    assert stat.S_IMODE(os.stat(sandbox / "asked" / "bin" / "su").st_mode) == 0o4755
    assert stat.S_IMODE(os.stat(sandbox / "asked" / "bin" / "wall").st_mode) == 0o2755


def test_devices_and_fifos_are_skipped_with_a_warning_unless_asked(sandbox):
    layer = L(
        folder("dev"),
        Member("dev/null", "char", mode=0o666, major=1, minor=3),
        Member("dev/loop0", "block", mode=0o660, major=7, minor=0),
        Member("run/pipe", "fifo", mode=0o600),
        file("run/ok"),
    )
    archive = _open_archive(sandbox, [layer])
    with pytest.warns(SkippedEntryWarning) as record:
        image = il.open(archive)
    assert sorted(str(w.message).split("'")[1] for w in record) == ["dev/loop0", "dev/null", "run/pipe"]
    assert sorted(image.layers[0].paths) == ["dev", "run/ok"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        il.unpack(image, sandbox / "plain")
    assert not (sandbox / "plain" / "dev" / "null").exists()
    before = snapshot(sandbox, skip="asked")
    if os.geteuid() != 0:
        with pytest.raises(UnpackError, match="관리자"):
            il.unpack(image, sandbox / "asked", special_files=True)
        assert os.listdir(sandbox / "asked") == []
    else:
        il.unpack(image, sandbox / "asked", special_files=True)
        null = os.lstat(sandbox / "asked" / "dev" / "null")
        assert stat.S_ISCHR(null.st_mode) and os.major(null.st_rdev) == 1 and os.minor(null.st_rdev) == 3
        assert stat.S_ISFIFO(os.lstat(sandbox / "asked" / "run" / "pipe").st_mode)
    assert snapshot(sandbox, skip="asked") == before


def test_unpack_checks_layer_sizes_against_limits_before_writing(sandbox):
    image = il.open(_open_archive(sandbox, [L(*[file(f"f{i}") for i in range(20)])]))
    with pytest.raises(LimitExceededError, match="max_entries"):
        il.unpack(image, sandbox / "root", limits=il.Limits(max_entries=10))
    assert not (sandbox / "root").exists()
    with pytest.raises(LimitExceededError, match="max_bytes"):
        il.unpack(image, sandbox / "root", limits=il.Limits(max_bytes=1024))
    il.unpack(image, sandbox / "root")
    assert len(os.listdir(sandbox / "root")) == 20
