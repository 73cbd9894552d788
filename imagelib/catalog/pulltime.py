"""pull 시간 모형: 이미지를 받을 때 실제로 내려받아야 하는 바이트와 걸리는 시간.

``docker pull`` 은 레이어마다 다이제스트를 보고, 이미 가진 레이어는 건너뜁니다("Already exists").
그래서 내려받을 양은 "이미지 크기"가 아니라 **아직 없는 레이어들의 압축 크기의 합**입니다.

시간 = 내려받을 바이트 × 8 ÷ 대역폭(bit/s). 도커는 레이어를 몇 개씩 동시에 받지만 같은 회선을
나눠 쓰므로, 합계를 대역폭으로 나눈 값이 좋은 근삿값입니다. 압축 풀기·디스크 쓰기 시간과
레지스트리까지의 지연(latency)은 넣지 않았습니다(그래서 실제로는 이보다 조금 더 걸립니다).
레이어의 압축 크기는 ``modeled_download_size`` (모형 파일은 선언된 압축 크기)로 셉니다.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import display, modelfile
from ..digest import Digest
from ..errors import ImageLibError
from ..image import Image
from ..store import Store


@dataclass(frozen=True)
class LayerPull:
    """레이어 하나를 받을 때: 다이제스트, 내려받을 크기, 이미 있어서 건너뛰었는지."""

    digest: Digest
    created_by: str
    download: int
    reused: bool


@dataclass(frozen=True)
class PullEstimate:
    """``pull_time`` 의 결과: 레이어별 내역, 내려받을 바이트, 건너뛴 바이트, 걸리는 시간(초)."""

    layers: "tuple[LayerPull, ...]"
    bandwidth_mbps: float
    metadata_bytes: int

    @property
    def download_bytes(self) -> int:
        """실제로 내려받을 바이트(없는 레이어 + 매니페스트·설정)."""
        return sum(item.download for item in self.layers if not item.reused) + self.metadata_bytes

    @property
    def reused_bytes(self) -> int:
        """이미 있어서 건너뛴 레이어의 바이트."""
        return sum(item.download for item in self.layers if item.reused)

    @property
    def total_bytes(self) -> int:
        """아무것도 없을 때 내려받을 바이트(이미지의 압축 크기)."""
        return sum(item.download for item in self.layers) + self.metadata_bytes

    @property
    def seconds(self) -> float:
        """걸리는 시간(초) = 내려받을 바이트 × 8 ÷ 대역폭."""
        return self.download_bytes * 8 / (self.bandwidth_mbps * 1_000_000)

    @property
    def reused_layers(self) -> int:
        return sum(1 for item in self.layers if item.reused)

    def __str__(self) -> str:
        return (
            f"레이어 {len(self.layers)}개 중 {self.reused_layers}개는 이미 있음 · 내려받을 양 "
            f"{display.human_size(self.download_bytes)} (전체 {display.human_size(self.total_bytes)}) · "
            f"{self.bandwidth_mbps:g} Mbps에서 약 {self.seconds:.1f}초"
        )

    def __repr__(self) -> str:
        return f"<PullEstimate {self}>"

    def _repr_html_(self) -> str:
        rows = [
            (
                i,
                display.Code(display.short_text(item.created_by or "—", 60)),
                display.human_size(item.download),
                "건너뜀 (Already exists)" if item.reused else "내려받음",
            )
            for i, item in enumerate(self.layers)
        ]
        table = display.table(["#", "레이어를 만든 단계", "압축 크기", "pull"], rows)
        return f"<div><p>{str(self)}</p>{table}</div>"


def _held_layers(have: "Store | Image | Iterable[Image] | None") -> "set[Digest]":
    if have is None:
        return set()
    if isinstance(have, Store):
        images = [have.get(record.digest) for record in have.images()]
    elif isinstance(have, Image):
        images = [have]
    else:
        images = list(have)
    held: "set[Digest]" = set()
    for image in images:
        if not isinstance(image, Image):
            raise ImageLibError(f"pull_time의 store에는 il.Store나 이미지 목록을 주세요({type(image).__name__}).")
        held |= {layer.digest for layer in image.layers}
    return held


def pull_time(
    image: Image, store: "Store | Image | Iterable[Image] | None" = None, bandwidth_mbps: float = 100.0
) -> PullEstimate:
    """``image`` 를 받는 데 내려받을 바이트와 시간을 셉니다.

    ``store`` 에는 이 컴퓨터가 이미 가진 것(il.Store, 이미지 하나, 이미지 목록)을 줍니다. 거기 있는
    레이어(같은 다이제스트)는 건너뜁니다. ``bandwidth_mbps`` 는 회선 속도(메가비트/초)입니다.
    """
    if not isinstance(image, Image):
        raise ImageLibError(f"pull_time에는 il.Image를 주세요({type(image).__name__}를 받았습니다).")
    if bandwidth_mbps <= 0:
        raise ImageLibError(f"대역폭은 0보다 커야 합니다({bandwidth_mbps!r} Mbps를 받았습니다).")
    held = _held_layers(store)
    layers = tuple(
        LayerPull(layer.digest, layer.created_by, modelfile.layer_size(layer).download, layer.digest in held)
        for layer in image.layers
    )
    metadata = len(image.manifest_bytes) + len(image.config_bytes)
    return PullEstimate(layers, float(bandwidth_mbps), metadata)
