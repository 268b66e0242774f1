"""Valid values for a resource's own parameters in Bicep (`generator.property_samples`, its values from the
deployment's context written as Bicep expressions), for the e2e tests a module carries (`scenarios.py`)."""

from __future__ import annotations

from typing import Any

from generator import property_samples
from generator.azure_types.schema import ResourceSchema, SchemaProperty
from generator.bicep.values import Expr
from generator.property_samples import Special

# How Bicep writes the values taken from the deployment's context, and how a README shows them.
SPECIALS = {
    "tenant": Expr("tenant().tenantId", shown="<tenantId>"),  # the deployment's tenant
    "location": Expr("resourceLocation", shown="<location>"),  # the test's region
    "principal": Expr("deployer().objectId", shown="<principalId>"),  # the principal deploying the test
}


def sample(schema: ResourceSchema, prop: SchemaProperty, depth: int = 0) -> Any:
    """A valid value of the property at its place in `schema`."""
    return bicep_value(property_samples.sample(schema, prop, depth))


def required_members(schema: ResourceSchema, path: str, depth: int) -> dict[str, Any]:
    """The object at `path` (the items of an array at `path`) with its unconditionally required members."""
    return bicep_value(property_samples.required_members(schema, path, depth))


def bicep_value(value: Any) -> Any:
    """The value with every `Special` written as its Bicep expression."""
    if isinstance(value, Special):
        return SPECIALS[value.name]
    if isinstance(value, dict):
        return {k: bicep_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [bicep_value(v) for v in value]
    return value
