"""The packages depend one way: webhook and docgen on the domain, never the domain on them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
            found.add(module)
    return found


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", sources("besoksrapport"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_domain_imports_neither_docgen_nor_the_web_app(path):
    outside = {name for name in imported_modules(path)
               if name.split(".")[0] in ("docgen", "webhook", "flask")}
    assert outside == set()


@pytest.mark.parametrize("path", sources("docgen"), ids=lambda p: str(p.relative_to(ROOT)))
def test_docgen_never_imports_the_web_app(path):
    assert not {name for name in imported_modules(path) if name.split(".")[0] == "webhook"}


def test_the_routes_and_the_app_factory_do_not_import_each_other():
    assert "webhook.app" not in imported_modules(ROOT / "webhook" / "routes.py")
    assert "webhook.routes" in imported_modules(ROOT / "webhook" / "app.py") or \
        "webhook" in imported_modules(ROOT / "webhook" / "app.py")


def test_the_layer_checks_read_every_package():
    assert all(len(sources(package)) >= 5 for package in ("besoksrapport", "webhook", "docgen"))
