"""The questionary wizard, driven through a real pseudo-terminal as a user at a keyboard would."""

from __future__ import annotations

import json
import os
import select
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import avm_command, run_avm

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

ENTER = "\r"
DOWN = "\x1b[B"
SPACE = " "


def drive(args: list[str], keys: list[tuple[str, str]], cwd: Path, cache: Path) -> tuple[int, str]:
    """Run avm on a pty; for each (prompt text, keys) wait for the text, then type the keys."""
    import fcntl
    import pty
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # rows, columns as in env
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


def test_wizard_takes_a_terraform_utility_name_without_a_category(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "utl"
    code, screen = drive(
        ["new", "utility", "--lang", "terraform", "--index", "none", "-o", str(out)],
        [
            ("Module name (NAME, e.g. regions)", [*"Regions", ENTER]),
            ("lower-case kebab case", [*erase("Regions"), *"regions", ENTER]),
            ("Does it deploy resources?", [*"n"]),
            ("Create this module?", ENTER),
        ],
        tmp_path,
        avm_cache,
    )
    assert code == 0, screen
    assert "avm-utl-regions" in (out / ".copier-answers.yml").read_text()


BACKSPACE = "\x7f"
UP = "\x1b[A"


def erase(text: str) -> list[str]:
    return [BACKSPACE] * len(text)


def test_a_malformed_namespace_is_asked_again_with_the_closest_known_ones(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "kv"
    code, screen = drive(
        ["new", "resource", "--lang", "bicep", "--index", "none", "-o", str(out)],
        [
            ("Resource provider namespace", [*"KeyVault", ENTER]),
            ("did you mean Microsoft.KeyVault?", [*erase("KeyVault"), *"Microsoft.KeyVault", ENTER]),
            ("Resource type in Microsoft.KeyVault", [*"vaults", ENTER]),
            ("Child resource types", ENTER),
            ("Interfaces", ENTER),
            ("Create this module?", ENTER),
        ],
        tmp_path,
        avm_cache,
    )
    assert code == 0, screen
    assert "Microsoft.KeyVault/vaults@" in (out / "main.bicep").read_text()


def test_an_unknown_namespace_or_type_offers_the_closest_known_one(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "kv"
    code, screen = drive(
        ["new", "resource", "--lang", "bicep", "--defaults", "--index", "none", "-o", str(out)],
        [
            ("Resource provider namespace", [*"Microsoft.Keyvalt", ENTER]),
            ("Microsoft.Keyvalt is not a namespace the catalog knows", ENTER),  # the closest, first and chosen
            ("Resource type in Microsoft.KeyVault", [*"vault", ENTER]),
            ("vault is not a resource type the catalog knows", ENTER),  # vaults
        ],
        tmp_path,
        avm_cache,
    )
    assert code == 0, screen
    assert "Microsoft.KeyVault/vaults@" in (out / "main.bicep").read_text()


def test_a_new_namespace_is_kept_after_a_confirmation_and_its_api_version_asked(
    tmp_path: Path, avm_cache: Path
) -> None:
    out = tmp_path / "widget"
    code, screen = drive(
        ["new", "resource", "--lang", "bicep", "--defaults", "--index", "none", "-o", str(out)],
        [
            ("Resource provider namespace", [*"Contoso.Widgets", ENTER]),
            # the choices end with "use ... as a new namespace" and "type it again"; up twice wraps to the first
            ("Contoso.Widgets is not a namespace the catalog knows", [UP, UP, ENTER]),
            ("Resource type in Contoso.Widgets", [*"gadgets", ENTER]),
            ("API version of Contoso.Widgets/gadgets", [*"2024-02-30", ENTER]),
            ("'2024-02-30' is not an API version", [*erase("30"), *"29", ENTER]),
        ],
        tmp_path,
        avm_cache,
    )
    assert code == 0, screen
    assert "resource gadget 'Contoso.Widgets/gadgets@2024-02-29'" in (out / "main.bicep").read_text()


def test_the_api_version_of_a_type_outside_the_catalog_defaults_to_the_newest_stable(
    tmp_path: Path, avm_cache: Path
) -> None:
    api_list = tmp_path / "apiSpecsList.json"
    api_list.write_text(
        json.dumps({"Microsoft.Contoso": {"widgets": ["2023-01-01", "2024-05-01", "2025-01-01-preview"]}}),
        encoding="utf-8",
    )
    assert run_avm("catalog", "refresh", "--from", str(api_list), cwd=tmp_path, cache=avm_cache).code == 0
    out = tmp_path / "widget"
    args = ["new", "resource", "--lang", "bicep", "--provider", "Microsoft.Contoso", "--type", "widgets"]
    code, screen = drive(
        [*args, "--index", "none", "-o", str(out)],
        [
            ("API version of Microsoft.Contoso/widgets", ENTER),  # the default, shown in the answer field
            ("Interfaces", ENTER),
            ("Create this module?", ENTER),
        ],
        tmp_path,
        avm_cache,
    )
    assert code == 0, screen
    assert "Microsoft.Contoso/widgets@2024-05-01'" in (out / "main.bicep").read_text()


def test_a_malformed_namespace_given_as_an_option_stops_before_any_question(tmp_path: Path, avm_cache: Path) -> None:
    code, screen = drive(
        ["new", "resource", "--lang", "bicep", "--provider", "KeyVault", "--type", "vaults", "-o", str(tmp_path / "x")],
        [],
        tmp_path,
        avm_cache,
    )
    assert code == 2, screen
    assert "avm: error: provider: 'KeyVault' is not a resource provider namespace" in screen
    assert "did you mean Microsoft.KeyVault?" in screen and "Traceback" not in screen
    assert not (tmp_path / "x").exists()
