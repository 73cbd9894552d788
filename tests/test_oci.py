"""The OCI model: media types, Platform, Descriptor, Manifest and Index read once and strictly."""

from __future__ import annotations

import json

import pytest

import imagelib as il
from imagelib import oci
from imagelib.errors import ImageFormatError, UnsupportedError

HEX = "a" * 64
DIGEST = f"sha256:{HEX}"


def descriptor_doc(**changes):
    doc = {"mediaType": oci.OCI_LAYER, "digest": DIGEST, "size": 3}
    doc.update(changes)
    return doc


def manifest_bytes(**changes) -> bytes:
    doc = {
        "schemaVersion": 2,
        "mediaType": oci.OCI_MANIFEST,
        "config": descriptor_doc(mediaType=oci.OCI_CONFIG),
        "layers": [descriptor_doc()],
    }
    doc.update(changes)
    return json.dumps(doc).encode()


def test_media_type_helpers_sort_the_known_types():
    assert oci.is_manifest(oci.OCI_MANIFEST) and oci.is_manifest(oci.DOCKER_MANIFEST)
    assert oci.is_index(oci.OCI_INDEX) and oci.is_index(oci.DOCKER_MANIFEST_LIST)
    assert oci.is_layer(oci.OCI_LAYER_GZIP) and oci.is_layer(oci.DOCKER_LAYER)
    assert oci.is_config(oci.DOCKER_CONFIG)
    assert not oci.is_manifest(oci.OCI_INDEX) and not oci.is_index(oci.OCI_MANIFEST)
    assert not oci.is_layer(oci.OCI_CONFIG)
    assert oci.is_foreign_layer(oci.DOCKER_FOREIGN_LAYER_GZIP)


@pytest.mark.parametrize(
    ("have", "wanted", "same"),
    [
        ("linux/amd64", "linux/amd64", True),
        ("linux/x86_64", "linux/amd64", True),
        ("linux/arm64/v8", "linux/arm64", True),
        ("linux/aarch64", "linux/arm64", True),
        ("linux/arm", "linux/arm/v7", True),
        ("linux/arm/v6", "linux/arm", False),
        ("linux/arm64", "linux/amd64", False),
        ("windows/amd64", "linux/amd64", False),
    ],
)
def test_platforms_match_like_containerd_normalizes_them(have, wanted, same):
    assert oci.Platform.parse(have).matches(wanted) is same


def test_platform_text_round_trips_and_bad_text_is_refused():
    assert str(oci.Platform.parse("linux/arm/v7")) == "linux/arm/v7"
    assert str(oci.DEFAULT_PLATFORM) == "linux/amd64"
    for bad in ("", "linux//v7", "a/b/c/d"):
        with pytest.raises(UnsupportedError):
            oci.Platform.parse(bad)


def test_descriptor_keeps_unknown_fields_and_writes_them_back():
    doc = descriptor_doc(
        annotations={"k": "v"},
        artifactType="application/x",
        urls=["https://x"],
        platform={"architecture": "arm64", "os": "linux", "variant": "v8"},
    )
    descriptor = oci.Descriptor.from_json(doc, "t")
    assert descriptor.platform == oci.Platform("linux", "arm64", "v8")
    assert descriptor.to_json() == doc
    with pytest.raises(TypeError):
        descriptor.annotations["k"] = "w"  # frozen


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"digest": 5}, "digest"),
        ({"digest": "sha256:xyz"}, "t"),
        ({"size": -1}, "size"),
        ({"size": True}, "size"),
        ({"size": 1.5}, "size"),
        ({"size": None}, "size"),
        ({"mediaType": 7}, "mediaType"),
        ({"annotations": []}, "annotations"),
        ({"urls": [1]}, "urls[0]"),
        ({"platform": {"os": "linux", "architecture": 1}}, "architecture"),
    ],
)
def test_descriptor_fields_of_the_wrong_type_are_named(changes, field):
    with pytest.raises(ImageFormatError, match=field.replace("[", r"\[").replace("]", r"\]")):
        oci.Descriptor.from_json(descriptor_doc(**changes), "t")


def test_manifest_keeps_its_exact_bytes_and_their_digest():
    data = manifest_bytes(annotations={"a": "b"})
    manifest = oci.Manifest.parse(data, "m")
    assert manifest.data == data and manifest.digest == il.Digest.of_bytes(data)
    assert manifest.config.media_type == oci.OCI_CONFIG and len(manifest.layers) == 1
    assert dict(manifest.annotations) == {"a": "b"}
    assert manifest.descriptor == oci.Descriptor(oci.OCI_MANIFEST, manifest.digest, len(data))


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"schemaVersion": 1}, UnsupportedError, "schema 1"),
        ({"schemaVersion": "2"}, ImageFormatError, "schemaVersion"),
        ({"layers": {"0": {}}}, ImageFormatError, "layers"),
        ({"layers": [5]}, ImageFormatError, r"layers\[0\]"),
        ({"config": None}, ImageFormatError, "config"),
        ({"manifests": []}, ImageFormatError, "인덱스"),
        ({"mediaType": oci.OCI_INDEX}, ImageFormatError, "인덱스"),
        ({"mediaType": "application/x-other"}, UnsupportedError, "application/x-other"),
        ({"annotations": {"a": 1}}, ImageFormatError, "annotations"),
    ],
)
def test_manifests_of_unknown_shape_are_refused_naming_the_field(changes, error, field):
    with pytest.raises(error, match=field):
        oci.Manifest.parse(manifest_bytes(**changes), "m")


@pytest.mark.parametrize(
    "data",
    [b"[1]", b"{", b"\xff\xfe{}", b'{"schemaVersion": NaN}', b"[" * 100_000 + b"]" * 100_000, "\ufeff{}".encode()],
)
def test_malformed_json_is_an_image_format_error(data):
    with pytest.raises(ImageFormatError):
        oci.Manifest.parse(data, "m")


def test_layers_null_reads_as_none_the_way_go_reads_it():
    assert oci.Manifest.parse(manifest_bytes(layers=None), "m").layers == ()


def test_index_parses_entries_and_leaves_attestations_out_of_images():
    attestation = descriptor_doc(
        mediaType=oci.OCI_MANIFEST,
        digest=f"sha256:{'b' * 64}",
        annotations={"vnd.docker.reference.type": "attestation-manifest"},
        platform={"architecture": "unknown", "os": "unknown"},
    )
    doc = {
        "schemaVersion": 2,
        "mediaType": oci.OCI_INDEX,
        "manifests": [
            descriptor_doc(mediaType=oci.OCI_MANIFEST, platform={"architecture": "amd64", "os": "linux"}),
            attestation,
        ],
    }
    index = oci.Index.parse(json.dumps(doc).encode(), "i")
    assert len(index.manifests) == 2 and [str(m.platform) for m in index.images()] == ["linux/amd64"]
    with pytest.raises(ImageFormatError, match=r"manifests\[1\]"):
        oci.Index.parse(json.dumps(dict(doc, manifests=[doc["manifests"][0], "x"])).encode(), "i")
    assert oci.Index.parse(b'{"schemaVersion": 2, "manifests": null}', "i").manifests == ()


def test_parse_document_tells_manifests_from_indexes():
    assert isinstance(oci.parse_document(manifest_bytes(), "d"), oci.Manifest)
    index = json.dumps({"schemaVersion": 2, "manifests": []}).encode()
    assert oci.parse_document(index, "d").is_index
    no_type = json.loads(manifest_bytes())
    del no_type["mediaType"]
    parsed = oci.parse_document(json.dumps(no_type).encode(), "d", oci.DOCKER_MANIFEST)
    assert isinstance(parsed, oci.Manifest)


def test_built_documents_read_back_to_the_same_bytes():
    config = oci.Descriptor(oci.OCI_CONFIG, il.Digest.parse(DIGEST), 3)
    manifest = oci.Manifest.build(config, [oci.Descriptor(oci.OCI_LAYER, il.Digest.parse(DIGEST), 3)])
    assert oci.Manifest.parse(manifest.data, "m") == manifest
    index = oci.Index.build([manifest.descriptor.with_changes(platform=oci.Platform("linux", "arm64"))])
    again = oci.Index.parse(index.data, "i")
    assert again.data == index.data and again.manifests[0].platform == oci.Platform("linux", "arm64")


def test_an_image_hashes_its_manifest_and_config_once(monkeypatch):
    img = il.Image.scratch().add_layer(il.Layer.from_files({"a": "1"}))
    first = (img.digest, img.id)
    calls = []
    original = il.Digest.of_bytes.__func__
    monkeypatch.setattr(il.Digest, "of_bytes", classmethod(lambda cls, data: calls.append(1) or original(cls, data)))
    assert (img.digest, img.id) == first and img.manifest.digest == first[0]
    assert calls == []


def _count_parses(monkeypatch):
    parsed = []
    original = oci.Manifest.parse.__func__

    def counting(cls, data, where, digest=None):
        manifest = original(cls, data, where, digest)
        parsed.append(manifest.digest)
        return manifest

    monkeypatch.setattr(oci.Manifest, "parse", classmethod(counting))
    return parsed


@pytest.mark.parametrize("format", ["oci", "oci-archive", "docker-archive"])
def test_each_reader_parses_a_manifest_once(tmp_path, monkeypatch, format):
    img = il.Image.scratch().add_layer(il.Layer.from_files({"a": "1"})).with_config(cmd=["sh"])
    target = tmp_path / ("image" if format == "oci" else "image.tar")
    il.save(img, target, format=format, ref="demo:1")
    parsed = _count_parses(monkeypatch)
    assert il.open(target).digest == img.digest
    assert parsed.count(img.digest) == 1


def test_a_store_parses_a_manifest_once(tmp_path, monkeypatch):
    img = il.Image.scratch().add_layer(il.Layer.from_files({"a": "1"}))
    il.Store(tmp_path / "s").put(img, "demo:1")
    store = il.Store(tmp_path / "s")
    parsed = _count_parses(monkeypatch)
    assert store.get("demo:1").digest == img.digest
    assert parsed.count(img.digest) == 1


def test_push_describes_blobs_with_the_manifest_descriptors():
    layer = il.Layer.from_files({"a": "1"})
    img = il.Image.scratch().add_layer(layer).add_layer(layer)
    blobs = img.blobs()
    assert [d for d, _ in blobs] == [img.manifest.config, img.manifest.layers[0]]
    assert blobs[1][1]().read() == layer.open_blob().read()
