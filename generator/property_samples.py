"""Valid values for a resource's own properties, in either language: what the tests and examples of a module pass
its required inputs (the Bicep e2e tests, `generator.bicep.scenario_values`; the Terraform examples and unit test,
`generator.terraform.examples`).

The rule, in order: a documented choice for the property (`TYPE_CHOICES`, `CHOICES`, `WORD_CHOICES`,
`ENUM_CHOICES`); the first allowed value of an enum; a string of the schema's length that matches its pattern;
a number in range; `true`; an object with its required sub-properties, each by the same rule; an array holding
one such item (none when it may be empty and is not required). Properties that are required only for some
variants are left out, but not an object's members that are required wherever the object itself may be set (a
discriminated object's discriminator, say).

A value a deployment must take from its context (the tenant, the region) is a `Special`, which each language writes
its own way (`tenant().tenantId` in Bicep, `data.azapi_client_config.current.tenant_id` in Terraform).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

try:
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

from dataclasses import dataclass

from generator.azure_types.facts import TypeFacts
from generator.azure_types.members import Condition
from generator.azure_types.schema import ResourceSchema, SchemaProperty
from generator.paths import read_data


@dataclass(frozen=True)
class Special:
    """A value taken from the deployment's context: `tenant` (its tenant ID), `location` (its region) or `principal`
    (the object ID of the principal deploying)."""

    name: str


TENANT = Special("tenant")
LOCATION = Special("location")
PRINCIPAL = Special("principal")  # the object ID of the principal that deploys (the test's own identity)
READER_ROLE = "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"

# Values a generic rule would get wrong, by property name: what a deployment of the test really needs. An
# object's optional member of one of these names is set too (Cosmos DB's `locations` items need a region).
CHOICES: dict[str, Any] = {
    "tenantId": TENANT,  # the deployment's tenant
    "location": LOCATION,  # the test's region
    "locationName": LOCATION,
}
# By resource type and property path: a free string the service checks, or a first allowed value it refuses.
TYPE_CHOICES: dict[tuple[str, str], Any] = {
    ("Microsoft.AppConfiguration/configurationStores", "sku.name"): "standard",  # a free string in the schema
    # a real principal (the deployer's) given a real built-in role (Reader), which a role assignment needs
    ("Microsoft.Authorization/roleAssignments", "properties.principalId"): PRINCIPAL,
    ("Microsoft.Authorization/roleAssignments", "properties.roleDefinitionId"): READER_ROLE,
    ("Microsoft.ContainerRegistry/registries", "sku.name"): "Basic",  # `Classic`, the first value, is retired
    ("Microsoft.Insights/components", "kind"): "web",  # a free string in the schema
    ("Microsoft.KeyVault/vaults/keys", "properties.kty"): "RSA",  # `EC` keys refuse `encrypt`, the first key op
    ("Microsoft.KeyVault/vaults/keys", "properties.keySize"): 2048,  # the smallest RSA size Key Vault takes
    ("Microsoft.Storage/storageAccounts", "kind"): "StorageV2",  # the general-purpose kind Azure recommends
}
# By a word in the property's name.
WORD_CHOICES = (("email", "admin@contoso.com"),)
# By property name, an enum value chosen over the first (compared without case): `createMode: 'recover'` or
# `'Restore'` needs a deleted resource to bring back, so a test creates a new one.
ENUM_CHOICES = {"createMode": "default"}

# Strings tried first against a pattern: readable values people recognise.
CANDIDATES = (
    "example",
    "example001",
    "Example",
    "00000000-0000-0000-0000-000000000000",
    "10.0.0.1",
    "admin@contoso.com",
    "https://contoso.com",
    "2026-01-01T00:00:00Z",
)
DEPTH = 4  # nested objects sampled at most this deep
_PRINTABLE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."


def sample(schema: ResourceSchema, prop: SchemaProperty, depth: int = 0) -> Any:
    """A valid value of the property at its place in `schema`."""
    if (schema.type_name, prop.path) in TYPE_CHOICES:
        return TYPE_CHOICES[(schema.type_name, prop.path)]
    if prop.name in CHOICES:
        return CHOICES[prop.name]
    word = next((value for word, value in WORD_CHOICES if word in prop.name.lower()), None)
    if word is not None and prop.kind == "string":
        return word
    preferred = next((v for v in prop.enum if v.lower() == ENUM_CHOICES.get(prop.name, "").lower()), None)
    if preferred is not None:
        return preferred
    if prop.kind == "object":
        return {} if prop.is_map or depth >= DEPTH else required_members(schema, prop.path, depth + 1)
    if prop.kind == "array":
        item = prop.item
        if item is None:
            return []
        if item.kind == "object":
            return [required_members(schema, prop.path, depth + 1)] if depth < DEPTH else []
        return [sample_facts(item, prop.name)]
    return sample_facts(prop, prop.name)


def required_members(schema: ResourceSchema, path: str, depth: int) -> dict[str, Any]:
    """The object at `path` (the items of an array at `path`) with its required members: those required whatever
    the discriminators (beyond those the object itself depends on, which hold wherever it is set)."""
    holder = schema.at(path)
    inherited = set(holder.conditions) if holder is not None else set()
    members = [
        p
        for p in schema.children(path)
        if (p.required or p.name in CHOICES) and not set(p.conditions) - inherited and not p.read_only
    ]
    return {p.name: sample(schema, p, depth) for p in members}


def sample_facts(facts: TypeFacts, name: str = "") -> Any:
    if facts.kind == "enum" and facts.enum:
        return facts.enum[0]
    if facts.kind in ("string", "enum"):
        return sample_string(facts)
    if facts.kind == "int":
        return sample_int(facts)
    if facts.kind == "bool":
        return True
    if facts.kind == "array":
        return []
    return {}


def sample_int(facts: TypeFacts) -> int:
    if facts.min_value is not None:
        return max(facts.min_value, 1) if facts.max_value is None or facts.max_value >= 1 else facts.min_value
    if facts.max_value is not None and facts.max_value < 1:
        return facts.max_value
    return 1


def sample_string(facts: TypeFacts) -> str:
    """A string within the length limits that matches the pattern (the first candidate that does, else one
    built from the pattern); 'example' padded or cut to length without a pattern."""
    low, high = facts.min_length or 0, facts.max_length
    fits = [c for c in CANDIDATES if low <= len(c) and (high is None or len(c) <= high)]
    if facts.pattern:
        for candidate in fits:
            if matches(facts.pattern, candidate):
                return candidate
        built = from_pattern(facts.pattern, low)
        if built is not None:
            return built
    if fits:
        return fits[0]
    text = ("example" * (low // 7 + 1))[: max(low, 1)]
    return text[:high] if high else text


def matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def from_pattern(pattern: str, min_length: int) -> str | None:
    """The shortest string the pattern's first alternatives build, lengthened to `min_length` where the pattern
    repeats something; None when that does not match (lookarounds the walk ignores)."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, sre_constants.error):
        return None
    for extra in (0, max(min_length - 1, 0)):
        text = _build(parsed, extra)
        if matches(pattern, text) and len(text) >= min_length:
            return text
    return None


def _build(parsed: Any, extra: int) -> str:
    out = []
    for op, arg in parsed:
        if op == sre_constants.LITERAL:
            out.append(chr(arg))
        elif op == sre_constants.ANY:
            out.append("a")
        elif op == sre_constants.IN:
            out.append(_one_of(arg))
        elif op == sre_constants.BRANCH:
            out.append(_build(arg[1][0], extra))
        elif op == sre_constants.SUBPATTERN:
            out.append(_build(arg[-1], extra))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, high, inner = arg
            count = low + (extra if high == sre_constants.MAXREPEAT or high >= low + extra else 0)
            out.append(_build(inner, 0) * count)
    return "".join(out)


def _one_of(items: Any) -> str:
    negate = any(op == sre_constants.NEGATE for op, _ in items)
    if negate:
        excluded = "".join(c for c in _PRINTABLE if _in_set(items, c))
        return next(c for c in _PRINTABLE if c not in excluded)
    for op, arg in items:
        if op == sre_constants.LITERAL:
            return chr(arg)
        if op == sre_constants.RANGE:
            low, high = arg
            for c in "a0A":
                if low <= ord(c) <= high:
                    return c
            return chr(low)
        if op == sre_constants.CATEGORY:
            return {sre_constants.CATEGORY_DIGIT: "0", sre_constants.CATEGORY_SPACE: " "}.get(arg, "a")
    return "a"


def _in_set(items: Any, char: str) -> bool:
    return (
        re.fullmatch("[" + "".join(_item_text(op, arg) for op, arg in items if op != sre_constants.NEGATE) + "]", char)
        is not None
    )


def _item_text(op: Any, arg: Any) -> str:
    if op == sre_constants.LITERAL:
        return re.escape(chr(arg))
    if op == sre_constants.RANGE:
        return f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}"
    if op == sre_constants.CATEGORY:
        return {
            sre_constants.CATEGORY_DIGIT: r"\d",
            sre_constants.CATEGORY_SPACE: r"\s",
            sre_constants.CATEGORY_WORD: r"\w",
        }.get(arg, "")
    return ""


# By resource type and property path: properties the `max` tests and examples leave out, and why.
LEFT_OUT_OF_MAX: dict[tuple[str, str], str] = {
    ("Microsoft.Authorization/roleAssignments", "properties.condition"): "needs an ABAC expression for the role",
    ("Microsoft.Authorization/roleAssignments", "properties.conditionVersion"): "only with a condition",
    ("Microsoft.Authorization/roleAssignments", "properties.delegatedManagedIdentityResourceId"): (
        "for a cross-tenant assignment by a managed identity of the tenant's own"
    ),
    ("Microsoft.Authorization/roleAssignments", "properties.principalType"): (
        "the deployer's type: a user or a service principal, which the test cannot know"
    ),
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


def holds(conditions: tuple[Condition, ...], chosen: dict[str, Any]) -> bool:
    """Whether the test sets each discriminator the property depends on to one of the values it needs."""
    return all(chosen.get(c.discriminator) in c.values for c in conditions)


@cache
def waf_settings() -> dict[str, dict[str, dict[str, Any]]]:
    """`data/waf_settings.yaml`: type -> property path -> {value, reason}."""
    return read_data("waf_settings.yaml") or {}


def with_waf_settings(schema: ResourceSchema, params: Sequence[Any], found: dict[str, Any]) -> dict[str, Any]:
    """`found` with the type's WAF settings written over it, for the parameters (or variables: anything with a
    `name` and a `path`) the module has; a nested setting sets its parameter to an object that holds it, with
    that object's required members."""
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
