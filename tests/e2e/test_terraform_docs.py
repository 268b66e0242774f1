"""End to end: a Terraform module written by `avm new` or grown by `avm add` has READMEs that `avm docs`
regenerates byte for byte (the two render through the same code), for every README the module owns."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.docs.terraform import terraform_documents
from tests.e2e.test_terraform_composite import INDEX_COLUMNS, KEY_VAULT_ROW, STORAGE
from tests.support.cli import run_avm

CASES = {
    "kv-all": ("resource", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--child", "secrets",
               "--child", "keys", "--interfaces", "all"),
    "storage-nested": ("resource", "--provider", "Microsoft.Storage", "--type", "storageAccounts",
                       "--child", "blobServices/containers", "--interfaces", "all"),
    "sql": ("resource", "--provider", "Microsoft.Sql", "--type", "servers", "--child", "databases",
            "--interfaces", "managed-identities,private-endpoints"),
    "unknown-type": ("resource", "--provider", "Contoso.Widgets", "--type", "gadgets", "--child", "parts",
                     "--api-version", "2025-01-01"),
    "pattern": ("pattern", "--name", "azd/storage", "--uses", STORAGE),
    "utility-deploys": ("utility", "--name", "general/resource-name", "--deploys"),
}  # fmt: skip


def new(tmp_path: Path, cache: Path, name: str, args: tuple[str, ...]) -> Path:
    index = tmp_path / "TerraformResourceModules.csv"
    index.write_text(f"{INDEX_COLUMNS}\n{KEY_VAULT_ROW}\n", encoding="utf-8")
    out = tmp_path / name
    result = run_avm(
        "new", args[0], "--lang", "terraform", *args[1:], "--index", str(index), "--defaults", "-o", str(out),
        cwd=tmp_path, cache=cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return out


def readmes(module: Path) -> set[Path]:
    return {module / "README.md", *module.glob("modules/*/README.md"), *module.glob("examples/*/README.md")}


def assert_docs_reproduce(module: Path) -> None:
    documents = terraform_documents(module)
    assert {d.path for d in documents} == readmes(module)
    for document in documents:
        assert document.text == document.path.read_text(encoding="utf-8"), document.path
        assert not document.drifted()


@pytest.mark.parametrize("case", list(CASES))
def test_a_new_module_passes_avm_docs_check(case: str, tmp_path: Path, avm_cache: Path) -> None:
    module = new(tmp_path, avm_cache, case, CASES[case])
    assert (module / "modules").is_dir() or case.startswith(("pattern", "utility"))
    assert_docs_reproduce(module)


def test_a_grown_module_passes_avm_docs_check(tmp_path: Path, avm_cache: Path) -> None:
    start = new(tmp_path, avm_cache, "start", CASES["kv-all"][:5])
    grown = tmp_path / "grown"
    shutil.copytree(start, grown)
    added = run_avm("add", "child", "secrets", str(grown), "--index", "none", cwd=tmp_path, cache=avm_cache)
    assert added.code == 0, added.stderr
    assert (grown / "modules" / "secret" / "README.md").is_file()
    assert_docs_reproduce(grown)
