"""The resource's own parameters of a Bicep module, from the resource type's schema (`generator.azure_types`).

Each writable body property the module offers (`generator.property_selection`: all of them by default) becomes a
parameter named as the property (`sku`, `kind`, `properties.tenantId` -> `tenantId`), typed from the schema, and is
set at its path in the resource body. Properties an interface owns (name, location, tags, identity, the
customer-managed key and public network access the interfaces set) are left to the interface. A property the
schema requires is a required parameter, unless `data/property_defaults.yaml` names a default that is right for
everyone; one it requires for some `kind`s only is conditional; the others are optional, nullable and not sent
when null (ARM drops a null property from the request).

A child type whose schema fixes its name is deployed with that name: one name, no name parameter; a small
closed set of names (`add`, `replace`, `remove`), `@allowed` and the first as default; a larger set, `@allowed`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator import property_selection
from generator.azure_types.facts import TypeFacts
from generator.azure_types.nodes import ObjectType
from generator.azure_types.schema import ResourceSchema, SchemaProperty
from generator.bicep.values import string
from generator.naming import split_words
from generator.property_rules import conditionally_required, is_secret, needed, offered, property_defaults
from generator.property_selection import Selection
from generator.property_text import parameter_description

LOWER_CAMEL = re.compile(r"^[a-z][A-Za-z0-9]*$")


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


def resource_params(
    schema: ResourceSchema,
    resource_ref: str,
    interfaces: tuple[str, ...],
    taken: set[str],
    thing: str,
    selection: Selection = property_selection.ALL,
) -> list[ResourceParam]:
    """The parameters of the properties the module offers, required ones first, in schema order otherwise.

    `taken` holds the module's other names (parameters, variables, symbols); a property whose name is taken is
    left out (the interface or child collection of that name sets it), and of two properties of one name (`sku`
    and `properties.sku`) the top-level one wins. `thing` names the resource in descriptions."""
    defaults = property_defaults().get(schema.type_name, {})
    found = []
    names = set(taken)
    for prop in offered(schema, interfaces, selection):
        if parameter_name(prop.name) in names:
            continue
        names.add(parameter_name(prop.name))
        default = defaults.get(prop.path, {}).get("default")
        found.append(resource_param(schema, prop, resource_ref, default, thing))
    return sorted(found, key=lambda p: not p.required)


def resource_param(
    schema: ResourceSchema, prop: SchemaProperty, resource_ref: str, default: str | None, thing: str
) -> ResourceParam:
    required = needed(prop) and default is None
    bicep_type, readme_kind = param_type(schema, prop, resource_ref)
    decorators = [allowed(prop.enum)] if prop.closed_enum else []
    decorators.extend(limit_decorators(prop))
    if is_secret(schema, prop) and readme_kind in ("string", "object"):
        decorators.append("@secure()")
    if required:
        category = "Required"
    elif conditionally_required(prop):
        category = "Conditional"
    else:
        category = "Optional"
    return ResourceParam(
        prop=prop,
        name=parameter_name(prop.name),
        type=bicep_type if required or default is not None else f"{bicep_type}?",
        description=parameter_description(category, prop.name, prop.kind, thing, prop.description, prop.conditions),
        default=default,
        decorators=tuple(decorators),
        readme_kind=readme_kind,
    )


def limit_decorators(facts: TypeFacts) -> list[str]:
    """`@minLength`/`@maxLength` of a string, an enum or an array, `@minValue`/`@maxValue` of an integer."""
    if facts.kind in ("string", "enum", "array"):
        limits = (("minLength", facts.min_length), ("maxLength", facts.max_length))
    elif facts.kind == "int":
        limits = (("minValue", facts.min_value), ("maxValue", facts.max_value))
    else:
        return []
    return [f"@{decorator}({value})" for decorator, value in limits if value is not None]


def parameter_name(name: str) -> str:
    """The property's name in lowerCamelCase, as AVM names parameters: `release_policy` -> `releasePolicy`,
    `IPAddress` -> `ipAddress`; a lowerCamelCase name stays as it is."""
    if LOWER_CAMEL.match(name):
        return name
    first, *rest = split_words(name)
    return first.lower() + "".join(word[:1].upper() + word[1:] for word in rest)


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


def allowed(values: tuple[str, ...]) -> str:
    lines = "\n".join(f"  {string(v)}" for v in values)
    return f"@allowed([\n{lines}\n])"


def literal_union(values: tuple[str, ...]) -> str:
    return " | ".join(string(v) for v in values)
