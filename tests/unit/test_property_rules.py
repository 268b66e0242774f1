"""The secret rule both languages share (`generator.property_rules.is_secret`)."""

from __future__ import annotations

import pytest

from generator.azure_types.lookup import resource_schema
from generator.property_rules import is_secret


@pytest.mark.parametrize(
    ("namespace", "resource_type", "api_version", "path", "secret"),
    [
        ("Microsoft.Sql", "servers/keys", "2025-01-01", "properties.serverKeyType", False),  # write-only, open enum
        ("Microsoft.KeyVault", "vaults", "2026-02-01", "properties.createMode", False),  # write-only, closed enum
        ("Microsoft.Sql", "servers/keys", "2025-01-01", "properties.uri", True),  # write-only string
        ("Microsoft.KeyVault", "vaults/secrets", "2026-02-01", "properties.value", True),  # the name rule
    ],
)
def test_a_write_only_set_of_values_is_no_secret(
    namespace: str, resource_type: str, api_version: str, path: str, secret: bool
) -> None:
    found = resource_schema(namespace, resource_type, api_version)
    assert found is not None
    schema = found.schema if hasattr(found, "schema") else found
    prop = schema.at(path)
    assert prop is not None, path
    assert is_secret(schema, prop) is secret
