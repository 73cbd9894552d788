"""il.sbom on real package databases: this machine's dpkg status against dpkg-query, this
Python's installed distributions against importlib.metadata, and the real image archives."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sysconfig
import tarfile
from pathlib import Path

import pytest
from conftest import real_image

import imagelib as il

DPKG_STATUS = Path("/var/lib/dpkg/status")


def test_this_machines_dpkg_database_lists_what_dpkg_query_lists():
    if shutil.which("dpkg-query") is None or not DPKG_STATUS.is_file():
        pytest.skip("dpkg-query나 dpkg 데이터베이스가 없어 건너뜁니다 (데비안·우분투가 아닌 시스템)")
    shown = subprocess.run(
        ["dpkg-query", "-W", "-f", "${db:Status-Abbrev}|${Package}|${Version}\n"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    # "ii " = wanted install, installed: dpkg's "install ok installed"
    expected = sorted(
        (name, version)
        for status, name, version in (line.split("|") for line in shown.splitlines())
        if status.strip() == "ii"
    )
    img = il.Image.scratch().add_layer(il.Layer.from_files({"var/lib/dpkg/status": DPKG_STATUS.read_bytes()}))
    packages = il.sbom(img).packages
    assert sorted((p.name, p.version) for p in packages) == expected
    assert len(expected) > 50
    assert {p.layer_index for p in packages} == {0}


def test_this_pythons_installed_distributions_as_importlib_metadata_reads_them():
    site = Path(sysconfig.get_paths()["purelib"])
    files = {
        f"usr/lib/python3/site-packages/{path.relative_to(site)}": path.read_bytes()
        for path in sorted(site.glob("*.dist-info/METADATA"))
    }
    if len(files) < 5:
        pytest.skip("이 파이썬에 설치된 패키지(dist-info)가 너무 적습니다")
    expected = sorted(
        (dist.metadata["Name"], dist.version)
        for dist in importlib.metadata.distributions(path=[str(site)])
        if dist.read_text("METADATA") is not None  # egg-info folders have PKG-INFO instead
    )
    img = il.Image.scratch().add_layer(il.Layer.from_files(files))
    assert sorted((p.name, p.version) for p in il.sbom(img).packages) == expected


REAL_ARCHIVES = ["dive-test-docker-image.tar", "dive-test-kaniko-image.tar", "ggcr-whiteout_dir.tar"]
RECORD_NAMES = ("lib/apk/db/installed", "var/lib/dpkg/status", "METADATA", "package.json")


@pytest.mark.parametrize("name", REAL_ARCHIVES)
def test_real_archives_hold_no_package_database_and_so_list_no_package(name):
    # None of the archives in ../shared/real-images carries an apk or dpkg database (the dive
    # images are busybox: /bin/dpkg is a busybox applet, not a package record). Python's own tar
    # reader lists every layer member to say so independently of imagelib.
    path = real_image(name)
    members = _layer_members(path)
    assert members, "the archive's layers were read"
    assert not [m for m in members if m.endswith(RECORD_NAMES)]
    sbom = il.sbom(il.open(path))
    assert sbom.packages == ()
    assert json_packages(sbom.to_spdx()) == 1  # only the image itself


def json_packages(data: bytes) -> int:
    import json

    return len(json.loads(data)["packages"])


def _layer_members(path: Path) -> "list[str]":
    names: "list[str]" = []
    with tarfile.open(path) as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            try:
                with tarfile.open(fileobj=handle, mode="r:*") as layer:
                    names += [m.name.lstrip("./") for m in layer.getmembers()]
            except tarfile.TarError:
                continue  # a JSON document or config, not a layer
    return names


def test_real_dpkg_versions_make_valid_documents_and_purls(tmp_path):
    # Real versions carry epochs, "+" and "~" (1:2.38.1-5+deb12u3, 20230710~deb12u1): both
    # formats' libraries accept the documents and the purl library reads each version back.
    if not DPKG_STATUS.is_file():
        pytest.skip("dpkg 데이터베이스가 없어 건너뜁니다 (데비안·우분투가 아닌 시스템)")
    parse = pytest.importorskip("spdx_tools.spdx.parser.parse_anything")
    validator = pytest.importorskip("spdx_tools.spdx.validation.document_validator")
    validation = pytest.importorskip("cyclonedx.validation.json")
    schema = pytest.importorskip("cyclonedx.schema")
    packageurl = pytest.importorskip("packageurl")
    files = {"etc/os-release": "ID=debian\n", "var/lib/dpkg/status": DPKG_STATUS.read_bytes()}
    sbom = il.sbom(il.Image.scratch().add_layer(il.Layer.from_files(files)))
    for package in sbom.packages:
        parsed = packageurl.PackageURL.from_string(package.purl)
        assert (parsed.namespace, parsed.name, parsed.version) == ("debian", package.name, package.version)
    path = tmp_path / "sbom.spdx.json"
    path.write_bytes(sbom.to_spdx())
    assert validator.validate_full_spdx_document(parse.parse_file(str(path))) == []
    cyclonedx = validation.JsonStrictValidator(schema.SchemaVersion.V1_5)
    assert cyclonedx.validate_str(sbom.to_cyclonedx().decode("utf-8")) is None
