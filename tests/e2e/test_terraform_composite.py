"""End to end: `avm new pattern|utility --lang terraform` over a matrix, checked with real tools.

A utility that deploys nothing needs no providers, so its unit test and its example run offline with
the real `terraform` CLI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import hcl2
import pytest

from tests.support.checked import assert_checks_clean
from tests.support.cli import PLACEHOLDERS, run_avm, tree

INDEX_COLUMNS = (
    "ModuleDisplayName,AlternativeNames,ModuleName,ModuleStatus,RepoURL,PublicRegistryReference,"
    "PrimaryModuleOwnerGHHandle,PrimaryModuleOwnerDisplayName,SecondaryModuleOwnerGHHandle,"
    "SecondaryModuleOwnerDisplayName,Description,Comments,FirstPublishedIn"
)
# The Key Vault module as published in the AzureRM era: a legacy source, scoped by resource_group_name.
KEY_VAULT_ROW = (
    "Key Vault,,avm-res-keyvault-vault,Available,https://github.com/Azure/terraform-azurerm-avm-res-keyvault-vault,"
    "https://registry.terraform.io/modules/Azure/avm-res-keyvault-vault/azurerm/latest,,,,,"
    "AVM Resource Module for Key Vault,,"
)
KEY_VAULT = "avm-res-keyvault-vault@0.10.0"
STORAGE = "avm/res/storage/storage-account@0.6.0"
MODULE_FILES = ("terraform.tf", "main.tf", "variables.tf", "outputs.tf", "_header.md", "_footer.md", "README.md")
EXAMPLE_FILES = ("main.tf", "variables.tf", "_header.md", "_footer.md", "README.md")
PASS_THROUGH = re.compile(r"^\s*enable_telemetry\s+= var\.enable_telemetry$", re.MULTILINE)  # `=` may be aligned


@dataclass(frozen=True)
class Case:
    id: str
    module_class: str
    name: str
    uses: tuple[str, ...] = ()
    deploys: bool = False

    @property
    def telemetry(self) -> bool:
        return self.module_class == "pattern" or self.deploys

    @property
    def legacy(self) -> bool:
        return KEY_VAULT in self.uses


CASES = [
    Case("pattern-0", "pattern", "azd/empty"),
    Case("pattern-1", "pattern", "azd/storage", (STORAGE,)),
    Case("pattern-2-legacy", "pattern", "azd/monitoring", (KEY_VAULT, STORAGE)),
    Case("utility", "utility", "general/resource-name"),
    Case("utility-deploys", "utility", "general/resource-name", deploys=True),
]


def generate(case: Case, tmp_path: Path, cache: Path) -> tuple[Path, dict]:
    index = tmp_path / "TerraformResourceModules.csv"
    index.write_text(f"{INDEX_COLUMNS}\n{KEY_VAULT_ROW}\n", encoding="utf-8")
    out = tmp_path / case.id
    args = ["new", case.module_class, "--lang", "terraform", "--name", case.name]
    for used in case.uses:
        args += ["--uses", used]
    if case.deploys:
        args.append("--deploys")
    result = run_avm(*args, "--index", str(index), "--defaults", "--json", "-o", str(out), cwd=tmp_path, cache=cache)
    assert result.code == 0, result.stderr
    return out, result.json


def hcl_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix == ".tf" or p.name.endswith(".tftest.hcl"))


def terraform(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    return subprocess.run(
        ["terraform", *args, "-no-color"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def require_terraform() -> None:
    if shutil.which("terraform") is None:
        pytest.skip("the terraform CLI is not on PATH")


def assert_ok(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_generated_module(case: Case, tmp_path: Path, avm_cache: Path) -> None:
    out, report = generate(case, tmp_path, avm_cache)
    assert sorted(report["files"]) == sorted(tree(out))
    for name in MODULE_FILES:
        assert (out / name).is_file(), name
    for name in EXAMPLE_FILES:
        assert (out / "examples" / "default" / name).is_file(), name
    assert (out / "tests" / "unit" / "main.tftest.hcl").is_file()
    assert [p.name for p in (out / "modules").glob("*")] in ([], [".terraform-docs.yml"])  # no submodules

    for path in hcl_files(out):
        hcl2.loads(path.read_text(encoding="utf-8"))  # parses
    for path in (p for p in out.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        for marker in PLACEHOLDERS:
            assert marker not in text, f"{marker!r} in {path.relative_to(out)}"

    require_terraform()
    assert_ok(terraform("fmt", "-check", "-recursive", "-diff", cwd=out))
    assert_checks_clean(out)


@pytest.mark.parametrize("case", [c for c in CASES if c.module_class == "pattern"], ids=lambda c: c.id)
def test_pattern_calls_pinned_modules(case: Case, tmp_path: Path, avm_cache: Path) -> None:
    out, _ = generate(case, tmp_path, avm_cache)
    main_tf = (out / "main.tf").read_text(encoding="utf-8")
    assert main_tf.count("module ") == len(case.uses)
    assert len(PASS_THROUGH.findall(main_tf)) == len(case.uses)
    assert PASS_THROUGH.search((out / "examples" / "default" / "main.tf").read_text(encoding="utf-8"))
    assert (out / "main.telemetry.tf").is_file()
    if STORAGE in case.uses:
        assert 'source  = "Azure/avm-res-storage-storageaccount/azure"' in main_tf
        assert 'version = "0.6.0"' in main_tf
    assert (out / "locals.tf").is_file() == case.legacy
    if case.legacy:
        assert 'source  = "Azure/avm-res-keyvault-vault/azurerm"' in main_tf
        assert 'version = "0.10.0"' in main_tf
        assert re.search(r"resource_group_name\s+= local\.resource_group_name", main_tf)
        assert "resource_group_name = provider::azapi::parse_resource_id(" in (out / "locals.tf").read_text()
        assert 'mock_provider "azurerm" {}' in (out / "tests" / "unit" / "main.tftest.hcl").read_text()
    variables = (out / "variables.tf").read_text(encoding="utf-8")
    assert ('variable "parent_id"' in variables) == bool(case.uses)
    assert ('variable "tags"' in variables) == bool(case.uses)


@pytest.mark.parametrize("case", [c for c in CASES if c.module_class == "utility"], ids=lambda c: c.id)
def test_utility_telemetry_only_when_it_deploys(case: Case, tmp_path: Path, avm_cache: Path) -> None:
    out, _ = generate(case, tmp_path, avm_cache)
    assert (out / "main.telemetry.tf").is_file() == case.deploys
    mentions = [
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and "enable_telemetry" in p.read_text()
    ]
    if case.deploys:  # it deploys a deployment script, and reports usage of it
        assert PASS_THROUGH.search((out / "examples" / "default" / "main.tf").read_text(encoding="utf-8"))
        assert "required_providers" in (out / "terraform.tf").read_text(encoding="utf-8")
        assert 'resource "azapi_resource" "this"' in (out / "main.tf").read_text(encoding="utf-8")
        assert "script_outputs" in (out / "outputs.tf").read_text(encoding="utf-8")
    else:
        assert mentions == []
        assert "required_providers" not in (out / "terraform.tf").read_text(encoding="utf-8")
        assert "mock_provider" not in (out / "tests" / "unit" / "main.tftest.hcl").read_text(encoding="utf-8")
        assert "basename(var.resource_id)" in (out / "outputs.tf").read_text(encoding="utf-8")


def test_utility_runs_offline(tmp_path: Path, avm_cache: Path) -> None:
    """No providers: `terraform test` on the module and `terraform validate` on its example need no network."""
    require_terraform()
    out, _ = generate(CASES[3], tmp_path, avm_cache)
    assert_ok(terraform("init", "-backend=false", "-input=false", cwd=out))
    result = terraform("test", "-test-directory=tests/unit", cwd=out)
    assert_ok(result)
    assert "1 passed, 0 failed" in result.stdout
    example = out / "examples" / "default"
    assert_ok(terraform("init", "-backend=false", "-input=false", cwd=example))
    assert_ok(terraform("validate", cwd=example))
