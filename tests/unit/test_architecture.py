"""The render-model packages depend on each other one way only (docs/architecture.md).

Every import counts, wherever it is written: at the top of a module, under `if TYPE_CHECKING:` or inside a
function. Each module must also import on its own, in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("generator/bicep", "generator/terraform", "generator/docs")
EXTENSION = "generator.copier_ext"


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources() -> dict[str, Path]:
    found = {module_name(p): p for package in PACKAGES for p in sorted((PROJECT_ROOT / package).glob("*.py"))}
    found[EXTENSION] = PROJECT_ROOT / "generator" / "copier_ext.py"
    return found


MODULES = sources()


def imported(tree: ast.AST, known: set[str]) -> list[tuple[str, bool]]:
    """The known modules a module imports, each with whether the import is written inside a function."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend((alias.name, in_function) for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                target = submodule if submodule in known else node.module
                if target in known:
                    found.append((target, in_function))
        inner = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(tree, False)
    return found


def import_graph() -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    """Who imports whom among MODULES, and the imports written inside functions."""
    known = set(MODULES)
    graph: dict[str, set[str]] = {}
    in_functions: list[tuple[str, str]] = []
    for name, path in MODULES.items():
        edges = imported(ast.parse(path.read_text(encoding="utf-8")), known)
        graph[name] = {target for target, _ in edges if target != name}
        in_functions += [(name, target) for target, inside in edges if inside]
    return graph, in_functions


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, as the list of modules around it; empty when the graph has none."""
    state: dict[str, str] = {}  # "open" while on the path, "done" once explored
    path: list[str] = []

    def walk(node: str) -> list[str]:
        state[node] = "open"
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := walk(target)):
                return cycle
        path.pop()
        state[node] = "done"
        return []

    for node in sorted(graph):
        if node not in state and (cycle := walk(node)):
            return cycle
    return []


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_checker_sees_cycles_and_function_level_imports() -> None:
    source = "from generator.b import x\n\ndef f():\n    import generator.a\n"
    assert imported(ast.parse(source), {"generator.a", "generator.b", "generator.b.x"}) == [
        ("generator.b.x", False),
        ("generator.a", True),
    ]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_is_acyclic() -> None:
    graph, _ = import_graph()
    assert set(MODULES) >= {"generator.bicep.model", "generator.terraform.model", EXTENSION}
    assert find_cycle(graph) == []


# The extension imports the one language a render needs, when it needs it: a Bicep render never loads the
# Terraform model, and the reverse. These imports still count in the graph above.
LAZY_LANGUAGE_IMPORTS = [(EXTENSION, f"generator.{language}.assemble") for language in ("terraform", "bicep")]


def test_no_module_imports_a_sibling_inside_a_function() -> None:
    _, in_functions = import_graph()
    assert in_functions == LAZY_LANGUAGE_IMPORTS


@pytest.mark.parametrize("model", ["generator.bicep.model", "generator.bicep.composite", "generator.terraform.model"])
def test_models_know_nothing_of_their_tests_and_readmes(model: str) -> None:
    graph, _ = import_graph()
    package = model.rsplit(".", 1)[0]
    higher = {f"{package}.{m}" for m in ("scenarios", "examples", "readme", "assemble")}
    assert reachable(graph, model) & higher == set()


def test_the_terraform_readme_is_rendered_from_files_not_from_models() -> None:
    """`avm new` and `avm docs` share one renderer, which reads only a folder's files: no model reaches it."""
    graph, _ = import_graph()
    models = {f"generator.terraform.{m}" for m in ("model", "examples", "composite", "script", "assemble")}
    assert reachable(graph, "generator.terraform.readme") & models == set()
    assert "generator.docs.terraform" in graph["generator.terraform.readme"]


def test_only_the_extension_assembles() -> None:
    graph, _ = import_graph()
    assemblers = {
        name
        for name, targets in graph.items()
        if targets & {f"{p}.assemble" for p in ("generator.bicep", "generator.terraform")}
    }
    assert assemblers == {EXTENSION}


def test_each_module_imports_alone_in_a_fresh_interpreter() -> None:
    runs = {
        name: subprocess.Popen(
            [sys.executable, "-c", f"import {name}"],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in MODULES
    }
    failures = {}
    for name, run in runs.items():
        _, stderr = run.communicate(timeout=60)
        if run.returncode != 0:
            failures[name] = stderr.strip().splitlines()[-1:]
    assert failures == {}
