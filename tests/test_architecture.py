"""The packages depend one way, along one written order, and no module imports itself back.

``LAYERS`` is the order, from the entry points down to the shared leaves; the README's
design page draws the same. A module may import its own subpackage and anything below it,
never a sibling on its own layer or anything above.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LEAVES = ("errors", "failure_reasons", "jsonlog", "paths", "report", "report_ids",
          "reproducible_zip", "settings", "spreadsheet", "swedish")
LAYERS: list[tuple[str, ...]] = [
    ("webhook", "docgen", "besoksrapport.cli"),  # the entry points
    ("besoksrapport.runtime",),  # the composition root: picks the backends
    ("besoksrapport.oep", "besoksrapport.secretary"),
    ("besoksrapport.reception",),
    ("besoksrapport.outbox",),
    ("besoksrapport.delivery",),
    ("besoksrapport.filing",),
    ("besoksrapport.guideline",),
    ("besoksrapport.privacy",),
    ("besoksrapport.committee",),
    ("besoksrapport.storage", "besoksrapport.form"),
    tuple(f"besoksrapport.{leaf}" for leaf in LEAVES),
]
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, relative imports resolved to absolute names."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] \
                if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            # ``from package import module`` imports that module; its package only when
            # some name is not a module (the package then hands it on)
            submodules = {f"{module}.{alias.name}" for alias in node.names
                          if _is_module(f"{module}.{alias.name}")}
            found |= submodules
            if len(submodules) < len(node.names):
                found.add(module)
    return found


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def unit_of(module: str) -> str | None:
    """The layer's unit a module belongs to: the longest unit name it starts with."""
    matches = [unit for unit in RANK if module == unit or module.startswith(unit + ".")]
    return max(matches, key=len) if matches else None


def sources(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


PROJECT = sources("besoksrapport", "webhook", "docgen")


def test_every_module_of_the_project_has_a_place_in_the_order():
    assert [module_name(p) for p in PROJECT if unit_of(module_name(p)) is None] == \
        ["besoksrapport"]


@pytest.mark.parametrize("path", PROJECT, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_only_down_the_order(path):
    own = unit_of(module_name(path))
    if own is None:
        return
    upward = sorted(
        name for name in imported_modules(path)
        if (target := unit_of(name)) is not None and target != own
        and RANK[target] <= RANK[own]
        and not (own in LAYERS[-1] and target in LAYERS[-1]))  # leaves may share
    assert upward == []


def test_there_is_no_import_cycle():
    graph = {module_name(p): {name for name in imported_modules(p) if _is_module(name)}
             for p in PROJECT}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if target == node or target not in graph:
                continue
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target):], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_every_subpackage_says_its_job():
    silent = [str(p.relative_to(ROOT)) for p in sources("besoksrapport")
              if p.name == "__init__.py" and p.parent.name != "besoksrapport"
              and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert silent == []


def test_the_top_of_the_domain_holds_only_the_leaves_and_the_composition_root():
    top = sorted(p.stem for p in (ROOT / "besoksrapport").glob("*.py"))
    assert top == sorted(["__init__", "runtime", *LEAVES])


@pytest.mark.parametrize("path", sources("besoksrapport"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_domain_imports_neither_docgen_nor_the_web_app(path):
    outside = {name for name in imported_modules(path)
               if name.split(".")[0] in ("docgen", "webhook", "flask")}
    assert outside == set()


def test_the_routes_and_the_app_factory_do_not_import_each_other():
    assert "webhook.app" not in imported_modules(ROOT / "webhook" / "routes.py")
    assert "webhook.routes" in imported_modules(ROOT / "webhook" / "app.py") or \
        "webhook" in imported_modules(ROOT / "webhook" / "app.py")


def test_the_layer_checks_read_every_package():
    assert all(len(sources(package)) >= 5 for package in ("besoksrapport", "webhook", "docgen"))
