"""Layering: which parts of imagelib may import which, and no import cycles.

A *part* is a top-level module or subpackage of imagelib (``image``, ``catalog``, ``userland`` …).
``MAY_IMPORT`` lists, for each part it names, the parts it may import (``CORE`` stands for every
part the table does not name, apart from ``TOP``). Parts not in the table are the core: they may
import each other but nothing the table names and nothing in ``TOP``. To layer more of the
package, add its parts to the table.

Imports are read from the source (every ``import`` statement, also those inside functions and
``if TYPE_CHECKING:`` blocks), so a dependency cannot hide in a lazy import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "imagelib"
CORE = "core"
TOP = {"viz", "cli", "__main__"}  # may import anything; nothing below imports them

MAY_IMPORT: "dict[str, set[str]]" = {
    "pathmatch": set(),
    "modelfile": {CORE},
    "course_examples": set(),
    "catalog": {CORE, "modelfile"},
    "userland": {CORE, "modelfile", "pathmatch"},
    "dockerfile": {CORE, "modelfile", "pathmatch", "catalog", "userland"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _part(module: str) -> "str | None":
    """``imagelib.userland.shell`` -> ``userland``; the package's own ``__init__`` has no part."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else None


PARTS = {part for part in map(_part, MODULES) if part is not None}
CORE_PARTS = PARTS - set(MAY_IMPORT) - TOP


def _allowed(part: str) -> "set[str]":
    if part not in MAY_IMPORT:
        return CORE_PARTS | {part}
    allowed = MAY_IMPORT[part] | {part}
    return (allowed - {CORE}) | (CORE_PARTS if CORE in allowed else set())


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
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1])
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


def test_the_table_names_parts_that_exist():
    named = set(MAY_IMPORT) | {p for allowed in MAY_IMPORT.values() for p in allowed} - {CORE}
    assert named <= PARTS, named - PARTS


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _part(m) not in TOP | {None}))
def test_module_imports_only_the_parts_its_part_may_import(module):
    part = _part(module)
    forbidden = {target for target in GRAPH[module] if _part(target) not in _allowed(part)}
    assert not forbidden, f"{module} ({part}) imports {sorted(forbidden)}; {part} may import {sorted(_allowed(part))}"


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


def test_no_import_cycles_in_the_layered_parts():
    layered = [c for c in _cycles(GRAPH) if any(_part(m) in MAY_IMPORT for m in c)]
    assert not layered, layered

