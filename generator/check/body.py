"""What a resource declaration sends, in either language, and what its type's schema says about it.

The readers (`bicep_body`, `rules.terraform.azapi_body`) turn a resource's body into `Body`: its literal keys
with where they are written, and for each what it holds as far as that can be told without evaluating anything
(another literal object, a string literal, exactly one input). The questions below compare a body with the type's
`ResourceSchema`; they never guess: a body that may send keys it does not show (a spread, a computed key) is
never said to lack a property, and a level of the schema that takes any key is never said to lack one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:  # imported when first needed: most checks of a module never compare a body
    from generator.azure_types.schema import ResourceSchema, SchemaProperty

NOT_A_SECRET = "nonsecret"
"""A name that says so (`nonSecretParameterValues`) holds no secret, though `is_secret`'s name rule finds "secret"."""
INTERFACE_KEYS = ("identity", "tags", "location")
"""Top-level keys an interface of the module sets, reported by the interface rule rather than as unknown keys."""


@dataclass(frozen=True)
class Field:
    key: str
    line: int
    col: int
    object: Body | None = None  # the value, when it is a literal object
    literal: str | None = None  # the value, when it is a string literal
    reference: str | None = None  # the input (Bicep parameter, Terraform variable) the value is, exactly


@dataclass(frozen=True)
class Body:
    fields: tuple[Field, ...]
    closed: bool = True  # every key it sends is among `fields` (no spread, no key computed from an expression)
    line: int = 1  # where the object opens
    col: int = 1

    def get(self, key: str) -> Field | None:
        """The field of that key, compared as ARM compares property names (case-blind)."""
        lower = key.lower()
        return next((f for f in self.fields if f.key.lower() == lower), None)


def references(body: Body) -> Iterator[Field]:
    """The fields of the body, and of the literal objects inside it, that pass an input exactly."""
    for item in body.fields:
        if item.reference is not None:
            yield item
        if item.object is not None:
            yield from references(item.object)


@dataclass(frozen=True)
class Placed:
    """A field of a body with its dotted path from the body (`properties.sku.name`) and its property in the schema."""

    path: str
    field: Field
    prop: SchemaProperty


@dataclass(frozen=True)
class Level:
    """A literal object of the body where the schema lists the keys: the properties it lists there, by lower-case
    name. A level where the schema takes any key is not one (nothing can be said about its keys)."""

    path: str  # "" for the body itself
    body: Body
    parent: SchemaProperty | None  # the property that holds it; None for the body itself
    members: dict[str, SchemaProperty]

    def placed(self, item: Field) -> Placed | None:
        prop = self.members.get(item.key.lower())
        return Placed(self.at(item.key), item, prop) if prop is not None else None

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key


def levels(schema: ResourceSchema, body: Body) -> Iterator[Level]:
    """The body and each literal object inside it under a property of the schema, outermost first."""
    yield from _levels(schema, body, None)


def _levels(schema: ResourceSchema, body: Body, parent: SchemaProperty | None) -> Iterator[Level]:
    if _takes_any_key(parent):
        return
    path = parent.path if parent else ""
    level = Level(path, body, parent, _members(schema, path))
    yield level
    for item in body.fields:
        placed = level.placed(item) if item.object is not None and "." not in item.key else None
        if placed is not None:
            yield from _levels(schema, item.object, placed.prop)


_members_of: WeakKeyDictionary[ResourceSchema, dict[str, dict[str, SchemaProperty]]] = WeakKeyDictionary()


def _members(schema: ResourceSchema, path: str) -> dict[str, SchemaProperty]:
    """The properties the schema lists at `path`, by lower-case name; worked out once a schema and path (every
    module of a check that deploys the type asks again)."""
    known = _members_of.setdefault(schema, {})
    if path not in known:
        known[path] = {p.name.lower(): p for p in schema.children(path)}
    return known[path]


def _takes_any_key(prop: SchemaProperty | None) -> bool:
    """Whether the schema leaves the keys of the object at that level open: not an object (`any`, a union), or an
    object that takes keys beyond those it lists (`additionalProperties`) in one of its variants."""
    if prop is None:
        return False
    if prop.kind != "object" or prop.is_map:
        return True
    from generator.azure_types.members import container_of
    from generator.azure_types.nodes import ObjectType

    containers = (container_of(variant.property.type) for variant in prop.variants)
    return any(isinstance(node, ObjectType) and node.additional_properties is not None for node in containers)


def missing_required(schema: ResourceSchema, body: Body, skip: tuple[str, ...] = ()) -> Iterator[tuple[str, Body]]:
    """The paths of properties every deployment must set that a closed literal object of the body lacks, with the
    object that lacks each; `skip` names top-level keys the declaration sets outside its body."""
    from generator.property_rules import needed

    for level in levels(schema, body):
        if not level.body.closed:
            continue
        for prop in level.members.values():
            wanted = needed(prop) and not prop.read_only and not (level.parent is None and prop.name in skip)
            if wanted and level.body.get(prop.name) is None:
                yield prop.path, level.body


def unknown_keys(schema: ResourceSchema, body: Body) -> Iterator[tuple[str, Field]]:
    """Literal keys, with their paths, at a level whose keys the schema lists, that it does not list (top-level
    interface keys excepted: `interfaces_without_schema` tells of those)."""
    for level in levels(schema, body):
        for item in level.body.fields:
            top_interface = level.parent is None and item.key.lower() in INTERFACE_KEYS
            if level.placed(item) is None and not top_interface:
                yield level.at(item.key), item


def read_only_keys(schema: ResourceSchema, body: Body) -> Iterator[Placed]:
    """Literal keys of properties the schema marks read-only (the outermost one of a read-only object)."""
    for level in levels(schema, body):
        if level.parent is not None and level.parent.read_only:
            continue
        for item in level.body.fields:
            placed = level.placed(item)
            if placed is not None and placed.prop.read_only:
                yield placed


def wrong_name(schema: ResourceSchema, body: Body) -> tuple[Field, tuple[str, ...]] | None:
    """The `name` field when it is a literal the schema's closed set of names does not hold, with that set.
    A literal `parent/child` name is compared by its last segment."""
    allowed = schema.fixed_name
    name = body.get("name")
    if not allowed or name is None or name.literal is None:
        return None
    given = name.literal.rpartition("/")[2].lower()
    return None if given in {value.lower() for value in allowed} else (name, allowed)


def interfaces_without_schema(schema: ResourceSchema, body: Body) -> Iterator[Field]:
    """`identity`, `tags` or `location` set where the type has none."""
    has = {"identity": schema.has_identity, "tags": schema.has_tags, "location": schema.has_location}
    for key, present in has.items():
        item = body.get(key)
        if item is not None and not present:
            yield item


def secret_inputs(schema: ResourceSchema, body: Body) -> Iterator[Placed]:
    """Fields that pass an input, exactly, into a property that holds a secret: `property_rules.is_secret`, but
    not for being write-only alone (a create-time input Azure does not return, `restorePointInTime`, is no secret)."""
    from generator.property_rules import is_secret

    for level in levels(schema, body):
        for item in level.body.fields:
            placed = level.placed(item) if item.reference is not None else None
            if placed is None or placed.prop.read_only or placed.prop.kind not in ("string", "object", "any"):
                continue
            if NOT_A_SECRET in placed.prop.name.lower() and not placed.prop.sensitive:
                continue
            if is_secret(schema, replace(placed.prop, write_only=False)):
                yield placed
