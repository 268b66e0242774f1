"""The catalog defers to the schema: every fact of `data/catalog.yaml` that a shipped schema also states (location,
tags, identity kinds, child types at their API versions, scopes) agrees with it, and `Catalog.facts` takes those
facts from the schema."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from generator import catalog
from generator.azure_types import bundle
from generator.azure_types.schema import ResourceSchema, TypeGraph
from generator.catalog import IDENTITY_KINDS, Catalog, CustomerManagedKey, schema_facts, writable
from generator.paths import DATA_DIR

ENTRIES: dict[str, dict[str, Any]] = yaml.safe_load((DATA_DIR / "catalog.yaml").read_text())["resource_types"]
SHIPPED = bundle.shipped()
CHILDREN = [(full, path) for full, entry in ENTRIES.items() for path in entry.get("children") or {}]


def bundled(full_type: str, api_version: str) -> ResourceSchema:
    """The shipped schema of a type at its pinned version; a substitute only where the bundle records one."""
    assert SHIPPED is not None, "the package ships no schema bundle"
    found = SHIPPED.find(full_type, api_version)
    assert found is not None, f"no shipped schema for {full_type}@{api_version}"
    location, nodes = found
    assert location.name.rpartition("@")[0] == full_type, f"the schema spells it {location.name}"
    if not location.exact:
        assert SHIPPED.substitutes[f"{full_type}@{api_version}"] == location.name
    return TypeGraph.from_nodes(nodes).resource(location.name)


def identity_kinds(schema: ResourceSchema) -> set[str]:
    kinds = set(schema.identity_kinds) if writable(schema, "identity") else set()
    return {kind for kind in IDENTITY_KINDS if kind in kinds or "both" in kinds}


@pytest.mark.parametrize("full_type", sorted(ENTRIES))
def test_type_facts_agree_with_the_schema(full_type: str) -> None:
    entry = ENTRIES[full_type]
    schema = bundled(full_type, entry["api_version"])
    location = entry.get("location", True)
    assert location in (True, False, "global")
    assert (location is not False) == writable(schema, "location"), "location"
    assert bool(entry.get("tags", True)) == writable(schema, "tags"), "tags"
    assert set(entry.get("identity") or ()) == identity_kinds(schema), "identity kinds"
    assert schema.scopes, "the schema records where the type deploys"


@pytest.mark.parametrize(("full_type", "path"), CHILDREN, ids=[f"{t}/{p}" for t, p in CHILDREN])
def test_child_types_exist_in_the_schemas_with_their_tags(full_type: str, path: str) -> None:
    child = ENTRIES[full_type]["children"][path]
    schema = bundled(f"{full_type}/{path}", child["api_version"])
    assert bool(child.get("tags")) == writable(schema, "tags"), "tags"
    assert schema.scopes


def test_the_substitutes_are_pins_newer_than_the_bundled_schemas() -> None:
    """A pinned version the bundle's bicep-types-az revision does not have yet stands for its nearest older one."""
    assert SHIPPED is not None
    assert not SHIPPED.missing
    for wanted, used in SHIPPED.substitutes.items():
        (wanted_type, wanted_version), (used_type, used_version) = wanted.split("@"), used.split("@")
        assert wanted_type == used_type and used_version < wanted_version


def test_facts_come_from_the_schema_where_it_states_them() -> None:
    wrong = copy.deepcopy(ENTRIES)
    vaults, hubs = wrong["Microsoft.KeyVault/vaults"], wrong["Microsoft.EventHub/namespaces"]
    vaults["tags"], vaults["children"]["secrets"]["tags"] = False, False
    hubs["identity"] = ["user"]
    catalog = Catalog(wrong, None, schema_facts(wrong))
    facts = catalog.facts("Microsoft.KeyVault", "vaults")
    assert facts.tags and next(c for c in facts.children if c.type_path == "secrets").tags
    assert (facts.scopes, facts.schema) == (("resourceGroup",), "Microsoft.KeyVault/vaults@2026-02-01")
    assert catalog.facts("Microsoft.EventHub", "namespaces").identity == ("system", "user")
    # without schemas the catalog's own facts stand
    assert not Catalog(wrong).facts("Microsoft.KeyVault", "vaults").tags


def test_a_global_location_is_the_catalogs_to_know() -> None:
    """The schema has a `location` for private DNS zones; only AVM knows it is always 'global'."""
    facts = Catalog.load().facts("Microsoft.Network", "privateDnsZones")
    assert (facts.location, facts.global_location) == (False, True)
    regional = Catalog.load().facts("Microsoft.KeyVault", "vaults")
    assert (regional.location, regional.global_location) == (True, False)


def test_child_facts_record_a_writable_location() -> None:
    children = {c.type_path: c for c in Catalog.load().facts("Microsoft.Sql", "servers").children}
    assert children["databases"].location and not children["firewallRules"].location


def test_the_catalog_names_the_shipped_bundle() -> None:
    assert catalog.SCHEMA_BUNDLE == bundle.SHIPPED_FILE


def test_schema_facts_are_cached_with_the_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundle is parsed once, when the catalog or the bundle changed; later processes read the cache."""
    Catalog.load()
    monkeypatch.setattr("generator.catalog.schema_facts", lambda entries: pytest.fail("schemas parsed again"))
    assert Catalog.load().facts("Microsoft.KeyVault", "vaults").schema == "Microsoft.KeyVault/vaults@2026-02-01"


CMK_TYPES = sorted(t for t, e in ENTRIES.items() if "customer-managed-key" in (e.get("interfaces") or ()))


def test_a_customer_managed_key_is_offered_exactly_where_the_catalog_names_its_paths() -> None:
    named = sorted(t for t, e in ENTRIES.items() if e.get("customer_managed_key"))
    assert named == CMK_TYPES


@pytest.mark.parametrize("full_type", CMK_TYPES)
def test_customer_managed_key_paths_exist_in_the_schema(full_type: str) -> None:
    """Every path the catalog names is a writable property of the type's schema, of the kind its value needs."""
    entry = ENTRIES[full_type]
    cmk = CustomerManagedKey.from_entry(entry["customer_managed_key"])
    schema = bundled(full_type, entry["api_version"])
    for path in cmk.paths:
        found = schema.at(path)
        assert found is not None, f"{path}: not in {schema.name}"
        assert not found.read_only, f"{path}: read-only"
    for path, value in cmk.constants:
        found = schema.at(path)
        assert found.kind in ("string", "enum") and (not found.closed_enum or value in found.enum), path
    strings = (cmk.key_vault_uri, cmk.key_name, cmk.key_version, cmk.key_uri, cmk.key_vault_id, cmk.identity)
    for path in filter(None, strings):
        assert schema.at(path).kind in ("string", "any"), path
    if cmk.system_identity:
        assert schema.at(cmk.system_identity).kind in ("bool", "any")
    if cmk.identity:  # the key is read with a user-assigned identity the resource can hold
        assert "user" in identity_kinds(schema)


def test_the_catalog_facts_carry_the_customer_managed_key() -> None:
    facts = Catalog.load().facts("Microsoft.Storage", "storageAccounts")
    assert facts.customer_managed_key is not None
    assert facts.customer_managed_key.key_vault_uri == "properties.encryption.keyvaultproperties.keyvaulturi"
    assert catalog.customer_managed_key("microsoft.storage/storageaccounts") == facts.customer_managed_key
    assert Catalog.load().facts("Microsoft.KeyVault", "vaults").customer_managed_key is None
    assert "customer-managed-key" not in Catalog.load().facts("Contoso.Widgets", "widgets").interfaces
