"""End to end: a Bicep module of a type writable at several scopes is written, checked, documented and grown in
bicep-registry-modules' multi-scope layout (an unpublished parent, one published module per scope folder, every
scope's tests in the parent). Contoso widgets (the tests' own type definitions) deploy to a resource group or a
subscription."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.bicep_parser import parse_file
from tests.support.checked import assert_checks_clean
from tests.support.cli import run_avm, tree

FIXTURE = Path(__file__).parents[1] / "fixtures" / "azure_types" / "contoso.widgets-2025-01-01.types.json"
WIDGETS = ("--provider", "Contoso.Widgets", "--type", "widgets", "--api-version", "2025-01-01")
LAYOUT = [
    ".copier-answers.yml",
    "README.md",
    "main.bicep",
    *(f"{scope}/{name}" for scope in ("rg-scope", "sub-scope") for name in (
        "CHANGELOG.md", "README.md", "main.bicep", "version.json"
    )),
    *(f"tests/e2e/{scope}.{test}/main.test.bicep" for scope in ("rg-scope", "sub-scope") for test in (
        "defaults", "max", "waf-aligned"
    )),
    # the private endpoints, only the resource group's module has, need a network
    "tests/e2e/rg-scope.max/dependencies.bicep",
    "tests/e2e/rg-scope.waf-aligned/dependencies.bicep",
]  # fmt: skip
EDIT = "// kept: a line of the module's own"


@pytest.fixture
def widgets(tmp_path: Path, avm_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new multi-scope module, committed in a git repository of its own."""
    version = tmp_path / "types" / "generated" / "contoso.widgets" / "contoso.widgets" / "2025-01-01"
    version.mkdir(parents=True)
    shutil.copyfile(FIXTURE, version / "types.json")
    monkeypatch.setenv("AVM_SCHEMAS", str(tmp_path / "types"))
    module = tmp_path / "widget"
    result = run_avm(
        "new", "resource", "--lang", "bicep", *WIDGETS, "--interfaces", "lock,private-endpoints,tags",
        "--defaults", "--index", "none", "-o", str(module), cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=module, check=True)
    commit(module, "new")
    return module


def commit(module: Path, message: str) -> None:
    for args in (("add", "-A"), ("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", message)):
        subprocess.run(["git", *args], cwd=module, check=True, capture_output=True)


def test_the_module_is_laid_out_as_the_registry_lays_out_role_assignment(widgets: Path) -> None:
    assert sorted(name for name in tree(widgets) if not name.startswith(".git/")) == sorted(LAYOUT)
    parent = (widgets / "main.bicep").read_text()
    assert parent.startswith("metadata name = 'Widgets (Multi-Scope)'\nmetadata description = '''\n")
    assert parent.endswith("> - `rg-scope`\n'''\ntargetScope = 'subscription'\n")
    test = (widgets / "tests/e2e/sub-scope.max/main.test.bicep").read_text()
    assert "module testDeployment '../../../sub-scope/main.bicep' = [" in test
    assert "param serviceShort string = 'cwsubmax'" in test
    assert "'46d3xbcp.res.contosowidgets-widget_rgscope." in (widgets / "rg-scope/main.bicep").read_text()
    assert "privateEndpoints" not in (widgets / "sub-scope/main.bicep").read_text()
    assert [p for f in widgets.rglob("*.bicep") for p in parse_file(f)] == []


def test_the_module_checks_clean_and_its_readmes_are_what_avm_docs_writes(widgets: Path, avm_cache: Path) -> None:
    assert_checks_clean(widgets)
    folders = [str(widgets / folder) for folder in ("", "rg-scope", "sub-scope")]
    result = run_avm("docs", "--check", "--json", *folders, cwd=widgets, cache=avm_cache)
    assert result.code == 0, result.stdout + result.stderr
    assert all(r["state"] == "unchanged" for module in result.json for r in module["readmes"])


def test_an_interface_added_reaches_every_scope_folder_and_keeps_an_edit(widgets: Path, avm_cache: Path) -> None:
    edited = widgets / "rg-scope" / "main.bicep"
    edited.write_text(edited.read_text() + f"\n{EDIT}\n")
    commit(widgets, "edit")
    added = run_avm(
        "add", "interface", "role-assignments", str(widgets), "--index", "none", cwd=widgets, cache=avm_cache
    )
    assert added.code == 0, added.stderr
    assert EDIT in edited.read_text()
    commit(widgets, "added")
    for scope in ("rg-scope", "sub-scope"):
        assert "param roleAssignments roleAssignmentType[]?" in (widgets / scope / "main.bicep").read_text()
    assert run_avm("update", str(widgets), cwd=widgets, cache=avm_cache).code == 0


def test_a_child_module_is_refused_in_one_line(tmp_path: Path, widgets: Path, avm_cache: Path) -> None:
    out = tmp_path / "with-child"
    result = run_avm(
        "new", "resource", "--lang", "bicep", *WIDGETS, "--child", "gadgets", "--defaults", "--index", "none",
        "-o", str(out), cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert result.code == 2
    assert result.stderr.startswith("avm: error: children: a module of Contoso.Widgets/widgets at several scopes")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_adopting_the_module_records_the_answers_it_was_made_with(widgets: Path, avm_cache: Path) -> None:
    answers = widgets / ".copier-answers.yml"
    made_with = answers.read_text()
    answers.unlink()
    commit(widgets, "hand-written")
    adopted = run_avm("adopt", str(widgets), "--index", "none", cwd=widgets, cache=avm_cache)
    assert adopted.code == 0, adopted.stderr
    assert answers.read_text() == made_with
    commit(widgets, "adopted")
    drift = run_avm("diff", str(widgets), cwd=widgets, cache=avm_cache)
    assert drift.code == 0 and "no drift" in drift.stdout, drift.stdout + drift.stderr
