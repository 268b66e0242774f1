"""The API-versions list: shipped in the package (every Azure type offline), refreshed into the user cache."""

from __future__ import annotations

import gzip
import json
import threading
from functools import partial
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path

import pytest
import yaml

from generator import api_versions
from generator.api_versions import ApiVersions, compact, read_compact, shipped
from generator.catalog import Catalog, refresh
from generator.errors import InvalidInputError
from generator.paths import DATA_DIR
from tests.support.cli import API_LIST_FIXTURE, SHARED_DATA

CATALOG = yaml.safe_load((DATA_DIR / "catalog.yaml").read_text())["resource_types"]


def test_compact_form_splits_stable_and_preview_newest_first() -> None:
    data = compact(
        {"Contoso.Widgets": {"gadgets": ["2024-01-01", "2025-06-01-preview", "2025-01-01", "2023-01-01-rc"]}}
    )
    assert data == {
        "Contoso.Widgets": {"gadgets": [["2025-01-01", "2024-01-01"], ["2025-06-01-preview", "2023-01-01-rc"]]}
    }


def test_compact_form_respells_lower_case_types_only() -> None:
    spellings = {"contoso.widgets/gadgetparts": "gadgetParts", "contoso.widgets/bolts": "BOLTS"}
    data = compact({"Contoso.Widgets": {"gadgetparts": ["2024-01-01"], "bolts": ["2024-01-01"]}}, spellings)
    assert set(data["Contoso.Widgets"]) == {"gadgetParts", "BOLTS"}
    kept = compact({"Contoso.Widgets": {"Bolts": ["2024-01-01"]}}, spellings)
    assert set(kept["Contoso.Widgets"]) == {"Bolts"}  # a spelling with capitals is the list's own


def test_shipped_list_knows_every_type_offline() -> None:
    listed = shipped()
    assert len(listed) > 5000
    assert len(listed.namespaces()) > 300
    domain = listed.versions("microsoft.aad", "DOMAINSERVICES")
    assert domain is not None and domain.type_path == "domainServices" and domain.stable
    assert "domainServices" in listed.types("Microsoft.AAD")
    assert "operations" not in listed.types("Microsoft.AAD") and "locations" not in listed.types("Microsoft.AAD")


def test_shipped_list_is_compact_and_reproducible() -> None:
    raw = api_versions.SHIPPED_FILE.read_bytes()
    assert raw[:2] == b"\x1f\x8b" and len(raw) < 200_000
    document = json.loads(gzip.decompress(raw))
    assert document["format"] == api_versions.FORMAT and document["source"] == api_versions.OFFICIAL_URL
    assert raw[4:8] == b"\0\0\0\0"  # no time stamp


def test_shipped_list_spells_types_as_the_module_index_does() -> None:
    # The official list spells this type in lower case; the index (and the build) in camelCase.
    interfaces = shipped().versions("Microsoft.AzureStackHCI", "networkinterfaces")
    assert interfaces is not None and interfaces.type_path == "networkInterfaces"


@pytest.mark.parametrize("full_type", sorted(CATALOG))
def test_catalog_versions_are_the_newest_stable_of_the_shipped_list(full_type: str) -> None:
    namespace, resource_type = full_type.split("/", 1)
    entry = CATALOG[full_type]
    listed = shipped().versions(namespace, resource_type)
    assert listed is not None and entry["api_version"] == listed.stable[0]
    for path, child in (entry.get("children") or {}).items():
        child_listed = shipped().versions(namespace, f"{resource_type}/{path}")
        assert child_listed is not None and child["api_version"] == child_listed.stable[0], path


@pytest.mark.skipif(
    not (SHARED_DATA / "apiSpecsList.json").exists(), reason="the official list is not beside the project"
)
def test_shipped_list_holds_every_type_and_version_of_the_official_one() -> None:
    official = json.loads((SHARED_DATA / "apiSpecsList.json").read_text(encoding="utf-8"))
    listed = shipped()
    for namespace, types in official.items():
        for type_path, versions in types.items():
            found = listed.versions(namespace, type_path)
            assert found is not None, f"{namespace}/{type_path}"
            assert sorted(found.stable + found.preview) == sorted({v.lower() for v in versions})


def test_catalog_takes_types_outside_it_from_the_shipped_list() -> None:
    catalog = Catalog.load()
    facts = catalog.facts("Microsoft.AAD", "domainservices")
    assert (facts.resource_type, facts.known, facts.listed) == ("domainServices", False, True)
    assert facts.api_version == shipped().versions("Microsoft.AAD", "domainServices").stable[0]
    assert "Microsoft.AAD" in catalog.namespaces()
    assert "domainServices" in catalog.types("microsoft.aad")
    assert catalog.canonical_namespace("MICROSOFT.AAD") == "Microsoft.AAD"


def test_a_type_with_previews_only_gets_the_newest_preview() -> None:
    catalog = Catalog(
        {}, ApiVersions(compact({"Contoso.Widgets": {"gadgets": ["2025-01-01-preview", "2025-06-01-preview"]}}))
    )
    assert catalog.facts("Contoso.Widgets", "gadgets").api_version == "2025-06-01-preview"
    assert catalog.latest_stable("Contoso.Widgets", "gadgets") is None


def test_a_camel_case_spelling_wins_over_a_lower_case_list() -> None:
    catalog = Catalog({}, ApiVersions(compact({"Contoso.Widgets": {"gadgetparts": ["2025-01-01"]}})))
    assert catalog.facts("Contoso.Widgets", "gadgetParts").resource_type == "gadgetParts"
    assert catalog.facts("Contoso.Widgets", "GADGETPARTS").resource_type == "gadgetparts"


def serve(directory: Path) -> HTTPServer:
    server = HTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_refresh_without_a_source_reads_the_official_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "apiSpecsList.json").write_bytes(API_LIST_FIXTURE.read_bytes())
    server = serve(tmp_path)
    try:
        url = f"http://127.0.0.1:{server.server_port}/apiSpecsList.json"
        monkeypatch.setattr(api_versions, "OFFICIAL_URL", url)
        result = refresh()
    finally:
        server.shutdown()
    assert result.source == url and result.types == sum(
        len(t) for t in json.loads(API_LIST_FIXTURE.read_text()).values()
    )
    assert api_versions.refreshed() is not None


def test_refresh_keeps_the_canonical_spelling_of_lower_case_types() -> None:
    refresh(str(API_LIST_FIXTURE))  # spells Microsoft.AzureStackHCI/networkinterfaces in lower case
    stored = read_compact(api_versions.cached_path())
    assert "networkInterfaces" in stored["Microsoft.AzureStackHCI"]
    facts = Catalog.load().facts("Microsoft.AzureStackHCI", "networkInterfaces")
    assert facts.resource_type == "networkInterfaces"


def test_refreshed_list_replaces_the_shipped_one() -> None:
    refresh(str(API_LIST_FIXTURE))
    catalog = Catalog.load()
    assert catalog.namespaces() != sorted(shipped().namespaces(), key=str.lower)
    assert "Anyscale.Platform" in catalog.namespaces()


def test_a_list_refreshed_by_avm_0_1_is_still_read() -> None:
    legacy = api_versions.cache_dir() / "catalog" / "apiSpecsList.json"
    legacy.parent.mkdir(parents=True)
    legacy.write_text(json.dumps({"Contoso.Widgets": {"gadgets": ["2024-01-01"]}}))
    assert Catalog.load().facts("Contoso.Widgets", "gadgets").api_version == "2024-01-01"


def test_refresh_from_a_missing_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="--from"):
        refresh(str(tmp_path / "missing.json"))


def test_every_type_of_the_shipped_list_makes_a_module_spec_offline() -> None:
    import re

    from generator.index import ModuleIndex
    from generator.spec import SpecContext, build_spec, valid_api_version

    catalog, index, listed = Catalog.load(), ModuleIndex(), shipped()
    bicep_path = re.compile(r"^avm/res/[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$")
    count = 0
    for namespace in listed.namespaces():
        for resource_type in listed.types(namespace):
            raw = {"module_class": "resource", "provider_namespace": namespace, "resource_type": resource_type}
            for language in ("bicep", "terraform"):
                spec = build_spec({**raw, "language": language, "interfaces": "none"}, SpecContext(catalog, index))
                assert valid_api_version(spec.api_version), f"{namespace}/{resource_type}"
                assert bicep_path.match(spec.names.bicep_path), spec.names.bicep_path
                assert re.fullmatch(r"avm-res-[a-z0-9]+-[a-z0-9]+", spec.names.terraform_module), spec.names
            count += 1
    assert count > 1500
