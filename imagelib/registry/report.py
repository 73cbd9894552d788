"""What a push did: which blobs went over the wire, which the registry already had."""

from __future__ import annotations

from dataclasses import dataclass

from .. import display
from ..digest import Digest
from ..oci import Descriptor


@dataclass(frozen=True)
class PushReport:
    """``Registry.push`` 의 결과: 올린 블롭, 건너뛴 블롭(이미 있음), 다른 저장소에서 연결(mount)한 블롭.

    ``docker push`` 가 ``Pushed`` / ``Layer already exists`` / ``Mounted from …`` 로 보여 주는
    것과 같은 구분입니다. ``digest`` 는 올린 매니페스트의 다이제스트, ``bytes_sent`` 는 실제로
    보낸 블롭과 매니페스트의 바이트 수입니다.
    """

    reference: str
    digest: Digest
    uploaded: "tuple[Descriptor, ...]"
    skipped: "tuple[Descriptor, ...]"
    mounted: "tuple[Descriptor, ...]"
    bytes_sent: int

    def __str__(self) -> str:
        return (
            f"{self.reference}: 올림 {len(self.uploaded)}개, 이미 있음 {len(self.skipped)}개, "
            f"연결(mount) {len(self.mounted)}개, 보낸 양 {display.human_size(self.bytes_sent)}; "
            f"다이제스트 {self.digest}"
        )

    def _repr_html_(self) -> str:
        groups = (
            (self.uploaded, "올림 (Pushed)"),
            (self.skipped, "이미 있음 (already exists)"),
            (self.mounted, "연결 (Mounted)"),
        )
        rows = [
            (display.Code(d.digest.short), d.media_type.rsplit(".", 1)[-1], display.human_size(d.size), label)
            for group, label in groups
            for d in group
        ]
        caption = f"push {self.reference} → {self.digest.short}, 보낸 양 {display.human_size(self.bytes_sent)}"
        return display.table(["블롭", "종류", "크기", "결과"], rows, caption)
