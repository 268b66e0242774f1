"""The wizard's checks and suggestions, without a terminal."""

from __future__ import annotations

import pytest

from generator import prompts
from generator.catalog import Catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("KeyVault", "Microsoft.KeyVault"),
        ("Microsoft.Keyvalt", "Microsoft.KeyVault"),
        ("Microsft.Storage", "Microsoft.Storage"),
        ("Microsoft.Compte", "Microsoft.Compute"),
    ],
)
def test_the_closest_namespace_comes_first(typed: str, expected: str, catalog: Catalog) -> None:
    assert prompts.closest(typed, catalog.namespaces())[0] == expected


def test_nothing_is_offered_when_nothing_is_close(catalog: Catalog) -> None:
    assert prompts.closest("Zzqx.Qqzz", catalog.namespaces()) == []


def test_namespace_problems(catalog: Catalog) -> None:
    assert prompts.namespace_problem("microsoft.keyvault", catalog) is None  # known, in any case
    assert prompts.namespace_problem("Contoso.Widgets", catalog) is None  # new, well formed
    assert prompts.namespace_problem("  ", catalog) == "a namespace is required"
    problem = prompts.namespace_problem("KeyVault", catalog)
    assert problem is not None and problem.endswith("did you mean Microsoft.KeyVault?")


def test_type_problems() -> None:
    assert prompts.type_problem("vaults", ["vaults"]) is None
    assert "child type path" in (prompts.type_problem("vaults/secrets", ["vaults"]) or "")
    assert (prompts.type_problem("vault-s", ["vaults"]) or "").endswith("did you mean vaults?")


@pytest.mark.parametrize("version", ["2024-11-01", "2024-02-29-preview", "2023-01-01-beta"])
def test_api_versions_that_are_real_dates_pass(version: str) -> None:
    assert prompts.api_version_problem(version) is None


@pytest.mark.parametrize("version", ["", "2024-02-30", "2024-13-01", "24-01-01", "2024-01-01-nightly", "latest"])
def test_api_versions_that_are_not_dates_are_refused(version: str) -> None:
    assert prompts.api_version_problem(version)
