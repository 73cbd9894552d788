"""``il.unpack_overlay`` lays an image out as Docker's overlay2 driver does, the kernel's overlayfs
merges it into the same tree ``il.unpack`` and ``img.rootfs()`` give, and ``il.layer_from_upperdir``
turns the upper directory back into a layer with ``.wh.`` entries.

The mount tests need root and a kernel that mounts overlayfs here; elsewhere they are skipped
with the reason (a learner's laptop), and every mount is undone in a ``finally``.
"""

from __future__ import annotations

import os
import stat
import subprocess
import tarfile
from unittest import mock

import pytest
from formats_helpers import folder_snapshot, hardlink_groups, tree_snapshot
from hostile_archives import docker_archive_files, outer_tar, plant_victim, snapshot
from test_hostile_unpack import CASES

import imagelib as il
from imagelib.formats import overlay

BASE = il.Layer.from_files(
    {
        "bin/busybox": il.File(b"\x7fELF", mode=0o755),
        "bin/sh": il.Symlink("busybox"),
        "etc/os-release": "ID=demo\n",
        "etc/secret": il.File("s\n", mode=0o600),
        "srv/cache/a.txt": "a\n",
        "srv/cache/sub/b.txt": "b\n",
        "srv/keep.txt": "keep\n",
        "srv/gone.txt": "gone\n",
        "root": il.Dir(mode=0o700),
        "usr/lib/libc.so": "libc\n",
        "usr/lib/libc.so.6": il.Hardlink("usr/lib/libc.so"),
    }
)
TOP = il.Layer.from_files(
    {"srv/cache/c.txt": "c\n", "srv/keep.txt": "kept, changed\n", "etc/abs-link": il.Symlink("/etc/os-release")},
    deleted=["srv/gone.txt", "usr/lib/libc.so.6"],
    opaque=["srv/cache"],
)
IMAGE = il.Image.scratch().add_layer(BASE).add_layer(TOP)


def _diff(layout: il.OverlayLayout, index: int) -> str:
    return layout.layers[index].diff


def _is_whiteout_device(path: str) -> bool:
    info = os.lstat(path)
    return stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(0, 0)


def _paths(root: str) -> "set[str]":
    """Every path under ``root`` (whiteout devices too, which folder_snapshot cannot open)."""
    return {
        os.path.relpath(os.path.join(current, name), root)
        for current, dirs, files in os.walk(root)
        for name in dirs + files
    }


def _layout_snapshot(root) -> "dict[str, tuple]":
    """Path -> (type and mode, content, link target or device number, opaque attribute) of a layout."""
    result = {}
    for path in sorted(_paths(os.fspath(root))):
        real = os.path.join(root, path)
        info = os.lstat(real)
        if stat.S_ISREG(info.st_mode):
            with open(real, "rb") as handle:
                detail = handle.read()
        elif stat.S_ISLNK(info.st_mode):
            detail = os.readlink(real)
        else:
            detail = info.st_rdev
        opaque = stat.S_ISDIR(info.st_mode) and overlay._has_xattr(real, overlay.OPAQUE_XATTR)
        result[path] = (info.st_mode, detail, opaque)
    return result


def _machine_takes_kernel_markers(tmp_path) -> bool:
    return overlay._markers_this_machine_takes(str(tmp_path)) == overlay.MARKERS_DEVICES


def _entry_names(layer: il.Layer) -> "list[tuple[str, str]]":
    """(name, tar type) of every member of a layer's tar, as ``tar -tv`` would show them."""
    with layer.open_tar() as stream, tarfile.open(fileobj=stream, mode="r|") as tar:
        return sorted((member.name.rstrip("/"), _kind(member)) for member in tar)


def _kind(member: tarfile.TarInfo) -> str:
    return {tarfile.DIRTYPE: "dir", tarfile.SYMTYPE: "symlink", tarfile.LNKTYPE: "hardlink"}.get(member.type, "file")


# -- the layout ---------------------------------------------------------------------------------


def test_one_folder_per_chain_id_holding_only_that_layers_files(tmp_path):
    layout = il.unpack_overlay(IMAGE, tmp_path / "store")

    names = sorted(os.listdir(tmp_path / "store"))
    assert names == sorted([chain.hex for chain in IMAGE.chain_ids] + ["container", "l"])
    assert [layer.chain_id for layer in layout.layers] == IMAGE.chain_ids
    base_files = folder_snapshot(_diff(layout, 0))
    assert base_files == tree_snapshot(il.Image.scratch().add_layer(BASE).rootfs())
    top_paths = _paths(_diff(layout, 1))
    assert "srv/cache/c.txt" in top_paths and "srv/cache/a.txt" not in top_paths  # no lower files copied up
    assert "bin/busybox" not in top_paths


def test_links_and_lower_files_name_the_layers_below_top_first(tmp_path):
    image = IMAGE.add_layer(il.Layer.from_files({"app/main.py": "print(1)\n"}))
    layout = il.unpack_overlay(image, tmp_path / "store")
    root = tmp_path / "store"

    def diff_behind(link: str) -> str:
        return os.path.realpath(root / link)

    for index, layer in enumerate(layout.layers):
        folder = root / layer.chain_id.hex
        assert (folder / "link").read_text() == layer.link
        assert diff_behind(f"l/{layer.link}") == str(folder / "diff")
        below = [str(root / lower.chain_id.hex / "diff") for lower in reversed(layout.layers[:index])]
        if below:
            assert [diff_behind(link) for link in (folder / "lower").read_text().split(":")] == below
            assert (folder / "work").is_dir()
        else:  # overlay2 writes neither for a layer with no parent
            assert not (folder / "lower").exists() and not (folder / "work").exists()
    container_lower = (root / "container" / "lower").read_text().split(":")
    tops_first = [str(root / layer.chain_id.hex / "diff") for layer in reversed(layout.layers)]
    assert [diff_behind(link) for link in container_lower] == tops_first
    assert os.listdir(layout.upperdir) == [] and os.listdir(layout.merged) == []


def test_the_mount_command_merges_the_layers_top_first_over_a_fresh_upper(tmp_path):
    layout = il.unpack_overlay(IMAGE, tmp_path / "store")
    command = str(layout)

    assert command.startswith("mount -t overlay overlay -o lowerdir=")
    options = dict(part.split("=", 1) for part in command.split()[-2].split(","))
    store = str(tmp_path / "store")
    lowers = [os.path.realpath(path) for path in options["lowerdir"].split(":")]
    assert lowers == [os.path.join(store, chain.hex, "diff") for chain in reversed(IMAGE.chain_ids)]
    assert options["upperdir"] == os.path.join(store, "container", "diff")
    assert options["workdir"] == os.path.join(store, "container", "work")
    assert command.split()[-1] == os.path.join(store, "container", "merged")


def test_the_same_image_gives_the_same_layout(tmp_path):
    first = il.unpack_overlay(IMAGE, tmp_path / "one")
    second = il.unpack_overlay(IMAGE, tmp_path / "two")
    assert [layer.link for layer in first.layers] == [layer.link for layer in second.layers]
    assert _layout_snapshot(tmp_path / "one") == _layout_snapshot(tmp_path / "two")


def test_markers_are_the_kernels_where_the_machine_allows(tmp_path):
    if not _machine_takes_kernel_markers(tmp_path):
        pytest.skip("이 컴퓨터는 0/0 문자 장치나 trusted.* 속성을 허락하지 않아 건너뜁니다(관리자 권한 필요)")
    layout = il.unpack_overlay(IMAGE, tmp_path / "store")

    assert layout.markers == "devices"
    top = _diff(layout, 1)
    assert _is_whiteout_device(os.path.join(top, "srv/gone.txt"))
    assert _is_whiteout_device(os.path.join(top, "usr/lib/libc.so.6"))
    assert os.getxattr(os.path.join(top, "srv/cache"), "trusted.overlay.opaque") == b"y"
    assert not [name for _, _, files in os.walk(top) for name in files if name.startswith(".wh.")]


def test_without_the_kernels_markers_the_wh_files_stay_and_it_says_so(tmp_path):
    with mock.patch.object(overlay.os, "mknod", side_effect=PermissionError(1, "Operation not permitted")):
        layout = il.unpack_overlay(IMAGE, tmp_path / "store")

    assert layout.markers == "files"
    top = _diff(layout, 1)
    assert os.path.isfile(os.path.join(top, "srv/.wh.gone.txt"))
    assert os.path.isfile(os.path.join(top, "srv/cache/.wh..wh..opq"))
    with pytest.raises(il.UnsupportedError, match="markers='files'"):
        with layout.mounted():
            pass


def test_a_folder_with_files_is_refused(tmp_path):
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "mine.txt").write_text("mine")
    with pytest.raises(il.ImageLibError, match="이미 파일이 있습니다"):
        il.unpack_overlay(IMAGE, tmp_path / "store")
    assert os.listdir(tmp_path / "store") == ["mine.txt"]


def test_an_image_without_layers_is_refused(tmp_path):
    with pytest.raises(il.ImageLibError, match="레이어가 없는"):
        il.unpack_overlay(il.Image.scratch(), tmp_path / "store")


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_image_changes_nothing_outside_and_leaves_the_folder_empty(tmp_path, case):
    plant_victim(tmp_path)
    layers = CASES[case][0]
    archive = tmp_path / "in.tar"
    archive.write_bytes(outer_tar(docker_archive_files(layers)))
    before = snapshot(tmp_path, skip="store")
    try:
        image = il.open(archive)
    except il.ImageLibError:
        return  # refused before anything is laid out
    try:
        il.unpack_overlay(image, tmp_path / "store")
    except il.ImageLibError as error:
        assert any("\uac00" <= ch <= "\ud7a3" for ch in str(error))
        assert os.listdir(tmp_path / "store") == []
    assert snapshot(tmp_path, skip="store") == before


def test_a_symlink_out_of_the_folder_is_refused_in_korean(tmp_path):
    from hostile_archives import file, raw_tar, symlink

    plant_victim(tmp_path)
    before = snapshot(tmp_path, skip="store")
    image = il.Image.scratch().add_layer(il.Layer.from_tar(raw_tar(symlink("out", "../../../victim"), file("out/x"))))
    with pytest.raises(il.UnsafePathError, match="out/x"):
        il.unpack_overlay(image, tmp_path / "store")
    assert os.listdir(tmp_path / "store") == []
    assert snapshot(tmp_path, skip="store") == before


# -- the real mount -----------------------------------------------------------------------------


@pytest.fixture
def mountable(tmp_path):
    """Skips where this machine cannot mount overlayfs (not root, no overlay, no kernel markers)."""
    if os.geteuid() != 0:
        pytest.skip("overlay 마운트는 관리자(root) 권한이 필요해 건너뜁니다")
    if not _machine_takes_kernel_markers(tmp_path):
        pytest.skip("이 파일 시스템은 0/0 문자 장치나 trusted.* 속성을 받지 않아 건너뜁니다")
    probe = il.unpack_overlay(il.Image.scratch().add_layer(il.Layer.from_files({"x": "x"})), tmp_path / "probe")
    try:
        with probe.mounted():
            pass
    except il.UnsupportedError as error:
        pytest.skip(f"overlay를 마운트할 수 없어 건너뜁니다: {error}")


def test_the_kernel_merges_the_layout_into_the_tree_unpack_writes(tmp_path, mountable):
    layout = il.unpack_overlay(IMAGE, tmp_path / "store")
    il.unpack(IMAGE, tmp_path / "flat")

    with layout.mounted() as merged:
        seen = folder_snapshot(merged)
        with open(os.path.join(merged, "etc/secret"), "rb") as secret:
            assert secret.read() == b"s\n"
    assert seen == folder_snapshot(tmp_path / "flat")
    assert seen == tree_snapshot(IMAGE.rootfs())
    assert "srv/gone.txt" not in seen and "srv/cache/a.txt" not in seen  # whiteout and opaque folder
    assert seen["etc/abs-link"] == ("symlink", 0o777, "/etc/os-release")
    assert not os.path.ismount(layout.merged)


def test_a_hard_link_in_a_lower_layer_stays_one_file_in_the_merged_view(tmp_path, mountable):
    image = il.Image.scratch().add_layer(BASE)
    layout = il.unpack_overlay(image, tmp_path / "store")
    with layout.mounted() as merged:
        assert hardlink_groups(merged) == [{"usr/lib/libc.so", "usr/lib/libc.so.6"}]


def test_mounting_is_undone_when_the_block_fails(tmp_path, mountable):
    layout = il.unpack_overlay(IMAGE, tmp_path / "store")
    with pytest.raises(RuntimeError):
        with layout.mounted():
            raise RuntimeError("stop")
    assert not os.path.ismount(layout.merged)


def _change_through_the_mount(merged: str) -> None:
    """Write a file, change one, delete one, and replace a folder, as a container would."""
    with open(os.path.join(merged, "srv/new.txt"), "w") as new:
        new.write("new\n")
    with open(os.path.join(merged, "etc/os-release"), "a") as changed:
        changed.write("VERSION=2\n")
    os.unlink(os.path.join(merged, "srv/keep.txt"))
    subprocess.run(["rm", "-rf", os.path.join(merged, "srv/cache")], check=True)
    os.mkdir(os.path.join(merged, "srv/cache"))
    with open(os.path.join(merged, "srv/cache/fresh.txt"), "w") as fresh:
        fresh.write("fresh\n")


def test_changes_through_the_mount_become_a_layer_with_wh_entries(tmp_path, mountable):
    layout = il.unpack_overlay(IMAGE, tmp_path / "store")
    with layout.mounted() as merged:
        _change_through_the_mount(merged)
    assert _is_whiteout_device(os.path.join(layout.upperdir, "srv/keep.txt"))
    assert os.getxattr(os.path.join(layout.upperdir, "srv/cache"), "trusted.overlay.opaque") == b"y"

    layer = layout.commit(created_by="changes")
    assert _entry_names(layer) == [
        ("etc", "dir"),
        ("etc/os-release", "file"),
        ("srv", "dir"),
        ("srv/.wh.keep.txt", "file"),
        ("srv/cache", "dir"),
        ("srv/cache/.wh..wh..opq", "file"),
        ("srv/cache/fresh.txt", "file"),
        ("srv/new.txt", "file"),
    ]
    committed = IMAGE.add_layer(layer).rootfs()
    assert committed.read_text("etc/os-release") == "ID=demo\nVERSION=2\n"
    assert not committed.exists("srv/keep.txt") and not committed.exists("srv/cache/c.txt")
    assert layer.created_by == "changes"
    assert il.layer_from_upperdir(layout.upperdir).digest == layer.digest  # same tree, same digest


# -- an upper directory by hand -------------------------------------------------------------------


def _hand_made_upper(root, markers: str) -> None:
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "hosts").write_text("127.0.0.1 localhost\n")
    (root / "srv" / "cache").mkdir(parents=True)
    (root / "srv" / "cache" / "new").write_text("n\n")
    os.chmod(root / "srv" / "cache", 0o750)
    os.symlink("hosts", root / "etc" / "hosts.link")
    if markers == "devices":
        os.mknod(root / "etc" / "passwd", stat.S_IFCHR, os.makedev(0, 0))
        os.setxattr(root / "srv" / "cache", "trusted.overlay.opaque", b"y")
    else:
        (root / "etc" / ".wh.passwd").write_text("")
        (root / "srv" / "cache" / ".wh..wh..opq").write_text("")


def test_kernel_markers_and_wh_files_give_the_same_layer(tmp_path):
    if not _machine_takes_kernel_markers(tmp_path):
        pytest.skip("0/0 문자 장치나 trusted.* 속성을 만들 수 없어 건너뜁니다(관리자 권한 필요)")
    _hand_made_upper(tmp_path / "devices", "devices")
    _hand_made_upper(tmp_path / "files", "files")

    from_devices = il.layer_from_upperdir(tmp_path / "devices")
    assert from_devices.digest == il.layer_from_upperdir(tmp_path / "files").digest
    assert from_devices.deleted == ["etc/passwd"]
    assert from_devices.opaque == ["srv/cache"]
    assert from_devices.entry("srv/cache").mode == 0o750
    assert from_devices.entry("etc/hosts.link").target == "hosts"


def test_an_upper_directory_with_a_hard_link_keeps_one_file(tmp_path):
    (tmp_path / "upper").mkdir()
    (tmp_path / "upper" / "a").write_text("same\n")
    os.link(tmp_path / "upper" / "a", tmp_path / "upper" / "b")
    layer = il.layer_from_upperdir(tmp_path / "upper")
    assert _entry_names(layer) == [("a", "file"), ("b", "hardlink")]


def test_a_fifo_in_the_upper_directory_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "upper").mkdir()
    os.mkfifo(tmp_path / "upper" / "pipe")
    (tmp_path / "upper" / "kept").write_text("k")
    with pytest.warns(il.SkippedEntryWarning, match="pipe"):
        layer = il.layer_from_upperdir(tmp_path / "upper")
    assert layer.paths == ["kept"]


def test_a_renamed_folder_the_kernel_redirects_is_refused(tmp_path):
    if not _machine_takes_kernel_markers(tmp_path):
        pytest.skip("trusted.* 속성을 쓸 수 없어 건너뜁니다(관리자 권한 필요)")
    (tmp_path / "upper" / "moved").mkdir(parents=True)
    os.setxattr(tmp_path / "upper" / "moved", "trusted.overlay.redirect", b"/old")
    with pytest.raises(il.UnsupportedError, match="moved"):
        il.layer_from_upperdir(tmp_path / "upper")


def test_a_path_that_is_not_a_folder_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(il.ImageLibError, match="폴더가 아닙니다"):
        il.layer_from_upperdir(tmp_path / "file")
