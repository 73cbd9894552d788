"""apk (Alpine): the installed database ``/lib/apk/db/installed``.

Each package is a block of ``X:value`` lines separated by an empty line: ``P:`` name, ``V:``
version, ``A:`` architecture, ``L:`` license, ``o:`` origin (the source package), then the
package's folders (``F:``) and files (``R:``) with their checksums.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import PackageRecordError
from ..filetree import TreeEntry
from .context import ReadContext
from .package import Package
from .purl import package_url
from .records import earlier_versions, layers_of_records, open_file, open_record, stanzas, text_lines

DATABASES = frozenset({"lib/apk/db/installed", "usr/lib/apk/db/installed"})


def is_record(path: str) -> bool:
    return path in DATABASES


def read(node: TreeEntry, context: ReadContext) -> Iterator[Package]:
    shown = "/" + node.path
    newest = _records(text_lines(open_record(node, context.limits), shown), shown)
    versions = [(node.layer_index, {name: text for name, (text, _) in newest.items()})]
    for index, file in earlier_versions(context.layers, node.path, node.layer_index):
        older = _records(text_lines(open_file(file, shown, context.limits), shown), f"레이어 {index}의 {shown}")
        versions.append((index, {name: text for name, (text, _) in older.items()}))
    layer_of = layers_of_records(versions)
    for name, (_, fields) in newest.items():
        yield _package(fields, layer_of[name], shown, context.distro or "alpine")


def _records(lines: Iterator[str], shown: str) -> "dict[str, tuple[str, dict[str, str]]]":
    """Package name -> (the block's text, its first value of each field)."""
    records: "dict[str, tuple[str, dict[str, str]]]" = {}
    for block in stanzas(lines):
        fields: "dict[str, str]" = {}
        for line in block:
            if len(line) < 2 or line[1] != ":":
                raise PackageRecordError(
                    f"apk 데이터베이스 {shown}의 줄 {line[:60]!r}이(가) 'X:값' 꼴이 아닙니다. "
                    "망가진 파일이라 읽지 않습니다."
                )
            fields.setdefault(line[0], line[2:])
        if not fields.get("P") or not fields.get("V"):
            raise PackageRecordError(f"apk 데이터베이스 {shown}에 이름(P:)이나 버전(V:)이 없는 패키지 기록이 있습니다.")
        records[fields["P"]] = ("\n".join(block), fields)
    return records


def _package(fields: "dict[str, str]", layer_index: int, shown: str, vendor: str) -> Package:
    name, version = fields["P"], fields["V"]
    origin = fields.get("o", "")
    qualifiers = {"arch": fields.get("A", ""), "upstream": origin if origin != name else ""}
    return Package(
        ecosystem="apk",
        name=name,
        version=version,
        license=fields.get("L") or None,
        layer_index=layer_index,
        path=shown,
        purl=package_url("apk", name.lower(), version, namespace=vendor, qualifiers=qualifiers),
    )
