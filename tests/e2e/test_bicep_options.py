"""End to end: the options around generation (dry run, JSON, force, answers, index, version)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from generator import __version__
from tests.support.cli import INDEX_FIXTURES, run_avm, tree

KV = ["new", "resource", "--lang", "bicep", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--defaults"]


def test_version(tmp_path: Path, avm_cache: Path) -> None:
    result = run_avm("--version", cwd=tmp_path, cache=avm_cache)
    assert result.code == 0
    assert result.stdout.strip() == f"avm {__version__}"


def test_dry_run_lists_and_writes_nothing(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "out"
    result = run_avm(
        *KV,
        "--child",
        "secrets",
        "--index",
        "none",
        "--dry-run",
        "--json",
        "-o",
        str(out),
        cwd=tmp_path,
        cache=avm_cache,
    )
    assert result.code == 0, result.stderr
    report = result.json
    assert report["dry_run"] is True
    assert "main.bicep" in report["files"] and "secret/main.bicep" in report["files"]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []

    real = run_avm(
        *KV, "--child", "secrets", "--index", "none", "--json", "-o", str(out), cwd=tmp_path, cache=avm_cache
    )
    assert real.json["files"] == report["files"]


def test_default_output_is_the_registry_layout(tmp_path: Path, avm_cache: Path) -> None:
    result = run_avm(*KV, "--index", "none", cwd=tmp_path, cache=avm_cache)
    assert result.code == 0, result.stderr
    assert (tmp_path / "avm/res/key-vault/vault/main.bicep").is_file()
    assert "wrote" in result.stdout


def test_json_names(tmp_path: Path, avm_cache: Path) -> None:
    result = run_avm(*KV, "--index", "none", "--json", "-o", str(tmp_path / "kv"), cwd=tmp_path, cache=avm_cache)
    names = result.json["names"]
    assert names == {
        "bicep_path": "avm/res/key-vault/vault",
        "telemetry_id_prefix": "46d3xbcp.res.keyvault-vault",
        "service_short": "kvv",
        "owners_team": "avm-res-keyvault-vault-module-owners-bicep",
        "terraform_module": "avm-res-keyvault-vault",
        "terraform_repo": "terraform-azure-avm-res-keyvault-vault",
        "terraform_registry": "Azure/avm-res-keyvault-vault/azure",
    }


def test_force_writes_into_a_non_empty_folder(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "NOTES.md").write_text("mine\n")
    result = run_avm(*KV, "--index", "none", "--force", "-o", str(out), cwd=tmp_path, cache=avm_cache)
    assert result.code == 0, result.stderr
    assert (out / "NOTES.md").read_text() == "mine\n"
    assert (out / "main.bicep").is_file()


def test_data_file_set_and_flags_layer(tmp_path: Path, avm_cache: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text(
        yaml.safe_dump(
            {
                "language": "bicep",
                "provider_namespace": "Microsoft.KeyVault",
                "resource_type": "vaults",
                "children": ["secrets"],
                "interfaces": ["lock", "tags"],
                "display_name": "From File",
            }
        )
    )
    out = tmp_path / "out"
    result = run_avm(
        "new",
        "resource",
        "--index",
        "none",
        "--data-file",
        str(answers),
        "--set",
        "display_name=From Set",
        "--set",
        "interfaces=lock",
        "--owner",
        "octocat",
        "-o",
        str(out),
        cwd=tmp_path,
        cache=avm_cache,
    )
    assert result.code == 0, result.stderr
    recorded = yaml.safe_load((out / ".copier-answers.yml").read_text())
    assert recorded["display_name"] == "From Set"
    assert recorded["interfaces"] == ["lock"]
    assert recorded["owner"] == "octocat"
    assert [c["type"] for c in recorded["children"]] == ["secrets"]
    assert recorded["_src_path"] == "https://avm-generator.invalid/templates/bicep.git"

    # The answers file written by avm is itself a valid --data-file and reproduces the module.
    again = tmp_path / "again"
    result = run_avm(
        "new",
        "resource",
        "--index",
        "none",
        "--data-file",
        str(out / ".copier-answers.yml"),
        "-o",
        str(again),
        cwd=tmp_path,
        cache=avm_cache,
    )
    assert result.code == 0, result.stderr
    assert tree(again) == tree(out)


def test_names_come_from_the_index(tmp_path: Path, avm_cache: Path) -> None:
    index = INDEX_FIXTURES / "BicepResourceModules.csv"
    result = run_avm(
        "new",
        "resource",
        "--lang",
        "bicep",
        "--provider",
        "Microsoft.Network",
        "--type",
        "privateDnsZones",
        "--defaults",
        "--index",
        str(index),
        "--json",
        "-o",
        str(tmp_path / "dns"),
        cwd=tmp_path,
        cache=avm_cache,
    )
    assert result.code == 0, result.stderr
    names = result.json["names"]
    rows = index.read_text(encoding="utf-8-sig")
    row = next(line for line in rows.splitlines() if line.startswith("Microsoft.Network,privateDnsZones,"))
    assert names["bicep_path"] in row
    assert names["telemetry_id_prefix"] in row
    main = (tmp_path / "dns/main.bicep").read_text()
    assert re.search(rf"'{re.escape(names['telemetry_id_prefix'])}\.", main)


def test_catalog_refresh_command(tmp_path: Path, avm_cache: Path) -> None:
    cache = tmp_path / "cache"
    source = tmp_path / "apiSpecsList.json"
    source.write_text('{"Contoso.Widgets": {"gadgets": ["2024-01-01"]}}')
    result = run_avm("catalog", "refresh", "--from", str(source), "--json", cwd=tmp_path, cache=cache)
    assert result.code == 0, result.stderr
    assert result.json["types"] == 1
    created = run_avm(
        "new", "resource", "--lang", "bicep", "--provider", "Contoso.Widgets", "--type", "gadgets", "--defaults",
        "--index", "none", "--json", "-o", str(tmp_path / "gadget"), cwd=tmp_path, cache=cache,
    )  # fmt: skip
    assert created.code == 0, created.stderr
    assert "2024-01-01" in (tmp_path / "gadget/main.bicep").read_text()

    source.write_text("[1, 2]")
    refused = run_avm("catalog", "refresh", "--from", str(source), cwd=tmp_path, cache=cache)
    assert refused.code == 2 and refused.stderr.count("\n") == 1 and "--from" in refused.stderr


def test_main_json_is_built_when_bicep_is_on_path(
    tmp_path: Path, avm_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    fake = tools / "bicep"  # stands in for the Bicep CLI: `bicep build <file> --outfile <out>`
    fake.write_text('#!/bin/sh\nprintf \'{"built-from": "%s"}\\n\' "$2" > "$4"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "kv"
    result = run_avm(
        *KV, "--child", "secrets", "--index", "none", "--json", "-o", str(out), cwd=tmp_path, cache=avm_cache
    )
    assert result.code == 0, result.stderr
    assert {"main.json", "secret/main.json"} <= set(result.json["files"])
    assert (out / "main.json").is_file() and (out / "secret/main.json").is_file()
    assert not list((out / "tests").rglob("*.json"))


def test_bare_avm_shows_help_and_new_without_class_is_refused(tmp_path: Path, avm_cache: Path) -> None:
    bare = run_avm(cwd=tmp_path, cache=avm_cache)
    assert bare.code == 0 and bare.stdout.startswith("Usage: avm")
    new = run_avm("new", cwd=tmp_path, cache=avm_cache)
    assert new.code == 2 and new.stderr == "avm: error: class: is required (avm new resource|pattern|utility)\n"
