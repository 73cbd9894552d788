"""SPDX 2.3 JSON (spdx.github.io/spdx-spec/v2.3): the image as the described package, each
package it contains beside it, with its purl as an external reference."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from ..digest import Digest
from .document import NAMESPACE_BASE, TOOL_NAME, created_time, document_uuid, json_bytes, tool_version
from .licenses import is_spdx_expression
from .package import Package

IMAGE_ID = "SPDXRef-Image"
NOASSERTION = "NOASSERTION"


def spdx_document(digest: Digest, packages: "Sequence[Package]") -> bytes:
    extracted: "dict[str, str]" = {}
    described = [_image_package(digest)]
    relationships = [
        {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": IMAGE_ID}
    ]
    for number, package in enumerate(packages, start=1):
        spdx_id = f"SPDXRef-Package-{package.ecosystem}-{number}"
        described.append(_package(package, spdx_id, extracted))
        relationships.append({"spdxElementId": IMAGE_ID, "relationshipType": "CONTAINS", "relatedSpdxElement": spdx_id})
    document: "dict[str, Any]" = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"image {digest}",
        "documentNamespace": f"{NAMESPACE_BASE}spdx/{digest.algorithm}/{digest.hex}-{document_uuid(digest, 'spdx')}",
        "creationInfo": {
            "created": created_time(),
            "creators": [f"Tool: {TOOL_NAME}" + (f"-{tool_version()}" if tool_version() else "")],
        },
        "packages": described,
        "relationships": relationships,
    }
    if extracted:
        document["hasExtractedLicensingInfos"] = [
            {"licenseId": license_id, "name": text.splitlines()[0][:200], "extractedText": text}
            for license_id, text in sorted(extracted.items())
        ]
    return json_bytes(document)


def _image_package(digest: Digest) -> "dict[str, Any]":
    return {
        "SPDXID": IMAGE_ID,
        "name": f"image {digest}",
        "versionInfo": str(digest),
        "downloadLocation": NOASSERTION,
        "filesAnalyzed": False,
        "primaryPackagePurpose": "CONTAINER",
        **(
            {"checksums": [{"algorithm": "SHA256", "checksumValue": digest.hex}]}
            if digest.algorithm == "sha256"
            else {}
        ),
        "licenseConcluded": NOASSERTION,
        "licenseDeclared": NOASSERTION,
        "copyrightText": NOASSERTION,
    }


def _package(package: Package, spdx_id: str, extracted: "dict[str, str]") -> "dict[str, Any]":
    return {
        "SPDXID": spdx_id,
        "name": package.name,
        "versionInfo": package.version,
        "downloadLocation": NOASSERTION,
        "filesAnalyzed": False,
        "primaryPackagePurpose": "LIBRARY" if package.ecosystem in ("npm", "python") else "APPLICATION",
        "licenseConcluded": NOASSERTION,
        "licenseDeclared": _declared(package.license, extracted),
        "copyrightText": NOASSERTION,
        "sourceInfo": f"layer {package.layer_index}: {package.path}",
        "externalRefs": [
            {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": package.purl}
        ],
    }


def _declared(license: "str | None", extracted: "dict[str, str]") -> str:
    """An SPDX expression as it is; any other recorded text as a LicenseRef- with that text."""
    if license is None:
        return NOASSERTION
    if is_spdx_expression(license):
        return license
    license_id = "LicenseRef-" + hashlib.sha256(license.encode("utf-8")).hexdigest()[:16]
    extracted[license_id] = license
    return license_id
