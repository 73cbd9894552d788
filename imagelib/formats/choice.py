"""Choosing one image out of a file that holds several (by reference, then by platform)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..digest import Digest
from ..errors import AmbiguousImageError, ImageLibError, InvalidReferenceError, TagNotFoundError
from ..image import Image
from ..oci import DEFAULT_PLATFORM, Platform, compatible_platforms
from ..reference import parse_reference


@dataclass(frozen=True)
class ImageChoice:
    """파일 안에 든 이미지 하나(후보). ``load()`` 로 이미지를 읽습니다.

    ``names`` 는 ``myapp:1.0`` 같은 이름들, ``tags`` 는 저장소 이름 없이 태그만 적힌 이름표
    (OCI 레이아웃의 ``org.opencontainers.image.ref.name``), ``platform`` 은 ``linux/amd64`` 같은
    플랫폼, ``digest`` 는 매니페스트 다이제스트(파일에 매니페스트가 없으면 None)입니다.
    """

    names: "tuple[str, ...]"
    tags: "tuple[str, ...]"
    platform: str
    digest: "Digest | None"
    group: str = field(compare=False)
    loader: "Callable[[], Image]" = field(repr=False, compare=False)
    image_id: "Digest | None" = None

    def load(self) -> Image:
        """이 후보를 읽어 이미지로 돌려줍니다(모든 블롭의 다이제스트와 크기를 검사)."""
        return self.loader()

    @property
    def label(self) -> str:
        """사람이 읽는 이름: 이름이나 태그, 없으면 다이제스트."""
        covered = {parse_reference(name).tag for name in self.names}
        shown = self.names + tuple(tag for tag in self.tags if tag not in covered)
        if shown:
            return ", ".join(shown)
        identity = self.digest or self.image_id
        return str(identity) if identity else "(이름 없음)"

    def __str__(self) -> str:
        return f"{self.label} [{self.platform or '플랫폼 모름'}]"

    def matches(self, wanted: str) -> bool:
        """``wanted`` (이름, 태그, 다이제스트 또는 이미지 ID)가 이 후보를 가리키면 True."""
        if wanted in self.names or wanted in self.tags:
            return True
        if wanted.startswith("sha256:"):
            return wanted in (self.digest, self.image_id)
        try:
            reference = parse_reference(wanted)
        except InvalidReferenceError:
            return False
        if reference.digest is not None and reference.digest != self.digest:
            return False
        if reference.tag is None:
            return any(parse_reference(name).name == reference.name for name in self.names)
        return any(str(parse_reference(name)) == str(reference) for name in self.names)


def merge(choices: Sequence[ImageChoice]) -> "list[ImageChoice]":
    """One choice per manifest: names of duplicate entries (one image, several tags) are joined."""
    merged: "dict[object, ImageChoice]" = {}
    for choice in choices:
        key = (choice.digest, choice.platform) if choice.digest is not None else id(choice)
        if key in merged:
            old = merged[key]
            merged[key] = ImageChoice(
                _union(old.names, choice.names),
                _union(old.tags, choice.tags),
                old.platform,
                old.digest,
                old.group,
                old.loader,
                old.image_id,
            )
        else:
            merged[key] = choice
    return list(merged.values())


def _union(first: "tuple[str, ...]", second: "tuple[str, ...]") -> "tuple[str, ...]":
    return tuple(dict.fromkeys(first + second))


def platform_matches(have: str, wanted: "str | Platform") -> bool:
    """Whether a choice's platform text (possibly empty: unknown) is the platform wanted."""
    try:
        return Platform.parse(have).matches(wanted)
    except ImageLibError:
        return False  # an unknown platform matches nothing asked for


def _best_platform(candidates: Sequence[ImageChoice], platform: "str | Platform") -> "list[ImageChoice]":
    """The candidates of the best platform ``docker pull --platform`` would take."""
    for runnable in compatible_platforms(platform):
        matching = [c for c in candidates if platform_matches(c.platform, runnable)]
        if matching:
            return matching
    return []


def choose(choices: Sequence[ImageChoice], label: str, ref: "str | None", platform: "str | None") -> ImageChoice:
    """Pick one choice: filter by ``ref``, then ``platform``; default platform linux/amd64."""
    if not choices:
        raise TagNotFoundError(f"{label}에 이미지가 하나도 없습니다.")
    candidates = list(choices)
    if ref is not None:
        candidates = [c for c in candidates if c.matches(str(ref))]
        if not candidates:
            raise TagNotFoundError(f"{label}에 {str(ref)!r} 이미지가 없습니다. 들어 있는 이미지: {_listing(choices)}")
    if platform is not None:
        matching = _best_platform(candidates, platform)
        if not matching:
            raise TagNotFoundError(
                f"{label}에 플랫폼 {platform!r}용 이미지가 없습니다. 있는 것: {_listing(candidates)}"
            )
        candidates = matching
    groups = list(dict.fromkeys(c.group for c in candidates))
    if len(groups) > 1:
        example = _example_ref(candidates)
        raise AmbiguousImageError(
            f"{label}에 이미지가 {len(groups)}개 있어 하나를 고를 수 없습니다: {_listing(candidates)}. "
            f"ref=로 하나를 고르세요. 예: il.open(경로, ref={example!r})"
        )
    if len(candidates) == 1:
        return candidates[0]
    default = [c for c in candidates if platform_matches(c.platform, DEFAULT_PLATFORM)]
    if len(default) == 1:
        return default[0]
    raise AmbiguousImageError(
        f"{label}의 이미지에 플랫폼이 여럿 있고 {DEFAULT_PLATFORM}은 없습니다: "
        f"{', '.join(c.platform or '?' for c in candidates)}. "
        f"platform=으로 고르세요. 예: il.open(경로, platform={candidates[0].platform!r})"
    )


def _listing(choices: Sequence[ImageChoice]) -> str:
    return ", ".join(str(c) for c in choices)


def _example_ref(choices: Sequence[ImageChoice]) -> str:
    for choice in choices:
        if choice.names or choice.tags:
            return (choice.names + choice.tags)[0]
    return str(choices[0].digest or choices[0].image_id)
