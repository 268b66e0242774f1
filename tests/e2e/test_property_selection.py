"""End to end: `--properties` chooses the resource's own parameters, `--schemas` reads a local checkout, and the
answers file records the schema used (issue 12, items 1 and 3)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from generator.adopt import infer
from tests.support.cli import run_avm

FIXTURE = Path(__file__).parents[1] / "fixtures" / "azure_types" / "contoso.widgets-2025-01-01.types.json"
KV = ["new", "resource", "--lang", "bicep", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--defaults"]
KV += ["--index", "none", "--interfaces", "none"]
PARAM = re.compile(r"^param (\w+) ", re.M)


def params(module: Path) -> list[str]:
    return PARAM.findall((module / "main.bicep").read_text())


def answers(module: Path) -> dict:
    return yaml.safe_load((module / ".copier-answers.yml").read_text())


def make(tmp_path: Path, cache: Path, *args: str, name: str = "kv") -> Path:
    out = tmp_path / name
    result = run_avm(*KV, *args, "-o", str(out), cwd=tmp_path, cache=cache)
    assert result.code == 0, result.stderr
    return out


def test_all_required_none_and_names_choose_the_parameters(tmp_path: Path, avm_cache: Path) -> None:
    every = params(make(tmp_path, avm_cache, name="all"))
    assert {"sku", "tenantId", "enableSoftDelete", "enablePurgeProtection", "networkAcls"} <= set(every)
    assert "provisioningState" not in every and "vaultUri" not in every  # set by the service
    required = params(make(tmp_path, avm_cache, "--properties", "required", name="required"))
    assert required == ["name", "sku", "location", "tenantId", "enableTelemetry"]
    assert params(make(tmp_path, avm_cache, "--properties", "none", name="none")) == [
        "name",
        "location",
        "enableTelemetry",
    ]
    chosen = make(tmp_path, avm_cache, "--properties", "enableSoftDelete,networkAcls", name="chosen")
    assert params(chosen) == [
        "name",
        "sku",
        "location",
        "tenantId",
        "enableSoftDelete",
        "networkAcls",
        "enableTelemetry",
    ]
    assert answers(chosen)["properties"] == ["enableSoftDelete", "networkAcls"]
    assert answers(make(tmp_path, avm_cache, name="default"))["properties"] == "all"


def test_adopt_reads_the_selection_back(tmp_path: Path, avm_cache: Path) -> None:
    for selection, expected in (("all", "all"), ("required", "required"), ("enableSoftDelete", ["enableSoftDelete"])):
        module = make(tmp_path, avm_cache, "--properties", selection, name=f"kv-{selection}")
        assert infer(module).raw["properties"] == expected, selection


def test_a_name_the_schema_lacks_is_refused_with_the_names_it_has(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "kv"
    result = run_avm(*KV, "--properties", "enableSoftDelete,colour", "-o", str(out), cwd=tmp_path, cache=avm_cache)
    assert result.code == 2
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("avm: error: properties: 'colour' is not a writable property of")
    assert "enableSoftDelete" in line and not out.exists()


def test_the_answers_record_the_schema_and_a_missing_checkout_is_refused(tmp_path: Path, avm_cache: Path) -> None:
    record = answers(make(tmp_path, avm_cache))["resource_schema"]
    assert record["source"] == "bundle" and record["type"].startswith("Microsoft.KeyVault/vaults@")
    assert re.fullmatch(r"[0-9a-f]{40}", record["revision"])
    result = run_avm(
        *KV, "--schemas", str(tmp_path / "nowhere"), "-o", str(tmp_path / "x"), cwd=tmp_path, cache=avm_cache
    )
    assert result.code == 2 and result.stderr.startswith("avm: error: --schemas:")
    assert not (tmp_path / "x").exists()


def test_a_checkout_gives_its_types_and_descriptions(tmp_path: Path, avm_cache: Path) -> None:
    generated = tmp_path / "bicep-types-az" / "generated"
    target = generated / "contoso.widgets" / "contoso.widgets" / "2025-01-01" / "types.json"
    target.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURE, target)
    out = tmp_path / "widget"
    result = run_avm(
        "new",
        "resource",
        "--lang",
        "bicep",
        "--provider",
        "Contoso.Widgets",
        "--type",
        "widgets",
        "--api-version",
        "2025-01-01",
        "--schemas",
        str(generated.parent),
        "--index",
        "none",
        "--interfaces",
        "none",
        "--scope",
        "resourceGroup",
        "--defaults",
        "-o",
        str(out),
        cwd=tmp_path,
        cache=avm_cache,
    )
    assert result.code == 0, result.stderr
    record = answers(out)["resource_schema"]
    assert record["source"] == "checkout" and record["type"] == "Contoso.Widgets/widgets@2025-01-01"
    main = (out / "main.bicep").read_text()
    assert (
        "@description('Required. A name people read.')\n@minLength(1)\n@maxLength(64)\nparam displayName string\n"
        in main
    )
