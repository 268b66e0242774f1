"""The reviewed golden module: Microsoft.KeyVault/vaults with secrets and keys, every file byte for byte.

After an intended change, refresh the snapshot with `AVM_UPDATE_GOLDEN=1 pytest tests/e2e/test_golden.py`
and review the diff of `tests/golden/` like any other change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.support.cli import run_avm, tree

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "bicep-key-vault"
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
    if os.environ.get("AVM_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    expected, actual = tree(GOLDEN), tree(out)
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name].decode() == expected[name].decode(), name
