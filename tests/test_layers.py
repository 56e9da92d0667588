"""The package's shape, checked by tools rather than by memory.

- The import-linter contracts in ``pyproject.toml``: data flows one way (log ->
  entry -> model -> effects | trends -> routine -> plots -> report -> cli), effects and
  trends know nothing of each other, and shipped code never imports the test tools.
- No import cycle anywhere in the package, imports inside functions included (only
  imports made for type checking are left out).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _cycle(graph: grimp.ImportGraph) -> list[str] | None:
    """One import cycle among the modules of ``graph`` (as a path), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for nxt in sorted(graph.find_modules_directly_imported_by(module)):
            if not nxt.startswith("stretchlog"):
                continue
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph.modules):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_no_import_cycles_lazy_imports_included():
    graph = grimp.build_graph("stretchlog", exclude_type_checking_imports=True)
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for a, b in (("stretchlog.a", "stretchlog.b"), ("stretchlog.b", "stretchlog.c"), ("stretchlog.c", "stretchlog.a")):
        graph.add_import(importer=a, imported=b)
    assert _cycle(graph) == ["stretchlog.a", "stretchlog.b", "stretchlog.c", "stretchlog.a"]
