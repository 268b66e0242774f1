"""The schema layer: bicep-types node lists parsed, and what a module needs about one resource type answered."""

from __future__ import annotations

import dataclasses
import json
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator.azure_types.facts import describe
from generator.azure_types.nodes import (
    AnyType,
    ArrayType,
    NodeTable,
    ObjectType,
    Property,
    StringType,
)
from generator.azure_types.schema import ResourceSchema, ResourceTypeNotFoundError, TypeGraph, identity_kind
from generator.azure_types.versions import resolve_version

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "azure_types" / "contoso.widgets-2025-01-01.types.json"
SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "schemas"
SCHEMA_FILES = sorted(SCHEMAS.glob("*/*/*/types.json")) if SCHEMAS.is_dir() else []
needs_schemas = pytest.mark.skipif(not SCHEMA_FILES, reason="no shared schemas folder")


def fixture_nodes() -> list[dict[str, Any]]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graph() -> TypeGraph:
    return TypeGraph.from_nodes(fixture_nodes())


@pytest.fixture(scope="module")
def widget(graph: TypeGraph) -> ResourceSchema:
    return graph.resource("Contoso.Widgets/widgets@2025-01-01")


@pytest.fixture(scope="module")
def gadget(graph: TypeGraph) -> ResourceSchema:
    return graph.resource("Contoso.Widgets/widgets/gadgets@2025-01-01")


def paths(properties: tuple[Any, ...]) -> list[str]:
    return [p.path for p in properties]


def found(schema: ResourceSchema, path: str) -> Any:
    prop = schema.at(path)
    assert prop is not None, path
    return prop


# nodes


def test_nodes_are_parsed_into_typed_immutable_values() -> None:
    table = NodeTable(fixture_nodes())
    string = table.node(0)
    assert string == StringType()
    with pytest.raises(dataclasses.FrozenInstanceError):
        string.pattern = "x"  # type: ignore[misc]
    tags = table.node(3)
    assert isinstance(tags, ObjectType)
    assert tags.name == "Tags" and dict(tags.properties) == {}
    assert tags.additional_properties is not None and tags.additional_properties.resolve() == StringType()


def test_property_flags() -> None:
    table = NodeTable([{"$type": "StringType"}])
    everything = Property(table.ref({"$ref": "#/0"}), 31)
    assert everything.required and everything.read_only and everything.write_only
    assert everything.deploy_time_constant and everything.identifier
    name = Property(table.ref({"$ref": "#/0"}), 9)
    assert name.required and name.deploy_time_constant and not name.read_only


def test_unknown_types_broken_nodes_and_bad_refs_read_as_any() -> None:
    table = NodeTable(
        [
            {"$type": "FancyNewType"},
            {"$type": "StringLiteralType"},  # no value
            "not a node",
            {"$type": "ArrayType", "itemType": {"$ref": "other.json#/1"}},
        ]
    )
    assert table.node(0) == AnyType() and table.node(1) == AnyType() and table.node(2) == AnyType()
    assert table.node(99) == AnyType()
    array = table.node(3)
    assert isinstance(array, ArrayType) and array.item_type.resolve() == AnyType()


def test_types_that_loop_on_themselves_end() -> None:
    table = NodeTable(
        [
            {"$type": "ArrayType", "itemType": {"$ref": "#/0"}},
            {"$type": "UnionType", "elements": [{"$ref": "#/1"}, {"$ref": "#/2"}]},
            {"$type": "StringLiteralType", "value": "x"},
        ]
    )
    assert describe(table.ref({"$ref": "#/0"})).item == describe(table.ref({"$ref": "#/99"}))
    assert describe(table.ref({"$ref": "#/1"})).enum == ("x",)


def test_only_the_nodes_a_question_reaches_are_read() -> None:
    read: set[int] = set()

    class Spy(dict):
        def get(self, key: str, default: Any = None) -> Any:
            if key != "$type":
                read.add(self["$index"])
            return super().get(key, default)

    nodes = [Spy(node, **{"$index": index}) for index, node in enumerate(fixture_nodes())]
    gadget_body = next(i for i, n in enumerate(nodes) if n.get("name") == "Contoso.Widgets/widgets/gadgets")
    read.clear()
    schema = TypeGraph.from_nodes(nodes).resource("Contoso.Widgets/widgets/settings@2025-01-01")
    assert schema.fixed_name == ("default",)
    assert gadget_body not in read
    assert len(read) < 15


# the graph


def test_resource_names_and_lookup(graph: TypeGraph) -> None:
    assert graph.resource_names() == (
        "Contoso.Widgets/widgets@2025-01-01",
        "Contoso.Widgets/widgets/gadgets@2025-01-01",
        "Contoso.Widgets/widgets/settings@2025-01-01",
        "Contoso.Widgets/widgets/rules@2025-01-01",
        "Contoso.Widgets/locks@2025-01-01",
        "Contoso.Widgets/usages@2025-01-01",
    )
    schema = graph.resource("contoso.widgets/WIDGETS@2025-01-01")
    assert schema.name == "Contoso.Widgets/widgets@2025-01-01"
    assert (schema.type_name, schema.api_version) == ("Contoso.Widgets/widgets", "2025-01-01")
    assert graph.has_resource("CONTOSO.WIDGETS/locks@2025-01-01")
    assert not graph.has_resource("Contoso.Widgets/widgets@2024-01-01")
    with pytest.raises(ResourceTypeNotFoundError):
        graph.resource("Contoso.Widgets/widgets@2024-01-01")


def test_a_type_listed_twice_is_deployable_at_every_scope_listed() -> None:
    nodes = [
        {"$type": "ObjectType", "name": "Body", "properties": {}},
        {"$type": "ResourceType", "name": "A.B/c@2025-01-01", "body": {"$ref": "#/0"}, "writableScopes": 8},
        {"$type": "ResourceType", "name": "A.B/c@2025-01-01", "body": {"$ref": "#/0"}, "writableScopes": 4},
    ]
    graph = TypeGraph.from_nodes(nodes)
    assert graph.resource_names() == ("A.B/c@2025-01-01",)
    assert graph.resource("a.b/c@2025-01-01").scopes == ("subscription", "resourceGroup")


# one resource type


def test_body_properties_split_into_writable_and_read_only(widget: ResourceSchema) -> None:
    assert paths(widget.read_only_properties) == ["id", "type", "apiVersion"]
    assert paths(widget.writable_properties) == [
        "name",
        "location",
        "tags",
        "identity",
        "sku",
        "zones",
        "properties",
    ]


def test_flattened_properties_follow_the_avm_convention(widget: ResourceSchema) -> None:
    flattened = paths(widget.flattened_properties)
    assert flattened[:6] == ["name", "location", "tags", "identity", "sku", "zones"]
    assert "properties" not in flattened and "properties.provisioningState" not in flattened
    assert flattened[6:9] == ["properties.displayName", "properties.adminPassword", "properties.connectionSecret"]
    assert found(widget, "properties.provisioningState").read_only


def test_required_at_its_level_and_along_the_chain(widget: ResourceSchema) -> None:
    display_name = found(widget, "properties.displayName")
    assert display_name.required and display_name.always_required
    assert found(widget, "sku.name").always_required
    key = found(widget, "properties.encryption.keyVaultProperties.keyIdentifier")
    assert key.required and not key.always_required
    assert not found(widget, "properties.tier").required


def test_secrets(widget: ResourceSchema) -> None:
    password = found(widget, "properties.adminPassword")
    assert password.write_only and password.secret and not password.sensitive
    connection = found(widget, "properties.connectionSecret")
    assert connection.sensitive and connection.secret and not connection.write_only
    assert not found(widget, "properties.displayName").secret


def test_enums_closed_and_open(widget: ResourceSchema) -> None:
    sku_name = found(widget, "sku.name")
    assert (sku_name.kind, sku_name.enum, sku_name.open_enum, sku_name.closed_enum) == (
        "enum",
        ("Basic", "Standard"),
        False,
        True,
    )
    tier = found(widget, "properties.tier")
    assert (tier.kind, tier.enum, tier.open_enum, tier.closed_enum) == ("enum", ("Hot", "Cool"), True, False)


def test_limits_and_patterns(widget: ResourceSchema) -> None:
    display_name = found(widget, "properties.displayName")
    assert (display_name.min_length, display_name.max_length) == (1, 64)
    assert display_name.pattern == "^[A-Za-z][A-Za-z0-9 -]*$"
    name = found(widget, "name")
    assert (name.min_length, name.max_length, name.pattern) == (3, 24, "^[a-z0-9]+$")
    retention = found(widget, "properties.retentionDays")
    assert (retention.kind, retention.min_value, retention.max_value) == ("int", 1, 365)
    assert (found(widget, "sku.capacity").min_value, found(widget, "sku.capacity").max_value) == (1, 10)


def test_arrays(widget: ResourceSchema) -> None:
    rules = found(widget, "properties.ipRules")
    assert (rules.kind, rules.min_length, rules.max_length) == ("array", 1, 10)
    assert rules.item is not None and (rules.item.kind, rules.item.object_name) == ("object", "IpRule")
    assert paths(widget.children("properties.ipRules")) == ["properties.ipRules.value", "properties.ipRules.action"]
    assert found(widget, "properties.ipRules.value").always_required is False
    zones = found(widget, "zones")
    assert zones.item is not None and zones.item.kind == "string"


def test_kinds_of_objects_maps_and_anything(widget: ResourceSchema) -> None:
    tags = found(widget, "tags")
    assert (tags.kind, tags.is_map) == ("object", True)
    assert found(widget, "properties.encryption").object_name == "Encryption"
    assert [found(widget, f"properties.{n}").kind for n in ("future", "nothing", "broken")] == ["any"] * 3


def test_a_self_referencing_type_is_walked_only_as_far_as_asked(widget: ResourceSchema) -> None:
    deep = found(widget, "properties.tree.children.children.parent.children.label")
    assert deep.kind == "string" and deep.required
    assert paths(widget.children("properties.tree")) == [
        "properties.tree.label",
        "properties.tree.children",
        "properties.tree.parent",
    ]


def test_lookups_by_path(widget: ResourceSchema) -> None:
    assert widget.at("properties.encryption.keyVaultProperties.keyIdentifier") is not None
    assert found(widget, "Properties.DisplayName").path == "properties.displayName"
    assert widget.at("properties.nowhere") is None
    assert widget.at("properties.displayName.deeper") is None
    assert widget.at("") is None
    assert widget.children("properties.nowhere") == ()
    assert found(widget, "sku.name").description == "Which plan."


def test_a_discriminated_object_offers_base_and_element_properties(widget: ResourceSchema) -> None:
    settings = {p.name: p for p in widget.children("properties.settings")}
    assert list(settings) == ["enabled", "mode", "schedule", "operator"]
    assert settings["mode"].enum == ("auto", "manual") and settings["mode"].closed_enum
    assert settings["mode"].required and not settings["mode"].conditional
    assert not settings["enabled"].conditional and not settings["schedule"].conditional
    operator = settings["operator"]
    assert operator.required and operator.conditional
    assert [(c.discriminator, c.values) for c in operator.conditions] == [("properties.settings.mode", ("manual",))]
    assert found(widget, "properties.settings.operator").conditions == operator.conditions


def test_a_discriminated_body(gadget: ResourceSchema) -> None:
    assert gadget.discriminator == "kind" and gadget.variants == ("Small", "Large")
    kind = found(gadget, "kind")
    assert (kind.enum, kind.always_required, kind.conditions) == (("Small", "Large"), True, ())
    crane = found(gadget, "crane")
    assert crane.required and not crane.always_required
    assert [c.values for c in crane.conditions] == [("Large",)]
    assert paths(gadget.flattened_properties) == ["name", "kind", "crane", "properties.size", "properties.weight"]
    assert not found(gadget, "properties.size").conditional
    weight = found(gadget, "properties.weight")
    assert weight.required and [(c.discriminator, c.values) for c in weight.conditions] == [("kind", ("Large",))]
    assert found(gadget, "properties").always_required


def test_fixed_names(graph: TypeGraph, widget: ResourceSchema) -> None:
    assert graph.resource("Contoso.Widgets/widgets/settings@2025-01-01").fixed_name == ("default",)
    assert graph.resource("Contoso.Widgets/widgets/rules@2025-01-01").fixed_name == ("add", "replace", "remove")
    assert widget.fixed_name == ()


def test_scopes(graph: TypeGraph, widget: ResourceSchema) -> None:
    assert widget.scopes == ("subscription", "resourceGroup")
    locks = graph.resource("Contoso.Widgets/locks@2025-01-01")
    assert locks.scopes == ("tenant", "managementGroup", "extension")
    usages = graph.resource("Contoso.Widgets/usages@2025-01-01")
    assert (usages.scopes, usages.readable_scopes) == ((), ("subscription",))
    assert graph.resource("Contoso.Widgets/widgets/rules@2025-01-01").readable_scopes == ()


def test_location_tags_and_identity(graph: TypeGraph, widget: ResourceSchema) -> None:
    assert widget.has_location and widget.has_tags and widget.has_identity
    assert widget.identity_kinds == ("system", "user", "both")
    settings = graph.resource("Contoso.Widgets/widgets/settings@2025-01-01")
    assert not (settings.has_location or settings.has_tags or settings.has_identity)
    assert settings.identity_kinds == ()


def test_identity_kind_spellings() -> None:
    assert identity_kind("SystemAssigned") == "system"
    assert identity_kind("UserAssigned") == "user"
    assert identity_kind("SystemAssigned,UserAssigned") == "both"
    assert identity_kind("SystemAssigned, UserAssigned") == "both"
    assert identity_kind("None") is None


def test_a_read_only_parent_makes_its_properties_read_only(graph: TypeGraph) -> None:
    usages = graph.resource("Contoso.Widgets/usages@2025-01-01")
    assert found(usages, "properties.count").read_only
    assert paths(usages.flattened_properties) == ["name"]


# versions

AVAILABLE = ["2021-01-01", "2023-05-01-preview", "2024-01-01", "2025-02-01-preview", "2025-06-01-Preview"]


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("2024-01-01", ("2024-01-01", True)),
        ("2025-06-01-preview", ("2025-06-01-Preview", True)),  # as `available` spells it
        ("2025-01-01", ("2024-01-01", False)),
        ("2026-01-01", ("2024-01-01", False)),  # a stable version is preferred to a newer preview
        ("2025-03-01-preview", ("2025-02-01-preview", False)),  # a preview takes the nearest of either kind
        ("2024-06-01-preview", ("2024-01-01", False)),
        ("2020-01-01", None),  # never a newer one
        ("latest", None),
    ],
)
def test_resolve_version(wanted: str, expected: tuple[str, bool] | None) -> None:
    assert resolve_version(AVAILABLE, wanted) == expected


def test_resolve_version_falls_back_to_a_preview_when_no_older_stable_exists() -> None:
    assert resolve_version(["2019-01-01-preview", "2027-01-01"], "2026-01-01") == ("2019-01-01-preview", False)


def test_on_one_date_a_preview_is_older_than_the_stable_version() -> None:
    assert resolve_version(["2025-01-01-preview"], "2025-01-01") == ("2025-01-01-preview", False)
    assert resolve_version(["2025-01-01", "not-a-version"], "2025-01-01-preview") is None
    assert resolve_version([], "2025-01-01") is None


# the real schemas (when the shared folder is there)


@cache
def real_graph(namespace_folder: str, version: str) -> TypeGraph:
    (path,) = SCHEMAS.glob(f"*/{namespace_folder}/{version}/types.json")
    return TypeGraph.from_nodes(json.loads(path.read_text(encoding="utf-8")))


@needs_schemas
def test_key_vault_vaults() -> None:
    vaults = real_graph("microsoft.keyvault", "2026-02-01").resource("Microsoft.KeyVault/vaults@2026-02-01")
    assert found(vaults, "properties.tenantId").always_required
    assert found(vaults, "properties.sku").always_required
    assert found(vaults, "properties.tenantId").pattern
    family, name = found(vaults, "properties.sku.family"), found(vaults, "properties.sku.name")
    assert family.kind == "enum" and "A" in family.enum
    assert name.closed_enum and name.enum == ("standard", "premium")
    assert vaults.has_location and vaults.has_tags
    assert vaults.scopes == ("resourceGroup",)
    assert all(not p.read_only for p in vaults.flattened_properties)


@needs_schemas
def test_key_vault_access_policies_have_fixed_names() -> None:
    graph = real_graph("microsoft.keyvault", "2026-02-01")
    policies = graph.resource("Microsoft.KeyVault/vaults/accessPolicies@2026-02-01")
    assert policies.fixed_name == ("add", "replace", "remove")


@needs_schemas
def test_storage_accounts() -> None:
    graph = real_graph("microsoft.storage", "2026-04-01")
    accounts = graph.resource("Microsoft.Storage/storageAccounts@2026-04-01")
    assert found(accounts, "sku").always_required and found(accounts, "kind").always_required
    assert accounts.identity_kinds == ("system", "user", "both")
    assert graph.resource("Microsoft.Storage/storageAccounts/blobServices@2026-04-01").fixed_name == ("default",)


@needs_schemas
def test_answering_for_one_type_of_a_large_file_is_fast() -> None:
    path = max(SCHEMA_FILES, key=lambda p: p.stat().st_size)
    nodes = json.loads(path.read_text(encoding="utf-8"))
    start = time.perf_counter()
    graph = TypeGraph.from_nodes(nodes)
    schema = graph.resource(graph.resource_names()[0])
    answer_everything(schema)
    assert time.perf_counter() - start < 0.5


def answer_everything(schema: ResourceSchema) -> None:
    assert schema.scopes is not None and schema.readable_scopes is not None
    for prop in schema.body_properties:
        for child in schema.children(prop.path):
            assert schema.at(child.path) is not None
    assert len(schema.writable_properties) + len(schema.read_only_properties) == len(schema.body_properties)
    for prop in schema.flattened_properties:
        assert prop.kind in ("string", "int", "bool", "object", "array", "any", "enum")
    assert isinstance(schema.fixed_name, tuple)
    assert isinstance(schema.identity_kinds, tuple)
    assert schema.has_location in (True, False) and schema.has_tags in (True, False)


@needs_schemas
@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: "/".join(p.parts[-4:-1]))
def test_every_resource_type_of_every_file_answers_every_question(path: Path) -> None:
    graph = TypeGraph.from_nodes(json.loads(path.read_text(encoding="utf-8")))
    assert graph.resource_names()
    for name in graph.resource_names():
        answer_everything(graph.resource(name))
