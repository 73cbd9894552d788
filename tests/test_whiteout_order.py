"""A whiteout that follows an entry of its own layer at the path it hides is refused.

The OCI layer spec says whiteouts hide lower layers only (imagelib reads them so); Docker's and
containerd's extraction apply them in tar order and remove what the same layer wrote just before.
The same bytes would be two different images, so imagelib refuses them, with the fast tar reader
and the tarfile fallback alike. A whiteout before the entry means the same thing to every reader.
"""

from __future__ import annotations

import io
import tarfile

import pytest

import imagelib as il


def layer_tar(*members: "tuple[str, bytes | None]") -> bytes:
    """A tar with files (bytes) and folders (None) in the order given."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def image_with_top(top: bytes) -> il.Image:
    base = il.Layer.from_files({"app/x": "lower\n", "app/keep": "keep\n"})
    return il.Image.scratch().add_layer(base).add_layer(il.Layer.from_tar(top))


@pytest.mark.parametrize(
    "members",
    [
        [("app/", None), ("app/x", b"upper\n"), ("app/.wh.x", b"")],
        [("app/", None), ("app/x/", None), ("app/x/inner", b"upper\n"), ("app/.wh.x", b"")],
    ],
    ids=["the-file-itself", "a-file-below-the-hidden-folder"],
)
def test_a_whiteout_after_its_own_layer_wrote_the_path_is_refused(members, reader):
    with pytest.raises(il.LayerFormatError, match="먼저 썼습니다"):
        image_with_top(layer_tar(*members)).rootfs()


def test_a_whiteout_before_the_entry_hides_the_lower_file_and_keeps_the_new_one(reader):
    top = layer_tar(("app/", None), ("app/.wh.x", b""), ("app/x", b"upper\n"))
    tree = image_with_top(top).rootfs()
    assert tree.read_bytes("app/x") == b"upper\n"
    assert tree.read_bytes("app/keep") == b"keep\n"


def test_a_whiteout_of_a_sibling_after_other_entries_is_read(reader):
    top = layer_tar(("app/", None), ("app/new", b"new\n"), ("app/.wh.x", b""))
    tree = image_with_top(top).rootfs()
    assert not tree.exists("app/x")
    assert tree.read_bytes("app/new") == b"new\n"
