"""이미지 분석(analysis): 레이어마다 무엇이 바뀌었고, 어디에서 공간이 낭비되는지.

효율(efficiency)과 낭비된 공간(wasted space)은 널리 쓰이는 도구 dive와 **같은 정의**로
계산합니다. 각 레이어의 (폴더가 아닌) 항목을 하나씩 "방문"하며, 방문마다 그 항목의 크기를
셉니다. 화이트아웃은 0바이트이지만, 폴더를 지우는 화이트아웃은 아래 레이어에 있던 그 폴더
안 파일 크기의 합을 셉니다. 경로마다 방문 크기의 합과 가장 작은 값을 모아

- 효율 = Σ(경로별 가장 작은 크기) ÷ Σ(경로별 합)  (셀 것이 없으면 1.0)
- 낭비된 바이트 = 두 번 이상 방문한 경로들의 합
- 사용자 낭비율 = 낭비된 바이트 ÷ 맨 아래(베이스) 레이어를 뺀 레이어 크기의 합

분석은 레이어의 항목 정보(경로, 종류, 크기, 권한)를 주로 씁니다. 파일 내용은 두 경우에만 조금
읽습니다: "권한만 바꾼 복사"를 가려낼 때 크기가 같은 파일 몇 개의 해시를 비교하고, 자격 증명
후보(이름이 ``.npmrc``, ``id_rsa``, ``.env`` 따위인 작은 파일)의 앞부분을 봅니다.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from . import display
from .credentials import CredentialFinding, mark_hidden, scan_layer
from .digest import Digest
from .entries import Entry, File, Opaque, Whiteout
from .errors import ImageLibError
from .filetree import TreeBuilder

if TYPE_CHECKING:
    from .layer import Layer


class Layered(Protocol):
    """What analyze reads: an il.Image, or any value with the image's layers (bottom first)."""

    @property
    def layers(self) -> Sequence[Layer]: ...


CAUSES = {
    "deleted": "나중 레이어에서 삭제함",
    "permission": "권한·소유자만 바꿨는데 파일 전체가 다시 저장됨",
    "duplicate": "같은 내용을 다시 저장함",
    "overwritten": "나중 레이어에서 덮어씀",
}
"""낭비 원인 코드 → 한국어 설명."""

DEFAULT_TOP = 10


@dataclass(frozen=True)
class Change:
    """레이어 하나가 바꾼 경로 하나: 경로, 종류(file, dir, …), 바이트 수."""

    path: str
    kind: str
    size: int


@dataclass(frozen=True)
class LayerChanges:
    """레이어 하나의 변경: 추가(added), 수정(modified), 삭제(removed)된 경로와 바이트."""

    index: int
    digest: Digest
    created_by: str
    size: int
    """레이어에 담긴 항목 크기의 합(dive가 말하는 레이어 크기)."""
    blob_size: int
    """저장된 블롭의 바이트 수(압축했다면 압축된 크기)."""
    added: "tuple[Change, ...]"
    modified: "tuple[Change, ...]"
    removed: "tuple[Change, ...]"

    @property
    def added_bytes(self) -> int:
        return sum(c.size for c in self.added)

    @property
    def modified_bytes(self) -> int:
        return sum(c.size for c in self.modified)

    @property
    def removed_bytes(self) -> int:
        """이 레이어가 가린(삭제한) 아래 레이어 내용의 바이트 수."""
        return sum(c.size for c in self.removed)

    def to_dict(self) -> "dict[str, Any]":
        def changes(group: "tuple[Change, ...]") -> "list[dict[str, Any]]":
            return [{"path": "/" + c.path, "kind": c.kind, "size": c.size} for c in group]

        return {
            "index": self.index,
            "digest": str(self.digest),
            "created_by": self.created_by,
            "size": self.size,
            "blob_size": self.blob_size,
            "added_bytes": self.added_bytes,
            "modified_bytes": self.modified_bytes,
            "removed_bytes": self.removed_bytes,
            "added": changes(self.added),
            "modified": changes(self.modified),
            "removed": changes(self.removed),
        }


@dataclass(frozen=True)
class WastedPath:
    """두 번 이상 저장된 경로 하나와 그 원인(cause)."""

    path: str
    total_bytes: int
    """모든 방문 크기의 합(dive의 낭비 바이트에 그대로 더해지는 값)."""
    smallest_bytes: int
    layers: "tuple[int, ...]"
    """이 경로가 나온 레이어 번호들(0 = 맨 아래)."""
    cause: str
    """원인 코드: 'deleted', 'permission', 'duplicate', 'overwritten' (설명은 ``cause_text``)."""

    @property
    def count(self) -> int:
        return len(self.layers)

    @property
    def cause_text(self) -> str:
        return CAUSES[self.cause]

    def to_dict(self) -> "dict[str, Any]":
        return {
            "path": "/" + self.path,
            "total_bytes": self.total_bytes,
            "smallest_bytes": self.smallest_bytes,
            "count": self.count,
            "layers": list(self.layers),
            "cause": self.cause,
            "cause_text": self.cause_text,
        }


@dataclass(frozen=True)
class RuleResult:
    """CI 규칙 하나의 결과(dive의 ``--ci`` 와 같은 규칙)."""

    name: str
    passed: bool
    actual: float
    threshold: float
    message: str


@dataclass(frozen=True)
class Analysis:
    """``il.analyze(image)`` 의 결과. 숫자의 정의는 dive와 같습니다."""

    efficiency: float
    wasted_bytes: int
    user_wasted_ratio: float
    size_bytes: int
    """모든 레이어 크기(항목 크기 합)의 합."""
    user_size_bytes: int
    """맨 아래 레이어를 뺀 레이어 크기의 합."""
    layers: "tuple[LayerChanges, ...]"
    top_waste: "tuple[WastedPath, ...]"
    """낭비가 큰 경로들(큰 것부터)."""
    wasted_path_count: int
    """두 번 이상 방문한 경로의 수."""
    credentials: "tuple[CredentialFinding, ...]" = ()
    """자격 증명처럼 보이는 파일들과 그것을 넣은 레이어(나중에 지운 것도 포함)."""

    def check(
        self,
        lowest_efficiency: "float | None" = 0.9,
        highest_user_wasted_ratio: "float | None" = 0.1,
        highest_wasted_bytes: "int | None" = None,
    ) -> "list[RuleResult]":
        """dive ``--ci`` 처럼 기준을 검사합니다. None인 규칙은 건너뜁니다.

        효율이 ``lowest_efficiency`` 보다 낮거나, 사용자 낭비율이 ``highest_user_wasted_ratio``
        보다 크거나, 낭비된 바이트가 ``highest_wasted_bytes`` 보다 크면 그 규칙은 실패입니다.
        """
        results = []
        if lowest_efficiency is not None:
            ok = not self.efficiency < lowest_efficiency
            results.append(
                RuleResult(
                    "lowest-efficiency",
                    ok,
                    self.efficiency,
                    lowest_efficiency,
                    f"효율 {self.efficiency:.2%} (기준: {lowest_efficiency:.2%} 이상)",
                )
            )
        if highest_user_wasted_ratio is not None:
            ok = not self.user_wasted_ratio > highest_user_wasted_ratio
            results.append(
                RuleResult(
                    "highest-user-wasted-percent",
                    ok,
                    self.user_wasted_ratio,
                    highest_user_wasted_ratio,
                    f"사용자 낭비율 {_percent(self.user_wasted_ratio)} (기준: {highest_user_wasted_ratio:.2%} 이하)",
                )
            )
        if highest_wasted_bytes is not None:
            ok = not self.wasted_bytes > highest_wasted_bytes
            results.append(
                RuleResult(
                    "highest-wasted-bytes",
                    ok,
                    self.wasted_bytes,
                    highest_wasted_bytes,
                    f"낭비된 바이트 {display.human_size(self.wasted_bytes)} "
                    f"(기준: {display.human_size(highest_wasted_bytes)} 이하)",
                )
            )
        return results

    def to_dict(self) -> "dict[str, Any]":
        """JSON으로 바꾸기 좋은 사전(``python -m imagelib analyze --json`` 의 출력)."""
        ratio = self.user_wasted_ratio if math.isfinite(self.user_wasted_ratio) else None
        return {
            "efficiency": self.efficiency,
            "wasted_bytes": self.wasted_bytes,
            "user_wasted_ratio": ratio,
            "size_bytes": self.size_bytes,
            "user_size_bytes": self.user_size_bytes,
            "wasted_path_count": self.wasted_path_count,
            "layers": [layer.to_dict() for layer in self.layers],
            "top_waste": [waste.to_dict() for waste in self.top_waste],
            "credentials": [finding.to_dict() for finding in self.credentials],
        }

    def __str__(self) -> str:
        lines = [
            "이미지 분석 (dive와 같은 정의)",
            f"  효율(efficiency): {self.efficiency:.2%}",
            f"  낭비된 공간(wasted): {display.human_size(self.wasted_bytes)} ({self.wasted_bytes:,} 바이트)",
            f"  사용자 낭비율(user wasted): {_percent(self.user_wasted_ratio)} "
            f"(베이스를 뺀 레이어 {display.human_size(self.user_size_bytes)} 기준)",
            "",
            "레이어별 변경 (0 = 맨 아래):",
            "  " + " ".join(display.pad_left(title, width) for title, width in _LAYER_COLUMNS) + "  만든 단계",
        ]
        for layer in self.layers:
            cells = (
                str(layer.index),
                display.human_size(layer.size),
                _count_bytes(layer.added, layer.added_bytes),
                _count_bytes(layer.modified, layer.modified_bytes),
                _count_bytes(layer.removed, layer.removed_bytes),
            )
            aligned = " ".join(
                display.pad_left(text, width) for text, (_, width) in zip(cells, _LAYER_COLUMNS, strict=True)
            )
            lines.append(f"  {aligned}  {display.short_text(layer.created_by or '—', 50)}")
        lines += ["", self._waste_heading()]
        for waste in self.top_waste:
            layers = ",".join(str(i) for i in waste.layers)
            lines.append(
                f"  {display.pad_left(display.human_size(waste.total_bytes), 9)}  "
                f"{display.pad_left(f'{waste.count}회', 4)} [L{layers}]  /{waste.path}  — {waste.cause_text}"
            )
        if self.credentials:
            lines += ["", f"자격 증명처럼 보이는 파일 {len(self.credentials)}개 (레이어 블롭에 들어 있음):"]
            lines += [f"  {finding}" for finding in self.credentials]
        return "\n".join(lines)

    def _waste_heading(self) -> str:
        if not self.wasted_path_count:
            return "낭비가 큰 경로: 없음"
        if len(self.top_waste) == self.wasted_path_count:
            return f"낭비가 큰 경로 ({self.wasted_path_count}개):"
        return f"낭비가 큰 경로 (전체 {self.wasted_path_count}개 중 {len(self.top_waste)}개):"

    def _repr_html_(self) -> str:
        head = (
            f"<b>이미지 분석</b> (dive와 같은 정의) · 효율 <b>{self.efficiency:.2%}</b> · "
            f"낭비된 공간 <b>{display.human_size(self.wasted_bytes)}</b> · 사용자 낭비율 "
            f"<b>{_percent(self.user_wasted_ratio)}</b>"
        )
        layer_rows = [
            (
                layer.index,
                display.human_size(layer.size),
                _count_bytes(layer.added, layer.added_bytes),
                _count_bytes(layer.modified, layer.modified_bytes),
                _count_bytes(layer.removed, layer.removed_bytes),
                display.Code(display.short_text(layer.created_by or "—", 60)),
            )
            for layer in self.layers
        ]
        layers = display.table(
            ["#", "크기", "추가", "수정", "삭제", "만든 단계"], layer_rows, caption="레이어별 변경 (0 = 맨 아래)"
        )
        waste_rows = [
            (
                display.Code("/" + w.path),
                display.human_size(w.total_bytes),
                f"{w.count}회",
                ", ".join(f"L{i}" for i in w.layers),
                w.cause_text,
            )
            for w in self.top_waste
        ]
        waste = (
            display.table(
                ["경로", "낭비", "횟수", "레이어", "원인"],
                waste_rows,
                caption=f"낭비가 큰 경로 (전체 {self.wasted_path_count}개)",
            )
            if waste_rows
            else "<p>낭비된 경로가 없습니다.</p>"
        )
        return f"<div><p>{head}</p>{layers}{waste}{self._credentials_html()}</div>"

    def _credentials_html(self) -> str:
        if not self.credentials:
            return ""
        rows = [
            (
                display.Code("/" + found.path),
                found.kind_text,
                f"L{found.layer}",
                "나중에 지우거나 덮어씀(블롭에 남음)" if found.hidden_later else "최종 이미지에 있음",
                display.Code(display.short_text(found.created_by or "—", 60)),
            )
            for found in self.credentials
        ]
        return display.table(["경로", "종류", "레이어", "지금", "만든 단계"], rows, caption="자격 증명처럼 보이는 파일")

    def __repr__(self) -> str:
        return (
            f"<Analysis 효율 {self.efficiency:.2%}, 낭비 {display.human_size(self.wasted_bytes)}, "
            f"레이어 {len(self.layers)}개>"
        )


def _percent(ratio: float) -> str:
    return f"{ratio:.2%}" if math.isfinite(ratio) else "∞ (베이스 위 레이어가 비어 있음)"


# Display widths of the per-layer table: "19개/2.0 MB" is 11 columns (개 takes two).
_LAYER_COLUMNS = (("#", 3), ("크기", 9), ("추가", 13), ("수정", 13), ("삭제", 13))


def _count_bytes(changes: "tuple[Change, ...]", size: int) -> str:
    return f"{len(changes)}개/{display.human_size(size)}" if changes else "—"


# -- the analysis --------------------------------------------------------------------------


class _Visit(NamedTuple):
    layer_index: int
    entry: Entry
    size: int


def analyze(
    image: Layered, *, top: int = DEFAULT_TOP, on_layer: "Callable[[int, int], None] | None" = None
) -> Analysis:
    """이미지를 분석합니다: 레이어별 변경, 효율, 낭비된 공간, 낭비가 큰 경로(``top`` 개), 그리고
    자격 증명처럼 보이는 파일(``credentials``: ``.npmrc`` 토큰, 개인 키, ``.env`` …; 나중 레이어에서
    지운 것도 그 파일을 넣은 레이어와 함께 알려 줍니다).

    ``image`` 는 ``il.Image`` (또는 ``.layers`` 가 있는 값)입니다. 레이어의 항목 정보만 읽으므로
    큰 이미지도 메모리에 올리지 않습니다. ``on_layer(i, n)`` 을 주면 레이어를 하나 끝낼 때마다
    불러 줍니다(진행 막대용).
    """
    if not hasattr(image, "layers"):
        raise ImageLibError(
            f"il.analyze에는 il.Image가 필요합니다({type(image).__name__}를 받았습니다). "
            "파일이라면 il.open(경로)로 먼저 여세요."
        )
    layers = tuple(image.layers)
    lower = TreeBuilder()
    visits: "dict[str, list[_Visit]]" = {}
    reports: "list[LayerChanges]" = []
    credentials: "list[CredentialFinding]" = []
    for index, layer in enumerate(layers):
        reports.append(_scan_layer(index, layer, lower, visits))
        credentials += scan_layer(index, layer)
        lower.apply(layer.entries, index)
        if on_layer is not None:
            on_layer(index + 1, len(layers))
    found = tuple(mark_hidden(credentials, lower.nodes))
    return replace(_summarize(reports, visits, top), credentials=found)


def _scan_layer(index: int, layer: Layer, lower: TreeBuilder, visits: "dict[str, list[_Visit]]") -> LayerChanges:
    """One pass over a layer's entries, against the tree of the layers below it.

    Records dive's visits (the leaves of the layer's own tree; a whiteout of a folder counts
    the sizes below it) and the layer's added, modified and removed paths.
    """
    entries = layer.entries
    parents = _parent_folders(entries)
    own: "set[str] | None" = None  # the layer's own paths, needed only under an opaque marker
    added: "list[Change]" = []
    modified: "list[Change]" = []
    removed: "list[Change]" = []
    files_size = 0
    below_nodes = lower.nodes
    for entry in entries:
        path = entry.path
        if isinstance(entry, Opaque):
            if own is None:
                own = {e.path for e in entries if not isinstance(e, (Whiteout, Opaque))}
            hidden = [p for p in _descendants(lower, path) if p not in own]
            if hidden:
                removed.append(Change(path, "opaque", sum(below_nodes[p].entry.size for p in hidden)))
            continue
        below = below_nodes.get(path)
        if isinstance(entry, Whiteout):
            hidden_size = _subtree_size(lower, path) if below is not None and below.kind == "dir" else 0
            visits.setdefault(path, []).append(_Visit(index, entry, hidden_size))
            if below is not None:
                removed.append(Change(path, below.kind, hidden_size + below.entry.size))
            continue
        kind = entry.kind
        size = entry.size
        files_size += size
        if kind != "dir" or path not in parents:
            visits.setdefault(path, []).append(_Visit(index, entry, size))
        if below is None:
            added.append(Change(path, kind, size))
        elif kind != "dir" or not _same_directory(below.entry, entry):
            modified.append(Change(path, kind, size))
    return LayerChanges(
        index=index,
        digest=layer.digest,
        created_by=layer.created_by,
        size=files_size,
        blob_size=layer.size,
        added=tuple(added),
        modified=tuple(modified),
        removed=tuple(removed),
    )


def _parent_folders(entries: Sequence[Entry]) -> "set[str]":
    """Every ancestor of the layer's entries, even one without its own tar entry (opaque
    markers are not entries): folders that are parents are not leaves, so dive skips them."""
    parents: "set[str]" = set()
    for entry in entries:
        if isinstance(entry, Opaque):
            continue
        head = entry.path.rpartition("/")[0]
        while head and head not in parents:
            parents.add(head)
            head = head.rpartition("/")[0]
    return parents


def _subtree_size(tree: TreeBuilder, path: str) -> int:
    """Sum of entry sizes below ``path`` (tar header sizes: hard links count 0, as in dive)."""
    return sum(tree.nodes[child].entry.size for child in _descendants(tree, path))


def _descendants(tree: TreeBuilder, path: str) -> "list[str]":
    found: "list[str]" = []
    pending = [path]
    while pending:
        directory = pending.pop()
        for name in tree.children.get(directory, ()):
            child = f"{directory}/{name}" if directory else name
            found.append(child)
            pending.append(child)
    return found


def _same_directory(old: Entry, new: Entry) -> bool:
    return old.kind == "dir" and (old.mode, old.uid, old.gid) == (new.mode, new.uid, new.gid)


def _summarize(reports: "list[LayerChanges]", visits: "dict[str, list[_Visit]]", top: int) -> Analysis:
    sum_all = smallest_all = wasted = 0
    repeated: "list[tuple[int, str]]" = []
    for path, seen in visits.items():
        if len(seen) == 1:  # most paths: visited once, nothing wasted
            sum_all += seen[0].size
            smallest_all += seen[0].size
            continue
        total = sum(v.size for v in seen)
        sum_all += total
        smallest_all += min(v.size for v in seen)
        wasted += total
        repeated.append((total, path))
    efficiency = 1.0 if sum_all == 0 else smallest_all / sum_all
    size_bytes = sum(report.size for report in reports)
    user_size = size_bytes - (reports[0].size if reports else 0)
    if user_size:
        user_ratio = wasted / user_size
    else:
        user_ratio = 0.0 if wasted == 0 else math.inf
    repeated.sort(key=lambda item: (-item[0], item[1]))
    biggest = [path for total, path in repeated[: max(top, 0)] if total > 0]
    top_waste = tuple(_wasted_path(path, visits[path]) for path in biggest)
    return Analysis(
        efficiency=efficiency,
        wasted_bytes=wasted,
        user_wasted_ratio=user_ratio,
        size_bytes=size_bytes,
        user_size_bytes=user_size,
        layers=tuple(reports),
        top_waste=top_waste,
        wasted_path_count=len(repeated),
    )


def _wasted_path(path: str, seen: "list[_Visit]") -> WastedPath:
    """Blame each visit's bytes on what the next visit did to it; the biggest blame is the cause."""
    blame: "dict[str, int]" = {}
    cause = "overwritten"
    for before, after in zip(seen, seen[1:], strict=False):
        cause = _transition_cause(before, after)
        blame[cause] = blame.get(cause, 0) + before.size
    if any(blame.values()):
        cause = max(blame, key=lambda name: blame[name])
    return WastedPath(
        path=path,
        total_bytes=sum(v.size for v in seen),
        smallest_bytes=min(v.size for v in seen),
        layers=tuple(v.layer_index for v in seen),
        cause=cause,
    )


def _transition_cause(before: _Visit, after: _Visit) -> str:
    if isinstance(after.entry, Whiteout) or isinstance(before.entry, Whiteout):
        return "deleted"
    old, new = before.entry, after.entry
    if (
        isinstance(old, File)
        and isinstance(new, File)
        and old.size == new.size
        and _content_digest(old) == _content_digest(new)
    ):
        same_owner = (old.mode, old.uid, old.gid) == (new.mode, new.uid, new.gid)
        return "duplicate" if same_owner else "permission"
    return "overwritten"


def _content_digest(entry: File) -> Digest:
    """Hash a file's bytes as a stream (never the whole file in memory)."""
    with entry.open() as stream:
        digest, _ = Digest.of_stream(stream)
    return digest


__all__ = ["Analysis", "Change", "LayerChanges", "RuleResult", "WastedPath", "analyze", "CAUSES"]
