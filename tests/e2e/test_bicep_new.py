"""End to end: `avm new resource --lang bicep` over a matrix of modules, checked with real parsers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator import cli, copier_ext
from generator.azure_types.schema import PROPERTIES
from generator.bicep import values
from generator.property_samples import LEFT_OUT_OF_MAX, waf_settings
from tests.support.bicep_parser import parse_file
from tests.support.checked import assert_checks_clean
from tests.support.cli import PLACEHOLDERS, run_avm, tree

# Parameter each interface adds to the top-level main.bicep.
INTERFACE_PARAMS = {
    "lock": "lock",
    "role-assignments": "roleAssignments",
    "diagnostic-settings": "diagnosticSettings",
    "private-endpoints": "privateEndpoints",
    "managed-identities": "managedIdentities",
    "customer-managed-key": "customerManagedKey",
    "tags": "tags",
}
ALL = tuple(INTERFACE_PARAMS)
UNKNOWN = tuple(k for k in ALL if k != "customer-managed-key")  # where its body takes a key is not known


@dataclass(frozen=True)
class Case:
    id: str
    provider: str
    type: str
    children: tuple[str, ...] = ()
    interfaces: str | None = None  # None: the catalog's default
    expect_folders: tuple[str, ...] = ()
    expect_interfaces: tuple[str, ...] | None = None
    extra: tuple[str, ...] = field(default_factory=tuple)


CASES = [
    Case("kv-all", "Microsoft.KeyVault", "vaults", ("secrets", "keys"), "all", ("secret", "key")),
    Case("kv-bare", "Microsoft.KeyVault", "vaults", (), "none", (), ()),
    Case(
        "storage-nested",
        "Microsoft.Storage",
        "storageAccounts",
        ("blobServices/containers", "fileServices/shares"),
        "all",
        ("blob-service", "blob-service/container", "file-service", "file-service/share"),
    ),
    Case(
        "storage-lock",
        "Microsoft.Storage",
        "storageAccounts",
        ("blobServices/containers",),
        "lock",
        ("blob-service", "blob-service/container"),
        ("lock",),
    ),
    Case(
        "vnet",
        "Microsoft.Network",
        "virtualNetworks",
        ("subnets",),
        "lock,role-assignments,diagnostic-settings,tags",
        ("subnet",),
        ("lock", "role-assignments", "diagnostic-settings", "tags"),
    ),
    Case(
        "sql",
        "Microsoft.Sql",
        "servers",
        ("databases", "firewallRules"),
        "managed-identities,private-endpoints",
        ("database", "firewall-rule"),
        ("managed-identities", "private-endpoints"),
    ),
    Case(
        "uami-default",
        "Microsoft.ManagedIdentity",
        "userAssignedIdentities",
        ("federatedIdentityCredentials",),
        None,
        ("federated-identity-credential",),
    ),
    Case("dns-global", "Microsoft.Network", "privateDnsZones", (), "lock,tags", (), ("lock", "tags")),
    Case(
        "acr-cmk",
        "Microsoft.ContainerRegistry",
        "registries",
        (),
        "customer-managed-key,managed-identities",
        (),
        ("managed-identities", "customer-managed-key"),
    ),
    Case(
        "eventhub-3-levels",
        "Microsoft.EventHub",
        "namespaces",
        ("eventhubs/consumergroups",),
        "role-assignments",
        ("eventhub", "eventhub/consumergroup"),
        ("role-assignments",),
    ),
    Case("web-diag", "Microsoft.Web", "sites", (), "diagnostic-settings", (), ("diagnostic-settings",)),
    Case(
        "unknown-type",
        "Contoso.Widgets",
        "gadgets",
        ("parts",),
        None,
        ("part",),
        UNKNOWN,
        ("--api-version", "2025-01-01"),
    ),
    Case(
        "cosmos-pe",
        "Microsoft.DocumentDB",
        "databaseAccounts",
        ("sqlDatabases/containers",),
        "private-endpoints",
        ("sql-database", "sql-database/container"),
        ("private-endpoints",),
    ),
    Case(
        "cognitive-cmk-only",
        "Microsoft.CognitiveServices",
        "accounts",
        (),
        "customer-managed-key",
        (),
        ("customer-managed-key",),
    ),
]


def generate(case: Case, tmp_path: Path, cache: Path) -> tuple[Path, dict]:
    out = tmp_path / case.id
    args = ["new", "resource", "--lang", "bicep", "--provider", case.provider, "--type", case.type]
    for child in case.children:
        args += ["--child", child]
    if case.interfaces is not None:
        args += ["--interfaces", case.interfaces]
    args += ["--index", "none", "--defaults", "--json", "--output", str(out), *case.extra]
    result = run_avm(*args, cwd=tmp_path, cache=cache)
    assert result.code == 0, result.stderr
    return out, result.json


def declared_params(source: str) -> set[str]:
    return set(re.findall(r"^param (\w+) ", source, re.M))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_generated_module(case: Case, tmp_path: Path, avm_cache: Path) -> None:
    out, report = generate(case, tmp_path, avm_cache)

    # The report lists exactly the files on disk.
    assert report["module_path"] == str(out.resolve())
    assert sorted(report["files"]) == sorted(tree(out))

    # Every .bicep file parses.
    bicep_files = sorted(out.rglob("*.bicep"))
    problems = {str(p.relative_to(out)): parse_file(p) for p in bicep_files}
    assert {k: [str(x) for x in v] for k, v in problems.items() if v} == {}

    # No placeholder text anywhere.
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for marker in PLACEHOLDERS:
                assert marker not in text, f"{marker!r} in {path.relative_to(out)}"

    # Root files and tests.
    for name in ("main.bicep", "README.md", "version.json", "CHANGELOG.md", ".copier-answers.yml"):
        assert (out / name).is_file(), name
    for scenario in ("defaults", "waf-aligned", "max"):
        assert (out / "tests/e2e" / scenario / "main.test.bicep").is_file()

    # Interfaces: exactly the expected parameters, each common type imported directly above its parameter.
    main = (out / "main.bicep").read_text()
    params = declared_params(main)
    if case.expect_interfaces is not None:
        for key, param in INTERFACE_PARAMS.items():
            assert (param in params) == (key in case.expect_interfaces), key
    lines = main.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("import {") and "avm-common-types" in line:
            type_name = re.match(r"import \{ (\w+) \}", line).group(1)
            assert lines[i + 2].startswith("param ") and type_name in lines[i + 2], lines[i : i + 3]

    # Children: a folder per child type, and every parent calls each of its direct children.
    for folder in case.expect_folders:
        assert (out / folder / "main.bicep").is_file(), folder
        assert (out / folder / "README.md").is_file(), folder
        parent = out / folder.rsplit("/", 1)[0] if "/" in folder else out
        call = f"'{folder.rsplit('/', 1)[-1]}/main.bicep'"
        assert call in (parent / "main.bicep").read_text(), (folder, parent)
    child_mains = sorted(p.parent for p in out.rglob("main.bicep") if p.parent != out and "tests" not in p.parts)
    assert len(child_mains) == len(case.expect_folders)
    assert_checks_clean(out)


def test_dependencies_follow_interfaces(tmp_path: Path, avm_cache: Path) -> None:
    everything = Case("everything", "Microsoft.Storage", "storageAccounts", (), "all")
    out, _ = generate(everything, tmp_path, avm_cache)  # the catalog lists every interface for storage accounts
    assert not (out / "tests/e2e/defaults/dependencies.bicep").exists()
    waf = (out / "tests/e2e/waf-aligned/dependencies.bicep").read_text()
    full = (out / "tests/e2e/max/dependencies.bicep").read_text()
    assert "Microsoft.Network/virtualNetworks@" in waf and "Microsoft.OperationalInsights/workspaces@" in waf
    assert "Microsoft.KeyVault/vaults@" not in waf  # customer-managed keys are exercised by max only
    for resource in ("virtualNetworks", "userAssignedIdentities", "Microsoft.KeyVault/vaults", "workspaces"):
        assert resource in full, resource
    bare, _ = generate(CASES[1], tmp_path, avm_cache)  # no interfaces
    assert not list(bare.rglob("dependencies.bicep"))


# ---- what the max and waf-aligned tests pass the resource's own parameters (issue 12, item 7)

WAF_TYPES = (
    ("Microsoft.KeyVault", "vaults", ("keys",)),
    ("Microsoft.Storage", "storageAccounts", ("blobServices/containers",)),
)
# Declared parameters the max test leaves unset: telemetry stays on, and the private endpoints set public access.
NOT_IN_MAX = {"enableTelemetry", "publicNetworkAccess"}


def passed_params(source: str) -> set[str]:
    """The parameters a test passes `testDeployment`."""
    block = source.split("module testDeployment", 1)[1]
    return set(re.findall(r"^      (\w+): ", block, re.M))


@pytest.mark.parametrize("offering", ["all", "required"])
@pytest.mark.parametrize(("provider", "resource_type", "children"), WAF_TYPES, ids=[t[1] for t in WAF_TYPES])
def test_the_max_and_waf_tests_set_the_resource_parameters(
    provider: str,
    resource_type: str,
    children: tuple[str, ...],
    offering: str,
    tmp_path: Path,
) -> None:
    copier_ext._model_for.cache_clear()
    out = tmp_path / "module"
    args = ["new", "resource", "--lang", "bicep", "--provider", provider, "--type", resource_type]
    args += ["--properties", offering]
    for child in children:
        args += ["--child", child]
    with pytest.raises(SystemExit) as exited:
        cli.main([*args, "--interfaces", "all", "--index", "none", "--defaults", "-o", str(out)])
    copier_ext._model_for.cache_clear()
    assert exited.value.code == 0
    declared = declared_params((out / "main.bicep").read_text())
    full_type = f"{provider}/{resource_type}"
    left_out = {path.rsplit(".", 1)[-1] for t, path in LEFT_OUT_OF_MAX if t == full_type}
    settings = waf_settings()[full_type]
    for folder in ("waf-aligned", "max"):
        test = out / "tests/e2e" / folder / "main.test.bicep"
        assert [str(p) for p in parse_file(test)] == [], folder
        source = test.read_text()
        passed = passed_params(source)
        for path, entry in settings.items():
            top = path.split(".")[1] if path.startswith(f"{PROPERTIES}.") else path.split(".")[0]
            if top in declared:
                leaf = path.rsplit(".", 1)[-1]
                assert top in passed and f"{leaf}: {values.render(entry['value'])}\n" in source, (folder, path)
    max_passed = passed_params((out / "tests/e2e/max/main.test.bicep").read_text())
    assert declared - max_passed == (NOT_IN_MAX | left_out) & declared
    if offering == "all":
        assert {
            "networkAcls",
            "minimumTlsVersion" if resource_type == "storageAccounts" else "enableRbacAuthorization",
        } <= declared
