"""A Store does not hold image indexes yet: putting one says so in Korean and writes nothing."""

from __future__ import annotations

import pytest
from index_helpers import three_platform_index

import imagelib as il


@pytest.mark.parametrize("on_disk", [False, True])
def test_putting_an_index_is_refused_and_points_to_what_works(tmp_path, on_disk):
    store = il.Store(tmp_path / "s") if on_disk else il.Store()
    index = three_platform_index()
    with pytest.raises(il.UnsupportedError, match="index.image"):
        store.put(index, "multi:1.0")  # type: ignore[arg-type]
    assert store.tags() == [] and store.images() == []
    store.put(index.image("linux/arm64"), "multi:arm64")
    assert store.get("multi:arm64").digest == index.image("linux/arm64").digest
