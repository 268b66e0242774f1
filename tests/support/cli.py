"""Running the installed `avm` CLI in a subprocess, the way a user or an IDE task does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"  # the official data, beside the project on some machines only
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
INDEX_FIXTURES = FIXTURES / "index"  # a few dozen rows of each index kind, in the official format
API_LIST_FIXTURE = FIXTURES / "apiSpecsList.json"  # the official API-versions list's format, a few types
THOROUGH = bool(os.environ.get("AVM_THOROUGH"))  # more trials and examples than the everyday run's
PLACEHOLDERS = ("TODO", "FIXME", "REPLACE", "lorem", "ipsum", "TBD", "[[")


def avm_command() -> list[str]:
    script = Path(sys.executable).with_name("avm")
    if script.exists():
        return [str(script)]
    found = shutil.which("avm")
    return [found] if found else [sys.executable, "-m", "generator"]


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict:
        return json.loads(self.stdout)


def run_avm(*args: str, cwd: Path, cache: Path, stdin: str | None = None) -> Result:
    env = {**os.environ, "AVM_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    env.pop("CI", None)
    completed = subprocess.run(
        [*avm_command(), *args],
        cwd=cwd,
        env=env,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes, for before/after comparisons."""
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
