"""Golden snapshots: a generated module compared byte for byte with a reviewed copy in tests/golden/.

After an intended change, refresh with `AVM_UPDATE_GOLDEN=1 pytest tests/e2e` and review the diff of
`tests/golden/` like any other change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.support.cli import tree

GOLDEN_ROOT = Path(__file__).resolve().parents[1] / "golden"


def assert_matches_golden(generated: Path, name: str) -> None:
    golden = GOLDEN_ROOT / name
    if os.environ.get("AVM_UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(generated, golden)
    expected, actual = tree(golden), tree(generated)
    assert sorted(actual) == sorted(expected)
    for file in expected:
        assert actual[file].decode() == expected[file].decode(), file
