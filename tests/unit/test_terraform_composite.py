"""The Terraform render model of pattern and utility modules (generator/terraform/composite.py).

Expected names, orders and texts are written here from the brief and the digests (terraform-modules.md
sections 3, 4 and 6), independently of the model's code.
"""

from __future__ import annotations

from typing import Any

import hcl2
import pytest

from generator.catalog import Catalog
from generator.copier_ext import render_model
from generator.index import IndexEntry, ModuleIndex
from generator.spec import ModuleSpec, SpecContext, build_spec
from generator.terraform import hcl
from generator.terraform.composite import TerraformCompositeModel
from generator.terraform.hcl import Attr, Block

# The Key Vault module as the index lists it: published under the AzureRM-era registry namespace.
KEY_VAULT_ENTRY = IndexEntry(
    module_name="avm-res-keyvault-vault",
    display_name="Key Vault",
    telemetry_id_prefix=None,
    status="Available",
    owners_team=None,
    provider_namespace=None,
    resource_type=None,
    parent_module=None,
    language="terraform",
    module_class="res",
    registry_source="Azure/avm-res-keyvault-vault/azurerm",
)
PARSE_PARENT = 'provider::azapi::parse_resource_id("Microsoft.Resources/resourceGroups", var.parent_id)'


def legacy_index() -> ModuleIndex:
    return ModuleIndex([KEY_VAULT_ENTRY])


def make_spec(module_class: str, name: str, index: ModuleIndex | None = None, **raw: Any) -> ModuleSpec:
    answers = {"module_class": module_class, "language": "terraform", "module_name": name, **raw}
    return build_spec(answers, SpecContext(Catalog.load(), index or ModuleIndex()))


def model_of(module_class: str, name: str, index: ModuleIndex | None = None, **raw: Any) -> TerraformCompositeModel:
    return render_model(make_spec(module_class, name, index, **raw))


@pytest.fixture(scope="module")
def two_new() -> TerraformCompositeModel:
    return model_of(
        "pattern", "azd/monitoring", uses=["avm-res-keyvault-vault@0.10.0", "avm/res/storage/storage-account@0.6.0"]
    )


@pytest.fixture(scope="module")
def mixed() -> TerraformCompositeModel:
    """A legacy (azurerm) Key Vault from the index and a new (azure) storage account."""
    return model_of(
        "pattern",
        "azd/monitoring",
        legacy_index(),
        uses=["avm-res-keyvault-vault@0.10.0", "avm/res/storage/storage-account@0.6.0"],
    )


def names_of(blocks: list[Block]) -> list[str]:
    return [b.labels[0] for b in blocks]


def attrs(block: Block) -> dict[str, str]:
    return {i.name: i.value for i in block.items if isinstance(i, Attr) and isinstance(i.value, str)}


def attr_names(block: Block) -> list[str]:
    return [i.name for i in block.items if isinstance(i, Attr)]


def parsed(model: TerraformCompositeModel, file_name: str) -> dict:
    return hcl2.loads(model.root.tf_file(file_name))


def provider_names(model: TerraformCompositeModel) -> list[str]:
    providers = parsed(model, "terraform.tf")["terraform"][0]["required_providers"][0]
    return sorted(k for k in providers if not k.startswith("__"))  # python-hcl2 7 adds `__is_block__`


# ---------------------------------------------------------------------------------------------------------------------
# Pattern
# ---------------------------------------------------------------------------------------------------------------------


def test_pattern_variables_required_then_optional(two_new: TerraformCompositeModel) -> None:
    variables = two_new.root.variables
    assert [v.name for v in variables] == [
        "key_vault_name",
        "location",
        "parent_id",
        "storage_account_name",
        "enable_telemetry",
        "tags",
    ]
    by_name = {v.name: v for v in variables}
    for name in ("key_vault_name", "location", "parent_id", "storage_account_name"):
        assert by_name[name].required and by_name[name].type == "string" and by_name[name].nullable is False
    assert by_name["parent_id"].validations[0][0] == f"can({PARSE_PARENT})"
    assert by_name["storage_account_name"].description == "The name of the Storage Account."
    tags = by_name["tags"]
    assert (tags.type, tags.default, tags.nullable) == ("map(string)", "null", None)
    assert tags.description == "(Optional) Tags of the resources."
    telemetry = by_name["enable_telemetry"]
    assert (telemetry.type, telemetry.default, telemetry.nullable) == ("bool", "true", False)
    assert telemetry.description.startswith("This variable controls whether or not telemetry is enabled")


def test_pattern_variable_attribute_order(two_new: TerraformCompositeModel) -> None:
    blocks = {b.labels[0]: b for b in two_new.root.files["variables.tf"]}
    assert attr_names(blocks["enable_telemetry"]) == ["type", "default", "description", "nullable"]
    assert attr_names(blocks["parent_id"]) == ["type", "description", "nullable"]


def test_pattern_module_blocks_in_uses_order_with_canonical_arguments(two_new: TerraformCompositeModel) -> None:
    calls = two_new.root.files["main.tf"]
    assert names_of(calls) == ["key_vault", "storage_account"]  # derived from provider and type without an index
    for call in calls:
        assert attr_names(call) == ["source", "version", "location", "name", "parent_id", "enable_telemetry", "tags"]
    vault = attrs(calls[0])
    assert vault["source"] == '"Azure/avm-res-keyvault-vault/azure"'
    assert vault["version"] == '"0.10.0"'
    assert vault["name"] == "var.key_vault_name"
    assert vault["parent_id"] == "var.parent_id"
    assert vault["enable_telemetry"] == "var.enable_telemetry"
    assert vault["tags"] == "var.tags"
    assert attrs(calls[1])["version"] == '"0.6.0"'


def test_pattern_new_modules_need_no_locals(two_new: TerraformCompositeModel) -> None:
    assert two_new.root.file_name("locals.tf") == ""
    assert "resource_group_name" not in two_new.root.tf_file("main.tf")


def test_legacy_module_is_scoped_by_resource_group_name(mixed: TerraformCompositeModel) -> None:
    key_vault, storage = mixed.root.files["main.tf"]
    assert key_vault.labels == ("key_vault",)
    assert attrs(key_vault)["source"] == '"Azure/avm-res-keyvault-vault/azurerm"'
    assert attr_names(key_vault) == [
        "source",
        "version",
        "location",
        "name",
        "resource_group_name",
        "enable_telemetry",
        "tags",
    ]
    assert attrs(key_vault)["resource_group_name"] == "local.resource_group_name"
    assert "parent_id" in attrs(storage) and "resource_group_name" not in attrs(storage)
    assert mixed.root.file_name("locals.tf") == "locals.tf"
    locals_ = parsed(mixed, "locals.tf")["locals"][0]
    assert locals_["resource_group_name"] == "${" + PARSE_PARENT + ".name}"


def test_legacy_unit_test_mocks_azurerm(mixed: TerraformCompositeModel) -> None:
    mocked = [b.labels[0] for b in mixed.unit_test_blocks if b.type == "mock_provider"]
    assert mocked == ["azapi", "azurerm", "modtm", "random"]


def test_pattern_outputs_alphabetical(mixed: TerraformCompositeModel) -> None:
    outputs = mixed.root.outputs
    assert [o.name for o in outputs] == ["key_vault_resource_id", "storage_account_resource_id"]
    assert outputs[0].value == "module.key_vault.resource_id"
    assert outputs[0].description == "The resource ID of the Key Vault."


def test_pattern_terraform_block_and_telemetry(two_new: TerraformCompositeModel) -> None:
    assert provider_names(two_new) == ["azapi", "modtm", "random"]
    telemetry = two_new.root.tf_file("main.telemetry.tf")
    assert "main_location = var.location" in telemetry
    assert 'resource "modtm_telemetry" "telemetry"' in telemetry


def test_pattern_without_uses() -> None:
    model = model_of("pattern", "azd/empty")
    assert [v.name for v in model.root.variables] == ["location", "enable_telemetry"]
    assert model.root.files["main.tf"] == []
    assert model.root.outputs == []
    assert model.root.file_name("main.telemetry.tf") == "main.telemetry.tf"
    assert model.root.file_name("locals.tf") == ""
    runs = [b.labels[0] for b in model.unit_test_blocks if b.type == "run"]
    assert runs == ["telemetry_enabled", "telemetry_disabled"]
    call = model.example("default").module_call
    assert attr_names(call) == ["source", "location", "enable_telemetry"]
    example_blocks = [(b.type, b.labels) for b in model.example("default").blocks]
    assert ("resource", ("azapi_resource", "resource_group")) not in example_blocks


def test_pattern_template_facing_shape(two_new: TerraformCompositeModel) -> None:
    assert two_new.submodule_names == []
    assert two_new.root.child_calls == []
    assert two_new.example_names == ["default"]
    assert two_new.root.header == (
        "# terraform-azure-avm-ptn-azd-monitoring\n\nThis module deploys the AZD - Monitoring pattern."
    )
    assert two_new.footer.startswith("<!-- markdownlint-disable-next-line MD041 -->")
    assert ".gitignore" in two_new.external_files
    for optional in ("main.interfaces.tf", "main.lock.tf", "main.role_assignments.tf", "main.private_endpoints.tf"):
        assert two_new.root.file_name(optional) == ""
    readme = two_new.readme()
    for section in ("## Requirements", "## Resources", "## Required Inputs", "## Outputs", "## Modules"):
        assert section in readme
    assert "[modtm_telemetry.telemetry]" in readme
    assert "Source: Azure/avm-res-keyvault-vault/azure" in readme


def test_pattern_example(two_new: TerraformCompositeModel) -> None:
    example = two_new.example("default")
    call = example.module_call
    assert call.labels == ("test",)
    assert attr_names(call) == [
        "source",
        "key_vault_name",
        "location",
        "parent_id",
        "storage_account_name",
        "enable_telemetry",
    ]
    values = attrs(call)
    assert values["source"] == '"../../"'
    assert values["parent_id"] == "azapi_resource.resource_group.id"
    assert values["storage_account_name"] != values["key_vault_name"]
    assert [v.name for v in example.variables] == ["enable_telemetry"]
    main_tf = example.tf_file("main.tf")
    assert 'resource "azapi_resource" "resource_group"' in main_tf
    assert '# source = "Azure/avm-ptn-azd-monitoring/azure"' in main_tf
    hcl2.loads(main_tf)
    assert "```hcl" in two_new.example_readme("default")


def test_pattern_unit_test(two_new: TerraformCompositeModel) -> None:
    blocks = two_new.unit_test_blocks
    assert [b.labels[0] for b in blocks if b.type == "mock_provider"] == ["azapi", "modtm", "random"]
    file_variables = next(b for b in blocks if b.type == "variables")
    assert attr_names(file_variables) == ["key_vault_name", "location", "parent_id", "storage_account_name"]
    runs = {b.labels[0]: b for b in blocks if b.type == "run"}
    assert list(runs) == ["telemetry_enabled", "telemetry_disabled", "invalid_parent_id"]
    assert attrs(runs["invalid_parent_id"])["expect_failures"] == "[var.parent_id]"
    assert attrs(runs["invalid_parent_id"])["command"] == "plan"
    text = two_new.unit_test
    assert "length(modtm_telemetry.telemetry) == 1" in text and "length(modtm_telemetry.telemetry) == 0" in text
    hcl2.loads(text)


# ---------------------------------------------------------------------------------------------------------------------
# Utility
# ---------------------------------------------------------------------------------------------------------------------


def test_utility_without_deploys_has_no_telemetry_and_no_providers() -> None:
    model = model_of("utility", "general/resource-name")
    root = model.root
    assert [v.name for v in root.variables] == ["resource_id"]
    assert root.variables[0].description == "The resource ID to read the name from."
    assert root.variables[0].nullable is False
    assert root.file_name("main.telemetry.tf") == ""
    assert root.files["main.tf"] == []
    terraform = root.files["terraform.tf"][0]
    assert attr_names(terraform) == ["required_version"]
    assert not any(isinstance(i, Block) for i in terraform.items)
    everything = "".join(root.tf_file(f) for f in root.files) + model.unit_test
    example = model.example("default")
    everything += example.tf_file("main.tf") + example.tf_file("variables.tf")
    assert "enable_telemetry" not in everything
    assert "mock_provider" not in model.unit_test
    assert example.variables == []
    assert [b.type for b in example.blocks] == ["terraform", "module"]


def test_utility_output_and_unit_test() -> None:
    model = model_of("utility", "general/resource-name")
    (output,) = model.root.outputs
    assert (output.name, output.value) == ("resource_name", "basename(var.resource_id)")
    assert output.description == "The name of the resource: the last segment of its resource ID."
    text = model.unit_test
    assert 'resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000/' in text
    run = hcl2.loads(text)["run"][0]
    assert list(run) == ['"resource_name"']
    assert run['"resource_name"']["assert"][0]["condition"] == '${output.resource_name == "kv-unit"}'


def test_utility_example_calls_module_with_literal_id() -> None:
    call = model_of("utility", "general/resource-name").example("default").module_call
    assert attr_names(call) == ["source", "resource_id"]
    assert attrs(call)["resource_id"].endswith('/providers/Microsoft.KeyVault/vaults/kv-example"')


def test_utility_with_deploys_deploys_a_deployment_script() -> None:
    model = model_of("utility", "general/deploy-script", deploys=True)
    root = model.root
    assert [v.name for v in root.variables][:4] == ["location", "name", "parent_id", "script_content"]
    assert {"enable_telemetry", "resource_types", "retry", "timeouts", "tags"} <= {v.name for v in root.variables}
    assert root.file_name("main.telemetry.tf") == "main.telemetry.tf"
    assert provider_names(model) == ["azapi", "modtm", "random"]
    resource = model.root.files["main.tf"][0]
    assert resource.labels == ("azapi_resource", "this")
    assert "Microsoft.Resources/deploymentScripts@" in root.type_ref
    assert "scriptContent       = var.script_content" in resource.text
    assert [o.name for o in root.outputs] == ["name", "resource_id", "script_outputs"]
    runs = [b.labels[0] for b in model.unit_test_blocks if b.type == "run"]
    assert runs[:2] == ["telemetry_enabled", "telemetry_disabled"]
    call = model.example("default").module_call
    assert attr_names(call)[:5] == ["source", "location", "name", "parent_id", "script_content"]


@pytest.mark.parametrize(
    ("module_class", "name", "raw"),
    [
        ("pattern", "azd/monitoring", {"uses": ["avm-res-keyvault-vault@0.10.0"]}),
        ("pattern", "azd/empty", {}),
        ("utility", "general/resource-name", {}),
        ("utility", "general/resource-name", {"deploys": True}),
    ],
)
def test_every_file_parses(module_class: str, name: str, raw: dict[str, Any]) -> None:
    model = model_of(module_class, name, **raw)
    for file_name in model.root.files:
        hcl2.loads(model.root.tf_file(file_name))
    hcl2.loads(hcl.file_text(model.example("default").blocks))
    hcl2.loads(model.unit_test)
    for must in ("terraform.tf", "main.tf", "variables.tf", "outputs.tf"):
        assert must in model.root.files
