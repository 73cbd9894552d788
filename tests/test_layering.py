"""Layering: which parts of imagelib may import which, and no import cycles anywhere.

A *part* is a top-level module or subpackage of imagelib (``image``, ``store``, ``userland`` …).
The package reads bottom-up in ``LAYERS`` (ARCHITECTURE.md draws the same table): a part may
import any part of a lower layer, and of its own layer only what ``SAME_LAYER`` names for it, so
each layer's inner order is written down too. Nothing may import upwards.

Imports are read from the source (every ``import`` statement, also those inside functions and
``if TYPE_CHECKING:`` blocks), so a dependency cannot hide in a lazy import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "imagelib"

LAYERS: "list[tuple[str, set[str]]]" = [
    ("foundations", {"errors", "digest", "reference", "oci", "streams", "display", "readonly", "pathmatch"}),
    ("blobs and tar", {"entries", "blob", "limits", "fasttar", "tarsparse", "tario", "layerscan"}),
    ("image values", {"layer", "filetree", "image", "imageindex"}),
    ("holding and changing", {"store", "commit_changes", "container", "credentials", "analyze", "sbom"}),
    ("moving images in and out", {"formats", "registry"}),
    ("the modeled builder", {"modelfile", "catalog", "userland", "dockerfile", "course_examples"}),
    ("presentation", {"viz", "cli", "exercise", "__main__"}),
]

SAME_LAYER: "dict[str, set[str]]" = {
    "digest": {"errors"},
    "reference": {"errors", "digest"},
    "oci": {"errors", "digest"},
    "readonly": {"errors"},
    "streams": {"digest"},  # the Hasher type only
    "blob": set(),
    "limits": set(),
    "fasttar": set(),
    "tarsparse": {"entries"},
    "tario": {"entries", "blob", "limits", "fasttar", "tarsparse"},
    "layerscan": {"entries", "blob", "limits", "fasttar", "tario"},
    "entries": set(),
    "layer": set(),
    "filetree": {"layer"},
    "image": {"layer", "filetree"},
    "imageindex": {"image"},
    "credentials": set(),
    "analyze": {"credentials"},
    "sbom": set(),
    "commit_changes": set(),
    "container": {"commit_changes"},
    "store": set(),
    "formats": set(),
    "registry": set(),
    "catalog": {"modelfile"},
    "userland": {"modelfile"},
    "dockerfile": {"modelfile", "catalog", "userland"},
    "cli": set(),
    "viz": set(),
    "exercise": set(),
    "__main__": {"cli"},
}

LAYER_OF = {part: number for number, (_, parts) in enumerate(LAYERS) for part in parts}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _part(module: str) -> "str | None":
    """``imagelib.userland.shell`` -> ``userland``; the package's own ``__init__`` has no part."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else None


PARTS = {part for part in map(_part, MODULES) if part is not None}


def _allowed(part: str) -> "set[str]":
    below = {other for other, layer in LAYER_OF.items() if layer < LAYER_OF[part]}
    return below | SAME_LAYER.get(part, set()) | {part}


def _known(name: str) -> str:
    """The module that ``import name`` runs last: ``name`` itself, or the package it is defined in."""
    while name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def imports_of(module: str) -> "set[str]":
    """The imagelib modules ``module`` imports."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: "set[str]" = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_known(alias.name) for alias in node.names if alias.name.split(".")[0] == "imagelib"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            if source.split(".")[0] != "imagelib":
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in MODULES else _known(source))
    found.discard(module)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def test_every_part_has_a_layer():
    assert PARTS <= set(LAYER_OF), f"parts without a layer in LAYERS: {sorted(PARTS - set(LAYER_OF))}"
    assert set(SAME_LAYER) <= set(LAYER_OF)
    for part, others in SAME_LAYER.items():
        assert all(LAYER_OF[other] == LAYER_OF[part] for other in others), part


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _part(m) is not None))
def test_module_imports_nothing_above_it(module):
    part = _part(module)
    assert part is not None
    forbidden = {target for target in GRAPH[module] if _part(target) not in _allowed(part) | {None}}
    assert not forbidden, (
        f"{module} (layer {LAYER_OF[part]}, {LAYERS[LAYER_OF[part]][0]}) imports "
        f"{sorted(forbidden)}, which are not below it"
    )


def _cycles(graph: "dict[str, set[str]]") -> "list[list[str]]":
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: "dict[str, int]" = {}
    low: "dict[str, int]" = {}
    stack: "list[str]" = []
    on_stack: "set[str]" = set()
    found: "list[list[str]]" = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_anywhere():
    assert _cycles(GRAPH) == []
