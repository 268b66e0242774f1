"""What each e2e test of a resource module passes the resource's own parameters (`scenarios.py`).

- `defaults`: every required parameter, with a valid value (`samples.py`).
- `waf-aligned`: those, and the security settings `data/waf_settings.yaml` names for the type.
- `max`: every parameter the module has, the WAF settings on top (a sample `true` would otherwise turn on
  what a test must not, such as Key Vault's purge protection). Left out: a parameter the schema has only
  for a discriminator value other than the one the test sets (`SchemaProperty.conditions`), and the ones
  `LEFT_OUT_OF_MAX` names, which cannot be set together with the rest of the test.

A setting at a nested path (`properties.networkAcls.defaultAction`) sets its parameter (`networkAcls`) to an
object that holds it, with that object's required members; a setting whose property the module has no
parameter for is skipped.
"""

from __future__ import annotations

from typing import Any

from generator.azure_types.schema import ResourceSchema
from generator.bicep.properties import ResourceParam
from generator.bicep.samples import bicep_value, sample
from generator.bicep.values import Expr
from generator.property_samples import LEFT_OUT_OF_MAX, holds, with_waf_settings

# A secure free-string parameter takes the test's own `password` parameter (`newGuid()`), never a literal.
PASSWORD = Expr("password", shown="<password>")


def required_values(schema: ResourceSchema | None, params: list[ResourceParam]) -> dict[str, Any]:
    """A valid value of each required parameter."""
    if schema is None:
        return {}
    return {p.name: value_of(schema, p) for p in params if p.required}


def waf_values(schema: ResourceSchema | None, params: list[ResourceParam]) -> dict[str, Any]:
    """The required parameters, and the WAF settings of the type."""
    if schema is None:
        return {}
    return bicep_value(with_waf_settings(schema, params, required_values(schema, params)))


def max_values(schema: ResourceSchema | None, params: list[ResourceParam], name: Any = None) -> dict[str, Any]:
    """Every parameter that can be set together with the others, the WAF settings on top. `name` is the name
    the test gives the resource (a child type may be discriminated by its name)."""
    if schema is None:
        return {}
    kept = [p for p in params if (schema.type_name, p.path) not in LEFT_OUT_OF_MAX]
    found = bicep_value(with_waf_settings(schema, kept, {p.name: value_of(schema, p) for p in kept}))
    chosen = {"name": name, **{p.path: found[p.name] for p in kept}}
    return {p.name: found[p.name] for p in kept if holds(p.prop.conditions, chosen)}


def value_of(schema: ResourceSchema, param: ResourceParam) -> Any:
    if "@secure()" in param.decorators and param.prop.kind == "string":  # not an enum the schema marks write-only
        return PASSWORD
    return sample(schema, param.prop)
