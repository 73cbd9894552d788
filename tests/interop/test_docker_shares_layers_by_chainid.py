"""Docker's local layer store (the classic store, overlay2 or vfs) keeps a layer once per ChainID,
the layer together with everything below it: a byte-identical layer on a different base is stored
again, while images on the same base share it; ``docker pull`` skips a layer ("Already exists") only
when that chain is already there. Notebook 03 says so and cites this file; the layer
database's folder names are the ChainIDs ``Image.chain_ids()`` computes.
"""

from __future__ import annotations

import re

import pytest
from formats_helpers import gzip_layers
from registry_server import FAST

import imagelib as il

pytestmark = pytest.mark.interop

# The real registry fixture (Debian's docker-registry) lives in tests/support/registry_server.py.
pytest_plugins = ["registry_server"]


def _os_layer(version: str) -> il.Layer:
    return il.Layer.from_files({"etc/os-release": f"VERSION_ID={version}\n"})


LIBRARY = il.Layer.from_files({"app/node_modules/express/index.js": "module.exports = 1;\n"})


def _layer_db(docker) -> "dict[str, str]":
    """ChainID -> diff_id of every layer in the engine's layer database."""
    root = docker.home / "data" / "image" / docker.driver / "layerdb" / "sha256"
    return {f"sha256:{entry.name}": (entry / "diff").read_text().strip() for entry in root.iterdir()}


def test_docker_stores_a_layer_once_per_chain_not_once_per_content(docker, tmp_path):
    images = {
        "imagelib-chain-a:1": il.Image.scratch().add_layer(_os_layer("3.19")).add_layer(LIBRARY),
        "imagelib-chain-b:1": il.Image.scratch().add_layer(_os_layer("3.20")).add_layer(LIBRARY),
        "imagelib-chain-c:1": il.Image.scratch().add_layer(_os_layer("3.19")),
    }
    for tag, image in images.items():
        il.save(image, tmp_path / "image.tar", format="docker-archive", ref=tag)
        docker("load", "--input", str(tmp_path / "image.tar"))
    database = _layer_db(docker)

    chains = {str(chain) for image in images.values() for chain in image.chain_ids}
    assert chains <= set(database)  # the folder names are the ChainIDs imagelib computes
    library_chains = [chain for chain in chains if database[chain] == str(LIBRARY.diff_id)]
    assert len(library_chains) == 2  # the same bytes on two bases: two layers in the store
    base_chains = [chain for chain in chains if database[chain] == str(_os_layer("3.19").diff_id)]
    assert len(base_chains) == 1  # the same base under a and c: one layer, shared


def _pull_statuses(docker, reference: str) -> "dict[str, str]":
    """Short layer id -> the last status ``docker pull`` printed for it (Already exists, Pull complete)."""
    statuses = {}
    for line in docker("pull", reference).splitlines():
        found = re.match(r"^([0-9a-f]{12}): (Already exists|Pull complete)$", line)
        if found:
            statuses[found.group(1)] = found.group(2)
    return statuses


def test_docker_pull_skips_a_layer_only_when_its_chain_is_there(docker, local_registry):
    registry = il.Registry(local_registry.url, **FAST)
    # layers of their own: a layer another test loaded with docker load has no pull record to skip by
    library = il.Layer.from_files({"app/node_modules/marked/index.js": "module.exports = 2;\n"})
    first = gzip_layers(il.Image.scratch().add_layer(_os_layer("3.18")).add_layer(library))
    same_base = gzip_layers(
        il.Image.scratch().add_layer(_os_layer("3.18")).add_layer(il.Layer.from_files({"app/app.js": "1;\n"}))
    )
    other_base = gzip_layers(il.Image.scratch().add_layer(_os_layer("3.17")).add_layer(library))
    names = {}
    for name, image in (("first", first), ("same-base", same_base), ("other-base", other_base)):
        names[name] = f"{local_registry.host}/imagelib-chain/{name}:1"
        registry.push(image, names[name])
    _pull_statuses(docker, names["first"])

    on_same_base = _pull_statuses(docker, names["same-base"])
    assert on_same_base[same_base.layers[0].digest.short] == "Already exists"
    assert on_same_base[same_base.layers[1].digest.short] == "Pull complete"

    on_other_base = _pull_statuses(docker, names["other-base"])
    assert other_base.layers[1].digest == first.layers[1].digest  # the very same blob in the registry
    assert on_other_base[other_base.layers[1].digest.short] == "Pull complete"  # but another chain
