"""The resource's own parameters of a Bicep module, from the resource type's schema (`generator.azure_types`).

Each writable body property the module offers becomes a parameter named as the property (`sku`, `kind`,
`properties.tenantId` -> `tenantId`), typed from the schema, and is set at its path in the resource body.
Properties an interface owns (name, location, tags, identity, the customer-managed key and public network
access the interfaces set) are left to the interface. A schema-required property is a required parameter,
unless `data/property_defaults.yaml` names a default that is right for everyone.

A child type whose schema fixes its name is deployed with that name: one name, no name parameter; a small
closed set of names (`add`, `replace`, `remove`), `@allowed` and the first as default; a larger set, `@allowed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from generator.azure_types.nodes import ObjectType
from generator.azure_types.schema import PROPERTIES, ResourceSchema, SchemaProperty
from generator.bicep.values import string
from generator.naming import split_words
from generator.paths import read_data

# Top-level body properties that are never parameters of their own: the module's name and the interfaces'.
OWNED_TOP_LEVEL = frozenset({"name", "location", "tags", "identity"})
# `properties.*` an interface sets, by interface key (the customer-managed key's are the type's: `bicep/cmk.py`).
OWNED_BY_INTERFACE = {
    "private-endpoints": "properties.publicNetworkAccess",
}
# A closed set of names up to this size gets the first as the name's default.
SMALL_NAME_SET = 3
# Words written as acronyms in generated descriptions.
ACRONYMS = {
    "id": "ID",
    "ids": "IDs",
    "ip": "IP",
    "sku": "SKU",
    "uri": "URI",
    "url": "URL",
    "dns": "DNS",
    "fqdn": "FQDN",
    "tls": "TLS",
    "ssl": "SSL",
    "http": "HTTP",
    "https": "HTTPS",
    "vm": "VM",
    "api": "API",
    "sql": "SQL",
    "ttl": "TTL",
    "cpu": "CPU",
    "gb": "GB",
}
# The name rule for secrets the schema does not flag (it does not flag Key Vault's secret `value`): a string or
# object property whose name says it holds a password, a secret or a connection string, and the `value` of a
# type named `secrets`.
SECRET_WORDS = ("password", "secret", "connectionstring")


@dataclass(frozen=True)
class ResourceParam:
    """One body property as a parameter of the module."""

    prop: SchemaProperty
    name: str  # the parameter's name
    type: str  # its Bicep type, `?` included when nullable
    description: str
    default: str | None
    decorators: tuple[str, ...]
    readme_kind: str  # the ARM JSON type the README shows: string, int, bool, object, array

    @property
    def path(self) -> str:
        return self.prop.path

    @property
    def required(self) -> bool:
        return self.default is None and not self.type.endswith("?")

    @property
    def top_level(self) -> bool:
        return "." not in self.path


@cache
def property_defaults() -> dict[str, dict[str, dict[str, str]]]:
    """`data/property_defaults.yaml`: type -> property path -> {default, reason}."""
    return read_data("property_defaults.yaml") or {}


def owned_paths(interfaces: tuple[str, ...]) -> frozenset[str]:
    return frozenset(path for key, path in OWNED_BY_INTERFACE.items() if key in interfaces)


def offered(schema: ResourceSchema, interfaces: tuple[str, ...]) -> list[SchemaProperty]:
    """The body properties the module makes parameters of: for now the schema-required writable ones."""
    owned = owned_paths(interfaces)
    return [
        p
        for p in schema.flattened_properties
        if p.always_required
        and not p.read_only
        and p.name not in OWNED_TOP_LEVEL | {PROPERTIES}
        and p.path not in owned
    ]


def resource_params(
    schema: ResourceSchema, resource_ref: str, interfaces: tuple[str, ...], taken: set[str], thing: str
) -> list[ResourceParam]:
    """The parameters of the properties the module offers, required ones first, in schema order otherwise.

    `taken` holds the module's other parameter names; a property whose name is taken is left out (the
    interface or child collection of that name sets it). `thing` names the resource in descriptions."""
    defaults = property_defaults().get(schema.type_name, {})
    found = []
    for prop in offered(schema, interfaces):
        if prop.name in taken:
            continue
        default = defaults.get(prop.path, {}).get("default")
        found.append(resource_param(schema, prop, resource_ref, default, thing))
    return sorted(found, key=lambda p: not p.required)


def resource_param(
    schema: ResourceSchema, prop: SchemaProperty, resource_ref: str, default: str | None, thing: str
) -> ResourceParam:
    required = prop.always_required and default is None
    bicep_type, readme_kind = param_type(schema, prop, resource_ref)
    decorators: list[str] = []
    if prop.closed_enum:
        decorators.append(allowed(prop.enum))
    if prop.kind in ("string", "enum", "array"):
        if prop.min_length is not None:
            decorators.append(f"@minLength({prop.min_length})")
        if prop.max_length is not None:
            decorators.append(f"@maxLength({prop.max_length})")
    if prop.kind == "int":
        if prop.min_value is not None:
            decorators.append(f"@minValue({prop.min_value})")
        if prop.max_value is not None:
            decorators.append(f"@maxValue({prop.max_value})")
    if is_secret(schema, prop) and readme_kind in ("string", "object"):
        decorators.append("@secure()")
    category = "Required" if required else "Optional"
    return ResourceParam(
        prop=prop,
        name=prop.name,
        type=bicep_type if required or default is not None else f"{bicep_type}?",
        description=f"{category}. {describe_name(prop.name)} of the {thing}.",
        default=default,
        decorators=tuple(decorators),
        readme_kind=readme_kind,
    )


def param_type(schema: ResourceSchema, prop: SchemaProperty, resource_ref: str) -> tuple[str, str]:
    """The Bicep type of the property's parameter and the ARM JSON type a README shows for it."""
    if prop.kind in ("string", "enum"):
        return "string", "string"
    if prop.kind in ("int", "bool"):
        return prop.kind, prop.kind
    readme_kind = "array" if prop.kind == "array" else "object"
    if prop.kind in ("object", "array") and exact_path(schema, prop):
        return f"resourceInput<'{resource_ref}'>.{prop.path}", readme_kind
    return readme_kind, readme_kind


def exact_path(schema: ResourceSchema, prop: SchemaProperty) -> bool:
    """Whether `resourceInput<...>.<path>` names one type: every step is a plain object's property (a step into a
    discriminated object or an array has no single type to name)."""
    if schema.discriminator is not None:
        return False
    parent_path, _, _ = prop.path.rpartition(".")
    if not parent_path:
        return True
    parent = schema.at(parent_path)
    if parent is None or len(parent.variants) != 1 or "." in parent_path:
        return False
    return isinstance(parent.variants[0].property.type.resolve(), ObjectType) and len(prop.variants) == 1


def is_secret(schema: ResourceSchema, prop: SchemaProperty) -> bool:
    if prop.secret:
        return True
    lower = prop.name.lower()
    if any(word in lower for word in SECRET_WORDS):
        return True
    return lower == "value" and schema.type_name.rsplit("/", 1)[-1].lower() == "secrets"


def allowed(values: tuple[str, ...]) -> str:
    lines = "\n".join(f"  {string(v)}" for v in values)
    return f"@allowed([\n{lines}\n])"


def describe_name(name: str) -> str:
    """`tenantId` -> `The tenant ID`; `sku` -> `The SKU`."""
    words = [ACRONYMS.get(w.lower(), w if w.isupper() and len(w) > 1 else w.lower()) for w in split_words(name)]
    return "The " + " ".join(words)


# ---- names the schema fixes


@dataclass(frozen=True)
class FixedName:
    """The names a child type's schema allows: `values`; `single` when there is one (no parameter at all)."""

    values: tuple[str, ...]

    @property
    def single(self) -> bool:
        return len(self.values) == 1

    @property
    def default(self) -> str | None:
        return self.values[0] if len(self.values) <= SMALL_NAME_SET else None


def fixed_name(schema: ResourceSchema | None) -> FixedName | None:
    if schema is None or not schema.fixed_name:
        return None
    return FixedName(tuple(schema.fixed_name))


def literal_union(values: tuple[str, ...]) -> str:
    return " | ".join(string(v) for v in values)
