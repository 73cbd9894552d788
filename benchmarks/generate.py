"""Generate a big legacy `docker save` archive for the benchmarks.

Layout (what `docker save` wrote before Docker 25): manifest.json, repositories,
<config-hex>.json and <layer-id>/{VERSION,json,layer.tar}. Layers are uncompressed tars with
parent directories, regular files and `.wh.` whiteouts, written with tarfile only (no imagelib),
so the benchmark input does not depend on the code it measures.

The five layers model a wasteful build: a base, an application, an update that overwrites base
files, a cleanup that deletes application files, and a step that chmods base files (copying
them whole). Everything is derived from a fixed seed, so every run writes the same bytes.

    python benchmarks/generate.py                   # 1 GiB, 5 layers, 20,000 files
    python benchmarks/generate.py --size 64MiB --files 2000   # a quick small one
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import re
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
POOL_SIZE = 8 << 20
MAX_FILE = 4 << 20
# Share of the files written by each of the five layers.
LAYER_SHARES = (0.40, 0.25, 0.15, 0.10, 0.10)


@dataclass(frozen=True)
class FileSpec:
    path: str
    size: int
    key: int  # which bytes of the pool the content starts at
    mode: int = 0o644


@dataclass
class LayerSpec:
    created_by: str
    files: "list[FileSpec]"
    deleted: "list[str]"


def plan(total_bytes: int, file_count: int, seed: int = 20240601) -> "list[LayerSpec]":
    """Decide every file of every layer (paths, sizes, content keys)."""
    rng = random.Random(seed)
    counts = [int(file_count * share) for share in LAYER_SHARES]
    counts[0] += file_count - sum(counts)
    raw = [rng.lognormvariate(0.0, 1.2) for _ in range(file_count)]
    scale = total_bytes / sum(raw)
    sizes = iter(min(MAX_FILE, int(value * scale)) for value in raw)

    def new_files(prefix: str, count: int) -> "list[FileSpec]":
        return [
            FileSpec(f"{prefix}/d{i // 200:03d}/f{i:05d}.bin", next(sizes), rng.randrange(POOL_SIZE))
            for i in range(count)
        ]

    base = new_files("usr/lib/base", counts[0])
    app = new_files("opt/app", counts[1])
    overwritten = base[: counts[2] // 3]
    update = [FileSpec(f.path, next(sizes), rng.randrange(POOL_SIZE)) for f in overwritten]
    update += new_files("srv/data", counts[2] - len(update))
    removed = [f.path for f in app[: counts[3] // 4]]
    cache = new_files("var/cache/pkgs", counts[3])
    chmodded = [FileSpec(f.path, f.size, f.key, 0o755) for f in base[-(counts[4] // 4) :]]
    home = chmodded + new_files("home/user", counts[4] - len(chmodded))
    return [
        LayerSpec("ADD base.tar /", base, []),
        LayerSpec("COPY app /opt/app", app, []),
        LayerSpec("RUN update-base && fetch-data", update, []),
        LayerSpec("RUN fetch-cache && rm <some app files>", cache, removed),
        LayerSpec("RUN chmod +x /usr/lib/base/... && setup-home", home, []),
    ]


def _pool(seed: int) -> bytes:
    return random.Random(seed).randbytes(POOL_SIZE + MAX_FILE)


def _header(name: str, kind: bytes, size: int = 0, mode: int = 0o644) -> bytes:
    info = tarfile.TarInfo(name)
    info.type, info.size, info.mode, info.mtime = kind, size, mode, 0
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")


def write_layer(spec: LayerSpec, pool: bytes, out) -> None:
    names = [f.path for f in spec.files] + spec.deleted
    directories = sorted({"/".join(p.split("/")[:i]) for p in names for i in range(1, p.count("/") + 1)})
    for directory in directories:
        out.write(_header(directory + "/", tarfile.DIRTYPE, mode=0o755))
    for path in sorted(spec.deleted):
        head, _, tail = path.rpartition("/")
        out.write(_header(f"{head}/.wh.{tail}", tarfile.REGTYPE))
    view = memoryview(pool)
    for spec_file in sorted(spec.files, key=lambda f: f.path):
        out.write(_header(spec_file.path, tarfile.REGTYPE, spec_file.size, spec_file.mode))
        out.write(view[spec_file.key : spec_file.key + spec_file.size])
        out.write(b"\0" * (-spec_file.size % 512))
    out.write(b"\0" * 1024)


class _HashingFile(io.RawIOBase):
    def __init__(self, handle) -> None:
        self.handle, self.hash, self.size = handle, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.hash.update(data)
        self.size += len(data)
        return self.handle.write(data)


def generate(archive: Path, total_bytes: int, file_count: int, seed: int = 20240601) -> Path:
    """Write ``archive`` (and its layer tars under ``<archive>.layers/`` for ``tar -x``)."""
    stage = archive.with_suffix(".layers")
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    pool = _pool(seed)
    layers, diff_ids, parent = [], [], ""
    for spec in plan(total_bytes, file_count, seed):
        tmp = stage / "layer.tmp"
        with open(tmp, "wb") as handle:
            hashing = _HashingFile(handle)
            write_layer(spec, pool, hashing)
        diff_id = "sha256:" + hashing.hash.hexdigest()
        layer_id = hashlib.sha256(f"{parent} {diff_id}".encode()).hexdigest()
        (stage / layer_id).mkdir()
        tmp.rename(stage / layer_id / "layer.tar")
        layers.append((layer_id, spec))
        diff_ids.append(diff_id)
        parent = layer_id
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {"Cmd": ["/bin/sh"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": spec.created_by} for _, spec in layers],
    }
    config_bytes = json.dumps(config, separators=(",", ":")).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    manifest = [
        {
            "Config": config_name,
            "RepoTags": ["bench:latest"],
            "Layers": [f"{layer_id}/layer.tar" for layer_id, _ in layers],
        }
    ]
    tmp_archive = archive.with_suffix(".tmp")
    with tarfile.open(tmp_archive, "w", format=tarfile.PAX_FORMAT) as out:
        for layer_id, _ in layers:
            _add_bytes(out, f"{layer_id}/VERSION", b"1.0")
            _add_bytes(out, f"{layer_id}/json", json.dumps({"id": layer_id}).encode())
            out.add(
                stage / layer_id / "layer.tar", arcname=f"{layer_id}/layer.tar", recursive=False, filter=_reproducible
            )
        _add_bytes(out, config_name, config_bytes)
        _add_bytes(out, "manifest.json", json.dumps(manifest).encode())
        _add_bytes(out, "repositories", json.dumps({"bench": {"latest": layers[-1][0]}}).encode())
    os.replace(tmp_archive, archive)
    return archive


def _reproducible(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mtime, info.uid, info.gid, info.uname, info.gname, info.mode = 0, 0, 0, "", "", 0o644
    return info


def _add_bytes(out: tarfile.TarFile, name: str, data: bytes) -> None:
    info = _reproducible(tarfile.TarInfo(name))
    info.size = len(data)
    out.addfile(info, io.BytesIO(data))


def parse_size(text: str) -> int:
    units = {"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "": 1}
    match = re.fullmatch(r"([0-9.]+)\s*([a-zA-Z]*)", text.strip())
    if not match or match.group(2).lower() not in units:
        raise SystemExit(f"크기 {text!r}를 알 수 없습니다 (예: 1GiB, 64MiB)")
    return int(float(match.group(1)) * units[match.group(2).lower()])


def main() -> None:
    parser = argparse.ArgumentParser(description="벤치마크용 큰 docker-archive를 만듭니다.")
    parser.add_argument("--size", default="1GiB", help="파일 내용의 합 (기본 1GiB)")
    parser.add_argument("--files", type=int, default=20_000, help="파일 수 (기본 20000)")
    parser.add_argument("--out", type=Path, default=None, help="만들 tar 경로")
    args = parser.parse_args()
    total = parse_size(args.size)
    out = args.out or DATA / f"bench-{args.size.lower()}-{args.files}.tar"
    out.parent.mkdir(parents=True, exist_ok=True)
    generate(out, total, args.files)
    print(f"{out}: {out.stat().st_size:,} 바이트")


if __name__ == "__main__":
    main()
