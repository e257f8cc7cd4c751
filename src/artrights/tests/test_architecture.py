"""The code keeps the shape docs/APPS.md describes: its layer table, its framework-free modules, its file set.

The tables are read from docs/APPS.md itself, so the document and the code cannot drift apart: change both in
one commit.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
REPO = PACKAGE.parents[1]
APPS_DOC = REPO / "docs" / "APPS.md"
FRAMEWORKS = {"django", "ninja", "huey"}
ALWAYS = ("apps.py", "models.py", "services", "selectors.py", "admin.py", "tests/factories.py")
WITHOUT_MODELS = {"portal"}  # pages and commands that span every app (docs/APPS.md)


@dataclass(frozen=True)
class Layer:
    may_import: frozenset[str] | None  # None: any unit
    pure: frozenset[str] | None  # None: every module of the unit


@cache
def layer_table() -> dict[str, Layer]:
    """Every row of the tables under '## Layers' in docs/APPS.md."""
    text = APPS_DOC.read_text(encoding="utf-8")
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    layers: dict[str, Layer] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0].startswith("`"):
            continue
        units = re.findall(r"`([a-z_0-9]+)`", cells[0])
        may = None if cells[2] == "any" else frozenset(re.findall(r"`([a-z_0-9]+)`", cells[2]))
        pure = None if cells[3] == "all" else frozenset(re.findall(r"`([a-z_0-9]+)`", cells[3]))
        for unit in units:
            layers[unit] = Layer(may, pure)
    return layers


@dataclass
class Module:
    name: str  # artrights.registry.services.review
    path: Path
    imports: set[str] = field(default_factory=set)  # artrights modules imported at run time
    frameworks: set[str] = field(default_factory=set)  # django / ninja / huey imported at run time

    @property
    def unit(self) -> str:
        return self.name.split(".")[1]

    @property
    def is_test(self) -> bool:
        return "tests" in self.name.split(".") or self.name == "artrights.testing"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(name: str) -> str | None:
    """The artrights module ``name`` refers to (a module, or an attribute of one), or None."""
    parts = name.split(".")
    while parts:
        candidate = PACKAGE.parent.joinpath(*parts)
        if candidate.with_suffix(".py").is_file() or (candidate / "__init__.py").is_file():
            return ".".join(parts)
        parts.pop()
    return None


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Import statements that run (those under ``if TYPE_CHECKING:`` do not)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for branch in node.orelse:
                visit(branch)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


@cache
def modules() -> dict[str, Module]:
    found: dict[str, Module] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "__init__.py":
            continue  # the package itself: nothing in it
        module = Module(_module_name(path), path)
        package = module.name if path.name == "__init__.py" else module.name.rsplit(".", 1)[0]
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
                targets = [f"{prefix}.{alias.name}" for alias in node.names]
            else:
                targets = [f"{node.module}.{alias.name}" for alias in node.names]
            for target in targets:
                top = target.split(".")[0]
                if top in FRAMEWORKS:
                    module.frameworks.add(top)
                elif top == "artrights":
                    resolved = _resolve(target)
                    if resolved and resolved != module.name:
                        module.imports.add(resolved)
        found[module.name] = module
    return found


def _units() -> set[str]:
    return {m.unit for m in modules().values()}


def _is_declared_pure(name: str) -> bool:
    parts = name.split(".")
    layer = layer_table().get(parts[1])
    if layer is None or len(parts) < 2:
        return False
    if layer.pure is None:
        return True
    return len(parts) > 2 and parts[2] in layer.pure


def test_every_unit_of_the_package_has_a_row_in_the_layer_table():
    missing = sorted(u for u in _units() if u not in layer_table() and u != "tests")
    assert missing == [], f"add a row for {missing} to docs/APPS.md"


def test_every_import_between_units_is_allowed_by_the_layer_table():
    table = layer_table()
    refused = []
    for module in modules().values():
        if module.is_test:
            continue
        allowed = table[module.unit].may_import
        for target in module.imports:
            unit = target.split(".")[1]
            if unit != module.unit and allowed is not None and unit not in allowed:
                refused.append(f"{module.name} -> {target}")
    assert refused == []


def _cycle(edges: dict[str, set[str]]) -> list[str]:
    """A circle in ``edges`` as a list of nodes, or [] when there is none."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return []

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_layer_table_has_no_circle():
    edges = {unit: set(layer.may_import or ()) for unit, layer in layer_table().items()}
    assert _cycle(edges) == []


def test_the_apps_do_not_import_each_other_in_a_circle():
    edges: dict[str, set[str]] = {}
    for module in modules().values():
        if module.is_test:
            continue
        for target in module.imports:
            if target.split(".")[1] != module.unit:
                edges.setdefault(module.unit, set()).add(target.split(".")[1])
    assert _cycle(edges) == []


def test_framework_free_modules_reach_no_framework_and_no_framework_module():
    problems = []
    declared = [m for m in modules().values() if _is_declared_pure(m.name) and not m.is_test]
    assert len(declared) > 30, "the scan found too few framework-free modules"
    for module in declared:
        seen, todo = {module.name}, [module.name]
        while todo:
            current = modules()[todo.pop()]
            if current.frameworks:
                problems.append(f"{module.name} reaches {sorted(current.frameworks)} through {current.name}")
            for target in current.imports:
                if not _is_declared_pure(target):
                    problems.append(f"{module.name} reaches {target}, which is not framework-free")
                elif target not in seen:
                    seen.add(target)
                    todo.append(target)
    assert problems == []


def test_framework_free_modules_import_without_any_framework_in_a_fresh_interpreter():
    names = sorted(
        m.name for m in modules().values() if _is_declared_pure(m.name) and not m.is_test and "__main__" not in m.name
    )
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FRAMEWORKS)!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("app", sorted(p.parent.name for p in PACKAGE.glob("*/apps.py")))
def test_every_app_has_the_file_set(app):
    folder = PACKAGE / app
    wanted = [f for f in ALWAYS if not (app in WITHOUT_MODELS and f != "apps.py")]
    missing = [f for f in wanted if not (folder / f).exists() and not (folder / f"{f}.py").exists()]
    if (folder / "rules.py").exists() and not (folder / "tests" / "test_access.py").exists():
        missing.append("tests/test_access.py (the app declares access rules)")
    assert missing == [], f"{app} lacks {missing} (docs/APPS.md, the file set of an app)"


def test_the_checker_finds_a_forbidden_edge_and_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []
    assert layer_table()["core"].may_import == frozenset()
    assert "registry" not in (layer_table()["matching"].may_import or ()) or "matching" not in (
        layer_table()["registry"].may_import or ()
    )
