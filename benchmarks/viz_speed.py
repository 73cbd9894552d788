"""How long each imagelib.viz figure takes: build the Figure and render it to PNG (Agg).

Goal: well under a second per figure, also for images of 30+ layers or 10,000+ files.
Each case is drawn once to warm up (fonts, the image's cached union view), then REPEAT
times. Printed: median and slowest wall-clock time, and the median CPU time of this process
(the wall clock also counts waiting for the CPU when other programs keep the machine busy;
the load average is printed to judge that). Widgets are timed per control change.

    python benchmarks/viz_speed.py
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import imagelib as il  # noqa: E402

REPEAT = 5
GOAL_SECONDS = 1.0
REAL_IMAGES = Path(__file__).resolve().parents[1].parent / "shared" / "real-images"
REAL_IMAGE = REAL_IMAGES / "dive-test-docker-image.tar"


def build(*layers) -> il.Image:
    image = il.Image.scratch()
    for layer in layers:
        image = image.add_layer(layer)
    return image


def small_app() -> il.Image:
    base = {"etc/os-release": "alpine\n", "etc/old.conf": "x", "bin/sh": b"s" * 800_000}
    return build(
        il.Layer.from_files(base, created_by="ADD rootfs.tar /"),
        il.Layer.from_files({"usr/local/bin/node": b"n" * 4_000_000}, created_by="RUN apk add nodejs"),
        il.Layer.from_files({"app/app.js": "console.log(1)"}, deleted=["etc/old.conf"], created_by="COPY . /app"),
    )


def tall(count: int = 40) -> il.Image:
    return build(
        *(
            il.Layer.from_files(
                {f"step{i}/f{j}.txt": "x" * (100 * (i % 7 + 1)) for j in range(3)},
                deleted=[f"step{i - 1}/f0.txt"] if i % 5 == 4 else [],
                created_by=f"RUN step {i}",
            )
            for i in range(count)
        )
    )


def wide(files: int = 12_000) -> il.Image:
    names = {f"usr/share/d{i % 40}/s{i % 300}/f{i}.dat": b"z" * (i % 50) for i in range(files)}
    return build(
        il.Layer.from_files({"etc/os-release": "debian\n"}, created_by="ADD rootfs.tar /"),
        il.Layer.from_files(names, created_by="RUN apt-get install -y docs"),
    )


class Runs:
    def __init__(self) -> None:
        self.wall: "list[float]" = []
        self.cpu: "list[float]" = []

    def measure(self, action) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)

    def row(self, name: str) -> str:
        return (
            f"{name:<58} {statistics.median(self.wall):>7.3f}s {max(self.wall):>7.3f}s "
            f"{statistics.median(self.cpu):>7.3f}s"
        )


HEADER = f"{'':<58} {'wall':>8} {'slowest':>8} {'cpu':>8}"


def timed(make) -> Runs:
    def once() -> None:
        fig = make()
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)

    once()
    runs = Runs()
    for _ in range(REPEAT):
        runs.measure(once)
    return runs


def timed_change(control, values) -> Runs:
    runs = Runs()
    for value in values:
        runs.measure(lambda value=value: setattr(control, "value", value))
    return runs


def main() -> int:
    print("making the test images…", flush=True)
    images = {"small app (3 layers)": small_app(), "tall (40 layers)": tall(), "wide (12,000 files)": wide()}
    if REAL_IMAGE.exists():
        images["dive test image (14 layers, real)"] = il.open(REAL_IMAGE)
    else:
        print(f"(real image not found, skipped: {REAL_IMAGE.name})")
    store = il.Store()
    for i, image in enumerate(images.values()):
        store.put(image, f"bench:{i}")
    store.tag("bench:0", "bench:latest")

    cases = []
    for name, image in images.items():
        cases.append((f"films   {name}", lambda image=image: il.viz.films(image)))
        cases.append((f"films   {name}, highlight", lambda image=image: il.viz.films(image, highlight=0)))
    cases.append(("sizes   all images", lambda: il.viz.sizes(images)))
    cases.append(("sharing all images", lambda: il.viz.sharing(images)))
    cases.append(("tags    store of all images", lambda: il.viz.tags(store)))

    print(f"\nload average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print("\nfigure (build + PNG)" + HEADER[20:])
    worst_wall = worst_cpu = 0.0
    for name, make in cases:
        runs = timed(make)
        worst_wall = max(worst_wall, statistics.median(runs.wall))
        worst_cpu = max(worst_cpu, statistics.median(runs.cpu))
        print(runs.row(name))

    print("\nwidget control change" + HEADER[21:])
    for name, image in images.items():
        top = len(image.layers) - 1
        explorer = il.viz.film_explorer(image)
        print(timed_change(explorer.slider, [top // 2, top, 0, top]).row("film_explorer slider, " + name))
        browser = il.viz.layer_browser(image)
        print(
            timed_change(browser.dropdown, [0, top // 2, top, 1 if top else 0]).row("layer_browser dropdown, " + name)
        )
        plt.close("all")

    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    print(f"slowest figure (median): wall {worst_wall:.3f}s, cpu {worst_cpu:.3f}s (goal: under {GOAL_SECONDS:.1f}s)")
    return 0 if worst_cpu < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
