import hashlib
import json

import pytest

import imagelib as il


def base():
    return il.Image.scratch().add_layer(
        il.Layer.from_files({"etc/os-release": "ID=demo\n"}, created_by="ADD rootfs.tar /")
    )


def test_image_id_and_digest_are_hashes_of_exact_bytes():
    image = base().with_config(cmd=["sh"])
    assert str(image.id) == "sha256:" + hashlib.sha256(image.config_bytes).hexdigest()
    assert str(image.digest) == "sha256:" + hashlib.sha256(image.manifest_bytes).hexdigest()
    manifest = json.loads(image.manifest_bytes)
    assert manifest["config"] == {
        "mediaType": "application/vnd.oci.image.config.v1+json",
        "digest": str(image.id),
        "size": len(image.config_bytes),
    }


def test_diff_ids_descriptors_and_history_agree():
    image = (
        base()
        .with_config(env={"A": "1"}, created_by="ENV A=1")
        .add_layer(il.Layer.from_files({"app/x": "1"}), created_by="COPY x /app/")
        .with_config(cmd=["run"], created_by='CMD ["run"]')
    )
    config = json.loads(image.config_bytes)
    manifest = json.loads(image.manifest_bytes)
    assert config["rootfs"]["diff_ids"] == [str(layer.diff_id) for layer in image.layers]
    assert [d["digest"] for d in manifest["layers"]] == [str(layer.digest) for layer in image.layers]
    assert [d["size"] for d in manifest["layers"]] == [layer.size for layer in image.layers]
    steps = [h for h in config["history"] if not h.get("empty_layer")]
    assert len(steps) == len(image.layers)
    assert [h.get("empty_layer", False) for h in config["history"]] == [False, True, False, True]
    assert [h.created_by for h in image.history] == ["ADD rootfs.tar /", "ENV A=1", "COPY x /app/", 'CMD ["run"]']


def test_chain_ids_follow_the_oci_rule():
    image = base().add_layer(il.Layer.from_files({"b": "2"})).add_layer(il.Layer.from_files({"c": "3"}))
    d = [str(x) for x in image.diff_ids]
    first = d[0]
    second = "sha256:" + hashlib.sha256(f"{first} {d[1]}".encode()).hexdigest()
    third = "sha256:" + hashlib.sha256(f"{second} {d[2]}".encode()).hexdigest()
    assert [str(c) for c in image.chain_ids] == [first, second, third]


def test_with_config_merges_env_and_replaces_commands():
    image = base().with_config(
        env={"A": "1", "B": "2"}, cmd=["node", "app.js"], workdir="/app", exposed_ports=[80], labels={"team": "edu"}
    )
    image = image.with_config(env={"B": "3", "A": None}, entrypoint=["tini", "--"])
    config = image.config
    assert config.env_dict == {"B": "3"}
    assert config.cmd == ("node", "app.js") and config.entrypoint == ("tini", "--")
    assert config.exposed_ports == ("80/tcp",) and dict(config.labels) == {"team": "edu"}
    doc = json.loads(image.config_bytes)["config"]
    assert doc["ExposedPorts"] == {"80/tcp": {}} and doc["WorkingDir"] == "/app"


def test_with_config_reads_a_shell_command_and_keeps_unset_settings():
    image = base().with_config(cmd="echo hi", workdir="/app", user="app", stop_signal="SIGQUIT")
    image = image.with_config(env={"A": "1"})
    config = image.config
    assert config.cmd == ("/bin/sh", "-c", "echo hi") and config.entrypoint is None
    assert (config.workdir, config.user, config.stop_signal) == ("/app", "app", "SIGQUIT")


def test_with_config_lists_a_port_once_as_the_json_object_does():
    image = base().with_config(exposed_ports=[80, "80/tcp", "53/udp"], volumes=["/data", "/data"])
    assert image.config.exposed_ports == ("80/tcp", "53/udp")
    assert image.config.summary()["ExposedPorts (포트)"] == "80/tcp 53/udp"
    assert image.config.volumes == ("/data",)
    reread = il.Image.from_parts(image.manifest_bytes, image.config_bytes, image.layers)
    assert reread.config == image.config


def test_none_clears_a_text_setting_to_the_config_it_reads_back_as():
    image = base().with_config(cmd=["sh"])
    cleared = image.with_config(user="app", workdir="/app").with_config(user=None, workdir=None)
    assert (cleared.config.user, cleared.config.workdir) == ("", "")
    assert cleared.config == image.config
    assert cleared.config_bytes == image.config_bytes


def test_images_are_immutable_values():
    image = base()
    bigger = image.add_layer(il.Layer.from_files({"x": "1"}))
    assert len(image.layers) == 1 and len(bigger.layers) == 2
    assert image.with_config(cmd=["a"]).config.cmd == ("a",) and image.config.cmd is None
    with pytest.raises(il.ReadOnlyError):
        image.write("x", "y")
    with pytest.raises(il.ReadOnlyError):
        image.created = "now"
    with pytest.raises(TypeError):
        image.config.labels["x"] = "y"


def test_config_created_is_fixed_and_source_date_epoch_is_honoured(monkeypatch):
    assert json.loads(base().config_bytes)["created"] == "1970-01-01T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    image = base()
    assert json.loads(image.config_bytes)["created"] == "2023-11-14T22:13:20Z"
    with_epoch = image.layers[0].digest
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert il.Layer.from_files({"etc/os-release": "ID=demo\n"}).digest != with_epoch


def test_from_parts_keeps_bytes_and_verifies():
    image = base().with_config(cmd=["sh"])
    again = il.Image.from_parts(image.manifest_bytes, image.config_bytes, list(image.layers))
    assert again.id == image.id and again.digest == image.digest
    assert again.layers[0].created_by == "ADD rootfs.tar /"
    other = il.Layer.from_files({"evil": "x"})
    with pytest.raises(il.DigestMismatchError):
        il.Image.from_parts(image.manifest_bytes, image.config_bytes, [other])
    with pytest.raises(il.DigestMismatchError):
        il.Image.from_parts(image.manifest_bytes, image.config_bytes.replace(b"sh", b"zz"), list(image.layers))
    with pytest.raises(il.ImageFormatError):
        il.Image.from_parts(b"not json", image.config_bytes, list(image.layers))


def test_unknown_config_fields_survive_a_new_layer():
    image = base()
    doc = json.loads(image.config_bytes)
    doc["config"]["Healthcheck"] = {"Test": ["CMD", "true"]}
    doc["docker_version"] = "25.0.0"
    config_bytes = json.dumps(doc).encode()
    manifest = json.loads(image.manifest_bytes)
    manifest["config"]["digest"] = str(il.Digest.of_bytes(config_bytes))
    manifest["config"]["size"] = len(config_bytes)
    read = il.Image.from_parts(json.dumps(manifest).encode(), config_bytes, list(image.layers))
    grown = json.loads(read.add_layer(il.Layer.from_files({"x": "1"})).config_bytes)
    assert grown["docker_version"] == "25.0.0"
    assert grown["config"]["Healthcheck"] == {"Test": ["CMD", "true"]}


def test_rich_display_in_korean():
    image = base().with_config(cmd=["sh"])
    html = image._repr_html_()
    assert "레이어" in html and image.id.short in html
    assert "레이어" in image.layers[0]._repr_html_()
    assert "레지스트리" in il.parse_reference("nginx")._repr_html_()
