"""SPDX 2.3 and CycloneDX 1.5 output: valid for the formats' own Python libraries (spdx-tools,
cyclonedx-python-lib), purls the purl library reads back, and the same bytes for the same image."""

from __future__ import annotations

import json

import pytest
from test_sbom_records import APK_MUSL, APK_UTILS, DPKG_STATUS, image_of

import imagelib as il

FREE_TEXT_LICENSE = "MIT BSD GPL2+"  # older apk records hold text like this, not an SPDX expression


def mixed_image() -> il.Image:
    apk = APK_MUSL + "\n" + APK_UTILS + "\nP:busybox\nV:1.36.1-r15\nA:x86_64\nL:" + FREE_TEXT_LICENSE + "\n"
    return image_of(
        {"etc/os-release": "ID=alpine\n", "lib/apk/db/installed": apk},
        {"var/lib/dpkg/status": DPKG_STATUS},
        {
            "app/node_modules/@types/node/package.json": (
                '{"name": "@types/node", "version": "20.1.0", "license": "MIT"}'
            ),
            "app/node_modules/x/package.json": '{"name": "x", "version": "1.0.0", "license": "SEE LICENSE IN LICENSE"}',
            "usr/lib/python3/site-packages/Foo_Bar-1.0+local.dist-info/METADATA": (
                "Metadata-Version: 2.4\nName: Foo_Bar\nVersion: 1.0+local\nLicense-Expression: MIT OR Apache-2.0\n"
            ),
        },
    )


def test_spdx_document_is_valid_for_spdx_tools(tmp_path):
    parse = pytest.importorskip("spdx_tools.spdx.parser.parse_anything")
    validator = pytest.importorskip("spdx_tools.spdx.validation.document_validator")
    sbom = il.sbom(mixed_image())
    path = tmp_path / "sbom.spdx.json"
    path.write_bytes(sbom.to_spdx())
    document = parse.parse_file(str(path))
    assert validator.validate_full_spdx_document(document) == []
    described = {p.name: p for p in document.packages}
    assert len(document.packages) == len(sbom.packages) + 1  # and the image itself
    assert str(described["musl-utils"].license_declared) == "MIT AND BSD-2-Clause AND GPL-2.0-or-later"
    busybox = described["busybox"]
    extracted = {info.license_id: info.extracted_text for info in document.extracted_licensing_info}
    assert extracted[str(busybox.license_declared)] == FREE_TEXT_LICENSE
    assert [ref.locator for ref in described["Foo_Bar"].external_references] == ["pkg:pypi/foo-bar@1.0%2Blocal"]


def test_cyclonedx_document_is_valid_for_cyclonedx_python_lib():
    validation = pytest.importorskip("cyclonedx.validation.json")
    schema = pytest.importorskip("cyclonedx.schema")
    data = il.sbom(mixed_image()).to_cyclonedx()
    assert validation.JsonStrictValidator(schema.SchemaVersion.V1_5).validate_str(data.decode("utf-8")) is None
    components = {c["name"]: c for c in json.loads(data)["components"]}
    assert components["busybox"]["licenses"] == [{"license": {"name": FREE_TEXT_LICENSE}}]
    assert components["@types/node"]["licenses"] == [{"expression": "MIT"}]
    assert {p["name"]: p["value"] for p in components["x"]["properties"]} == {
        "imagelib:ecosystem": "npm",
        "imagelib:layer_index": "2",
        "imagelib:path": "/app/node_modules/x/package.json",
    }


def test_cyclonedx_validator_refuses_a_broken_document():
    # The validator really checks: the same document without its required bomFormat fails.
    validation = pytest.importorskip("cyclonedx.validation.json")
    schema = pytest.importorskip("cyclonedx.schema")
    document = json.loads(il.sbom(mixed_image()).to_cyclonedx())
    del document["bomFormat"]
    validator = validation.JsonStrictValidator(schema.SchemaVersion.V1_5)
    assert validator.validate_str(json.dumps(document)) is not None


def test_purls_read_back_by_the_purl_library():
    packageurl = pytest.importorskip("packageurl")
    for package in il.sbom(mixed_image()).packages:
        parsed = packageurl.PackageURL.from_string(package.purl)
        assert parsed.version == package.version
        assert parsed.type == {"deb": "deb", "apk": "apk", "npm": "npm", "python": "pypi"}[package.ecosystem]
        if package.ecosystem == "npm":
            assert "/".join(filter(None, (parsed.namespace, parsed.name))) == package.name


def test_same_image_same_bytes_and_the_time_comes_from_source_date_epoch(monkeypatch):
    img = mixed_image()
    assert il.sbom(img).to_spdx() == il.sbom(mixed_image()).to_spdx()
    assert il.sbom(img).to_cyclonedx() == il.sbom(mixed_image()).to_cyclonedx()
    assert json.loads(il.sbom(img).to_spdx())["creationInfo"]["created"] == "1970-01-01T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert json.loads(il.sbom(img).to_cyclonedx())["metadata"]["timestamp"] == "2023-11-14T22:13:20Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "어제")
    with pytest.raises(il.ImageLibError, match="SOURCE_DATE_EPOCH"):
        il.sbom(img).to_spdx()


def test_another_image_another_namespace_and_serial_number():
    one, other = il.sbom(mixed_image()), il.sbom(image_of({"lib/apk/db/installed": APK_MUSL}))
    assert json.loads(one.to_spdx())["documentNamespace"] != json.loads(other.to_spdx())["documentNamespace"]
    assert json.loads(one.to_cyclonedx())["serialNumber"] != json.loads(other.to_cyclonedx())["serialNumber"]
