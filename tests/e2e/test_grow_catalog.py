"""For every catalog type with children, in both languages: a module made without children and grown with
`avm add child` has the files `avm new` writes with those children, and `avm remove child` takes it back to the
start (the answers files compared as data: their key order may differ); the same for interfaces. The everyday run
grows each type's children in one language and its interfaces in the other (the two taking turns over the types);
`AVM_THOROUGH=1` both in both.

The everyday run adds each leaf child type (its parents come with it) and removes each top-level one (its
descendants go with it); `AVM_THOROUGH=1` adds and removes every child type one at a time. Modules are made and
changed in this process, through the same functions the CLI calls.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator import lifecycle, rerender
from generator.answer_changes import Change, changed_answers
from generator.catalog import Catalog
from generator.index import ModuleIndex
from generator.render import render_module
from generator.spec import SpecContext, build_spec
from tests.support.cli import THOROUGH, tree

CATALOG = Catalog.load()
TYPES = sorted(full for full, _ in CATALOG._entries.values() if CATALOG.facts(*full.split("/", 1)).children)


def context() -> SpecContext:
    return SpecContext(catalog=CATALOG, index=ModuleIndex())


def made(out: Path, language: str, full_type: str, children: list[str]) -> Path:
    namespace, resource_type = full_type.split("/", 1)
    raw = {
        "module_class": "resource",
        "language": language,
        "provider_namespace": namespace,
        "resource_type": resource_type,
        "children": children,
    }
    render_module(build_spec(raw, context()), out)
    return out


def change(module: Path, action: str, child: str) -> None:
    answers, _ = changed_answers(lifecycle.recorded_answers(module), Change(action, "child", child), context())
    result = rerender.change_answers(module, answers, side_by_side=False)  # the test workers are the parallelism
    assert not result.conflicts and not result.kept, (action, child, result)


def files(root: Path) -> tuple[dict[str, bytes], object]:
    found = tree(root)
    return found, yaml.safe_load(found.pop(".copier-answers.yml"))


def steps(paths: list[str]) -> tuple[list[str], list[str]]:
    """The child types to add one by one, and those to remove one by one."""
    if THOROUGH:
        return paths, list(reversed(paths))
    leaves = [p for p in paths if not any(other.startswith(f"{p}/") for other in paths)]
    return leaves, [p for p in paths if "/" not in p]


def taking_turns(first: str, second: str) -> list[object]:
    """(type, language): each type in one language, `first` and `second` taking turns over the types; both with
    `AVM_THOROUGH=1`."""
    return [
        pytest.param(full_type, language, id=f"{full_type}-{language}")
        for index, full_type in enumerate(TYPES)
        for language in ("bicep", "terraform")
        if THOROUGH or language == (first, second)[index % 2]
    ]


CASES = taking_turns("bicep", "terraform")


@pytest.mark.parametrize(("full_type", "language"), CASES)
def test_adding_each_child_gives_what_new_writes_and_removing_them_the_start(
    full_type: str, language: str, tmp_path: Path
) -> None:
    paths = [c.type_path for c in CATALOG.facts(*full_type.split("/", 1)).children]
    start = made(tmp_path / "start", language, full_type, [])
    expected = made(tmp_path / "expected", language, full_type, paths)
    grown = tmp_path / "grown"
    shutil.copytree(start, grown)
    added, removed = steps(paths)
    for path in added:
        change(grown, "add", path)
    assert files(grown) == files(expected)
    for path in removed:
        change(grown, "remove", path)
    assert files(grown) == files(start)


def change_interface(module: Path, action: str, interface: str) -> None:
    answers, _ = changed_answers(lifecycle.recorded_answers(module), Change(action, "interface", interface), context())
    result = rerender.change_answers(module, answers, side_by_side=False)
    assert not result.conflicts and not result.kept, (action, interface, result)


def made_with(out: Path, language: str, full_type: str, interfaces: list[str]) -> Path:
    namespace, resource_type = full_type.split("/", 1)
    raw = {
        "module_class": "resource",
        "language": language,
        "provider_namespace": namespace,
        "resource_type": resource_type,
        "interfaces": interfaces or "none",
    }
    render_module(build_spec(raw, context()), out)
    return out


# The other language of each type than the children test's: every type is grown in both languages between them.
INTERFACE_CASES = taking_turns("terraform", "bicep")


@pytest.mark.parametrize(("full_type", "language"), INTERFACE_CASES)
def test_adding_each_interface_gives_what_new_writes_and_removing_them_the_start(
    full_type: str, language: str, tmp_path: Path
) -> None:
    """The everyday run adds and removes the type's last interface; `AVM_THOROUGH=1` all of them, one at a time."""
    namespace, resource_type = full_type.split("/", 1)
    offered = list(build_spec(
        {"module_class": "resource", "language": language, "provider_namespace": namespace,
         "resource_type": resource_type}, context(),
    ).interfaces)  # fmt: skip
    if not offered:
        pytest.skip("the type carries no interface")
    changed = offered if THOROUGH else offered[-1:]
    kept = [i for i in offered if i not in changed]
    start = made_with(tmp_path / "start", language, full_type, kept)
    grown = tmp_path / "grown"
    shutil.copytree(start, grown)
    for interface in changed:
        change_interface(grown, "add", interface)
    assert files(grown) == files(made_with(tmp_path / "expected", language, full_type, offered))
    for interface in reversed(changed):
        change_interface(grown, "remove", interface)
    assert files(grown) == files(start)
