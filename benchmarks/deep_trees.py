"""How unpacking time grows with folder depth: il.unpack against umoci unpack, same image, same run.

The image (as in tests/formats/test_deep_trees.py): a folder path DEPTH levels deep with every
folder its own tar entry, a second deep tree whited out at the root by the next layer and a
third cut in half, so unpack both writes and takes away deep trees. For each depth the image is
saved once as an OCI layout (gzip layers, which umoci 0.4 reads), then both tools unpack it into
fresh folders next to it; the best of REPEAT runs is printed, with il.rootfs() + il.analyze().
Times on a shared machine swing; the ratio between depths is the thing to read (linear: 4x from
300 to 1,200; umoci resolves every entry's parent from the root, so it grows faster).

    python benchmarks/deep_trees.py              # depths 300, 600, 1200
    python benchmarks/deep_trees.py --depths 300 600 --no-umoci
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import imagelib as il  # noqa: E402
from imagelib.formats.unpack import delete_tree  # noqa: E402

REPEAT = 2


def deep(depth: int) -> str:
    return "/".join(["d"] * depth)


def deep_image(depth: int) -> il.Image:
    base = il.Layer.from_files(
        {
            f"{deep(depth)}/f.txt": "deep\n",
            f"{deep(depth // 2)}/x/{deep(depth // 2 - 1)}/g.txt": "gone\n",
            f"w/{deep(depth - 1)}/h.txt": "gone too\n",
        }
    )
    upper = il.Layer.from_files({"top/n.txt": "n\n"}, deleted=["w", f"{deep(depth // 2)}/x"])
    image = il.Image.scratch().add_layer(base.compress("gzip")).add_layer(upper.compress("gzip"))
    return image


def remove_deep(folder: Path) -> None:
    """Empty ``folder`` with unpack's deletion (``shutil.rmtree`` recurses per level before Python 3.12)."""
    for item in os.scandir(folder):
        delete_tree(item.path)


def best_of(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        times.append(run())
    return min(times)


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(depth: int, work: Path, with_umoci: bool) -> "dict[str, float | None]":
    image = deep_image(depth)
    layout = work / f"layout-{depth}"
    il.save(image, layout, ref="deep:1")
    image = il.open(layout, ref="deep:1")  # the layers read from files, as a user's image is
    counter = iter(range(1_000_000))

    def il_unpack() -> float:
        return timed(lambda: il.unpack(image, work / f"il-{depth}-{next(counter)}"))

    def umoci_unpack() -> float:
        target = work / f"umoci-{depth}-{next(counter)}"
        return timed(
            lambda: subprocess.run(
                ["umoci", "unpack", "--image", f"{layout}:1", str(target)], check=True, capture_output=True
            )
        )

    result: "dict[str, float | None]" = {
        "model": best_of(lambda: timed(lambda: (image.rootfs(), il.analyze(image))), REPEAT),
        "il.unpack": best_of(il_unpack, REPEAT),
        "umoci": best_of(umoci_unpack, REPEAT) if with_umoci else None,
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depths", type=int, nargs="+", default=[300, 600, 1200])
    parser.add_argument("--no-umoci", action="store_true", help="measure imagelib only")
    args = parser.parse_args()
    with_umoci = not args.no_umoci and shutil.which("umoci") is not None and os.geteuid() == 0
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}; best of {REPEAT} runs")
    print(f"{'depth':>6} {'rootfs+analyze':>15} {'il.unpack':>10} {'umoci unpack':>13}")
    with tempfile.TemporaryDirectory(prefix="deep-trees-") as folder:
        for depth in args.depths:
            row = measure(depth, Path(folder), with_umoci)
            umoci = f"{row['umoci']:.2f} s" if row["umoci"] is not None else "not measured"
            print(f"{depth:>6} {row['model']:>13.2f} s {row['il.unpack']:>8.2f} s {umoci:>13}", flush=True)
            remove_deep(Path(folder))


if __name__ == "__main__":
    main()
