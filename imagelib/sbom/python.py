"""Python: each installed distribution's ``<name>-<version>.dist-info/METADATA`` (core metadata:
``Name``, ``Version``, ``License-Expression`` or ``License``), read up to the end of its headers."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import PackageRecordError
from ..filetree import TreeEntry
from .context import ReadContext
from .package import Package
from .purl import pypi_url
from .records import open_record, text_lines


def is_record(path: str) -> bool:
    folder, _, name = path.rpartition("/")
    return name == "METADATA" and folder.endswith(".dist-info")


def read(node: TreeEntry, context: ReadContext) -> Iterator[Package]:
    shown = "/" + node.path
    headers = _headers(text_lines(open_record(node, context.limits), shown), shown)
    name, version = headers.get("Name", ""), headers.get("Version", "")
    if not name or not version:
        raise PackageRecordError(f"파이썬 패키지 정보 {shown}에 Name이나 Version이 없습니다.")
    license = headers.get("License-Expression") or headers.get("License") or None
    yield Package(
        ecosystem="python",
        name=name,
        version=version,
        license=None if license in (None, "UNKNOWN") else license,
        layer_index=node.layer_index,
        path=shown,
        purl=pypi_url(name, version),
    )


def _headers(lines: Iterator[str], shown: str) -> "dict[str, str]":
    """The first value of each header; the body after the first empty line is not read."""
    headers: "dict[str, str]" = {}
    last = ""
    for line in lines:
        if not line.strip():
            break
        if line[0] in " \t":
            if last:
                headers[last] += "\n" + line.strip()
            continue
        field, colon, value = line.partition(":")
        if not colon:
            raise PackageRecordError(f"파이썬 패키지 정보 {shown}의 줄 {line[:60]!r}이(가) '이름: 값' 꼴이 아닙니다.")
        last = field if field not in headers else ""
        if last:
            headers[field] = value.strip()
    if hasattr(lines, "close"):
        lines.close()  # stop reading: closes the file the generator holds
    return headers
