"""The Bicep rules of `avm check`: generated modules check clean, and each seeded defect trips its rule alone."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.check import load_rules, run_check
from tests.support.brm_fixture import make_registry
from tests.support.cli import run_avm

KV = ("resource", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--child", "secrets", "--interfaces", "all")
KINDS = {
    "res": (KV, "kv"),
    "ptn": (("pattern", "--name", "app/stack", "--uses", "avm/res/key-vault/vault@0.13.0"), "ptn"),
    "utl": (("utility", "--name", "general/resource-name"), "utl"),
    "utl-deploys": (("utility", "--name", "general/deploy-script", "--deploys"), "utl2"),
    "storage": (
        (
            "resource", "--provider", "Microsoft.Storage", "--type", "storageAccounts",
            "--child", "blobServices/containers", "--interfaces", "all",
        ),
        "st",
    ),
    "published": ((*KV, "--publish-child", "keys"), "pub"),
}  # fmt: skip


def add_compiled_templates(root: Path) -> None:
    """Stand in for `bicep build` (no compiler here): a main.json beside every main.bicep."""
    for source in root.rglob("main.bicep"):
        if "tests" not in source.relative_to(root).parts:
            source.with_suffix(".json").write_text("{}\n")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("generated")
    cache = base / "cache"
    made = {}
    for kind, (args, folder) in KINDS.items():
        out = base / folder
        result = run_avm(
            "new", *args, "--lang", "bicep", "--index", "none", "--defaults", "-o", str(out), cwd=base, cache=cache
        )
        assert result.code == 0, result.stderr
        add_compiled_templates(out)
        made[kind] = out
    registry = make_registry(base / "brm")
    args = ("new", *KV, "--publish-child", "keys", "--lang", "bicep", "--index", "none", "--defaults")
    result = run_avm(*args, cwd=registry, cache=cache)
    assert result.code == 0, result.stderr
    add_compiled_templates(registry / "avm/res/key-vault/vault")
    made["registry"] = registry
    return made


def test_module_path_rule(generated: dict[str, Path], tmp_path: Path) -> None:
    copy = tmp_path / "brm"
    shutil.copytree(generated["registry"], copy)
    moved = copy / "avm/res/key-vault/vault_v2"
    (copy / "avm/res/key-vault/vault").rename(moved)
    assert "RMNFR1" in rules_fired(moved)  # with the registry files, which name the old path


def rules_fired(root: Path) -> dict[str, list[str]]:
    fired: dict[str, list[str]] = {}
    for finding in run_check([root]).findings:
        fired.setdefault(finding.rule, []).append(finding.message)
    return fired


@pytest.mark.parametrize("kind", [*KINDS, "registry"])
def test_generated_modules_check_clean(kind: str, generated: dict[str, Path]) -> None:
    root = generated[kind] / "avm/res/key-vault/vault" if kind == "registry" else generated[kind]
    assert rules_fired(root) == {}


def edit(file: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / file
        text = path.read_text()
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, count))

    return apply


def edit_re(file: str, pattern: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / file
        text, count = re.subn(pattern, new, path.read_text(), count=1, flags=re.M | re.S)
        assert count == 1, f"{pattern!r} not in {file}"
        path.write_text(text)

    return apply


def remove(path: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        target = root / path
        shutil.rmtree(target) if target.is_dir() else target.unlink()

    return apply


def rename_child(root: Path) -> None:
    (root / "secret").rename(root / "mySecret")
    edit("main.bicep", "'secret/main.bicep'", "'mySecret/main.bicep'")(root)


def add_unreferenced_child(root: Path) -> None:
    shutil.copytree(root / "secret", root / "extra")


def add_empty_test(root: Path) -> None:
    (root / "tests/e2e/extra").mkdir()


def unlist_published_child(root: Path) -> None:
    path = (
        root.parents[3]
        / "utilities/pipelines/staticValidation/compliance/helper/child-module-publish-allowed-list.json"
    )
    data = json.loads(path.read_text())
    data["allowed-child-modules"].remove("avm/res/key-vault/vault/key")
    path.write_text(json.dumps(data, indent=2) + "\n")


def registry_file(file: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        edit(file, old, new)(root.parents[3])

    return apply


def drop_workflow(root: Path) -> None:
    (root.parents[3] / ".github/workflows/avm.res.key-vault.vault.yml").unlink()


def spoil_bytes(file: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    """Make a file unreadable as text: bytes that are not UTF-8, or a NUL byte."""

    def apply(root: Path) -> None:
        path = root / file
        data = path.read_bytes()
        assert old in data, f"{old!r} not in {file}"
        path.write_bytes(data.replace(old, new, 1))

    return apply


SEEDED = [
    ("BCPNFR23", "res", remove("README.md")),
    ("BCPNFR23-build", "res", remove("secret/main.json")),
    ("BCPNFR2", "res", edit_re("README.md", r"^## Data Collection.*", "")),
    ("BCPNFR22", "res", edit("CHANGELOG.md", "# Changelog", "# Change log")),
    ("BCPNFR14", "res", edit("version.json", '"0.1"', '"1.0"')),
    ("BCPRMNFR3", "res", rename_child),
    ("BCPNFR10", "res", add_empty_test),
    ("BCPRMNFR1", "res", remove("tests/e2e/waf-aligned")),
    ("AVMB001", "res", edit_re("main.bicep", r"^metadata description = .*?\n", "")),
    ("BCPNFR7", "res", edit("main.bicep", "'Optional. Location for all resources.'", "'Location for all resources.'")),
    ("BCPNFR8", "res", edit("main.bicep", "// ============= //\n// Resources", "var my_value = 1\n\n// ============= //\n// Resources")),
    ("RMNFR2", "res", edit("main.bicep", "param location string = resourceGroup().location", "param location string = 'westeurope'")),
    ("SFR4", "res", edit("main.bicep", "param enableTelemetry bool = true", "param enableTelemetry bool = false")),
    ("SFR3", "res", edit("main.bicep", "= if (enableTelemetry) {", "= {")),
    ("SFR3-id", "res", edit("main.bicep", "'46d3xbcp.res.keyvault-vault.", "'46d3xbcp.res.keyvault-vaults.")),
    ("SFR3-id", "published", edit("key/main.bicep", "'46d3xbcp.res.keyvault-vault-key.", "'46d3xbcp.res.kv-key.")),
    ("AVMB000", "res", spoil_bytes("main.bicep", b"Key Vault", "Key Vault \u00e9".encode("latin-1"))),
    ("AVMB000", "res", spoil_bytes("README.md", b"## Outputs", b"## Outputs\x00")),
    ("AVMB000", "res", spoil_bytes("tests/e2e/defaults/main.test.bicep", b"metadata name", b"\xff metadata name")),
    ("SFR3", "utl", edit("main.bicep", "// ================ //\n// Functions", "resource avmTelemetry 'Microsoft.Resources/deployments@2025-04-01' = {\n  name: '46d3xbcp.utl.generalresourcename'\n}\n\n// ================ //\n// Functions")),
    ("RMFR4", "res", edit_re("main.bicep", r"^import \{ lockType \} from [^\n]*\n(@description\([^\n]*\)\n)param lock lockType\?", r"\1param lock object?")),
    ("BCPRMNFR2", "res", edit_re("main.bicep", r"(^import \{ lockType \} from [^\n]*\n)", r"\1@description('Optional. A spacer.')\nparam spacer string?\n")),
    ("RMFR7", "res", edit_re("main.bicep", r"^@description\('[^']*'\)\noutput resourceGroupName [^\n]*\n", "")),
    ("SNFR26", "res", edit("main.bicep", "@description('The name of the", "@description('the name of the")),
    ("BCPNFR18", "res", edit("main.bicep", "// ================ //\n// Definitions", "type settings = string\n\n// ================ //\n// Definitions")),
    ("BCPNFR5", "res", edit_re("main.bicep", r"^  Owner: [^\n]*\n", "")),
    ("BCPFR1", "res", edit("main.bicep", "br/public:avm/res/network/private-endpoint:0.12.1", "br/public:avm/res/network/private-endpoint")),
    ("RMFR8", "res", edit("main.bicep", "// ============= //\n// Outputs", "module stack 'br/public:avm/ptn/azd/monitoring:0.1.0' = {\n  name: 'stack'\n}\n\n// ============= //\n// Outputs")),
    ("BCPFR6", "res", add_unreferenced_child),
    ("BCPFR7", "res", edit("main.bicep", "enableTelemetry: enableReferencedModulesTelemetry", "enableTelemetry: enableTelemetry")),
    ("SFR4-pass", "ptn", edit("main.bicep", "enableTelemetry: enableTelemetry", "enableTelemetry: false")),
    ("BCPNFR24", "res", edit_re("main.bicep", r"(module keyVault_secrets .*?name: )'\$\{uniqueString\([^)]*\)\}", r"\1'${uniqueString(deployment().name)}")),
    ("BCPNFR13", "res", edit_re("tests/e2e/defaults/main.test.bicep", r"^metadata name = .*?\n", "")),
    ("BCPNFR12", "res", edit("tests/e2e/defaults/main.test.bicep", "module testDeployment '", "module deployTest '")),
    ("AVMB020", "res", edit("tests/e2e/defaults/main.test.bicep", "param serviceShort string = 'kvvmin'", "param serviceShort string = 'kvvdef'")),
    ("AVMB010", "registry", unlist_published_child),
    ("RMNFR2-name", "res", edit_re("main.bicep", r"@description\('Required\. ([^']*)'\)\nparam name string", r"@description('Optional. \1')\nparam name string = 'kv001'")),
    ("RMFR3", "res", edit("main.bicep", "metadata name", "targetScope = 'subscription'\n\nmetadata name")),
    ("AVMB030", "registry", drop_workflow),
    ("SNFR20", "registry", registry_file(".github/CODEOWNERS", "/avm/res/key-vault/vault/ @Azure/avm-res-keyvault-vault-module-owners-bicep", "/avm/res/key-vault/vault/ @Azure/someone-else")),
    ("BCPNFR15", "registry", registry_file(".github/ISSUE_TEMPLATE/avm_module_issue.yml", '        - "avm/res/key-vault/vault"\n', '        # - "avm/res/key-vault/vault"\n')),
]  # fmt: skip


@pytest.mark.parametrize(("rule_id", "kind", "seed"), SEEDED, ids=[f"{r}-{k}" for r, k, _ in SEEDED])
def test_seeded_defect_trips_its_rule_alone(
    rule_id: str, kind: str, seed: Callable[[Path], None], generated: dict[str, Path], tmp_path: Path
) -> None:
    if kind == "registry":
        copy = tmp_path / "brm"
        shutil.copytree(generated["registry"], copy)
        root = copy / "avm/res/key-vault/vault"
    else:
        root = tmp_path / "module"
        shutil.copytree(generated[kind], root)
    seed(root)
    fired = rules_fired(root)
    assert list(fired) == [rule_id], fired


INDEX_CSV = """\
ProviderNamespace,ResourceType,ModuleDisplayName,ModuleName,ParentModule,ModuleStatus,TelemetryIdPrefix
Microsoft.KeyVault,vaults,Key Vault,avm/res/key-vault/vault,n/a,Available,46d3xbcp.res.keyvault-vault
Microsoft.KeyVault,vaults/keys,Key Vault - Key,avm/res/key-vault/vault/key,avm/res/key-vault/vault,Available,46d3xbcp.res.keyvault-key
"""  # fmt: skip


@pytest.fixture
def cached_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user cache holding a two-row module index; the checker loads it once per process, so reload it."""
    from generator.check import expected

    cache = tmp_path / "cache"
    (cache / "index").mkdir(parents=True)
    monkeypatch.setenv("AVM_CACHE_DIR", str(cache))
    expected._module_index.cache_clear()
    yield cache / "index" / "BicepResourceModules.csv"
    expected._module_index.cache_clear()


def test_telemetry_id_is_compared_with_the_module_index_inside_a_registry(
    generated: dict[str, Path], tmp_path: Path, cached_index: Path
) -> None:
    copy = tmp_path / "brm"
    shutil.copytree(generated["registry"], copy)
    root = copy / "avm/res/key-vault/vault"
    (root / ".copier-answers.yml").unlink()  # no answers: the index is what is expected
    edit("main.bicep", "'46d3xbcp.res.keyvault-vault.", "'46d3xbcp.res.keyvault-vaults.")(root)
    assert rules_fired(root) == {}  # no index in the cache: nothing to compare with, no guess

    cached_index.write_text(INDEX_CSV)
    from generator.check import expected

    expected._module_index.cache_clear()
    assert rules_fired(root) == {
        "SFR3-id": [
            "the telemetry id is 46d3xbcp.res.keyvault-vault-key, but the module index for "
            "avm/res/key-vault/vault/key gives 46d3xbcp.res.keyvault-key",
            "the telemetry id is 46d3xbcp.res.keyvault-vaults, but the module index for "
            "avm/res/key-vault/vault gives 46d3xbcp.res.keyvault-vault",
        ]
    }


def test_telemetry_ids_compare_case_blind(generated: dict[str, Path], tmp_path: Path) -> None:
    root = tmp_path / "module"
    shutil.copytree(generated["res"], root)
    edit("main.bicep", "'46d3xbcp.res.keyvault-vault.", "'46d3xbcp.res.KeyVault-Vault.")(root)
    assert rules_fired(root) == {}


def test_telemetry_id_outside_a_registry_without_answers_is_not_guessed(
    generated: dict[str, Path], tmp_path: Path, cached_index: Path
) -> None:
    cached_index.write_text(INDEX_CSV)
    root = tmp_path / "module"
    shutil.copytree(generated["res"], root)
    (root / ".copier-answers.yml").unlink()
    edit("main.bicep", "'46d3xbcp.res.keyvault-vault.", "'46d3xbcp.res.keyvault-vaults.")(root)
    assert rules_fired(root) == {}


def test_every_bicep_rule_has_a_seeded_defect() -> None:
    bicep_rules = {r.id for r in load_rules().values() if r.language == "bicep"}
    schema_rules = {f"AVMB10{n}" for n in range(6)}  # test_check_schema.py seeds them in small modules of its own
    seeded = {rule_id for rule_id, _, _ in SEEDED}
    assert bicep_rules - {"RMNFR1"} - schema_rules == seeded  # RMNFR1: test_module_path_rule


def test_rules_doc_lists_every_rule() -> None:
    from generator.check.docs import update

    text = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert update(text) == text, "docs/rules.md is stale: run `python -m generator.check.docs`"


def test_every_rule_has_an_explanation() -> None:
    from generator.check.explain import as_dict, as_text

    for item in load_rules().values():
        facts = as_dict(item)
        assert all(facts[key].strip() for key in ("title", "fix", "example", "applies_to")), item.id
        assert facts["link"] == (
            f"https://azure.github.io/Azure-Verified-Modules/spec/{item.spec}" if item.spec else ""
        )
        assert item.example.splitlines()[0] in as_text(item)


def test_a_folder_that_cannot_be_listed_stops_the_run_with_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from generator.commands.check import run_check_command
    from generator.errors import EXIT_ENVIRONMENT, EnvironmentProblemError

    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path: str | Path = ".") -> object:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(EnvironmentProblemError) as caught:
        run_check_command([tmp_path], "text", None, None, "info")
    assert caught.value.exit_code == EXIT_ENVIRONMENT
    assert caught.value.lines() == [f"path: cannot read: Permission denied ({locked})"]
