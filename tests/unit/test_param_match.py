"""bench/param_match.py's comparison, offline, on a real-looking module and a generated-looking one."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "param_match.py"


@pytest.fixture(scope="module")
def param_match():
    spec = importlib.util.spec_from_file_location("param_match", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


REAL = {
    "main.bicep": """param name string
param enableVaultForDeployment bool = true
param lock lockType?
param tags resourceInput<'Microsoft.KeyVault/vaults@2024-11-01'>.tags?
param enableTelemetry bool = true
resource cmk 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: 'other'
}
resource keyVault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
}
""",
    "secret/main.bicep": """param keyVaultName string
param name string
param value string
param enableTelemetry bool = true
resource keyVault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}
resource secret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  name: name
}
""",
    "secret/version.json": "{}",
    "key/main.bicep": """param keyVaultName string
param name string
resource key 'Microsoft.KeyVault/vaults/keys@2024-11-01' = {
  name: name
}
""",
    "tests/e2e/defaults/main.bicep": "param ignored string\n",
}
GENERATED = {
    "main.bicep": """param name string
param enabledForDeployment bool?
param lock lockType?
param tags object?
param enableTelemetry bool = true
resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
}
""",
    "secret/main.bicep": """param keyVaultName string
param name string
param enableTelemetry bool = true
resource secret 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = {
  name: name
}
""",
}


def test_reads_the_version_interfaces_and_children(param_match, tmp_path: Path) -> None:
    real = param_match.read_module(write(tmp_path, REAL), "Microsoft.KeyVault/vaults")
    assert real.api_version == "2024-11-01"  # the `existing` reference is not the module's resource
    assert real.interfaces == ["lock", "tags"]
    assert {k: (c.type_path, c.published) for k, c in real.children.items()} == {
        "keys": ("keys", False),
        "secrets": ("secrets", True),
    }
    assert real.children["secrets"].params == ["keyVaultName", "name", "value", "enableTelemetry"]


def test_compares_the_files_of_the_same_type(param_match, tmp_path: Path) -> None:
    real = param_match.read_module(write(tmp_path / "real", REAL), "Microsoft.KeyVault/vaults")
    generated = param_match.read_module(write(tmp_path / "new", GENERATED), "Microsoft.KeyVault/vaults")
    main, children, unpaired = param_match.compare(real, generated)
    assert main.missing == ["enableVaultForDeployment"]
    assert children["secrets"].missing == ["value"]
    assert unpaired == ["keys"]
    assert param_match.share([main, *children.values()]) == (7, 9)
    assert param_match.share([main, *children.values()], param_match.STANDARD) == (1, 3)
    assert param_match.percent((7, 9)) == "7/9 (77.8 %)"
