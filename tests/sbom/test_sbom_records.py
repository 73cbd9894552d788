"""il.sbom reads apk, dpkg, npm and Python records as the package managers write them: fields,
only installed packages, the layer that last wrote each record, and hostile files refused."""

from __future__ import annotations

import pytest

import imagelib as il

APK_MUSL = (
    "C:Q1Deb0jNytkrjPW4N/eKLZ43BwOlw=\nP:musl\nV:1.2.4-r2\nA:x86_64\nS:383152\nI:622592\n"
    "T:the musl c library (libc) implementation\nU:https://musl.libc.org/\nL:MIT\no:musl\n"
    "F:lib\nR:ld-musl-x86_64.so.1\na:0:0:755\nZ:Q12adwqQOjo9dFl+VJD2Ecd901vhE=\n"
)
APK_UTILS = (
    "P:musl-utils\nV:1.2.4-r2\nA:x86_64\nL:MIT AND BSD-2-Clause AND GPL-2.0-or-later\no:musl\nF:usr/bin\nR:ldd\n"
)
APK_ZLIB = "P:zlib\nV:1.3-r2\nA:x86_64\nL:Zlib\no:zlib\n"


def image_of(*layers: "dict[str, str | bytes]", deleted: "list[str] | None" = None) -> il.Image:
    img = il.Image.scratch()
    for number, files in enumerate(layers):
        last = number == len(layers) - 1
        img = img.add_layer(il.Layer.from_files(files, deleted=(deleted or []) if last else []))
    return img


def listed(sbom: il.SBOM) -> "list[tuple[str, str, str, str | None, int, str]]":
    return [(p.ecosystem, p.name, p.version, p.license, p.layer_index, p.path) for p in sbom.packages]


def test_apk_fields_and_purls():
    img = image_of(
        {"etc/os-release": "ID=alpine\nVERSION_ID=3.19.0\n", "lib/apk/db/installed": APK_MUSL + "\n" + APK_UTILS}
    )
    sbom = il.sbom(img)
    db = "/lib/apk/db/installed"
    assert listed(sbom) == [
        ("apk", "musl", "1.2.4-r2", "MIT", 0, db),
        ("apk", "musl-utils", "1.2.4-r2", "MIT AND BSD-2-Clause AND GPL-2.0-or-later", 0, db),
    ]
    assert [p.purl for p in sbom.packages] == [
        "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64",
        "pkg:apk/alpine/musl-utils@1.2.4-r2?arch=x86_64&upstream=musl",
    ]


def test_a_record_belongs_to_the_layer_that_last_wrote_it_not_to_the_last_writer_of_the_database():
    # layer 1 rewrites the whole database (as apk does) adding zlib; musl's record is unchanged
    # and so stays layer 0's, musl-utils' record changed (upgraded) and so is layer 2's.
    upgraded = APK_UTILS.replace("1.2.4-r2", "1.2.4-r3")
    img = image_of(
        {"lib/apk/db/installed": APK_MUSL + "\n" + APK_UTILS},
        {"lib/apk/db/installed": APK_MUSL + "\n" + APK_UTILS + "\n" + APK_ZLIB},
        {"lib/apk/db/installed": APK_MUSL + "\n" + upgraded + "\n" + APK_ZLIB},
    )
    layers = {p.name: p.layer_index for p in il.sbom(img).packages}
    assert layers == {"musl": 0, "zlib": 1, "musl-utils": 2}


def test_a_database_deleted_and_written_again_starts_over():
    img = il.Image.scratch()
    for layer in (
        il.Layer.from_files({"lib/apk/db/installed": APK_MUSL}),
        il.Layer.from_files({}, deleted=["lib/apk/db/installed"]),
        il.Layer.from_files({"lib/apk/db/installed": APK_MUSL}),
    ):
        img = img.add_layer(layer)
    # Layer 1 deleted layer 0's database; the same record written again by layer 2 is layer 2's.
    assert [p.layer_index for p in il.sbom(img).packages] == [2]
    gone = image_of({"lib/apk/db/installed": APK_MUSL}, {"tmp/x": "x"}, deleted=["lib"])
    assert il.sbom(gone).packages == ()


DPKG_STATUS = """Package: libc6
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Version: 2.36-9+deb12u4
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.

Package: libc6
Status: install ok installed
Architecture: i386
Multi-Arch: same
Version: 2.36-9+deb12u4

Package: nano
Status: deinstall ok config-files
Architecture: amd64
Version: 7.2-1

Package: tzdata
Status: install ok installed
Architecture: all
Version: 2024a-0+deb12u1
"""


def test_dpkg_status_lists_installed_packages_only_one_per_architecture():
    img = image_of({"etc/os-release": 'PRETTY_NAME="Debian"\nID=debian\n', "var/lib/dpkg/status": DPKG_STATUS})
    packages = il.sbom(img).packages
    assert [(p.name, p.version) for p in packages] == [
        ("libc6", "2.36-9+deb12u4"),
        ("libc6", "2.36-9+deb12u4"),
        ("tzdata", "2024a-0+deb12u1"),
    ]
    assert sorted(p.purl for p in packages) == [
        "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64",
        "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=i386",
        "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all",
    ]


def test_distroless_status_d_one_file_per_package_md5sums_skipped():
    base_files = "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\nMaintainer: x\n"
    img = image_of(
        {"var/lib/dpkg/status.d/base-files": base_files, "var/lib/dpkg/status.d/base-files.md5sums": "d41d  etc/x\n"},
        {"var/lib/dpkg/status.d/netbase": "Package: netbase\nVersion: 6.4\nArchitecture: all\n"},
    )
    assert listed(il.sbom(img)) == [
        ("deb", "base-files", "12.4+deb12u5", None, 0, "/var/lib/dpkg/status.d/base-files"),
        ("deb", "netbase", "6.4", None, 1, "/var/lib/dpkg/status.d/netbase"),
    ]


def test_npm_packages_scoped_nested_and_their_license_forms():
    img = image_of(
        {
            "app/package.json": '{"name": "app", "version": "1.0.0"}',
            "app/node_modules/express/package.json": '{"name": "express", "version": "4.18.2", "license": "MIT"}',
            "app/node_modules/@types/node/package.json": '{"name": "@types/node", "version": "20.1.0"}',
            "app/node_modules/express/node_modules/debug/package.json": (
                '{"name": "debug", "version": "2.6.9", "license": {"type": "MIT"}}'
            ),
            "app/node_modules/express/lib/package.json": '{"not": "a package folder"}',
            "app/node_modules/old/package.json": (
                '{"name": "old", "version": "0.1.0", "licenses": [{"type": "MIT"}, {"type": "Apache-2.0"}]}'
            ),
        },
    )
    got = [(p.name, p.version, p.license, p.purl) for p in il.sbom(img).packages]
    assert got == [
        ("@types/node", "20.1.0", None, "pkg:npm/%40types/node@20.1.0"),
        ("debug", "2.6.9", "MIT", "pkg:npm/debug@2.6.9"),
        ("express", "4.18.2", "MIT", "pkg:npm/express@4.18.2"),
        ("old", "0.1.0", "MIT OR Apache-2.0", "pkg:npm/old@0.1.0"),
    ]


def test_python_metadata_license_expression_before_license_and_body_ignored():
    site = "usr/lib/python3/site-packages"
    img = image_of(
        {
            f"{site}/Foo_Bar-1.0.dist-info/METADATA": (
                "Metadata-Version: 2.4\nName: Foo_Bar\nVersion: 1.0\nLicense: MIT License\n"
                "License-Expression: MIT OR Apache-2.0\n\nName: not-a-header\n"
            ),
            f"{site}/six-1.16.0.dist-info/METADATA": (
                "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\nLicense: UNKNOWN\n"
            ),
        }
    )
    got = [(p.name, p.version, p.license, p.purl) for p in il.sbom(img).packages]
    assert got == [
        ("Foo_Bar", "1.0", "MIT OR Apache-2.0", "pkg:pypi/foo-bar@1.0"),
        ("six", "1.16.0", None, "pkg:pypi/six@1.16.0"),
    ]


@pytest.mark.parametrize(
    ("files", "named"),
    [
        ({"lib/apk/db/installed": b"P:musl\nV:1\xff\n"}, "/lib/apk/db/installed"),
        ({"lib/apk/db/installed": "P:musl\nthis is no field\n"}, "/lib/apk/db/installed"),
        ({"lib/apk/db/installed": "A:x86_64\nV:1\n"}, "/lib/apk/db/installed"),
        ({"var/lib/dpkg/status": "Package: a\nStatus: install ok installed\n"}, "/var/lib/dpkg/status"),
        ({"var/lib/dpkg/status": " continued\nPackage: a\n"}, "/var/lib/dpkg/status"),
        ({"n/node_modules/x/package.json": '{"name": "x", "version": '}, "/n/node_modules/x/package.json"),
        ({"n/node_modules/x/package.json": '["x"]'}, "/n/node_modules/x/package.json"),
        ({"n/node_modules/x/package.json": '{"name": "x", "version": 1}'}, "/n/node_modules/x/package.json"),
        ({"s/x-1.dist-info/METADATA": "Metadata-Version: 2.1\nVersion: 1\n"}, "/s/x-1.dist-info/METADATA"),
    ],
)
def test_broken_records_are_refused_naming_the_file(files, named):
    with pytest.raises(il.PackageRecordError) as caught:
        il.sbom(image_of(files))
    assert named in str(caught.value)


def test_a_record_over_the_limit_is_refused_before_it_is_read():
    img = image_of({"var/lib/dpkg/status": "Package: a\nVersion: 1\n" + "X-Pad: " + "x" * 5000 + "\n"})
    with pytest.raises(il.LimitExceededError, match="max_record_bytes") as caught:
        il.sbom(img, limits=il.Limits(max_record_bytes=4096))
    assert "/var/lib/dpkg/status" in str(caught.value)
    assert len(il.sbom(img).packages) == 0  # under the default limit it is read (and not installed)


def test_the_purl_vendor_comes_from_os_release_followed_through_its_symlink():
    status = "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.21-2ubuntu4\n"
    img = il.Image.scratch().add_layer(
        il.Layer.from_entries(
            [
                il.File(path="usr/share/base/release", data='NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="24.04"\n'),
                il.Symlink(path="etc/os-release", target="../usr/share/base/release"),
                il.File(path="var/lib/dpkg/status", data=status),
            ]
        )
    )
    assert [p.purl for p in il.sbom(img).packages] == ["pkg:deb/ubuntu/bash@5.2.21-2ubuntu4?arch=amd64"]
