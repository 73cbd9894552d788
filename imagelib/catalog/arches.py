"""The platforms the modeled base images exist for, and how their files are named on each.

The specs in ``data`` are written for linux/amd64. The official images publish the same
Dockerfile for every architecture; what differs in the root file system is a handful of
names: the dynamic loader (``/lib/ld-musl-x86_64.so.1`` vs ``/lib/ld-musl-aarch64.so.1``,
``/lib64/ld-linux-x86-64.so.2`` vs ``/lib/ld-linux-aarch64.so.1``), Debian's multiarch folders
(``/usr/lib/x86_64-linux-gnu`` vs ``/usr/lib/aarch64-linux-gnu``), apk's ``A:`` field and
key folder, the ``lib64`` folder, which exists on amd64 only (debootstrap makes the ``lib64``
link for amd64 and not for arm64), and Ubuntu's archive (``ports.ubuntu.com`` for every
architecture but amd64 and i386). An ``Arch`` rewrites an amd64 spec into another
architecture's, so every catalog entry (and every one added later) has each platform.
Sizes stay those of amd64: the catalog has no per-architecture size source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Arch:
    """One platform of the catalog: its config fields and the names that differ from amd64's."""

    platform: str
    architecture: str
    variant: str = ""
    renames: "tuple[tuple[str, str], ...]" = ()
    dropped: "frozenset[str]" = frozenset()

    def rename(self, text: str) -> str:
        for old, new in self.renames:
            text = text.replace(old, new)
        return text

    def files(self, spec: str) -> str:
        """A layer's file list on this architecture (lines that do not exist here are left out)."""
        if not self.renames and not self.dropped:
            return spec
        lines = [line for line in spec.splitlines() if line.strip() not in self.dropped]
        return "\n".join(self.rename(line) for line in lines)

    def texts(self, texts: "Mapping[str, Any]") -> "dict[str, Any]":
        """A layer's small text files on this architecture (paths and contents renamed)."""
        renamed: "dict[str, Any]" = {}
        for path, value in texts.items():
            if isinstance(value, tuple):
                renamed[self.rename(path)] = (self.rename(value[0]), value[1])
            else:
                renamed[self.rename(path)] = self.rename(value)
        return renamed

    def layer(self, spec: Any) -> Any:
        """A ``LayerSpec`` for this architecture; the amd64 spec itself on amd64."""
        if not self.renames and not self.dropped:
            return spec
        return replace(spec, files=self.files(spec.files), texts=self.texts(spec.texts))


AMD64 = Arch("linux/amd64", "amd64")

# Order matters: the loader links and paths first, then every other x86_64 name.
ARM64 = Arch(
    "linux/arm64/v8",
    "arm64",
    "v8",  # Docker Hub's official images state arm64 with variant v8 in index and config
    renames=(
        (
            "usr/lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
            "usr/lib/ld-linux-aarch64.so.1 -> aarch64-linux-gnu/ld-linux-aarch64.so.1",
        ),
        ("lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/", "lib/ld-linux-aarch64.so.1 -> aarch64-linux-gnu/"),
        ("/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1"),
        ("lib64/ld-linux-x86-64.so.2", "lib/ld-linux-aarch64.so.1"),
        ("ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"),
        ("x86_64", "aarch64"),
        # Ubuntu serves every architecture but amd64 and i386 from its ports archive.
        ("http://archive.ubuntu.com/ubuntu/", "http://ports.ubuntu.com/ubuntu-ports/"),
        ("http://security.ubuntu.com/ubuntu/", "http://ports.ubuntu.com/ubuntu-ports/"),
    ),
    dropped=frozenset({"lib64 -> usr/lib64", "lib64/"}),
)

ARCHES: "tuple[Arch, ...]" = (AMD64, ARM64)
