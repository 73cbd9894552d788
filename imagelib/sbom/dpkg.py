"""dpkg (Debian, Ubuntu): ``/var/lib/dpkg/status`` and distroless's ``/var/lib/dpkg/status.d/``.

The status file holds one block of ``Field: value`` lines per package (a line that starts with
a space continues the field above). Only blocks whose ``Status`` is ``install ok installed``
are installed packages. Distroless images have no status file: each package's control fields
are a file of ``status.d/`` (without a ``Status`` line; its ``.md5sums`` files are skipped).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import PackageRecordError
from ..filetree import TreeEntry
from .context import ReadContext
from .package import Package
from .purl import package_url
from .records import earlier_versions, layers_of_records, open_file, open_record, stanzas, text_lines

STATUS = "var/lib/dpkg/status"
STATUS_D = "var/lib/dpkg/status.d/"
INSTALLED = "install ok installed"


def is_record(path: str) -> bool:
    if path == STATUS:
        return True
    name = path[len(STATUS_D) :] if path.startswith(STATUS_D) else ""
    return bool(name) and "/" not in name and not name.endswith(".md5sums")


def read(node: TreeEntry, context: ReadContext) -> Iterator[Package]:
    shown = "/" + node.path
    newest = _records(text_lines(open_record(node, context.limits), shown), shown)
    vendor = context.distro or "debian"
    if node.path != STATUS:
        # one package's own file: the layer that wrote the file added the package
        for fields in (fields for _, fields in newest.values()):
            if fields.get("Status", INSTALLED) == INSTALLED:
                yield _package(fields, node.layer_index, shown, vendor)
        return
    versions = [(node.layer_index, {key: text for key, (text, _) in newest.items()})]
    for index, file in earlier_versions(context.layers, node.path, node.layer_index):
        older = _records(text_lines(open_file(file, shown, context.limits), shown), f"레이어 {index}의 {shown}")
        versions.append((index, {key: text for key, (text, _) in older.items()}))
    layer_of = layers_of_records(versions)
    for key, (_, fields) in newest.items():
        if fields.get("Status") == INSTALLED:
            yield _package(fields, layer_of[key], shown, vendor)


def _records(lines: Iterator[str], shown: str) -> "dict[tuple[str, str], tuple[str, dict[str, str]]]":
    records: "dict[tuple[str, str], tuple[str, dict[str, str]]]" = {}
    for block in stanzas(lines):
        fields = _fields(block, shown)
        name, version = fields.get("Package", ""), fields.get("Version", "")
        if not name or (not version and fields.get("Status", INSTALLED) == INSTALLED):
            raise PackageRecordError(
                f"dpkg 데이터베이스 {shown}에 이름(Package)이나 버전(Version)이 없는 설치 기록이 있습니다"
                f"({block[0][:60]!r}로 시작하는 기록)."
            )
        records[(name, fields.get("Architecture", ""))] = ("\n".join(block), fields)
    return records


def _fields(block: "list[str]", shown: str) -> "dict[str, str]":
    fields: "dict[str, str]" = {}
    last = ""
    for line in block:
        if line[0] in " \t":
            if not last:
                raise PackageRecordError(f"dpkg 데이터베이스 {shown}의 기록이 이어지는 줄({line[:60]!r})로 시작합니다.")
            fields[last] += "\n" + line.strip()
            continue
        field, colon, value = line.partition(":")
        if not colon or not field or " " in field:
            raise PackageRecordError(
                f"dpkg 데이터베이스 {shown}의 줄 {line[:60]!r}이(가) '필드: 값' 꼴이 아닙니다. "
                "망가진 파일이라 읽지 않습니다."
            )
        last = field
        fields[field] = value.strip()
    return fields


def _package(fields: "dict[str, str]", layer_index: int, shown: str, vendor: str) -> Package:
    name, version = fields["Package"], fields["Version"]
    return Package(
        ecosystem="deb",
        name=name,
        version=version,
        license=None,  # dpkg records no license: it is prose in /usr/share/doc/<package>/copyright
        layer_index=layer_index,
        path=shown,
        purl=package_url(
            "deb", name.lower(), version, namespace=vendor, qualifiers={"arch": fields.get("Architecture", "")}
        ),
    )
