"""What AVM's rules make of one of a resource's own properties, in either language: whether a module offers it,
whether every deployment must set it, whether it is a secret, and the names a child type's schema fixes.

The Bicep parameters (`generator.bicep.properties`) and the Terraform variables of a module are both written from
these answers, so the two languages agree on which properties a module has and how it treats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from generator import catalog, property_selection
from generator.azure_types.schema import ResourceSchema, SchemaProperty
from generator.paths import read_data
from generator.property_selection import Selection

# `properties.*` an interface sets, by interface key (the customer-managed key's are the type's: the catalog's
# `customer_managed_key` entries).
OWNED_BY_INTERFACE = {
    "private-endpoints": "properties.publicNetworkAccess",
}
# The name rule for secrets the schema does not flag (it does not flag Key Vault's secret `value`): a string or
# object property whose name says it holds a password, a secret, a connection string or protected settings (an
# extension's settings that are never returned), and the `value` of a type named `secrets`.
SECRET_WORDS = ("password", "secret", "connectionstring", "protectedsettings")
# A closed set of names up to this size gets the first as the name's default.
SMALL_NAME_SET = 3


@cache
def property_defaults() -> dict[str, dict[str, dict[str, str]]]:
    """`data/property_defaults.yaml`: type -> property path -> {default, reason}."""
    return read_data("property_defaults.yaml") or {}


def owned_paths(interfaces: tuple[str, ...], type_name: str) -> frozenset[str]:
    """The body paths the module's interfaces set: the private endpoints' public network access, and the
    `properties.*` the type's customer-managed key entries set whole."""
    owned = {path for key, path in OWNED_BY_INTERFACE.items() if key in interfaces}
    if "customer-managed-key" in interfaces:
        key = catalog.customer_managed_key(type_name)
        owned.update(key.owned_paths() if key is not None else ())
    return frozenset(owned)


def needed(prop: SchemaProperty) -> bool:
    """Whether every deployment must set the property: required at its level, for every `kind`. A required
    property of `properties` counts even where `properties` itself is optional, as the module always sends it."""
    return prop.required and not prop.conditional


def conditionally_required(prop: SchemaProperty) -> bool:
    """Required, but only for some values of a discriminator (`kind`)."""
    return prop.required and prop.conditional


def offered(
    schema: ResourceSchema, interfaces: tuple[str, ...], selection: Selection = property_selection.ALL
) -> list[SchemaProperty]:
    """The body properties the module makes parameters of: those a module may offer that no interface of this one
    sets, as far as the selection wants them."""
    owned = owned_paths(interfaces, schema.type_name)
    return [
        p
        for p in property_selection.selectable(schema)
        if p.path not in owned and property_selection.wants(selection, p.name, p.required)
    ]


def is_secret(schema: ResourceSchema, prop: SchemaProperty) -> bool:
    """Sensitive in the schema; write-only (never returned) unless one of a set of values (Key Vault's `createMode`
    and SQL's `serverKeyType` are write-only, and no secret); or a secret by the name rule."""
    if prop.sensitive or (prop.write_only and prop.kind != "enum"):
        return True
    lower = prop.name.lower()
    if any(word in lower.replace("nonsecret", "") for word in SECRET_WORDS):  # `nonSecretParameterValues` holds none
        return True
    return lower == "value" and schema.type_name.rsplit("/", 1)[-1].lower() == "secrets"


@dataclass(frozen=True)
class FixedName:
    """The names a child type's schema allows: `values`; `single` when there is one (no name input at all)."""

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
