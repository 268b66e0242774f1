"""End to end: what `avm new` and `avm add` write passes `avm docs --check` (one README renderer for both)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.cli import run_avm

KV = "avm/res/key-vault/vault@0.13.0"
MODULES = {
    "kv-children-all-interfaces": (
        "resource", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--child", "secrets", "--child", "keys",
        "--interfaces", "all", "--defaults",
    ),
    "storage-nested-children": (
        "resource", "--provider", "Microsoft.Storage", "--type", "storageAccounts", "--child",
        "blobServices/containers", "--interfaces", "all", "--defaults",
    ),
    "vnet-subnets": (
        "resource", "--provider", "Microsoft.Network", "--type", "virtualNetworks", "--child", "subnets",
        "--interfaces", "all", "--defaults",
    ),
    "container-app-bare": (
        "resource", "--provider", "Microsoft.App", "--type", "containerApps", "--interfaces", "none", "--defaults",
    ),
    "sql-databases": (
        "resource", "--provider", "Microsoft.Sql", "--type", "servers", "--child", "databases", "--defaults",
    ),
    "pattern": ("pattern", "--name", "app/data-stack", "--uses", KV),
    "utility": ("utility", "--name", "general/resource-name"),
    "utility-deploys": ("utility", "--name", "general/deploy-script", "--deploys"),
}  # fmt: skip


def generate(tmp_path: Path, cache: Path, name: str, args: tuple[str, ...]) -> Path:
    out = tmp_path / name
    result = run_avm("new", *args, "--lang", "bicep", "--index", "none", "-o", str(out), cwd=tmp_path, cache=cache)
    assert result.code == 0, result.stderr
    return out


@pytest.mark.parametrize("name", list(MODULES))
def test_a_new_module_has_no_docs_drift(name: str, tmp_path: Path, avm_cache: Path) -> None:
    module = generate(tmp_path, avm_cache, name, MODULES[name])
    result = run_avm("docs", "--check", "--json", str(module), cwd=tmp_path, cache=avm_cache)
    assert result.code == 0, result.stdout + result.stderr
    readmes = result.json[0]["readmes"]
    assert readmes and all(r["state"] == "unchanged" for r in readmes)


def test_a_grown_module_has_no_docs_drift(tmp_path: Path, avm_cache: Path) -> None:
    module = generate(tmp_path, avm_cache, "kv", MODULES["container-app-bare"])
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=module, check=True, capture_output=True)
    for change in (("interface", "role-assignments"), ("interface", "lock")):
        for args in (("add", "-A"), ("commit", "-q", "-m", "before")):
            subprocess.run(["git", *args], cwd=module, check=True, capture_output=True)
        added = run_avm("add", *change, str(module), "--index", "none", cwd=tmp_path, cache=avm_cache)
        assert added.code == 0, added.stderr
    result = run_avm("docs", "--check", str(module), cwd=tmp_path, cache=avm_cache)
    assert result.code == 0, result.stdout + result.stderr
