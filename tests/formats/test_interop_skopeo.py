"""skopeo reads what imagelib writes, and imagelib reads what skopeo writes."""

from __future__ import annotations

import json

import pytest
from formats_helpers import (
    READABLE_ARCHIVES,
    gzip_layers,
    real_image,
    run,
    simple_image,
    skopeo_inspect,
    tool,
    tree_snapshot,
    tricky_image,
)

import imagelib as il

pytestmark = pytest.mark.interop


def _variants() -> "dict[str, il.Image]":
    image = tricky_image()
    return {"plain": image, "gzip": gzip_layers(image).with_config(cmd=["/app/run.sh"])}


@pytest.mark.parametrize("variant", ["plain", "gzip"])
def test_skopeo_inspect_reports_imagelibs_digests(tmp_path, variant):
    image = _variants()[variant]
    il.save(image, tmp_path / "lay", ref="tricky:1.0")
    il.save(image, tmp_path / "oci.tar", format="oci-archive", ref="tricky:1.0")
    il.save(image, tmp_path / "docker.tar", format="docker-archive", ref="tricky:1.0")
    layer_digests = [str(layer.digest) for layer in image.layers]
    for target in (f"oci:{tmp_path / 'lay'}:1.0", f"oci-archive:{tmp_path / 'oci.tar'}"):
        info = skopeo_inspect(target)
        assert info["Digest"] == str(image.digest)
        assert info["Layers"] == layer_digests
        assert run(tool("skopeo"), "inspect", "--raw", target).encode() == image.manifest_bytes
        assert run(tool("skopeo"), "inspect", "--config", "--raw", target).encode() == image.config_bytes
    archive = f"docker-archive:{tmp_path / 'docker.tar'}"
    info = skopeo_inspect(archive)
    assert info["Layers"] == [str(d) for d in image.diff_ids]  # docker-archive: skopeo shows diff_ids
    assert info["RepoTags"] == ["tricky:1.0"] or info["RepoTags"] == []
    assert run(tool("skopeo"), "inspect", "--config", "--raw", archive).encode() == image.config_bytes


@pytest.mark.parametrize("destination", ["docker-archive", "oci", "oci-archive"])
def test_skopeo_copy_there_and_back_keeps_the_image_id(tmp_path, destination):
    image = tricky_image()
    il.save(image, tmp_path / "lay", ref="tricky:1.0")
    skopeo = tool("skopeo")
    target = {
        "docker-archive": f"docker-archive:{tmp_path / 'out.tar'}:tricky:1.0",
        "oci": f"oci:{tmp_path / 'copy'}:1.0",
        "oci-archive": f"oci-archive:{tmp_path / 'out.tar'}:1.0",
    }[destination]
    run(skopeo, "copy", "-q", f"oci:{tmp_path / 'lay'}:1.0", target)
    copied = il.open(tmp_path / ("copy" if destination == "oci" else "out.tar"))
    assert copied.id == image.id
    assert tree_snapshot(copied.rootfs()) == tree_snapshot(image.rootfs())
    assert copied.diff_ids == image.diff_ids  # skopeo may compress layers; the tars stay the same
    run(skopeo, "copy", "-q", target, f"oci:{tmp_path / 'back'}:again")
    back = il.Store(tmp_path / "back")
    assert back.get(back.tags()[0]).id == image.id


def test_skopeo_reads_imagelibs_docker_archive_into_an_oci_layout(tmp_path):
    image = tricky_image()
    il.save(image, tmp_path / "d.tar", format="docker-archive", ref=["first:1", "second:2"])
    skopeo = tool("skopeo")
    run(skopeo, "copy", "-q", f"docker-archive:{tmp_path / 'd.tar'}:second:2", f"oci:{tmp_path / 'lay'}:x")
    assert il.open(tmp_path / "lay", ref="x").id == image.id


def test_a_tag_shared_by_two_repositories_is_addressed_by_full_name(tmp_path):
    store = il.Store(tmp_path / "lay")
    one, two, solo = simple_image("one\n"), simple_image("two\n"), simple_image("solo\n")
    store.put(one, "one:1.0")
    store.put(two, "example.com/team/two:1.0")
    store.put(solo, "solo:2.0")
    folder = tmp_path / "lay"
    assert skopeo_inspect(f"oci:{folder}:docker.io/library/one:1.0")["Digest"] == str(one.digest)
    assert skopeo_inspect(f"oci:{folder}:example.com/team/two:1.0")["Digest"] == str(two.digest)
    assert skopeo_inspect(f"oci:{folder}:2.0")["Digest"] == str(solo.digest)
    with pytest.raises(AssertionError, match="1.0"):
        skopeo_inspect(f"oci:{folder}:1.0")  # ambiguous: no entry pretends to be the one


@pytest.mark.parametrize("name", [n for n in READABLE_ARCHIVES if n != "ggcr-no_manifest.tar"])
def test_real_archives_read_the_same_as_skopeo_reads_them(name):
    path = real_image(name)
    choices = il.formats.list_images(path)
    for position, choice in enumerate(choices):
        image = choice.load()
        if choice.digest is not None and "hello-world" not in name:
            target = f"oci-archive:{path}"
            info = skopeo_inspect(target)
            assert info["Digest"] == str(image.digest)
            assert info["Layers"] == [str(layer.digest) for layer in image.layers]
        else:
            suffix = f":@{position}" if len(choices) > 1 else ""  # manifest.json order
            target = f"docker-archive:{path}{suffix}"
            info = skopeo_inspect(target)
            assert info["Layers"] == [str(d) for d in image.diff_ids]
        config = run(tool("skopeo"), "inspect", "--config", "--raw", target).encode()
        assert config == image.config_bytes
        assert json.loads(config)["architecture"] == image.architecture
