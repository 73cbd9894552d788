import pytest

import imagelib as il


def images():
    base = il.Image.scratch().add_layer(il.Layer.from_files({"os/big": b"b" * 20000}))
    app1 = base.add_layer(il.Layer.from_files({"app/v": "1"}))
    app2 = base.add_layer(il.Layer.from_files({"app/v": "2"}))
    return base, app1, app2


def test_put_get_resolve_by_tag_and_digest():
    _, app1, _ = images()
    store = il.Store()
    digest = store.put(app1, "myapp:1.0")
    assert digest == app1.digest
    assert store.get("myapp:1.0") == app1
    assert store.get(f"myapp@{digest}").id == app1.id
    assert store.resolve("docker.io/library/myapp:1.0") == digest
    assert store.tags() == ["myapp:1.0"]


def test_tag_adds_a_name_and_copies_nothing():
    _, app1, _ = images()
    store = il.Store()
    store.put(app1, "nginx:latest")
    before = store.usage()
    store.tag("nginx:latest", "mynginx:1.0")
    after = store.usage()
    assert after.stored_bytes == before.stored_bytes and after.blobs == before.blobs
    assert store.get("mynginx:1.0").digest == store.get("nginx:latest").digest
    assert store.names_of("nginx") == ["mynginx:1.0", "nginx:latest"]


def test_shared_base_is_stored_once():
    base, app1, app2 = images()
    store = il.Store()
    store.put(app1, "app:1")
    store.put(app2, "app:2")
    usage = store.usage()
    assert usage.logical_bytes - usage.stored_bytes >= base.layers[0].size
    assert usage.saved_bytes == usage.logical_bytes - usage.stored_bytes


def test_untag_leaves_a_dangling_image_until_gc():
    _, app1, app2 = images()
    store = il.Store()
    store.put(app1, "app:latest")
    store.put(app2, "app:latest")  # the tag moves; v1 keeps its content but loses its name
    assert store.get("app:latest") == app2
    assert [r.digest for r in store.dangling()] == [app1.digest]
    assert store.get(app1.digest) == app1  # the old digest still names the old image
    removed = store.gc()
    assert app1.digest in removed and app1.layers[-1].digest in removed
    assert app1.layers[0].digest not in removed  # still used by app2
    with pytest.raises(il.TagNotFoundError):
        store.get(app1.digest)
    assert store.verify() == []


def test_store_errors():
    store = il.Store()
    with pytest.raises(il.TagNotFoundError) as info:
        store.get("nothing:here")
    assert "nothing:here" in str(info.value)
    with pytest.raises(il.TagNotFoundError):
        store.untag("nothing")
    _, app1, _ = images()
    with pytest.raises(il.InvalidReferenceError):
        store.put(app1, "app@sha256:" + "a" * 64)


def test_verify_reports_a_corrupted_blob():
    _, app1, _ = images()
    store = il.Store()
    store.put(app1, "app:1")
    digest = app1.layers[-1].digest
    store._backend.blobs[digest] = il.blob.Blob.from_bytes(b"tampered")
    problems = store.verify()
    assert len(problems) == 1 and str(digest) in problems[0]


def test_store_display():
    _, app1, _ = images()
    store = il.Store()
    store.put(app1, "app:1")
    assert "app:1" in store._repr_html_() and "저장" in str(store.usage())


def test_a_layout_store_reads_with_the_limits_it_was_given(tmp_path):
    layer = il.Layer.from_files({f"f{n}.txt": "x" for n in range(5)})
    image = il.Image.scratch().add_layer(layer)
    il.Store(tmp_path / "layout").put(image, "app:1")
    with pytest.raises(il.errors.LimitExceededError, match="max_entries"):
        il.Store(tmp_path / "layout", limits=il.Limits(max_entries=3)).get("app:1")
    with pytest.raises(il.errors.LimitExceededError, match="max_json_bytes"):
        il.Store(tmp_path / "layout", limits=il.Limits(max_json_bytes=64))
    assert il.Store(tmp_path / "layout", limits=il.Limits(max_entries=5)).get("app:1").id == image.id
    with pytest.raises(il.ImageLibError, match="il.Limits"):
        il.Store(limits={"max_entries": 3})
