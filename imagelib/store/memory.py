"""A store's blobs and names kept in memory (``il.Store()`` without a folder)."""

from __future__ import annotations

from ..blob import Blob
from ..digest import Digest


class MemoryBackend:
    """Blobs and the name index kept in memory."""

    def __init__(self) -> None:
        self.blobs: "dict[Digest, Blob]" = {}
        self.index: "dict[str, Digest]" = {}
        self.manifests: "list[Digest]" = []

    def put_blob(self, blob: Blob) -> None:
        self.blobs.setdefault(blob.digest, blob)

    def get_blob(self, digest: Digest) -> "Blob | None":
        return self.blobs.get(digest)

    def delete_blob(self, digest: Digest) -> None:
        self.blobs.pop(digest, None)

    def blob_digests(self) -> "list[Digest]":
        return list(self.blobs)

    def save_index(self, index: "dict[str, Digest]", manifests: "list[Digest]") -> None:
        self.index, self.manifests = dict(index), list(manifests)

    @property
    def location(self) -> str:
        return "메모리"
