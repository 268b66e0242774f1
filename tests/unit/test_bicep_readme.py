"""The README model of a Bicep module and its rendering by `readme_text.render_readme` through the template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from generator.bicep import readme as readme_mod
from generator.bicep.assemble import BicepModel
from generator.copier_ext import AvmExtension
from generator.interfaces import COMMON_TYPES_REF, PRIVATE_ENDPOINT_MODULE_REF
from generator.spec import ChildSpec, ModuleNames, ModuleSpec

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "bicep"
CHILD_README = "{% yield child from children %}{{ child.folder }}{% endyield %}/README.md.jinja"
ALL_INTERFACES = (
    "lock",
    "role-assignments",
    "diagnostic-settings",
    "private-endpoints",
    "managed-identities",
    "customer-managed-key",
    "tags",
)


def key_vault_spec(interfaces: tuple[str, ...] = ALL_INTERFACES) -> ModuleSpec:
    return ModuleSpec(
        module_class="resource",
        language="bicep",
        provider_namespace="Microsoft.KeyVault",
        resource_type="vaults",
        api_version="2024-11-01",
        display_name="Key Vault",
        description="This module deploys a Key Vault.",
        owner="",
        interfaces=interfaces,
        children=(
            ChildSpec("keys", "2024-11-01", True, "key"),
            ChildSpec("secrets", "2024-11-01", True, "secret"),
        ),
        names=ModuleNames(
            bicep_path="avm/res/key-vault/vault",
            telemetry_id_prefix="46d3xbcp.res.keyvault-vault",
            service_short="kvv",
            owners_team="avm-res-keyvault-vault-module-owners-bicep",
            terraform_module="avm-res-keyvault-vault",
            terraform_repo="terraform-azure-avm-res-keyvault-vault",
            terraform_registry="Azure/avm-res-keyvault-vault/azure",
        ),
        private_endpoint_service="vault",
        private_dns_zone="privatelink.vaultcore.azure.net",
        roles=(("Key Vault Administrator", "00482a5a-887f-4fb3-b363-3b7fe8e74483"),),
    )


def storage_spec() -> ModuleSpec:
    """A module with a nested child (blobServices/containers) and no interfaces."""
    return ModuleSpec(
        module_class="resource",
        language="bicep",
        provider_namespace="Microsoft.Storage",
        resource_type="storageAccounts",
        api_version="2025-01-01",
        display_name="Storage Account",
        description="This module deploys a Storage Account.",
        owner="",
        interfaces=(),
        children=(
            ChildSpec("blobServices", "2025-01-01", False, "blob-service"),
            ChildSpec("blobServices/containers", "2025-01-01", False, "blob-service/container"),
        ),
        names=ModuleNames(
            bicep_path="avm/res/storage/storage-account",
            telemetry_id_prefix="46d3xbcp.res.storage-storageaccount",
            service_short="ssa",
            owners_team="avm-res-storage-storageaccount-module-owners-bicep",
            terraform_module="avm-res-storage-storageaccount",
            terraform_repo="terraform-azure-avm-res-storage-storageaccount",
            terraform_registry="Azure/avm-res-storage-storageaccount/azure",
        ),
    )


def environment() -> Environment:
    """The Jinja environment copier builds from the template's `_envops` and `_jinja_extensions`."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATE)),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=[AvmExtension],
    )


def render(spec: ModuleSpec, folder: str | None = None) -> str:
    """Render the README entry template the way copier would, from the spec's answers."""
    context = {"_copier_answers": spec.to_answers()}
    if folder is None:
        return environment().get_template("README.md.jinja").render(context)
    return environment().get_template(CHILD_README).render(context, child={"folder": folder})


def h2(markdown: str) -> list[str]:
    return [line[3:] for line in markdown.splitlines() if line.startswith("## ")]


def section(markdown: str, title: str) -> str:
    return markdown.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def table_rows(text: str, first_column: str) -> list[list[str]]:
    """The rows of the first table whose header starts with `| <first_column> |`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_column} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


@pytest.fixture(scope="module")
def model() -> BicepModel:
    return BicepModel(key_vault_spec())


@pytest.fixture(scope="module")
def top() -> str:
    return render(key_vault_spec())


# ---- the model


def test_sections_of_the_top_level_module(model: BicepModel) -> None:
    readme = model.readme()
    assert readme.sections == [
        "Resource Types",
        "Usage examples",
        "Parameters",
        "Outputs",
        "Cross-referenced modules",
        "Data Collection",
    ]
    assert [(link.text, link.anchor) for link in readme.navigation][:2] == [
        ("Resource Types", "#Resource-Types"),
        ("Usage examples", "#Usage-examples"),
    ]
    assert readme.reference is not None
    assert readme.reference.symbol == "vault"
    assert readme.reference.registry_ref == "br/public:avm/res/key-vault/vault:<version>"


def test_child_modules_have_no_examples_reference_or_data_collection(model: BicepModel) -> None:
    for folder in ("key", "secret"):
        readme = model.readme(folder)
        assert readme.usage is None
        assert readme.reference is None
        assert not readme.data_collection
        assert readme.sections == ["Resource Types", "Parameters", "Outputs"]


def test_resource_types_list_the_module_children_and_interface_resources(model: BicepModel) -> None:
    rows = [(r.type, r.api_version) for r in model.readme().resource_types]
    assert rows == [
        ("Microsoft.Authorization/locks", "2020-05-01"),
        ("Microsoft.Authorization/roleAssignments", "2022-04-01"),
        ("Microsoft.Insights/diagnosticSettings", "2021-05-01-preview"),
        ("Microsoft.KeyVault/vaults", "2024-11-01"),
        ("Microsoft.KeyVault/vaults/keys", "2024-11-01"),
        ("Microsoft.KeyVault/vaults/secrets", "2024-11-01"),
        ("Microsoft.Network/privateEndpoints", "2025-05-01"),
        ("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "2025-05-01"),
    ]
    secret = model.readme("secret").resource_types
    assert [r.type for r in secret] == ["Microsoft.KeyVault/vaults/secrets"]
    assert secret[0].azadvertizer_url == (
        "https://www.azadvertizer.net/azresourcetypes/microsoft.keyvault_vaults_secrets.html"
    )
    assert secret[0].reference_url == (
        "https://learn.microsoft.com/en-us/azure/templates/Microsoft.KeyVault/2024-11-01/vaults/secrets"
    )


def test_parameter_tables_by_category(model: BicepModel) -> None:
    tables = model.readme().parameters.tables
    assert [t.category for t in tables] == ["Required", "Optional"]
    assert [r.name for r in tables[0].rows] == ["name"]
    assert [r.name for r in tables[1].rows] == [
        "customerManagedKey",
        "diagnosticSettings",
        "enableTelemetry",
        "keys",
        "location",
        "lock",
        "managedIdentities",
        "privateEndpoints",
        "publicNetworkAccess",
        "roleAssignments",
        "secrets",
        "tags",
    ]
    lock = next(r for r in tables[1].rows if r.name == "lock")
    assert (lock.anchor, lock.type, lock.description) == (
        "#parameter-lock",
        "object",
        "The lock settings of the service.",
    )


def test_parameter_blocks_expand_common_types_and_child_types(model: BicepModel) -> None:
    blocks = {b.path: b for b in model.readme().parameter_entries if b.kind == "block"}
    assert blocks["name"].required
    assert blocks["location"].default == "[resourceGroup().location]"
    assert blocks["enableTelemetry"].default == "True"
    assert blocks["lock.kind"].allowed == ("[", "  'CanNotDelete'", "  'None'", "  'ReadOnly'", "]")
    assert blocks["publicNetworkAccess"].allowed == ("[", "  'Disabled'", "  'Enabled'", "]")
    assert blocks["roleAssignments"].roles == (
        "Contributor",
        "Key Vault Administrator",
        "Owner",
        "Reader",
        "Role Based Access Control Administrator",
        "User Access Administrator",
    )
    assert blocks["privateEndpoints.roleAssignments"].roles[:2] == ("Contributor", "DNS Resolver Contributor")
    assert blocks["privateEndpoints.subnetResourceId"].required
    assert "privateEndpoints.privateDnsZoneGroup.privateDnsZoneGroupConfigs.privateDnsZoneResourceId" in blocks
    assert blocks["customerManagedKey.keyName"].required
    assert {"managedIdentities.systemAssigned", "managedIdentities.userAssignedResourceIds"} <= set(blocks)
    assert blocks["secrets.name"].required and blocks["secrets.tags"].type == "object"
    # required properties come first, each category sorted
    order = [p for p in blocks if p.startswith("roleAssignments.")]
    assert order[:2] == ["roleAssignments.principalId", "roleAssignments.roleDefinitionIdOrName"]


def test_child_parameters_include_the_conditional_parent_name(model: BicepModel) -> None:
    tables = model.readme("secret").parameters.tables
    assert [(t.category, [r.name for r in t.rows]) for t in tables] == [
        ("Required", ["name"]),
        ("Conditional", ["keyVaultName"]),
        ("Optional", ["tags"]),
    ]
    parent = next(b for b in model.readme("secret").parameter_entries if b.kind == "block" and b.path == "keyVaultName")
    assert parent.required


def test_outputs_are_sorted_and_typed(model: BicepModel) -> None:
    rows = [(o.name, o.type) for o in model.readme().outputs]
    assert rows == [
        ("location", "string"),
        ("name", "string"),
        ("privateEndpoints", "array"),
        ("resourceGroupName", "string"),
        ("resourceId", "string"),
        ("systemAssignedMIPrincipalId", "string"),
    ]
    assert [o.name for o in model.readme("key").outputs] == ["name", "resourceGroupName", "resourceId"]


def test_cross_references(model: BicepModel) -> None:
    refs = [(r.reference, r.kind) for r in model.readme().cross_references]
    assert refs == [
        (PRIVATE_ENDPOINT_MODULE_REF, "Remote reference"),
        (COMMON_TYPES_REF, "Remote reference"),
    ]
    assert model.readme("secret").cross_references == ()
    assert BicepModel(key_vault_spec(("tags",))).readme().cross_references == ()


def test_one_example_per_scenario_sorted_by_folder(model: BicepModel) -> None:
    usage = model.readme().usage
    assert usage is not None
    assert [(e.number, e.folder) for e in usage.examples] == [(1, "defaults"), (2, "max"), (3, "waf-aligned")]
    assert [e.title for e in usage.examples] == ["Using only defaults", "Using large parameter set", "WAF-aligned"]
    assert usage.examples[2].anchor == "#example-3-waf-aligned"
    assert usage.examples[0].bicep_module == (
        "module vault 'br/public:avm/res/key-vault/vault:<version>' = {\n"
        "  params: {\n"
        "    // Required parameters\n"
        "    name: 'kvvmin001'\n"
        "    // Non-required parameters\n"
        "    location: '<location>'\n"
        "  }\n"
        "}"
    )
    assert usage.examples[0].bicep_parameters == (
        "using 'br/public:avm/res/key-vault/vault:<version>'\n\n"
        "// Required parameters\n"
        "param name = 'kvvmin001'\n"
        "// Non-required parameters\n"
        "param location = '<location>'"
    )


def test_examples_show_readme_form_values(model: BicepModel) -> None:
    for example in model.readme().usage.examples:
        for text in (example.bicep_module, example.json_parameters, example.bicep_parameters):
            assert "nestedDependencies" not in text
            assert "namePrefix" not in text and "serviceShort" not in text
            assert "subscriptionResourceId" not in text
    waf = model.readme().usage.examples[2]
    assert "subnetResourceId: '<subnetResourceId>'" in waf.bicep_module
    assert "privateDnsZoneResourceId: '<privateDnsZoneResourceId>'" in waf.bicep_module
    assert "name: 'kvvwaf001'" in waf.bicep_module
    assert '"value": "kvvwaf001"' in waf.json_parameters
    big = model.readme().usage.examples[1].bicep_module
    assert "principalId: '<principalId>'" in big
    assert "roleDefinitionIdOrName: '<roleDefinitionIdOrName>'" in big
    assert "'<managedIdentityResourceId>'" in big
    # keys sorted case-insensitively at every level, as BRM sorts them
    assert re.search(r"Environment: 'Non-Prod'\n\s+'hidden-title': .+\n\s+Role: ", big)


def test_json_example_is_valid_json_without_comments(model: BicepModel) -> None:
    import json

    text = model.readme().usage.examples[1].json_parameters
    data = json.loads("\n".join(line for line in text.splitlines() if not line.strip().startswith("//")))
    assert next(iter(data["parameters"])) == "name"
    assert data["parameters"]["lock"] == {"value": {"kind": "CanNotDelete", "name": "myCustomLockName"}}


def test_nested_children_expand_recursively() -> None:
    model = BicepModel(storage_spec())
    paths = [b.path for b in model.readme().parameter_entries if b.kind == "block"]
    assert "blobServices.containers.name" in paths
    child = [b.path for b in model.readme("blob-service").parameter_entries if b.kind == "block"]
    assert child == ["name", "storageAccountName", "containers", "containers.name"]
    assert model.readme("blob-service/container").parameters.tables[1].category == "Conditional"


def test_facts_match_the_versions_the_templates_reference() -> None:
    assert readme_mod.common_types_ref() == COMMON_TYPES_REF
    facts = readme_mod.private_endpoint_facts()
    assert f"{facts['module']}:{facts['version']}" == PRIVATE_ENDPOINT_MODULE_REF


# ---- the rendered markdown


def test_rendered_top_level_readme_layout(top: str) -> None:
    assert top.startswith("# Key Vaults `[Microsoft.KeyVault/vaults]`\n\nThis module deploys a Key Vault.\n\n")
    assert "module vault 'br/public:avm/res/key-vault/vault:<version>' = {\n  params: { (...) }\n}" in top
    assert h2(top) == [
        "Navigation",
        "Resource Types",
        "Usage examples",
        "Parameters",
        "Outputs",
        "Cross-referenced modules",
        "Data Collection",
    ]
    assert h2(top)[-1] == "Data Collection"
    assert top.rstrip("\n").endswith("Your use of the software operates as your consent to these practices.")
    assert top.endswith("practices.\n")
    assert "\n\n\n\n" not in top


def test_rendered_tables(top: str) -> None:
    params = section(top, "Parameters")
    assert params.startswith("\n**Required parameters**\n\n| Parameter | Type | Description |\n| :-- | :-- | :-- |\n")
    assert table_rows(params, "Parameter")[0] == ["[`name`](#parameter-name)", "string", "The name of the key vault."]
    assert table_rows(section(top, "Outputs"), "Output") == [
        ["`location`", "string", "The location the resource was deployed into."],
        ["`name`", "string", "The name of the key vault."],
        ["`privateEndpoints`", "array", "The private endpoints of the key vault."],
        ["`resourceGroupName`", "string", "The name of the resource group the key vault was created in."],
        ["`resourceId`", "string", "The resource ID of the key vault."],
        ["`systemAssignedMIPrincipalId`", "string", "The principal ID of the system assigned identity."],
    ]
    assert table_rows(section(top, "Cross-referenced modules"), "Reference") == [
        [f"`{PRIVATE_ENDPOINT_MODULE_REF}`", "Remote reference"],
        [f"`{COMMON_TYPES_REF}`", "Remote reference"],
    ]
    kinds = table_rows(section(top, "Resource Types"), "Resource Type")
    assert kinds[0][:2] == ["`Microsoft.Authorization/locks`", "2020-05-01"]


def test_rendered_parameter_block(top: str) -> None:
    assert (
        "### Parameter: `lock.kind`\n\nSpecify the type of lock.\n\n- Required: No\n- Type: string\n"
        "- Allowed:\n  ```Bicep\n  [\n    'CanNotDelete'\n    'None'\n    'ReadOnly'\n  ]\n  ```\n\n"
    ) in top
    assert "- Roles configurable by name:\n  - `'Contributor'`\n  - `'Key Vault Administrator'`\n" in top
    assert "### Parameter: `location`\n\nLocation for all resources.\n\n- Required: No\n- Type: string\n" in top
    assert "- Default: `[resourceGroup().location]`\n" in top


def test_rendered_usage_examples(top: str) -> None:
    usage = section(top, "Usage examples")
    assert usage.count("<summary>via Bicep module</summary>") == 3
    assert usage.count("<summary>via JSON parameters file</summary>") == 3
    assert usage.count("<summary>via Bicep parameters file</summary>") == 3
    for number, folder in ((1, "defaults"), (2, "max"), (3, "waf-aligned")):
        assert f"### Example {number}: _" in usage
        assert f"deployment test folder path [/tests/e2e/{folder}]\n\n\n<details>" in usage
    assert "- [Using only defaults](#example-1-using-only-defaults)\n" in usage
    assert "name: 'kvvmin001'" in usage
    assert "'<subnetResourceId>'" in usage
    assert "nestedDependencies." not in top


def test_rendered_child_readme() -> None:
    text = render(key_vault_spec(), "secret")
    assert text.startswith("# Key Vault Secrets `[Microsoft.KeyVault/vaults/secrets]`\n\n")
    assert h2(text) == ["Navigation", "Resource Types", "Parameters", "Outputs"]
    assert "You can reference the module" not in text
    assert "Usage examples" not in text and "Data Collection" not in text
    assert "| [`keyVaultName`](#parameter-keyvaultname) | string |" in text
    assert text.endswith("| `resourceId` | string | The resource ID of the secret. |\n")


def test_markdown_is_deterministic_and_has_no_placeholder_text() -> None:
    for folder in (None, "key", "secret"):
        first, second = render(key_vault_spec(), folder), render(key_vault_spec(), folder)
        assert first == second
        assert not re.search(r"TODO|REPLACE|lorem", first, re.IGNORECASE)
        assert not re.search(r"\bNone\b", first.replace("'None'", ""))  # no Python None leaked
    plain = render(storage_spec())
    assert "Cross-referenced modules" not in plain
    assert "## Data Collection" in plain
