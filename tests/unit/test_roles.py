"""Azure's built-in roles of each resource type (`generator.roles`) and the role maps built from them."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator import roles
from generator.bicep.model import BicepModule
from generator.catalog import Catalog
from generator.errors import InvalidInputError
from generator.interfaces import MANDATORY_ROLES
from generator.paths import DATA_DIR
from generator.roles import RoleDefinition, builtin_roles, read_definitions, roles_by_type
from tests.unit.test_bicep_readme import storage_spec

GUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CATALOG = yaml.safe_load((DATA_DIR / "catalog.yaml").read_text())["resource_types"]
# Catalog types Azure publishes no built-in role for: they keep the catalog's `roles:`. Role assignments are written
# by roles over all of Microsoft.Authorization (`Microsoft.Authorization/*`), none of the type itself.
# Role actions name a resource group as Microsoft.Resources/subscriptions/resourceGroups: no role is of the type itself.
WITHOUT_BUILTIN_ROLES = {
    "Microsoft.Authorization/roleAssignments",
    "Microsoft.Resources/resourceGroups",
    "Microsoft.Synapse/workspaces",
}
STORAGE_ROLES = {
    "Storage Account Contributor": "17d1049b-9a84-46fb-8f53-869881c3d3ab",
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Storage Blob Data Owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
    "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    "Storage Blob Delegator": "db58b8e5-c6ad-4a2a-8342-4190687cbf4a",
    "Storage File Data Privileged Contributor": "69566ab7-960f-475b-8e7c-b3118f30c6bd",
    "Storage File Data SMB Share Contributor": "0c867c2a-1d8c-454a-a3db-ab2ea1bdc8bb",
    "Storage File Data SMB Share Elevated Contributor": "a7264617-510b-434b-a828-9731dc254ea7",
    "Storage File Data SMB Share Reader": "aba4ae5f-2193-4029-9191-0cb91df5e314",
    "Storage Queue Data Contributor": "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
    "Storage Queue Data Message Processor": "8a0f0c08-91a1-4084-bc3d-661d67233fed",
    "Storage Queue Data Message Sender": "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a",
    "Storage Queue Data Reader": "19e7f393-937e-4f77-808e-94535e297925",
    "Storage Table Data Contributor": "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
    "Storage Table Data Reader": "76199698-9eea-4c19-bc75-cec21354c6b6",
    "Reader and Data Access": "c12c1c16-33a1-487b-954d-41c89c60f349",
}
LIKE_BICEP_FORMAT = re.compile(
    r"^(?:\w+|'[^']+'): subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', '[0-9a-f-]{36}'\)$"
    r"|^(?:\w+|'[^']+'): subscriptionResourceId\(\n    'Microsoft\.Authorization/roleDefinitions',\n"
    r"    '[0-9a-f-]{36}'\n  \)$"
)


def shipped() -> dict:
    return json.loads(gzip.decompress((DATA_DIR / "builtin_roles.json.gz").read_bytes()))


# ---- the shipped data


def test_the_shipped_data_holds_every_catalog_type_azure_has_roles_for() -> None:
    types = {t.lower() for t in shipped()["types"]}
    missing = {t for t in CATALOG if t.lower() not in types}
    assert missing == WITHOUT_BUILTIN_ROLES


def test_the_shipped_data_is_names_and_guids_sorted_without_the_mandatory_roles() -> None:
    data = shipped()
    assert data["format"] == roles.FORMAT and data["roles"] > 500
    assert list(data["types"]) == sorted(data["types"], key=str.lower)
    for full_type, found in data["types"].items():
        assert list(found) == sorted(found), full_type
        assert not set(found) & set(MANDATORY_ROLES), full_type
        assert all(GUID_RE.match(guid) for guid in found.values()), full_type
        assert not any(name.endswith("(Deprecated)") for name in found), full_type


def test_a_storage_account_offers_its_real_roles_and_more_than_fifteen() -> None:
    found = dict(builtin_roles("Microsoft.Storage", "storageAccounts"))
    assert found.items() >= STORAGE_ROLES.items()
    assert len(found) + len(MANDATORY_ROLES) > 15


def test_cognitive_services_offers_the_openai_roles() -> None:
    found = dict(builtin_roles("microsoft.cognitiveservices", "ACCOUNTS"))
    assert found["Cognitive Services OpenAI User"] == "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
    assert found["Cognitive Services OpenAI Contributor"] == "a001fd3d-188f-4b5d-821b-7da978bf7442"


def test_roles_of_other_services_that_only_use_a_type_stay_out() -> None:
    vnet = dict(builtin_roles("Microsoft.Network", "virtualNetworks"))
    assert "Network Contributor" in vnet
    assert "Virtual Machine Contributor" not in vnet  # it joins subnets, it does not manage networks
    vault = dict(builtin_roles("Microsoft.KeyVault", "vaults"))
    assert "Key Vault Secrets User" in vault and "Azure Migrate Owner" not in vault  # a scenario's role


def test_a_type_has_no_roles_of_its_children_or_its_parent() -> None:
    assert builtin_roles("Microsoft.Storage", "storageAccounts/blobServices") is None
    assert builtin_roles("Contoso.Widgets", "gadgets") is None


# ---- the catalog and the role maps


def test_catalog_types_take_the_shipped_roles_and_the_catalog_roles_only_without() -> None:
    catalog = Catalog.load()
    storage = dict(catalog.facts("Microsoft.Storage", "storageAccounts").roles)
    assert storage == dict(builtin_roles("Microsoft.Storage", "storageAccounts"))
    synapse = catalog.facts("Microsoft.Synapse", "workspaces").roles
    assert dict(synapse) == CATALOG["Microsoft.Synapse/workspaces"]["roles"]


def test_a_type_outside_the_catalog_takes_its_shipped_roles() -> None:
    facts = Catalog.load().facts("Microsoft.EventGrid", "domains")
    assert not facts.known
    assert "EventGrid Data Sender" in dict(facts.roles)


def test_the_bicep_role_map_has_every_role_uncapped_sorted_and_formatted() -> None:
    spec = replace(
        storage_spec(), interfaces=("role-assignments",), roles=builtin_roles("Microsoft.Storage", "storageAccounts")
    )
    module = BicepModule(spec)
    names = [name for name, _ in module.roles]
    assert names == sorted(names, key=str.lower)
    assert set(names) == set(MANDATORY_ROLES) | {name for name, _ in spec.roles}
    assert len(names) > 15
    for entry in module.role_entries:
        assert LIKE_BICEP_FORMAT.match(entry), entry
        assert all(len(line) + 2 <= 120 for line in entry.splitlines()), entry


# ---- the rule and the build


def role(name: str, actions: tuple[str, ...] = (), data: tuple[str, ...] = ()) -> RoleDefinition:
    return RoleDefinition(name, f"00000000-0000-0000-0000-{len(name):012d}", actions, data)


TYPES = {"Contoso.Things": ["gadgets", "widgets"], "Contoso.Net": ["networks"]}


def test_the_rule() -> None:
    found = roles_by_type(
        [
            role("Gadget Contributor", ("Contoso.Things/gadgets/*", "Contoso.Net/networks/subnets/join/action")),
            role("Gadget Reader", ("Contoso.Things/gadgets/read", "Microsoft.Resources/deployments/*")),
            role("Things Data Sender", ("Contoso.Things/widgets/read",), ("Contoso.Things/events/send/action",)),
            role("Things Contributor", ("Contoso.Things/*",)),
            role("Owner", ("*",)),
            role("Old Gadget Role (Deprecated)", ("Contoso.Things/gadgets/*",)),
        ],
        TYPES,
    )
    assert {t: list(r) for t, r in found.items()} == {
        "Contoso.Things/gadgets": ["Gadget Contributor", "Gadget Reader", "Things Contributor"],
        "Contoso.Things/widgets": ["Things Contributor", "Things Data Sender"],
    }


def definition(name: str, guid: str, actions: list[str]) -> dict:
    return {
        "name": guid,
        "roleName": name,
        "roleType": "BuiltInRole",
        "permissions": [{"actions": actions, "dataActions": [], "notActions": []}],
    }


def test_definitions_are_read_from_a_list_a_rest_answer_or_a_folder(tmp_path: Path) -> None:
    first = definition("Gadget Contributor", "11111111-1111-1111-1111-111111111111", ["Contoso.Things/gadgets/*"])
    second = definition("Widget Reader", "22222222-2222-2222-2222-222222222222", ["Contoso.Things/widgets/read"])
    custom = {**definition("Mine", "33333333-3333-3333-3333-333333333333", ["*"]), "roleType": "CustomRole"}
    (tmp_path / "list.json").write_text(json.dumps([first, second, custom]))
    rest = [{"id": f"/x/{d['name']}", "name": d["name"], "properties": d} for d in (first, second, custom)]
    (tmp_path / "rest.json").write_text(json.dumps({"value": rest}))
    folder = tmp_path / "folder"
    folder.mkdir()
    for d in (first, second, custom):
        (folder / f"{d['roleName']}.json").write_text(json.dumps(d))
    read = [read_definitions(p) for p in (tmp_path / "list.json", tmp_path / "rest.json", folder)]
    assert read[0] == read[1] == read[2]
    assert [r.name for r in read[0]] == ["Gadget Contributor", "Widget Reader"]


@pytest.mark.parametrize("content", ["not json", "[]", '[{"roleType": "BuiltInRole"}]'])
def test_bad_definitions_are_one_error_naming_from(tmp_path: Path, content: str) -> None:
    source = tmp_path / "roles.json"
    source.write_text(content)
    with pytest.raises(InvalidInputError) as caught:
        read_definitions(source)
    assert caught.value.lines()[0].startswith("--from")


def test_the_build_is_reproducible(tmp_path: Path) -> None:
    source = tmp_path / "roles.json"
    source.write_text(
        json.dumps(
            [definition("Vault Helper", "44444444-4444-4444-4444-444444444444", ["Microsoft.KeyVault/vaults/*"])]
        )
    )
    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    assert roles.main(["build", "--from", str(source), "--to", str(first)]) == 0
    assert roles.main(["build", "--from", str(source), "--to", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(gzip.decompress(first.read_bytes()))["types"] == {
        "Microsoft.KeyVault/vaults": {"Vault Helper": "44444444-4444-4444-4444-444444444444"}
    }
