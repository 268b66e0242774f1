"""A Terraform submodule deploys its child type at the parent's API version where the type definitions have the
child at that version; `--child TYPE@VERSION` pins another; Bicep children keep the catalog's versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.azure_types import download, sources
from generator.catalog import Catalog
from generator.errors import InvalidInputError
from generator.index import ModuleIndex
from generator.spec import SpecContext, build_spec
from tests.unit.test_azure_type_sources import write_tree

VNET = {"module_class": "resource", "provider_namespace": "Microsoft.Network", "resource_type": "virtualNetworks"}


@pytest.fixture(autouse=True)
def _checkout_with_subnets_at_the_parents_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A schema checkout that has subnets, not peerings, at the virtual network's pinned version."""
    monkeypatch.setattr(sources, "_download_problems", {})
    monkeypatch.setattr(sources, "_trees", {})
    monkeypatch.setenv(download.BASE_URL_VARIABLE, "http://127.0.0.1:9/never-asked/")
    parent = Catalog.load().facts("Microsoft.Network", "virtualNetworks").api_version
    generated = write_tree(tmp_path / "types" / "generated", {"Microsoft.Network/virtualNetworks/subnets": [parent]})
    monkeypatch.setenv(sources.CHECKOUT_VARIABLE, str(generated.parent))


def versions(language: str, *children: str) -> dict[str, str]:
    spec = build_spec(
        {**VNET, "language": language, "children": list(children)}, SpecContext(Catalog.load(), ModuleIndex())
    )
    return {"": spec.api_version, **{c.type_path: c.api_version for c in spec.children}}


def test_a_terraform_child_takes_the_parents_version_where_the_schema_has_it() -> None:
    catalog = {
        c.type_path: c.api_version for c in Catalog.load().facts("Microsoft.Network", "virtualNetworks").children
    }
    found = versions("terraform", "subnets", "virtualNetworkPeerings")
    assert found["subnets"] == found[""] != catalog["subnets"]
    assert found["virtualNetworkPeerings"] == catalog["virtualNetworkPeerings"]  # not at the parent's version
    assert versions("bicep", "subnets")["subnets"] == catalog["subnets"]


def test_a_pinned_child_keeps_its_version() -> None:
    assert versions("terraform", "subnets@2024-05-01")["subnets"] == "2024-05-01"
    with pytest.raises(InvalidInputError, match=r"child: 'subnets@yesterday': 'yesterday' is not an API version"):
        versions("terraform", "subnets@yesterday")
