"""Package lines for ``imagelib/catalog/node14.py`` from the Docker official images' repo-info records.

A repo-info record (``repos/<image>/local/<tag>.md`` in github.com/docker-library/repo-info) lists
per source package, under ``### `dpkg` source package: `NAME=VERSION` `` and "Binary Packages:",
the installed packages as ``- `name[:arch]=version` ``. This script prints them as the catalog's
``name version arch [source]`` lines; with ``--minus`` it leaves out the packages another record
already has at the same version (what one ``RUN`` line added on top of the image below it).

repo-info writes ``:arch`` only for ``Multi-Arch: same`` packages. For the others the script
prints ``?`` unless ``--packages`` names a Debian ``Packages`` index (plain text) to read their
``Architecture`` from; names it does not find keep the ``?`` to be filled in by hand.

    python tools/repo_info_packages.py buster.md --minus buster-scm.md --packages Packages
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

SOURCE = re.compile(r"^### `dpkg` source package: `([^=`]+)=")
BINARY = re.compile(r"^- `([^=`:]+)(?::([a-z0-9]+))?=([^`]+)`$")


def records(text: str) -> "list[tuple[str, str, str, str]]":
    """(name, version, arch or "", source) for every binary package of a repo-info record."""
    out, source, listing = [], "", False
    for line in text.splitlines():
        match = SOURCE.match(line)
        if match:
            source, listing = match.group(1), False
        elif line.startswith("Binary Packages:"):
            listing = True
        elif line.startswith(("Licenses:", "Source:", "**WARNING")):
            listing = False
        elif listing and (binary := BINARY.match(line)):
            name, arch, version = binary.groups()
            out.append((name, version, arch or "", source))
    return out


def architectures(index: str) -> "dict[str, str]":
    found, name = {}, ""
    for line in index.splitlines():
        if line.startswith("Package: "):
            name = line.split(": ", 1)[1]
        elif line.startswith("Architecture: ") and name:
            found[name] = line.split(": ", 1)[1]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("record", type=Path)
    parser.add_argument("--minus", type=Path, action="append", default=[])
    parser.add_argument("--packages", type=Path)
    args = parser.parse_args()
    below = {(n, v) for path in args.minus for n, v, _, _ in records(path.read_text(encoding="utf-8"))}
    arch_of = architectures(args.packages.read_text(encoding="utf-8")) if args.packages else {}
    for name, version, arch, source in records(args.record.read_text(encoding="utf-8")):
        if (name, version) in below:
            continue
        arch = arch or arch_of.get(name, "?")
        print(f"{name} {version} {arch}" + ("" if source == name else f" {source}"))


if __name__ == "__main__":
    main()
