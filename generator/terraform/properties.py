"""The resource's own variables of a Terraform module, from the resource type's schema (`generator.azure_types`).

Each writable body property the module offers (`generator.property_rules.offered`, the same set as the Bicep
parameters) becomes a variable named the snake_case of the property (`sku`, `kind`, `properties.tenantId` ->
`tenant_id`), typed exactly from the schema (`types.py`), and is written back at its camelCase path in the body.
A property the schema requires is a required variable (`nullable = false`), unless `data/property_defaults.yaml`
gives a value right for everyone (used when the variable is null); one it requires for some `kind`s only is
optional and says when it is required; the others are optional: null (or an empty list or map) is not sent.
Closed enums, lengths, ranges and patterns are `validation` blocks. A secret (`property_rules.is_secret`, or an
object holding one) is `sensitive`, has no default, travels in `sensitive_body` (never stored in the state), and
has a `<name>_version` variable whose change sends it again.

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
from generator.property_text import condition_text, generated_sentence
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
    sentence = " ".join((prop.description or "").split()) or generated_sentence(prop.name, prop.kind, thing)
    if not sentence.endswith((".", "!", "?")):
        sentence += "."
    sentence = sentence[0].upper() + sentence[1:] + allowed_text(shape)
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
        low, high = facts.min_length, facts.max_length
        if low is not None and high is not None:
            checks.append(
                (
                    f"length({ref}) >= {low} && length({ref}) <= {high}",
                    f"{label} must be {low} to {high} characters long.",
                )
            )
        elif low is not None:
            checks.append((f"length({ref}) >= {low}", f"{label} must be at least {low} characters long."))
        elif high is not None:
            checks.append((f"length({ref}) <= {high}", f"{label} must be at most {high} characters long."))
        pattern = re2_pattern(facts.pattern)
        if pattern is not None:
            checks.append((f"can(regex({quote(pattern)}, {ref}))", f"{label} must match {pattern}."))
    if facts.kind == "int":
        low, high = facts.min_value, facts.max_value
        if low is not None and high is not None:
            checks.append((f"{ref} >= {low} && {ref} <= {high}", f"{label} must be from {low} to {high}."))
        elif low is not None:
            checks.append((f"{ref} >= {low}", f"{label} must be at least {low}."))
        elif high is not None:
            checks.append((f"{ref} <= {high}", f"{label} must be at most {high}."))
    return checks


def variable_validations(name: str, shape: Shape, may_be_null: bool) -> list[tuple[str, str]]:
    """The validations of a variable: its own limits, those of a list's items, and those of an object's
    attributes that are scalars (not those inside lists or maps)."""
    ref = f"var.{name}"

    def guarded(condition: str) -> str:
        return f"{ref} == null ? true : {condition}" if may_be_null else condition

    found: list[tuple[str, str]] = []
    if shape.facts is not None and shape.kind != "list":
        found += [(guarded(c), m) for c, m in scalar_checks(shape.facts, ref, name)]
    if shape.kind == "list":
        facts = shape.facts
        if facts is not None and (facts.min_length is not None or facts.max_length is not None):
            limits = TypeFacts(kind="string", min_length=facts.min_length, max_length=facts.max_length)
            found += [
                (guarded(c), m.replace("characters long", "items long")) for c, m in scalar_checks(limits, ref, name)
            ]
        item = shape.item
        if item is not None and item.facts is not None and item.kind != "list":
            for condition, message in scalar_checks(item.facts, "v", f"Each item of {name}"):
                found.append((guarded(f"alltrue([for v in {ref} : {condition}])"), message))
    if shape.kind == "object":
        for a in shape.attributes:
            if a.shape.facts is None or a.shape.kind in ("list", "map"):
                continue
            inner = f"{ref}.{a.name}"
            for condition, message in scalar_checks(a.shape.facts, inner, f"{name}.{a.name}"):
                found.append((f"try({inner}, null) == null ? true : {condition}", message))
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
