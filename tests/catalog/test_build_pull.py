"""Pull-time model: bytes to download given what the machine already holds, at a bandwidth."""

import pytest

import imagelib as il


def test_nothing_held_means_the_whole_compressed_image():
    image = il.catalog.get("node:14")
    estimate = il.pull_time(image, bandwidth_mbps=100)
    assert estimate.reused_bytes == 0
    assert estimate.download_bytes == il.modeled_download_size(image) + len(image.manifest_bytes) + len(
        image.config_bytes
    )
    assert estimate.seconds == pytest.approx(estimate.download_bytes * 8 / 100e6)
    assert 25 < estimate.seconds < 30  # about 345 MB at 100 Mbps


def test_alpine_pulls_about_nine_times_faster():
    big = il.pull_time(il.catalog.get("node:14"), bandwidth_mbps=50)
    small = il.pull_time(il.catalog.get("node:14-alpine"), bandwidth_mbps=50)
    assert 8 < big.seconds / small.seconds < 10


def test_layers_already_in_the_store_are_skipped():
    store = il.Store()
    store.put(il.catalog.get("nginx:latest"), "nginx:latest")
    estimate = il.pull_time(il.catalog.get("python:3.12-slim"), store=store)
    assert estimate.reused_layers == 1  # debian:bookworm-slim is shared
    assert estimate.reused_bytes == il.modeled_download_size(il.catalog.get("debian:bookworm-slim"))
    assert estimate.download_bytes < estimate.total_bytes
    held_as_list = il.pull_time(il.catalog.get("python:3.12-slim"), store=[il.catalog.get("nginx")])
    assert held_as_list.download_bytes == estimate.download_bytes


def test_a_rebuilt_app_only_downloads_its_new_layer():
    from imagelib import course_examples as examples

    old = il.build(examples.NOTE_DOCKERFILE, examples.web_app()).image
    new = il.build(examples.NOTE_DOCKERFILE, examples.web_app(**{"src/greet.js": "export {};\n"})).image
    estimate = il.pull_time(new, store=[old])
    assert estimate.reused_layers == len(new.layers) - 1
    assert estimate.download_bytes - estimate.metadata_bytes < 2_000  # one small layer of dist files


def test_text_and_errors():
    estimate = il.pull_time(il.catalog.get("alpine"), bandwidth_mbps=10)
    assert "10 Mbps" in str(estimate) and "초" in str(estimate)
    assert "<table>" in estimate._repr_html_()
    with pytest.raises(il.ImageLibError):
        il.pull_time(il.catalog.get("alpine"), bandwidth_mbps=0)
    with pytest.raises(il.ImageLibError):
        il.pull_time("alpine")
