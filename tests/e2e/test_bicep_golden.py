"""The reviewed golden module: Microsoft.KeyVault/vaults with secrets and keys, every file byte for byte.

After an intended change, refresh the snapshot with `AVM_UPDATE_GOLDEN=1 pytest tests/e2e/test_bicep_golden.py`
and review the diff of `tests/golden/` like any other change.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import run_avm
from tests.support.golden import assert_matches_golden

COMMAND = [
    "new",
    "resource",
    "--lang",
    "bicep",
    "--provider",
    "Microsoft.KeyVault",
    "--type",
    "vaults",
    "--child",
    "secrets",
    "--child",
    "keys",
    "--index",
    "none",
    "--defaults",
]


def test_key_vault_matches_golden(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "vault"
    result = run_avm(*COMMAND, "-o", str(out), cwd=tmp_path, cache=avm_cache)
    assert result.code == 0, result.stderr
    assert_matches_golden(out, "bicep-key-vault")
