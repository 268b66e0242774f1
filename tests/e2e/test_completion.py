"""Shell completion of option values, through the protocol the installed bash script speaks.

typer's bash script runs `avm` with `_AVM_COMPLETE=complete_bash`, `COMP_WORDS` (the words of the command line
joined by spaces) and `COMP_CWORD` (the index of the word being completed), and reads one candidate a line.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support.cli import avm_command


def complete(line: str, cwd: Path, cache: Path) -> list[str]:
    """The candidates bash is offered for the last word of `line` (empty after a trailing space)."""
    words = line.split(" ")
    env = {
        **os.environ,
        "AVM_CACHE_DIR": str(cache),
        "_AVM_COMPLETE": "complete_bash",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
    }
    completed = subprocess.run(avm_command(), cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    return [value for value in completed.stdout.splitlines() if value]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("avm new resource --lang ", ["bicep", "terraform"]),
        ("avm new pattern --lang t", ["terraform"]),
        ("avm templates env --lang b", ["bicep"]),
        ("avm check --format ", ["text", "json", "sarif"]),
        ("avm check --min-severity ", ["error", "warning", "info"]),
        ("avm update --conflict ", ["inline", "rej"]),
        ("avm update --conflict r", ["rej"]),
    ],
)
def test_fixed_option_values_are_completed(line: str, expected: list[str], tmp_path: Path, avm_cache: Path) -> None:
    assert complete(line, tmp_path, avm_cache) == expected


def test_interfaces_complete_the_key_after_the_last_comma(tmp_path: Path, avm_cache: Path) -> None:
    first = complete("avm new resource --interfaces ", tmp_path, avm_cache)
    assert first[:2] == ["lock", "role-assignments"] and first[-2:] == ["all", "none"]
    assert "private-endpoints" in first and "tags" in first
    assert complete("avm new resource --interfaces lock,ro", tmp_path, avm_cache) == ["lock,role-assignments"]
    rest = complete("avm new resource --interfaces lock,tags,", tmp_path, avm_cache)
    assert "lock,tags,role-assignments" in rest
    assert not any(v.endswith((",lock", ",tags", ",all", ",none")) for v in rest), rest


def test_provider_type_and_child_come_from_the_catalog(tmp_path: Path, avm_cache: Path) -> None:
    assert "Microsoft.KeyVault" in complete("avm new resource --provider Microsoft.Ke", tmp_path, avm_cache)
    assert "vaults" in complete("avm new resource --provider Microsoft.KeyVault --type ", tmp_path, avm_cache)
    children = complete("avm new resource --provider Microsoft.KeyVault --type vaults --child ", tmp_path, avm_cache)
    assert {"secrets", "keys"} <= set(children)
    nested = complete(
        "avm new resource --provider Microsoft.Storage --type storageAccounts --publish-child blobServices/c",
        tmp_path,
        avm_cache,
    )
    assert "blobServices/containers" in nested


@pytest.mark.parametrize(
    "line",
    [
        "avm new resource --type ",  # no namespace yet
        "avm new resource --provider Contoso.Nothing --type ",
        "avm new resource --provider KeyVault --type vaults --child ",
        "avm new resource --provider Microsoft.KeyVault --type nothing --child ",
    ],
)
def test_completion_without_an_answer_offers_nothing_and_never_fails(
    line: str, tmp_path: Path, avm_cache: Path
) -> None:
    assert complete(line, tmp_path, avm_cache) == []


def test_a_damaged_cache_does_not_break_completion(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / "catalog").mkdir(parents=True)
    (cache / "catalog" / "apiSpecsList.json").write_text("{ not json", encoding="utf-8")
    assert "Microsoft.KeyVault" in complete("avm new resource --provider Microsoft.K", tmp_path, cache)
