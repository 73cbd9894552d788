"""``Store.usage_by_image``: ``docker system df -v``'s SIZE / SHARED SIZE / UNIQUE SIZE per image,
counted by ChainID and by what an unpacked layer folder holds (the real engine's numbers are
compared in tests/interop/test_docker_system_df_sizes_by_chainid.py)."""

from __future__ import annotations

import imagelib as il

BASE = il.Layer.from_files(
    {"bin/busybox": "12345", "bin/sh": il.Symlink("/bin/busybox"), "bin/ls": il.Hardlink("bin/busybox")}
)  # 5 bytes of file, 12 of symlink target, the hard link counts nothing: 17
WEB = il.Layer.from_files({"srv/web.py": "w" * 100})
API = il.Layer.from_files({"srv/api.py": "a" * 40})


def _rows(store: il.Store) -> "dict[str, tuple[int, int, int]]":
    return {row.names[0]: (row.size, row.shared_size, row.unique_size) for row in store.usage_by_image()}


def test_a_layer_two_images_stack_on_the_same_base_is_shared():
    store = il.Store()
    store.put(il.Image.scratch().add_layer(BASE).add_layer(WEB), "web:1")
    store.put(il.Image.scratch().add_layer(BASE).add_layer(API), "api:1")
    assert _rows(store) == {"web:1": (117, 17, 100), "api:1": (57, 17, 40)}


def test_the_same_bytes_on_another_base_are_not_shared():
    store = il.Store()
    store.put(il.Image.scratch().add_layer(BASE).add_layer(WEB), "web:1")
    store.put(il.Image.scratch().add_layer(API).add_layer(WEB), "other:1")
    assert _rows(store) == {"web:1": (117, 0, 117), "other:1": (140, 0, 140)}


def test_two_names_of_one_image_are_one_row_and_share_nothing_with_themselves():
    store = il.Store()
    image = il.Image.scratch().add_layer(BASE)
    store.put(image, "base:1")
    store.tag("base:1", "base:latest")
    rows = store.usage_by_image()
    assert [(row.names, row.size, row.shared_size) for row in rows] == [(("base:1", "base:latest"), 17, 0)]
    assert rows[0].id == image.id


def test_an_image_index_is_not_an_image_row():
    store = il.Store()
    store.put(
        il.ImageIndex.of([il.Image.scratch().add_layer(BASE), il.Image.scratch("arm64").add_layer(API)]), "multi:1"
    )
    assert store.usage_by_image() == []
