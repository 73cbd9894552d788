"""node:14 and debian:buster in the catalog: their dpkg records are repo-info's, layer by layer.

The expected package lists are the ones ``imagelib/catalog/node14.py`` copied from the Docker
official images' repo-info records (debian:buster, buildpack-deps:buster-curl, -scm and the full
buster image); the tests check that the images carry them and that the SBOM reads them back with
the layer that wrote each record.
"""

import json

import pytest

import imagelib as il
from imagelib import catalog
from imagelib.catalog import node14

# node:14's layers: debian:buster, then buildpack-deps' curl, gnupg, scm and full RUN lines
LAYER_OF = {"debian": 0, "curl": 1, "gnupg": 2, "scm": 3, "full": 4}


def deb_packages(name):
    return [p for p in il.sbom(catalog.get(name)).packages if p.ecosystem == "deb"]


def test_the_lists_are_the_records_sizes():
    sizes = [len(layer) for layer in node14.LAYERS]
    assert sizes == [91, 21, 18, 37, 247]
    assert len(node14.installed(*node14.LAYERS)) == 413  # buster.md: one record (libtasn1-6) upgraded
    for packages in node14.LAYERS:
        assert len({(name, arch) for name, _, arch, _ in packages}) == len(packages)
        assert {arch for _, _, arch, _ in packages} <= {"amd64", "all"}


def test_debian_buster_lists_its_91_packages_in_its_only_layer():
    packages = deb_packages("debian:buster")
    assert len(packages) == 91 and {p.layer_index for p in packages} == {0}
    versions = {p.name: p.version for p in packages}
    assert versions["bash"] == "5.0-4" and versions["libc6"] == "2.28-10+deb10u2"
    assert versions["base-files"] == "10.3+deb10u13"
    assert "curl" not in versions and "git" not in versions


def test_node14_attributes_each_package_to_the_run_line_that_installed_it():
    packages = deb_packages("node:14")
    assert len(packages) == 413
    layer_of = {p.name: p.layer_index for p in packages}
    expected = {}
    for index, added in enumerate(node14.LAYERS):
        expected.update({name: index for name, _, _, _ in added})
    assert layer_of == expected
    assert [layer_of[name] for name in ("libc6", "curl", "gnupg", "git", "gcc")] == [
        LAYER_OF[layer] for layer in ("debian", "curl", "gnupg", "scm", "full")
    ]
    counts = {index: sum(1 for p in packages if p.layer_index == index) for index in range(5)}
    assert counts == {0: 90, 1: 21, 2: 18, 3: 37, 4: 247}


def test_an_upgraded_record_belongs_to_the_layer_that_upgraded_it():
    packages = {p.name: p for p in deb_packages("node:14")}
    assert packages["libtasn1-6"].version == "4.13-3+deb10u1" and packages["libtasn1-6"].layer_index == 4
    base = {p.name: p for p in deb_packages("debian:buster")}
    assert base["libtasn1-6"].version == "4.13-3"


def test_each_buildpack_layer_writes_the_whole_database():
    image = catalog.get("node:14")
    assert image.layers[0] == catalog.get("debian:buster").layers[0]
    running = []
    for index in range(len(node14.LAYERS)):
        running = node14.installed(*node14.LAYERS[: index + 1])
        status = [e for e in image.layers[index].entries if e.path == "var/lib/dpkg/status"]
        assert len(status) == 1, index
        text = status[0].read().decode("utf-8")
        assert text.count("Status: install ok installed\n") == len(running)
    assert running[-1][0] == "zlib1g-dev"


def test_sizes_stay_the_published_ones():
    for name in ("debian:buster", "node:14"):
        info = catalog.info(name)
        assert abs(il.modeled_size(catalog.get(name)) - info.published_size) < 10_000, name


def test_buster_entries_name_their_sources():
    assert any("10.13.md" in s for s in catalog.info("debian:buster").sources)
    assert any("buster-scm.md" in s for s in catalog.info("node:14").sources)


def test_spdx_and_cyclonedx_of_node14_validate(tmp_path):
    parse = pytest.importorskip("spdx_tools.spdx.parser.parse_anything")
    validator = pytest.importorskip("spdx_tools.spdx.validation.document_validator")
    validation = pytest.importorskip("cyclonedx.validation.json")
    schema = pytest.importorskip("cyclonedx.schema")
    sbom = il.sbom(catalog.get("node:14"))
    path = tmp_path / "node14.spdx.json"
    path.write_bytes(sbom.to_spdx())
    assert validator.validate_full_spdx_document(parse.parse_file(str(path))) == []
    data = sbom.to_cyclonedx().decode("utf-8")
    assert validation.JsonStrictValidator(schema.SchemaVersion.V1_5).validate_str(data) is None
    purls = {c["name"]: c["purl"] for c in json.loads(data)["components"]}
    assert purls["libc6"] == "pkg:deb/debian/libc6@2.28-10%2Bdeb10u2?arch=amd64"
    assert purls["git-man"].endswith("?arch=all")


def test_apt_get_install_on_buster_adds_to_the_real_database():
    image = il.build("FROM debian:buster\nRUN apt-get update && apt-get install -y curl\n").image
    packages = {p.name: p for p in il.sbom(image).packages}
    assert packages["curl"].layer_index == len(image.layers) - 1
    assert packages["bash"].layer_index == 0 and packages["bash"].version == "5.0-4"
    assert len(packages) > 91
