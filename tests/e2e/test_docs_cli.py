"""End to end: `avm docs` on Bicep modules, its exit codes, its JSON and its bulk run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support.cli import run_avm, tree

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "docs" / "avm" / "res" / "widget" / "store"


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A registry-like tree with two copies of the fixture module."""
    root = tmp_path / "registry"
    for name in ("store", "shop"):
        shutil.copytree(FIXTURE, root / "avm" / "res" / "widget" / name)
    return root


def test_check_reports_drift_and_writes_nothing(registry: Path, avm_cache: Path) -> None:
    module = registry / "avm" / "res" / "widget" / "store"
    before = tree(registry)
    result = run_avm("docs", "--check", str(module), cwd=registry, cache=avm_cache)
    assert result.code == 1, result.stderr
    assert "README.md: would change" in result.stdout
    assert tree(registry) == before


def test_docs_writes_what_changed_and_then_is_up_to_date(registry: Path, avm_cache: Path) -> None:
    module = registry / "avm" / "res" / "widget" / "store"
    notes = "## Notes\n\nKeep   this *exactly*   as written.\n"
    result = run_avm("docs", cwd=module, cache=avm_cache)
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines() == ["README.md: written", "child/README.md: written"]
    assert notes in (module / "README.md").read_text()
    again = run_avm("docs", "--check", cwd=module, cache=avm_cache)
    assert (again.code, again.stdout.strip()) == (0, ".: up to date")


def test_json_lists_each_readme_with_its_state(registry: Path, avm_cache: Path) -> None:
    module = registry / "avm" / "res" / "widget" / "store"
    (module / "child" / "README.md").unlink()
    run_avm("docs", str(module / "child"), cwd=registry, cache=avm_cache)
    result = run_avm("docs", "--check", "--json", str(module), cwd=registry, cache=avm_cache)
    assert result.code == 1
    assert json.loads(result.stdout) == [
        {
            "module": str(module),
            "error": None,
            "readmes": [
                {"path": str(module / "README.md"), "state": "drift"},
                {"path": str(module / "child" / "README.md"), "state": "unchanged"},
            ],
        }
    ]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("README.md", "## Parameters", "## Settings"), "README.md: "),
        (("main.bicep", "param capacity int = 3", "param capacity int = 3 +"), "main.bicep: "),
        (("child/main.bicep", "Shelves", "Shelves \udcff"), "is not UTF-8 text"),
    ],
    ids=["hand-written-readme", "main-does-not-parse", "child-not-utf8"],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    registry: Path, avm_cache: Path, edit: tuple[str, str, str], message: str
) -> None:
    store = registry / "avm" / "res" / "widget" / "store"
    shop = registry / "avm" / "res" / "widget" / "shop"
    name, old, new = edit
    text = (shop / name).read_text().replace(old, new).replace("## Outputs", "## Results")
    (shop / name).write_bytes(text.encode("utf-8", "surrogateescape"))
    before = tree(registry)
    result = run_avm("docs", str(store), str(shop), cwd=registry, cache=avm_cache)
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(registry) == before  # not even the good module's README


def test_a_path_that_is_not_a_module_is_exit_2(tmp_path: Path, avm_cache: Path) -> None:
    result = run_avm("docs", str(tmp_path / "missing"), cwd=tmp_path, cache=avm_cache)
    assert result.code == 2 and "path: " in result.stderr
    (tmp_path / "empty").mkdir()
    result = run_avm("docs", str(tmp_path / "empty"), cwd=tmp_path, cache=avm_cache)
    assert result.code == 2 and "holds no main.bicep and no .tf file" in result.stderr


def test_all_walks_every_module_counts_failures_and_summarises(registry: Path, avm_cache: Path) -> None:
    broken = registry / "avm" / "res" / "widget" / "broken"
    shutil.copytree(FIXTURE, broken)
    (broken / "README.md").write_text("# Broken\n\nWritten by hand.\n")
    result = run_avm("docs", "--all", str(registry), cwd=registry, cache=avm_cache)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "3 modules: 1 error, 2 written"
    assert any(line.startswith("avm/res/widget/broken") and " error " in line for line in lines)
    assert (broken / "README.md").read_text() == "# Broken\n\nWritten by hand.\n"
    check = run_avm("docs", "--all", str(registry), "--check", "--json", cwd=registry, cache=avm_cache)
    assert check.code == 1  # the broken module still fails
    states = {Path(entry["module"]).name: entry["error"] is None for entry in json.loads(check.stdout)}
    assert states == {"broken": False, "shop": True, "store": True}


def test_all_and_paths_together_are_refused(registry: Path, avm_cache: Path) -> None:
    result = run_avm("docs", ".", "--all", str(registry), cwd=registry, cache=avm_cache)
    assert result.code == 2 and "all: " in result.stderr
