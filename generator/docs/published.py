"""What avm itself knows of two published modules, for a module with no compiled template and no registry
checkout beside it (a module `avm new` just made): the avm-common-types types and the private endpoint
module's resource types and roles (`data/common_types.yaml`), in the shape a compiled template holds them."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from generator.bicep.readme import common_types, common_types_ref, private_endpoint_facts

REGISTRY = "br:mcr.microsoft.com/bicep/"


def registry_source(reference: str) -> str:
    """`br/public:avm/x/y:1.0.0` -> `br:mcr.microsoft.com/bicep/avm/x/y:1.0.0` (how templates record it)."""
    return REGISTRY + reference.removeprefix("br/public:").removeprefix(REGISTRY)


@cache
def common_types_template() -> dict[str, Any]:
    """The avm-common-types facts as a template's `definitions`, each marked as imported from its release."""
    source = registry_source(common_types_ref())
    definitions = {}
    for name, fact in common_types().items():
        schema = object_schema(fact.get("properties") or {})
        schema["metadata"] = {"__bicep_imported_from!": {"sourceTemplate": source}}
        definitions[name] = schema
    return {"definitions": definitions}


def object_schema(properties: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {name: property_schema(fact) for name, fact in properties.items()}}


def property_schema(fact: Mapping[str, Any]) -> dict[str, Any]:
    kind = fact["type"]
    inner: dict[str, Any] | None = None
    if "ref" in fact:
        inner = {"$ref": f"#/definitions/{fact['ref']}"}
    elif fact.get("properties"):
        inner = object_schema(fact["properties"])
    if inner is None:
        schema: dict[str, Any] = {"type": kind}
    elif kind == "array":
        schema = {"type": "array", "items": inner}
    else:
        schema = inner
    if fact.get("allowed"):
        schema["allowedValues"] = list(fact["allowed"])
    if not fact.get("required"):
        schema["nullable"] = True
    schema["metadata"] = {"description": fact["description"]}
    return schema


def private_endpoint_module(reference: str) -> tuple[list[tuple[str, str]], list[str]] | None:
    """The resource types and role names of the private endpoint module, when `reference` calls it."""
    facts = private_endpoint_facts()
    if reference.rsplit(":", 1)[0] != facts["module"]:
        return None
    return list(facts["resource_types"].items()), list(facts["roles"])
