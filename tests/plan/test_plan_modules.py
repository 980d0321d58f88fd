"""The plan's modules import one way: no circle among them (consolidation ↔ tasks was
one), and none reaches into the API, whose schemas are built from the plan's data."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "tendik" / "plan"


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def plan_modules() -> dict[str, Path]:
    return {f"tendik.plan.{path.stem}": path for path in PACKAGE.glob("*.py")}


def test_no_module_of_the_plan_imports_one_that_imports_it_back():
    modules = plan_modules()
    graph = {name: imports_of(path) & modules.keys() for name, path in modules.items()}

    def path_back(start: str) -> list[str] | None:
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    return [*trail, start]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
        return None

    circles = [trail for module in sorted(graph) if (trail := path_back(module))]
    assert circles == [], circles


def test_no_module_of_the_plan_imports_the_api():
    reaching = {name: sorted(m for m in imports_of(path) if m.startswith("tendik.api"))
                for name, path in plan_modules().items()}
    assert {name: found for name, found in reaching.items() if found} == {}
