"""이미지 인덱스(image index): 이름 하나 아래 플랫폼마다 다른 이미지를 묶은 것.

``docker pull nginx`` 가 먼저 받는 것은 이 인덱스이고, 엔진은 그 안에서 자기 플랫폼
(예: ``linux/arm64``)의 매니페스트를 골라 그 이미지를 받습니다. 인덱스 다이제스트는 인덱스
JSON 바이트의 SHA256이며, 공식 이미지의 ``RepoDigests`` 가 보여 주는 값이 바로 이것입니다.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from . import display
from .digest import Digest
from .errors import ImageLibError, TagNotFoundError
from .image import Image
from .oci import DEFAULT_PLATFORM, Descriptor, Index, Platform, best_match
from .readonly import ReadOnlyValue


class ImageIndex(ReadOnlyValue):
    """여러 플랫폼의 이미지와 그것들을 가리키는 인덱스 문서. 한번 만들면 바뀌지 않습니다.

    ``il.ImageIndex.of([amd64_img, arm64_img])`` 처럼 만들고(플랫폼은 각 이미지의 설정에서),
    ``index.image("linux/arm64")`` 로 ``docker pull --platform`` 이 고를 이미지를 꺼냅니다.
    """

    __slots__ = ("_index", "_images")
    _noun = "이미지 인덱스"
    _index: Index
    _images: "tuple[Image, ...]"

    def __init__(self, index: Index, images: Sequence[Image]) -> None:
        by_digest = {image.digest: image for image in images}
        entries = index.images()
        missing = [str(entry.digest) for entry in entries if entry.digest not in by_digest]
        if missing:
            raise ImageLibError(f"이미지 인덱스 {index.digest}가 가리키는 이미지가 없습니다: {', '.join(missing)}")
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_images", tuple(by_digest[entry.digest] for entry in entries))

    @classmethod
    def of(
        cls,
        images: "Sequence[Image] | Mapping[str | Platform, Image]",
        annotations: "Mapping[str, str] | None" = None,
    ) -> "ImageIndex":
        """이미지들로 새 OCI 이미지 인덱스를 만듭니다(주어진 순서대로, 같은 입력이면 같은 바이트).

        ``images`` 는 이미지 목록이나 ``{"linux/arm64": 이미지, ...}`` 사전입니다. 인덱스에 적는
        플랫폼은 언제나 이미지 설정의 ``os``/``architecture``/``variant`` 이므로, 사전의 플랫폼이
        설정과 다르면 ImageLibError를 냅니다(엔진은 설정과 다른 플랫폼을 믿지 않습니다).
        """
        if isinstance(images, Mapping):
            for wanted, image in images.items():
                _check_image(image)
                if not Platform.of_config(image.config_json).matches(wanted):
                    raise ImageLibError(
                        f"{wanted}에 준 이미지 {image.digest.short}의 설정은 플랫폼이 {image.platform}입니다. "
                        "img.with_platform(...)으로 설정의 플랫폼을 맞추세요."
                    )
            chosen = list(images.values())
        else:
            chosen = list(images)
        if not chosen:
            raise ImageLibError("이미지 인덱스에는 이미지가 하나 이상 있어야 합니다.")
        descriptors = [_descriptor(_check_image(image)) for image in chosen]
        _refuse_repeats(descriptors)
        return cls(Index.build(descriptors, annotations), chosen)

    # -- what it is -----------------------------------------------------------------------

    @property
    def index(self) -> Index:
        """인덱스 문서(``il.oci.Index``): 정확한 바이트, 다이제스트, 매니페스트 디스크립터들."""
        return self._index

    @property
    def digest(self) -> Digest:
        """인덱스 다이제스트 = 인덱스 JSON 바이트의 SHA256 (``이름@sha256:…`` 로 고정할 값)."""
        return self._index.digest

    @property
    def data(self) -> bytes:
        """인덱스 JSON의 정확한 바이트."""
        return self._index.data

    @property
    def media_type(self) -> str:
        return self._index.media_type

    @property
    def annotations(self) -> "Mapping[str, str]":
        return self._index.annotations

    @property
    def descriptor(self) -> Descriptor:
        """이 인덱스를 가리키는 디스크립터(OCI 레이아웃의 ``index.json`` 에 적는 것)."""
        return self._index.descriptor

    @property
    def images(self) -> "tuple[Image, ...]":
        """플랫폼별 이미지들, 인덱스에 적힌 순서대로."""
        return self._images

    @property
    def platforms(self) -> "tuple[str, ...]":
        """인덱스에 적힌 플랫폼들(예: ``("linux/amd64", "linux/arm64")``)."""
        return tuple(str(entry.platform or "") for entry in self._index.images())

    def image(self, platform: "str | Platform | None" = None) -> Image:
        """``docker pull --platform`` 이 고를 이미지(기본 ``linux/amd64``).

        도커 엔진처럼 같은 플랫폼이 없으면 32비트 arm만 낮은 변형으로 내려갑니다(arm/v7에는 arm/v6,
        v5). arm64에 arm/v7을, amd64에 386을 주지는 않습니다(도커 20.10은 "no matching manifest"를
        냅니다). 플랫폼을 주지 않았고 이미지가 하나뿐이면 그 하나입니다.
        """
        wanted = DEFAULT_PLATFORM if platform is None else Platform.parse(platform)
        entries = self._index.images()
        entry = best_match(entries, wanted)
        if entry is None and platform is None and len(entries) == 1:
            entry = entries[0]
        if entry is None:
            raise TagNotFoundError(
                f"이미지 인덱스 {self.digest.short}에 {wanted}에서 돌 이미지가 없습니다. "
                f"있는 플랫폼: {', '.join(self.platforms) or '(없음)'}"
            )
        return self._images[entries.index(entry)]

    def __iter__(self) -> Iterator[Image]:
        return iter(self._images)

    def __len__(self) -> int:
        return len(self._images)

    # -- identity and display -------------------------------------------------------------

    def _label(self) -> str:
        return self.digest.short

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ImageIndex) and self.digest == other.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def __repr__(self) -> str:
        return f"<ImageIndex digest={self.digest.short} 플랫폼 {', '.join(self.platforms)}>"

    def _repr_html_(self) -> str:
        rows = [
            (platform, image.digest.short, image.id.short, display.human_size(image.size))
            for platform, image in zip(self.platforms, self._images, strict=True)
        ]
        caption = f"이미지 인덱스 {self.digest.short}"
        return display.table(("플랫폼", "매니페스트 다이제스트", "이미지 ID", "크기"), rows, caption)


def _check_image(image: object) -> Image:
    if not isinstance(image, Image):
        raise ImageLibError(f"이미지 인덱스에는 il.Image가 필요합니다({type(image).__name__}를 받았습니다).")
    return image


def _descriptor(image: Image) -> Descriptor:
    """The index entry of an image: its manifest, with the platform its config states."""
    platform = Platform.of_config(image.config_json)
    if not platform.os or not platform.architecture:
        raise ImageLibError(
            f"이미지 {image.digest.short}의 설정에 os나 architecture가 없어 인덱스에 넣을 수 없습니다. "
            "img.with_platform('arm64')처럼 플랫폼을 적으세요."
        )
    return image.manifest.descriptor.with_changes(platform=platform)


def _refuse_repeats(descriptors: Sequence[Descriptor]) -> None:
    seen: "dict[tuple[str, str, str], Digest]" = {}
    for descriptor in descriptors:
        assert descriptor.platform is not None
        normal = descriptor.platform.normalized()
        key = (normal.os, normal.architecture, normal.variant)
        if key in seen:
            raise ImageLibError(
                f"플랫폼 {descriptor.platform}의 이미지가 둘입니다({seen[key].short}, {descriptor.digest.short}). "
                "인덱스에는 플랫폼마다 이미지 하나만 넣습니다."
            )
        seen[key] = descriptor.digest
