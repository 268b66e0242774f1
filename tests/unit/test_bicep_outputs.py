"""The outputs of a resource's own properties, over every catalog type and child (issue 12, item 6).

Each module is built as a model, not rendered: every such output reads a property that exists and is read-only in
the schema (or that `data/resource_outputs.yaml` says the service sets), with the Bicep type of its kind and
null-safe access to an optional object; names are unique and camelCase; the rule's exclusions hold; the names
real modules use come out where the table maps them.
"""

from __future__ import annotations

import re

import pytest

from generator.bicep.model import STANDARD_OUTPUTS, BicepModule
from generator.naming import split_words
from generator.property_outputs import output_rules
from tests.unit.test_bicep_schema_params import TYPES, modules_of, spec_of

CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
KINDS = {"string": "string", "int": "int", "bool": "bool", "object": "object"}


def own_outputs(m: BicepModule) -> dict[str, tuple[str, str, str]]:
    """Output name -> (type, value, description) of the outputs of the resource's own properties."""
    return {o.name: (o.type, o.value, o.description) for o in m.outputs if o.path is not None}


@pytest.mark.parametrize("full_type", TYPES)
def test_every_output_reads_a_read_only_property_of_the_schema(full_type: str) -> None:
    rules = output_rules()
    for m in modules_of(full_type):
        entries = rules["types"].get(m.schema.type_name, {})
        names = [o.name for o in m.outputs]
        assert len(names) == len(set(names)), f"{m.resource_ref}: an output name twice"
        for o in m.outputs:
            assert CAMEL.match(o.name), f"{m.resource_ref}: {o.name} is not camelCase"
            if o.path is None:
                continue
            prop = m.schema.at(o.path)
            assert prop is not None, f"{m.resource_ref}: {o.name} reads {o.path}, which the schema does not have"
            assert prop.read_only or entries.get(o.path, {}).get("server_set"), f"{m.resource_ref}: {o.path}"
            assert o.path.count(".") <= 1 and (o.path.startswith("properties.") or "." not in o.path)
            assert not prop.secret and not prop.conditional, f"{m.resource_ref}: {o.path}"
            words = {w.lower() for w in split_words(prop.name)}
            assert not words & set(rules["rule"]["excluded_words"]), f"{m.resource_ref}: {o.path}"
            optional = prop.kind == "object" and not prop.always_required
            parent, _, key = o.path.rpartition(".")
            assert o.value == f"{m.symbol}.{parent}.{'?' if optional else ''}{key}", o.value
            assert o.type == KINDS[prop.kind] + ("?" if optional else ""), o.type
            assert o.description.endswith(f" of the {m.lower_display}.") and o.description.startswith("The ")
            assert o.name not in STANDARD_OUTPUTS


def test_every_table_entry_has_a_reason_and_is_output_under_its_name() -> None:
    modules = {m.full_type: m for full_type in TYPES for m in modules_of(full_type)}
    for full_type, entries in output_rules()["types"].items():
        module = modules[full_type]
        by_path = {o.path: o.name for o in module.outputs if o.path is not None}
        for path, entry in entries.items():
            assert entry.get("reason"), f"{full_type} {path}: no reason"
            prop = module.schema.at(path)
            assert prop is not None, f"{full_type} {path}: not in the schema"
            # `server_set` is only for what the schema leaves writable: a stale entry says so here
            assert entry.get("server_set", False) == (not prop.read_only), f"{full_type} {path}"
            assert by_path.get(path) == entry.get("name", path.rpartition(".")[2]), f"{full_type} {path}"


@pytest.mark.parametrize(
    ("full_type", "expected"),
    [
        ("Microsoft.KeyVault/vaults", {"uri": ("string", "keyVault.properties.vaultUri", "The URI of the key vault.")}),
        (
            "Microsoft.Storage/storageAccounts",
            {
                "serviceEndpoints": (
                    "object?",
                    "storageAccount.properties.?primaryEndpoints",
                    "The service endpoints of the storage account.",
                ),
                "secondaryEndpoints": (
                    "object?",
                    "storageAccount.properties.?secondaryEndpoints",
                    "The secondary endpoints of the storage account.",
                ),
            },
        ),
        (
            "Microsoft.ContainerRegistry/registries",
            {
                "loginServer": (
                    "string",
                    "containerRegistry.properties.loginServer",
                    "The login server of the azure container registry (ACR).",
                )
            },
        ),
        (
            "Microsoft.OperationalInsights/workspaces",
            {
                "logAnalyticsWorkspaceId": (
                    "string",
                    "workspace.properties.customerId",
                    "The log analytics workspace ID of the log analytics workspace.",
                )
            },
        ),
    ],
)
def test_the_outputs_of_real_modules(full_type: str, expected: dict[str, tuple[str, str, str]]) -> None:
    assert own_outputs(modules_of(full_type)[0]) == expected


def test_children_follow_the_same_rule() -> None:
    by_type = {m.full_type: own_outputs(m) for m in modules_of("Microsoft.KeyVault/vaults")}
    assert set(by_type["Microsoft.KeyVault/vaults/secrets"]) == {"secretUri", "secretUriWithVersion"}
    assert set(by_type["Microsoft.KeyVault/vaults/keys"]) == {"keyUri", "keyUriWithVersion"}


def test_ids_that_are_not_standard_are_output_and_the_standard_ones_are_not_repeated() -> None:
    identity = own_outputs(modules_of("Microsoft.ManagedIdentity/userAssignedIdentities")[0])
    assert set(identity) == {"principalId", "clientId", "tenantId"}
    # Application Insights spells its IDs in PascalCase: outputs are camelCase, the access keeps the schema's case
    component = own_outputs(modules_of("Microsoft.Insights/components")[0])
    assert component["applicationId"][1] == "component.properties.AppId"
    assert component["tenantId"][1] == "component.properties.TenantId"


def test_a_type_without_schema_keeps_the_standard_outputs(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.bicep.model as model

    spec = spec_of("Microsoft.KeyVault/vaults")
    with_schema = [o.name for o in BicepModule(spec).outputs]
    monkeypatch.setattr(model, "schema_for", lambda spec, child=None: None)
    without = [o.name for o in BicepModule(spec).outputs]
    assert without == [n for n in with_schema if n != "uri"]
    assert all(o.path is None for o in BicepModule(spec).outputs)
