"""CycloneDX 1.5 JSON (cyclonedx.org/docs/1.5/json): the image as the BOM's subject, each package
a component with its purl, license and, as properties, the layer and file it was read from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..digest import Digest
from .document import TOOL_NAME, created_time, document_uuid, json_bytes, tool_version
from .licenses import is_spdx_expression
from .package import Package


def cyclonedx_document(digest: Digest, packages: "Sequence[Package]") -> bytes:
    document: "dict[str, Any]" = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:{document_uuid(digest, 'cyclonedx')}",
        "version": 1,
        "metadata": {
            "timestamp": created_time(),
            "tools": {"components": [_tool()]},
            "component": {"type": "container", "bom-ref": "image", "name": f"image {digest}", "version": str(digest)},
        },
        "components": [_component(package, number) for number, package in enumerate(packages, start=1)],
    }
    return json_bytes(document)


def _component(package: Package, number: int) -> "dict[str, Any]":
    component: "dict[str, Any]" = {
        "type": "library",
        "bom-ref": f"package-{number}",
        "name": package.name,
        "version": package.version,
        "purl": package.purl,
    }
    if package.license is not None:
        if is_spdx_expression(package.license):
            component["licenses"] = [{"expression": package.license}]
        else:
            component["licenses"] = [{"license": {"name": package.license}}]
    component["properties"] = [
        {"name": "imagelib:ecosystem", "value": package.ecosystem},
        {"name": "imagelib:layer_index", "value": str(package.layer_index)},
        {"name": "imagelib:path", "value": package.path},
    ]
    return component


def _tool() -> "dict[str, str]":
    tool = {"type": "application", "name": TOOL_NAME}
    return {**tool, "version": tool_version()} if tool_version() else tool
