"""`generator.adopt.infer`: the answers inferred from a module reproduce the answers it was generated with."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.adopt import comparable, infer
from generator.answers import read_data_file
from generator.catalog import Catalog
from generator.errors import InvalidInputError
from generator.index import ModuleIndex
from generator.spec import ModuleNames, SpecContext, build_spec
from tests.support.brm_fixture import release
from tests.support.cli import run_avm

OWNER_NOTE = "owner: not recorded in a module; give --owner"
NAME_FIELDS = tuple(f.name for f in fields(ModuleNames))
KV = ("--provider", "Microsoft.KeyVault", "--type", "vaults")
STORAGE = ("--provider", "Microsoft.Storage", "--type", "storageAccounts")
VNET = ("--provider", "Microsoft.Network", "--type", "virtualNetworks")
BICEP_FOLDERS = {
    "Microsoft.KeyVault": "avm/res/key-vault/vault",
    "Microsoft.Storage": "avm/res/storage/storage-account",
    "Microsoft.Network": "avm/res/network/virtual-network",
    "Microsoft.Authorization": "avm/res/authorization/role-assignment",
}
ROLE_ASSIGNMENTS = ("--provider", "Microsoft.Authorization", "--type", "roleAssignments")


@dataclass(frozen=True)
class Case:
    id: str
    language: str
    args: tuple[str, ...]  # after `avm new`
    folder: str  # where the module is written, as in a registry checkout or a Terraform repository


def _resource(id_: str, language: str, type_args: tuple[str, ...], *extra: str) -> Case:
    if language == "bicep":
        folder = BICEP_FOLDERS[type_args[1]]
    else:
        slug = BICEP_FOLDERS[type_args[1]].split("/", 2)[2].replace("-", "").replace("/", "-")
        folder = f"terraform-azure-avm-res-{slug}"
    return Case(f"{id_}-{language}", language, ("resource", *type_args, *extra), folder)


def _composite(id_: str, language: str, kind: str, name: str, *extra: str) -> Case:
    segment = {"pattern": "ptn", "utility": "utl"}[kind]
    folder = (
        f"avm/{segment}/{name}" if language == "bicep" else f"terraform-azure-avm-{segment}-{name.replace('/', '-')}"
    )
    return Case(f"{id_}-{language}", language, (kind, "--name", name, *extra), folder)


CASES = [
    *(
        case
        for lang in ("bicep", "terraform")
        for case in (
            _resource("kv-all", lang, KV, "--child", "secrets", "--child", "keys", "--interfaces", "all"),
            _resource("kv-none", lang, KV, "--interfaces", "none"),
            _resource("storage", lang, STORAGE, "--child", "blobServices/containers", "--child", "fileServices/shares"),
            _resource("vnet", lang, VNET, "--child", "subnets", "--interfaces", "lock,tags"),
            _composite("utility", lang, "utility", "app/util"),
            _composite("utility-deploys", lang, "utility", "app/util", "--deploys"),
        )
    ),
    _resource("kv-published", "bicep", KV, "--child", "keys", "--publish-child", "secrets", "--interfaces", "lock"),
    _resource("multi-scope", "bicep", ROLE_ASSIGNMENTS),  # rg-scope, sub-scope and mg-scope folders
    _composite("pattern", "bicep", "pattern", "app/stack", "--uses", "avm/res/key-vault/vault@0.13.0"),
    _composite("pattern", "terraform", "pattern", "app/stack", "--uses", "avm-res-keyvault-vault@0.10.0"),
]


@dataclass
class Generated:
    out: Path
    answers: dict[str, Any]  # the answers file as read_data_file gives it (user answers)
    recorded: dict[str, Any]  # the whole answers file


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Generated]:
    """Every case generated once with the real CLI; its answers file read, then deleted."""
    import yaml

    root = tmp_path_factory.mktemp("adopt")
    result: dict[str, Generated] = {}
    for case in CASES:
        out = root / case.id / case.folder
        made = run_avm(
            "new",
            *case.args,
            "--lang",
            case.language,
            "--index",
            "none",
            "--defaults",
            "-o",
            str(out),
            cwd=root,
            cache=root / "cache",
        )
        assert made.code == 0, made.stderr
        answers_file = out / ".copier-answers.yml"
        answers = read_data_file(answers_file)
        recorded = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
        answers_file.unlink()
        result[case.id] = Generated(out, answers, recorded)
    return result


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_inferred_answers_are_the_answers_given(case: Case, generated: dict[str, Generated]) -> None:
    module = generated[case.id]
    assert infer(module.out).raw == comparable(module.answers)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_inferred_names_are_the_recorded_names(case: Case, generated: dict[str, Generated]) -> None:
    module = generated[case.id]
    names = infer(module.out).names
    assert names == {k: module.recorded[k] for k in names}
    if case.language == "terraform":
        assert set(names) == {"terraform_module", "terraform_repo"}
    elif case.id == "utility-bicep":  # no telemetry when a utility deploys nothing
        assert set(names) == {"bicep_path"}
    else:
        assert set(names) == {"bicep_path", "telemetry_id_prefix", "service_short"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_nothing_is_guessed_in_a_generated_module(case: Case, generated: dict[str, Generated]) -> None:
    assert infer(generated[case.id].out).notes == [OWNER_NOTE]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_inferred_answers_rebuild_the_recorded_answers(case: Case, generated: dict[str, Generated]) -> None:
    module = generated[case.id]
    spec = build_spec(infer(module.out).raw, SpecContext(Catalog.load(), ModuleIndex()))
    expected = {k: v for k, v in module.recorded.items() if not k.startswith("_")}
    # the answers file leaves out `uses` of a utility and `deploys` of a pattern
    answers = {k: v for k, v in spec.to_answers().items() if k in expected or v not in ([], False)}
    assert answers == expected


def test_published_children_come_from_version_files(generated: dict[str, Generated]) -> None:
    raw = infer(generated["kv-published-bicep"].out).raw
    assert raw["children"] == ["keys", "secrets"]
    assert raw["published_children"] == ["secrets"]


def test_nested_children_imply_their_parents(generated: dict[str, Generated]) -> None:
    for language in ("bicep", "terraform"):
        raw = infer(generated[f"storage-{language}"].out).raw
        assert raw["children"] == ["blobServices", "blobServices/containers", "fileServices", "fileServices/shares"]


# ---------------------------------------------------------------------------------------------------------------------
# Hand-written folders
# ---------------------------------------------------------------------------------------------------------------------

TELEMETRY = """#disable-next-line no-deployments-resources
resource avmTelemetry 'Microsoft.Resources/deployments@2024-03-01' = if (enableTelemetry) {{
  name: '46d3xbcp.{cls}.{id}.${{replace('-..--..-', '.', '-')}}.${{substring(uniqueString(deployment().name), 0, 4)}}'
  properties: {{
    mode: 'Incremental'
  }}
}}
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_not_a_module_folder(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as raised:
        infer(tmp_path)
    assert raised.value.errors[0].field == "path"
    with pytest.raises(InvalidInputError):
        infer(tmp_path / "missing")


def test_bicep_outside_a_registry_takes_class_and_name_from_telemetry(tmp_path: Path) -> None:
    folder = tmp_path / "stack"
    _write(
        folder / "main.bicep",
        "metadata name = 'Web - Stack'\nmetadata description = 'A stack.'\n\n"
        "param enableTelemetry bool = true\n\n"
        + TELEMETRY.format(cls="ptn", id="web-stack")
        + "\nmodule site 'br/public:avm/res/web/site:0.15.1' = {\n  name: 'site'\n}\n"
        "\nmodule plan 'br/public:avm/res/web/serverfarm:0.4' = {\n  name: 'plan'\n}\n"
        "\nmodule local './local/main.bicep' = {\n  name: 'local'\n}\n",
    )
    result = infer(folder)
    assert result.raw == {
        "module_class": "pattern",
        "language": "bicep",
        "module_name": "web/stack",
        "uses": ["avm/res/web/site@0.15.1"],
        "display_name": "Web - Stack",
        "description": "A stack.",
        "owner": "",
    }
    assert result.names == {"telemetry_id_prefix": "46d3xbcp.ptn.web-stack"}
    assert any(n.startswith("uses: avm/res/web/serverfarm:0.4 is not pinned") for n in result.notes)
    assert any(n.startswith("bicep_path:") for n in result.notes)
    assert any(n.startswith("service_short:") for n in result.notes)


def test_bicep_primary_resource_is_the_one_named_by_the_name_parameter(tmp_path: Path) -> None:
    folder = tmp_path / "avm" / "res" / "key-vault" / "vault"
    _write(
        folder / "main.bicep",
        "metadata name = 'Key Vaults'\nmetadata description = 'Vaults.'\n\n"
        "param name string\nparam lock object?\nparam customerManagedKey object?\n\n"
        + TELEMETRY.format(cls="res", id="keyvault-vault")
        + "\nresource other 'Microsoft.Network/virtualNetworks@2024-01-01' existing = {\n  name: 'x'\n}\n"
        "\nresource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {\n  name: name\n}\n"
        "\nresource vault_lock 'Microsoft.Authorization/locks@2020-05-01' = {\n  name: 'lock'\n}\n",
    )
    # a child whose resource is not named by a parameter, and a folder that deploys no child type
    _write(
        folder / "access-policy" / "main.bicep",
        "resource policies 'Microsoft.KeyVault/vaults/accessPolicies@2024-11-01' = {\n  name: 'add'\n}\n",
    )
    _write(folder / "access-policy" / "version.json", "{}")
    _write(folder / "helper" / "main.bicep", "output x string = 'x'\n")
    _write(folder / "tests" / "e2e" / "defaults" / "main.test.bicep", "param serviceShort string = 'kvvmin'\n")
    result = infer(folder)
    assert result.raw == {
        "module_class": "resource",
        "language": "bicep",
        "provider_namespace": "Microsoft.KeyVault",
        "resource_type": "vaults",
        "children": ["accessPolicies"],
        "published_children": ["accessPolicies"],
        "interfaces": ["lock", "customer-managed-key"],
        "api_version": "2024-11-01",
        "properties": "all",  # no schema of vaults at 2024-11-01 or older is shipped: nothing to compare with
        "location": False,  # no location parameter
        "scope": "resourceGroup",  # no targetScope, no `scope:` on the vault
        "display_name": "Key Vault",
        "description": "Vaults.",
        "owner": "",
    }
    assert result.names == {
        "bicep_path": "avm/res/key-vault/vault",
        "telemetry_id_prefix": "46d3xbcp.res.keyvault-vault",
        "service_short": "kvv",
    }
    assert result.notes == [
        "children: helper/main.bicep deploys no child type of Microsoft.KeyVault/vaults; skipped",
        OWNER_NOTE,
    ]


def test_a_hand_written_multi_scope_module_is_read_from_its_scope_folders(tmp_path: Path) -> None:
    """As bicep-registry-modules writes one: the role assignment named `name ?? guid(...)`, tests in the parent."""
    folder = tmp_path / "avm" / "res" / "authorization" / "role-assignment"
    _write(folder / "main.bicep", "metadata name = 'Role Assignments (Multi-Scope)'\ntargetScope = 'managementGroup'\n")
    for scope, title, target in (("rg", "Resource Group", ""), ("sub", "Subscription", "subscription")):
        _write(
            folder / f"{scope}-scope" / "main.bicep",
            f"metadata name = 'Role Assignments ({title} scope)'\n"
            f"metadata description = 'This module deploys a Role Assignment at a {title} scope.'\n"
            + (f"targetScope = '{target}'\n" if target else "")
            + "param name string?\nparam principalId string\n"
            + TELEMETRY.format(cls="res", id=f"authz-roleassignment_{scope}scope")
            + "\nresource roleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n"
            "  name: name ?? guid(principalId)\n}\n",
        )
    _write(folder / "tests/e2e/rg-scope.defaults/main.test.bicep", "param serviceShort string = 'arargmin'\n")
    result = infer(folder)
    assert result.raw["scope"] == "resourceGroup,subscription"
    assert (result.raw["provider_namespace"], result.raw["resource_type"]) == (
        "Microsoft.Authorization",
        "roleAssignments",
    )
    assert (result.raw["display_name"], result.raw["description"]) == (
        "Role Assignment",
        "This module deploys a Role Assignment.",
    )
    assert result.names == {
        "bicep_path": "avm/res/authorization/role-assignment",
        "telemetry_id_prefix": "46d3xbcp.res.authz-roleassignment",
        "service_short": "ara",
    }
    assert result.notes == [OWNER_NOTE]


def test_a_child_module_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "secret"
    _write(
        folder / "main.bicep",
        "param name string\nresource s 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {\n  name: name\n}\n",
    )
    with pytest.raises(InvalidInputError, match="child type"):
        infer(folder)


def test_terraform_without_a_repository_name_is_a_resource_with_a_note(tmp_path: Path) -> None:
    folder = tmp_path / "module"
    _write(folder / "_header.md", "# Fabric Capacity\n\nDeploys a Fabric capacity.\n")
    _write(
        folder / "main.tf",
        'resource "azapi_resource" "this" {\n  type = "Microsoft.Fabric/capacities@2023-11-01"\n  name = var.name\n}\n',
    )
    _write(
        folder / "variables.tf", 'variable "name" {\n  type = string\n}\n\nvariable "tags" {\n  type = map(string)\n}\n'
    )
    result = infer(folder)
    assert result.raw == {
        "module_class": "resource",
        "language": "terraform",
        "provider_namespace": "Microsoft.Fabric",
        "resource_type": "capacities",
        "children": [],
        "interfaces": ["tags"],
        "api_version": "2023-11-01",
        "properties": "all",
        "location": False,  # no location variable; no parent_id validation names a scope
        "display_name": "Fabric Capacity",
        "description": "Deploys a Fabric capacity.",
        "owner": "",
    }
    assert result.names == {}
    assert result.notes[0].startswith("module_class: neither the folder nor the _header.md title")


def test_terraform_pattern_uses_only_pinned_resource_modules(tmp_path: Path) -> None:
    folder = tmp_path / "terraform-azure-avm-ptn-data-landing-zone"
    _write(
        folder / "_header.md",
        "# terraform-azure-avm-ptn-data-landing-zone\n\nThis module deploys the Data - Landing Zone pattern.\n",
    )
    _write(
        folder / "main.tf",
        'module "kv" {\n  source  = "Azure/avm-res-keyvault-vault/azurerm"\n  version = "0.9.1"\n}\n\n'
        'module "sa" {\n  source  = "Azure/avm-res-storage-storageaccount/azurerm"\n  version = "~> 0.2"\n}\n\n'
        'module "local" {\n  source = "./modules/x"\n}\n',
    )
    result = infer(folder)
    assert result.raw["module_class"] == "pattern"
    assert result.raw["module_name"] == "data/landing-zone"  # split by the display name
    assert result.raw["uses"] == ["avm-res-keyvault-vault@0.9.1"]
    assert result.raw["display_name"] == "Data - Landing Zone"
    assert any("avm-res-storage-storageaccount) is not pinned" in n for n in result.notes)


# ---------------------------------------------------------------------------------------------------------------------
# What the module itself records: child API versions, its version; folders that are not modules
# ---------------------------------------------------------------------------------------------------------------------

SECRETS = "Microsoft.KeyVault/vaults/secrets"


def _copy(generated: dict[str, Generated], case_id: str, tmp_path: Path) -> Path:
    """A copy of a generated case (without its answers file) in the same kind of folder."""
    case = next(c for c in CASES if c.id == case_id)
    return Path(shutil.copytree(generated[case_id].out, tmp_path / case.folder))


def _pin(path: Path, full_type: str, api_version: str) -> None:
    text = path.read_text(encoding="utf-8")
    pinned = re.sub(rf"{re.escape(full_type)}@\d{{4}}-\d{{2}}-\d{{2}}", f"{full_type}@{api_version}", text)
    assert pinned != text
    path.write_text(pinned, encoding="utf-8")


@pytest.mark.parametrize(
    ("language", "child_file"), [("bicep", "secret/main.bicep"), ("terraform", "modules/secret/variables.tf")]
)
def test_child_api_versions_come_from_the_child_files(
    language: str, child_file: str, generated: dict[str, Generated], tmp_path: Path
) -> None:
    module = _copy(generated, f"kv-all-{language}", tmp_path)
    catalog_version = next(c["api_version"] for c in generated[f"kv-all-{language}"].recorded["children"])
    assert catalog_version != "2024-11-01"
    _pin(module / child_file, SECRETS, "2024-11-01")
    assert infer(module).child_api_versions == {"keys": catalog_version, "secrets": "2024-11-01"}
    adopted = run_avm("adopt", str(module), "--index", "none", cwd=tmp_path, cache=tmp_path / "cache")
    assert adopted.code == 0, adopted.stderr
    answers = read_data_file(module / ".copier-answers.yml")
    assert answers["children"] == ["keys", "secrets"]  # what a user gives; the versions are recorded beside
    recorded = yaml.safe_load((module / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert {c["type"]: c["api_version"] for c in recorded["children"]} == {
        "keys": catalog_version,
        "secrets": "2024-11-01",
    }


def test_the_module_version_is_read_from_version_json(generated: dict[str, Generated], tmp_path: Path) -> None:
    module = _copy(generated, "kv-published-bicep", tmp_path)
    assert infer(module).module_version == ""  # 0.1, the first version, is not recorded
    release(module, "0.14")
    inferred = infer(module)
    assert inferred.module_version == "0.14"
    assert inferred.notes == [
        "module_version: 0.14 from version.json; recorded, and version.json stays the module's own",
        OWNER_NOTE,
    ]
    (module / "version.json").write_text('{"version": "latest"}\n', encoding="utf-8")
    assert infer(module).module_version == ""
    assert "module_version: version.json holds no MAJOR.MINOR version; not recorded" in infer(module).notes


@pytest.mark.parametrize(
    ("file", "text", "missing"),
    [
        ("main.bicep", "hello\n", "no metadata name or description, no resource"),
        ("main.bicep", "", "no metadata name or description, no resource"),
        ("main.bicep", "param name string\n", "no metadata name or description, no resource"),
        ("main.tf", "hello\n", "declare no resource, data source, module or output"),
        ("main.tf", 'variable "name" {\n  type = string\n}\n', "declare no resource, data source, module or output"),
    ],
    ids=["bicep-one-word", "bicep-empty", "bicep-parameter-only", "terraform-one-word", "terraform-variable-only"],
)
def test_a_folder_that_is_not_an_avm_module_is_refused(file: str, text: str, missing: str, tmp_path: Path) -> None:
    folder = tmp_path / "hand"
    _write(folder / file, text)
    with pytest.raises(InvalidInputError) as raised:
        infer(folder)
    assert raised.value.errors[0].field == "path" and missing in raised.value.errors[0].message
    result = run_avm("adopt", str(folder), "--index", "none", cwd=tmp_path, cache=tmp_path / "cache")
    assert result.code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("avm: error: path: ") and "is not an AVM module" in line
    assert sorted(p.name for p in folder.iterdir()) == [file]  # nothing written
