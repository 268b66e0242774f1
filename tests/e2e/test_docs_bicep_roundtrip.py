"""By construction: the usage examples `avm new` writes into a Bicep module's README are exactly what `avm docs`
reads back from the e2e tests it writes next to them (`usage_from_tests`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.bicep.examples import symbol_of
from generator.docs.bicep_examples import usage_from_tests
from tests.support.cli import run_avm

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "bicep-key-vault"
KV = "avm/res/key-vault/vault@0.13.0"
STORAGE = "avm/res/storage/storage-account@0.20.0"


def usage_section(readme: Path) -> str:
    text = readme.read_text(encoding="utf-8")
    return "## Usage examples" + text.split("\n## Usage examples", 1)[1].split("\n\n## ", 1)[0]


def read_back(module: Path, bicep_path: str) -> str:
    usage = usage_from_tests(module, f"br/public:{bicep_path}:<version>", symbol_of(bicep_path.split("/")[3]))
    assert usage is not None
    return usage.markdown


def test_the_golden_module_reads_back_to_its_readme() -> None:
    assert read_back(GOLDEN, "avm/res/key-vault/vault") == usage_section(GOLDEN / "README.md")


@pytest.mark.parametrize(
    "args",
    [
        ("resource", "--provider", "Microsoft.Network", "--type", "networkSecurityGroups"),
        ("resource", "--provider", "Microsoft.Storage", "--type", "storageAccounts", "--child", "blobServices"),
        ("pattern", "--name", "app/data-stack", "--uses", KV, "--uses", STORAGE),
        ("utility", "--name", "general/deploy-script", "--deploys"),
        ("utility", "--name", "general/resource-name"),
    ],
    ids=["nsg", "storage", "pattern", "utility", "utility-functions"],
)
def test_a_new_module_reads_back_to_its_readme(args: tuple[str, ...], tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "module"
    result = run_avm(
        "new",
        *args,
        "--lang",
        "bicep",
        "--index",
        "none",
        "--defaults",
        "--json",
        "-o",
        str(out),
        cwd=tmp_path,
        cache=avm_cache,
    )
    assert result.code == 0, result.stderr
    assert read_back(out, result.json["names"]["bicep_path"]) == usage_section(out / "README.md")
