"""Valid values for a Terraform module's resource-property variables (`generator.property_samples`), written as
HCL: what the examples and the unit test pass them.

An object's attributes take the variable's snake_case names; a value from the deployment's context (`Special`) is
the example's data source or region, or a fixed stand-in in the unit test, where providers are mocked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.property_samples import LEFT_OUT_OF_MAX, Special, holds, sample, sample_string, with_waf_settings
from generator.terraform.hcl import listing, obj, quote
from generator.terraform.properties import PropertyVariable
from generator.terraform.types import attribute_name

# How an example writes the values taken from its context, and how the unit test does.
EXAMPLE_SPECIALS = {
    "tenant": "data.azapi_client_config.current.tenant_id",
    "location": "azapi_resource.resource_group.location",
    "principal": "data.azapi_client_config.current.object_id",
}
UNIT_TEST_SPECIALS = {
    "tenant": quote("00000000-0000-0000-0000-000000000000"),
    "location": quote("eastus"),
    "principal": quote("00000000-0000-0000-0000-000000000000"),
}
# A secret string of an example: the random password the example creates.
EXAMPLE_SECRET = "random_password.secret.result"


class Secret:
    """A secret string's value: the example's random password, or a sample in the unit test."""


def sample_value(variable: PropertyVariable, schema: Any) -> Any:
    """A valid value of the variable: a `Secret` for a secret string, else the property's sample."""
    if variable.secret and variable.prop.kind == "string":
        return Secret()
    return sample(schema, variable.prop)


def required_values(variables: list[PropertyVariable], schema: Any) -> dict[str, Any]:
    """A valid value of every variable without a default; null for an optional secret (which has none)."""
    return {v.name: sample_value(v, schema) if not v.nullable else None for v in variables if v.required}


def max_values(variables: list[PropertyVariable], schema: Any, name: Any = None) -> dict[str, Any]:
    """A value of every variable that can be set together with the others, the type's WAF settings on top (as
    Bicep's `max` test sets them): not those `LEFT_OUT_OF_MAX` names, nor one the schema has only for another
    discriminator value."""
    kept = [v for v in variables if (schema.type_name, v.path) not in LEFT_OUT_OF_MAX]
    found = with_waf_settings(schema, kept, {v.name: sample_value(v, schema) for v in kept})
    chosen = {"name": name, **{v.path: found[v.name] for v in kept}}
    return {v.name: found[v.name] for v in kept if holds(v.prop.conditions, chosen)}


def hcl_value(value: Any, specials: Mapping[str, str], secret: str, attributes: bool = True) -> str:
    """The value as HCL; the keys of an object as the variable's attributes (snake_case)."""
    if isinstance(value, Special):
        return specials[value.name]
    if isinstance(value, Secret):
        return secret
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, dict):
        return obj([(attribute_name(k) if attributes else k, hcl_value(v, specials, secret)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return listing([hcl_value(v, specials, secret) for v in value])
    raise TypeError(f"cannot write {type(value).__name__} as HCL")


def unit_test_secret(variable: PropertyVariable) -> str:
    """A literal for a secret string in the unit test, within its length and pattern."""
    return quote(sample_string(variable.prop))
