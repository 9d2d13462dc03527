"""The rules of the house (docs/architecture.md), checked on the source, not on what happens
to be imported: every import statement, at any depth (inside functions too)."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Layers, lowest first: a package may import only the packages before it.
LAYERS = ["presswatch", "warehouse", "tasks", "flows", "presswatch.cli"]
ORCHESTRATION = ("prefect", "flows", "tasks", "warehouse")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path, known: set[str]) -> set[str]:
    """Modules this file imports, anywhere in it; `from pkg import mod` counts as pkg.mod."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in known else base)
    return found


def source_modules(root: Path) -> dict[str, Path]:
    files = [p for top in ("presswatch", "warehouse", "tasks", "flows") for p in (root / top).rglob("*.py")]
    return {module_name(p, root): p for p in files}


def layer_of(module: str) -> str | None:
    for layer in sorted(LAYERS, key=len, reverse=True):
        if module == layer or module.startswith(layer + "."):
            return layer
    return None


def domain_violations(root: Path) -> list[str]:
    modules = source_modules(root)
    bad = []
    for name, path in sorted(modules.items()):
        if layer_of(name) != "presswatch":
            continue
        for imported in sorted(imports_of(path, root, set(modules))):
            if imported.split(".")[0] in ORCHESTRATION or imported.startswith("prefect"):
                bad.append(f"{path.relative_to(root)} imports {imported}")
    return bad


def layer_violations(root: Path) -> list[str]:
    modules = source_modules(root)
    bad = []
    for name, path in sorted(modules.items()):
        mine = layer_of(name)
        for imported in imports_of(path, root, set(modules)):
            theirs = layer_of(imported)
            if theirs is not None and LAYERS.index(theirs) > LAYERS.index(mine):
                bad.append(f"{path.relative_to(root)} ({mine}) imports {imported} ({theirs})")
    return sorted(bad)


def domain_cycle(root: Path) -> list[str] | None:
    modules = source_modules(root)
    graph = {name: {m for m in imports_of(path, root, set(modules))
                    if m in modules and layer_of(m) == "presswatch" and m != name}
             for name, path in modules.items() if layer_of(name) == "presswatch"}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        return exc.args[1]
    return None


def test_domain_code_never_reaches_prefect_flows_tasks_or_warehouse():
    assert domain_violations(ROOT) == []


def test_layers_import_only_downwards():
    assert layer_violations(ROOT) == []


def test_no_import_cycle_inside_the_domain_package():
    assert domain_cycle(ROOT) is None


@pytest.fixture
def fake_tree(tmp_path):
    def write(rel: str, text: str = "") -> None:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for pkg in ("presswatch", "presswatch/cli", "warehouse", "tasks", "flows"):
        write(f"{pkg}/__init__.py")
    return tmp_path, write


def test_the_checks_catch_an_import_hidden_in_a_function(fake_tree):
    root, write = fake_tree
    write("presswatch/a.py", "def f():\n    from prefect import flow\n    from ..warehouse import db\n")
    write("warehouse/db.py", "from flows import x\n")
    write("presswatch/cli/run.py", "import flows.ingest\nimport prefect\n")
    assert domain_violations(root) == ["presswatch/a.py imports prefect", "presswatch/a.py imports warehouse.db"]
    assert layer_violations(root) == ["presswatch/a.py (presswatch) imports warehouse.db (warehouse)",
                                      "warehouse/db.py (warehouse) imports flows (flows)"]


def test_the_checks_catch_a_cycle(fake_tree):
    root, write = fake_tree
    write("presswatch/a.py", "from presswatch import b\n")
    write("presswatch/b.py", "def f():\n    from presswatch.a import g\n")
    assert set(domain_cycle(root)) == {"presswatch.a", "presswatch.b"}
