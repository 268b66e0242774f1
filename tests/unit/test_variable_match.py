"""bench/variable_match.py's reading and comparison, offline, on a real-looking module and a generated-looking one."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def variable_match():
    sys.path.insert(0, str(BENCH))  # it imports param_match beside it
    spec = importlib.util.spec_from_file_location("variable_match", BENCH / "variable_match.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]
    sys.path.remove(str(BENCH))


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


REAL = {
    "main.tf": """resource "azapi_resource" "this" {
  name      = var.name
  parent_id = var.parent_id
  type      = var.resource_types.keyvault_vaults
}
""",
    "variables.tf": """variable "name" {
  type = string
}

variable "sku_name" {
  type = string
}

variable "lock" {
  type    = object({ kind = string })
  default = null
}

variable "resource_types" {
  type = object({
    keyvault_vaults = optional(string, "Microsoft.KeyVault/vaults@2026-02-01")
  })
  default = {}
}
""",
    "modules/secret/main.tf": """resource "azapi_resource" "this" {
  type = "Microsoft.KeyVault/vaults/secrets@2026-02-01"
}
""",
    "modules/secret/variables.tf": 'variable "name" {}\nvariable "value" {}\n',
    "modules/pe/main.tf": 'resource "azapi_resource" "this" {\n  type = "Microsoft.Network/privateEndpoints@2025-01-01"\n}\n',
    "modules/pe/variables.tf": 'variable "subnet_id" {}\n',
}
GENERATED = {
    "main.tf": REAL["main.tf"],
    "variables.tf": REAL["variables.tf"].replace('"sku_name"', '"sku"'),
    "modules/secret/main.tf": REAL["modules/secret/main.tf"],
    "modules/secret/variables.tf": 'variable "name" {}\nvariable "value" {}\nvariable "value_version" {}\n',
}


def test_reads_the_type_interfaces_and_children(variable_match, tmp_path: Path) -> None:
    real = variable_match.read_module(write(tmp_path, REAL))
    assert (real.root.resource_type, real.root.api_version) == ("Microsoft.KeyVault/vaults", "2026-02-01")
    assert real.interfaces == ["lock"]
    assert list(real.children) == ["secrets"] and real.unpaired == ["pe"]
    assert real.children["secrets"][1].variables == ["name", "value"]


def test_compares_the_folders_of_the_same_type(variable_match, tmp_path: Path) -> None:
    real = variable_match.read_module(write(tmp_path / "real", REAL))
    generated = variable_match.read_module(write(tmp_path / "new", GENERATED))
    main, children = variable_match.compare(real, generated)
    assert main.missing == ["sku_name"]
    assert children["secrets"].missing == []
    assert variable_match.share([main, *children.values()]) == (5, 6)
