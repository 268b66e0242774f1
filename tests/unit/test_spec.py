from __future__ import annotations

import pytest

from generator.catalog import Catalog
from generator.errors import InvalidInputError
from generator.index import load_index
from generator.spec import ModuleSpec, SpecContext, build_spec


def context() -> SpecContext:
    return SpecContext(catalog=Catalog.load(), index=load_index("none"))


def base(**extra: object) -> dict:
    return {
        "module_class": "resource",
        "language": "bicep",
        "provider_namespace": "Microsoft.KeyVault",
        "resource_type": "vaults",
        **extra,
    }


def fields(raw: dict) -> list[str]:
    with pytest.raises(InvalidInputError) as caught:
        build_spec(raw, context())
    return [e.field for e in caught.value.errors]


def test_defaults_come_from_the_catalog() -> None:
    spec = build_spec(base(), context())
    assert spec.interfaces == ("lock", "role-assignments", "diagnostic-settings", "private-endpoints", "tags")
    assert spec.display_name == "Key Vault"
    assert spec.description == "This module deploys a Key Vault."
    assert spec.names.bicep_path == "avm/res/key-vault/vault"
    assert spec.private_endpoint_service == "vault"


def test_nested_child_implies_its_parents() -> None:
    spec = build_spec(
        base(
            provider_namespace="Microsoft.Storage",
            resource_type="storageAccounts",
            children=["blobServices/containers"],
        ),
        context(),
    )
    assert [(c.type_path, c.folder) for c in spec.children] == [
        ("blobServices", "blob-service"),
        ("blobServices/containers", "blob-service/container"),
    ]


def test_interfaces_all_none_and_lists() -> None:
    ctx = context()
    assert build_spec(base(interfaces="none"), ctx).interfaces == ()
    assert build_spec(base(interfaces="tags,lock"), ctx).interfaces == ("lock", "tags")
    assert "managed-identities" not in build_spec(base(interfaces="all"), ctx).interfaces


def test_unknown_type_warns_and_needs_an_api_version() -> None:
    ctx = context()
    assert fields(base(provider_namespace="Contoso.Widgets", resource_type="gadgets")) == ["api_version"]
    spec = build_spec(
        base(provider_namespace="Contoso.Widgets", resource_type="gadgets", api_version="2025-01-01"), ctx
    )
    assert len(spec.interfaces) == 6 and "customer-managed-key" not in spec.interfaces
    assert any("not in the catalog" in w for w in ctx.warnings)


def test_a_customer_managed_key_needs_the_paths_the_catalog_names() -> None:
    with pytest.raises(InvalidInputError) as raised:
        build_spec(base(interfaces="customer-managed-key"), context())
    assert [e.field for e in raised.value.errors] == ["interfaces"]
    assert "customer-managed-key" in raised.value.errors[0].message
    storage = base(provider_namespace="Microsoft.Storage", resource_type="storageAccounts", interfaces="all")
    assert "customer-managed-key" in build_spec(storage, context()).interfaces


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (base(provider_namespace="KeyVault"), ["provider"]),
        (base(resource_type="key vaults"), ["type"]),
        (base(resource_type="vaults/secrets"), ["type"]),
        (base(interfaces="lock,locks"), ["interfaces"]),
        (base(children=["my secrets"]), ["child"]),
        (base(api_version="2024-1-1"), ["api_version"]),
        (base(owner="-bad-"), ["owner"]),
        (base(display_name="two\nlines"), ["display_name"]),
        (base(colour="blue"), ["colour"]),
        ({"module_class": "resource"}, ["language", "provider_namespace", "resource_type"]),
        (base(provider_namespace="KeyVault", resource_type="a b", interfaces="x"), ["provider", "type", "interfaces"]),
    ],
)
def test_every_problem_is_reported(raw: dict, expected: list[str]) -> None:
    assert fields(raw) == expected


def test_answers_round_trip() -> None:
    spec = build_spec(base(children=["secrets"], owner="@octocat"), context())
    assert spec.owner == "octocat"
    assert ModuleSpec.from_answers(spec.to_answers()) == spec
