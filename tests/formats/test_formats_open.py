"""il.open: docker save archives of every generation, OCI layouts and archives, real and crafted."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import posixpath
import tarfile

import pytest
from formats_helpers import READABLE_ARCHIVES, real_image, simple_image, tree_snapshot, tricky_image

import imagelib as il
from imagelib.store import layout

# -- an independent, in-memory reading of small archives (the oracle for real images) ----------


def _member_bytes(tar: tarfile.TarFile, name: str) -> bytes:
    # tarfile follows symlinks and hard links between members by itself
    return tar.extractfile(posixpath.normpath(name)).read()


def _expected_images(path) -> "list[dict]":
    """Config bytes and layer blobs of every image, read with tarfile and json only."""
    with tarfile.open(path) as tar:
        names = {posixpath.normpath(m.name) for m in tar.getmembers()}
        index = json.loads(_member_bytes(tar, "index.json")) if "index.json" in names else {}
        images = []
        if index.get("manifests"):
            for entry in index["manifests"]:
                manifest = json.loads(_member_bytes(tar, "blobs/sha256/" + entry["digest"][7:]))
                images.append(
                    {
                        "digest": entry["digest"],
                        "config": _member_bytes(tar, "blobs/sha256/" + manifest["config"]["digest"][7:]),
                        "layers": [_member_bytes(tar, "blobs/sha256/" + d["digest"][7:]) for d in manifest["layers"]],
                    }
                )
        else:
            for item in json.loads(_member_bytes(tar, "manifest.json")):
                images.append(
                    {
                        "digest": None,
                        "config": _member_bytes(tar, item["Config"]),
                        "layers": [_member_bytes(tar, name) for name in item["Layers"]],
                    }
                )
    return images


def _diff_id(blob: bytes) -> str:
    if blob[:2] == b"\x1f\x8b":
        blob = gzip.decompress(blob)
    elif blob[:4] == b"\x28\xb5\x2f\xfd":
        import zstandard

        blob = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(blob)).read()
    return "sha256:" + hashlib.sha256(blob).hexdigest()


@pytest.mark.parametrize("name", [n for n in READABLE_ARCHIVES if n != "ggcr-no_manifest.tar"])
def test_every_real_archive_opens_with_the_layers_and_digests_its_files_state(name):
    path = real_image(name)
    expected = _expected_images(path)
    choices = il.formats.list_images(path)
    assert len(choices) == len(expected)
    for choice, wanted in zip(choices, expected, strict=True):
        image = choice.load()
        assert image.config_bytes == wanted["config"]
        assert image.id == "sha256:" + hashlib.sha256(wanted["config"]).hexdigest()
        if wanted["digest"] is not None:
            assert image.digest == wanted["digest"]
        assert [str(layer.digest) for layer in image.layers] == [
            "sha256:" + hashlib.sha256(blob).hexdigest() for blob in wanted["layers"]
        ]
        assert [str(d) for d in image.diff_ids] == [_diff_id(blob) for blob in wanted["layers"]]
        assert [str(d) for d in image.diff_ids] == json.loads(wanted["config"])["rootfs"]["diff_ids"]
        image.rootfs()  # the union view builds


def test_docker_25_archive_keeps_dockers_own_manifest(tmp_path):
    path = real_image("ggcr-hello-world-v25.tar")
    image = il.open(path)
    with tarfile.open(path) as tar:
        manifests = [
            m.name
            for m in tar.getmembers()
            if m.isfile() and m.name.startswith("blobs/") and b'"schemaVersion":2' in tar.extractfile(m).read()
        ]
    assert [posixpath.basename(m) for m in manifests] == [image.digest.hex]
    assert image.platform == "linux/arm64"
    assert [h.created_by for h in image.history] == ["COPY hello / # buildkit", 'CMD ["/hello"]']
    assert image.rootfs().read_bytes("hello")[:4] == b"\x7fELF"


def test_a_null_manifest_is_refused_clearly():
    with pytest.raises(il.ImageFormatError, match=r"ggcr-null_manifest\.tar.*manifest\.json.*null"):
        il.open(real_image("ggcr-null_manifest.tar"))


def test_several_images_choose_by_reference():
    path = real_image("ggcr-test_bundle.tar")
    with pytest.raises(il.errors.AmbiguousImageError) as info:
        il.open(path)
    message = str(info.value)
    assert "test_image_1:latest" in message and "test_image_2:latest" in message and "ref=" in message
    first = il.open(path, ref="test_image_1")
    assert first.id.hex.startswith("6e0b05049ed9")
    assert il.open(path, ref="docker.io/library/test_image_2:latest").id.hex.startswith("930705ce23e3")
    assert il.open(path, ref=str(first.id)) == first
    with pytest.raises(il.TagNotFoundError, match="test_image_1:latest"):
        il.open(path, ref="nope:1")


def test_a_symlinked_layer_tar_reads_as_its_target():
    path = real_image("ggcr-test_link.tar")
    first = il.open(path, ref="bazel/v1/tarball:test_image_1")
    third = il.open(path, ref="bazel/v1/tarball:test_image_3")
    assert third.layers[0].digest == first.layers[0].digest
    assert third.rootfs().read_text("test") == "hello\n"
    assert third.rootfs().read_text("foo") == "foo\n"


def test_whiteouts_and_overwrites_of_real_images():
    deleted = il.open(real_image("ggcr-whiteout_image.tar"))
    assert deleted.layers[0].paths == ["bar.txt", "foo.txt"] and deleted.layers[1].deleted == ["foo.txt"]
    assert list(deleted.rootfs()) == ["bar.txt"]
    folder = il.open(real_image("ggcr-whiteout_dir.tar"))
    assert [layer.compression for layer in folder.layers] == ["gzip"] * 4
    assert list(folder.rootfs()) == ["a", "a/baz", "b", "b/bar"]
    overwritten = il.open(real_image("ggcr-overwritten_file.tar")).rootfs()
    assert overwritten.entry("foo.txt").kind == "symlink" and overwritten.read_text("foo.txt") == "bar\n"


def test_the_oldest_docker_save_form_is_rebuilt_like_docker_load():
    image = il.open(real_image("ggcr-no_manifest.tar"))
    config = json.loads(image.config_bytes)
    assert list(config) == sorted(config)  # Docker writes the rebuilt config with sorted keys
    assert config["rootfs"] == {"type": "layers", "diff_ids": [str(image.layers[0].diff_id)]}
    assert config["history"] == [{"created": "1970-01-01T00:00:00Z"}]
    assert "id" not in config and image.platform == "linux/amd64"
    assert image.rootfs().read_text("foo/baz") == "bat\n"
    assert [c.names for c in il.formats.list_images(real_image("ggcr-no_manifest.tar"))] == [
        ("bazel/v1/tarball:test_image",)
    ]


def test_layers_in_every_compression_give_the_same_files():
    trees = {}
    for kind in ("uncompressed", "gzip", "zstd", "estargz"):
        image = il.open(real_image(f"dive-test-oci-{kind}-image.tar"))
        trees[kind] = image
    assert [layer.compression for layer in trees["zstd"].layers] == ["zstd"]
    assert [layer.compression for layer in trees["estargz"].layers] == ["gzip"]
    assert trees["uncompressed"].id == trees["gzip"].id == trees["zstd"].id
    readme = trees["uncompressed"].rootfs().read_bytes("README.md")
    assert all(t.rootfs().read_bytes("README.md") == readme for t in trees.values())


def test_a_gzipped_docker_save_opens(tmp_path):
    source = real_image("dive-test-docker-image.tar")
    packed = tmp_path / "image.tar.gz"
    packed.write_bytes(gzip.compress(source.read_bytes(), mtime=0))
    assert il.open(packed).digest == il.open(source).digest


# -- crafted archives -----------------------------------------------------------------------------


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def test_diff_ids_are_checked_against_the_config(tmp_path):
    image = simple_image()
    config = json.loads(image.config_bytes)
    config["rootfs"]["diff_ids"] = ["sha256:" + "0" * 64]
    config_bytes = json.dumps(config).encode()
    path = tmp_path / "bad.tar"
    with tarfile.open(path, "w") as tar:
        _add(tar, "config.json", config_bytes)
        _add(tar, "layer.tar", image.layers[0].blob_bytes())
        _add(
            tar,
            "manifest.json",
            json.dumps([{"Config": "config.json", "RepoTags": ["bad:1"], "Layers": ["layer.tar"]}]).encode(),
        )
    with pytest.raises(il.DigestMismatchError, match="diff_id"):
        il.open(path)


def _multi_platform_layout(tmp_path, platforms: "list[tuple[str, str]]", attestation: bool = False):
    store = il.Store(tmp_path / "multi")
    entries = []
    for os_, arch in platforms:
        image = simple_image(f"{os_}/{arch}\n").with_platform(arch, os_)
        store.put(image)
        entries.append(
            {
                "mediaType": image.manifest_media_type,
                "digest": str(image.digest),
                "size": len(image.manifest_bytes),
                "platform": {"architecture": arch, "os": os_},
            }
        )
    if attestation:
        entries.append(
            {
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": entries[0]["digest"],
                "size": entries[0]["size"],
                "platform": {"architecture": "unknown", "os": "unknown"},
                "annotations": {"vnd.docker.reference.type": "attestation-manifest"},
            }
        )
    index = json.dumps(
        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries}
    ).encode()
    digest = il.Digest.of_bytes(index)
    (tmp_path / "multi" / "blobs" / "sha256" / digest.hex).write_bytes(index)
    (tmp_path / "multi" / "index.json").write_text(
        json.dumps(
            {
                "schemaVersion": 2,
                "manifests": [
                    {
                        "mediaType": "application/vnd.oci.image.index.v1+json",
                        "digest": str(digest),
                        "size": len(index),
                        "annotations": {layout.REF_NAME: "multi"},
                    }
                ],
            }
        )
    )
    return tmp_path / "multi"


def _text(image: il.Image) -> str:
    return image.rootfs().read_text("app/hello.txt")


def test_image_index_defaults_to_linux_amd64_and_chooses_by_platform(tmp_path):
    folder = _multi_platform_layout(tmp_path, [("linux", "arm64"), ("linux", "amd64")], attestation=True)
    assert _text(il.open(folder)) == "linux/amd64\n"
    assert _text(il.open(folder, platform="linux/arm64")) == "linux/arm64\n"
    assert _text(il.open(folder, ref="multi", platform="linux/arm64/v8")) == "linux/arm64\n"
    assert len(il.formats.list_images(folder)) == 2  # the attestation is not an image
    with pytest.raises(il.TagNotFoundError, match="linux/s390x"):
        il.open(folder, platform="linux/s390x")


def test_image_index_without_amd64(tmp_path):
    only = _multi_platform_layout(tmp_path / "one", [("linux", "arm64")])
    assert _text(il.open(only)) == "linux/arm64\n"
    both = _multi_platform_layout(tmp_path / "two", [("linux", "arm64"), ("linux", "s390x")])
    with pytest.raises(il.errors.AmbiguousImageError, match="linux/arm64.*linux/s390x.*platform="):
        il.open(both)


@pytest.mark.parametrize("format", ["oci", "oci-archive", "docker-archive"])
def test_what_imagelib_saves_opens_to_the_same_image(tmp_path, format):
    image = tricky_image()
    path = tmp_path / ("out" if format == "oci" else "out.tar")
    il.save(image, path, format=format, ref="tricky:1")
    opened = il.open(path)
    assert opened.digest == image.digest and opened.manifest_bytes == image.manifest_bytes
    assert tree_snapshot(opened.rootfs()) == tree_snapshot(image.rootfs())
    assert [c.names for c in il.formats.list_images(path)] == [("tricky:1",)]
    assert il.open(path, ref="tricky:1") == image and il.open(path, ref="1") == image


def test_a_changed_byte_in_an_archive_names_the_blob(tmp_path):
    image = tricky_image()
    path = tmp_path / "image.tar"
    il.save(image, path, format="oci-archive")
    victim = image.layers[1].digest
    with tarfile.open(path) as tar:
        offset = tar.getmember(f"blobs/sha256/{victim.hex}").offset_data
    data = bytearray(path.read_bytes())
    data[offset + 700] ^= 0x20
    path.write_bytes(bytes(data))
    with pytest.raises(il.DigestMismatchError, match=victim.hex):
        il.open(path)


def test_a_truncated_archive_is_refused_naming_the_member(tmp_path):
    image = tricky_image()
    path = tmp_path / "image.tar"
    il.save(image, path, format="docker-archive")
    biggest = max(image.layers, key=lambda layer: layer.size).digest
    with tarfile.open(path) as tar:
        member = tar.getmember(f"blobs/sha256/{biggest.hex}")
    path.write_bytes(path.read_bytes()[: member.offset_data + member.size // 2])
    with pytest.raises(il.ImageFormatError, match=f"잘렸습니다.*{biggest.hex}"):
        il.open(path)


def test_a_truncated_blob_in_a_layout_folder_names_the_blob(tmp_path):
    image = tricky_image()
    il.save(image, tmp_path / "lay")
    victim = image.layers[0].digest
    blob = tmp_path / "lay" / "blobs" / "sha256" / victim.hex
    blob.write_bytes(blob.read_bytes()[:-1024])
    with pytest.raises(il.DigestMismatchError, match=f"{victim.hex}.*크기"):
        il.open(tmp_path / "lay")


def test_a_changed_config_is_refused(tmp_path):
    image = simple_image()
    il.save(image, tmp_path / "lay")
    config = tmp_path / "lay" / "blobs" / "sha256" / image.id.hex
    config.write_bytes(config.read_bytes().replace(b"hello.txt", b"HELLO.txt"))
    with pytest.raises(il.DigestMismatchError, match=image.id.hex):
        il.open(tmp_path / "lay")


def test_things_that_are_not_images(tmp_path):
    with pytest.raises(il.PathNotFoundError):
        il.open(tmp_path / "missing.tar")
    plain = tmp_path / "plain.tar"
    with tarfile.open(plain, "w") as tar:
        _add(tar, "hello.txt", b"hi")
    with pytest.raises(il.ImageFormatError, match="plain.tar"):
        il.open(plain)
    (tmp_path / "junk.tar").write_bytes(b"not a tar at all" * 100)
    with pytest.raises(il.ImageFormatError, match="junk.tar"):
        il.open(tmp_path / "junk.tar")
    escape = tmp_path / "escape.tar"
    with tarfile.open(escape, "w") as tar:
        link = tarfile.TarInfo("layer.tar")
        link.type, link.linkname = tarfile.SYMTYPE, "../../../../etc/passwd"
        tar.addfile(link)
        _add(tar, "config.json", simple_image().config_bytes)
        _add(tar, "manifest.json", json.dumps([{"Config": "config.json", "Layers": ["layer.tar"]}]).encode())
    with pytest.raises(il.ImageFormatError, match="layer.tar"):
        il.open(escape)
