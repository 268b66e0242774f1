"""Modules made by every shipped template release keep upgrading with `avm update`.

For each snapshot in `generator/releases/`, a module is made by that release's own `avm new` (its package,
imported from the snapshot), then updated by the running avm: untouched, it updates without conflict to
exactly the files `avm new` writes today from the same answers; edited, the edit survives. The everyday run
upgrades resource modules of both languages from every release, patterns and utilities from the first and the
last, and an edited module of one language per release; `AVM_THOROUGH=1` every kind from every release.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator import __version__
from generator.releases import Release, importable, releases
from tests.support.cli import THOROUGH, run_avm, tree

SHIPPED = [r for r in releases() if r.snapshot is not None]
MODULES = {
    "bicep": ("resource", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--child", "secrets"),
    "terraform": ("resource", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--child", "secrets"),
    "bicep-pattern": ("pattern", "--name", "app/data-stack", "--uses", "avm/res/key-vault/vault@0.13.0"),
    "terraform-utility": ("utility", "--name", "general/resource-name"),
    "bicep-multi-scope": ("resource", "--provider", "Microsoft.Authorization", "--type", "roleAssignments"),
}
# Kinds of module the releases before a version cannot make (role assignments joined the catalog in 0.6.0, as
# a Bicep multi-scope module: an unpublished parent and a module per scope folder).
FIRST_RELEASE = {"bicep-multi-scope": (0, 6, 0)}
EDIT = "// kept by hand\n"


def made_by(release: Release, kind: str, out: Path, cache: Path) -> None:
    """`avm new` of the old release itself, run from its snapshot."""
    folder = importable(release)
    language = kind.split("-")[0]
    command = [sys.executable, "-c", f"from {release.package}.cli import main; main()"]
    args = ["new", *MODULES[kind][:1], "--lang", language, *MODULES[kind][1:], "--index", "none", "--defaults"]
    env = {**os.environ, "PYTHONPATH": str(folder), "AVM_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    result = subprocess.run(
        [*command, *args, "-o", str(out)], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load((out / ".copier-answers.yml").read_text())["_commit"] == f"v{release.version}"


def made_today(module: Path, out: Path, cache: Path, tmp_path: Path) -> dict[str, bytes]:
    """`avm new` of the running version from the module's recorded answers."""
    answers = yaml.safe_load((module / ".copier-answers.yml").read_text())
    data = tmp_path / "answers.yml"
    data.write_text(yaml.safe_dump({k: v for k, v in answers.items() if not k.startswith("_")}))
    result = run_avm(
        "new", answers["module_class"], "--data-file", str(data), "--index", "none", "--defaults", "-o", str(out),
        cwd=tmp_path, cache=cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return tree(out)


def edited_file(kind: str) -> str:
    """A file every release writes whose first lines stay: the edit above them merges without a conflict (a
    Terraform module's main.tf now opens with the client-config data source the body reads)."""
    return "main.bicep" if kind.startswith("bicep") else "main.telemetry.tf"


def made_by_each(kinds: list[str], everyday: Callable[[int, str], bool] = lambda index, kind: True) -> list[object]:
    """(release, kind) for every shipped release that can make the kind; without AVM_THOROUGH=1 only the pairs
    `everyday(index of the release, kind)` keeps (every release is still upgraded: the suite stays fast as releases
    add up)."""
    return [
        pytest.param(r, kind, id=f"{kind}-{r.version}")
        for kind in kinds
        for index, r in enumerate(SHIPPED)
        if tuple(int(n) for n in r.version.split(".")) >= FIRST_RELEASE.get(kind, (0, 0, 0))
        and (THOROUGH or everyday(index, kind))
    ]


def oldest_and_newest_for_others(index: int, kind: str) -> bool:
    """Resource modules of both languages made by every release; patterns and utilities by the first and last."""
    return kind in ("bicep", "terraform") or index in (0, len(SHIPPED) - 1)


def one_language_each(index: int, kind: str) -> bool:
    """An edit in a module of one language per release, the two languages taking turns; multi-scope ones always."""
    return kind == "bicep-multi-scope" or kind == ("bicep", "terraform")[index % 2]


@pytest.mark.skipif(not SHIPPED, reason="no template release has been shipped yet")
@pytest.mark.parametrize(("release", "kind"), made_by_each(sorted(MODULES), oldest_and_newest_for_others))
def test_an_untouched_module_updates_to_what_avm_new_writes_today(
    tmp_path: Path, avm_cache: Path, release: Release, kind: str
) -> None:
    module = tmp_path / "old"
    made_by(release, kind, module, avm_cache)
    result = run_avm("update", str(module), "--json", cwd=tmp_path, cache=avm_cache)
    assert result.code == 0, result.stderr
    assert result.json["conflicts"] == []
    assert yaml.safe_load((module / ".copier-answers.yml").read_text())["_commit"] == f"v{__version__}"
    assert tree(module) == made_today(module, tmp_path / "today", avm_cache, tmp_path)


@pytest.mark.skipif(not SHIPPED, reason="no template release has been shipped yet")
@pytest.mark.parametrize(
    ("release", "kind"), made_by_each(["bicep", "bicep-multi-scope", "terraform"], one_language_each)
)
def test_an_edit_survives_the_update(tmp_path: Path, avm_cache: Path, release: Release, kind: str) -> None:
    module = tmp_path / "old"
    made_by(release, kind, module, avm_cache)
    edited = module / edited_file(kind)
    comment = EDIT.replace("//", "#") if kind.startswith("terraform") else EDIT
    edited.write_text(comment + edited.read_text(), encoding="utf-8")
    result = run_avm("update", str(module), "--json", cwd=tmp_path, cache=avm_cache)
    assert result.code == 0, result.stderr
    assert result.json["conflicts"] == []
    assert edited.read_text().startswith(comment)
