"""il.analyze: per-layer changes, and efficiency / wasted space as dive defines them.

Expected numbers are worked out by hand from the definition (sum and smallest visit size per
path) in each test, so a reader can check them without running anything.
"""

from __future__ import annotations

import io
import json
import math
import tarfile
from pathlib import Path

import pytest
from paths import REAL_IMAGES

import imagelib as il
from imagelib import tario


def image_of(*layers: il.Layer) -> il.Image:
    img = il.Image.scratch()
    for layer in layers:
        img = img.add_layer(layer)
    return img


def test_overwritten_file_wastes_both_copies():
    base = il.Layer.from_files({"app/data.bin": b"x" * 1000})
    upper = il.Layer.from_files({"app/data.bin": b"y" * 10})
    result = il.analyze(image_of(base, upper))
    # app/data.bin is visited twice: 1000 + 10 = 1010 in all, smallest 10.
    assert result.efficiency == 10 / 1010
    assert result.wasted_bytes == 1010
    assert result.size_bytes == 1010 and result.user_size_bytes == 10
    assert result.user_wasted_ratio == 1010 / 10
    [waste] = result.top_waste
    assert (waste.path, waste.total_bytes, waste.smallest_bytes, waste.layers) == ("app/data.bin", 1010, 10, (0, 1))
    assert waste.cause == "overwritten"
    assert [c.path for c in result.layers[1].modified] == ["app/data.bin"]
    assert result.layers[1].added == () and result.layers[1].removed == ()


def test_deleted_file_counts_its_bytes_as_waste():
    base = il.Layer.from_files({"keep.txt": b"k" * 300, "junk.bin": b"j" * 700})
    upper = il.Layer.from_files({"new.txt": b"n" * 100}, deleted=["junk.bin"])
    result = il.analyze(image_of(base, upper))
    # junk.bin: 700 then a whiteout (0) -> sum 700, smallest 0; keep 300; new 100.
    assert result.efficiency == (0 + 300 + 100) / (700 + 300 + 100)
    assert result.wasted_bytes == 700
    assert result.user_wasted_ratio == 700 / 100
    assert result.top_waste[0].cause == "deleted"
    layer = result.layers[1]
    assert [(c.path, c.kind, c.size) for c in layer.removed] == [("junk.bin", "file", 700)]
    assert [(c.path, c.size) for c in layer.added] == [("new.txt", 100)]


def test_removing_a_directory_counts_the_files_below_once():
    base = il.Layer.from_files({"cache/a": b"a" * 100, "cache/b": b"b" * 200, "x": b"x" * 5})
    middle = il.Layer.from_files({"cache/c": b"c" * 50})
    top = il.Layer.from_files({}, deleted=["cache"])
    result = il.analyze(image_of(base, middle, top))
    # The whiteout visits "cache" with 100 + 200 + 50 = 350, but "cache" itself was never a leaf
    # before, so no path is visited twice: dive reports no waste for a removed directory.
    assert result.wasted_bytes == 0
    assert result.efficiency == 1.0
    assert [(c.path, c.kind, c.size) for c in result.layers[2].removed] == [("cache", "dir", 350)]


def test_removing_a_directory_that_was_an_empty_leaf_before():
    base = il.Layer.from_files({"cache": il.Dir()})
    middle = il.Layer.from_files({"cache/a": b"a" * 100})
    top = il.Layer.from_files({}, deleted=["cache"])
    result = il.analyze(image_of(base, middle, top))
    # "cache" is a leaf of layer 0 (size 0) and a whiteout of a 100-byte directory in layer 2:
    # sum 100, smallest 0. cache/a: 100. Efficiency (0 + 100) / (100 + 100).
    assert result.efficiency == 100 / 200
    assert result.wasted_bytes == 100
    assert result.top_waste[0].path == "cache" and result.top_waste[0].cause == "deleted"


def _raw_layer(members: "list[tuple[str, bytes | None]]") -> il.Layer:
    """A layer tar written member by member (None = directory), without implied parents."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return il.Layer.from_tar(buffer.getvalue())


def test_a_directory_with_deeper_entries_is_not_a_leaf():
    # "a" has no direct child entry in layer 0 (a/b is implied), yet it is no leaf there.
    base = _raw_layer([("a", None), ("a/b/c", b"c" * 10)])
    upper = _raw_layer([("a", None)])  # an empty directory entry: a leaf of layer 1
    result = il.analyze(image_of(base, upper))
    assert result.wasted_path_count == 0


def test_dive_efficiency_example_with_real_directories():
    # dive's own unit example (filetree/efficiency_test.go), as real layers.
    first = il.Layer.from_files({"etc/nginx/nginx.conf": b"1" * 2000, "etc/nginx/public": b"2" * 3000})
    second = il.Layer.from_files({"etc/nginx/nginx.conf": b"3" * 5000, "etc/athing": b"4" * 10000})
    third = il.Layer.from_files({}, deleted=["etc/nginx"])
    result = il.analyze(image_of(first, second, third))
    # nginx.conf 2000+5000 (min 2000), public 3000, athing 10000, and the whiteout of the
    # etc/nginx directory counts its files below: 5000 + 3000 = 8000.
    assert result.efficiency == (2000 + 3000 + 10000 + 8000) / (7000 + 3000 + 10000 + 8000)
    assert result.wasted_bytes == 7000
    assert [w.path for w in result.top_waste] == ["etc/nginx/nginx.conf"]


def test_permission_change_duplicate_and_content_change_are_told_apart():
    data = bytes(range(256)) * 4
    base = il.Layer.from_files({"bin/tool": data, "same.txt": "hello\n", "conf": "a=1\n"})
    upper = il.Layer.from_files({"bin/tool": il.File(data, mode=0o755), "same.txt": "hello\n", "conf": "a=2\n"})
    result = il.analyze(image_of(base, upper))
    causes = {w.path: w.cause for w in result.top_waste}
    assert causes == {"bin/tool": "permission", "same.txt": "duplicate", "conf": "overwritten"}
    assert result.wasted_bytes == 2 * 1024 + 2 * 6 + 2 * 4
    assert "권한" in result.top_waste[0].cause_text


def test_contents_are_read_only_for_equal_sizes(monkeypatch):
    base = il.Layer.from_files({"a": b"a" * 100, "b": b"b" * 100})
    upper = il.Layer.from_files({"a": b"A" * 50, "b": b"B" * 100})
    opened = []
    original = tario.TarContent.open

    def counting_open(self):
        opened.append(self.size)
        return original(self)

    monkeypatch.setattr(tario.TarContent, "open", counting_open)
    result = il.analyze(image_of(base, upper))
    # Only "b" kept its size, so only its two versions are hashed.
    assert opened == [100, 100]
    assert {w.path: w.cause for w in result.top_waste} == {"a": "overwritten", "b": "overwritten"}


def test_opaque_markers_are_not_visited_but_count_as_removed():
    base = il.Layer.from_files({"d/a": b"a" * 100})
    upper = il.Layer.from_files({"d/b": b"b" * 10}, opaque=["d"])
    result = il.analyze(image_of(base, upper))
    assert result.wasted_bytes == 0 and result.efficiency == 1.0
    assert [(c.path, c.kind, c.size) for c in result.layers[1].removed] == [("d", "opaque", 100)]


def test_empty_image_and_single_layer():
    empty = il.analyze(il.Image.scratch())
    assert (empty.efficiency, empty.wasted_bytes, empty.user_wasted_ratio) == (1.0, 0, 0.0)
    assert empty.layers == () and empty.top_waste == ()
    single = il.analyze(image_of(il.Layer.from_files({"a": "a"})))
    assert (single.efficiency, single.wasted_bytes, single.user_size_bytes) == (1.0, 0, 0)


def test_waste_on_top_of_an_empty_user_part_is_infinite():
    base = il.Layer.from_files({"a": b"a" * 10})
    upper = il.Layer.from_files({}, deleted=["a"])
    result = il.analyze(image_of(base, upper))
    assert result.wasted_bytes == 10 and result.user_size_bytes == 0
    assert math.isinf(result.user_wasted_ratio)
    assert result.to_dict()["user_wasted_ratio"] is None
    assert not result.check()[1].passed


def test_check_follows_dive_ci_rules():
    base = il.Layer.from_files({"app/data.bin": b"x" * 1000})
    upper = il.Layer.from_files({"app/data.bin": b"y" * 10, "app/more": b"m" * 9990})
    result = il.analyze(image_of(base, upper))
    # efficiency (10 + 9990) / (1010 + 9990) = 10000/11000; user wasted 1010 / 10000.
    assert result.efficiency == 10000 / 11000 and result.user_wasted_ratio == 0.101
    rules = {
        r.name: r.passed
        for r in result.check(lowest_efficiency=0.9, highest_user_wasted_ratio=0.1, highest_wasted_bytes=1010)
    }
    assert rules == {"lowest-efficiency": True, "highest-user-wasted-percent": False, "highest-wasted-bytes": True}
    assert all(r.passed for r in result.check(0.9, 0.11, 1010))
    assert result.check(None, None, None) == []
    assert not result.check(0.95, None)[0].passed


def test_only_images_are_analysed():
    with pytest.raises(il.ImageLibError, match="il.open"):
        il.analyze("my.tar")


def test_top_limits_the_listed_paths_but_not_the_numbers():
    base = il.Layer.from_files({f"f{i}": b"x" * (i + 1) for i in range(5)})
    upper = il.Layer.from_files({f"f{i}": b"y" for i in range(5)})
    full = il.analyze(image_of(base, upper))
    short = il.analyze(image_of(base, upper), top=2)
    assert [w.path for w in short.top_waste] == ["f4", "f3"]
    assert full.wasted_path_count == short.wasted_path_count == 5
    assert full.wasted_bytes == short.wasted_bytes == sum(i + 2 for i in range(5))


def test_progress_callback_and_displays():
    base = il.Layer.from_files({"app/data.bin": b"x" * 1000}, created_by="COPY data.bin /app/")
    upper = il.Layer.from_files({}, deleted=["app/data.bin"], created_by="RUN rm /app/data.bin")
    calls = []
    result = il.analyze(image_of(base, upper), on_layer=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]
    text = str(result)
    assert "효율" in text and "/app/data.bin" in text and "나중 레이어에서 삭제함" in text
    page = result._repr_html_()
    assert "<table>" in page and "낭비" in page and "RUN rm /app/data.bin" in page
    doc = json.loads(json.dumps(result.to_dict()))
    assert doc["wasted_bytes"] == 1000 and doc["top_waste"][0]["cause"] == "deleted"
    assert doc["layers"][1]["removed"] == [{"path": "/app/data.bin", "kind": "file", "size": 1000}]


def _layers_of_legacy_archive(path: Path) -> il.Image:
    """Read a legacy `docker save` archive with tarfile only (independent of il.open)."""
    with tarfile.open(path) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))[0]
        layers = [il.Layer.from_tar(archive.extractfile(name).read()) for name in manifest["Layers"]]
    return image_of(*layers)


def test_dive_test_image_matches_the_numbers_dive_reports():
    path = REAL_IMAGES / "dive-test-docker-image.tar"
    if not path.exists():
        pytest.skip("실제 이미지 dive-test-docker-image.tar가 없어 건너뜁니다 (../shared/real-images/ 가 없음)")
    result = il.analyze(_layers_of_legacy_archive(path))
    # The expected values are the ones dive's own test asserts for this archive
    # (dive/image/docker/image_archive_analysis_test.go).
    assert result.efficiency == 0.9844212134184309
    assert result.size_bytes == 1220598
    assert result.user_size_bytes == 66237
    assert result.wasted_bytes == 32025
    assert result.user_wasted_ratio == 0.4834911001404049
    causes = {w.path: w.cause for w in result.top_waste}
    # From dive-Dockerfile.test-image: chmod 444 somefile1, chmod +x saved.txt, mv somefile3.
    assert causes == {
        "root/example/somefile1.txt": "permission",
        "root/saved.txt": "permission",
        "root/example/somefile3.txt": "deleted",
    }


def _real_archives() -> "list[Path]":
    return sorted(REAL_IMAGES.glob("*.tar")) if REAL_IMAGES.is_dir() else []


@pytest.mark.parametrize("path", _real_archives(), ids=lambda p: p.name)
def test_every_real_archive_analyses(path):
    if not hasattr(il, "open"):
        pytest.skip("il.open이 아직 없어 건너뜁니다 (formats 모듈이 필요함)")
    from imagelib.formats import list_images

    try:
        choices = list_images(path)
        images = [choice.load() for choice in choices]
    except il.ImageLibError as error:
        if path.name == "ggcr-null_manifest.tar":
            return  # refused with a clear error, as it should be
        raise AssertionError(f"{path.name}: {error}") from None
    assert images, f"{path.name}: no image to analyse"
    for image in images:
        result = il.analyze(image)
        assert 0.0 <= result.efficiency <= 1.0
        assert len(result.layers) == len(image.layers)
        assert result.size_bytes == sum(layer.files_size for layer in image.layers)


def test_dive_test_image_through_il_open():
    path = REAL_IMAGES / "dive-test-docker-image.tar"
    if not hasattr(il, "open") or not path.exists():
        pytest.skip("il.open이나 dive-test-docker-image.tar가 없어 건너뜁니다")
    result = il.analyze(il.open(path))
    assert (result.efficiency, result.wasted_bytes) == (0.9844212134184309, 32025)
    # il.open keeps the build steps, so the report can name them.
    assert "chmod 444 /root/example/somefile1.txt" in result.layers[4].created_by
