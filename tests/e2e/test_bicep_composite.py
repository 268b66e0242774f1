"""End to end: Bicep pattern and utility modules, published child modules and registry wiring."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.support import bicep_compliance
from tests.support.bicep_parser import parse_file
from tests.support.brm_fixture import make_registry
from tests.support.checked import assert_checks_clean
from tests.support.cli import INDEX_FIXTURES, PLACEHOLDERS, run_avm, tree

KV = "avm/res/key-vault/vault@0.13.0"
STORAGE = "avm/res/storage/storage-account@0.20.0"


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    tests: tuple[str, ...]
    telemetry: bool = True


CASES = [
    Case("ptn-empty", ("pattern", "--name", "azd/empty"), ("defaults", "waf-aligned")),
    Case("ptn-one", ("pattern", "--name", "azd/vault", "--uses", KV), ("defaults", "waf-aligned")),
    Case(
        "ptn-two", ("pattern", "--name", "app/data-stack", "--uses", KV, "--uses", STORAGE), ("defaults", "waf-aligned")
    ),
    Case("utl-functions", ("utility", "--name", "general/resource-name"), ("import",), telemetry=False),
    Case("utl-deploys", ("utility", "--name", "general/deploy-script", "--deploys"), ("defaults",)),
]


def generate(tmp_path: Path, cache: Path, *args: str) -> tuple[Path, dict]:
    out = tmp_path / "module"
    result = run_avm(
        "new", *args, "--lang", "bicep", "--index", "none", "--json", "-o", str(out), cwd=tmp_path, cache=cache
    )
    assert result.code == 0, result.stderr
    return out, result.json


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_module_is_complete_parses_and_complies(case: Case, tmp_path: Path, avm_cache: Path) -> None:
    out, report = generate(tmp_path, avm_cache, *case.args)
    module_class = case.args[0]
    segment = {"pattern": "ptn", "utility": "utl"}[module_class]
    assert report["names"]["bicep_path"].startswith(f"avm/{segment}/")
    assert sorted(p.name for p in (out / "tests" / "e2e").iterdir()) == sorted(case.tests)
    for name in ("main.bicep", "README.md", "version.json", "CHANGELOG.md", ".copier-answers.yml"):
        assert (out / name).is_file(), name
    for source in out.rglob("*.bicep"):
        assert parse_file(source) == [], source
    found = bicep_compliance.findings(out, report["names"]["telemetry_id_prefix"], segment)
    assert found == []
    text = "\n".join(content.decode() for content in tree(out).values())
    assert not [p for p in PLACEHOLDERS if p in text]
    main = (out / "main.bicep").read_text()
    assert ("enableTelemetry" in main) is case.telemetry
    assert (f"'46d3xbcp.{segment}." in main) is case.telemetry
    readme = (out / "README.md").read_text()
    assert ("## Data Collection" in readme) is case.telemetry
    answers = yaml.safe_load((out / ".copier-answers.yml").read_text())
    assert answers["module_class"] == module_class and "provider_namespace" not in answers
    assert_checks_clean(out)


def test_pattern_pins_the_modules_it_uses_and_passes_telemetry_on(tmp_path: Path, avm_cache: Path) -> None:
    out, _ = generate(tmp_path, avm_cache, "pattern", "--name", "app/data-stack", "--uses", KV, "--uses", STORAGE)
    main = (out / "main.bicep").read_text()
    calls = re.findall(r"^module (\w+) '([^']+)' = \{\n(.*?)\n\}", main, re.M | re.S)
    assert [(symbol, ref) for symbol, ref, _ in calls] == [
        ("keyVault", "br/public:avm/res/key-vault/vault:0.13.0"),
        ("storageAccount", "br/public:avm/res/storage/storage-account:0.20.0"),
    ]
    for _, _, body in calls:
        assert "enableTelemetry: enableTelemetry" in body and "location: location" in body
    assert "enableReferencedModulesTelemetry" not in main
    assert "param keyVaultName string" in main and "param storageAccountName string" in main
    test = (out / "tests/e2e/defaults/main.test.bicep").read_text()
    assert "keyVaultName: '${namePrefix}${serviceShort}001'" in test
    assert "storageAccountName: '${namePrefix}${serviceShort}002'" in test
    readme = (out / "README.md").read_text()
    assert "| `br/public:avm/res/key-vault/vault:0.13.0` | Remote reference |" in readme
    assert readme.startswith("# App - Data Stack `[App/DataStack]`")  # as BRM titles `lz/sub-vending`: Lz/SubVending


def test_utility_test_imports_the_exported_functions(tmp_path: Path, avm_cache: Path) -> None:
    out, _ = generate(tmp_path, avm_cache, "utility", "--name", "general/resource-name")
    main = (out / "main.bicep").read_text()
    exported = re.findall(r"^@export\(\)\n@description\('[^']+'\)\nfunc (\w+)\(", main, re.M)
    assert exported == ["resourceName"]
    test = (out / "tests/e2e/import/main.test.bicep").read_text()
    assert "import { resourceName } from '../../../main.bicep'" in test
    assert "resourceName('/subscriptions/" in test
    assert not re.search(r"^(resource|module|param) ", main, re.M)


def test_names_come_from_the_index(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "m"
    index = str(INDEX_FIXTURES / "BicepPatternModules.csv")
    args = ("new", "pattern", "--lang", "bicep", "--name", "mgmt-groups/subscription-placement", "--index", index)
    result = run_avm(*args, "--json", "-o", str(out), cwd=tmp_path, cache=avm_cache)
    assert result.code == 0, result.stderr
    names = result.json["names"]
    assert names["telemetry_id_prefix"] == "46d3xbcp.ptn.mgmtgroup-subplacement"  # abbreviated in the index
    assert "'46d3xbcp.ptn.mgmtgroup-subplacement." in (out / "main.bicep").read_text()


def test_published_child_gets_version_changelog_and_telemetry(tmp_path: Path, avm_cache: Path) -> None:
    out = tmp_path / "kv"
    args = ("new", "resource", "--lang", "bicep", "--provider", "Microsoft.KeyVault", "--type", "vaults")
    result = run_avm(
        *args, "--child", "keys", "--publish-child", "secrets", "--interfaces", "none", "--index", "none",
        "--json", "-o", str(out), cwd=tmp_path, cache=avm_cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert (out / "secret/version.json").is_file() and (out / "secret/CHANGELOG.md").is_file()
    assert not (out / "key/version.json").exists()
    child = (out / "secret/main.bicep").read_text()
    assert "param enableTelemetry bool = true" in child
    assert "'46d3xbcp.res.keyvault-vault-secret." in child and "uniqueString(deployment().name), 0, 4)" in child
    parent = (out / "main.bicep").read_text()
    assert "var enableReferencedModulesTelemetry = false" in parent
    secret_call = re.search(r"module keyVault_secrets 'secret/main.bicep'.*?\n\]", parent, re.S).group(0)
    assert "enableTelemetry: enableReferencedModulesTelemetry" in secret_call
    assert "avm/res/key-vault/vault/secret/CHANGELOG.md" in (out / "secret/CHANGELOG.md").read_text()
    assert "br/public:avm/res/key-vault/vault/secret:<version>" in (out / "secret/README.md").read_text()
    assert bicep_compliance.findings(out, result.json["names"]["telemetry_id_prefix"]) == []


def test_registry_wiring_inside_a_checkout(tmp_path: Path, avm_cache: Path) -> None:
    registry = make_registry(tmp_path / "brm")
    args = ("new", "pattern", "--lang", "bicep", "--name", "app/new-stack", "--uses", KV, "--index", "none")
    before = tree(registry)
    dry = run_avm(*args, "--dry-run", "--json", cwd=registry, cache=avm_cache)
    assert dry.code == 0, dry.stderr
    assert dry.json["registry_files"] == [
        "create .github/workflows/avm.ptn.app.new-stack.yml",
        "update .github/CODEOWNERS",
        "update .github/ISSUE_TEMPLATE/avm_module_issue.yml",
    ]
    assert tree(registry) == before

    result = run_avm(*args, cwd=registry, cache=avm_cache)
    assert result.code == 0, result.stderr
    assert "updated the registry checkout:" in result.stdout
    assert (registry / "avm/ptn/app/new-stack/main.bicep").is_file()
    workflow = yaml.safe_load((registry / ".github/workflows/avm.ptn.app.new-stack.yml").read_text())
    assert workflow["name"] == "avm.ptn.app.new-stack"
    assert workflow["env"]["modulePath"] == "avm/ptn/app/new-stack"
    owners = (registry / ".github/CODEOWNERS").read_text().splitlines()
    line = "/avm/ptn/app/new-stack/ @Azure/avm-ptn-app-newstack-module-owners-bicep @Azure/avm-module-reviewers-bicep"
    assert line in owners
    dropdown = [x.strip() for x in (registry / ".github/ISSUE_TEMPLATE/avm_module_issue.yml").read_text().splitlines()]
    assert dropdown.index('- "avm/ptn/app/new-stack"') < dropdown.index('- "avm/ptn/app/zeta"')

    # Wiring is idempotent: a second module run into another folder changes no registry file twice.
    wired = tree(registry)
    again = run_avm(*args, "--force", cwd=registry, cache=avm_cache)
    assert again.code == 0, again.stderr
    assert "registry checkout" not in again.stdout
    assert {k: v for k, v in tree(registry).items() if not k.startswith("avm/")} == {
        k: v for k, v in wired.items() if not k.startswith("avm/")
    }


def test_published_child_is_added_to_the_allow_list(tmp_path: Path, avm_cache: Path) -> None:
    registry = make_registry(tmp_path / "brm")
    args = ("new", "resource", "--lang", "bicep", "--provider", "Microsoft.Web", "--type", "sites")
    result = run_avm(
        *args, "--publish-child", "config", "--interfaces", "none", "--index", "none", "--json",
        cwd=registry, cache=avm_cache,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    allowed = json.loads(
        (
            registry / "utilities/pipelines/staticValidation/compliance/helper/child-module-publish-allowed-list.json"
        ).read_text()
    )["allowed-child-modules"]
    assert "avm/res/web/site/config" in allowed


def test_no_repo_wiring_leaves_the_checkout_alone(tmp_path: Path, avm_cache: Path) -> None:
    registry = make_registry(tmp_path / "brm")
    before = {k: v for k, v in tree(registry).items()}
    args = ("new", "utility", "--lang", "bicep", "--name", "general/resource-name", "--index", "none")
    result = run_avm(*args, "--no-repo-wiring", cwd=registry, cache=avm_cache)
    assert result.code == 0, result.stderr
    after = tree(registry)
    assert {k: after[k] for k in before} == before
    assert (registry / "avm/utl/general/resource-name/main.bicep").is_file()


def test_malformed_registry_file_stops_before_anything_is_written(tmp_path: Path, avm_cache: Path) -> None:
    registry = make_registry(tmp_path / "brm")
    template = registry / ".github/ISSUE_TEMPLATE/avm_module_issue.yml"
    template.write_text(template.read_text().replace("module-name-dropdown", "something-else"))
    before = tree(registry)
    result = run_avm(
        "new", "pattern", "--lang", "bicep", "--name", "app/x", "--index", "none", cwd=registry, cache=avm_cache
    )
    assert result.code == 3
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("avm: error: registry: ")
    assert tree(registry) == before


BAD = [
    (("pattern", "--lang", "bicep", "--name", "monitoring"), "name: 'monitoring' has no category"),
    (("pattern", "--lang", "bicep", "--name", "azd/monitoring", "--uses", "avm/res/key-vault/vault"), "has no version"),
    (("pattern", "--lang", "bicep", "--name", "azd/monitoring", "--deploys"), "deploys: applies to utility modules"),
    (("utility", "--lang", "terraform", "--name", "a/b", "--uses", KV), "uses: applies to pattern modules only"),
    (("pattern", "--lang", "bicep", "--name", "a/b", "--uses", "avm/ptn/x/y@1.0.0"), "is not a resource module"),
    (("pattern", "--lang", "bicep", "--name", "a/b", "--uses", f"{KV}", "--uses", KV), "is listed twice"),
    (("pattern", "--lang", "bicep", "--name", "a/b", "--uses", "avm/res/a/b@latest"), "is not an exact version"),
    (("pattern", "--lang", "bicep", "--name", "Azd/Monitoring"), "lower-case kebab case"),
    (("pattern", "--lang", "bicep", "--name", "a/b", "--set", "provider=Microsoft.KeyVault"), "applies to resource"),
    (("resource", "--lang", "terraform", "--provider", "Microsoft.KeyVault", "--type", "vaults",
      "--publish-child", "secrets"), "publish-child: Terraform submodules"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    args: tuple[str, ...], message: str, tmp_path: Path, avm_cache: Path
) -> None:
    result = run_avm("new", *args, "--index", "none", "-o", str(tmp_path / "out"), cwd=tmp_path, cache=avm_cache)
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


ROUND_TRIPS = [
    ("bicep", ("pattern", "--name", "app/data-stack", "--uses", KV, "--uses", STORAGE)),
    ("terraform", ("pattern", "--name", "app/data-stack", "--uses", KV, "--uses", STORAGE)),
    ("bicep", ("utility", "--name", "general/deploy-script", "--deploys")),
    ("terraform", ("utility", "--name", "general/deploy-script", "--deploys")),
    ("bicep", ("resource", "--provider", "Microsoft.KeyVault", "--type", "vaults", "--publish-child", "secrets")),
]


@pytest.mark.parametrize(("lang", "args"), ROUND_TRIPS, ids=[f"{lang}-{args[0]}" for lang, args in ROUND_TRIPS])
def test_answers_file_reproduces_the_module(lang: str, args: tuple[str, ...], tmp_path: Path, avm_cache: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    common = ("--lang", lang, "--index", "none", "--defaults")
    assert run_avm("new", *args, *common, "-o", str(first), cwd=tmp_path, cache=avm_cache).code == 0
    answers = str(first / ".copier-answers.yml")
    again = run_avm("new", args[0], *common, "--data-file", answers, "-o", str(second), cwd=tmp_path, cache=avm_cache)
    assert again.code == 0, again.stderr
    assert tree(second) == tree(first)
