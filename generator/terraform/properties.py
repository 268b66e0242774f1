"""The resource's own variables of a Terraform module, from the resource type's schema (`generator.azure_types`).

Each writable body property the module offers (`generator.property_rules.offered`, the same set as the Bicep
parameters) becomes a variable named the snake_case of the property (`sku`, `kind`, `properties.tenantId` ->
`tenant_id`), typed exactly from the schema (`types.py`), and is written back at its camelCase path in the body.
A property the schema requires is a required variable (`nullable = false`), unless `data/property_defaults.yaml`
gives a value right for everyone (used when the variable is null); one it requires for some `kind`s only is
optional and says when it is required; the others are optional: null (or an empty list or map) is not sent.
Closed enums, lengths, ranges, patterns and list sizes are `validation` blocks, at any depth of the variable. A
secret (`property_rules.is_secret`, or an object holding one) is `sensitive`, has no default, travels in
`sensitive_body` (never stored in the state), and has a `<name>_version` variable whose change sends it again.

Read-only properties people use become outputs by the rule both languages share (`generator.property_outputs`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from generator import naming, property_selection
from generator.azure_types.facts import TypeFacts
from generator.azure_types.schema import PROPERTIES, ResourceSchema, SchemaProperty
from generator.property_outputs import output_properties
from generator.property_rules import conditionally_required, is_secret, needed, offered, property_defaults
from generator.property_selection import Selection
from generator.property_text import condition_text, description_sentence, generated_sentence
from generator.terraform.hcl import listing, quote
from generator.terraform.types import SCALARS, Shape, allowed_text, attribute_lines, body_value, shape_of, type_text

# Regular expression syntax Terraform's RE2 does not have (lookarounds, backreferences, atomic groups, `\Z`): a
# schema pattern that uses it is not made a validation.
NOT_RE2 = re.compile(r"\(\?<?[=!]|\(\?>|\\[1-9]|\\Z|\\p\{|\\P\{")
OUTPUT = "azapi_resource.this.output"


@dataclass(frozen=True)
class PropertyVariable:
    """One body property as a variable of the module."""

    prop: SchemaProperty
    name: str
    shape: Shape
    type: str
    description: str
    required: bool  # no default: the caller must give it (a secret too, which has no default)
    nullable: bool  # whether null is a value (False: `nullable = false`)
    default: str | None  # HCL; None for a required variable or a secret
    secret: bool
    fallback: str | None = None  # the value sent when the variable is null (property_defaults.yaml)
    validations: tuple[tuple[str, str], ...] = ()

    @property
    def path(self) -> str:
        return self.prop.path

    @property
    def in_properties(self) -> bool:
        return self.path.startswith(f"{PROPERTIES}.")

    @property
    def key(self) -> str:
        """The body key: the property's own camelCase name."""
        return self.prop.name

    @property
    def version_name(self) -> str:
        return f"{self.name}_version"

    @cached_property
    def value(self) -> str:
        """The body expression of the property."""
        source = f"var.{self.name}"
        if self.fallback is not None:
            return f"coalesce({source}, {self.fallback})"
        if self.shape.collection and self.default is not None:
            return f"length({source}) == 0 ? null : {body_value(self.shape, source, False)}"
        return body_value(self.shape, source, self.nullable)


def property_variables(
    schema: ResourceSchema,
    interfaces: tuple[str, ...],
    taken: set[str],
    thing: str,
    selection: Selection = property_selection.ALL,
) -> list[PropertyVariable]:
    """The variables of the properties the module offers, in schema order. `taken` holds the module's other
    variable names: a property of a taken name is left out (the interface or child collection of that name sets
    it), and of two properties of one name (`sku` and `properties.sku`) the top-level one wins."""
    defaults = property_defaults().get(schema.type_name, {})
    found = []
    names = set(taken)
    for prop in offered(schema, interfaces, selection):
        name = naming.snake(prop.name)
        if name in names or f"{name}_version" in names:
            continue
        names.add(name)
        found.append(property_variable(schema, prop, name, defaults.get(prop.path, {}).get("terraform"), thing))
    return found


def property_variable(
    schema: ResourceSchema, prop: SchemaProperty, name: str, default: dict | None, thing: str
) -> PropertyVariable:
    if prop.kind in SCALARS:  # the schema's facts: a discriminator's values are its variants'
        shape = Shape(SCALARS[prop.kind], facts=prop, secret=prop.sensitive)
    else:
        shape = shape_of([v.property.type for v in prop.variants])
    secret = is_secret(schema, prop) or shape.secret
    must = needed(prop) and default is None
    sentence = description_sentence(prop.description, prop.name, prop.kind, thing) + allowed_text(shape)
    if conditionally_required(prop) and prop.conditions:
        sentence += f" Required if {condition_text(prop.conditions)}."
    if default is not None:
        sentence += f" Defaults to {default['description']}."
    if shape.collection and not must:
        sentence += f" An empty {shape.kind} is not sent."
    if secret:
        sentence += " Sent in `sensitive_body`, never stored in the state; give null to leave it out." * (not must)
        sentence += " Sent in `sensitive_body`, never stored in the state." * must
    lines = attribute_lines(shape, " ".join(naming.split_words(prop.name)).lower())
    description = "\n".join([sentence, "", *lines]) if lines else sentence
    if must or secret:
        default_text = None
    elif shape.collection:
        default_text = "[]" if shape.kind == "list" else "{}"
    else:
        default_text = "null"
    nullable = not (must or (shape.collection and default_text is not None))
    return PropertyVariable(
        prop=prop,
        name=name,
        shape=shape,
        type=type_text(shape),
        description=description,
        required=default_text is None,
        nullable=nullable,
        default=default_text,
        secret=secret,
        fallback=default["value"] if default is not None else None,
        validations=tuple(variable_validations(name, shape, may_be_null=nullable)),
    )


# ---------------------------------------------------------------------------------------------------------------------
# Validations
# ---------------------------------------------------------------------------------------------------------------------


def re2_pattern(pattern: str | None) -> str | None:
    """The pattern when Terraform's `regex` (RE2) and Python both read it, else None."""
    if not pattern or NOT_RE2.search(pattern):
        return None
    try:
        re.compile(pattern)
    except re.error:
        return None
    return pattern


def scalar_checks(facts: TypeFacts, ref: str, label: str) -> list[tuple[str, str]]:
    """Conditions on a string, number or enum at `ref`, one a rule, with their error messages."""
    checks = []
    if facts.closed_enum:
        values = listing([quote(v) for v in facts.enum])
        shown = ", ".join(f"`{v}`" for v in facts.enum)
        checks.append((f"contains({values}, {ref})", f"{label} must be one of: {shown}."))
    if facts.kind in ("string", "enum") and not facts.closed_enum:
        found = within(f"length({ref})", facts.min_length, facts.max_length)
        if found is not None:
            checks.append((found[0], f"{label} must be {found[1]} characters long."))
        pattern = re2_pattern(facts.pattern)
        if pattern is not None:
            checks.append((f"can(regex({quote(pattern)}, {ref}))", f"{label} must match {pattern}."))
    if facts.kind == "int":
        found = within(ref, facts.min_value, facts.max_value)
        if found is not None:
            checks.append((found[0], f"{label} must be {'from ' * (' to ' in found[1])}{found[1]}."))
    return checks


def count_checks(facts: TypeFacts | None, ref: str, label: str) -> list[tuple[str, str]]:
    """The condition on the number of items of a list at `ref`, where the schema limits it."""
    found = within(f"length({ref})", facts.min_length, facts.max_length) if facts is not None else None
    if found is None:
        return []
    last = facts.max_length if facts.max_length is not None else facts.min_length
    return [(found[0], f"{label} must have {found[1]} item{'s' * (last != 1)}.")]


def within(value: str, low: int | None, high: int | None) -> tuple[str, str] | None:
    """The condition that `value` is within the bounds there are, and the bounds in words (`1 to 10`, `36`,
    `at least 1`, `at most 10`); None without a bound."""
    if low is not None and high is not None:
        return f"{value} >= {low} && {value} <= {high}", f"{low}" if low == high else f"{low} to {high}"
    if low is not None:
        return f"{value} >= {low}", f"at least {low}"
    if high is not None:
        return f"{value} <= {high}", f"at most {high}"
    return None


def variable_validations(name: str, shape: Shape, may_be_null: bool) -> list[tuple[str, str]]:
    """The validations of a variable: the limits of every scalar and every list in it, at any depth (the
    variable itself, an object's attributes, a list's items, a map's values), one a rule and path. The message
    names the path as the caller writes it, `[*]` standing for every item of a list or value of a map:
    `network_acls.ip_rules[*].action must be one of: ...`. A null value passes: the variable's when it is
    nullable, an attribute's and an item's always; an `any` value (where a type contains itself) is not looked into."""
    ref = f"var.{name}"
    found = value_checks(shape, ref, name, 0)
    if not may_be_null or shape.kind == "object":  # an object's checks each guard their own attribute
        return found
    return [(f"{ref} == null ? true : {condition}", message) for condition, message in found]


def value_checks(shape: Shape, ref: str, label: str, loops: int) -> list[tuple[str, str]]:
    """The conditions on a value of `shape` at `ref` that is not null; `loops` counts the `for` expressions
    around `ref`, whose item names (`v`, `v2`, ...) a nested one must not reuse."""
    if shape.kind == "object":
        found = []
        for a in shape.attributes:
            inner = f"{ref}.{a.name}"
            for condition, message in value_checks(a.shape, inner, f"{label}.{a.name}", loops):
                # try(): the attribute, or an object on the way to it, may be null
                guarded = condition if a.shape.kind == "object" else f"try({inner}, null) == null ? true : {condition}"
                found.append((guarded, message))
        return found
    if shape.kind in ("list", "map"):
        return collection_checks(shape, ref, label, loops)
    if shape.facts is not None and shape.kind in SCALARS.values():
        return scalar_checks(shape.facts, ref, label)
    return []


def collection_checks(shape: Shape, ref: str, label: str, loops: int) -> list[tuple[str, str]]:
    """A list's item count, then the conditions on every item of a list or value of a map, each true for all (a
    null item passes: an object's attributes guard themselves, anything else is guarded here)."""
    found = count_checks(shape.facts, ref, label) if shape.kind == "list" else []
    if shape.item is None:
        return found
    item = "v" if loops == 0 else f"v{loops + 1}"
    source = ref if shape.kind == "list" else f"values({ref})"
    guard = "" if shape.item.kind == "object" else f"{item} == null ? true : "
    for condition, message in value_checks(shape.item, item, f"{label}[*]", loops + 1):
        found.append((f"alltrue([for {item} in {source} : {guard}{condition}])", message))
    return found


def name_validations(schema: ResourceSchema | None) -> tuple[tuple[str, str], ...]:
    """The `name` variable's validations from the schema's length and pattern; () when it has neither."""
    found = schema.at("name") if schema is not None else None
    if found is None or found.closed_enum or found.kind not in ("string", "enum"):
        return ()
    return tuple(scalar_checks(found, "var.name", "The name"))


# ---------------------------------------------------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PropertyOutput:
    name: str
    description: str
    path: str  # the response path `response_export_values` lists
    value: str


def property_outputs(schema: ResourceSchema, thing: str, taken: set[str]) -> list[PropertyOutput]:
    """The read-only properties people use, each read from `azapi_resource.this.output` (null-safe where the
    schema does not promise it); a name already taken is left out."""
    found = []
    names = set(taken)
    for prop, camel_name in output_properties(schema):
        name = naming.snake(camel_name)
        if name in names:
            continue
        names.add(name)
        read = f"{OUTPUT}.{prop.path}"
        found.append(
            PropertyOutput(
                name,
                f"{generated_sentence(camel_name, 'string', thing)}",
                prop.path,
                read if prop.always_required else f"try({read}, null)",
            )
        )
    return found
