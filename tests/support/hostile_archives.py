"""Hostile layers and image archives, made byte by byte by the tests (nothing binary is committed).

The cases follow the breakouts container runtimes guard against (moby ``pkg/archive``
untar tests, containerd ``archive`` breakout tests, umoci's whiteout and parent-symlink
cases): path traversal, symlink and hard link escapes, whiteouts that name ``.``/``..``,
entries that replace the root, directory overrides, and compression bombs.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import stat
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

BLOCK = 512


@dataclass
class Member:
    """One raw tar member. ``name`` and ``link`` may be bytes (non-UTF-8 names)."""

    name: "str | bytes"
    kind: str = "file"  # file, dir, symlink, hardlink, fifo, char, block
    data: bytes = b""
    link: "str | bytes" = ""
    mode: int = 0o644
    major: int = 0
    minor: int = 0
    size: "int | None" = None  # header size when it differs from len(data)
    pax: dict = field(default_factory=dict)


_TYPES = {
    "file": tarfile.REGTYPE,
    "dir": tarfile.DIRTYPE,
    "symlink": tarfile.SYMTYPE,
    "hardlink": tarfile.LNKTYPE,
    "fifo": tarfile.FIFOTYPE,
    "char": tarfile.CHRTYPE,
    "block": tarfile.BLKTYPE,
}


def _text(value: "str | bytes") -> str:
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value


def file(name, data: bytes = b"x", mode: int = 0o644) -> Member:
    return Member(name, "file", data, mode=mode)


def folder(name, mode: int = 0o755) -> Member:
    return Member(name, "dir", mode=mode)


def symlink(name, target) -> Member:
    return Member(name, "symlink", link=target, mode=0o777)


def hardlink(name, target) -> Member:
    return Member(name, "hardlink", link=target)


def raw_tar(*members: Member, trailer: bool = True, fmt: int = tarfile.GNU_FORMAT) -> bytes:
    """A tar stream of exactly these members, in this order, with no parents added.

    GNU format keeps non-UTF-8 names as raw bytes; ``trailer=False`` cuts the stream right
    after the last member (no end-of-archive blocks), as a truncated download would.
    """
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=fmt, encoding="utf-8", errors="surrogateescape") as tar:
        for member in members:
            info = tarfile.TarInfo(_text(member.name))
            info.type = _TYPES[member.kind]
            info.mode = member.mode
            info.linkname = _text(member.link)
            info.devmajor, info.devminor = member.major, member.minor
            info.pax_headers = dict(member.pax)
            if member.kind == "file":
                info.size = len(member.data)
                tar.addfile(info, io.BytesIO(member.data))
            else:
                tar.addfile(info)
        end = buffer.tell()
    data = buffer.getvalue()
    return data if trailer else data[:end]


# -- extended headers, block by block (the order and repetition tarfile's writer never makes) ------


def pax_payload(records: "dict[str, str]") -> bytes:
    """PAX records ``"<length> key=value\\n"``, where the length counts itself."""
    out = b""
    for key, value in records.items():
        body = f" {key}={value}\n".encode()
        length = len(body) + 1
        while len(str(length)) + len(body) != length:
            length += 1
        out += str(length).encode() + body
    return out


def header(name: str, kind: bytes = tarfile.REGTYPE, data: bytes = b"", link: str = "") -> bytes:
    """One ustar member (header and padded data) with short ``name`` and ``link``."""
    info = tarfile.TarInfo(name)
    info.type, info.size, info.linkname = kind, len(data), link
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    return info.tobuf(tarfile.USTAR_FORMAT) + data + bytes(-len(data) % BLOCK)


def with_fields(member: bytes, *, magic: bytes, prefix: bytes = b"", trailer: bytes = bytes(4)) -> bytes:
    """``member`` (made by ``header``) with other magic and version bytes (8), prefix field (up to
    155 bytes) and star trailer (4), and its checksum made again."""
    return with_bytes(member, {257: magic, 345: prefix.ljust(155, b"\0"), 508: trailer})


def with_bytes(member: bytes, changes: "dict[int, bytes]") -> bytes:
    """``member`` (made by ``header``) with header bytes replaced (offset: bytes), checksum made again."""
    block = bytearray(member[:BLOCK])
    for offset, value in changes.items():
        block[offset : offset + len(value)] = value
    block[148:156] = b" " * 8
    block[148:155] = b"%06o\0" % sum(block)
    return bytes(block) + member[BLOCK:]


def meta(kind: bytes, payload: bytes) -> bytes:
    """An extended header member: 'x'/'g' (PAX records), 'L'/'K' (GNU long name/link), 'X'."""
    name = "././@LongLink" if kind in (tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK) else "PaxHeader"
    return header(name, kind, payload)


def long_name(name: str) -> bytes:
    return meta(tarfile.GNUTYPE_LONGNAME, name.encode() + b"\0")


def long_link(target: str) -> bytes:
    return meta(tarfile.GNUTYPE_LONGLINK, target.encode() + b"\0")


def pax(**records: str) -> bytes:
    return meta(tarfile.XHDTYPE, pax_payload(records))


def global_pax(**records: str) -> bytes:
    return meta(tarfile.XGLTYPE, pax_payload(records))


def blocks_tar(*members: bytes) -> bytes:
    """Members made by ``header``/``meta``, then the end-of-archive blocks."""
    return b"".join(members) + bytes(2 * BLOCK)


def gzip_bomb(inflated: int, chunk: int = 1 << 20) -> bytes:
    """A valid gzip layer holding one file of zeros: ``inflated`` bytes of tar from a few KiB.

    Built from copies of one small gzip member, so making it costs almost nothing (gzip
    readers treat concatenated members as one stream). The last 1 KiB of zeros is the tar's
    end-of-archive blocks.
    """
    count = inflated // chunk
    header = _with_size(raw_tar(Member("bomb.bin"), trailer=False)[:BLOCK], count * chunk - 2 * BLOCK)
    zeros = gzip.compress(bytes(chunk), compresslevel=9, mtime=0)
    return gzip.compress(header, mtime=0) + zeros * count


def zstd_bomb(inflated: int) -> bytes:
    """The same as ``gzip_bomb`` with zstd, which packs zeros far tighter still."""
    import zstandard

    header = _with_size(raw_tar(Member("bomb.bin"), trailer=False)[:BLOCK], (inflated >> 20 << 20) - 2 * BLOCK)
    packer = zstandard.ZstdCompressor(level=3)
    out = io.BytesIO()
    with packer.stream_writer(out, closefd=False) as writer:
        writer.write(header)
        zeros = bytes(1 << 20)
        for _ in range(inflated >> 20):
            writer.write(zeros)
    return out.getvalue()


def _with_size(header: bytes, size: int) -> bytes:
    """A ustar/GNU header block with a new size field (base-256 for big sizes) and checksum."""
    block = bytearray(header)
    block[124:136] = b"\x80" + size.to_bytes(11, "big")
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


def zstd(data: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdCompressor(level=3).compress(data)


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


# -- whole image archives ------------------------------------------------------------------------


def _config(diff_ids: "list[str]") -> bytes:
    return json.dumps(
        {"architecture": "amd64", "os": "linux", "config": {}, "rootfs": {"type": "layers", "diff_ids": diff_ids}},
        separators=(",", ":"),
    ).encode()


def _diff_id(blob: bytes) -> str:
    if blob[:2] == b"\x1f\x8b":
        try:
            return sha256(gzip.decompress(blob))
        except (OSError, EOFError):
            return sha256(blob)
    return sha256(blob)


def outer_tar(files: "dict[str, bytes]", extra: "list[tarfile.TarInfo] | None" = None) -> bytes:
    """The archive itself: plain members (name -> bytes), plus raw members such as symlinks."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info in extra or []:
            tar.addfile(info)
    return buffer.getvalue()


def docker_archive_files(
    layers: "list[bytes]", *, config: "bytes | None" = None, manifest: "object | None" = None
) -> "dict[str, bytes]":
    """The members of a ``docker save`` archive (Docker 25 naming: blobs/sha256/<hex>)."""
    config = config if config is not None else _config([_diff_id(layer) for layer in layers])
    files = {f"blobs/sha256/{sha256(layer)[7:]}": layer for layer in layers}
    files[f"blobs/sha256/{sha256(config)[7:]}"] = config
    if manifest is None:
        manifest = [
            {
                "Config": f"blobs/sha256/{sha256(config)[7:]}",
                "RepoTags": ["hostile:1"],
                "Layers": [f"blobs/sha256/{sha256(layer)[7:]}" for layer in layers],
            }
        ]
    files["manifest.json"] = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    return files


def oci_layout_files(
    layers: "list[bytes]",
    *,
    index: "object | None" = None,
    manifest: "object | None" = None,
    config: "bytes | None" = None,
    media_type: str = "application/vnd.oci.image.layer.v1.tar",
) -> "dict[str, bytes]":
    """The files of an OCI image layout holding one image made of these layer blobs."""
    config = config if config is not None else _config([_diff_id(layer) for layer in layers])
    if manifest is None:
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": sha256(config),
                "size": len(config),
            },
            "layers": [{"mediaType": media_type, "digest": sha256(layer), "size": len(layer)} for layer in layers],
        }
    manifest_bytes = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    files = {f"blobs/sha256/{sha256(layer)[7:]}": layer for layer in layers}
    files[f"blobs/sha256/{sha256(config)[7:]}"] = config
    files[f"blobs/sha256/{sha256(manifest_bytes)[7:]}"] = manifest_bytes
    if index is None:
        index = {
            "schemaVersion": 2,
            "manifests": [
                {
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": sha256(manifest_bytes),
                    "size": len(manifest_bytes),
                    "annotations": {"org.opencontainers.image.ref.name": "1"},
                }
            ],
        }
    files["index.json"] = index if isinstance(index, bytes) else json.dumps(index).encode()
    files["oci-layout"] = b'{"imageLayoutVersion":"1.0.0"}'
    return files


def write_folder(root: Path, files: "dict[str, bytes]") -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


# -- watching what must not change ---------------------------------------------------------------


def plant_victim(base: Path) -> Path:
    """Files a breakout would try to read, overwrite, chmod or delete, next to the target folder."""
    victim = base / "victim"
    (victim / "b").mkdir(parents=True)
    (victim / "hello").write_text("hello, victim\n")
    (victim / "passwd").write_text("root:x:0:0::/root:/bin/sh\n")
    (victim / "b" / "keep").write_text("keep\n")
    os.chmod(victim / "b", 0o755)
    os.symlink("hello", victim / "link")
    return victim


def snapshot(base: Path, skip: "str | None" = None) -> "dict[str, tuple]":
    """Every path under ``base`` (except the ``skip`` folder) with its kind, mode, content, mtime."""
    result = {}
    for current, dirs, files in os.walk(base):
        if skip is not None and Path(current) == base:
            dirs[:] = [d for d in dirs if d != skip]
        for name in dirs + files:
            path = Path(current) / name
            info = os.lstat(path)
            rel = str(path.relative_to(base))
            if stat.S_ISLNK(info.st_mode):
                result[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                result[rel] = ("dir", stat.S_IMODE(info.st_mode), info.st_mtime_ns)
            else:
                result[rel] = (
                    "file",
                    stat.S_IMODE(info.st_mode),
                    info.st_nlink,
                    info.st_mtime_ns,
                    hashlib.sha256(path.read_bytes()).hexdigest(),
                )
    return result
