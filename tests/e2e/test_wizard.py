"""The questionary wizard, driven through a real pseudo-terminal as a user at a keyboard would."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import avm_command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

ENTER = "\r"
DOWN = "\x1b[B"
SPACE = " "


def drive(args: list[str], keys: list[tuple[str, str]], cwd: Path, cache: Path) -> tuple[int, str]:
    """Run avm on a pty; for each (prompt text, keys) wait for the text, then type the keys."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "AVM_CACHE_DIR": str(cache), "TERM": "xterm", "COLUMNS": "120", "LINES": "40"}
    env.pop("CI", None)
    env.pop("AVM_NO_PROMPT", None)
    process = subprocess.Popen(
        [*avm_command(), *args], cwd=cwd, env=env, stdin=follower, stdout=follower, stderr=follower, close_fds=True
    )
    os.close(follower)
    seen = ""

    def read_until(text: str, timeout: float = 20) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while text not in seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {text!r}; got:\n{seen[-2000:]}")
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(leader, 65536).decode(errors="replace")
                except OSError:
                    break

    try:
        for prompt, typed in keys:
            read_until(prompt)
            time.sleep(0.3)
            for key in typed:
                os.write(leader, key.encode())
                time.sleep(0.05)
        code = process.wait(timeout=60)
        while True:  # drain what is left
            ready, _, _ = select.select([leader], [], [], 0.2)
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk.decode(errors="replace")
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    return code, seen


def test_wizard_asks_for_everything_missing(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "kv"
    code, screen = drive(
        ["new", "resource", "--index", "none", "-o", str(out)],
        [
            ("Language", ENTER),  # bicep is the default
            ("Resource provider namespace", [*"Microsoft.KeyVault", ENTER]),
            ("Resource type in Microsoft.KeyVault", [*"vaults", ENTER]),
            ("Child resource types", [SPACE, ENTER]),  # tick the first child type
            ("Interfaces", ENTER),  # keep the catalog's pre-ticked interfaces
            ("Create this module?", ENTER),
        ],
        tmp_path,
        avm_cache,
    )
    assert code == 0, screen
    assert (out / "main.bicep").is_file()
    children = [p.parent.name for p in out.glob("*/main.bicep") if p.parent.name != "tests"]
    assert len(children) == 1, screen
    assert "param lock lockType?" in (out / "main.bicep").read_text()


def test_declining_the_summary_writes_nothing(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "kv"
    code, screen = drive(
        [
            "new",
            "resource",
            "--lang",
            "bicep",
            "--provider",
            "Microsoft.KeyVault",
            "--type",
            "vaults",
            "--index",
            "none",
            "-o",
            str(out),
        ],
        [
            ("Child resource types", ENTER),
            ("Interfaces", ENTER),
            ("Create this module?", [*"n"]),
        ],
        tmp_path,
        avm_cache,
    )
    assert code == 0, screen
    assert "nothing written" in screen
    assert not out.exists()


def test_wizard_creates_a_pattern_after_asking_the_class(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "terraform-azure-avm-ptn-azd-monitoring"  # the default output: the repository name
    code, screen = drive(
        ["new"],
        [
            ("Module class", [DOWN, ENTER]),  # resource, pattern, utility
            ("Language", [DOWN, ENTER]),  # terraform
            ("Module name", [*"azd/monitoring", ENTER]),
            ("Resource modules it deploys", [*"avm-res-keyvault-vault@0.10.0", ENTER]),
            ("Create this module?", ENTER),
        ],
        tmp_path,
        avm_cache,
    )
    assert code == 0, screen
    main = (out / "main.tf").read_text()
    # The registry provider comes from the index when another test has cached one: only the name is fixed.
    assert 'source  = "Azure/avm-res-keyvault-vault/' in main and 'version = "0.10.0"' in main


def test_wizard_asks_whether_a_utility_deploys(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "utl"
    code, screen = drive(
        ["new", "utility", "--lang", "bicep", "--index", "none", "-o", str(out)],
        [
            ("Module name", [*"general/resource-name", ENTER]),
            ("Does it deploy resources?", [*"n"]),
            ("Create this module?", ENTER),
        ],
        tmp_path,
        avm_cache,
    )
    assert code == 0, screen
    assert "enableTelemetry" not in (out / "main.bicep").read_text()
    assert (out / "tests/e2e/import/main.test.bicep").is_file()
