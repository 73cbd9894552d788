"""Reading package records out of an image: bounded, streamed, and with the layer that wrote each."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, BinaryIO, TypeVar

from ..display import human_size
from ..entries import File, Opaque, Whiteout
from ..errors import PackageRecordError
from ..filetree import TreeEntry
from ..limits import Limits

if TYPE_CHECKING:
    from ..layer import Layer


def open_record(node: TreeEntry, limits: Limits) -> BinaryIO:
    """The bytes of a record file of the final tree, refused before reading when it is too big."""
    source = node.content or node.entry
    if not isinstance(source, File):
        raise PackageRecordError(f"패키지 기록 /{node.path}이(가) 파일이 아닙니다.")
    return open_file(source, f"/{node.path}", limits)


def open_file(file: File, shown: str, limits: Limits) -> BinaryIO:
    if file.size > limits.max_record_bytes:
        raise limits.exceeded(f"패키지 기록 {shown}", "max_record_bytes", f"파일이 {human_size(file.size)}")
    return file.open()


def text_lines(stream: BinaryIO, shown: str) -> Iterator[str]:
    """The lines of a UTF-8 record file, one at a time, without their line ends."""
    with stream:
        for number, raw in enumerate(stream, start=1):
            try:
                yield raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                raise PackageRecordError(
                    f"패키지 기록 {shown}의 {number}번째 줄이 UTF-8이 아닙니다. 망가진 파일이라 읽지 않습니다."
                ) from None


def stanzas(lines: Iterator[str]) -> Iterator["list[str]"]:
    """Blocks of lines separated by empty lines (dpkg's status file, apk's installed database)."""
    block: "list[str]" = []
    for line in lines:
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def earlier_versions(layers: Sequence[Layer], path: str, top: int) -> Iterator["tuple[int, File]"]:
    """The versions of ``path`` that lower layers wrote, newest first, while they are still
    what the upper layers built on (a whiteout or opaque folder below ends the chain)."""
    folders = _folders_of(path)
    for index in range(top - 1, -1, -1):
        written: "File | None" = None
        cut = False
        for entry in layers[index].entries:
            if isinstance(entry, Whiteout) and (entry.path == path or entry.path in folders):
                cut = True
            elif isinstance(entry, Opaque) and entry.path in folders:
                cut = True
            elif isinstance(entry, File) and entry.path == path:
                written = entry
        if written is not None:
            yield index, written
        if cut or written is None and _replaced(layers[index], path):
            return


def _folders_of(path: str) -> "set[str]":
    parts = path.split("/")
    return {"/".join(parts[:end]) for end in range(1, len(parts))}


def _replaced(layer: Layer, path: str) -> bool:
    # Another kind of entry at the path (a symlink, a folder) hides everything below it.
    return any(entry.path == path and not isinstance(entry, File) for entry in layer.entries)


Key = TypeVar("Key")


def layers_of_records(versions: "Sequence[tuple[int, dict[Key, str]]]") -> "dict[Key, int]":
    """For each record key of the newest version, the lowest layer from which on it stayed the same.

    ``versions`` are (layer index, key -> record text), newest first: a record counts as added by
    the layer whose entry last wrote it, not by the layer that last rewrote the whole database.
    """
    newest_layer, newest = versions[0]
    found = dict.fromkeys(newest, newest_layer)
    still_same = set(newest)
    for layer_index, records in versions[1:]:
        still_same = {key for key in still_same if records.get(key) == newest[key]}
        for key in still_same:
            found[key] = layer_index
        if not still_same:
            break
    return found
