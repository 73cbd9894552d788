"""``img.rootfs()`` (the model) agrees with ``il.unpack`` (real files) and with ``umoci unpack``.

Hypothesis writes small multi-layer images as raw tars: folders replaced by symlinks and back,
absolute and relative symlinks (some climbing above the root, some looping), whiteouts and
opaque markers (also under symlinked folders), hard links whose target path crosses a
symlinked folder, and entries written through a lower layer's symlink without their parent
folder. Each image must give the same tree three ways, or be refused (an ``ImageLibError``) by
both imagelib readers; umoci decides what the tree is where imagelib shows one.
"""

from __future__ import annotations

import subprocess
import tarfile

import pytest
from formats_helpers import folder_snapshot, gzip_layers, hardlink_groups, tree_snapshot
from hostile_archives import Member, raw_tar
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import imagelib as il
from imagelib.entries import parent_paths

NAMES = st.sampled_from(["a", "b", "c"])
PATHS = st.lists(NAMES, min_size=1, max_size=3).map("/".join)
SYMLINK_TARGETS = st.sampled_from(["a", "b", "a/b", "../b", "/b", "/a/c", "/", ".", "b/..", "missing", "c/../../a"])
SPECS = st.one_of(
    st.tuples(st.just("file"), st.sampled_from(["x", "yy"])),
    st.tuples(st.just("dir"), st.just("")),
    st.tuples(st.just("symlink"), SYMLINK_TARGETS),
    st.tuples(st.just("hardlink"), PATHS),
)


@st.composite
def layers(draw) -> il.Layer:
    """One layer: opaque markers, then whiteouts, then entries in a drawn order (the order
    Docker writes markers in: before what they hide; umoci applies a tar in its order)."""
    specs = draw(st.dictionaries(PATHS, SPECS, max_size=5))
    parents = {q for p in specs for q in parent_paths(p)}
    specs = {p: (("dir", "") if p in parents else spec) for p, spec in specs.items()}
    opaque = draw(st.lists(PATHS, max_size=1, unique=True))
    deleted = [p for p in draw(st.lists(PATHS, max_size=2, unique=True)) if p not in parents]
    members = [Member(f"{p}/.wh..wh..opq") for p in opaque]
    members += [Member(_whiteout_name(p)) for p in deleted]
    for path in draw(st.permutations(sorted(specs))):
        kind, value = specs[path]
        if kind == "file":
            members.append(Member(path, "file", value.encode()))
        elif kind == "dir":
            members.append(Member(path, "dir", mode=0o755))
        else:
            members.append(Member(path, kind, link=value, mode=0o777 if kind == "symlink" else 0o644))
    return il.Layer.from_tar(raw_tar(*members, fmt=tarfile.PAX_FORMAT))


def _whiteout_name(path: str) -> str:
    head, _, name = path.rpartition("/")
    return f"{head}/.wh.{name}" if head else f".wh.{name}"


BASE = il.Layer.from_tar(
    raw_tar(
        Member("b", "dir", mode=0o755),
        Member("b/a", "dir", mode=0o755),
        Member("b/a/x", "file", b"base"),
        Member("c", "dir", mode=0o755),
        Member("c/b", "file", b"cb"),
        Member("a", "symlink", link="b", mode=0o777),
        Member("b/c", "symlink", link="/c", mode=0o777),
        fmt=tarfile.PAX_FORMAT,
    )
)
IMAGES = st.lists(layers(), min_size=1, max_size=3).map(lambda stack: _image([BASE, *stack]))


def _image(stack: "list[il.Layer]") -> il.Image:
    image = il.Image.scratch()
    for layer in stack:
        image = image.add_layer(layer)
    return image


def _describe(image: il.Image) -> str:
    return "\n".join(
        f"layer {index}: "
        + ", ".join(f"{e.kind} {e.path}" + (f" -> {e.target}" if hasattr(e, "target") else "") for e in layer.entries)
        for index, layer in enumerate(image.layers)
    )


def _rootfs(image: il.Image) -> "dict | il.ImageLibError":
    try:
        return tree_snapshot(image.rootfs())
    except il.ImageLibError as error:
        return error


def _unpacked(image: il.Image, folder) -> "dict | il.ImageLibError":
    try:
        il.unpack(image, folder, keep_setuid=True)
    except il.ImageLibError as error:
        return error
    return folder_snapshot(folder)


def _agree(model: "dict | il.ImageLibError", real: "dict | il.ImageLibError") -> None:
    if isinstance(model, il.ImageLibError) or isinstance(real, il.ImageLibError):
        assert isinstance(model, il.ImageLibError) and isinstance(real, il.ImageLibError), (model, real)
    else:
        assert model == real


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(image=IMAGES)
def test_rootfs_is_what_unpack_writes(tmp_path_factory, image):
    note(_describe(image))
    folder = tmp_path_factory.mktemp("unpack") / "root"
    _agree(_rootfs(image), _unpacked(image, folder))


@pytest.mark.interop
@pytest.mark.slow
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(image=IMAGES)
def test_rootfs_is_what_umoci_unpacks(tmp_path_factory, umoci_as_root, image):
    note(_describe(image))
    work = tmp_path_factory.mktemp("umoci")
    model = _rootfs(image)
    if isinstance(model, il.ImageLibError):
        return  # imagelib refuses the layer; whatever umoci makes of it, no tree was shown
    il.save(gzip_layers(image), work / "lay", ref="t:1")  # umoci 0.4 reads gzip layers only
    done = subprocess.run(
        [umoci_as_root, "unpack", "--image", f"{work / 'lay'}:1", work / "bundle"], capture_output=True, text=True
    )
    assert done.returncode == 0, f"umoci refused what imagelib shows: {done.stderr.strip()}"
    rootfs = work / "bundle" / "rootfs"
    assert folder_snapshot(rootfs) == model
    il.unpack(image, work / "mine", keep_setuid=True)
    assert hardlink_groups(rootfs) == hardlink_groups(work / "mine")


@pytest.fixture(scope="module")
def umoci_as_root():
    import os
    import shutil

    found = shutil.which("umoci")
    if found is None:
        pytest.skip("umoci가 없어 건너뜁니다: 이 테스트는 umoci가 푼 rootfs와 비교합니다")
    if os.geteuid() != 0:
        pytest.skip("umoci unpack을 root로 실행할 수 있을 때만 비교합니다(rootless는 소유자와 장치를 바꿉니다)")
    return found


# -- the cases the issue names, one by one ---------------------------------------------------------


def _layer(*members: Member) -> il.Layer:
    return il.Layer.from_tar(raw_tar(*members, fmt=tarfile.PAX_FORMAT))


_LOWER = _layer(
    Member("real", "dir", mode=0o755),
    Member("real/old", "file", b"old"),
    Member("real/sub", "dir", mode=0o755),
    Member("real/sub/file", "file", b"file"),
    Member("link", "symlink", link="real", mode=0o777),
    Member("abs", "symlink", link="/real/sub", mode=0o777),
    Member("dangling", "symlink", link="made/here", mode=0o777),
)
NAMED = {
    "opaque-marker-in-a-symlinked-folder": [_LOWER, _layer(Member("link/.wh..wh..opq"), Member("link/new", "file"))],
    "opaque-marker-below-a-symlinked-folder": [_LOWER, _layer(Member("link/sub/.wh..wh..opq"))],
    "opaque-marker-in-an-absolute-symlinked-folder": [_LOWER, _layer(Member("abs/.wh..wh..opq"))],
    "whiteout-through-a-symlinked-folder": [_LOWER, _layer(Member("link/.wh.old"))],
    "hardlink-target-crosses-a-symlinked-folder": [_LOWER, _layer(Member("hard", "hardlink", link="link/sub/file"))],
    "hardlink-target-crosses-an-absolute-symlink": [_LOWER, _layer(Member("hard", "hardlink", link="abs/file"))],
    "hardlink-to-a-symlink-is-a-second-symlink": [_LOWER, _layer(Member("second", "hardlink", link="link"))],
    "entry-through-a-dangling-symlink-makes-its-folders": [_LOWER, _layer(Member("dangling/x", "file", b"x"))],
}
REFUSED = {
    "entry-below-a-file": [_LOWER, _layer(Member("real/old/x", "file"))],
    "entry-below-a-file-through-a-symlink": [_LOWER, _layer(Member("link/old/x", "file"))],
    "hardlink-to-a-folder-through-a-symlink": [_LOWER, _layer(Member("hard", "hardlink", link="link/sub"))],
}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_named_case_rootfs_is_what_unpack_writes(tmp_path, name):
    image = _image(NAMED[name])
    il.unpack(image, tmp_path / "root")
    assert tree_snapshot(image.rootfs()) == folder_snapshot(tmp_path / "root")


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_layers_go_tools_refuse_are_refused_by_both_readers(tmp_path, name):
    image = _image(REFUSED[name])
    with pytest.raises(il.ImageLibError):
        image.rootfs()
    with pytest.raises(il.ImageLibError):
        il.unpack(image, tmp_path / "root")
    assert folder_snapshot(tmp_path / "root") == tree_snapshot(_image(REFUSED[name][:1]).rootfs())


@pytest.mark.interop
@pytest.mark.parametrize("name", sorted(NAMED) + sorted(REFUSED))
def test_named_case_against_umoci(tmp_path, umoci_as_root, name):
    image = _image({**NAMED, **REFUSED}[name])
    il.save(gzip_layers(image), tmp_path / "lay", ref="t:1")
    done = subprocess.run(
        [umoci_as_root, "unpack", "--image", f"{tmp_path / 'lay'}:1", tmp_path / "bundle"],
        capture_output=True,
        text=True,
    )
    if name in REFUSED:
        assert done.returncode != 0, "umoci unpacked a layer imagelib refuses"
        return
    assert done.returncode == 0, done.stderr
    assert folder_snapshot(tmp_path / "bundle" / "rootfs") == tree_snapshot(image.rootfs())
