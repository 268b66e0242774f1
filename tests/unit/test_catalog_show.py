"""`avm catalog show TYPE`: the model, its text and JSON, and the command in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.commands.catalog_show import TypeReport, build, render_text
from generator.errors import InvalidInputError
from tests.support.cli import run_avm


@pytest.fixture
def key_vault() -> TypeReport:
    return build("Microsoft.KeyVault/vaults")


def field_error(excinfo: pytest.ExceptionInfo[InvalidInputError]) -> tuple[str, str]:
    (error,) = excinfo.value.errors
    return error.field, error.message


def test_key_vault_facts(key_vault: TypeReport) -> None:
    assert (key_vault.type, key_vault.listed_in) == ("Microsoft.KeyVault/vaults", "catalog")
    assert (key_vault.api_version, key_vault.api_version_source) == ("2026-02-01", "catalog pin")
    view = key_vault.catalog
    assert (view.display_name, view.location, view.tags) == ("Key Vault", True, True)
    assert view.private_endpoint_group_ids == ("vault",) and "private-endpoints" in view.interfaces
    assert dict(view.roles)["Key Vault Secrets User"] == "4633458b-17de-408a-b874-0445c86b69e6"
    assert {c.type_path: c.api_version for c in view.children}["secrets"] == "2026-02-01"


def test_key_vault_schema(key_vault: TypeReport) -> None:
    schema = key_vault.schema
    assert schema is not None
    assert (schema.type, schema.exact, schema.source) == ("Microsoft.KeyVault/vaults@2026-02-01", True, "bundle")
    assert schema.revision and schema.scopes == ("resourceGroup",) and schema.fixed_name == ()
    rows = {p.path: p for p in schema.properties}
    tenant = rows["properties.tenantId"]
    assert tenant.required and tenant.type == "string" and tenant.pattern and "length 36..36" in tenant.flags
    assert rows["properties.sku"].required and rows["properties.sku"].type == "object (Sku)"
    assert rows["properties.accessPolicies"].type.startswith("array<object")
    assert rows["properties.createMode"].enum == ("recover", "default")
    assert not rows["tags"].required and rows["tags"].type == "map"
    read_only = {p.path for p in schema.read_only_properties}
    assert "properties.hsmPoolResourceId" in read_only and "id" in read_only
    assert not read_only & set(rows) and "apiVersion" not in read_only


def test_a_child_type_case_insensitive_in_canonical_spelling() -> None:
    report = build("microsoft.keyvault/VAULTS/Secrets")
    assert (report.type, report.type_path) == ("Microsoft.KeyVault/vaults/secrets", "vaults/secrets")
    assert report.catalog.parent == "Microsoft.KeyVault/vaults" and report.catalog.location is None
    assert report.schema is not None and report.schema.location == "read-only"
    assert any(p.path == "properties.value" for p in report.schema.properties)


def test_fixed_names_and_nested_children() -> None:
    report = build("Microsoft.Storage/storageAccounts/blobServices")
    assert report.schema is not None and report.schema.fixed_name == ("default",)
    assert "containers" in {c.type_path for c in report.catalog.children}


def test_a_global_location() -> None:
    assert build("Microsoft.Network/privateDnsZones").catalog.location == "global"


def test_the_nearest_older_schema_is_said() -> None:
    report = build("Microsoft.Web/sites", allow_download=False)
    assert report.schema is not None and not report.schema.exact
    assert (report.api_version, report.schema.api_version) == ("2026-07-15", "2025-03-01")
    assert "nearest older than 2026-07-15" in render_text(report)


def test_no_schema_keeps_the_catalog_facts() -> None:
    report = build("Microsoft.Compute/galleries", allow_download=False)
    assert (report.listed_in, report.schema) == ("API-versions list", None)
    assert report.api_version_source == "shipped API-versions list"
    text = render_text(report)
    assert "Schema: none found for Microsoft.Compute/galleries@" in text and "Children" in text


def test_an_api_version_given() -> None:
    report = build("Microsoft.KeyVault/vaults", api_version="2026-03-01")
    assert (report.api_version, report.api_version_source) == ("2026-03-01", "--api-version")
    assert report.schema is not None and report.schema.api_version == "2026-02-01"
    with pytest.raises(InvalidInputError) as excinfo:
        build("Microsoft.KeyVault/vaults", api_version="2026-13-01")
    assert field_error(excinfo)[0] == "--api-version"


@pytest.mark.parametrize(
    ("given", "closest"),
    [
        ("Microsoft.KeyVault/vault", "Microsoft.KeyVault/vaults"),
        ("Microsoft.KeyValt/vaults", "Microsoft.KeyVault/vaults"),
        ("Microsoft.KeyVault/vaults/secret", "Microsoft.KeyVault/vaults/secrets"),
    ],
)
def test_an_unknown_type_names_the_closest(given: str, closest: str) -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        build(given, allow_download=False)
    field, message = field_error(excinfo)
    assert field == "TYPE" and message.startswith("unknown resource type") and closest in message


def test_a_type_without_a_namespace() -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        build("vaults")
    assert field_error(excinfo) == (
        "TYPE",
        "expected Namespace/type[/child], e.g. Microsoft.KeyVault/vaults; got 'vaults'",
    )


def test_text_has_aligned_columns(key_vault: TypeReport) -> None:
    lines = render_text(key_vault).splitlines()
    assert lines[0] == "Microsoft.KeyVault/vaults (Key Vault)"
    for title in ("Catalog", "Roles (13)", "Children (3)", "Schema", "Properties (18)", "Read-only properties"):
        assert any(line.startswith(title) for line in lines), title
    header = next(i for i, line in enumerate(lines) if line.split() == ["PATH", "TYPE", "FLAGS"])
    column = lines[header].index("TYPE")
    body = lines[header + 1 : lines.index("", header)]
    assert all(line[column - 2 : column] == "  " and line[column] != " " for line in body)
    assert any(line.split()[:2] == ["properties.tenantId", "string"] for line in body)


def test_json_is_one_object(key_vault: TypeReport) -> None:
    data = json.loads(json.dumps(key_vault.to_json()))
    assert data["type"] == "Microsoft.KeyVault/vaults"
    assert {"name": "Key Vault Reader", "id": "21090545-7ca7-4776-b22c-e363652d74d2"} in data["catalog"]["roles"]
    assert data["schema"]["type"] == "Microsoft.KeyVault/vaults@2026-02-01"


# The command: each with a cache of its own (a shared one may hold a refreshed list of a few types)


def test_cli_text(tmp_path: Path) -> None:
    result = run_avm("catalog", "show", "microsoft.keyvault/vaults", cwd=tmp_path, cache=tmp_path / "cache")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("Microsoft.KeyVault/vaults (Key Vault)\n")
    assert "Microsoft.KeyVault/vaults@2026-02-01 (exact)" in result.stdout
    assert result.stderr == ""


def test_cli_json(tmp_path: Path) -> None:
    result = run_avm(
        "catalog", "show", "Microsoft.KeyVault/vaults/keys", "--json", cwd=tmp_path, cache=tmp_path / "cache"
    )
    assert result.code == 0, result.stderr
    data = result.json
    assert (data["type"], data["catalog"]["parent"]) == ("Microsoft.KeyVault/vaults/keys", "Microsoft.KeyVault/vaults")
    assert data["schema"]["source"] == "bundle"


def test_cli_unknown_type(tmp_path: Path) -> None:
    result = run_avm("catalog", "show", "Microsoft.KeyVault/vault", cwd=tmp_path, cache=tmp_path / "cache")
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "avm: error: TYPE: unknown resource type Microsoft.KeyVault/vault; closest known: "
        "Microsoft.KeyVault/vaults, Microsoft.KeyVault/vaults/keys, Microsoft.KeyVault/deletedVaults"
    ]
