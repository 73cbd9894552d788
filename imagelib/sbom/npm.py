"""npm (Node.js): each installed package's ``node_modules/<name>/package.json`` (``name``,
``version``, ``license``), also scoped (``node_modules/@scope/name``) and nested ones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..errors import ImageFormatError, PackageRecordError
from ..filetree import TreeEntry
from ..oci import load_json
from ..streams import read_up_to
from .context import ReadContext
from .package import Package
from .purl import npm_url

_MANIFEST = re.compile(r"(?:^|/)node_modules/(?:@[^/.][^/]*/)?[^/.@][^/]*/package\.json$")


def is_record(path: str) -> bool:
    return _MANIFEST.search(path) is not None


def read(node: TreeEntry, context: ReadContext) -> Iterator[Package]:
    from .records import open_record

    shown = "/" + node.path
    with open_record(node, context.limits) as stream:
        data = read_up_to(stream, context.limits.max_record_bytes + 1)
    try:
        manifest = load_json(data, f"npm 패키지 정보 {shown}")
    except ImageFormatError as error:
        raise PackageRecordError(str(error)) from None
    if not isinstance(manifest, dict):
        raise PackageRecordError(f"npm 패키지 정보 {shown}이(가) JSON 객체가 아닙니다.")
    name, version = manifest.get("name"), manifest.get("version")
    if name is None or version is None:
        return  # a package.json without both is no installed package (npm itself would not install it)
    if not isinstance(name, str) or not isinstance(version, str) or not name or not version:
        raise PackageRecordError(f"npm 패키지 정보 {shown}의 name과 version은 비어 있지 않은 문자열이어야 합니다.")
    yield Package(
        ecosystem="npm",
        name=name,
        version=version,
        license=_license(manifest),
        layer_index=node.layer_index,
        path=shown,
        purl=npm_url(name, version),
    )


def _license(manifest: "dict[str, Any]") -> "str | None":
    value = manifest.get("license")
    if isinstance(value, dict):  # the old form {"type": "MIT", "url": ...}
        value = value.get("type")
    if value is None and isinstance(manifest.get("licenses"), list):
        kinds = [item.get("type") for item in manifest["licenses"] if isinstance(item, dict)]
        value = " OR ".join(kind for kind in kinds if isinstance(kind, str)) or None
    return value if isinstance(value, str) and value.strip() else None
