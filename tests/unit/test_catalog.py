from __future__ import annotations

import json
import re
import threading
from functools import partial
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path

import pytest
import yaml

from generator.catalog import Catalog, latest_stable, refresh
from generator.errors import EnvironmentProblemError, InvalidInputError
from generator.interfaces import INTERFACE_KEYS
from generator.paths import DATA_DIR
from tests.support.cli import SHARED_DATA

GUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
GENERIC_ROLES = {
    "Owner",
    "Contributor",
    "Reader",
    "User Access Administrator",
    "Role Based Access Control Administrator",
}
ENTRY_KEYS = {
    "display_name", "api_version", "location", "tags", "interfaces", "private_endpoint_group_ids",
    "private_endpoint_multi_service", "private_dns_zone", "identity", "roles", "children", "customer_managed_key",
    "extends",
}  # fmt: skip
ENTRIES = yaml.safe_load((DATA_DIR / "catalog.yaml").read_text())["resource_types"]


def test_catalog_size() -> None:
    assert len(ENTRIES) >= 40
    assert len({k.split("/")[0] for k in ENTRIES}) >= 15
    assert list(ENTRIES) == sorted(ENTRIES, key=str.lower)


@pytest.mark.parametrize("full_type", sorted(ENTRIES))
def test_entry_is_well_formed(full_type: str) -> None:
    entry = ENTRIES[full_type]
    assert set(entry) <= ENTRY_KEYS
    assert entry["display_name"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry["api_version"])
    assert set(entry["interfaces"]) <= set(INTERFACE_KEYS)
    assert ("identity" in entry) == ("managed-identities" in entry["interfaces"])
    assert ("customer_managed_key" in entry) == ("customer-managed-key" in entry["interfaces"])
    if "private_endpoint_group_ids" in entry or entry.get("private_endpoint_multi_service"):
        assert "private-endpoints" in entry["interfaces"]
    for role, guid in (entry.get("roles") or {}).items():
        assert GUID_RE.match(guid), role
        assert role not in GENERIC_ROLES
    children = list(entry.get("children") or {})
    for i, path in enumerate(children):
        parent = path.rpartition("/")[0]
        assert not parent or parent in children[:i], f"{path} listed before its parent"


@pytest.mark.skipif(not (SHARED_DATA / "apiSpecsList.json").exists(), reason="AVM API list not present")
def test_api_versions_are_the_latest_stable() -> None:
    api = {
        ns.lower(): {t.lower(): v for t, v in types.items()}
        for ns, types in json.loads((SHARED_DATA / "apiSpecsList.json").read_text()).items()
    }
    for full_type, entry in ENTRIES.items():
        namespace, type_ = full_type.split("/", 1)
        versions = api[namespace.lower()][type_.lower()]
        assert entry["api_version"] == latest_stable(versions), full_type
        for path, child in (entry.get("children") or {}).items():
            assert child["api_version"] == latest_stable(api[namespace.lower()][f"{type_}/{path}".lower()]), path


def test_facts_for_a_known_type_are_case_insensitive() -> None:
    facts = Catalog.load().facts("microsoft.keyvault", "VAULTS")
    assert (facts.namespace, facts.resource_type, facts.known) == ("Microsoft.KeyVault", "vaults", True)
    assert facts.private_endpoint_group_ids[0] == "vault"
    assert {c.type_path for c in facts.children} >= {"secrets", "keys"}


def test_unknown_type_offers_every_interface_but_the_customer_managed_key() -> None:
    """Where its body takes a key is known for the catalog's types only."""
    facts = Catalog.load().facts("Contoso.Widgets", "gadgets")
    assert facts.known is False
    assert facts.interfaces == tuple(k for k in INTERFACE_KEYS if k != "customer-managed-key")
    assert facts.api_version is None


def serve(directory: Path):
    server = HTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


API_LIST = {
    "Contoso.Widgets": {"gadgets": ["2024-01-01", "2025-06-01-preview"], "gadgets/parts": ["2024-01-01"]},
    "Microsoft.KeyVault": {"vaults": ["2099-01-01", "2100-01-01-preview"], "vaults/secrets": ["2099-01-01"]},
}


def test_refresh_from_a_file_extends_types_and_versions(tmp_path: Path) -> None:
    source = tmp_path / "apiSpecsList.json"
    source.write_text(json.dumps(API_LIST))
    result = refresh(str(source))
    assert (result.namespaces, result.types, result.newer_api_versions) == (2, 4, 1)
    catalog = Catalog.load()
    assert "gadgets" in catalog.types("Contoso.Widgets")
    gadgets = catalog.facts("contoso.widgets", "gadgets")
    assert gadgets.api_version == "2024-01-01"
    assert [(c.type_path, c.api_version) for c in gadgets.children] == [("parts", "2024-01-01")]
    assert catalog.facts("Microsoft.KeyVault", "vaults").api_version == "2099-01-01"
    assert catalog.child_facts("Microsoft.KeyVault", "vaults", "secrets").api_version == "2099-01-01"


def test_refresh_from_a_url(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text(json.dumps(API_LIST))
    server = serve(tmp_path)
    try:
        result = refresh(f"http://127.0.0.1:{server.server_port}/list.json")
    finally:
        server.shutdown()
    assert result.types == 4


def test_refresh_rejects_a_malformed_list(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"Microsoft.KeyVault": ["vaults"]}))
    with pytest.raises(InvalidInputError, match="--from"):
        refresh(str(bad))
    bad.write_text("not json")
    with pytest.raises(InvalidInputError, match="--from"):
        refresh(str(bad))


def test_refresh_reports_an_unreachable_url() -> None:
    with pytest.raises(EnvironmentProblemError, match="--from"):
        refresh("http://127.0.0.1:9/apiSpecsList.json")
