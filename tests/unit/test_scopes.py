"""Deployment scopes and the interfaces a type can carry (`generator.scopes`), in the spec and both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.answers import gather
from generator.bicep.model import BicepModule
from generator.catalog import Catalog
from generator.errors import InvalidInputError
from generator.index import load_index
from generator.spec import ModuleSpec, SpecContext, build_spec
from generator.terraform.examples import resource_examples, unit_test_blocks
from generator.terraform.hcl import file_text
from generator.terraform.model import TerraformModel

EXTENSION = {"provider_namespace": "Microsoft.KubernetesConfiguration", "resource_type": "extensions"}
RESOURCE_GROUP = {"provider_namespace": "Microsoft.Resources", "resource_type": "resourceGroups"}


def spec(language: str = "bicep", **raw: object) -> ModuleSpec:
    answers = {"module_class": "resource", "language": language, **raw}
    return build_spec(answers, SpecContext(catalog=Catalog.load(), index=load_index("none")))


def problems(**raw: object) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        spec(**raw)
    return caught.value.lines()


def test_an_extension_type_deploys_onto_its_target_without_location_or_tags() -> None:
    found = spec(**EXTENSION)
    assert (found.scope, found.location, found.global_location) == ("extension", False, False)
    assert found.extends.startswith("Microsoft.ContainerService/managedClusters@")
    assert found.interfaces == ("managed-identities",)
    assert found.identity_kinds == ("system",)


def test_a_resource_group_deploys_at_subscription_scope() -> None:
    found = spec(**RESOURCE_GROUP)
    assert (found.scope, found.location, found.extends) == ("subscription", True, "")
    assert found.interfaces == ("lock", "role-assignments", "tags")


def test_an_interface_the_type_cannot_carry_is_refused_naming_the_type() -> None:
    assert problems(**EXTENSION, interfaces="tags,managed-identities") == [
        "interfaces: tags: Microsoft.KubernetesConfiguration/extensions has no tags"
    ]
    assert problems(**RESOURCE_GROUP, interfaces="private-endpoints") == [
        "interfaces: private-endpoints: a module of Microsoft.Resources/resourceGroups at subscription scope has no "
        "resource group to put them in"
    ]


def test_all_interfaces_means_those_the_type_can_carry() -> None:
    assert spec(**EXTENSION, interfaces="all").interfaces == ("managed-identities",)


def test_a_location_the_schema_lacks_is_refused() -> None:
    assert problems(**EXTENSION, location=True) == [
        "location: Microsoft.KubernetesConfiguration/extensions has no location"
    ]


def test_a_scope_the_type_is_not_writable_at_is_refused() -> None:
    assert problems(**RESOURCE_GROUP, scope="resourceGroup") == [
        "scope: Microsoft.Resources/resourceGroups cannot be deployed at resourceGroup scope; it can at subscription"
    ]


@pytest.mark.parametrize("value", ["false", False, "global", "true"])
def test_every_input_layer_honours_the_location(tmp_path: Path, value: object) -> None:
    data_file = tmp_path / "answers.yml"
    data_file.write_text(f"location: {str(value).lower()}\n", encoding="utf-8")
    wanted = {"false": (False, False), "global": (False, True), "true": (True, False)}[str(value).lower()]
    vault = {"provider_namespace": "Microsoft.KeyVault", "resource_type": "vaults"}
    for raw in (gather(data_file, [], {}), gather(None, [f"location={str(value).lower()}"], {}), {"location": value}):
        if wanted == (False, False):  # heard, and refused: a key vault's schema requires its location
            assert problems(**vault, **raw) == ["location: Microsoft.KeyVault/vaults requires a location"]
            continue
        found = spec(**vault, **raw)
        assert (found.location, found.global_location) == wanted
        assert ModuleSpec.from_answers(found.to_answers()) == found


def test_bicep_extension_module_takes_its_target_by_name() -> None:
    module = BicepModule(spec(**EXTENSION))
    assert module.target_scope is None and not module.location
    assert module.params[0].name == "managedClusterName"
    assert "resourceGroupName" in [o.name for o in module.outputs]


def test_bicep_resource_group_module_targets_the_subscription() -> None:
    module = BicepModule(spec(**RESOURCE_GROUP))
    assert module.target_scope == "subscription" and module.nested_interfaces
    assert [p.default for p in module.params if p.name == "location"] == ["deployment().location"]
    assert "resourceGroupName" not in [o.name for o in module.outputs]


def test_terraform_parent_id_follows_the_scope() -> None:
    extension = TerraformModel(spec("terraform", **EXTENSION))
    text = extension.root.tf_file("variables.tf")
    assert 'startswith(var.parent_id, "/subscriptions/") && strcontains(var.parent_id, "/providers/")' in text
    assert 'variable "location"' not in text
    example = resource_examples(extension)["default"].main_tf
    assert 'resource "azapi_resource" "managed_cluster"' in example
    assert re.search(r"\n  parent_id +\= azapi_resource\.managed_cluster\.id\n", example)
    group = TerraformModel(spec("terraform", **RESOURCE_GROUP))
    assert 'parse_resource_id("Microsoft.Resources/subscriptions", var.parent_id)' in group.root.tf_file("variables.tf")
    assert re.search(
        r'parent_id += "/subscriptions/00000000-0000-0000-0000-000000000000"\n', file_text(unit_test_blocks(group))
    )


def test_user_assigned_identities_come_with_the_system_one_where_the_type_takes_them_only_so() -> None:
    synapse = {"provider_namespace": "Microsoft.Synapse", "resource_type": "workspaces"}
    both_only = TerraformModel(spec("terraform", **synapse, interfaces="managed-identities")).root
    assert both_only.user_identity_needs_system
    assert 'identity.value.type == "UserAssigned" ? "SystemAssigned, UserAssigned"' in both_only.tf_file("main.tf")
    assert BicepModule(spec("bicep", **synapse, interfaces="managed-identities")).user_identity_needs_system
    hub = {"provider_namespace": "Microsoft.EventHub", "resource_type": "namespaces"}
    either = TerraformModel(spec("terraform", **hub, interfaces="managed-identities")).root
    assert not either.user_identity_needs_system
    assert "type         = identity.value.type\n" in either.tf_file("main.tf")


CATALOG_TYPES = sorted(full for full, _ in Catalog.load()._entries.values())


@pytest.mark.parametrize("full_type", CATALOG_TYPES)
def test_the_default_interfaces_of_every_catalog_type_are_ones_it_can_carry(full_type: str) -> None:
    from generator.azure_types.lookup import schema_for

    namespace, resource_type = full_type.split("/", 1)
    found = spec(provider_namespace=namespace, resource_type=resource_type)
    resolved = schema_for(found)
    assert resolved is not None, full_type
    schema = resolved.schema
    if "managed-identities" in found.interfaces:
        assert schema.has_identity and schema.identity_kinds, full_type
    if "tags" in found.interfaces:
        assert schema.has_tags, full_type
    if "private-endpoints" in found.interfaces:
        assert found.scope == "resourceGroup", full_type
    assert found.scope in schema.scopes, full_type
    assert found.location == (schema.at("location") is not None and not schema.at("location").read_only) or (
        found.global_location
    ), full_type
