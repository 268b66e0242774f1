"""What `avm new` accepts: every Azure type offline, real API versions, module classes and names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.api_versions import shipped
from tests.support.cli import API_LIST_FIXTURE, run_avm, tree

BICEP = ("new", "resource", "--lang", "bicep")


def answers(module: Path) -> dict:
    return yaml.safe_load((module / ".copier-answers.yml").read_text())


@pytest.mark.parametrize("lang", ["bicep", "terraform"])
def test_any_type_of_the_shipped_list_works_offline_without_an_api_version(
    tmp_path: Path, avm_cache: Path, lang: str
) -> None:
    out = tmp_path / "aad"
    result = run_avm(
        "new", "resource", "--lang", lang, "--provider", "Microsoft.AAD", "--type", "domainServices",
        "--defaults", "--index", "none", "-o", str(out), cwd=tmp_path, cache=tmp_path / "empty-cache",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    recorded = answers(out)
    assert recorded["api_version"] == shipped().versions("Microsoft.AAD", "domainServices").stable[0]
    assert recorded["resource_type"] == "domainServices"
    if lang == "bicep":
        assert f"'Microsoft.AAD/domainServices@{recorded['api_version']}'" in (out / "main.bicep").read_text()
    else:
        assert f"Microsoft.AAD/domainServices@{recorded['api_version']}" in (out / "variables.tf").read_text()


def test_types_match_case_insensitively_and_keep_their_camel_case(tmp_path: Path, avm_cache: Path) -> None:
    refreshed = run_avm("catalog", "refresh", "--from", str(API_LIST_FIXTURE), cwd=tmp_path, cache=avm_cache)
    assert refreshed.code == 0, refreshed.stderr
    for spelling in ("networkInterfaces", "NETWORKINTERFACES", "networkinterfaces"):
        result = run_avm(
            *BICEP, "--provider", "microsoft.azurestackhci", "--type", spelling, "--defaults", "--index", "none",
            "--dry-run", "--json", cwd=tmp_path, cache=avm_cache,
        )  # fmt: skip
        assert result.code == 0, result.stderr
        assert result.json["names"]["bicep_path"] == "avm/res/azure-stack-hci/network-interface", spelling


@pytest.mark.parametrize(
    "version", ["2024-13-45", "2024-02-30", "2023-02-29", "2024-1-01", "2024-11-01-nightly", "20241101"]
)
def test_an_api_version_must_be_a_real_date(tmp_path: Path, avm_cache: Path, version: str) -> None:
    result = run_avm(
        *BICEP, "--provider", "Microsoft.KeyVault", "--type", "vaults", "--api-version", version, "--defaults",
        "-o", str(tmp_path / "kv"), cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert result.code == 2
    assert result.stderr.startswith("avm: error: api_version:") and result.stderr.count("\n") == 1
    assert not (tmp_path / "kv").exists()


@pytest.mark.parametrize("version", ["2024-02-29", "2025-01-01-preview", "2024-11-01-beta"])
def test_real_api_versions_are_accepted(tmp_path: Path, avm_cache: Path, version: str) -> None:
    result = run_avm(
        *BICEP, "--provider", "Microsoft.KeyVault", "--type", "vaults", "--api-version", version, "--defaults",
        "--dry-run", "--json", cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr


def test_terraform_utilities_are_named_without_a_category(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "regions"
    result = run_avm(
        "new", "utility", "--lang", "terraform", "--name", "regions", "--defaults", "--index", "none", "--json",
        "-o", str(out), cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    names = result.json["names"]
    assert (names["terraform_module"], names["terraform_repo"]) == (
        "avm-utl-regions",
        "terraform-azure-avm-utl-regions",
    )
    assert answers(out)["display_name"] == "Regions"


def test_bicep_utilities_keep_category_and_name(tmp_path: Path, avm_cache: Path) -> None:
    result = run_avm(
        "new", "utility", "--lang", "bicep", "--name", "regions", "--defaults", "-o", str(tmp_path / "u"),
        cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert result.code == 2 and result.stderr.startswith("avm: error: name:")
    assert not (tmp_path / "u").exists()


@pytest.mark.parametrize("source", ["set", "data-file"])
def test_the_command_is_the_module_class(tmp_path: Path, avm_cache: Path, source: str) -> None:
    before = tree(tmp_path)
    if source == "set":
        given: tuple[str, ...] = ("--set", "module_class=pattern")
    else:
        (tmp_path / "answers.yml").write_text("module_class: utility\nlanguage: bicep\n")
        given = ("--data-file", str(tmp_path / "answers.yml"))
        before = tree(tmp_path)
    result = run_avm(
        *BICEP, "--provider", "Microsoft.KeyVault", "--type", "vaults", *given, "--defaults", cwd=tmp_path,
        cache=avm_cache,
    )  # fmt: skip
    assert result.code == 2
    assert result.stderr.startswith("avm: error: module_class:") and "avm new resource" in result.stderr
    assert tree(tmp_path) == before


def test_the_command_agrees_with_its_own_answers_file(tmp_path: Path, avm_cache: Path) -> None:
    (tmp_path / "answers.yml").write_text("module_class: resource\nlanguage: bicep\n")
    result = run_avm(
        *BICEP, "--provider", "Microsoft.KeyVault", "--type", "vaults", "--data-file", str(tmp_path / "answers.yml"),
        "--defaults", "--dry-run", cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr


def test_used_terraform_modules_ending_in_the_same_word_do_not_clash(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "ptn"
    result = run_avm(
        "new", "pattern", "--lang", "terraform", "--name", "backup/vaults", "--uses", "avm-res-keyvault-vault@0.10.0",
        "--uses", "avm-res-recoveryservices-vault@0.3.0", "--index", "none", "--defaults", "-o", str(out),
        cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    main = (out / "main.tf").read_text()
    assert 'module "key_vault"' in main and 'module "recovery_services_vault"' in main


def test_adopt_reads_a_terraform_utility_name_without_a_category(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "terraform-azure-avm-utl-regions"
    made = run_avm(
        "new", "utility", "--lang", "terraform", "--name", "regions", "--defaults", "--index", "none", "-o", str(out),
        cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert made.code == 0, made.stderr
    (out / ".copier-answers.yml").unlink()
    adopted = run_avm("adopt", str(out), "--index", "none", "--json", cwd=tmp_path, cache=avm_cache)
    assert adopted.code == 0, adopted.stderr
    assert adopted.json["answers"]["module_name"] == "regions"
    assert adopted.json["names"]["terraform_module"] == "avm-utl-regions"
