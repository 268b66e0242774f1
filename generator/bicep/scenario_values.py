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

import copy
from functools import cache
from typing import Any

from generator.azure_types.members import Condition
from generator.azure_types.schema import ResourceSchema
from generator.bicep.properties import ResourceParam
from generator.bicep.samples import required_members, sample
from generator.bicep.values import Expr
from generator.paths import read_data

# A secure free-string parameter takes the test's own `password` parameter (`newGuid()`), never a literal.
PASSWORD = Expr("password", shown="<password>")
# By resource type and property path: parameters `max` leaves out, and why.
LEFT_OUT_OF_MAX: dict[tuple[str, str], str] = {
    ("Microsoft.CognitiveServices/accounts", "properties.restore"): "restores a deleted account: none exists",
    ("Microsoft.KeyVault/vaults/keys", "properties.curveName"): "elliptic-curve keys only; the test's key is RSA",
    ("Microsoft.KeyVault/vaults/keys", "properties.release_policy"): "needs an attestation authority's policy",
    ("Microsoft.Storage/storageAccounts", "extendedLocation"): "deploys into an Edge Zone",
    ("Microsoft.Storage/storageAccounts", "properties.customDomain"): "needs a domain whose CNAME names the account",
    ("Microsoft.Storage/storageAccounts", "properties.isNfsV3Enabled"): "needs `supportsHttpsTrafficOnly: false`",
    ("Microsoft.Search/searchServices", "properties.authOptions"): "refused with `disableLocalAuth: true`",
    ("Microsoft.Web/sites", "properties.hostingEnvironmentProfile"): "needs an App Service Environment",
    ("Microsoft.Web/sites", "properties.cloningInfo"): "copies an existing app: none exists",
}


@cache
def waf_settings() -> dict[str, dict[str, dict[str, Any]]]:
    """`data/waf_settings.yaml`: type -> property path -> {value, reason}."""
    return read_data("waf_settings.yaml") or {}


def required_values(schema: ResourceSchema | None, params: list[ResourceParam]) -> dict[str, Any]:
    """A valid value of each required parameter."""
    if schema is None:
        return {}
    return {p.name: value_of(schema, p) for p in params if p.required}


def waf_values(schema: ResourceSchema | None, params: list[ResourceParam]) -> dict[str, Any]:
    """The required parameters, and the WAF settings of the type."""
    if schema is None:
        return {}
    return with_waf_settings(schema, params, required_values(schema, params))


def max_values(schema: ResourceSchema | None, params: list[ResourceParam], name: Any = None) -> dict[str, Any]:
    """Every parameter that can be set together with the others, the WAF settings on top. `name` is the name
    the test gives the resource (a child type may be discriminated by its name)."""
    if schema is None:
        return {}
    kept = [p for p in params if (schema.type_name, p.path) not in LEFT_OUT_OF_MAX]
    found = with_waf_settings(schema, kept, {p.name: value_of(schema, p) for p in kept})
    chosen = {"name": name, **{p.path: found[p.name] for p in kept}}
    return {p.name: found[p.name] for p in kept if holds(p.prop.conditions, chosen)}


def value_of(schema: ResourceSchema, param: ResourceParam) -> Any:
    if "@secure()" in param.decorators and param.prop.kind == "string":  # not an enum the schema marks write-only
        return PASSWORD
    return sample(schema, param.prop)


def holds(conditions: tuple[Condition, ...], chosen: dict[str, Any]) -> bool:
    """Whether the test sets each discriminator the property depends on to one of the values it needs."""
    return all(chosen.get(c.discriminator) in c.values for c in conditions)


def with_waf_settings(schema: ResourceSchema, params: list[ResourceParam], found: dict[str, Any]) -> dict[str, Any]:
    """`found` with the type's WAF settings written over it, for the parameters the module has."""
    found = copy.deepcopy(found)
    for path, entry in waf_settings().get(schema.type_name, {}).items():
        param = next((p for p in params if path == p.path or path.startswith(f"{p.path}.")), None)
        if param is None:
            continue
        rest = path[len(param.path) + 1 :]
        if not rest:
            found[param.name] = entry["value"]
            continue
        holder = found.get(param.name)
        if not isinstance(holder, dict):
            holder = found[param.name] = required_members(schema, param.path, 1)
        set_at(schema, holder, param.path, rest, entry["value"])
    return found


def set_at(schema: ResourceSchema, holder: dict[str, Any], base: str, rest: str, value: Any) -> None:
    """Set `value` at the dotted path `rest` inside the object at `base`, each object on the way with its
    required members."""
    *steps, last = rest.split(".")
    for step in steps:
        base = f"{base}.{step}"
        inner = holder.get(step)
        if not isinstance(inner, dict):
            inner = holder[step] = required_members(schema, base, 1)
        holder = inner
    holder[last] = value
