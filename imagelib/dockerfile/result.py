"""빌드 결과: 만들어진 이미지, 단계별 기록(레이어인지 설정만인지, 캐시 적중/실패), 단계(stage)별 이미지."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import display, modelfile
from ..image import Image
from ..layer import Layer

LAYER_KEYWORDS = ("COPY", "ADD", "RUN", "WORKDIR")


@dataclass(frozen=True)
class BuildStep:
    """빌드의 한 단계(Dockerfile의 명령 하나)."""

    number: int
    stage: str
    instruction: str
    text: str
    line: int
    created_by: str
    layer: "Layer | None"
    cache: "str | None"
    output: str
    image: Image
    progress: str = ""

    @property
    def kind(self) -> str:
        """'베이스'(FROM), '레이어'(파일 변경을 담은 새 레이어) 또는 '설정만'(empty_layer)."""
        if self.instruction == "FROM":
            return "베이스"
        return "레이어" if self.layer is not None else "설정만"

    @property
    def cached(self) -> bool:
        """캐시에서 가져온 단계면 True."""
        return self.cache == "hit"

    @property
    def size(self) -> int:
        """이 단계가 더한 레이어의 크기(모형 크기 반영; 설정만이면 0)."""
        return modelfile.modeled_size(self.layer) if self.layer is not None else 0

    @property
    def status(self) -> str:
        """사람이 읽는 캐시 상태: 'CACHED'(적중), '실행'(실패해서 다시 실행), '—'(설정만·베이스)."""
        return {"hit": "CACHED", "miss": "실행"}.get(self.cache or "", "—")

    def __repr__(self) -> str:
        return f"<BuildStep {self.number} {self.stage} 줄{self.line} {self.text!r} {self.kind} {self.status}>"


@dataclass(frozen=True)
class BuildResult:
    """``il.build`` 의 결과. ``.image`` 가 만들어진 이미지, ``.steps`` 가 단계별 기록입니다."""

    image: Image
    steps: "tuple[BuildStep, ...]"
    stages: Mapping
    target: str
    warnings: "tuple[str, ...]" = ()
    ignored: "tuple[str, ...]" = field(default=())

    @property
    def cache_hits(self) -> int:
        return sum(1 for s in self.steps if s.cache == "hit")

    @property
    def cache_misses(self) -> int:
        return sum(1 for s in self.steps if s.cache == "miss")

    @property
    def rebuilt_size(self) -> int:
        """다시 실행한(캐시 실패) 단계가 새로 만든 레이어 크기의 합(모형 크기): 다시 push할 양."""
        return sum(s.size for s in self.steps if s.cache == "miss")

    @property
    def size(self) -> int:
        """만들어진 이미지의 크기(모형 크기 반영; ``docker images`` 의 SIZE)."""
        return modelfile.modeled_size(self.image)

    def step(self, text: str) -> BuildStep:
        """Dockerfile 글(예: ``"RUN npm install"``)로 시작하는 단계를 찾습니다."""
        for candidate in self.steps:
            if candidate.text.startswith(text):
                return candidate
        raise KeyError(text)

    def log(self) -> str:
        """BuildKit의 진행 표시와 비슷한 기록(시간은 적지 않음)."""
        lines = []
        for step in self.steps:
            head = f"#{step.number} [{step.progress}] " if step.progress else f"#{step.number} "
            tail = "  CACHED" if step.cache == "hit" else ""
            lines.append(f"{head}{step.text}{tail}")
            if step.output and step.cache != "hit":
                lines += [f"#{step.number} {line}" for line in step.output.rstrip("\n").splitlines()]
        lines.append(
            f"=> 이미지 {self.image.id.short} (다이제스트 {self.image.digest.short}), "
            f"레이어 {len(self.image.layers)}개, {display.human_size(self.size)}"
        )
        if self.warnings:
            # BuildKit also lists its warnings after the build's steps.
            lines.append(f"경고 {len(self.warnings)}개:")
            lines += [f" - {warning}" for warning in self.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.log()

    def __repr__(self) -> str:
        return (
            f"<BuildResult {self.target}: 단계 {len(self.steps)}개, 캐시 적중 {self.cache_hits}, "
            f"실패 {self.cache_misses}, 이미지 {self.image.digest.short}>"
        )

    def table(self) -> "list[dict]":
        """단계별 요약(사전 목록): 단계, 줄, 명령, 종류, 크기, 캐시."""
        return [
            {
                "단계": s.stage,
                "줄": s.line,
                "명령": s.text,
                "종류": s.kind,
                "크기": display.human_size(s.size) if s.layer is not None else "",
                "캐시": s.status,
            }
            for s in self.steps
        ]

    def _repr_html_(self) -> str:
        rows = [
            (
                s.stage,
                s.line,
                display.Code(display.short_text(s.text, 60)),
                s.kind,
                display.human_size(s.size) if s.layer is not None else "",
                s.status,
            )
            for s in self.steps
        ]
        head = (
            f"<b>빌드 결과</b> · 이미지 <code>{self.image.id.short}</code> · 레이어 "
            f"{len(self.image.layers)}개 · {display.human_size(self.size)} · 캐시 적중 "
            f"{self.cache_hits} / 실패 {self.cache_misses}"
        )
        return f"<div>{head}{display.table(['단계', '줄', '명령', '종류', '크기', '캐시'], rows)}</div>"
