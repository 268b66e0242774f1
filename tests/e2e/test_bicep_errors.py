"""Bad input: exit 2, one line naming the problem, no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run_avm, tree

BASE = ["new", "resource", "--lang", "bicep", "--index", "none", "--defaults"]


def assert_refused(result, field: str) -> None:
    assert result.code == 2, (result.code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert field in lines[0], lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--provider", "KeyVault", "--type", "vaults"], "provider"),
        (["--provider", "Microsoft.KeyVault", "--type", "key vaults"], "type"),
        (["--provider", "Microsoft.KeyVault", "--type", "vaults", "--interfaces", "lock,locks"], "interfaces"),
        (["--provider", "Microsoft.KeyVault", "--type", "vaults/secrets"], "type"),
        (["--provider", "Microsoft.KeyVault", "--type", "vaults", "--child", "my secrets"], "child"),
        (["--provider", "Microsoft.KeyVault", "--type", "vaults", "--api-version", "latest"], "api_version"),
        (["--provider", "Microsoft.KeyVault", "--type", "vaults", "--owner", "not a handle"], "owner"),
        (["--provider", "Microsoft.KeyVault", "--type", "vaults", "--set", "colour=blue"], "set"),
        (["--provider", "Microsoft.KeyVault", "--type", "vaults", "--set", "novalue"], "set"),
        (["--provider", "Microsoft.KeyVault", "--type", "vaults", "--unknown-flag"], "unknown-flag"),
        (["--lang", "cobol", "--provider", "Microsoft.KeyVault", "--type", "vaults"], "language"),
    ],
)
def test_bad_input_writes_nothing(args: list[str], field: str, tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "out"
    result = run_avm(*BASE, *args, "--output", str(out), cwd=tmp_path, cache=avm_cache)
    assert_refused(result, field)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_non_empty_output_is_refused_and_kept(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me\n")
    before = tree(tmp_path)
    result = run_avm(
        *BASE,
        "--provider",
        "Microsoft.KeyVault",
        "--type",
        "vaults",
        "--output",
        str(out),
        cwd=tmp_path,
        cache=avm_cache,
    )
    assert_refused(result, "output")
    assert tree(tmp_path) == before


def test_missing_inputs_without_terminal_are_all_listed(tmp_path: Path, avm_cache: Path) -> None:
    result = run_avm("new", "resource", "--output", str(tmp_path / "out"), cwd=tmp_path, cache=avm_cache)
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[2].strip() for line in lines] == ["lang", "provider", "type"]
    assert not (tmp_path / "out").exists()


def test_several_problems_are_reported_together(tmp_path: Path, avm_cache: Path) -> None:
    result = run_avm(
        *BASE,
        "--provider",
        "KeyVault",
        "--type",
        "key vaults",
        "--interfaces",
        "locks",
        "--output",
        str(tmp_path / "out"),
        cwd=tmp_path,
        cache=avm_cache,
    )
    assert result.code == 2
    fields = [line.split(":")[2].strip() for line in result.stderr.strip().splitlines()]
    assert fields == ["provider", "type", "interfaces"]


def test_broken_data_file(tmp_path: Path, avm_cache: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("provider_namespace: [unclosed\n")
    result = run_avm(
        *BASE, "--data-file", str(answers), "--output", str(tmp_path / "out"), cwd=tmp_path, cache=avm_cache
    )
    assert_refused(result, "data-file")
    assert not (tmp_path / "out").exists()
