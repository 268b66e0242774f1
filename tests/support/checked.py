"""`avm check` as a judge of what `avm new` writes: every generated module must check clean."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.check import run_check


def assert_checks_clean(root: Path) -> None:
    # main.json is what `bicep build` writes; without the compiler here, `avm new` cannot write it.
    ignore = () if shutil.which("bicep") else ("BCPNFR23-build",)
    findings = run_check([root], ignore=ignore).findings
    assert [f"{f.path}:{f.line}: {f.rule} {f.message}" for f in findings] == []
