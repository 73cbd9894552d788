"""Benchmark imagelib on a big docker-archive against reference tools, in one run.

    python benchmarks/run.py                 # 1 GiB, 5 layers, 20,000 files (about 10 minutes)
    python benchmarks/run.py --size 64MiB --files 2000 --no-write   # quick check
    python benchmarks/run.py --only open --no-write                  # just the first row

Measures, on the same input and the same machine:

1. ``il.open`` + ``il.analyze`` (every digest verified) vs one hashlib sha256 pass over the
   archive (target: at most 1.15x), and the peak memory of that process (target: under 64 MiB).
2. ``il.unpack`` vs GNU ``tar -x`` of the same layer tars (target: at most 1.3x) and vs
   ``umoci unpack`` of the same image as an OCI layout (target: faster), all writing next to the
   archive on disk; and il.unpack vs tar -x both writing to memory (tmpfs), which leaves out
   the disk's share. On a shared virtual disk that share swings by ten times from run to run
   (throttled writes slow every tool alike), so the memory row is the steadier comparison. A
   last row repeats it with il.unpack's kernel copy (sendfile) turned off.

Parts whose imagelib function or reference tool is missing are reported as "not measured".
Every imagelib step runs in a fresh child process so its peak memory is its own. The page cache
is warmed first, so all timings are warm-cache timings; before each unpack or extraction the
machine's dirty pages are flushed (``sync``) so no run pays for the writes of the one before.
The table goes to stdout and, unless ``--no-write``, to benchmarks/RESULTS.md with a description
of the machine.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from generate import DATA, generate, parse_size  # noqa: E402

NOT_MEASURED = "not measured"
OPEN_FACTOR = 1.15  # il.open + il.analyze: at most this many sha256 passes over the archive
OPEN_PEAK_MIB = 64


# -- child processes (one imagelib measurement each) ------------------------------------------


def child(task: str, archive: str, extra: str) -> None:
    """Run one imagelib task and print {"seconds", "peak_rss_mib", ...} as JSON."""
    import imagelib as il

    result: dict = {}
    if task == "open-analyze":
        if not hasattr(il, "open"):
            result["missing"] = "il.open"
        else:
            start, cpu = time.perf_counter(), time.process_time()
            image = il.open(archive)
            analysis = il.analyze(image)
            result["seconds"] = time.perf_counter() - start
            result["cpu"] = time.process_time() - cpu
            result["efficiency"] = analysis.efficiency
            result["wasted_bytes"] = analysis.wasted_bytes
    elif task == "core-analyze":
        start, cpu = time.perf_counter(), time.process_time()
        manifest = json.loads((Path(extra) / "manifest.json").read_text())
        image = il.Image.scratch()
        for name, diff_id in zip(manifest["Layers"], manifest["diff_ids"], strict=True):
            image = image.add_layer(il.Layer.from_tar(Path(extra) / name, expected_digest=diff_id))
        analysis = il.analyze(image)
        result["seconds"] = time.perf_counter() - start
        result["cpu"] = time.process_time() - cpu
        result["efficiency"] = analysis.efficiency
    elif task in ("unpack", "unpack-without-sendfile"):
        if not (hasattr(il, "open") and hasattr(il, "unpack")):
            result["missing"] = "il.unpack" if hasattr(il, "open") else "il.open, il.unpack"
        else:
            image = il.open(archive)
            if task == "unpack-without-sendfile":  # contents read and written by Python instead
                importlib.import_module("imagelib.formats.unpack")._KERNEL_COPY = False
            os.sync()
            start, cpu = time.perf_counter(), time.process_time()
            il.unpack(image, extra)
            result["seconds"] = time.perf_counter() - start
            result["cpu"] = time.process_time() - cpu
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_child(task: str, archive: Path, extra: str = "") -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", task, str(archive), extra], capture_output=True, text=True
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- reference measurements --------------------------------------------------------------------


Timing = "tuple[float, float] | None"  # (wall seconds, CPU seconds) or not measured


def sha256_pass(path: Path) -> Timing:
    start, cpu = time.perf_counter(), time.process_time()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return time.perf_counter() - start, time.process_time() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(commands: "list[list[str]]") -> Timing:
    """Run commands one after another; their wall and CPU time (user + system), or None on failure."""
    os.sync()  # earlier runs' dirty pages are written back now, not during this measurement
    start, cpu = time.perf_counter(), _children_cpu()
    for command in commands:
        if subprocess.run(command, capture_output=True).returncode != 0:
            return None
    return time.perf_counter() - start, _children_cpu() - cpu


def tar_extract(layer_tars: "list[Path]", target: Path) -> Timing:
    if shutil.which("tar") is None:
        return None
    target.mkdir(parents=True)
    return timed([["tar", "-xf", str(layer), "-C", str(target)] for layer in layer_tars])


def oci_layout(archive: Path) -> "Path | None":
    """The same image as an OCI layout, written by skopeo (for umoci); cached next to the archive."""
    layout = archive.with_suffix(".oci")
    if layout.exists():
        return layout
    if shutil.which("skopeo") is None:
        return None
    done = subprocess.run(
        ["skopeo", "copy", "-q", f"docker-archive:{archive}", f"oci:{layout}:bench"], capture_output=True
    )
    return layout if done.returncode == 0 else None


def umoci_unpack(layout: "Path | None", target: Path) -> Timing:
    if layout is None or shutil.which("umoci") is None:
        return None
    return timed([["umoci", "unpack", "--image", f"{layout}:bench", str(target)]])


# -- the run -----------------------------------------------------------------------------------


@dataclass
class Row:
    what: str
    imagelib: Timing
    reference: Timing
    reference_name: str
    target: str
    passes: "bool | None"
    note: str = ""

    def cells(self) -> "list[str]":
        verdict = {True: "yes", False: "NO", None: NOT_MEASURED}[self.passes]
        return [
            self.what,
            _timing(self.imagelib),
            f"{self.reference_name}: {_timing(self.reference)}",
            _ratio(self.imagelib, self.reference, 0),
            _ratio(self.imagelib, self.reference, 1),
            self.target,
            verdict,
            self.note,
        ]


def _timing(value: Timing) -> str:
    return NOT_MEASURED if value is None else f"{value[0]:.2f} s (CPU {value[1]:.2f} s)"


def _ratio(value: Timing, reference: Timing, which: int) -> str:
    if value is None or reference is None or not reference[which]:
        return NOT_MEASURED
    return f"{value[which] / reference[which]:.2f}x"


def best(values: "list[Timing]") -> Timing:
    measured = [v for v in values if v is not None]
    return min(measured) if measured else None


def _child_timing(result: dict) -> Timing:
    return (result["seconds"], result["cpu"]) if "seconds" in result else None


def warm(paths: "list[Path]") -> None:
    for path in paths:
        with open(path, "rb") as handle:
            while handle.read(8 << 20):
                pass


def layer_stage(archive: Path) -> "tuple[Path, list[Path]]":
    """The layer tars `generate` left next to the archive, and a manifest for the core task."""
    import tarfile

    stage = archive.with_suffix(".layers")
    with tarfile.open(archive) as outer:
        manifest = json.load(outer.extractfile("manifest.json"))[0]
        config = json.load(outer.extractfile(manifest["Config"]))
    (stage / "manifest.json").write_text(
        json.dumps({"Layers": manifest["Layers"], "diff_ids": config["rootfs"]["diff_ids"]})
    )
    return stage, [stage / name for name in manifest["Layers"]]


def measure(archive: Path, repeat: int, only: "str | None" = None) -> "list[Row]":
    stage, layer_tars = layer_stage(archive)
    warm([archive, *layer_tars])
    hashes, opened = [], []
    for _ in range(2 * repeat + 1):  # short runs: more of them, taking turns with the reference
        hashes.append(sha256_pass(archive))
        opened.append(run_child("open-analyze", archive))
    hashed = best(hashes)
    rows = [_open_row(opened, hashed)]
    if only == "open":
        return rows
    core = [run_child("core-analyze", archive, str(stage)) for _ in range(repeat)]
    rows.append(
        Row(
            "(for reference) core only: Layer.from_tar of the 5 layer tars with digest check + il.analyze",
            best([_child_timing(c) for c in core]),
            hashed,
            "sha256 of the archive",
            "-",
            None,
            f"peak {max(c.get('peak_rss_mib', 0) for c in core):.0f} MiB",
        )
    )

    layout = oci_layout(archive)
    unpack_time, tar_time, umoci_time, note = unpack_runs(
        archive, layer_tars, archive.with_suffix(".out"), layout, repeat
    )
    rows.append(
        Row(
            "il.unpack vs tar -x of the same layer tars",
            unpack_time,
            tar_time,
            "tar -x",
            "<= 1.3x",
            _within(unpack_time, tar_time, 1.3),
            note,
        )
    )
    rows.append(
        Row(
            "il.unpack vs umoci unpack (OCI layout made by skopeo)",
            unpack_time,
            umoci_time,
            "umoci unpack",
            "< 1x",
            _within(unpack_time, umoci_time, 1.0, strict=True),
            note,
        )
    )
    memory = memory_folder(archive)
    if memory is not None:
        unpack_time, tar_time, _, note = unpack_runs(archive, layer_tars, memory, None, repeat)
        rows.append(
            Row(
                f"il.unpack vs tar -x, both writing to memory ({memory.parent}, tmpfs)",
                unpack_time,
                tar_time,
                "tar -x",
                "<= 1.3x",
                _within(unpack_time, tar_time, 1.3),
                "no disk: the tools' own work, without the disk's share and noise",
            )
        )
        unpack_time, tar_time, _, note = unpack_runs(
            archive, layer_tars, memory, None, repeat, "unpack-without-sendfile"
        )
        rows.append(
            Row(
                "(for reference) the same, il.unpack copying contents through Python instead of sendfile",
                unpack_time,
                tar_time,
                "tar -x",
                "-",
                None,
                "the fallback for compressed layers and other systems",
            )
        )
    return rows


def unpack_runs(
    archive: Path, layer_tars: "list[Path]", work: Path, layout: "Path | None", repeat: int, task: str = "unpack"
) -> "tuple[Timing, Timing, Timing, str]":
    """Best of ``repeat`` runs of il.unpack, tar -x and (with a layout) umoci unpack into ``work``."""
    unpacked, extracted, umoci, missing = [], [], [], ""
    for _ in range(repeat):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        result = run_child(task, archive, str(work / "imagelib"))
        unpacked.append(_child_timing(result))
        missing = result.get("missing") or result.get("error", "")
        extracted.append(tar_extract(layer_tars, work / "tar"))
        if layout is not None:
            umoci.append(umoci_unpack(layout, work / "umoci"))
    shutil.rmtree(work, ignore_errors=True)
    unpack_time = best(unpacked)
    note = f"{missing} missing" if unpack_time is None and missing else "il.open not included"
    return unpack_time, best(extracted), best(umoci), note


def memory_folder(archive: Path) -> "Path | None":
    """A folder in /dev/shm with room for two copies of the image, or None."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        return None
    free = shutil.disk_usage(shm).free
    return shm / f"imagelib-bench-{os.getpid()}" if free > 3 * archive.stat().st_size else None


def _open_row(opened: "list[dict]", hashed: Timing) -> Row:
    what = "il.open + il.analyze (every digest verified) vs one sha256 pass"
    timing = best([_child_timing(o) for o in opened])
    if timing is None:
        reason = opened[0].get("missing") or opened[0].get("error", "")
        return Row(
            what,
            None,
            hashed,
            "sha256 of the archive",
            f"<= {OPEN_FACTOR}x",
            None,
            f"{reason} missing" if reason else "",
        )
    peak = max(o["peak_rss_mib"] for o in opened)
    return Row(
        what,
        timing,
        hashed,
        "sha256 of the archive",
        f"<= {OPEN_FACTOR}x; peak < {OPEN_PEAK_MIB} MiB",
        _within(timing, hashed, OPEN_FACTOR) and peak < OPEN_PEAK_MIB,
        f"peak memory {peak:.0f} MiB",
    )


def _within(value: Timing, reference: Timing, factor: float, strict: bool = False) -> "bool | None":
    """Judged on wall-clock time, as the targets are stated."""
    if value is None or reference is None:
        return None
    return value[0] < reference[0] * factor if strict else value[0] <= reference[0] * factor


def machine() -> "list[str]":
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    tools = []
    for tool, flag in (("tar", "--version"), ("umoci", "--version"), ("skopeo", "--version")):
        if shutil.which(tool):
            out = subprocess.run([tool, flag], capture_output=True, text=True).stdout.splitlines()
            tools.append(out[0] if out else tool)
    return [
        f"CPU: {cpu}, {os.cpu_count()} cores (nproc)",
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()}",
        "Tools: " + "; ".join(tools),
    ]


def table(rows: "list[Row]") -> str:
    headers = ["measurement", "imagelib", "reference", "ratio (wall)", "ratio (CPU)", "target", "met", "note"]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="imagelib 벤치마크 (큰 docker-archive)")
    parser.add_argument("--size", default="1GiB")
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (2N+1 for short ones)")
    parser.add_argument("--no-write", action="store_true", help="RESULTS.md를 쓰지 않습니다")
    parser.add_argument("--only", choices=["open"], help="open: il.open + il.analyze 줄만 잽니다")
    parser.add_argument("--child", nargs=3, metavar=("TASK", "ARCHIVE", "EXTRA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    archive = DATA / f"bench-{args.size.lower()}-{args.files}.tar"
    if not archive.exists():
        print(f"{archive.name} 만드는 중…", file=sys.stderr)
        archive.parent.mkdir(parents=True, exist_ok=True)
        generate(archive, parse_size(args.size), args.files)
    rows = measure(archive, args.repeat, args.only)
    size = archive.stat().st_size
    report = "\n".join(
        [
            f"Input: `docker save` (legacy layout) archive of {size / 2**30:.2f} GiB ({size:,} bytes), "
            f"5 uncompressed layers, {args.files:,} files, generated by `benchmarks/generate.py`.",
            "",
            table(rows),
            "",
            "Machine:",
            *[f"- {line}" for line in machine()],
            f"- Measured: {time.strftime('%Y-%m-%d')}, best of {2 * args.repeat + 1} runs (open, analyze, "
            f"sha256) and of {args.repeat} runs (unpack, tar, umoci), warm page cache. "
            "Targets are judged on wall-clock time; CPU time (user + system) is shown as well because "
            "wall-clock ratios move when other work shares the machine.",
            f"- Load average when the run ended: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} cores).",
        ]
    )
    print(report)
    if not (args.no_write or args.only):  # a partial table never replaces the full one
        (HERE / "RESULTS.md").write_text(
            "# Benchmark results\n\nProduced by `python benchmarks/run.py` "
            "(see the docstring there for what is measured and how).\n\n" + report + "\n"
        )


if __name__ == "__main__":
    main()
