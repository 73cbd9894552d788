"""StoreRegistry: the rules of a registry, kept in an in-memory ``il.Store`` (no server needed).

For machines without a registry program: the same story (repositories, blobs that are skipped
or mounted, tags that move, digests that stay) told without any network.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..digest import Digest
from ..errors import ImageLibError, InvalidReferenceError, RegistryNotFoundError
from ..image import Image
from ..oci import Descriptor
from ..reference import Reference, parse_reference
from ..store import Store
from .report import PushReport


class StoreRegistry:
    """레지스트리 프로그램 없이 레지스트리의 규칙을 흉내 내는 메모리 레지스트리(속은 ``il.Store``).

    ``il.Registry`` 처럼 push, pull, resolve, tags, delete를 쓸 수 있습니다. 블롭은 저장소
    (repository)마다 따로 기록하므로, 다른 저장소에 이미 있는 블롭은 "연결(mount)"로,
    같은 저장소에 있는 블롭은 "이미 있음(skipped)"으로 보고합니다.
    """

    host = "registry.local"

    def __init__(self, store: "Store | None" = None) -> None:
        self.store = store if store is not None else Store()
        self._blobs: "dict[str, set[Digest]]" = {}
        self._manifests: "dict[str, set[Digest]]" = {}

    def ping(self) -> bool:
        return True

    def blob_exists(self, repository: str, digest: "Digest | str") -> bool:
        return Digest.parse(digest) in self._blobs.get(self._reference(repository).repository, set())

    def push(self, image: Image, ref: "str | Reference", mount_from: "str | Iterable[str]" = ()) -> PushReport:
        """이미지를 저장소(repository)에 올리고, 무엇을 올리고 건너뛰고 연결했는지 보고합니다."""
        if not isinstance(image, Image):
            raise ImageLibError(f"push에는 il.Image가 필요합니다({type(image).__name__}를 받았습니다).")
        reference = self._reference(ref)
        if reference.digest is not None and reference.digest != image.digest:
            raise InvalidReferenceError(
                f"참조 {reference.familiar}의 다이제스트가 이미지의 다이제스트 {image.digest}와 다릅니다."
            )
        name = reference.repository
        present = self._blobs.setdefault(name, set())
        elsewhere = set().union(*(blobs for repo, blobs in self._blobs.items() if repo != name))
        groups: "dict[str, list[Descriptor]]" = {"uploaded": [], "skipped": [], "mounted": []}
        for descriptor, _ in image.blobs():
            kind = (
                "skipped"
                if descriptor.digest in present
                else "mounted"
                if descriptor.digest in elsewhere
                else "uploaded"
            )
            groups[kind].append(descriptor)
            present.add(descriptor.digest)
        self.store.put(image, f"{name}:{reference.tag}" if reference.tag else None)
        self._manifests.setdefault(name, set()).add(image.digest)
        sent = sum(d.size for d in groups["uploaded"]) + len(image.manifest_bytes)
        return PushReport(
            str(reference),
            image.digest,
            tuple(groups["uploaded"]),
            tuple(groups["skipped"]),
            tuple(groups["mounted"]),
            sent,
        )

    def resolve(self, ref: "str | Reference") -> Digest:
        """태그가 지금 가리키는 매니페스트 다이제스트."""
        reference = self._reference(ref)
        name = reference.repository
        digest: "Digest | None"
        if reference.digest is not None:
            digest = reference.digest
        else:
            key = f"{name}:{reference.tag}"
            digest = self.store.resolve(key) if key in self.store else None
        if digest is None or digest not in self._manifests.get(name, set()):
            raise RegistryNotFoundError(
                f"레지스트리에 이미지 {reference.familiar}이(가) 없습니다. 저장소 이름, 태그, 다이제스트를 확인하세요."
            )
        return digest

    def pull(self, ref: "str | Reference", platform: "str | None" = None) -> Image:
        """이미지를 꺼냅니다(저장소에 있는 이미지만)."""
        return self.store.get(self.resolve(ref))

    def tags(self, repository: str, page_size: "int | None" = None) -> "list[str]":
        """저장소의 태그 목록(정렬됨)."""
        name = self._reference(repository).repository
        if name not in self._manifests:
            raise RegistryNotFoundError(f"레지스트리에 저장소 {name}이(가) 없습니다.")
        prefix = parse_reference(f"{name}:x").familiar_name + ":"
        return sorted(t[len(prefix) :] for t in self.store.tags() if t.startswith(prefix))

    def repositories(self, page_size: "int | None" = None) -> "list[str]":
        return sorted(self._manifests)

    def delete(self, ref: "str | Reference") -> Digest:
        """매니페스트를 지웁니다. 그것을 가리키던 태그도 사라집니다."""
        reference = self._reference(ref)
        digest = self.resolve(reference)
        name = reference.repository
        for tag in self.tags(name):
            if self.store.resolve(f"{name}:{tag}") == digest:
                self.store.untag(f"{name}:{tag}")
        self._manifests[name].discard(digest)
        return digest

    def _reference(self, ref: "str | Reference") -> Reference:
        reference = parse_reference(ref)
        if reference.registry not in ("docker.io", self.host):
            raise InvalidReferenceError(f"참조 {str(ref)!r}는 다른 레지스트리({reference.registry})를 가리킵니다.")
        return reference

    def __repr__(self) -> str:
        return f"<StoreRegistry 저장소 {len(self._manifests)}개>"
